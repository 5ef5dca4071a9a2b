"""The command line on a mairie's own spreadsheet: columns shown, mapping
corrected once and reused, reports written even when nothing can be read."""

import csv
import io
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from annuaire.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHEETS = ROOT / "tests" / "fixtures" / "sheets"
REGION = SHEETS / "region_lieux_numeriques.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_colonnes_shows_the_mapping_and_writes_a_reusable_file(tmp_path):
    out = tmp_path / "correspondances.toml"
    result = run("colonnes", REGION, "-o", out)
    assert result.exit_code == 0, result.output
    assert "B (Type Structure)" in result.output and "→ Typologie" in result.output
    assert "« Tiers-lieu numérique » (4) → ? proposition : Lieu d’accès public à Internet" in result.output
    text = out.read_text(encoding="utf-8")
    # The user completes the one category left, and reuses the file.
    out.write_text(text.replace('"Tiers-lieu numérique" = ""', '"Tiers-lieu numérique" = "VP07"'), encoding="utf-8")
    report = tmp_path / "r.json"
    checked = run("validate", REGION, "--correspondances", out, "--report", report)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["rows_read"], data["printed"]) == (42, 41)
    assert checked.exit_code == 1  # the misspelt commune is still rejected


def test_annotated_workbook_starts_with_the_correspondences_the_user_corrects(tmp_path):
    annotated = tmp_path / "rapport.xlsx"
    result = run("validate", REGION, "--annote", annotated)
    assert "Classeur annoté : " + str(annotated) in result.output
    wb = openpyxl.load_workbook(annotated)
    assert wb.sheetnames[:2] == ["Correspondances", "Rapport"]
    ws = wb["Correspondances"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert ["region_lieux_numeriques.csv", "Type Structure", "Typologie"] == rows[
        next(i for i, r in enumerate(rows) if r[1] == "Type Structure")
    ][:3]
    cat = next(i for i, r in enumerate(rows) if r[0] == "Tiers-lieu numérique")
    assert rows[cat][2] is None and "proposition" in rows[cat][4]
    ws.cell(row=cat + 1, column=3, value="Lieu d’accès public à Internet")
    wb.save(annotated)
    report = tmp_path / "r.json"
    run("validate", REGION, "--correspondances", annotated, "--report", report)
    assert json.loads(report.read_text(encoding="utf-8"))["printed"] == 41


def test_no_header_row_still_writes_the_report_and_the_workbook(tmp_path):
    sheet = tmp_path / "liste.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Médiathèque de Riom", "Place Eugène Rouher", "63200", "Riom"])
    wb.active.append(["Mairie de Mozac", "Place de la Mairie", "63200", "Mozac"])
    wb.save(sheet)
    report, annotated = tmp_path / "r.json", tmp_path / "rapport.xlsx"
    result = run("validate", sheet, "--report", report, "--annote", annotated)
    assert result.exit_code == 2
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows_read"] == 0 and data["issues"][0]["code"] == "en-tete-introuvable"
    first = openpyxl.load_workbook(annotated).worksheets[0]
    assert first.title == "Correspondances"
    assert "Aucune ligne d’en-tête" in first["A2"].value
    assert "Classeur annoté" in result.output


def test_build_with_nothing_to_print_writes_its_report(tmp_path):
    report = tmp_path / "r.json"
    result = run("build", "--theme", "sante", REGION, "--out", tmp_path / "a.pdf", "--report", report)
    assert result.exit_code == 2
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["printed"] == 0 and data["out_of_scope"] == 37 and data["rows_read"] == 42


def test_source_given_on_the_command_line_is_credited(tmp_path):
    out = tmp_path / "a.pdf"
    result = run(
        "build",
        "--theme",
        "vie-pratique",
        SHEETS / "france_services_horaires.xlsx",
        "--typologie",
        "France services",
        "--source",
        "Mairie de Riom",
        "--out",
        out,
        "--sans-controle",
    )
    assert result.exit_code == 0, result.output
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Mairie de Riom" in text and "france_services_horaires" not in text


def test_import_of_a_lookalike_file_names_the_missing_column(tmp_path):
    result = run("import", "france-services", SHEETS / "france_services_2022.csv", "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2
    assert "type_fs" in result.output and "annuaire colonnes" in result.output


def test_import_exits_1_when_it_writes_nothing(tmp_path):
    # The 2024 list whose every type_fs is a category the mapping table does not know.
    src = (ROOT / "tests" / "fixtures" / "national" / "france_services_20240801_auvergne.csv").read_text(
        encoding="utf-8"
    )
    rows = list(csv.reader(io.StringIO(src, newline="")))
    k = rows[0].index("type_fs")
    for r in rows[1:]:
        r[k] = "Inconnu"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / "fs.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    result = run("import", "france-services", path, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 1
    assert "0 entrée écrite" in result.output


def test_export_reads_a_sheet_with_the_same_options(tmp_path):
    out = tmp_path / "annuaire.csv"
    result = run(
        "export",
        SHEETS / "france_services_horaires.xlsx",
        "--typologie",
        "France services",
        "--source",
        "Département de la Haute-Loire",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("cp1252")  # the CSV French Excel opens by double-click
    assert "Craponne-sur-Arzon" in text and "Département de la Haute-Loire" in text
