"""Export of entries to the contributor format, and back (round trip)."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from annuaire.workbooks.export import HEADERS, to_charset, typology_cell, write_csv, write_entries
from annuaire.load import read_paths
from annuaire.load.importers import detect
from annuaire.model import RawRow
from annuaire.check.validate import validate_rows

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "national"
COMPARED = (
    "name",
    "typology",
    "commune",
    "insee",
    "address",
    "address2",
    "postcode",
    "phone",
    "email",
    "website",
    "hours",
    "description",
    "latitude",
    "longitude",
    "updated",
)


def _entries():
    out = []
    for name in (
        "finess_fhir_20210108_auvergne.ndjson",
        "annuaire_services_publics_202508_auvergne_sample.csv",
        "france_services_20240801_auvergne.csv",
        "musees_de_france_museofile_auvergne.csv",
        "gares_voyageurs_sncf_auvergne.csv",
        "dila_annuaire_services_publics_2016_auvergne.jsonl",
        "ecoles_ips_2021_2022_auvergne.csv",
    ):
        imp = detect(FIX / name)
        rows = [r for r in imp.read(FIX / name) if isinstance(r, RawRow)]
        out.extend(validate_rows(rows).entries)
    return out


def _same(a, b):
    assert len(a) == len(b)
    key = lambda e: (e.typology, e.name, e.commune, e.address or "")
    for x, y in zip(sorted(a, key=key), sorted(b, key=key)):
        for f in COMPARED:
            assert getattr(x, f) == getattr(y, f), (f, x.name)
        assert x.providers[0].name == y.providers[0].name


@pytest.mark.parametrize("kind", ["xlsx", "xlsx-one-sheet", "xlsx-title", "csv"])
def test_round_trip(kind, tmp_path):
    entries = _entries()
    assert {e.typology[:2] for e in entries} >= {"SA", "SP", "SL", "VP", "EN"}
    if kind == "csv":
        path = write_csv(entries, tmp_path / "annuaire.csv")
    else:
        path = write_entries(
            entries,
            tmp_path / "annuaire.xlsx",
            by_theme=(kind != "xlsx-one-sheet"),
            title="Annuaire des services – export" if kind == "xlsx-title" else None,
        )
    loaded = read_paths([path])
    assert not [i for i in loaded.issues if i.severity == "error"]
    res = validate_rows(loaded.rows)
    assert res.rejected == 0
    _same(entries, res.entries)


def test_xlsx_cells(tmp_path):
    from openpyxl import load_workbook

    entries = _entries()
    path = write_entries(entries, tmp_path / "a.xlsx")
    wb = load_workbook(path)
    # One sheet per theme, in the order of Annex 1 (the fixtures cover all five).
    assert wb.sheetnames == [
        "Services publics",
        "Action sociale et santé",
        "Sports et loisirs",
        "Enseignement et éducation",
        "Vie pratique",
    ]
    ws = wb[wb.sheetnames[0]]
    assert [c.value for c in ws[1]] == list(HEADERS)
    for row in ws.iter_rows(min_row=2):
        cp = row[HEADERS.index("Code postal")]
        if cp.value is not None:
            assert isinstance(cp.value, str) and cp.number_format == "@"


def test_typology_cell_is_unambiguous():
    assert typology_cell("SA19") == "Pharmacie"
    assert typology_cell("SP50") == "SP50"  # its label is also SP29's


def test_csv_is_windows_1252(tmp_path):
    entries = _entries()
    e = dataclasses.replace(entries[0], name="Œuvre\u202fde Saint-Ŏ – l’été", description="≈ 3\u2009km")
    path = write_csv([e], tmp_path / "a.csv")
    raw = path.read_bytes()
    text = raw.decode("cp1252")
    assert "\r\n" in text and text.splitlines()[0].startswith("Nom;Typologie;")
    assert "Œuvre\u00a0de Saint-O – l’été" in text
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[1][HEADERS.index("Latitude")].count(",") == 1  # decimal comma
    assert to_charset("a\u202fb") == "a\u00a0b"
