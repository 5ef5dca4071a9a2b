"""The bundled sample_data/ loads, validates and covers the five themes."""

from __future__ import annotations

import collections
import re
import zipfile
from pathlib import Path

import pytest

from annuaire.reference import taxonomy
from annuaire.load import read_paths
from annuaire.check.validate import validate_rows

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def loaded():
    if not SAMPLE.is_dir():
        pytest.skip("sample_data/ absent")
    lr = read_paths([SAMPLE])
    return lr, validate_rows(lr.rows)


def test_formats_contributors_use():
    names = {p.suffix for p in SAMPLE.iterdir()}
    assert {".xlsx", ".ods", ".csv"} <= names
    ods = SAMPLE / "services_publics_auvergne.ods"
    with zipfile.ZipFile(ods) as z:  # a real OpenDocument file, as LibreOffice writes it
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    raw = (SAMPLE / "enseignement_auvergne.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert text.startswith("Nom;Typologie;") and "\r\n" in text
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 4 * 1024 * 1024


def test_every_theme_has_real_entries(loaded):
    _, res = loaded
    per = collections.Counter(taxonomy.typology(e.typology).theme for e in res.entries)
    assert per["sante"] >= 800
    for slug in ("services-publics", "sports-loisirs", "enseignement", "vie-pratique"):
        assert per[slug] >= 300, slug
    for e in res.entries:
        assert e.providers and e.providers[0].name


def test_only_the_mairie_sheet_has_errors_and_the_readme_lists_them(loaded):
    lr, res = loaded
    errors = [i for i in list(lr.issues) + list(res.issues) if i.severity == "error"]
    assert {i.file for i in errors} == {"mairie_riom_saisie.xlsx"}
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    listed = {
        (int(r), c)
        for r, c in re.findall(
            r"^\| (\d+) \| [^|]+\| [^|]+\| (?:erreur|avertissement) `([a-z-]+)`", readme, re.MULTILINE
        )
    }
    for i in errors:
        assert (i.row, i.code) in listed, (i.row, i.code)
