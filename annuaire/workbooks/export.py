"""Entries written back in the contributor format (xlsx, or a CSV for Excel).

``write_entries(entries, path)`` writes a workbook with the columns a
contributor fills (Nom, Typologie, Adresse, Complément d'adresse, Code
postal, Commune, Code INSEE, Téléphone, Courriel, Site web, Horaires,
Description, Latitude, Longitude, Source, Mise à jour), one sheet per theme
by default.  ``load.read_paths`` + ``validate.validate_rows`` read it back
to the same entries (name, typology, commune, address, contact, hours,
description, position, date and provider name): that round trip is tested.

Choices that make the round trip hold and the file pleasant in a spreadsheet:

* Typologie is the print label ('Centre de santé (dispensaire)'), or the
  code when the label alone would name another typology (Annex 1 has one
  label twice);
* Code postal, Code INSEE and Téléphone are text cells (Excel would drop
  the leading zero of 03000 and print 4,73E+08);
* Horaires are the printed lines, one per line in the cell, which the hours
  parser reads back;
* Source is the provider's printed name, which ``annuaire.reference.sources.lookup``
  turns back into licence and date.

``write_csv(entries, path, encoding='cp1252', sep=';')`` writes the same
columns as the CSV French Excel opens by double-click: Windows-1252, ``;``,
decimal comma, dates as JJ/MM/AAAA, CRLF; a text value that a spreadsheet
would take for a formula gets a leading apostrophe (see :mod:`.cells`).  Characters cp1252 lacks are
replaced by their closest equivalent (narrow no-break space → no-break
space, accented letters of other languages → base letter, else '?').
"""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from annuaire import output
from annuaire.load import headers as load_headers
from annuaire.workbooks import cells
from annuaire.reference import taxonomy
from annuaire.model import Entry

# The template's headers (annuaire.load.headers.HEADERS), so an export can be
# filled in and read back like the template.
HEADERS: tuple[str, ...] = tuple(load_headers.HEADERS.values())
TEXT_COLUMNS = ("Code postal", "Code INSEE", "Téléphone")
WIDTHS = (42, 34, 34, 24, 11, 24, 11, 16, 30, 30, 40, 40, 11, 11, 30, 12)
NBSP = "\u00a0"


def typology_cell(code: str) -> str:
    """The print label when it resolves back to this code, else the code."""
    t = taxonomy.typology(code)
    back = taxonomy.resolve(t.print_label)
    return t.print_label if back is not None and back.code == code else code


def _plain_spaces(text: str | None) -> str | None:
    """Phones are typed with plain spaces in a spreadsheet."""
    return text.replace(NBSP, " ").replace("\u202f", " ") if text else text


def source_cell(entry: Entry) -> str | None:
    names: list[str] = []
    for p in entry.providers:
        if p.name and p.name not in names:
            names.append(p.name)
    return " ; ".join(names) or None


def entry_values(entry: Entry) -> list:
    """The cells of one entry, in HEADERS order (Python values)."""
    return [
        entry.name,
        typology_cell(entry.typology),
        entry.address,
        entry.address2,
        entry.postcode,
        entry.commune,
        entry.insee,
        _plain_spaces(entry.phone),
        entry.email,
        entry.website,
        "\n".join(entry.hours) or None,
        entry.description,
        entry.latitude,
        entry.longitude,
        source_cell(entry),
        entry.updated,
    ]


def _theme_label(slug: str) -> str:
    return taxonomy.theme(slug).label


