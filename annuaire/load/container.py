"""Checks on a workbook's container before any reader opens it.

python-calamine (Rust) sizes its buffers from what the file *claims*: a
2 KB .xlsx with one cell at XFD1048576 asks for 512 GiB and the process
aborts (exit 134) before Python can answer; one cell at Z1048576 costs
1.2 GB; a sharedStrings part declaring four billion strings aborts too; a
zip bomb expands to gigabytes of XML.  :func:`check_workbook` looks at the
file cheaply first and raises :class:`UnusableInput` (exit 2, French
message saying what to do) when it would cost more than the limits below,
so the memory a workbook takes follows its content, not its farthest cell.

What is checked, with the limits (documented in the README):

* the file really is what its name says: a zip for .xlsx/.xlsm/.ods, an
  OLE2 file for .xls; a renamed CSV, PDF or web page, and a
  password-protected workbook (an OLE2 file holding ``EncryptionInfo``, or
  an .ods whose manifest has ``encryption-data``) get their own message;
* every part of the zip is *decompressed* (sizes are measured, not taken
  from the headers, which a forged file can set to anything):
  :data:`MAX_PART_BYTES` per part, :data:`MAX_TOTAL_BYTES` in all,
  and a part over 1 MiB may not expand more than :data:`MAX_RATIO` times;
* .xlsx/.xlsm: the sheet XML is scanned (a regular expression over the
  decompressed stream, no tree) for the farthest row and column that hold a
  value; rows beyond :data:`MAX_ROWS`, columns beyond :data:`MAX_COLUMNS`,
  or a rectangle A1:farthest cell over :data:`MAX_GRID_CELLS` are refused,
  naming the cell; ``uniqueCount`` of sharedStrings over
  :data:`MAX_SHARED_STRINGS` (or more strings than its bytes can hold);
* .ods: the same extent, from content.xml, counting
  ``number-rows-repeated`` / ``number-columns-repeated`` of cells that hold
  a value (LibreOffice's repeated *empty* trailing rows cost nothing).
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import unescape as xml_unescape

from annuaire.errors import UnusableInput

# Excel's own sheet size: nothing beyond it is a real spreadsheet.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# The reader holds the whole rectangle from A1 to the farthest cell with a
# value (about 32 bytes a cell, plus Python's list): 8 million cells is
# 200,000 rows of 40 columns, ~400 MB at most.  One stray value at Z1048576
# (27 million cells, 1.2 GB) is refused with its address.
MAX_GRID_CELLS = 8_000_000
# Strings the reader reserves room for before reading them.
MAX_SHARED_STRINGS = 8_000_000
# Decompressed size of one part, and of the whole file.  200,000 rows of
# 20 filled columns is ~250 MB of sheet XML.
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
# Sheet XML compresses 10 to 50 times; a part that expands more than this
# (and is over 1 MiB) is a zip bomb, not a spreadsheet.
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024

_CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

_ADVICE = (
    "Ouvrez-le dans LibreOffice ou Excel, supprimez les lignes et colonnes vides "
    "après vos données, et enregistrez-le à nouveau (.xlsx, .ods ou .csv)."
)


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'XFD' -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def what_is_it(head: bytes) -> str | None:
    """What a file that is not the workbook its name says seems to be, in
    French ('un document PDF'), from its first bytes; None if unknown."""
    if head.startswith(b"%PDF"):
        return "un document PDF"
    if head.startswith(_OLE_MAGIC):
        return "un classeur Excel 97-2003 (.xls)"
    if head.startswith(b"PK"):
        return "une archive zip"
    low = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith((b"<!doctype html", b"<html")):
        return "une page web (HTML)"
    if low.startswith(b"<?xml"):
        return "un fichier XML"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "un fichier texte (UTF-16)"
    if head and b"\x00" not in head[:4096]:
        return "un fichier texte (CSV ?)"
    return None


CellErrors = dict[str, dict[tuple[int, int], str]]


def check_workbook(path: Path, display: str) -> CellErrors:
    """Raise UnusableInput when the workbook at ``path`` is not what its
    suffix says, is protected by a password, or claims more than the limits.

    Returns the cells of an .xlsx or .ods that hold a spreadsheet error value
    (``#DIV/0!``, ``#N/A``, ``Err:502``…), by sheet name and 0-based (row,
    column): the reader gives them as empty cells, and a name that is an
    error of calculation must not be reported as a missing name."""
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if suffix == ".xls":
        if head.startswith(_OLE_MAGIC):
            if _ole_encrypted(path):
                raise _password(display)
            return {}
        if not head.startswith(b"PK"):  # else an .xlsx named .xls: calamine reads it by content
            _renamed(display, head, "un classeur Excel 97-2003")
    elif head.startswith(_OLE_MAGIC):
        if _ole_encrypted(path):
            raise _password(display)
        raise UnusableInput(
            f"{display} : c’est un classeur Excel 97-2003 (.xls) renommé en {path.suffix}. "
            "Renommez-le en .xls, ou mieux ouvrez-le et enregistrez-le au format .xlsx."
        )
    if not head.startswith(b"PK"):
        _renamed(display, head, "un classeur")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnusableInput(
            f"{display} : le fichier est abîmé (archive incomplète ou tronquée, par exemple un "
            "envoi interrompu). Demandez-en une nouvelle copie, ou ouvrez-le dans LibreOffice "
            "qui sait parfois le réparer, et enregistrez-le à nouveau."
        ) from None
    with zf:
        names = set(zf.namelist())
        if "content.xml" in names or suffix == ".ods":
            return _check_ods(path, zf, display)
        return _check_xlsx(path, zf, display)


def _renamed(display: str, head: bytes, expected: str) -> None:
    kind = what_is_it(head)
    if kind is None:
        raise UnusableInput(
            f"{display} : ce fichier n’est pas {expected} lisible (contenu inconnu). "
            "Ouvrez-le dans LibreOffice ou Excel et enregistrez-le au format .xlsx, .ods ou .csv."
        )
    fix = (
        "Renommez-le en .csv s’il s’agit bien d’un tableau, ou exportez à nouveau le tableau depuis le tableur."
        if "texte" in kind
        else "Donnez le classeur lui-même, enregistré au format .xlsx, .ods ou .csv."
    )
    raise UnusableInput(f"{display} : ce fichier n’est pas {expected} mais {kind}, renommé. {fix}")


def _password(display: str) -> UnusableInput:
    return UnusableInput(
        f"{display} : ce classeur est protégé par un mot de passe et ne peut pas être lu. "
        "Ouvrez-le avec le mot de passe, puis enregistrez-en une copie sans mot de passe "
        "(Fichier › Enregistrer sous…, décochez « Enregistrer avec mot de passe ») et donnez cette copie."
    )


def _ole_encrypted(path: Path) -> bool:
    """An OLE2 file holding an 'EncryptionInfo' stream: an encrypted .xlsx.
    (An .xls with a password to open has a FILEPASS record: calamine says
    so with PasswordError, see spreadsheet._workbook_sheets.)"""
    with open(path, "rb") as fh:
        data = fh.read(min(path.stat().st_size, 64 * 1024 * 1024))
    return _ENCRYPTION_INFO in data


# ---------------------------------------------------------------- zip parts


def _member_stream(
    path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, display: str, total: list[int]
) -> Iterator[bytes]:
    """The decompressed bytes of one part, measured as they come: sizes and
    ratio are checked on what the data really expands to."""
    produced = 0
    for chunk in _raw_inflate(path, zf, info, display):
        produced += len(chunk)
        total[0] += len(chunk)
        if produced > MAX_PART_BYTES or total[0] > MAX_TOTAL_BYTES:
            raise UnusableInput(
                f"{display} : la partie « {info.filename} » du classeur se décompresse en plus de "
                f"{_n(min(MAX_PART_BYTES, MAX_TOTAL_BYTES) // (1024 * 1024))} Mo : trop grand pour "
                f"un annuaire (limite {_n(MAX_PART_BYTES // (1024 * 1024))} Mo par partie, "
                f"{_n(MAX_TOTAL_BYTES // (1024 * 1024))} Mo en tout). Découpez le tableau en "
                "plusieurs fichiers, ou enregistrez-le en .csv."
            )
        if produced > _RATIO_FLOOR and produced > MAX_RATIO * max(info.compress_size, 1):
            raise UnusableInput(
                f"{display} : la partie « {info.filename} » se décompresse plus de {MAX_RATIO} fois "
                "sa taille : ce n’est pas un classeur ordinaire (archive piégée, « bombe zip »). "
                "Le fichier est refusé ; demandez à son auteur de l’enregistrer à nouveau."
            )
        yield chunk


def _raw_inflate(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> Iterator[bytes]:
    """Inflate a member from its compressed bytes, ignoring the sizes its
    headers declare (zipfile stops at the declared size; the Rust reader
    does not)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # Rare methods (bzip2, lzma): zipfile reads them up to the declared size.
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, zlib.error):
            raise _damaged(display, info.filename) from None
        return
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            raise _damaged(display, info.filename)
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        try:
            while left > 0:
                raw = fh.read(min(_CHUNK, left))
                if not raw:
                    raise _damaged(display, info.filename)
                left -= len(raw)
                if inflate is None:
                    yield raw
                    continue
                data = inflate.decompress(raw, _CHUNK)
                while True:
                    if data:
                        yield data
                    if not inflate.unconsumed_tail:
                        break
                    data = inflate.decompress(inflate.unconsumed_tail, _CHUNK)
            if inflate is not None:
                rest = inflate.flush()
                if rest:
                    yield rest
        except zlib.error:
            raise _damaged(display, info.filename) from None


