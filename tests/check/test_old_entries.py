"""Entries older than a threshold are listed for the editor (issue 8 §2).

``old_entries`` takes the printed entries and the edition date; the
information's date is the row's update, else its source's date."""

from __future__ import annotations

from datetime import date

from annuaire.check.freshness import old_entries
from annuaire.model import Entry, Origin, Provider

FINESS = Provider("FINESS (DREES)", date=date(2021, 1, 8))
RIOM = Provider("Mairie de Riom")


def entry(key, provider, updated=None, row=2, file="f.csv"):
    return Entry(
        key=key,
        name=f"Service {key}",
        typology="SA19",
        commune="Riom",
        updated=updated,
        providers=(provider,),
        origins=(Origin(file, None, row),),
    )


def test_threshold_in_calendar_months_from_the_edition_date():
    today = date(2026, 11, 27)
    es = [
        entry("a", RIOM, date(2024, 11, 27), row=2),  # exactly 24 months: not older
        entry("b", RIOM, date(2024, 11, 26), row=3),  # one day more: listed
        entry("c", FINESS, None, row=4, file="finess.ndjson"),  # the source's date: 2021
        entry("d", RIOM, None, row=5),  # no date at all: not listed here
    ]
    got = old_entries(es, today, months=24)
    assert [(o.name, o.date, o.source) for o in got] == [
        ("Service c", date(2021, 1, 8), "FINESS (DREES)"),
        ("Service b", date(2024, 11, 26), "Mairie de Riom"),
    ]
    assert [o.origins[0].row for o in got] == [4, 3]
    # A longer threshold keeps only the 2021 record.
    assert [o.name for o in old_entries(es, today, months=36)] == ["Service c"]


def test_row_update_wins_over_the_source_date():
    recent = entry("e", FINESS, date(2026, 6, 1))
    assert old_entries([recent], date(2026, 11, 27)) == ()
