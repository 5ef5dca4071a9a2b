"""Freshness of the entries: the convention asks for an update every six months.

The convention signed with each local authority commits it to keep its
information up to date « sur une base semestrielle ».  ``stale_issues``
turns that into warnings located at the « Mise à jour » cell of every row an
entry was built from:

* ``mise-a-jour-ancienne``: the date is older than the period (six months
  by default, ``months`` to change it);
* ``mise-a-jour-absente``: the entry has no date at all.

The period is counted in calendar months: with ``today`` = 31 août 2025 and
six months, the limit is 28 février 2025 (the day is clamped to the end of
a shorter month).  A date on the limit is still fresh; a day before, stale.

``old_entries`` serves the editor rather than the contributor: the printed
entries whose information (the row's update, else its source's date) is
older than a threshold (24 months by default, ``--anciennete-max``), listed
in the report by source for checking before the edition goes to print.

The column is named by its header, "Mise à jour": an Entry does not keep
the column letter of each origin row, and :mod:`annuaire.workbooks.annotate` finds the
cell from the header row (any header the loader maps to that field).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Collection, Iterable

from annuaire.model import Entry, Issue, Origin
from annuaire.check.normalise.dates import format_date

COLUMN = "Mise à jour"


def months_before(today: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to the month's end."""
    index = today.year * 12 + (today.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _french_date(d: date) -> str:
    # Plain spaces: messages go to terminals and cell comments, not to print.
    return format_date(d).replace("\u00a0", " ")


def _period(months: int) -> str:
    if months == 12:
        return "un an"
    if months % 12 == 0:
        return f"{months // 12} ans"
    return f"{months} mois"


def stale_message(updated: date, months: int) -> str:
    more = "plus d’un an" if months == 12 else f"plus de {_period(months)}"
    return (
        f"Mise à jour le {_french_date(updated)}, il y a {more} : vérifiez les informations et mettez la date à jour."
    )


def missing_message(months: int) -> str:
    if months == 6:
        every = "six mois"
    elif months == 12:
        every = "ans"
    else:
        every = _period(months)
    return (
        "Date de mise à jour absente : vérifiez les informations et indiquez dans la colonne "
        f"« {COLUMN} » la date de cette vérification (par exemple 12/03/2025). La convention "
        f"prévoit une mise à jour tous les {every}."
    )


def stale_issues(
    entries: Iterable[Entry],
    today: date,
    months: int = 6,
    files: Collection[str] | None = None,
    dated_sheets: Collection[tuple[str, str | None]] = (),
) -> tuple[Issue, ...]:
    """Warnings for entries not updated within ``months`` months of ``today``.

    One warning per origin row (a merged entry warns at each of its rows),
    never two for the same row.  ``files``, when given, limits the warnings
    to rows of those files (the contributors' spreadsheets, not national
    datasets whose dates are the producer's).  ``dated_sheets`` names the
    (file, sheet) pairs known to carry dates even if none could be read, so
    their undated rows are reported one by one."""
    if months < 1:
        raise ValueError("months must be at least 1")
    entries = list(entries)
    limit = months_before(today, months)
    seen: set[tuple[str, str | None, int]] = set()
    out: list[tuple[Origin, Issue]] = []
    for e in entries:
        for o in e.origins:
            if files is not None and o.file not in files:
                continue
            where = (o.file, o.sheet, o.row)
            if where in seen:
                continue
            if e.updated is None:
                issue = Issue.at("warning", "mise-a-jour-absente", missing_message(months), o, column=COLUMN)
            elif e.updated < limit:
                issue = Issue.at(
                    "warning",
                    "mise-a-jour-ancienne",
                    stale_message(e.updated, months),
                    o,
                    column=COLUMN,
                    value=e.updated.strftime("%d/%m/%Y"),
                )
            else:
                continue
            seen.add(where)
            out.append((o, issue))
    out = _fold_undated_sheets(out, entries, files, months, set(dated_sheets))
    out.sort(key=lambda p: (p[0].file, p[0].sheet or "", p[0].row))
    return tuple(i for _, i in out)


def _fold_undated_sheets(out, entries, files, months, dated_sheets):
    """A sheet where no row has a date most likely has no « Mise à jour »
    column at all: one warning for the sheet says so, instead of a warning
    per row asking to fill a column the contributor cannot find."""
    dated: dict[tuple[str, str | None], bool] = {}
    for e in entries:
        for o in e.origins:
            if files is None or o.file in files:
                key = (o.file, o.sheet)
                dated[key] = dated.get(key, False) or e.updated is not None
    undated = {k for k, has in dated.items() if not has and k not in dated_sheets}
    if not undated:
        return out
    kept = [(o, i) for o, i in out if (o.file, o.sheet) not in undated]
    for file, sheet in sorted(undated, key=lambda k: (k[0], k[1] or "")):
        rows = sorted(o.row for o, i in out if (o.file, o.sheet) == (file, sheet))
        first = Origin(file, sheet, rows[0] if rows else 1)
        kept.append(
            (
                first,
                Issue(
                    severity="warning",
                    code="mise-a-jour-absente",
                    file=file,
                    sheet=sheet,
                    row=None,
                    column=COLUMN,
                    message=(
                        f"Aucune date de mise à jour dans cette feuille ({len(rows)} lignes) : ajoutez "
                        f"une colonne « {COLUMN} » si elle manque, et indiquez pour chaque service la "
                        "date de sa dernière vérification (par exemple 12/03/2025). La convention "
                        f"prévoit une mise à jour tous les {_every(months)}."
                    ),
                ),
            )
        )
    return kept


def information_date(e: Entry) -> date | None:
    """The date of an entry's information: its update, else its newest source's date."""
    return e.updated or max((p.date for p in e.providers if p.date), default=None)


@dataclass(frozen=True)
class OldEntry:
    """A printed entry whose information is older than the threshold."""

    source: str  # the entry's sources, as its « Source : » line names them
    name: str
    typology: str  # code
    commune: str
    date: date
    origins: tuple[Origin, ...]


def old_entries(entries: Iterable[Entry], today: date, months: int = 24) -> tuple[OldEntry, ...]:
    """Entries whose information dates from before ``months`` calendar months
    before ``today`` (the edition date), by source then file order.

    Entries without any date are not listed here: the build counts them on
    the guide page and ``stale_issues`` asks contributors for the date."""
    if months < 1:
        raise ValueError("months must be at least 1")
    limit = months_before(today, months)
    out = []
    for e in entries:
        when = information_date(e)
        if when is None or when >= limit:
            continue
        source = ", ".join(dict.fromkeys(p.name for p in e.providers if p.name)) or (
            e.origins[0].file if e.origins else ""
        )
        out.append(OldEntry(source, e.name, e.typology, e.commune, when, e.origins))
    out.sort(key=lambda o: (o.source, o.origins[0].file if o.origins else "", *_place(o)))
    return tuple(out)


def _place(o: OldEntry) -> tuple[str, int]:
    first = o.origins[0] if o.origins else None
    return (first.sheet or "", first.row) if first else ("", 0)


def _every(months: int) -> str:
    return {6: "six mois", 12: "ans"}.get(months) or _period(months)


__all__ = ["stale_issues", "months_before", "old_entries", "information_date", "OldEntry", "COLUMN"]