def _damaged(display: str, part: str) -> UnusableInput:
    return UnusableInput(
        f"{display} : la partie « {part} » du classeur est abîmée (fichier tronqué ou corrompu). "
        "Demandez-en une nouvelle copie, ou ouvrez-le dans LibreOffice et enregistrez-le à nouveau."
    )


def _too_far(display: str, sheet: str, row: int, col: int) -> UnusableInput:
    cell = f"{column_letters(col)}{row}"
    if row > MAX_ROWS or col > MAX_COLUMNS:
        why = (
            f"au-delà de la taille maximale d’une feuille ({_n(MAX_ROWS)} lignes, "
            f"{_n(MAX_COLUMNS)} colonnes) : le fichier n’a pas été écrit par un tableur ordinaire"
        )
    else:
        why = (
            f"le tableau irait de A1 à {cell}, soit {_n(row * col)} cellules "
            f"(limite {_n(MAX_GRID_CELLS)}) : une valeur isolée loin des données, sans doute "
            "oubliée, obligerait à lire une immense feuille presque vide"
        )
    return UnusableInput(
        f"{display}, feuille « {sheet} » : une valeur se trouve en {cell}, {why}. "
        f"Supprimez le contenu de la cellule {cell} (Ctrl+Fin dans le tableur y mène). {_ADVICE}"
    )


