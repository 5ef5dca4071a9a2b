"""The annotated workbook: problem cells coloured and commented, the rest untouched.

A contributor's workbook with its own formatting (a merged title row above
the header, bold header, a fill, column widths, a comment of its own) and
known mistakes goes through the real loader, validator and freshness check;
the annotated copy must carry one comment per problem cell, in two colours,
and a first sheet « Rapport » with the counts and the list of problems.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from annuaire.workbooks.annotate import ERROR_COLOUR, MARK, REPORT_SHEET, WARNING_COLOUR, annotate, comment_text
from annuaire.errors import AnnuaireError
from annuaire.check.freshness import stale_issues
from annuaire.load import read_paths
from annuaire.model import Counts, Issue
from annuaire.check.validate import validate_rows

TODAY = date(2026, 11, 27)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

HEADER = ["Nom", "Typologie", "Adresse", "Code postal", "Commune", "Téléphone", "Courriel", "Date de mise à jour"]
ROWS = [  # from row 3: row 1 is a title, row 2 the header
    [
        "Mairie de Murat",
        "Mairie",
        "Place de l'Hôtel-de-Ville",
        "15300",
        "Murat",
        "04 71 20 03 80",
        "administration@mairiedemurat.fr",
        date(2026, 10, 15),
    ],
    [
        "Pharmacie du Centre",
        "Pharmacei",
        "2 rue du Bon Secours",
        "15300",
        "Murat",
        "04 71 20",
        None,
        date(2026, 10, 1),
    ],  # 4: typology, phone
    [
        "Collège Pierre Galery",
        "Collège",
        "1 avenue Jean Moulin",
        "15500",
        "Muratt",
        None,
        "contact(at)college-massiac.fr",
        date(2026, 10, 1),
    ],  # 5: commune, e-mail
    [None, "Mairie", "Le Bourg", "15500", "Bonnac", "04 71 23 07 67", None, date(2026, 10, 1)],  # 6: no name
    [
        "Mairie de Chazelles",
        "Mairie",
        "Le Bourg",
        "15500",
        "Chazelles",
        "04 71 73 52 69",
        None,
        date(2025, 1, 10),
    ],  # 7: stale date
]


def _contributor(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Services 2026"
    ws["A1"] = "Services publics de la commune — saisie 2026"
    ws["A1"].font = Font(bold=True, size=16, color="1F4E79")
    ws.merge_cells("A1:H1")
    ws.append(HEADER)
    for c in ws[2]:
        c.font = Font(bold=True)
    for row in ROWS:
        ws.append(row)
    ws.column_dimensions["A"].width = 41.5
    ws.column_dimensions["F"].width = 19
    ws["C3"].fill = PatternFill("solid", fgColor="C6E0B4")  # the contributor's own highlight
    ws["A3"].comment = Comment("Vérifié avec la secrétaire", "Marie")
    for r in range(3, 8):
        ws.cell(row=r, column=8).number_format = "DD/MM/YYYY"
    wb.create_sheet("Notes")["A1"] = "Liste à compléter en janvier"
    wb.save(path)


def _run(path: Path, out: Path):
    loaded = read_paths([path])
    checked = validate_rows(loaded.rows, today=TODAY)
    issues = loaded.issues + checked.issues + stale_issues(checked.entries, TODAY)
    counts = Counts(rows_read=len(loaded.rows), printed=len(checked.entries), rejected=checked.rejected)
    written = annotate(path, issues, out, counts, today=TODAY)
    return written, issues, counts


@pytest.fixture()
def annotated(tmp_path):
    src = tmp_path / "services murat.xlsx"
    _contributor(src)
    out, issues, counts = _run(src, tmp_path / "rapport.xlsx")
    return src, out, issues, counts


def _colour(cell) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.fgColor.rgb)[-6:].upper()


def _comments(ws) -> dict[str, str]:
    return {
        c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if getattr(c, "comment", None) is not None
    }


def test_expected_problems_are_found(annotated):
    _, _, issues, counts = annotated
    codes = {(i.row, i.code) for i in issues if i.row is not None}
    assert {
        (4, "typologie-inconnue"),
        (4, "telephone-longueur"),
        (5, "commune-inconnue"),
        (5, "courriel-masque"),
        (6, "nom-manquant"),
        (7, "mise-a-jour-ancienne"),
    } <= codes
    assert counts.rejected == 3 and counts.printed == 2


def test_one_comment_per_problem_cell_in_two_colours(annotated):
    src, out, issues, _ = annotated
    ws = openpyxl.load_workbook(out)["Services 2026"]
    expected = {
        "B4": ("error", "Pharmacei"),
        "F4": ("error", None),
        "E5": ("error", "Muratt"),
        "G5": ("warning", None),
        "A6": ("error", None),
        "H7": ("warning", "plus de 6 mois"),
    }
    comments = {k: v for k, v in _comments(ws).items() if MARK in v}
    assert set(comments) == set(expected)
    for coord, (severity, word) in expected.items():
        assert _colour(ws[coord]) == (ERROR_COLOUR if severity == "error" else WARNING_COLOUR), coord
        if word:
            assert word in comments[coord]
    # Every located issue's message is in its cell's comment.
    letters = dict(zip(HEADER, "ABCDEFGH"))
    for i in issues:
        if i.row is None or i.row < 3:
            continue
        col = i.column.split(" (")[0] if " (" in i.column else letters.get(i.column, "H")
        assert i.message in comments[f"{col}{i.row}"]
    assert "Erreur" in comments["B4"] and "Avertissement" in comments["G5"]
    assert ws["H7"].comment.author == "annuaire"


def test_contributor_data_and_formatting_untouched(annotated):
    src, out, _, _ = annotated
    before = openpyxl.load_workbook(src)["Services 2026"]
    after = openpyxl.load_workbook(out)["Services 2026"]
    problem_cells = {"B4", "F4", "E5", "G5", "A6", "H7"}
    for row in before.iter_rows(min_row=1, max_row=before.max_row, max_col=before.max_column):
        for c in row:
            a = after[c.coordinate]
            assert a.value == c.value, c.coordinate
            # Styles are proxies that never compare equal: compare their contents.
            assert repr(a.font) == repr(c.font), c.coordinate
            assert repr(a.border) == repr(c.border) and repr(a.alignment) == repr(c.alignment)
            assert a.number_format == c.number_format, c.coordinate
            if c.coordinate not in problem_cells:
                assert repr(a.fill) == repr(c.fill), c.coordinate
    assert after["A1"].font.b and after["A1"].font.sz == 16
    assert [str(r) for r in after.merged_cells.ranges] == ["A1:H1"]
    assert after.column_dimensions["A"].width == 41.5 and after.column_dimensions["F"].width == 19
    assert _colour(after["C3"]) == "C6E0B4"
    assert after["A3"].comment.text == "Vérifié avec la secrétaire"
    assert openpyxl.load_workbook(out)["Notes"]["A1"].value == "Liste à compléter en janvier"


def test_report_sheet_first_with_counts_and_links(annotated):
    src, out, issues, counts = annotated
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == REPORT_SHEET and wb.active.title == REPORT_SHEET
    ws = wb[REPORT_SHEET]
    cells = {
        c.value: ws.cell(row=c.row, column=3).value
        for row in ws.iter_rows(max_col=1)
        for c in row
        if isinstance(c.value, str)
    }
    assert cells["Lignes lues"] == 5 and cells["Imprimées"] == 2 and cells["Rejetées (erreur)"] == 3
    assert cells["Doublons fusionnés"] == 0 and cells["Hors thème ou hors territoire"] == 0
    assert src.name in ws["A1"].value
    head = next(r for r in ws.iter_rows() if r[0].value == "Gravité")
    assert [c.value for c in head] == [
        "Gravité",
        "Feuille",
        "Ligne",
        "Colonne",
        "Cellule",
        "Valeur",
        "Problème",
        "Code",
    ]
    listed = [r for r in ws.iter_rows(min_row=head[0].row + 1) if r[0].value]
    assert len(listed) == len(issues)
    row = next(r for r in listed if r[7].value == "typologie-inconnue")
    assert (row[0].value, row[1].value, row[2].value, row[3].value, row[5].value) == (
        "Erreur",
        "Services 2026",
        4,
        "B (Typologie)",
        "Pharmacei",
    )
    assert row[4].value == "B4" and row[4].hyperlink.location == "'Services 2026'!B4"
    stale = next(r for r in listed if r[7].value == "mise-a-jour-ancienne")
    assert stale[4].value == "H7"  # 'Mise à jour' found under the header 'Date de mise à jour'


def test_annotating_again_replaces_old_annotations(annotated, tmp_path):
    """The contributor corrects the annotated copy and checks it again."""
    _, out, _, _ = annotated
    wb = openpyxl.load_workbook(out)
    ws = wb["Services 2026"]
    ws["B4"] = "Pharmacie"
    wb.save(out)
    again = annotate(
        out,
        [Issue("warning", "x", "Un seul problème.", file=out.name, sheet="Services 2026", row=3, column="A (Nom)")],
        tmp_path / "rapport2.xlsx",
        today=TODAY,
    )
    wb2 = openpyxl.load_workbook(again)
    assert wb2.sheetnames.count(REPORT_SHEET) == 1
    ws2 = wb2["Services 2026"]
    comments = _comments(ws2)
    assert set(comments) == {"A3"}
    assert comments["A3"].startswith("Vérifié avec la secrétaire")  # the contributor's own, kept
    assert "Un seul problème." in comments["A3"]
    assert _colour(ws2["B4"]) is None and _colour(ws2["C3"]) == "C6E0B4"


def test_several_issues_on_one_cell_make_one_comment():
    issues = [Issue("warning", "a", "Premier problème."), Issue("error", "b", "Second problème.")]
    text = comment_text(issues)
    assert text.index("Second problème.") < text.index("Premier problème.")  # errors first
    assert text.count("• ") == 2


def test_row_issue_without_column_goes_on_first_cell(tmp_path):
    src = tmp_path / "c.xlsx"
    _contributor(src)
    out = annotate(
        src,
        [Issue("error", "ligne", "Ligne en double.", file="c.xlsx", sheet="Services 2026", row=5)],
        tmp_path / "o.xlsx",
    )
    ws = openpyxl.load_workbook(out)["Services 2026"]
    assert "Ligne en double." in ws["A5"].comment.text and _colour(ws["A5"]) == ERROR_COLOUR


def test_csv_input_gives_an_annotated_xlsx(tmp_path):
    src = tmp_path / "cantal.csv"
    lines = [
        "Nom;Typologie;Adresse;Code postal;Commune;Mise à jour",
        "Mairie de Murat;Mairie;Place de l'Hôtel-de-Ville;15300;Murat;15/10/2026",
        "Pharmacie;Pharmacei;2 rue de Paris;03000;Moulins;15/10/2026",
        '"Gare de Murat";Gare ferroviaire;"Place de la Gare\nBP 2";15300;Murat;2024-01-10',
        "Gare de Massiac;Gare ferroviaire;;15500;Massiac;2024-01-10",
    ]
    src.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    with pytest.raises(AnnuaireError):  # the annotated copy is always an .xlsx
        _run(src, tmp_path / "rapport.ods")
    out, issues, counts = _run(src, tmp_path / "rapport.xlsx")
    assert out.exists()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [REPORT_SHEET, "cantal"]
    ws = wb["cantal"]
    assert ws["A1"].value == "Nom" and ws["D3"].value == "03000"  # values as read, text kept
    assert ws["C4"].value == "Place de la Gare\nBP 2"  # a quoted field on two lines stays one cell
    assert "Typologie « Pharmacei » inconnue" in ws["B3"].comment.text and _colour(ws["B3"]) == ERROR_COLOUR
    assert "plus de 6 mois" in ws["F4"].comment.text and _colour(ws["F4"]) == WARNING_COLOUR
    # The record after it starts on line 6 of the file: it sits on row 6, as
    # the Rapport says, and row 5 (the second line of the record) stays empty.
    assert ws["A6"].value == "Gare de Massiac" and ws["A5"].value is None
    assert "plus de 6 mois" in ws["F6"].comment.text
    assert {i.row for i in issues if i.code == "mise-a-jour-ancienne"} == {4, 6}
    report = wb[REPORT_SHEET]
    texts = " ".join(str(c.value) for row in report.iter_rows() for c in row if c.value)
    assert "n’est pas un classeur Excel" in texts and "cantal.csv" in texts


def test_excel_unicode_text_is_annotated_like_the_loader_reads_it(tmp_path):
    # Excel « Texte Unicode (*.txt) »: UTF-16 with a BOM, tabs; the loader reads it,
    # so the annotated copy must too (it used to stop on the undecoded bytes).
    src = tmp_path / "services.txt"
    src.write_bytes(
        "Nom\tTypologie\tCode postal\tCommune\r\n"
        "Mairie de Dienne\tMairie\t15300\tDienne\r\n"
        "Pharmacie\tPharmacei\t15300\tMurat\r\n".encode("utf-16")
    )
    out, issues, _ = _run(src, tmp_path / "rapport.xlsx")
    ws = openpyxl.load_workbook(out)["services"]
    assert ws["A1"].value == "Nom" and ws["A2"].value == "Mairie de Dienne" and ws["C2"].value == "15300"
    assert "Typologie « Pharmacei » inconnue" in ws["B3"].comment.text and _colour(ws["B3"]) == ERROR_COLOUR


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_ods_input_gives_an_annotated_xlsx(tmp_path):
    xlsx = tmp_path / "murat.xlsx"
    _contributor(xlsx)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path / "ods"),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ods = tmp_path / "ods" / "murat.ods"
    out, issues, _ = _run(ods, tmp_path / "rapport.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == REPORT_SHEET and "Services 2026" in wb.sheetnames
    ws = wb["Services 2026"]
    assert ws["A3"].value == "Mairie de Murat" and ws["D3"].value == "15300"
    assert "Pharmacei" in ws["B4"].comment.text and _colour(ws["B4"]) == ERROR_COLOUR
    assert _colour(ws["H7"]) == WARNING_COLOUR


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_annotated_copy_of_an_ods_keeps_merged_cells(tmp_path):
    """Rows 6 and 7 share a merged Commune cell: the copy keeps the merge, so
    the contributor who corrects the copy and checks it again gets the same rows."""
    xlsx = tmp_path / "murat.xlsx"
    _contributor(xlsx)
    wb = openpyxl.load_workbook(xlsx)
    wb["Services 2026"]["E7"] = None
    wb["Services 2026"].merge_cells("E6:E7")  # Bonnac for both rows
    wb.save(xlsx)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path / "ods"),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out, _, _ = _run(tmp_path / "ods" / "murat.ods", tmp_path / "rapport.xlsx")
    ws = openpyxl.load_workbook(out)["Services 2026"]
    assert "E6:E7" in {str(r) for r in ws.merged_cells.ranges}
    again = {r.origin.row: r for r in read_paths([out]).rows}
    assert again[7].fields["commune"] == "Bonnac"


def test_issues_of_other_files_are_left_out(tmp_path):
    src = tmp_path / "a.xlsx"
    _contributor(src)
    out = annotate(
        src,
        [Issue("error", "x", "Autre fichier.", file="b.xlsx", sheet="Services 2026", row=3, column="A (Nom)")],
        tmp_path / "o.xlsx",
    )
    wb = openpyxl.load_workbook(out)
    assert not [c for c in _comments(wb["Services 2026"]).values() if MARK in c]


def test_contributor_sheet_named_rapport_is_kept(tmp_path):
    src = tmp_path / "r.xlsx"
    _contributor(src)
    wb = openpyxl.load_workbook(src)
    wb.create_sheet("Rapport")["A1"] = "Rapport du conseil municipal"
    wb.save(src)
    out = annotate(src, [], tmp_path / "o.xlsx")
    again = annotate(out, [], tmp_path / "o2.xlsx")
    for path in (out, again):
        wb = openpyxl.load_workbook(path)
        assert wb.active.title == wb.sheetnames[0] == "Rapport1"
        assert wb["Rapport"]["A1"].value == "Rapport du conseil municipal"
        assert len(wb.sheetnames) == 4


def test_never_overwrites_the_checked_file(tmp_path):
    src = tmp_path / "a.xlsx"
    _contributor(src)
    with pytest.raises(AnnuaireError):
        annotate(src, [], src)
