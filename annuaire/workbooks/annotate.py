"""The contributor's own workbook, with every problem shown on its cell.

``annotate(src_path, issues, out_path, counts=None)`` writes a copy of the
file that ``annuaire validate`` checked:

* every cell with a problem gets a fill (red for an error: the row is not
  printed; yellow for a warning: printed, to check) and a comment in French
  saying what is wrong and how to fix it; several problems on one cell make
  one comment listing them; a problem of the whole row (no column) goes on
  the row's first cell; a column named by its header ("Mise à jour", from
  :mod:`annuaire.check.freshness`, or a CSV header) is found in the sheet's header
  row, any header the loader maps to the same field included;
* a first sheet « Rapport »: the counts (lignes lues, imprimées, rejetées,
  doublons, hors thème ou hors territoire), a legend, and the list of
  problems (gravité, feuille, ligne, colonne, cellule with a link to it,
  valeur, problème, code).

An .xlsx/.xlsm is loaded with openpyxl, styles and rich text kept, so the
contributor's data and formatting are untouched apart from the fills and
comments of the problem cells (openpyxl drops images and charts, and the
cached results of formulas, which Excel and LibreOffice recompute).  An .ods,
.xls or .csv cannot be written back as it came: a new .xlsx is written with
the values as the loader read them (CSV values as text, at the row of their
line in the file) and the same annotations, and the Rapport sheet says so.

Annotating a workbook annotated before (the contributor corrected the copy
and checks it again) first removes the old Rapport sheet and the old
annotations: comments carry a marker, fills use two colours of their own.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from annuaire import output
from annuaire.text.french import plural
from annuaire.workbooks import cells
from annuaire.model import Counts, Issue
from annuaire.check.normalise.dates import format_date

REPORT_SHEET = "Rapport"
AUTHOR = "annuaire"
# Start of every comment this module writes; what comes before it is the
# contributor's own comment, kept when the cell is annotated again.
MARK = "— Vérification annuaire —"
TITLE = "Rapport de vérification"

# Colours of our own (not Excel's built-in « Mauvais »/« Neutre » styles) so a
# later run can tell its fills from the contributor's.
ERROR_COLOUR = "FFB4B4"
WARNING_COLOUR = "FFE699"
ERROR_FILL = PatternFill("solid", fgColor=ERROR_COLOUR)
WARNING_FILL = PatternFill("solid", fgColor=WARNING_COLOUR)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LINK_FONT = Font(color="0563C1", underline="single")

XLSX_SUFFIXES = (".xlsx", ".xlsm")
_LETTER_COLUMN = re.compile(r"^([A-Z]{1,3}) \(.*\)$")
_SEVERITY_FR = {"error": "Erreur", "warning": "Avertissement", "info": "Information"}


@dataclass(frozen=True)
class _Target:
    sheet: str
    row: int
    column: int


# ---------------------------------------------------------------- reading


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES


def _safe_title(text: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", text).strip("'") or "Données"
    title = title[:31]
    return "Données" if title == REPORT_SHEET else title


def _csv_workbook(path: Path) -> Workbook:
    """The CSV as the loader reads it, one record per row, at its line number."""
    from annuaire.load.spreadsheet import csv_bytes, csv_delimiter, decode, parse_csv

    text = decode(csv_bytes(path))
    records, lines = parse_csv(text, csv_delimiter(text))
    wb = Workbook()
    ws = wb.active
    ws.title = _safe_title(path.stem)
    for line, record in zip(lines, records):
        for c, value in enumerate(record, start=1):
            if value != "":
                ws.cell(row=line, column=c, value=value).number_format = "@"
    return wb


def _calamine_workbook(path: Path) -> Workbook:
    """An .ods/.xls as the loader reads it (python-calamine), cell for cell."""
    import python_calamine

    from annuaire.load.spreadsheet import _blank_xls_zeros, _ods_merged_ranges

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    ods_merges = _ods_merged_ranges(path) if path.suffix.lower() == ".ods" else {}
    wb = Workbook()
    wb.remove(wb.active)
    for name in book.sheet_names:
        ws = wb.create_sheet(_safe_title(name) if len(name) > 31 else name)
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        if path.suffix.lower() == ".xls":
            _blank_xls_zeros(rows)  # text formulas read as 0, as the loader does
        merged = ods_merges.get(name, ()) if ods_merges else (getattr(sheet, "merged_cell_ranges", None) or ())
        for r, row_values in enumerate(rows, start=1):
            for c, value in enumerate(row_values, start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                    value = int(value)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, datetime) or isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
        # Merged cells stay merged: the copy looks like the file the contributor
        # knows, and reads back (merged value on every row) as the original did.
        for (r0, c0), (r1, c1) in merged:
            if (r1, c1) != (r0, c0):
                ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    if not wb.worksheets:
        wb.create_sheet("Données")
    return wb


def _open(path: Path, out_path: Path) -> tuple[Workbook, bool]:
    """(workbook to annotate, whether it is a converted copy)."""
    suffix = path.suffix.lower()
    if _is_xlsx(path):
        keep_vba = suffix == ".xlsm" and out_path.suffix.lower() == ".xlsm"
        try:
            try:
                return load_workbook(path, rich_text=True, keep_vba=keep_vba), False
            except TypeError:  # openpyxl without rich_text support
                return load_workbook(path, keep_vba=keep_vba), False
        except _UNREADABLE_PARTS as exc:
            raise _unreadable_copy(path, exc) from None
    if suffix in (".csv", ".tsv", ".txt"):
        return _csv_workbook(path), True
    return _calamine_workbook(path), True


# openpyxl reads parts the loader never opens (comments, drawings, styles,
# defined names): a malformed or hostile one (entity expansion) stops it with
# an XML syntax error (lxml's and ElementTree's derive from SyntaxError), a
# missing part with KeyError, a bad value with ValueError.
_UNREADABLE_PARTS = (SyntaxError, KeyError, ValueError, zipfile.BadZipFile, EOFError)


def _unreadable_copy(path: Path, exc: Exception):
    from annuaire.errors import UnusableInput

    said = " ".join(str(exc).split())[:160] or type(exc).__name__
    return UnusableInput(
        f"{path.name} : le classeur a été vérifié (voir ci-dessus) mais il ne peut pas être recopié "
        f"pour l’annoter : une de ses parties (commentaires, dessins, styles…) est illisible ou "
        f"piégée (le lecteur signale : {said}). Ouvrez-le dans LibreOffice ou Excel, enregistrez-le "
        "à nouveau au format .xlsx, puis relancez la vérification avec --annote."
    )


# ---------------------------------------------------------------- locating


def _same_file(issue_file: str | None, src: Path, given: str) -> bool:
    if issue_file is None:
        return True
    return issue_file in (given, src.name, str(src)) or Path(issue_file).name == src.name


def _values(ws, max_rows: int = 20) -> list[list[Any]]:
    rows = []
    for r in ws.iter_rows(min_row=1, max_row=min(ws.max_row, max_rows), values_only=True):
        rows.append(list(r))
    return rows


class _Headers:
    """Header row of each sheet, found as the loader finds it."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._cache: dict[str, tuple[int | None, list[Any]]] = {}

    def of(self, sheet: str) -> tuple[int | None, list[Any]]:
        if sheet not in self._cache:
            from annuaire.load.headers import find_header_row

            rows = _values(self.wb[sheet])
            h = find_header_row(rows)
            self._cache[sheet] = (None, []) if h is None else (h + 1, rows[h])
        return self._cache[sheet]

    def column(self, sheet: str, name: str) -> int | None:
        """Column index (1-based) of the header ``name``, or of the header the
        loader maps to the same field ('Date MAJ' for 'Mise à jour')."""
        from annuaire.load.headers import field_for, header_key

        _, header = self.of(sheet)
        key, field = header_key(name), field_for(name)
        for i, h in enumerate(header, start=1):
            if isinstance(h, str) and header_key(h) == key:
                return i
        if field is not None:
            for i, h in enumerate(header, start=1):
                if isinstance(h, str) and field_for(h) == field:
                    return i
        return None

    def first_column(self, sheet: str) -> int:
        _, header = self.of(sheet)
        for i, h in enumerate(header, start=1):
            if h is not None and str(h).strip():
                return i
        return 1


