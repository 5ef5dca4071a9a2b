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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from annuaire.errors import NoHeaderRow, UnusableInput
from annuaire.load.container import what_is_it
from annuaire.load.correspondences import NONE, CategoryMatch, Correspondences, match_category
from annuaire.load.headers import DAY_FIELDS, Column, choose_columns, find_header_row
from annuaire.model import Issue, Origin, RawRow
from annuaire.reference import taxonomy

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

    def __init__(
        self, name: str | None, rows: list[list[Any]], numbers: list[int], workbook: bool, hidden: str | None = None
    ) -> None:
        self.name = name
        self.rows = rows
        self.numbers = numbers  # row number as the user sees it, per row
        self.workbook = workbook
        self.hidden = hidden  # None, "masquée" or "très masquée" (only a macro shows it)
        self.xls_zeros = 0  # cells read as 0 from an .xls file and taken as empty
        self.issues: list[Issue] = []  # found while parsing (CSV quotes)


@dataclass(frozen=True)
class CategoryInfo:
    """One category of the contributor's typology column, and how it is filed."""

    value: str
    rows: int
    match: CategoryMatch


@dataclass(frozen=True)
class SheetMapping:
    """What a sheet's columns were taken for: shown by ``annuaire colonnes``
    and in the « Correspondances » sheet of the annotated workbook."""

    file: str
    sheet: str | None
    header_row: int | None  # as the user sees it; None when no header row was found
    columns: tuple[Column, ...] = ()
    typology: str | None = None  # code given for the whole sheet (--typologie, correspondences)
    source: str | None = None  # source given for the sheet (--source, correspondences)
    categories: tuple[CategoryInfo, ...] = ()
    rows: int = 0


def _label(sheet: _Sheet, c: Column) -> str:
    return c.label if sheet.workbook else c.header


