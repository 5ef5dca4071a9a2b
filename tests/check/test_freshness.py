"""Freshness warnings around the six-month boundary of the convention."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from annuaire.check.freshness import COLUMN, months_before, stale_issues
from annuaire.model import Entry, Origin

TODAY = date(2024, 9, 13)


def _entry(updated, *rows, file="murat.xlsx", key="e"):
    origins = tuple(Origin(file, "Services", r) for r in (rows or (2,)))
    return Entry(key=key, name="Mairie de Murat", typology="SP04", commune="Murat", updated=updated, origins=origins)


@pytest.mark.parametrize(
    "today, months, limit",
    [
        (date(2024, 9, 13), 6, date(2024, 3, 13)),
        (date(2025, 8, 31), 6, date(2025, 2, 28)),  # clamped to the end of February
        (date(2024, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2026, 1, 15), 6, date(2025, 7, 15)),  # across a year
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
    ],
)
def test_months_before(today, months, limit):
    assert months_before(today, months) == limit


def test_boundary_of_six_months():
    limit = date(2024, 3, 13)
    entries = [
        _entry(limit, 2, key="a"),  # exactly six months: fresh
        _entry(limit - timedelta(days=1), 3, key="b"),  # one day more: stale
        _entry(limit + timedelta(days=1), 4, key="c"),
        _entry(TODAY, 5, key="d"),
        _entry(date(2022, 1, 1), 6, key="e"),
    ]
    issues = stale_issues(entries, TODAY)
    assert [(i.row, i.code) for i in issues] == [(3, "mise-a-jour-ancienne"), (6, "mise-a-jour-ancienne")]
    assert all(i.severity == "warning" and i.column == COLUMN == "Mise à jour" for i in issues)
    assert issues[0].file == "murat.xlsx" and issues[0].sheet == "Services"
    assert issues[0].value == "12/03/2024"


def test_message_in_french():
    (issue,) = stale_issues([_entry(date(2024, 3, 12))], TODAY)
    assert issue.message == (
        "Mise à jour le 12 mars 2024, il y a plus de 6 mois : vérifiez les informations et mettez la date à jour."
    )
    (first,) = stale_issues([_entry(date(2024, 3, 1))], TODAY)
    assert first.message.startswith("Mise à jour le 1er mars 2024,")


def test_missing_date():
    # a sibling row of the same sheet has a date: the column exists, this row left it empty
    (issue,) = stale_issues([_entry(None, 7), _entry(TODAY, 8, key="f")], TODAY)
    assert (issue.code, issue.severity, issue.row, issue.column) == ("mise-a-jour-absente", "warning", 7, "Mise à jour")
    assert "six mois" in issue.message and "12/03/2025" in issue.message


def test_period_is_configurable():
    old = _entry(date(2024, 1, 10))
    assert stale_issues([old], TODAY, months=12) == ()
    (issue,) = stale_issues([old], TODAY, months=3)
    assert "plus de 3 mois" in issue.message
    (issue,) = stale_issues([_entry(date(2023, 1, 10))], TODAY, months=12)
    assert "il y a plus d’un an :" in issue.message
    with pytest.raises(ValueError):
        stale_issues([old], TODAY, months=0)


def test_each_origin_row_once_and_file_filter():
    merged = _entry(date(2023, 5, 1), 4, 9)
    twice = [merged, merged]
    issues = stale_issues(twice, TODAY)
    assert [i.row for i in issues] == [4, 9]
    national = _entry(date(2023, 5, 1), 12, file="finess.ndjson", key="f")
    only = stale_issues([merged, national], TODAY, files={"murat.xlsx"})
    assert {i.file for i in only} == {"murat.xlsx"}


def test_a_sheet_without_any_date_gets_one_warning_for_the_sheet():
    """No row dated: the column is probably missing; one warning says to add it."""
    issues = stale_issues([_entry(None, r, key=f"e{r}") for r in range(2, 40)], TODAY)
    (issue,) = issues
    assert issue.code == "mise-a-jour-absente" and issue.row is None and issue.sheet == "Services"
    assert "ajoutez une colonne « Mise à jour »" in issue.message and "38 lignes" in issue.message