def _target(
    issue: Issue, wb: Workbook, headers: _Headers, data_sheets: list[str], converted_csv: bool
) -> _Target | None:
    if issue.row is None or issue.row < 1:
        return None
    if issue.sheet is not None and issue.sheet in wb.sheetnames:
        sheet = issue.sheet
    elif issue.sheet is None and (converted_csv or len(data_sheets) == 1) and data_sheets:
        sheet = data_sheets[0]
    else:
        return None
    col: int | None = None
    if issue.column:
        # CSV columns are named by their header, which may itself look like
        # 'Tel (fixe)': the header is tried first there, the letter form first
        # in workbooks ('E (Téléphone)').
        m = _LETTER_COLUMN.match(issue.column)
        if converted_csv:
            col = headers.column(sheet, issue.column)
        if col is None and m:
            col = column_index_from_string(m.group(1))
        if col is None:
            col = headers.column(sheet, issue.column)
    if col is None:
        col = headers.first_column(sheet)
    return _Target(sheet, issue.row, col)


# ---------------------------------------------------------------- writing


def _strip_old(wb: Workbook) -> None:
    """Remove what an earlier run of annotate added."""
    for ws in list(wb.worksheets):
        if ws.title.startswith(REPORT_SHEET) and isinstance(ws["A1"].value, str) and ws["A1"].value.startswith(TITLE):
            wb.remove(ws)
        elif (
            ws.title.startswith(MAPPING_SHEET)
            and isinstance(ws["A1"].value, str)
            and ws["A1"].value.startswith(MAPPING_TITLE)
        ):
            wb.remove(ws)
    ours = {ERROR_COLOUR, WARNING_COLOUR}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                if cell.comment is not None and MARK in (cell.comment.text or ""):
                    before = cell.comment.text.split(MARK, 1)[0].rstrip()
                    cell.comment = Comment(before, cell.comment.author) if before else None
                fill = cell.fill
                if fill is not None and fill.fill_type == "solid":
                    rgb = str(getattr(fill.fgColor, "rgb", "") or "")
                    if rgb[-6:].upper() in ours:
                        cell.fill = PatternFill(fill_type=None)