def _sheet_rows(
    sheet: _Sheet, display: str, hints: Correspondences = NONE
) -> tuple[list[RawRow], list[Issue], bool, SheetMapping]:
    """RawRows and issues of one sheet; the bool says whether it had a header row."""
    issues: list[Issue] = []
    given = hints.for_sheet(sheet.name)
    h = find_header_row(sheet.rows)
    if h is None:
        return [], issues, False, SheetMapping(display, sheet.name, None, typology=given.typology, source=given.source)
    header = sheet.rows[h]
    header_origin = Origin(display, sheet.name, sheet.numbers[h])
    data = [
        (cells, number)
        for cells, number in zip(sheet.rows[h + 1 :], sheet.numbers[h + 1 :], strict=True)
        if not _blank(cells)
    ]
    chosen = choose_columns(header, [c for c, _ in data[:400]], hints.columns)
    if given.typology:
        # The typology of the whole sheet is given: a category column is not read.
        chosen = [
            Column(c.index, c.header, None, c.confidence, "typologie donnée pour toute la feuille : colonne non lue")
            if c.field == "typologie"
            else c
            for c in chosen
        ]
    ignored = [c for c in chosen if c.field is None and not c.reason.startswith("en double")]
    doubled = [c for c in chosen if c.field is None and c.reason.startswith("en double")]
    if ignored:
        listed = ", ".join(_label(sheet, c) for c in ignored)
        issues.append(
            Issue.at(
                "warning",
                "colonnes-inconnues",
                "Colonnes non reconnues, ignorées : " + listed + ". "
                "Si l’une d’elles doit être imprimée, dites ce qu’elle contient dans un fichier de "
                "correspondances (annuaire colonnes FICHIER -o correspondances.toml, puis "
                "--correspondances correspondances.toml), ou renommez son en-tête comme dans le modèle "
                "(annuaire modele) : Nom, Typologie, Adresse, Code postal, Commune, Téléphone, "
                "Courriel, Site web, Horaires (ou Lundi … Dimanche), Description, Mise à jour…",
                header_origin,
                column=listed,
                value=listed,
            )
        )
    if doubled:
        listed = ", ".join(_label(sheet, c) for c in doubled)
        issues.append(
            Issue.at(
                "warning",
                "colonnes-en-double",
                "Colonnes en double, ignorées (seule la plus sûre est lue) : "
                + listed
                + ". Fusionnez-les, supprimez-les, ou choisissez dans vos correspondances.",
                header_origin,
                column=listed,
                value=listed,
            )
        )
    mapped = [c for c in chosen if c.field]
    plain_fields = [c for c in mapped if c.field not in DAY_FIELDS]
    day_cols = [c for c in mapped if c.field in DAY_FIELDS]
    columns = {c.field: _label(sheet, c) for c in plain_fields}
    if day_cols:
        first, last = _label(sheet, day_cols[0]), _label(sheet, day_cols[-1])
        columns.setdefault("horaires", first if first == last else f"{first} … {last}")
    if given.typology:
        columns["typologie"] = "Typologie (donnée pour toute la feuille)"
    if given.source and "source" not in columns:
        columns["source"] = "Source (donnée pour le fichier)"
    cat_col = next((c for c in plain_fields if c.field == "typologie"), None)
    cat_seen: dict[str, list] = {}
    rows: list[RawRow] = []
    for cells, number in data:
        n = len(cells)
        origin = Origin(display, sheet.name, number)
        fields: dict[str, Any] = {c.field: (_cell(cells[c.index]) if c.index < n else None) for c in plain_fields}
        days = {c.field.split(":", 1)[1]: _cell(cells[c.index]) for c in day_cols if c.index < n}
        days = {d: v for d, v in days.items() if v is not None}
        if all(v is None for v in fields.values()) and not days:
            # Only unmapped columns filled (a note in a far column): a warning, not a row.
            issues.append(
                Issue.at(
                    "warning",
                    "ligne-hors-colonnes",
                    "Ligne ignorée : seules des colonnes non reconnues sont remplies. "
                    "Déplacez ces informations dans les colonnes du modèle.",
                    origin,
                )
            )
            continue
        if day_cols and fields.get("horaires") is None:
            # One column per weekday: one value for the hours normaliser.
            fields["horaires"] = days or None
        if given.typology:
            fields["typologie"] = given.typology
        elif cat_col is not None and fields.get("typologie") is not None:
            raw = str(fields["typologie"]).strip()
            entry = cat_seen.get(raw)
            if entry is None:
                entry = cat_seen[raw] = [match_category(raw, hints.categories), 0]
            entry[1] += 1
            m = entry[0]
            if m.code and m.how != "annexe 1":
                # Our own labels are left to validation (it refuses ambiguous ones).
                fields["typologie"] = m.code
            if m.others:
                issues.append(
                    Issue.at(
                        "warning",
                        "plusieurs-typologies",
                        f"Plusieurs catégories dans la cellule « {raw} » : l’entrée est classée sous la "
                        f"première reconnue ({taxonomy.typology(m.code).print_label}) ; "
                        f"{', '.join('« ' + o + ' »' for o in m.others)} non reprise(s). Pour l’imprimer "
                        "aussi sous une autre typologie, copiez la ligne et donnez une catégorie par ligne.",
                        origin,
                        column=columns.get("typologie"),
                        value=raw,
                    )
                )
        if given.source and fields.get("source") is None:
            fields["source"] = given.source
        rows.append(RawRow(origin=origin, fields=fields, columns=columns))
    if not rows:
        issues.append(
            Issue.at(
                "warning",
                "feuille-vide",
                "La ligne d’en-tête est là mais aucune ligne de données ne la suit : rien n’est lu "
                "ici. Remplissez les lignes sous l’en-tête, ou supprimez la feuille.",
                header_origin,
            )
        )
    cats = tuple(CategoryInfo(v, k, m) for v, (m, k) in cat_seen.items())
    return (
        rows,
        issues,
        True,
        SheetMapping(
            display, sheet.name, sheet.numbers[h], tuple(chosen), given.typology, given.source, cats, len(rows)
        ),
    )


# ---------------------------------------------------------------- workbooks


def _workbook_sheets(path: Path, display: str) -> list[_Sheet]:
    import python_calamine

    # Only the reader's own errors mean "not a readable workbook"; anything
    # else is a bug and must surface as one, not as a message blaming the file.
    unreadable = (
        python_calamine.CalamineError,
        python_calamine.XmlError,
        python_calamine.ZipError,
        ValueError,
        OSError,
    )
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
            hidden = None
            if meta is not None and meta.visible == python_calamine.SheetVisibleEnum.Hidden:
                hidden = "masquée"
            elif meta is not None and meta.visible != python_calamine.SheetVisibleEnum.Visible:
                hidden = "très masquée"
            sheets.append(_Sheet(name, data, list(range(1, len(data) + 1)), True, hidden))
            sheets[-1].xls_zeros = blanked
        return sheets
    except python_calamine.PasswordError:
        raise UnusableInput(
            f"{display} : ce classeur est protégé par un mot de passe et ne peut pas être lu. "
            "Ouvrez-le avec le mot de passe, puis enregistrez-en une copie sans mot de passe "
            "et donnez cette copie."
        ) from None
    except unreadable as exc:
        with open(path, "rb") as fh:
            kind = what_is_it(fh.read(4096))
        seems = f" Son contenu ressemble à {kind}." if kind and "zip" not in kind and "Excel" not in kind else ""
        raise UnusableInput(
            f"{display} : ce fichier n’est pas un classeur lisible (le lecteur signale : "
            f"{_reader_message(exc)}).{seems} Ouvrez-le dans LibreOffice ou Excel et "
            "enregistrez-le au format .xlsx, .ods ou .csv."
        ) from None


