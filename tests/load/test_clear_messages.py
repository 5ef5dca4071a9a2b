"""Careless files get a message that says what the file or value is and what to do."""

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from annuaire.check.validate import validate_rows
from annuaire.cli import main
from annuaire.errors import UnusableInput
from annuaire.load import read_paths

TABLE = "Nom;Typologie;Commune\nMairie de Riom;Mairie;Riom\nPharmacie du Marché;Pharmacie;Riom\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_csv_without_byte_order_mark_is_read(tmp_path, encoding):
    p = tmp_path / "export.csv"
    p.write_bytes(TABLE.encode(encoding))
    res = read_paths([p])
    assert [r.fields["nom"] for r in res.rows] == ["Mairie de Riom", "Pharmacie du Marché"]


def test_workbook_renamed_csv(tmp_path):
    p = tmp_path / "services.csv"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("content.xml", "<x/>")
    with pytest.raises(
        UnusableInput, match="services.csv : ce fichier n’est pas un fichier texte CSV mais sans doute un classeur"
    ):
        read_paths([p])


def test_spreadsheet_error_values_are_named(tmp_path):
    p = tmp_path / "services.csv"
    p.write_text(
        "Nom;Typologie;Commune;Téléphone\n#DIV/0!;Mairie;Riom;#N/A\nMairie de Riom;Mairie;Err:502;04 73 31 20 00\n",
        encoding="utf-8",
    )
    res = validate_rows(read_paths([p]).rows)
    assert res.rejected == 2
    by_cell = {(i.row, i.column): i for i in res.issues}
    name = by_cell[(2, "Nom")]
    assert (name.code, name.severity) == ("valeur-erreur-tableur", "error")
    assert "« #DIV/0! » est une valeur d’erreur du tableur (division par zéro)" in name.message
    assert not [i for i in res.issues if i.code == "nom-manquant"]  # not « Nom manquant »
    assert by_cell[(2, "Téléphone")].severity == "warning"
    assert by_cell[(3, "Commune")].code == "valeur-erreur-tableur"
    assert not [i for i in res.issues if i.code == "commune-manquante"]


def test_error_cells_of_an_xlsx_are_not_read_as_empty(tmp_path):
    # The reader gives error cells as empty; the container scan finds them.
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nom", "Typologie", "Commune"])
    ws.append(["Mairie de Riom", "Mairie", "Riom"])
    ws.append([None, "Pharmacie", "Riom"])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    p = tmp_path / "calcul.xlsx"
    with zipfile.ZipFile(plain) as zi, zipfile.ZipFile(p, "w") as zo:
        for info in zi.infolist():
            data = zi.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<row r="3">', b'<row r="3"><c r="A3" t="e"><f>B9/C9</f><v>#DIV/0!</v></c>')
            zo.writestr(info, data)
    res = validate_rows(read_paths([p]).rows)
    (err,) = [i for i in res.issues if i.severity == "error"]
    assert (err.code, err.row, err.column) == ("valeur-erreur-tableur", 3, "A (Nom)")


def test_error_cells_of_an_ods_written_by_libreoffice_are_named(tmp_path):
    # Formulas computed by LibreOffice itself (tests/fixtures/sheets/make_formula_errors.py):
    # it writes each failed result as an empty string with the error as its text.
    ods = Path(__file__).resolve().parents[1] / "fixtures" / "sheets" / "formules_en_erreur.ods"
    res = validate_rows(read_paths([ods]).rows)
    by_cell = {(i.sheet, i.row, i.column): i for i in res.issues if i.code == "valeur-erreur-tableur"}
    expected = {
        (2, "D (Téléphone)"): ("#DIV/0!", "division par zéro"),
        (2, "E (Horaires)"): ("#N/A", "valeur non disponible"),
        (3, "D (Téléphone)"): ("Err:502", "formule cassée"),
        (3, "E (Horaires)"): ("#NAME?", "nom de fonction inconnu"),
        (4, "A (Nom)"): ("#REF!", "référence à une cellule supprimée"),
        (4, "D (Téléphone)"): ("#VALUE!", "valeur de mauvais type"),
        (5, "D (Téléphone)"): ("#N/A", "valeur non disponible"),  # after a repeated cell
    }
    assert set(by_cell) == {("Services", r, c) for r, c in expected}
    for (row, column), (value, meaning) in expected.items():
        issue = by_cell[("Services", row, column)]
        assert f"« {value} » est une valeur d’erreur du tableur ({meaning})" in issue.message
        assert issue.severity == ("error" if column == "A (Nom)" else "warning")
    assert not [i for i in res.issues if i.code == "nom-manquant"]  # the name is an error, not missing
    # Printed with the field left empty; the row whose name is an error is rejected.
    assert res.rejected == 1
    entries = {e.name: e for e in res.entries}
    assert set(entries) == {"Mairie de Riom", "Pharmacie du Marché", "Centre social"}
    assert all(e.phone is None for e in entries.values())
    assert entries["Mairie de Riom"].hours == () and entries["Pharmacie du Marché"].hours == ()
    assert entries["Centre social"].hours != ()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e308", "25"])
def test_absurd_bleed_is_refused(tmp_path, value):
    src = tmp_path / "services.csv"
    src.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "a.pdf"
    result = CliRunner().invoke(
        main, ["build", "--theme", "sante", str(src), "--out", str(out), f"--fond-perdu={value}"]
    )
    assert result.exit_code == 2, result.output
    assert "le fond perdu est une longueur en millimètres, entre 0 et 20" in result.output
    assert not out.exists()
