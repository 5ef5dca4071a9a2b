"""French formatting of numbers, dates and counts: one place for the whole package.

* ``date_fr(d)``: '7 janvier 2021', '1er mars 2024' (French ordinal for the first day);
  the day and month are always joined by a no-break space; ``keep_year=True`` joins the
  year too (a date in running text never breaks), else the year may start a line;
* ``number_fr(n, sep=NBSP)``: '12 345' (the thousands separator is a no-break space in
  print, a narrow no-break space on the terminal);
* ``plural(n, 'entrée', 'entrées')``: '0 entrée', '1 entrée', '2 entrées' (French
  singular for 0 and 1), with the number formatted by ``number_fr``.
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