def _sheet_title(text: str, used: set[str]) -> str:
    # Excel: 31 characters at most, none of []:*?/\ .
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31].strip() or "Feuille"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def group_by_theme(entries: Iterable[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries per theme, themes in Annex 1 order, entries in input order."""
    by: dict[str, list[Entry]] = {}
    for e in entries:
        by.setdefault(taxonomy.typology(e.typology).theme, []).append(e)
    order = [t.slug for t in taxonomy.themes()]
    return [(slug, by[slug]) for slug in order if slug in by]


def write_entries(
    entries: Iterable[Entry],
    path: str | Path,
    *,
    by_theme: bool = True,
    sheet_names: dict[str, str] | None = None,
    title: str | None = None,
) -> Path:
    """Write ``entries`` as a contributor workbook (.xlsx).

    ``by_theme`` puts each theme on its own sheet, named after the theme
    (``sheet_names`` may rename them: {'sante': 'Santé'}); else one sheet
    "Annuaire".  ``title`` adds a title row above the header, as people do
    (the loader finds the header row below it)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    entries = list(entries)
    groups = group_by_theme(entries) if by_theme else [("", entries)]
    if not groups:
        groups = [("", [])]
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    text_idx = {HEADERS.index(c) + 1 for c in TEXT_COLUMNS}
    for slug, items in groups:
        name = (sheet_names or {}).get(slug) or (_theme_label(slug) if slug else "Annuaire")
        ws = wb.create_sheet(_sheet_title(name, used))
        first = 1
        if title:
            ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
            first = 3  # a blank line between title and header, as people leave one
        for col, h in enumerate(HEADERS, start=1):
            c = ws.cell(row=first, column=col, value=h)
            c.font = Font(bold=True)
            ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]
        ws.freeze_panes = ws.cell(row=first + 1, column=1)
        for r, e in enumerate(items, start=first + 1):
            for col, v in enumerate(entry_values(e), start=1):
                if v is None:
                    continue
                c = ws.cell(row=r, column=col, value=v)
                if col in text_idx:
                    c.number_format = "@"
                elif isinstance(v, date):
                    c.number_format = "DD/MM/YYYY"
                elif isinstance(v, str) and "\n" in v:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.auto_filter.ref = f"A{first}:{get_column_letter(len(HEADERS))}{max(first, first + len(items))}"
        cells.sheet_as_text(ws)  # a name typed as « =HYPERLINK(…) » stays text
    with output.replacing(path) as tmp:
        wb.save(tmp)
    return path


# --------------------------------------------------------------------------- CSV

_CP1252_SUBST = {
    "\u202f": NBSP,
    "\u2007": NBSP,
    "\u2009": " ",
    "\u200a": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2011": "-",
    "\u2010": "-",
    "\u2012": "–",
    "\u2015": "—",
    "\u2212": "-",
    "\u2032": "'",
    "\u2033": '"',
    "\u2026": "…",
    "\u0153": "œ",
    "\u2019": "’",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
}


def to_charset(text: str, encoding: str = "cp1252") -> str:
    """``text`` with every character the encoding lacks replaced by its
    closest equivalent; what has none becomes '?'."""
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        sub = _CP1252_SUBST.get(ch)
        if sub is not None:
            try:
                sub.encode(encoding)
                out.append(sub)
                continue
            except UnicodeEncodeError:
                pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode(encoding)
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def _csv_value(v, decimal: str) -> str:
    if v is None:
        return ""
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, float):
        return repr(v).replace(".", decimal)  # a negative longitude stays a number
    return cells.csv_safe(str(v))  # text never starts a formula (OWASP)


def write_csv(
    entries: Iterable[Entry],
    path: str | Path,
    encoding: str = "cp1252",
    sep: str = ";",
    decimal: str | None = None,
    headers: Sequence[str] = HEADERS,
) -> Path:
    """Write ``entries`` as a delimited text file (default: what French Excel
    writes with « CSV (séparateur : point-virgule) »).  The decimal mark is a
    comma when the separator is ';', a point otherwise."""
    path = Path(path)
    if decimal is None:
        decimal = "," if sep == ";" else "."
    with output.replacing(path) as tmp, open(tmp, "w", encoding=encoding, errors="strict", newline="") as fh:
        w = csv.writer(fh, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow([to_charset(h, encoding) for h in headers])
        for e in entries:
            w.writerow([to_charset(_csv_value(v, decimal), encoding) for v in entry_values(e)])
    return path
