"""Dates of last update."""

from datetime import date, datetime

import pytest

from annuaire.check.normalise.dates import format_date, normalise_date

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    "raw, parsed",
    [
        (45000, date(2023, 3, 15)),  # Excel serial (1900 leap-year bug accounted for)
        (45000.0, date(2023, 3, 15)),
        ("45000", date(2023, 3, 15)),
        (45728, date(2025, 3, 12)),
        (datetime(2025, 3, 12, 10, 30), date(2025, 3, 12)),
        (date(2025, 3, 12), date(2025, 3, 12)),
        ("12/03/2025", date(2025, 3, 12)),
        ("12/03/25", date(2025, 3, 12)),
        ("12.03.2025", date(2025, 3, 12)),
        ("2025-03-12", date(2025, 3, 12)),
        ("2025-03-12T08:00:00", date(2025, 3, 12)),
        ("12 mars 2025", date(2025, 3, 12)),
        ("1er mars 2025", date(2025, 3, 1)),
        ("12 Décembre 2024", date(2024, 12, 12)),
        ("12 decembre 2024", date(2024, 12, 12)),
        ("03/2025", date(2025, 3, 1)),
        ("mars 2025", date(2025, 3, 1)),
        ("08/2025", date(2025, 8, 1)),  # Service-Public 'millesime'
        ("2015-04-30", date(2015, 4, 30)),  # DILA 'update'
    ],
)
def test_parsed(raw, parsed):
    assert normalise_date(raw, today=TODAY) == (parsed, ())


@pytest.mark.parametrize("raw", ["31/02/2025", "bientôt", "13/13/2025", 12])
def test_invalid(raw):
    value, problems = normalise_date(raw, today=TODAY)
    assert value is None
    assert problems[0].code == "date-invalide" and problems[0].severity == "warning"
    assert "12/03/2025" in problems[0].message


def test_future_date_warns():
    value, problems = normalise_date("12/03/2027", today=TODAY)
    assert value == date(2027, 3, 12)
    assert problems[0].code == "date-future"
    assert "12 mars 2027" in problems[0].message


def test_blank():
    assert normalise_date(None) == (None, ())
    assert normalise_date("  ") == (None, ())


@pytest.mark.parametrize(
    "d, printed",
    [
        (date(2025, 3, 12), "12 mars 2025"),
        (date(2025, 3, 1), "1er mars 2025"),
        (date(2024, 8, 15), "15 août 2024"),
        (date(2024, 2, 2), "2 février 2024"),
    ],
)
def test_format(d, printed):
    assert format_date(d) == printed.replace(" ", "\u00a0")
    assert format_date(None) is None


def test_month_first_date_suggests_the_french_order():
    value, problems = normalise_date("01/13/2026", today=date(2026, 11, 27))
    assert value is None and problems[0].code == "date-invalide"
    assert "Écrivez « 13/01/2026 »" in problems[0].message
    _, problems = normalise_date("31/02/2025", today=date(2026, 11, 27))
    assert "12/03/2025" in problems[0].message  # not a swap: the generic example
