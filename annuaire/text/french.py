"""French formatting of numbers, dates and counts: one place for the whole package.

* ``date_fr(d)``: '7 janvier 2021', '1er mars 2024' (French ordinal for the first day);
  the day and month are always joined by a no-break space; ``keep_year=True`` joins the
  year too (a date in running text never breaks), else the year may start a line;
* ``number_fr(n, sep=NBSP)``: '12 345' (the thousands separator is a no-break space in
  print, a narrow no-break space on the terminal);
* ``plural(n, 'entrée', 'entrées')``: '0 entrée', '1 entrée', '2 entrées' (French
  singular for 0 and 1), with the number formatted by ``number_fr``;
* ``month_fr(d)``: 'mars 2016'; ``month_span_fr(a, b)``: 'de mars 2016 à novembre 2026',
  'de mars à novembre 2026', 'd’avril 2021' (elided before a vowel);
* ``years_fr(months)``: 'deux ans', 'un an', '18 mois' (a period in running text).
"""

from __future__ import annotations

from datetime import date

NBSP = "\u00a0"
NNBSP = "\u202f"

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def date_fr(d: date, keep_year: bool = False) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day}{NBSP}{MONTHS[d.month - 1]}{NBSP if keep_year else ' '}{d.year}"


def number_fr(n: int, sep: str = NBSP) -> str:
    return f"{n:,}".replace(",", sep)


def plural(count: int, one: str, many: str, sep: str = NBSP) -> str:
    return f"{number_fr(count, sep)} {one if count < 2 else many}"


def month_fr(d: date) -> str:
    """« mars 2016 »: the month and its year never part."""
    return f"{MONTHS[d.month - 1]}{NBSP}{d.year}"


def _de(text: str) -> str:
    # « d’avril », « d’août », « d’octobre »: de is elided before a vowel.
    return f"d’{text}" if text[:1] in "aeiouéèêâîôû" else f"de {text}"


def month_span_fr(first: date, last: date) -> str:
    """« de mars 2016 à novembre 2026 », « de mars à novembre 2026 », « de novembre 2026 »."""
    if (first.year, first.month) == (last.year, last.month):
        return _de(month_fr(last))
    if first.year == last.year:
        return f"{_de(MONTHS[first.month - 1])} à {month_fr(last)}"
    return f"{_de(month_fr(first))} à {month_fr(last)}"


_YEARS = {1: "un an", 2: "deux ans", 3: "trois ans", 4: "quatre ans", 5: "cinq ans"}


def years_fr(months: int) -> str:
    """A period in words: « deux ans » for 24 months, « 18 mois » otherwise."""
    if months % 12 == 0 and months // 12 in _YEARS:
        return _YEARS[months // 12]
    if months % 12 == 0:
        return f"{months // 12} ans"
    return f"{months} mois"
