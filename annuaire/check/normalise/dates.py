"""Dates of last update, from whatever a spreadsheet holds.

Accepted: ``date``/``datetime`` cells, Excel serial numbers (``45000`` is
2023-03-15; Excel counts 1900-02-29, which never existed, so serials are
counted from 1899-12-30), ``12/03/2025``, ``12-03-25``, ``2025-03-12``
(ISO, with or without time), ``12 mars 2025``, ``1er mars 2025``, ``03/2025``
and ``mars 2025`` (first of the month).

``normalise_date(value, today=None) -> Normalised(date | None, problems)``;
``format_date(d) -> '12 mars 2025'`` ('1er' for the first of the month).
Codes: ``date-invalide`` (warning: the date is dropped, the row kept),
``date-future`` (warning).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from annuaire.text.collate import plain as _plain
from annuaire.check.normalise import NBSP, Normalised, Problem, is_blank

from annuaire.text.french import MONTHS, date_fr


_MONTH_KEYS = {_plain(m): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_KEYS.update(
    {"fevr": 2, "fev": 2, "janv": 1, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12, "aout": 8}
)
_EXCEL_EPOCH = date(1899, 12, 30)


def format_date(d: date | None) -> str | None:
    """'12 mars 2025', '1er mars 2025' (non-breaking spaces: a date never breaks)."""
    return date_fr(d, keep_year=True) if d is not None else None


def _from_serial(n: float) -> date | None:
    # Serials before 61 fall before Excel's phantom 29 February 1900; nobody
    # dates an update in 1900, so only plausible serials (1950–2100) are taken.
    if 18264 <= n <= 73051:
        return _EXCEL_EPOCH + timedelta(days=int(n))
    return None


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if len(y) == 2 else n


def _parse_text(text: str) -> date | None:
    t = text.strip().replace("\u00a0", " ")
    if re.fullmatch(r"\d+(?:[.,]\d+)?", t):
        return _from_serial(float(t.replace(",", ".")))
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$", t)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:\s+\d{1,2}[:h]\d{2}.*)?$", t)
    if m:
        return date(_year(m[3]), int(m[2]), int(m[1]))
    m = re.match(r"^(\d{1,2})[/.-](\d{4})$", t)
    if m:
        return date(int(m[2]), int(m[1]), 1)
    m = re.match(r"^(?:\w+\s+)?(\d{1,2})(?:er)?\s+([^\W\d]+)\.?\s+(\d{4})$", t)
    if m and _plain(m[2]) in _MONTH_KEYS:
        return date(int(m[3]), _MONTH_KEYS[_plain(m[2])], int(m[1]))
    m = re.match(r"^([^\W\d]+)\.?\s+(\d{4})$", t)
    if m and _plain(m[1]) in _MONTH_KEYS:
        return date(int(m[2]), _MONTH_KEYS[_plain(m[1])], 1)
    return None


def _month_day_swapped(value: Any) -> str | None:
    """'01/13/2026' (month first, as American software writes it) -> '13/01/2026'."""
    m = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", str(value))
    if not m:
        return None
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    if not (1 <= first <= 12 < second <= 31):
        return None
    try:
        date(year, first, second)
    except ValueError:
        return None
    return f"{second:02d}/{first:02d}/{year}"


def normalise_date(value: Any, today: date | None = None) -> Normalised:
    """The date as a ``datetime.date`` (print it with :func:`format_date`)."""
    if is_blank(value):
        return Normalised(None)
    d: date | None
    try:
        if isinstance(value, datetime):
            d = value.date()
        elif isinstance(value, date):
            d = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            d = _from_serial(float(value))
        else:
            d = _parse_text(str(value))
    except ValueError:  # 31/02/2025 and the like
        d = None
    if d is None:
        swapped = _month_day_swapped(value)
        hint = (
            f" Jour et mois inversés (format américain) ? Écrivez « {swapped} »."
            if swapped
            else " Écrivez-la sous la forme 12/03/2025."
        )
        return Normalised(
            None,
            (
                Problem(
                    "warning",
                    "date-invalide",
                    f"« {value} » n’est pas une date reconnue ; elle est ignorée.{hint}",
                ),
            ),
        )
    today = today or date.today()
    if d > today:
        return Normalised(
            d,
            (
                Problem(
                    "warning",
                    "date-future",
                    f"La date de mise à jour {format_date(d).replace(NBSP, ' ')} est dans le futur : "
                    "vérifiez-la (jour et mois inversés ?).",
                ),
            ),
        )
    return Normalised(d)
