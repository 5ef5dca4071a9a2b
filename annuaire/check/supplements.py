"""Supplements: rows that annotate another source's entry instead of being one.

The SAE bordereaux URGENCES, PERINAT and SMURSAMU say which hospitals have an
emergency department, a maternity (and its level), a SAMU or a SMUR.  A reader
looks for that on the hospital's entry, so each such row (``RawRow.annotates``
names the identifier scheme, ``'finess'``) is joined, after merge, to the entry
that carries the same FINESS géographique; when none does, to the entry whose
own FINESS is the row's FINESS juridique (a legal body with one site).

Accounting (``rows_read = printed + rejected + duplicates + out_of_scope +
withdrawn``): a supplement row joined to an entry is **merged** into it, like
a duplicate from another source: it is counted in ``duplicates``, listed in
that entry's merge (reason « complément … : même FINESS … ») and its provider
is credited.  A supplement row whose hospital is in none of the files read is
**rejected** with the error ``complement-sans-etablissement`` at its row, which
says which file to add: it is never lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from annuaire.model import Entry, Issue, Merge, RawRow
from annuaire.text import typo

CODE = "complement-sans-etablissement"


@dataclass(frozen=True)
class Attached:
    entries: tuple[Entry, ...]
    merges: tuple[Merge, ...]
    issues: tuple[Issue, ...]
    joined: int  # supplement rows merged into an entry (counted as duplicates)
    rejected: int  # supplement rows that annotate no entry


def _dataset(row: RawRow) -> str:
    return row.provider.name if row.provider else row.origin.file


def attach(entries: Sequence[Entry], merges: Sequence[Merge], rows: Iterable[RawRow]) -> Attached:
    """Join each supplement row to the entry sharing its identifier."""
    out = list(entries)
    index: dict[tuple[str, str], int] = {}
    for i, e in enumerate(out):
        for scheme, value in e.ids:
            index.setdefault((scheme, value), i)
    by_kept = {m.kept: m for m in merges}
    issues: list[Issue] = []
    joined = rejected = 0
    for row in rows:
        scheme = row.annotates or ""
        ids = dict(row.ids)
        own, legal = ids.get(scheme), ids.get(f"{scheme}_ej")
        at = index.get((scheme, own)) if own else None
        how = f"même FINESS géographique {own}"
        if at is None and legal:
            # Keyed by the legal body: only when that number is an entry's own.
            at = index.get((scheme, legal))
            how = f"FINESS juridique {legal}, numéro de l’établissement"
        if at is None:
            rejected += 1
            name = row.fields.get("nom") or ""
            issues.append(
                Issue.at(
                    "error",
                    CODE,
                    f"« {name} » (FINESS {own}) n’est dans aucun des fichiers lus : cette ligne ne "
                    "fait que compléter l’entrée de l’hôpital (urgences, maternité, SAMU, SMUR) et "
                    "n’est pas imprimée seule. Ajoutez le fichier FINESS ou la SAE (bordereau ID) "
                    "qui contient cet établissement.",
                    row.origin,
                    "FI",
                    own,
                )
            )
            continue
        joined += 1
        e = out[at]
        providers = e.providers + ((row.provider,) if row.provider and row.provider not in e.providers else ())
        out[at] = replace(
            e,
            services=e.services + tuple(s for s in map(typo.french, row.services) if s not in e.services),
            providers=providers,
            origins=e.origins + (row.origin,),
        )
        why = f"complément {_dataset(row)} : {how}"
        old = by_kept.get(e.key)
        if old is None:
            by_kept[e.key] = Merge(kept=e.key, merged=e.origins + (row.origin,), reason=why)
        else:
            reason = old.reason if why in old.reason else f"{old.reason} ; {why}"
            by_kept[e.key] = Merge(kept=e.key, merged=old.merged + (row.origin,), reason=reason)
    ordered = [by_kept.pop(m.kept) for m in merges if m.kept in by_kept] + list(by_kept.values())
    return Attached(tuple(out), tuple(ordered), tuple(issues), joined, rejected)
