"""build and validate list the entries older than --anciennete-max, by source,
in the console summary and the JSON report (« anciennes »)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annuaire.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DILA_2016 = FIXTURES / "national" / "dila_annuaire_services_publics_2016_auvergne.jsonl"
RIOM = FIXTURES / "contributors" / "Annuaire Riom Limagne.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_build_lists_old_entries_by_source(tmp_path):
    report = tmp_path / "r.json"
    out = tmp_path / "a.pdf"
    result = run(
        "build", "--theme", "tout", DILA_2016, RIOM, "-o", out, "--report", report,
        "--date", "2026-11-27", "--sans-controle",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    old = json.loads(report.read_text(encoding="utf-8"))["anciennes"]
    assert old["months"] == 24 and old["reference_date"] == "2026-11-27"
    # All 14 records of the 2016 file, and the one Riom row last checked on 5 November 2024.
    assert old["count"] == 15
    assert [(s["source"], s["count"]) for s in old["sources"]] == [
        ("Annuaire de l’administration (DILA) 2016", 14),
        ("Annuaire Riom Limagne.xlsx", 1),
    ]
    (labo,) = old["sources"][1]["entries"]
    assert {k: labo[k] for k in ("file", "sheet", "row", "name", "typology", "commune", "date", "source")} == {
        "file": "Annuaire Riom Limagne.xlsx",
        "sheet": "Santé",
        "row": 7,
        "name": "Laboratoire Biorom",
        "typology": "SA08",
        "commune": "Riom",
        "date": "2024-11-05",
        "source": "Annuaire Riom Limagne.xlsx",
    }
    assert labo["typology_label"] == "Laboratoire de biologie médicale"
    text = result.output.replace("\u202f", " ")
    assert "15 fiches imprimées ont des informations de plus de deux ans (au 27 novembre 2026)" in text
    assert "  Annuaire de l’administration (DILA) 2016 : 14" in text
    assert "Annuaire Riom Limagne.xlsx, feuille « Santé », ligne 7 : Laboratoire Biorom" in text
    assert "… et 11 autres" in text


def test_threshold_option_on_build_and_validate(tmp_path):
    report = tmp_path / "r.json"
    result = run(
        "build", "--theme", "tout", DILA_2016, RIOM, "-o", tmp_path / "a.pdf", "--report", report,
        "--date", "2026-11-27", "--sans-controle", "--anciennete-max", "36",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    old = json.loads(report.read_text(encoding="utf-8"))["anciennes"]
    assert old["months"] == 36 and old["count"] == 14  # the Riom laboratory is 24 months old, not 36
    assert "14 fiches imprimées ont des informations de plus de trois ans" in result.output.replace("\u202f", " ")

    result = run("validate", DILA_2016, RIOM, "--report", report, "--date", "2026-11-27", "--anciennete-max", "132")
    old = json.loads(report.read_text(encoding="utf-8"))["anciennes"]
    assert old["count"] == 0 and old["sources"] == []
    assert "Aucune fiche n’a d’informations de plus de 11 ans" in result.output