# ---------------------------------------------------------------- xlsx

# The start tag of a row or a cell, with an optional namespace prefix, and
# what follows a cell's start tag (a value <v>x, inline text <is>, a formula <f>).
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*?)(/?)>")
_REF = re.compile(rb"\br=\"([A-Z]{0,4})(\d{0,12})\"")
_HAS_VALUE = re.compile(rb"\s*<(?:[A-Za-z_][\w.-]*:)?(?:v>[^<]|is\b|f\b)")
_COUNT = re.compile(rb"\buniqueCount=\"(\d+)\"")


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name as shown in the tabs (best effort)."""
    out: dict[str, str] = {}
    try:
        wb = zf.read("xl/workbook.xml")[: 4 * 1024 * 1024]
        rels = zf.read("xl/_rels/workbook.xml.rels")[: 4 * 1024 * 1024]
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error, ValueError):
        return out
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(rb"<Relationship\b[^>]*?Id=\"([^\"]+)\"[^>]*?Target=\"([^\"]+)\"", rels)
    }
    targets.update(
        {
            m.group(2): m.group(1)
            for m in re.finditer(rb"<Relationship\b[^>]*?Target=\"([^\"]+)\"[^>]*?Id=\"([^\"]+)\"", rels)
        }
    )
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
        attrs = m.group(1)
        name = re.search(rb"\bname=\"([^\"]*)\"", attrs)
        rid = re.search(rb"\br:id=\"([^\"]*)\"|\bid=\"([^\"]*)\"", attrs)
        if not name or not rid:
            continue
        target = targets.get(rid.group(1) or rid.group(2))
        if target:
            t = target.decode("utf-8", "replace").lstrip("/")
            part = t if t.startswith("xl/") else "xl/" + t
            out[part] = name.group(1).decode("utf-8", "replace")
    return out


def _check_xlsx(path: Path, zf: zipfile.ZipFile, display: str) -> CellErrors:
    total = [0]
    names = _sheet_names(zf)
    errors: CellErrors = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        part = info.filename
        if part.startswith("xl/worksheets/") and part.endswith(".xml"):
            sheet = names.get(part, Path(part).stem)
            found = _scan_sheet(_member_stream(path, zf, info, display, total), display, sheet)
            if found:
                errors[sheet] = found
        elif part.lower().endswith("sharedstrings.xml"):
            _scan_shared_strings(_member_stream(path, zf, info, display, total), display)
        else:
            for _ in _member_stream(path, zf, info, display, total):
                pass
    return errors


class _Extent:
    """Farthest row and column holding a value in one sheet, checked as it grows."""

    def __init__(self, display: str, sheet: str) -> None:
        self.display, self.sheet = display, sheet
        self.max_row = self.max_col = 0
        self.row = self.col = 0  # position of the last row/cell read (for cells without r)
        self.errors: dict[tuple[int, int], str] = {}  # 0-based (row, column) -> '#DIV/0!'

    def add(self, r: int, c: int) -> None:
        if r > MAX_ROWS or c > MAX_COLUMNS:
            raise _too_far(self.display, self.sheet, r, c)
        if r > self.max_row:
            self.max_row = r
        if c > self.max_col:
            self.max_col = c
        if r > MAX_ROWS or c > MAX_COLUMNS or self.max_row * self.max_col > MAX_GRID_CELLS:
            raise _too_far(self.display, self.sheet, max(r, self.max_row), max(c, self.max_col))


# Cells as Excel, LibreOffice and openpyxl write them (no prefix, r first),
# with a value, inline text or a formula: scanned by one C-level findall.
_PLAIN_VALUED = re.compile(rb'<c r="([A-Z]{1,4})(\d{1,12})"[^>]*(?<!/)>(?:<v>[^<]|<is>|<f[ >])')


# A cell holding an error value (t="e"), formula or not: <c r="A3" t="e"><f>1/0</f><v>#DIV/0!</v></c>
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,4})(\d{1,12})"[^>]*\bt="e"[^>]*>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?<v>([^<]{1,40})</v>'
)


def _scan_sheet(chunks: Iterator[bytes], display: str, sheet: str) -> dict[tuple[int, int], str]:
    """Farthest row and column holding a value, from the sheet XML stream,
    read in pieces that end at a row's end (no tag is ever cut)."""
    ext = _Extent(display, sheet)
    buf = b""
    for chunk in _with_end(chunks):
        if chunk is None:
            piece, buf = buf, b""
        else:
            buf += chunk
            cut = buf.rfind(b"row>")
            if cut < 0 and len(buf) < 16 * _CHUNK:
                continue  # one row this long is odd but possible: wait for its end
            cut = cut + 4 if cut >= 0 else len(buf)
            piece, buf = buf[:cut], buf[cut:]
        if piece:
            _scan_piece(piece, ext)
            if b't="e"' in piece and len(ext.errors) < 10_000:
                for c, r, text in _ERROR_CELL.findall(piece):
                    ext.errors[(int(r) - 1, column_number(c.decode()) - 1)] = text.decode("utf-8", "replace")
    return ext.errors


