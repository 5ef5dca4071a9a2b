"""The contributor template: lists, formats, hints, and a full round trip.

The round trip writes the template for the CC Hautes Terres, fills it with
real services of the territory the way a secretary would (labels taken from
the drop-down list, codes typed as text), then reads and validates it with
the real loader and validator.  LibreOffice (when installed) opens the
template, exports it to CSV, and recalculates a filled copy so the Source
and Code INSEE formulas get their values.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from datetime import date
from importlib import resources
from pathlib import Path

import openpyxl
import pytest

from annuaire.reference import geo

from annuaire.reference import taxonomy
from annuaire.errors import UnknownTerritory
from annuaire.load import read_paths
from annuaire.load.headers import field_for, find_header_row
from annuaire.model import FIELDS
from annuaire.check.normalise import normalise_date, normalise_hours
from annuaire.workbooks.template import (
    DATA_ROWS,
    DATE_EXAMPLES,
    HOURS_EXAMPLES,
    GUIDE_SHEET,
    HEADERS,
    LISTS_SHEET,
    SERVICES_SHEET,
    write_template,
)
from annuaire.check.validate import validate_rows

TODAY = date(2026, 11, 27)
SOURCE = "Communauté de communes Hautes Terres"
HAUTES_TERRES = "200066637"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui"
)

COL = {f: i + 1 for i, f in enumerate(FIELDS)}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "modele-hautes-terres.xlsx"
    write_template(path, territory="CC Hautes Terres", source=SOURCE, today=TODAY)
    return path


def _list_values(wb, name: str) -> list[str]:
    """Values of a defined name's range (the drop-down list)."""
    dn = wb.defined_names[name]
    ((sheet, ref),) = list(dn.destinations)
    return [row[0].value for row in wb[sheet][ref.replace("$", "")] if row[0].value is not None]


def _member_names() -> list[str]:
    raw = json.loads(resources.files("annuaire.data").joinpath("epci.json").read_text(encoding="utf-8"))
    epci = next(e for e in raw if e["code"] == HAUTES_TERRES)
    g = geo.gazetteer()
    return [g.by_insee(m["code"]).name for m in epci["membres"]]


# ---------------------------------------------------------------- structure


