"""Contributors' spreadsheets (.xlsx, .ods, .csv/.tsv/.txt) to RawRows.

Workbooks are read with python-calamine (fast, no pandas: 20,000 rows in a
fraction of a second); every sheet with a header row is read.  CSV files are
decoded as UTF-8 (with or without BOM) or else Windows-1252, and their
separator (``;``, ``,`` or tab) is the one that yields a header row.

Row numbers are the ones people see: for a workbook the row number Excel or
LibreOffice shows (title rows included), for CSV the physical line where the
record starts (header = line 1; a quoted field may span several lines).
Values are kept as the reader gives them (numbers as int/float, dates as
date/datetime); only empty strings become None.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Sequence

from annuaire.errors import UnusableInput
from annuaire.load.headers import column_letter, find_header_row, map_columns
from annuaire.model import Issue, Origin, RawRow

# A quote opened and never closed makes the rest of the file one field; the
# default limit (128 KiB) then stops the reader with an exception.
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        # Spreadsheets store every number as a float: 3000.0 is the integer 3000.
        return int(value)
    return value


def _blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


class _Sheet:
    """Rows of one sheet or CSV file, with how to number and label them."""

    def __init__(self, name: str | None, rows: list[list[Any]], numbers: list[int],
                 workbook: bool, hidden: bool = False) -> None:
        self.name = name
        self.rows = rows
        self.numbers = numbers  # row number as the user sees it, per row
        self.workbook = workbook
        self.hidden = hidden
        self.xls_zeros = 0  # cells read as 0 from an .xls file and taken as empty
        self.issues: list[Issue] = []  # found while parsing (CSV quotes)


def _sheet_rows(sheet: _Sheet, display: str) -> tuple[list[RawRow], list[Issue], bool]:
    """RawRows and issues of one sheet; the bool says whether it had a header row."""
    issues: list[Issue] = []
    h = find_header_row(sheet.rows)
    if h is None:
        return [], issues, False
    header = sheet.rows[h]
    header_origin = Origin(display, sheet.name, sheet.numbers[h])
    mapping, unknown, duplicates = map_columns(header)
    if unknown:
        issues.append(Issue.at(
            "warning", "colonnes-inconnues",
            "Colonnes non reconnues, ignorées : " + ", ".join(unknown) + ". "
            "Si l’une d’elles doit être imprimée, renommez son en-tête comme dans le modèle "
            "(annuaire modele) : Nom, Typologie, Adresse, Code postal, Commune, Téléphone, "
            "Courriel, Site web, Horaires, Description…",
            header_origin, column=", ".join(unknown), value=", ".join(unknown)))
    if duplicates:
        issues.append(Issue.at(
            "warning", "colonnes-en-double",
            "Colonnes en double, ignorées (seule la première est lue) : " + ", ".join(duplicates)
            + ". Fusionnez-les ou supprimez-les.",
            header_origin, column=", ".join(duplicates), value=", ".join(duplicates)))
    columns = {
        f: (f"{column_letter(i)} ({str(header[i]).strip()})" if sheet.workbook
            else str(header[i]).strip())
        for i, f in mapping.items()
    }
    items = sorted(mapping.items())
    rows: list[RawRow] = []
    for cells, number in zip(sheet.rows[h + 1:], sheet.numbers[h + 1:]):
        if _blank(cells):
            # Fully empty rows (spacing inside the data, trailing rows Excel keeps
            # after a deletion) are not rows of data: skipped, not counted as read.
            continue
        n = len(cells)
        fields = {f: (_cell(cells[i]) if i < n else None) for i, f in items}
        if all(v is None for v in fields.values()):
            # Only unmapped columns filled (a note in a far column): a warning, not a row.
            issues.append(Issue.at(
                "warning", "ligne-hors-colonnes",
                "Ligne ignorée : seules des colonnes non reconnues sont remplies. "
                "Déplacez ces informations dans les colonnes du modèle.",
                Origin(display, sheet.name, number)))
            continue
        rows.append(RawRow(origin=Origin(display, sheet.name, number), fields=fields, columns=columns))
    if not rows:
        issues.append(Issue.at(
            "warning", "feuille-vide",
            "La ligne d’en-tête est là mais aucune ligne de données ne la suit : rien n’est lu "
            "ici. Remplissez les lignes sous l’en-tête, ou supprimez la feuille.",
            header_origin))
    return rows, issues, True


# ---------------------------------------------------------------- workbooks

def _workbook_sheets(path: Path, display: str) -> list[_Sheet]:
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        metas = {m.name: m for m in wb.sheets_metadata}
        sheets = []
        ods_merges = _ods_merged_ranges(path) if path.suffix.lower() == ".ods" else {}
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            data = sheet.to_python(skip_empty_area=False)
            merged = ods_merges.get(name) if ods_merges else getattr(sheet, "merged_cell_ranges", None)
            _fill_merged(data, merged or ())
            blanked = _blank_xls_zeros(data) if path.suffix.lower() == ".xls" else 0
            meta = metas.get(name)
            hidden = meta is not None and meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheets.append(_Sheet(name, data, list(range(1, len(data) + 1)), True, hidden))
            sheets[-1].xls_zeros = blanked
        return sheets
    except Exception as exc:  # calamine raises its own zip/XML/format errors
        raise UnusableInput(
            f"{display} : ce fichier n’est pas un classeur lisible ({type(exc).__name__}). "
            "Ouvrez-le dans LibreOffice ou Excel et enregistrez-le au format .xlsx, .ods ou .csv."
        ) from None


def _blank_xls_zeros(data: list[list[Any]]) -> int:
    """In an Excel 97-2003 (.xls) file calamine gives 0 for every formula whose
    result is text (the template's Code INSEE and Source columns, even when they
    show nothing).  No field of an entry is ever 0, so a 0 is taken as empty:
    otherwise each of the template's 500 formula rows is a rejected row, and
    « 0 » is printed as a source."""
    blanked = 0
    for row in data:
        for i, v in enumerate(row):
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0:
                row[i] = ""
                blanked += 1
    return blanked


def _fill_merged(data: list[list[Any]], ranges) -> None:
    """Give the rows of a vertically merged cell the value it shows.

    People merge the Commune (or Typologie) cells of consecutive rows that
    share it; the file keeps the value in the first row only, yet every row
    shows it on screen and in print.  The value is copied down the first
    column of the range (a horizontal merge, a title across the sheet, is
    left alone: its cells are not data of other columns)."""
    for (r0, c0), (r1, _c1) in ranges:
        if r1 <= r0 or r0 >= len(data) or c0 >= len(data[r0]):
            continue
        value = data[r0][c0]
        for r in range(r0 + 1, min(r1, len(data) - 1) + 1):
            row = data[r]
            if c0 < len(row) and (row[c0] is None or row[c0] == ""):
                row[c0] = value


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_merged_ranges(path: Path) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Merged ranges of every sheet of an .ods file, 0-based ((row, col), (row, col)).

    calamine does not report them for OpenDocument; they are the cells with
    table:number-rows-spanned in content.xml."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    t = "{%s}" % _ODS_TABLE
    out: dict[str, list] = {}
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
            sheet = None
            row = col = 0
            for event, el in iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == t + "table":
                        sheet = el.get(t + "name")
                        row = 0
                    elif tag == t + "table-row":
                        col = 0
                    elif tag in (t + "table-cell", t + "covered-table-cell") and sheet is not None:
                        rows_spanned = int(el.get(t + "number-rows-spanned", "1") or 1)
                        cols_spanned = int(el.get(t + "number-columns-spanned", "1") or 1)
                        if tag == t + "table-cell" and (rows_spanned > 1 or cols_spanned > 1):
                            out.setdefault(sheet, []).append(
                                ((row, col), (row + rows_spanned - 1, col + cols_spanned - 1)))
                    continue
                if tag in (t + "table-cell", t + "covered-table-cell"):
                    col += int(el.get(t + "number-columns-repeated", "1") or 1)
                    el.clear()
                elif tag == t + "table-row":
                    row += int(el.get(t + "number-rows-repeated", "1") or 1)
                    el.clear()
                elif tag == t + "table":
                    sheet = None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError):
        return {}  # calamine reports unreadable files; merges are a nicety
    return out


# ---------------------------------------------------------------- CSV

def decode(data: bytes) -> str:
    """UTF-8 (BOM or not) when it decodes strictly, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_csv(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The records of a CSV text and the line each starts on (header = line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    last = 0
    for record in reader:
        # A record starts on the line after the previous record ended;
        # line_num counts physical lines, quoted newlines included.
        rows.append(record)
        numbers.append(last + 1)
        last = reader.line_num
    return rows, numbers


def csv_delimiter(text: str) -> str:
    """The separator (« ; », tab or « , ») whose header row, found in the
    first 20,000 characters, has the most named columns; « ; » by default."""
    head = text[:20000]
    best: tuple[int, str] | None = None
    for delim in (";", "\t", ","):
        sample, _ = parse_csv(head, delim)
        h = find_header_row(sample)
        if h is not None:
            score = len([c for c in sample[h] if c.strip()])
            if best is None or score > best[0]:
                best = (score, delim)
    return best[1] if best else ";"


def csv_bytes(path: Path) -> bytes:
    """The bytes of a CSV file, Excel's « Texte Unicode (*.txt) » (UTF-16 with
    its byte order mark, tab-separated) re-encoded as UTF-8 for :func:`decode`."""
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass
    return data


def _csv_sheet(path: Path, display: str) -> _Sheet:
    data = csv_bytes(path)
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-" or data[:2] == b"PK":
        raise UnusableInput(
            f"{display} : ce fichier n’est pas un fichier texte CSV. Enregistrez le tableau "
            "au format .csv (séparateur point-virgule), .xlsx ou .ods."
        )
    if not data.strip():
        raise UnusableInput(
            f"{display} : le fichier est vide. Exportez-le à nouveau depuis le tableur "
            "(Enregistrer sous… CSV, séparateur point-virgule), ou donnez le classeur .xlsx ou .ods."
        )
    text = decode(data)
    delim = csv_delimiter(text)
    rows, numbers = parse_csv(text, delim)
    sheet = _Sheet(None, rows, numbers, False)
    h = find_header_row(rows)
    width = len([c for c in rows[h] if c.strip()]) if h is not None else 0
    last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
    for k, record in enumerate(rows[(h or 0) + 1:], start=(h or 0) + 1):
        tails = [f.split("\n", 1)[1] for f in record if "\n" in f]
        # A quoted field holding whole lines of the file: a quote opened by
        # mistake (« 12" », « "Les Tilleuls ») swallowed the rows after it.
        # A multi-line address keeps its row's columns and holds no whole row.
        if not tails or width < 2 or not (
                len(record) < width or any(t.count(delim) >= width - 1 for t in tails)):
            continue
        start = numbers[k]
        end = numbers[k + 1] - 1 if k + 1 < len(numbers) else last_line
        lost = f"la ligne {start + 1} a été lue" if end == start + 1 else \
            f"les lignes {start + 1} à {end} ont été lues"
        sheet.issues.append(Issue.at(
            "warning", "guillemet-non-ferme",
            f"Guillemet (\") ouvert à la ligne {start} et pas refermé : {lost} comme du texte de "
            f"la ligne {start}, ses services sont perdus. Retirez ce guillemet, ou doublez-le "
            "(\"\") s’il fait partie du texte, puis enregistrez à nouveau le CSV.",
            Origin(display, None, start)))
    return sheet


# ---------------------------------------------------------------- one file

def read_file(path: Path, display: str) -> tuple[list[RawRow], list[Issue]]:
    """Rows and issues of one contributor file; raises UnusableInput."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnusableInput(
            f"{display} : ce n’est pas un tableur (extension « {path.suffix or 'aucune'} »). "
            "Donnez un fichier .xlsx, .ods ou .csv."
        )
    sheets = _workbook_sheets(path, display) if suffix in WORKBOOK_SUFFIXES else [_csv_sheet(path, display)]
    rows: list[RawRow] = []
    issues: list[Issue] = []
    skipped: list[_Sheet] = []
    found = False
    for sheet in sheets:
        r, i, ok = _sheet_rows(sheet, display)
        issues.extend(sheet.issues)
        if ok:
            found = True
            rows.extend(r)
            issues.extend(i)
            if sheet.xls_zeros and r:
                issues.append(Issue(
                    severity="warning", code="xls-formules",
                    message=(f"Fichier Excel 97-2003 (.xls) : les formules dont le résultat est un "
                             f"texte (colonnes Code INSEE et Source du modèle) y sont illisibles, "
                             f"{sheet.xls_zeros} cellules lues comme vides. Enregistrez le classeur "
                             "au format .xlsx ou .ods."),
                    file=display, sheet=sheet.name))
        else:
            skipped.append(sheet)
    if not found:
        names = ", ".join(f"« {s.name} »" for s in sheets if s.name)
        where = f" (feuilles {names})" if len(sheets) > 1 else (f" (feuille {names})" if names else "")
        raise UnusableInput(
            f"{display} : aucune ligne d’en-tête trouvée{where}. La première ligne du tableau "
            "(dans les 20 premières) doit porter les noms de colonnes, dont au moins « Nom » ou "
            "« Typologie » et une autre (« Commune », « Adresse »…). Partez du modèle : annuaire modele."
        )
    for sheet in skipped:
        if sheet.hidden or _blank([c for r in sheet.rows for c in r]) or _is_guide(sheet):
            continue  # hidden lists, empty sheets and our own guide/report sheets are not contributions
        issues.append(Issue(
            severity="warning", code="feuille-sans-en-tete",
            message=(f"Feuille « {sheet.name} » ignorée : aucune ligne d’en-tête (Nom, Typologie, "
                     "Commune…) dans ses 20 premières lignes. Si elle contient des services, "
                     "ajoutez la ligne d’en-tête du modèle."),
            file=display, sheet=sheet.name,
        ))
    return rows, issues


# Sheets that annuaire itself writes into workbooks it hands out: the template's
# guide and the annotated copy's report.  They never hold services.
_GUIDE_SHEETS = {"mode d'emploi", "mode d’emploi", "listes"}


def _is_guide(sheet) -> bool:
    name = (sheet.name or "").strip().lower()
    if name in _GUIDE_SHEETS:
        return True
    first = sheet.rows[0][0] if sheet.rows and sheet.rows[0] else None
    return name.startswith("rapport") and str(first or "").startswith("Rapport de vérification")


__all__ = ["read_file", "decode", "SUFFIXES"]