def _scan_piece(piece: bytes, ext: _Extent) -> None:
    cells = piece.count(b"<c ") + piece.count(b"<c>")
    if b":c " not in piece and b":row" not in piece and cells == piece.count(b'<c r="'):
        # Every cell carries its reference: the fast path (the files of every tablesheet).
        found = _PLAIN_VALUED.findall(piece)
        if found:
            letters, numbers = (set(x) for x in zip(*found, strict=True))
            longest = max(map(len, letters))
            col = column_number(max(c for c in letters if len(c) == longest).decode())
            rows = max(map(int, numbers))
            if rows > MAX_ROWS or col > MAX_COLUMNS or max(rows, ext.max_row) * max(col, ext.max_col) > MAX_GRID_CELLS:
                for c, r in found:  # over a limit: name the first cell at fault
                    ext.add(int(r), column_number(c.decode()))
            ext.add(rows, col)
            ext.row = int(found[-1][1])
        return
    for m in _TAG.finditer(piece):
        ref = _REF.search(m.group(2))
        if m.group(1) == b"row":
            ext.row = int(ref.group(2)) if ref and ref.group(2) else ext.row + 1
            ext.col = 0
            if ext.row > MAX_ROWS:
                raise _too_far(ext.display, ext.sheet, ext.row, 1)
            continue
        if ref and ref.group(1):
            ext.col = column_number(ref.group(1).decode())
            r = int(ref.group(2)) if ref.group(2) else ext.row
        else:
            ext.col, r = ext.col + 1, ext.row
        if m.group(3) or not _HAS_VALUE.match(piece, m.end()):
            continue  # an empty or formatting-only cell: the reader keeps nothing
        ext.add(r, ext.col)