def test_sheets_headers_and_layout(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [SERVICES_SHEET, GUIDE_SHEET, LISTS_SHEET]
    assert wb.active.title == SERVICES_SHEET
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb[LISTS_SHEET].protection.sheet
    ws = wb[SERVICES_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers == [HEADERS[f] for f in FIELDS]
    assert headers[:6] == ["Nom", "Typologie", "Adresse", "Complément d'adresse", "Code postal", "Commune"]
    # The loader reads each header the template writes as its own field.
    assert [field_for(h) for h in headers] == list(FIELDS)
    assert ws.freeze_panes == "B2"
    assert all(c.font.b for c in ws[1])
    for f in FIELDS:
        letter = openpyxl.utils.get_column_letter(COL[f])
        assert ws.column_dimensions[letter].width >= 10, f
    assert ws.column_dimensions["A"].width > ws.column_dimensions["E"].width  # Nom wider than CP


def test_text_format_keeps_leading_zeros(template):
    ws = openpyxl.load_workbook(template)[SERVICES_SHEET]
    for f in ("code_postal", "code_insee", "telephone"):
        for r in (2, 100, DATA_ROWS + 1):
            assert ws.cell(row=r, column=COL[f]).number_format == "@", (f, r)
    assert ws.cell(row=2, column=COL["mise_a_jour"]).number_format == "DD/MM/YYYY"


def test_typology_list_resolves_back_in_annex_order(template):
    wb = openpyxl.load_workbook(template)
    labels = _list_values(wb, "Typologies")
    resolved = [taxonomy.resolve(label) for label in labels]
    assert all(t is not None for t in resolved), [l for l, t in zip(labels, resolved) if t is None]
    codes = [t.code for t in resolved]
    assert len(set(codes)) == len(codes)  # each label names its own typology
    annex = [t.code for t in taxonomy.all_typologies()]
    assert codes == [c for c in annex if c in codes]  # sorted by theme, then group
    # All 175, each once; the label Annex 1 has twice (SP29 and SP50) is
    # told apart by the code in brackets on the second one.
    assert len(labels) == 175 and set(codes) == set(annex)
    assert "Pharmacie" in labels and "Mairie" in labels
    assert "Centre des impôts foncier et cadastre (SP50)" in labels


def test_commune_list_is_the_territory(template):
    wb = openpyxl.load_workbook(template)
    communes = _list_values(wb, "Communes")
    assert sorted(communes) == sorted(_member_names())
    assert len(communes) == 35
    assert {"Murat", "Massiac", "Neussargues en Pinatelle", "Allanche", "La Chapelle-d'Alagnon"} <= set(communes)


def test_dropdowns_and_hints_on_every_column(template):
    ws = openpyxl.load_workbook(template)[SERVICES_SHEET]
    by_col: dict[str, object] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_col[openpyxl.utils.get_column_letter(rng.min_col)] = (dv, rng)
    for f in FIELDS:
        letter = openpyxl.utils.get_column_letter(COL[f])
        dv, rng = by_col[letter]
        assert rng.min_row == 2 and rng.max_row == DATA_ROWS + 1
        assert dv.showInputMessage and dv.prompt and dv.promptTitle
        assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255  # Excel's limits
    typ, _ = by_col["B"]
    com, _ = by_col["F"]
    assert (typ.type, typ.formula1) == ("list", "Typologies")
    assert (com.type, com.formula1) == ("list", "Communes")


def test_guide_has_example_and_no_header_row(template):
    wb = openpyxl.load_workbook(template)
    guide = wb[GUIDE_SHEET]
    rows = [list(r) for r in guide.iter_rows(values_only=True)]
    text = "\n".join(str(v) for r in rows for v in r if v)
    # The example: the mairie of the CC's most populous commune, marked as such.
    # (Among the CC's own communes: the gazetteer knows their homonyms elsewhere in France.)
    biggest = max(
        (c for c in geo.gazetteer().communes.values() if c.name in _member_names() and c.departement == "15"),
        key=lambda c: c.population or 0,
    )
    assert f"Exemple : Mairie de {biggest.name} (exemple fictif" in text
    assert biggest.insee in text and "04 65 71 20 00" in text  # a number reserved for fiction
    assert "annuaire validate" in text and "six mois" in text
    assert "12/03/2025" in text  # date formats
    assert find_header_row(rows) is None
    # The data sheet has no example row: nothing to print by accident.
    assert wb[SERVICES_SHEET].cell(row=2, column=1).value is None


def test_formats_promised_by_the_guide_are_accepted():
    for text in HOURS_EXAMPLES:
        value, problems = normalise_hours(text)
        assert value and not problems, text
    for text in DATE_EXAMPLES:
        value, problems = normalise_date(text, today=TODAY)
        assert value and not problems, text


def test_blank_template_reads_no_rows(template):
    result = read_paths([template])
    assert result.rows == ()
    assert all(i.severity == "warning" for i in result.issues)


def test_source_formula_only_with_source(tmp_path):
    path = tmp_path / "sans-source.xlsx"
    write_template(path, territory="15138", today=TODAY)
    ws = openpyxl.load_workbook(path)[SERVICES_SHEET]
    assert ws.cell(row=2, column=COL["source"]).value is None
    assert _list_values(openpyxl.load_workbook(path), "Communes") == ["Murat"]


@pytest.mark.parametrize("text", ["Cantal", "15", HAUTES_TERRES, "15187"])
def test_territories(tmp_path, text):
    info = write_template(tmp_path / "m.xlsx", territory=text, today=TODAY)
    assert info.communes and len(info.typologies) >= 174


def test_unknown_territory_suggests(tmp_path):
    with pytest.raises(UnknownTerritory) as exc:
        write_template(tmp_path / "x.xlsx", territory="Hautes Tere")
    assert "Hautes Terres" in str(exc.value)


# ---------------------------------------------------------------- round trip


def _label(wb, code: str) -> str:
    """The drop-down label of a typology, as a user would pick it."""
    for label in _list_values(wb, "Typologies"):
        if taxonomy.resolve(label).code == code:
            return label
    raise AssertionError(code)


# Real services of the CC Hautes Terres (Etalab annuaire, France services,
# Éducation nationale, SNCF open data).
SERVICES = [
    dict(
        nom="Mairie de Murat",
        typ="SP04",
        adresse="Place de l'Hôtel-de-Ville",
        code_postal="15300",
        commune="Murat",
        telephone="04 71 20 03 80",
        courriel="administration@mairiedemurat.fr",
        site_web="www.murat.fr",
        horaires="Lundi au vendredi : 8h30-12h, 13h30-17h",
        mise_a_jour=date(2026, 10, 15),
    ),
    dict(
        nom="Communauté de communes Hautes Terres",
        typ="SP07",
        adresse="4 rue du Faubourg-Notre-Dame",
        code_postal="15300",
        commune="Murat",
        telephone="04 71 20 22 62",
        courriel="contact@hautesterres.fr",
        site_web="http://www.hautesterres.fr",
        mise_a_jour=date(2026, 9, 1),
    ),
    dict(
        nom="Point information jeunesse de Murat",
        typ="SP76",
        adresse="4 rue du Faubourg-Notre-Dame",
        code_postal="15300",
        commune="Murat",
        telephone="04 71 20 28 81",
        courriel="pij@hautesterres.fr",
        mise_a_jour=date(2026, 9, 1),
    ),
    dict(
        nom="France services de Massiac",
        typ="SP72",
        adresse="6 rue du Docteur Mallet",
        code_postal="15500",
        commune="Massiac",
        telephone="04 71 23 07 76",
        courriel="mdsmassiac@hautesterres.fr",
        horaires="du lundi au vendredi de 9h à 12h et de 13h30 à 17h",
        mise_a_jour=date(2026, 9, 1),
    ),
    dict(
        nom="Collège Pierre Galery",
        typ="EN07",
        adresse="1 avenue Jean Moulin",
        code_postal="15500",
        commune="Massiac",
        latitude=45.2506,
        longitude=3.1915,
        mise_a_jour=date(2026, 9, 1),
    ),
    dict(
        nom="Collège Maurice Peschaud",
        typ="EN07",
        adresse="3 place du Cézallier",
        code_postal="15160",
        commune="Allanche",
        mise_a_jour=date(2026, 9, 1),
    ),
    dict(
        nom="Gare de Murat",
        typ="VP01",
        commune="Murat",
        code_postal="15300",
        latitude=45.1091,
        longitude=2.8696,
        mise_a_jour=date(2026, 9, 1),
    ),
    dict(
        nom="Mairie de Bonnac",
        typ="SP04",
        adresse="Le Bourg",
        code_postal="15500",
        commune="Bonnac",
        telephone="04 71 23 07 67",
        courriel="mairie.bonnac.commune@wanadoo.fr",
        mise_a_jour=date(2026, 9, 1),
    ),
    # Chazelles has a homonym in Haute-Loire: the postal code (or the Code
    # INSEE formula, once recalculated) tells them apart.
    dict(
        nom="Mairie de Chazelles",
        typ="SP04",
        adresse="Le Bourg",
        code_postal="15500",
        commune="Chazelles",
        telephone="04 71 73 52 69",
        mise_a_jour=date(2026, 9, 1),
    ),
]


def _fill(template: Path, out: Path, services=SERVICES) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb[SERVICES_SHEET]
    for r, s in enumerate(services, start=2):
        for f, v in s.items():
            if f == "typ":
                ws.cell(row=r, column=COL["typologie"], value=_label(wb, v))
            else:
                ws.cell(row=r, column=COL[f], value=v)
    wb.save(out)


def _check_entries(entries, issues):
    assert [i for i in issues if i.severity == "error"] == []
    # Row-level warnings would mean the template invites a mistake.
    assert [i for i in issues if i.row is not None] == []
    assert len(entries) == len(SERVICES)
    by_name = {e.name: e for e in entries}
    murat = by_name["Mairie de Murat"]
    assert (murat.typology, murat.commune, murat.insee, murat.postcode) == ("SP04", "Murat", "15138", "15300")
    assert murat.phone == "04\u00a071\u00a020\u00a003\u00a080"
    assert murat.updated == date(2026, 10, 15)
    assert murat.hours
    assert by_name["Mairie de Chazelles"].insee == "15048"  # not Chazelles (43)
    assert by_name["Collège Maurice Peschaud"].postcode == "15160"
    assert by_name["Gare de Murat"].typology == "VP01"
    assert {e.typology for e in entries} == {s["typ"] for s in SERVICES}


def test_round_trip_filled_by_program(template, tmp_path):
    filled = tmp_path / "services-hautes-terres.xlsx"
    _fill(template, filled)
    loaded = read_paths([filled])
    assert [r.origin.row for r in loaded.rows] == list(range(2, 2 + len(SERVICES)))
    assert loaded.rows[0].columns["telephone"] == "H (Téléphone)"
    checked = validate_rows(loaded.rows, today=TODAY)
    assert checked.rejected == 0
    _check_entries(checked.entries, loaded.issues + checked.issues)


def _soffice(*args: str, cwd: Path) -> None:
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{cwd}/lo-profile", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=180,
    )


@needs_soffice
def test_libreoffice_opens_template_and_exports_csv(template, tmp_path):
    src = tmp_path / "modele.xlsx"
    shutil.copy(template, src)
    # 44,34,76: comma, double quote, UTF-8; the first sheet is exported.
    _soffice(
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76",
        "--outdir",
        str(tmp_path / "out"),
        str(src),
        cwd=tmp_path,
    )
    out = tmp_path / "out" / "modele.csv"
    with out.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == [HEADERS[f] for f in FIELDS]


@needs_soffice
def test_libreoffice_recalculates_source_and_insee(template, tmp_path):
    """Saved by LibreOffice, the formulas show the source and the INSEE code."""
    services = [dict(s) for s in SERVICES]
    chazelles = services[-1]
    del chazelles["code_postal"]  # only the commune, picked from the list
    filled = tmp_path / "rempli.xlsx"
    _fill(template, filled, services)
    _soffice("--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(filled), cwd=tmp_path)
    saved = tmp_path / "lo" / "rempli.xlsx"
    loaded = read_paths([saved])
    assert len(loaded.rows) == len(SERVICES)  # rows with empty formulas are blank
    checked = validate_rows(loaded.rows, today=TODAY)
    by_name = {e.name: e for e in checked.entries}
    assert by_name["Mairie de Chazelles"].insee == "15048"
    assert all(e.providers[0].name == SOURCE for e in checked.entries)
    assert [i for i in checked.issues if i.severity == "error"] == []


def test_template_name_must_be_xlsx(tmp_path):
    from annuaire.errors import AnnuaireError

    with pytest.raises(AnnuaireError):
        write_template(tmp_path / "modele.ods")
