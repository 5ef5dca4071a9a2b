"""Normalisers: one module per kind of value, each a pure function.

Every normaliser takes the raw cell value as the loader gives it (str, int,
float, date, datetime or None) and returns a :class:`Normalised` pair:
the print-ready value (``None`` when there is nothing to print) and the
problems found, as :class:`Problem` objects (severity, stable code, French
message saying what to do).  ``validate`` turns problems into located
:class:`annuaire.model.Issue` objects; normalisers know nothing about files,
rows or columns, and import neither reportlab nor click.

    >>> value, problems = normalise_phone(473312000)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from annuaire.model import Severity

NBSP = "\u00a0"


class Problem(NamedTuple):
    """A problem found in one value; ``validate`` adds the location."""

    severity: Severity
    code: str
    message: str


class Normalised(NamedTuple):
    """The printed value and the problems (unpacks as ``value, problems``)."""

    value: Any
    problems: tuple[Problem, ...] = ()


def is_blank(value: Any) -> bool:
    """True for None, empty or whitespace-only strings (empty cells)."""
    return value is None or (isinstance(value, str) and not value.strip())


from annuaire.check.normalise.dates import format_date, normalise_date  # noqa: E402
from annuaire.check.normalise.hours import normalise_hours  # noqa: E402
from annuaire.check.normalise.phone import normalise_phone  # noqa: E402
from annuaire.check.normalise.postcode import check_postcode, normalise_postcode  # noqa: E402
from annuaire.check.normalise.web import normalise_email, normalise_url  # noqa: E402

__all__ = [
    "NBSP",
    "Normalised",
    "Problem",
    "is_blank",
    "check_postcode",
    "format_date",
    "normalise_date",
    "normalise_email",
    "normalise_hours",
    "normalise_phone",
    "normalise_postcode",
    "normalise_url",
]