def _with_end(chunks: Iterator[bytes]) -> Iterator[bytes | None]:
    yield from chunks
    yield None


def _scan_shared_strings(chunks: Iterator[bytes], display: str) -> None:
    head = b""
    size = 0
    for chunk in chunks:
        if len(head) < 4096:
            head += chunk[:4096]
        size += len(chunk)
    m = _COUNT.search(head)
    if not m:
        return
    declared = int(m.group(1))
    # Each string takes at least '<si><t/></si>' (12 bytes) in the part.
    if declared > MAX_SHARED_STRINGS or declared > max(1000, size // 7):
        raise UnusableInput(
            f"{display} : la table des textes du classeur (sharedStrings) annonce "
            f"{_n(declared)} textes, bien plus qu’elle n’en contient ou qu’un annuaire n’en a "
            f"(limite {_n(MAX_SHARED_STRINGS)}). Le fichier a été mal écrit ou modifié : "
            "ouvrez-le dans LibreOffice ou Excel et enregistrez-le à nouveau."
        )


# ---------------------------------------------------------------- ods

# The lookahead keeps table:table-column, table:table-header-rows… out (a
# plain \b would take them for a new sheet).
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ODS_NAME = re.compile(rb"\btable:name=\"([^\"]*)\"")
_ROWS_REP = re.compile(rb"\btable:number-rows-repeated=\"(\d+)\"")
_COLS_REP = re.compile(rb"\btable:number-columns-repeated=\"(\d+)\"")
_ODS_VALUE = re.compile(rb"\boffice:value-type=")
# LibreOffice writes a formula that failed as a string cell with an empty
# value (what the reader gives) and the error shown as its text:
# <table:table-cell table:formula="of:=1/0" office:value-type="string"
#   office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>
_ODS_ERROR = re.compile(rb"\bcalcext:value-type=\"error\"")
_ODS_TEXT = re.compile(rb"<text:p\b[^>]*>([^<]{1,40})</text:p>")
_MAX_ERROR_CELLS = 10_000


def _check_ods(path: Path, zf: zipfile.ZipFile, display: str) -> CellErrors:
    total = [0]
    errors: CellErrors = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        stream = _member_stream(path, zf, info, display, total)
        if info.filename == "content.xml":
            errors = _scan_ods_content(stream, display)
        elif info.filename == "META-INF/manifest.xml":
            data = b"".join(stream)
            if b"encryption-data" in data:
                raise _password(display)
        else:
            for _ in stream:
                pass
    return errors


def _scan_ods_content(chunks: Iterator[bytes], display: str) -> CellErrors:
    """Extent of the cells holding a value, repeats included.  A cell holds
    a value when it has office:value-type or text (a <text:p> child).

    Returns the cells holding an error value, by sheet and 0-based (row,
    column), with the error as shown (``#DIV/0!``, ``Err:502``)."""
    errors: CellErrors = {}
    found = 0
    pending: tuple[int, int, int, int] | None = None  # error cell: row, column, rows, columns
    sheet = ""
    row = 0  # rows before the current one
    rows_rep = 1
    col = 0
    row_max_col = 0  # farthest valued column of the current row
    max_row = max_col = 0
    cell_rep = 0
    cell_open = False  # inside a table-cell start..end, value not yet seen
    buf = b""
    for chunk in _with_end(chunks):
        final = chunk is None
        buf = buf + (chunk or b"")
        pos = 0
        for m in _ODS_TAG.finditer(buf):
            if not final and m.end() + 64 > len(buf):
                if cell_open and b"<text:" in buf[pos : m.start()]:
                    row_max_col = max(row_max_col, col)
                    cell_open = False
                pos = m.start()
                break
            closing, tag, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
            between = buf[pos : m.start()]
            pos = m.end()
            if pending is not None:
                t = _ODS_TEXT.search(between)
                if t:
                    text = xml_unescape(t.group(1).decode("utf-8", "replace")).strip()
                    cells = errors.setdefault(sheet, {})
                    r0, c0, nr, nc = pending
                    for r in range(r0, r0 + min(nr, 100)):  # repeats of one error: a few are enough
                        for c in range(c0, c0 + min(nc, 100)):
                            cells[(r, c)] = text
                            found += 1
                pending = None
            if cell_open and b"<text:" in between:
                row_max_col = max(row_max_col, col)  # col already counts this cell's repeats
                cell_open = False
            if tag == b"table":
                if not closing:
                    n = _ODS_NAME.search(attrs)
                    sheet = n.group(1).decode("utf-8", "replace") if n else ""
                    row = 0
                continue
            if tag == b"table-row":
                if closing or empty:
                    if row_max_col:
                        if row + rows_rep > MAX_ROWS or row_max_col > MAX_COLUMNS:
                            raise _too_far(display, sheet, row + rows_rep, row_max_col)
                        max_row = max(max_row, row + rows_rep)
                        max_col = max(max_col, row_max_col)
                    row += rows_rep
                    if max_row > MAX_ROWS or max_col > MAX_COLUMNS or max_row * max_col > MAX_GRID_CELLS:
                        raise _too_far(display, sheet, max_row, max_col)
                    if row > 10 * MAX_ROWS:
                        raise _too_far(display, sheet, row, 1)
                    continue
                r = _ROWS_REP.search(attrs)
                rows_rep = int(r.group(1)) if r else 1
                col = row_max_col = 0
                cell_open = False
                continue
            # table-cell / covered-table-cell
            if closing:
                cell_open = False
                continue
            c = _COLS_REP.search(attrs)
            cell_rep = int(c.group(1)) if c else 1
            if not empty and found < _MAX_ERROR_CELLS and _ODS_ERROR.search(attrs):
                pending = (row, col, rows_rep, cell_rep)
            col += cell_rep
            if _ODS_VALUE.search(attrs):
                row_max_col = max(row_max_col, col)
            elif not empty:
                cell_open = True
            if col > 10 * MAX_COLUMNS and row_max_col > MAX_COLUMNS:
                raise _too_far(display, sheet, row + 1, row_max_col)
        buf = buf[pos:]
        if len(buf) > 4 * _CHUNK:
            if cell_open and b"<text:" in buf:
                row_max_col = max(row_max_col, col)
                cell_open = False
            buf = buf[-_CHUNK:]
    return errors
