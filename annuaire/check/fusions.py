"""Services of Annex 1 merged since 2008 print once, under today's service.

Annex 1 dates from 2008; several of its services have been merged since (the
DDAF and the DDE into the DDT in 2010, the DRIRE and the DIREN into the DREAL,
the Assedic and the ANPE into Pôle emploi then France Travail, the DDCCRF and
the DDSV into the DDPP).  The table ``annuaire/data/fusions.csv`` (date and
legal text of each merger, see :func:`annuaire.reference.taxonomy.fusions`)
says which typology today's service prints under; an entry filed under a
merged typology (a DREAL unité départementale under « DRIRE ») is moved
there before duplicates are merged, so that the same service filed under
both prints once.  The contents give each merged typology a « voir » line
(:mod:`annuaire.pdf.compose`).

Each move is reported once per sheet and typology (``typologie-fusionnee``,
severity ``info``): it changes where the contributor's rows print.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable

from annuaire.model import Entry, Issue, Origin
from annuaire.reference import taxonomy
from annuaire.text.french import date_fr


@dataclass(frozen=True)
class FoldResult:
    entries: tuple[Entry, ...]
    issues: tuple[Issue, ...]


def fold(entries: Iterable[Entry]) -> FoldResult:
    """Entries of merged typologies moved to today's typology, with one info per sheet and typology."""
    moved: dict[tuple[str, str | None, str], list[Origin]] = {}
    out = []
    for e in entries:
        new = taxonomy.merged_into(e.typology)
        if new is None:
            out.append(e)
            continue
        for o in e.origins[:1]:
            moved.setdefault((o.file, o.sheet, e.typology), []).append(o)
        out.append(replace(e, typology=new))
    issues = []
    for (file, sheet, old), origins in moved.items():
        f = next(f for f in taxonomy.fusions() if f.old == old)
        n = len(origins)
        first = min(origins, key=lambda o: o.row)
        since = date_fr(date.fromisoformat(f.since), keep_year=True).replace("\u00a0", " ")
        lines = f"{n} lignes" if n > 1 else "1 ligne"
        issues.append(
            Issue.at(
                "info",
                "typologie-fusionnee",
                f"{lines} de typologie « {taxonomy.typology(old).label} » "
                f"{'sont imprimées' if n > 1 else 'est imprimée'} sous « {taxonomy.typology(f.new).print_label} » : "
                f"{f.comment} ({f.text}, {since}). Le sommaire renvoie de l’une à l’autre.",
                first,
                value=str(n),
            )
        )
    return FoldResult(tuple(out), tuple(issues))


__all__ = ["FoldResult", "fold"]
