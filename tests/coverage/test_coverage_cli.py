"""`annuaire couverture` on the command line: outputs, French messages, exit codes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from annuaire.cli import main

ROOT = Path(__file__).resolve().parents[2]
SANTE = ROOT / "sample_data" / "sante_auvergne.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_xlsx_and_summary_in_french(tmp_path):
    out = tmp_path / "bilan.xlsx"
    r = run(
        "couverture", SANTE, "--theme", "sante", "--territoire", "commune Riom", "--typologie", "pharmacie", "-o", out
    )
    assert r.exit_code == 0, r.output
    assert f"Bilan de couverture écrit : {out} (territoire : Riom)." in r.output
    assert "Typologies représentées :" in r.output and "communes sans mairie : 1 sur 1" in r.output
    assert "Pharmacie — population à plus de 5 km : 0,0 %" in r.output
    assert "lignes lues" in r.output
    wb = openpyxl.load_workbook(out)
    riom = [r for r in wb["Distances"].iter_rows(min_row=2, values_only=True)]
    assert [(x[0], x[3], x[5], x[6]) for x in riom] == [("SA19", "Riom", 8, 0)]


def test_pdf_runs_the_preflight(tmp_path):
    out = tmp_path / "bilan.pdf"
    r = run("couverture", SANTE, "--theme", "sante", "--territoire", "commune Riom", "-o", out)
    assert r.exit_code == 0, r.output
    assert "Bilan de couverture écrit" in r.output and "conforme à tous les contrôles" in r.output
    assert out.read_bytes().startswith(b"%PDF")


def test_refusals_in_french(tmp_path):
    r = run("couverture", SANTE, "-o", tmp_path / "bilan.docx")
    assert r.exit_code == 2 and "extension inconnue. Choisissez .pdf" in r.output
    r = run("couverture", SANTE, "--typologie", "pharmacei", "-o", tmp_path / "b.pdf")
    assert r.exit_code == 2 and "Vouliez-vous dire : Pharmacie ?" in r.output
    r = run("couverture", SANTE, "-o", SANTE)
    assert r.exit_code == 2 and "Erreur" in r.output
    assert SANTE.read_bytes()[:2] == b"PK"  # the input is untouched
    r = run("couverture", "-o", tmp_path / "b.pdf")
    assert r.exit_code == 2 and "Aucun fichier à lire" in r.output
    r = run("couverture", SANTE, "--territoire", "Nullepart-sur-Mer", "-o", tmp_path / "b.pdf")
    assert r.exit_code == 2 and "Erreur" in r.output
    assert not (tmp_path / "b.pdf").exists()


def test_pdfx_with_the_printers_profile(tmp_path):
    import pikepdf
    import pytest
    from preflight_samples import cmyk_icc

    from annuaire import preflight

    icc = cmyk_icc()
    if icc is None:
        pytest.skip("profil CMJN de Ghostscript (default_cmyk.icc) absent : installer ghostscript")
    out = tmp_path / "bilan.pdf"
    r = run("couverture", SANTE, "--theme", "sante", "--territoire", "commune Riom", "--icc", icc, "-o", out)
    assert r.exit_code == 0, r.output
    with pikepdf.open(out) as pdf:
        assert [str(oi.S) for oi in pdf.Root.OutputIntents] == ["/GTS_PDFX"]
    report = preflight.preflight(out, bleed_mm=3)
    assert report.passed
    assert "déclaré PDF/X-4" in [f.message_fr for f in report.check("pdfx").findings]


def test_a_contributors_sheet_read_with_the_builds_options(tmp_path):
    """A sheet without a category column is read as build reads it: its typology
    from a correspondences file (--typologie names the maps' typologies here)."""
    import json

    sheet = ROOT / "tests" / "fixtures" / "sheets" / "france_services_horaires.xlsx"
    toml = tmp_path / "fs.toml"
    toml.write_text('typologie = "France services"\n', encoding="utf-8")
    report = tmp_path / "r.json"
    built = run(
        "build", "--theme", "vie-pratique", sheet, "--typologie", "France services", "--source", "CD 43",
        "--out", tmp_path / "a.pdf", "--report", report, "--sans-controle",
    )  # fmt: skip
    assert built.exit_code == 0, built.output
    printed = json.loads(report.read_text(encoding="utf-8"))["printed"]
    out = tmp_path / "bilan.xlsx"
    r = run(
        "couverture", sheet, "--theme", "vie-pratique", "--correspondances", toml, "--source", "CD 43",
        "--typologie", "VP07", "-o", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    typ = {row[0]: row for row in openpyxl.load_workbook(out)["Typologies"].iter_rows(min_row=2, values_only=True)}
    assert typ["VP07"][4] == printed == 22
    r = run("couverture", sheet, "--correspondances", sheet, "-o", tmp_path / "b.pdf")
    assert r.exit_code == 2  # a workbook without a « Correspondances » sheet is refused, in French
    assert "Correspondances" in r.output