def _reader_message(exc: Exception) -> str:
    """The reader's own words, short and on one line (they name the part at fault)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160] + ("…" if len(text) > 160 else "")


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
                                ((row, col), (row + rows_spanned - 1, col + cols_spanned - 1))
                            )
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
    endian = _utf16_without_bom(data[:4096])
    if endian:
        try:
            return data.decode(endian).encode("utf-8")
        except UnicodeDecodeError:
            pass
    return data


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 text saved without its byte
    order mark (some exports do): Latin text then has a NUL byte after (LE)
    or before (BE) nearly every character.  None otherwise."""
    if len(head) < 8 or b"\x00" not in head:
        return None
    head = head[: len(head) // 2 * 2]
    even_nul = head[0::2].count(0) / (len(head) // 2)
    odd_nul = head[1::2].count(0) / (len(head) // 2)
    if odd_nul > 0.6 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.1:
        return "utf-16-be"
    return None


def _csv_sheet(path: Path, display: str) -> _Sheet:
    data = csv_bytes(path)
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-" or data[:2] == b"PK":
        kind = what_is_it(data[:4096])
        if kind == "une archive zip":
            seems = (
                " mais sans doute un classeur (.xlsx ou .ods) renommé en "
                f"{path.suffix} : redonnez-lui son extension d’origine, ou ouvrez-le et enregistrez-le en .csv."
            )
        elif kind and "texte" not in kind:
            seems = f" mais {kind}, renommé. Donnez le tableau lui-même."
        else:
            seems = (
                " (octets nuls : fichier binaire, ou texte dans un encodage inconnu). Enregistrez le "
                "tableau au format .csv UTF-8 (séparateur point-virgule), .xlsx ou .ods."
            )
        raise UnusableInput(f"{display} : ce fichier n’est pas un fichier texte CSV{seems}")
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
    for k, record in enumerate(rows[(h or 0) + 1 :], start=(h or 0) + 1):
        tails = [f.split("\n", 1)[1] for f in record if "\n" in f]
        # A quoted field holding whole lines of the file: a quote opened by
        # mistake (« 12" », « "Les Tilleuls ») swallowed the rows after it.
        # A multi-line address keeps its row's columns and holds no whole row.
        if not tails or width < 2 or not (len(record) < width or any(t.count(delim) >= width - 1 for t in tails)):
            continue
        start = numbers[k]
        end = numbers[k + 1] - 1 if k + 1 < len(numbers) else last_line
        lost = f"la ligne {start + 1} a été lue" if end == start + 1 else f"les lignes {start + 1} à {end} ont été lues"
        sheet.issues.append(
            Issue.at(
                "warning",
                "guillemet-non-ferme",
                f'Guillemet (") ouvert à la ligne {start} et pas refermé : {lost} comme du texte de '
                f"la ligne {start}, ses services sont perdus. Retirez ce guillemet, ou doublez-le "
                '("") s’il fait partie du texte, puis enregistrez à nouveau le CSV.',
                Origin(display, None, start),
            )
        )
    return sheet


# ---------------------------------------------------------------- one file


def read_file(
    path: Path, display: str, hints: Correspondences = NONE, cell_errors: dict | None = None
) -> tuple[list[RawRow], list[Issue], list[SheetMapping]]:
    """Rows, issues and column mappings of one contributor file; raises
    UnusableInput (NoHeaderRow when no sheet has a header row).

    ``cell_errors`` (from :func:`annuaire.load.container.check_workbook`): the
    cells holding an error value such as ``#DIV/0!``, which the reader gives as
    empty; they are put back so that validation can say what they are."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnusableInput(
            f"{display} : ce n’est pas un tableur (extension « {path.suffix or 'aucune'} »). "
            "Donnez un fichier .xlsx, .ods ou .csv."
        )
    sheets = _workbook_sheets(path, display) if suffix in WORKBOOK_SUFFIXES else [_csv_sheet(path, display)]
    for sheet in sheets:
        for (r, c), text in (cell_errors or {}).get(sheet.name, {}).items():
            if r < len(sheet.rows) and c < len(sheet.rows[r]) and sheet.rows[r][c] in ("", None):
                sheet.rows[r][c] = text
    rows: list[RawRow] = []
    issues: list[Issue] = []
    skipped: list[_Sheet] = []
    mappings: list[SheetMapping] = []
    found = False
    for sheet in sheets:
        r, i, ok, m = _sheet_rows(sheet, display, hints)
        issues.extend(sheet.issues)
        if ok:
            found = True
            mappings.append(m)
            rows.extend(r)
            issues.extend(i)
            if sheet.hidden and r:
                # Read like the others (hiding a sheet is not deleting it), but said:
                # its rows are printed although nobody sees them in the workbook.
                how = (
                    "Affichez-la (clic droit sur un onglet › Afficher)"
                    if sheet.hidden == "masquée"
                    else "Elle n’apparaît pas dans la liste des feuilles à afficher (masquée par une "
                    "macro) : demandez à l’auteur du classeur de la rendre visible"
                )
                issues.append(
                    Issue(
                        severity="warning",
                        code="feuille-masquee",
                        message=(
                            f"Feuille « {sheet.name} » {sheet.hidden} : ses {len(r)} ligne(s) sont lues "
                            f"et imprimées comme les autres. {how} pour les vérifier, ou supprimez-la "
                            "si ces services ne doivent pas paraître."
                        ),
                        file=display,
                        sheet=sheet.name,
                        row=r[0].origin.row,
                    )
                )
            if sheet.xls_zeros and r:
                issues.append(
                    Issue(
                        severity="warning",
                        code="xls-formules",
                        message=(
                            f"Fichier Excel 97-2003 (.xls) : les formules dont le résultat est un "
                            f"texte (colonnes Code INSEE et Source du modèle) y sont illisibles, "
                            f"{sheet.xls_zeros} cellules lues comme vides. Enregistrez le classeur "
                            "au format .xlsx ou .ods."
                        ),
                        file=display,
                        sheet=sheet.name,
                    )
                )
        else:
            skipped.append(sheet)
    if not found:
        names = ", ".join(f"« {s.name} »" for s in sheets if s.name)
        where = f" (feuilles {names})" if len(sheets) > 1 else (f" (feuille {names})" if names else "")
        raise NoHeaderRow(
            f"{display} : aucune ligne d’en-tête trouvée{where}. Une ligne parmi les 20 premières "
            "doit porter les noms de colonnes, dont au moins deux reconnus (« Nom », « Typologie », "
            "« Adresse », « Commune », « Code postal »…). Ajoutez cette ligne au-dessus des données, "
            "ou partez du modèle : annuaire modele.",
            display,
            tuple(s.name for s in sheets),
        )
    for sheet in skipped:
        if sheet.hidden or _blank([c for r in sheet.rows for c in r]) or _is_guide(sheet):
            continue  # hidden lists, empty sheets and our own guide/report sheets are not contributions
        issues.append(
            Issue(
                severity="warning",
                code="feuille-sans-en-tete",
                message=(
                    f"Feuille « {sheet.name} » ignorée : aucune ligne d’en-tête (Nom, Typologie, "
                    "Commune…) dans ses 20 premières lignes. Si elle contient des services, "
                    "ajoutez la ligne d’en-tête du modèle."
                ),
                file=display,
                sheet=sheet.name,
            )
        )
    return rows, issues, mappings


# Sheets that annuaire itself writes into workbooks it hands out: the template's
# guide and the annotated copy's report.  They never hold services.
_GUIDE_SHEETS = {"mode d'emploi", "mode d’emploi", "listes"}


def _is_guide(sheet) -> bool:
    name = (sheet.name or "").strip().lower()
    if name in _GUIDE_SHEETS:
        return True
    first = sheet.rows[0][0] if sheet.rows and sheet.rows[0] else None
    if name.startswith("correspondances") and str(first or "").startswith("Correspondances des colonnes"):
        return True
    return name.startswith("rapport") and str(first or "").startswith("Rapport de vérification")


__all__ = ["read_file", "decode", "SUFFIXES", "SheetMapping", "CategoryInfo"]