def _anchor(ws, row: int, col: int):
    """The cell to write on: the top-left one when inside merged cells."""
    cell = ws.cell(row=row, column=col)
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def comment_text(issues: Sequence[Issue]) -> str:
    """French text of the comment on one cell, errors first."""
    ordered = sorted(issues, key=lambda i: i.severity != "error")
    lines = [MARK]
    for i in ordered:
        label = "Erreur (ligne non imprimée)" if i.severity == "error" else "Avertissement"
        bullet = "• " if len(ordered) > 1 else ""
        lines.append(f"{bullet}{label} : {i.message}")
    return "\n".join(lines)


def _comment(text: str, previous: Comment | None) -> Comment:
    if previous is not None and previous.text and previous.text.strip():
        text = previous.text.rstrip() + "\n\n" + text
    chars = sum(max(1, len(line) // 48 + 1) for line in text.splitlines())
    c = Comment(text, AUTHOR)
    c.width = 340
    c.height = min(600, 16 * chars + 10)
    return c


def _plural(n: int, one: str, many: str) -> str:
    return plural(n, one, many, sep=" ")  # a workbook cell: plain space


def _report_sheet(
    wb: Workbook,
    src_name: str,
    listed: list[tuple[Issue, _Target | None]],
    counts: Counts | None,
    converted: bool,
    today: date,
):
    # A sheet of the contributor's may already be called « Rapport »: openpyxl
    # then names ours « Rapport1 », and the caller uses the sheet returned.
    ws = wb.create_sheet(REPORT_SHEET, 0)
    widths = {"A": 16, "B": 18, "C": 8, "D": 24, "E": 10, "F": 28, "G": 90, "H": 24}
    for letter, w in widths.items():
        ws.column_dimensions[letter].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    r = 1
    ws.cell(row=r, column=1, value=f"{TITLE} — {src_name}").font = Font(bold=True, size=14)
    r += 1
    when = format_date(today).replace("\u00a0", " ")
    ws.cell(row=r, column=1, value=f"Vérifié le {when} par annuaire validate.")
    r += 1
    if converted:
        c = ws.cell(
            row=r,
            column=1,
            value=(
                f"« {src_name} » n’est pas un classeur Excel (.xlsx) : ce classeur est une copie de ses "
                "valeurs telles qu’elles ont été lues, sans sa mise en forme, avec les problèmes signalés. "
                "Corrigez votre fichier d’origine, puis vérifiez-le de nouveau."
            ),
        )
        c.font = Font(bold=True, color="9C0006")
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
        ws.row_dimensions[r].height = 32
        r += 1
    r += 1

    errors = [i for i, _ in listed if i.severity == "error"]
    warnings = [i for i, _ in listed if i.severity != "error"]
    ws.cell(row=r, column=1, value="Lignes").font = Font(bold=True, size=12)
    r += 1
    rows_counts: list[tuple[str, Any]] = []
    if counts is not None:
        rows_counts += [
            ("Lignes lues", counts.rows_read),
            ("Imprimées", counts.printed),
            ("Rejetées (erreur)", counts.rejected),
            ("Doublons fusionnés", counts.duplicates),
            ("Hors thème ou hors territoire", counts.out_of_scope),
            ("Retirées (remplacées par une édition plus récente, EPCI dissoutes)", counts.withdrawn),
        ]
    error_rows = {(i.sheet, i.row) for i in errors if i.row is not None}
    warning_rows = {(i.sheet, i.row) for i in warnings if i.row is not None}
    rows_counts += [
        ("Lignes avec une erreur", len(error_rows)),
        ("Lignes avec un avertissement", len(warning_rows)),
    ]
    for label, value in rows_counts:
        ws.cell(row=r, column=1, value=label)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.cell(row=r, column=3, value=value).font = Font(bold=True)
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Légende").font = Font(bold=True, size=12)
    r += 1
    legend = [
        (
            ERROR_FILL,
            "Erreur",
            f"{_plural(len(errors), 'erreur', 'erreurs')} : la ligne n’est pas imprimée tant que ce n’est pas corrigé.",
        ),
        (
            WARNING_FILL,
            "Avertissement",
            f"{_plural(len(warnings), 'avertissement', 'avertissements')} : la ligne est imprimée, "
            "mais l’information est à vérifier.",
        ),
    ]
    for fill, label, text in legend:
        ws.cell(row=r, column=1, value=label).fill = fill
        ws.cell(row=r, column=2, value=text)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=7)
        r += 1
    c = ws.cell(
        row=r,
        column=1,
        value=(
            "Dans les feuilles, chaque cellule à revoir est colorée ; passez la souris dessus pour lire "
            "le commentaire, ou cliquez sur le lien de la colonne « Cellule » ci-dessous. Corrigez votre "
            "fichier, puis relancez la vérification."
        ),
    )
    c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    ws.row_dimensions[r].height = 30
    r += 2

    ws.cell(row=r, column=1, value="Problèmes").font = Font(bold=True, size=12)
    r += 1
    head = ["Gravité", "Feuille", "Ligne", "Colonne", "Cellule", "Valeur", "Problème", "Code"]
    for c, h in enumerate(head, start=1):
        cell = ws.cell(row=r, column=c, value=h)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    table_top = r
    ws.freeze_panes = ws.cell(row=r + 1, column=1)
    r += 1
    if not listed:
        ws.cell(row=r, column=1, value="Aucun problème : le fichier est prêt pour l’impression.")
        r += 1
    for issue, target in listed:
        sev = ws.cell(row=r, column=1, value=_SEVERITY_FR.get(issue.severity, issue.severity))
        sev.fill = ERROR_FILL if issue.severity == "error" else WARNING_FILL
        ws.cell(row=r, column=2, value=target.sheet if target else issue.sheet)
        ws.cell(row=r, column=3, value=issue.row)
        ws.cell(row=r, column=4, value=issue.column)
        if target is not None:
            coord = f"{get_column_letter(target.column)}{target.row}"
            link = ws.cell(row=r, column=5, value=coord)
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"{quote_sheetname(target.sheet)}!{coord}", tooltip="Aller à la cellule"
            )
            link.font = LINK_FONT
        value = ws.cell(row=r, column=6, value=issue.value)
        value.number_format = "@"
        msg = ws.cell(row=r, column=7, value=issue.message)
        msg.alignment = Alignment(wrap_text=True, vertical="top")
        # Explicit height: LibreOffice does not grow rows for wrapped text on load.
        lines = sum(len(part) // 95 + 1 for part in issue.message.splitlines() or [""])
        ws.row_dimensions[r].height = 15 * max(1, lines)
        ws.cell(row=r, column=8, value=issue.code)
        for c in (1, 2, 3, 4, 5, 6, 8):
            ws.cell(row=r, column=c).alignment = Alignment(vertical="top")
        r += 1
    if listed:
        ws.auto_filter.ref = f"A{table_top}:H{r - 1}"
    return ws


MAPPING_SHEET = "Correspondances"
MAPPING_TITLE = "Correspondances des colonnes"


def _mapping_sheet(wb: Workbook, src_name: str, mappings: Sequence, out_name: str):
    """First sheet: « votre colonne → notre champ », the categories and the
    sheets, in the layout :mod:`annuaire.load.correspondences` reads back."""
    from annuaire.load.headers import LABELS
    from annuaire.reference import taxonomy

    ws = wb.create_sheet(MAPPING_SHEET, 0)
    for letter, w in {"A": 22, "B": 34, "C": 30, "D": 11, "E": 70, "F": 9}.items():
        ws.column_dimensions[letter].width = w
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    ws.cell(row=r, column=1, value=f"{MAPPING_TITLE} — {src_name}").font = Font(bold=True, size=14)
    r += 1
    found = [m for m in mappings if m.header_row is not None]
    if found:
        text = (
            "Voici comment les colonnes de votre fichier ont été lues. Si une ligne est fausse, "
            "corrigez la colonne « Notre champ » (laissez-la vide pour ignorer la colonne) ; complétez "
            "la typologie de vos catégories ; enregistrez ce classeur, puis relancez : "
            f"annuaire validate {src_name} --correspondances {out_name}. Gardez ce classeur : il "
            "resservira pour la prochaine édition de votre fichier."
        )
    else:
        text = (
            "Aucune ligne d’en-tête n’a été trouvée dans les 20 premières lignes de chaque feuille : "
            "rien n’a pu être lu. Ajoutez au-dessus de vos données une ligne qui nomme les colonnes "
            "(Nom, Typologie, Adresse, Code postal, Commune, Téléphone, Courriel, Site web, Horaires "
            "ou Lundi … Dimanche, Description, Mise à jour), puis vérifiez de nouveau. Vous pouvez "
            "aussi partir du modèle : annuaire modele -o modele.xlsx."
        )
    c = ws.cell(row=r, column=1, value=text)
    c.alignment = wrap
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    ws.row_dimensions[r].height = 62
    r += 2
    if found:
        ws.cell(row=r, column=1, value="Colonnes").font = Font(bold=True, size=12)
        r += 1
        for c_, h in enumerate(
            ["Feuille", "Votre colonne", "Notre champ", "Confiance", "Pourquoi", "Colonne"], start=1
        ):
            cell = ws.cell(row=r, column=c_, value=h)
            cell.font = bold
            cell.fill = HEADER_FILL
        r += 1
        for m in found:
            for col in m.columns:
                ws.cell(row=r, column=1, value=m.sheet or src_name)
                ws.cell(row=r, column=2, value=col.header)
                target = ws.cell(row=r, column=3, value=LABELS.get(col.field, "") if col.field else None)
                if not col.field:
                    target.fill = WARNING_FILL
                conf = ws.cell(row=r, column=4, value=col.confidence if col.field else None)
                conf.number_format = "0%"
                why = ws.cell(row=r, column=5, value=col.reason if col.field else "ignorée : " + col.reason)
                why.alignment = wrap
                ws.cell(row=r, column=6, value=col.letter)
                r += 1
        r += 1
    cats = [(m, c_) for m in found for c_ in m.categories]
    if cats:
        ws.cell(row=r, column=1, value="Catégories").font = Font(bold=True, size=12)
        r += 1
        for c_, h in enumerate(["Votre catégorie", "Lignes", "Typologie (annexe 1)", "Confiance", "Comment"], start=1):
            cell = ws.cell(row=r, column=c_, value=h)
            cell.font = bold
            cell.fill = HEADER_FILL
        r += 1
        for _, cat in sorted(cats, key=lambda mc: (mc[1].match.code is not None, -mc[1].rows)):
            mt = cat.match
            label = taxonomy.typology(mt.code).print_label if mt.code else None
            how = mt.how
            conf = mt.confidence if mt.code else None
            if not mt.code and mt.proposal:
                if mt.confidence >= 0.9:
                    label, conf = mt.proposal, mt.confidence
                    how = "proposition à vérifier"
                else:
                    how = f"à compléter (proposition : {mt.proposal}, {mt.confidence:.0%})".replace("%", " %")
            elif not mt.code:
                how = "à compléter : choisissez une typologie (annuaire themes), ou laissez vide"
            if mt.others:
                how += " ; aussi : " + ", ".join(mt.others)
            ws.cell(row=r, column=1, value=cat.value).number_format = "@"
            ws.cell(row=r, column=2, value=cat.rows)
            t = ws.cell(row=r, column=3, value=label)
            if how != "annexe 1" and how != "vos correspondances":
                t.fill = WARNING_FILL
            ws.cell(row=r, column=4, value=conf).number_format = "0%"
            ws.cell(row=r, column=5, value=how).alignment = wrap
            r += 1
        r += 1
    ws.cell(row=r, column=1, value="Feuilles").font = Font(bold=True, size=12)
    r += 1
    for c_, h in enumerate(
        ["Feuille", "Typologie de toute la feuille", "Source", "Ligne d’en-tête", "Lignes lues"], start=1
    ):
        cell = ws.cell(row=r, column=c_, value=h)
        cell.font = bold
        cell.fill = HEADER_FILL
    r += 1
    for m in mappings:
        ws.cell(row=r, column=1, value=m.sheet or src_name)
        ws.cell(row=r, column=2, value=taxonomy.typology(m.typology).print_label if m.typology else None)
        ws.cell(row=r, column=3, value=m.source)
        ws.cell(row=r, column=4, value=m.header_row if m.header_row else "introuvable")
        ws.cell(row=r, column=5, value=m.rows)
        r += 1
    ws.freeze_panes = "A4"
    return ws


def annotate(
    src_path: str | Path,
    issues: Sequence[Issue] | Iterable[Issue],
    out_path: str | Path,
    counts: Counts | None = None,
    today: date | None = None,
    mappings: Sequence = (),
) -> Path:
    """Write the annotated copy of ``src_path`` to ``out_path``; return the path written.

    ``issues`` may hold issues of other files (a run over several inputs):
    only those of ``src_path`` (matched by file name) and those of no file
    are used.  The output is always an Excel workbook: an output name that
    does not end in .xlsx/.xlsm raises :class:`AnnuaireError`, as does the
    name of the checked file itself (it is never overwritten).

    ``mappings`` (:class:`annuaire.load.spreadsheet.SheetMapping`, those of
    this file) add a first sheet « Correspondances »: how each column was
    read, the categories and their typologies, for the user to correct and
    give back with ``--correspondances``."""
    from annuaire.errors import AnnuaireError, UnusableInput

    src = Path(src_path)
    out = Path(out_path)
    if out.suffix.lower() not in XLSX_SUFFIXES:
        raise AnnuaireError(
            f"{out} : le classeur annoté est un classeur Excel ; donnez un nom en .xlsx "
            "(LibreOffice l’ouvre aussi), par exemple rapport.xlsx."
        )
    if out.resolve() == src.resolve():
        raise UnusableInput(
            f"{out} : le classeur annoté ne peut pas remplacer le fichier vérifié. "
            "Donnez un autre nom (par exemple rapport.xlsx)."
        )
    wb, converted = _open(src, out)
    converted_csv = converted and src.suffix.lower() in (".csv", ".tsv", ".txt")
    _strip_old(wb)
    mine = [i for i in issues if _same_file(i.file, src, str(src_path))]

    data_sheets = list(wb.sheetnames)  # ours is gone (_strip_old): a « Rapport » left is theirs
    headers = _Headers(wb)
    located: list[tuple[Issue, _Target | None]] = []
    by_cell: dict[_Target, list[Issue]] = defaultdict(list)
    for issue in mine:
        target = _target(issue, wb, headers, data_sheets, converted_csv)
        if target is not None:
            cell = _anchor(wb[target.sheet], target.row, target.column)
            target = _Target(target.sheet, cell.row, cell.column)
            by_cell[target].append(issue)
        located.append((issue, target))

    for target, cell_issues in by_cell.items():
        cell = wb[target.sheet].cell(row=target.row, column=target.column)
        worst = any(i.severity == "error" for i in cell_issues)
        cell.fill = ERROR_FILL if worst else WARNING_FILL
        cell.comment = _comment(comment_text(cell_issues), cell.comment)

    order = {name: n for n, name in enumerate(wb.sheetnames)}
    located.sort(
        key=lambda p: (
            p[1] is not None,
            order.get(p[1].sheet, 0) if p[1] else 0,
            p[0].row or 0,
            p[1].column if p[1] else 0,
            p[0].severity != "error",
        )
    )
    report = _report_sheet(wb, src.name, located, counts, converted, today or date.today())
    mine_maps = [m for m in mappings if _same_file(m.file, src, str(src_path))]
    first = report
    if mine_maps:
        first = _mapping_sheet(wb, src.name, mine_maps, out.name)
    # Values read from the contributor's file (and echoed in messages) are
    # written as text: never a live formula in our sheet or in a converted copy.
    # An .xlsx keeps its own cells untouched, its genuine formulas included.
    cells.sheets_as_text([ws for ws in wb.worksheets if converted or ws is report or ws is first])
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False  # else Excel opens with several sheets grouped
    wb.active = 0
    first.sheet_view.tabSelected = True
    with output.replacing(out) as tmp:
        wb.save(tmp)
    return out


__all__ = ["annotate", "comment_text", "REPORT_SHEET", "MAPPING_SHEET", "ERROR_COLOUR", "WARNING_COLOUR", "MARK"]
