"""Find and fold duplicates across sources.

Two entries are the same service when they share an identifier (SIRET,
FINESS, UAI), or when they have the same typology and commune and the same
normalised name, address or phone number.  Those are merged: the most recent
values win field by field, and every origin and provider is kept so the
attribution credits all sources.  Entries of the same typology and commune
whose names are merely close are *not* merged: a person decides, so they are
reported as warnings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Iterable

from annuaire.text.collate import plain
from annuaire.model import Entry, Issue, Merge

# Identifiers that name one establishment; FINESS juridique or SIREN name a
# legal body with many sites, so they are deliberately absent.
_STRONG_IDS = ("siret", "finess", "uai")

# Words that do not tell two services apart ('Mairie d'Ally' = 'Mairie - Ally').
_STOP = {"de", "d", "du", "des", "la", "le", "les", "l", "et", "a", "au", "aux", "en", "sur"}

# Fields merged "most recent first"; the rest (key, typology…) come from the newest entry.
_MERGED_FIELDS = (
    "address", "address2", "postcode", "phone", "email", "website", "hours",
    "description", "latitude", "longitude",
)


@dataclass(frozen=True)
class MergeResult:
    entries: tuple[Entry, ...]
    merges: tuple[Merge, ...]
    issues: tuple[Issue, ...]

    @property
    def duplicates(self) -> int:
        """Rows folded into another entry (each merge keeps one of its rows)."""
        return sum(len(m.merged) - 1 for m in self.merges)


def _plain(text: str | None) -> str:
    s = plain(text or "")
    s = s.replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[^0-9a-z]+", " ", s).strip()


def name_key(name: str) -> str:
    return " ".join(w for w in _plain(name).split() if w not in _STOP)


def address_key(address: str | None) -> str:
    return name_key(address or "")


def phone_key(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")


class _Groups:
    """Union-find over entry indexes, remembering why two were joined.

    Each group also knows its establishment identifiers: two groups that
    carry *different* FINESS (or SIRET, UAI) numbers are distinct
    establishments even at one address with one phone (a SESSAD and an ITEP
    in the same building), so they are never joined."""

    def __init__(self, n: int, ids: list[dict[str, set[str]]]) -> None:
        self.parent = list(range(n))
        self.reason: dict[int, str] = {}
        self.ids = ids

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, a: int, b: int) -> bool:
        ia, ib = self.ids[self.find(a)], self.ids[self.find(b)]
        return any(ia[k] and ib[k] and not ia[k] & ib[k] for k in ia.keys() & ib.keys())

    def union(self, a: int, b: int, why: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.conflict(ra, rb):
            return False
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        for scheme, values in self.ids[hi].items():
            self.ids[lo].setdefault(scheme, set()).update(values)
        self.reason.setdefault(lo, why)
        return True


def _recency(e: Entry) -> tuple:
    # Newest first; undated entries last; ties keep input order (stable sort).
    return (e.updated is None, -(e.updated or date.min).toordinal())


def _fold(group: list[Entry]) -> Entry:
    ordered = sorted(group, key=_recency)
    newest = ordered[0]
    values = {}
    for name in _MERGED_FIELDS:
        for e in ordered:
            v = getattr(e, name)
            if v not in (None, "", ()):
                values[name] = v
                break
    providers, origins, ids = [], [], []
    for e in group:  # input order, so the first source read is credited first
        providers += [p for p in e.providers if p not in providers]
        origins += [o for o in e.origins if o not in origins]
        ids += [i for i in e.ids if i not in ids]
    return replace(
        newest,
        key=group[0].key,
        providers=tuple(providers),
        origins=tuple(origins),
        ids=tuple(ids),
        **values,
    )


def merge(entries: Iterable[Entry], near_ratio: float = 0.85) -> MergeResult:
    items = list(entries)
    groups = _Groups(len(items), [
        {scheme: {v for k, v in e.ids if k == scheme and v} for scheme in _STRONG_IDS}
        for e in items
    ])

    by_id: dict[tuple[str, str], int] = {}
    for i, e in enumerate(items):
        for scheme, value in e.ids:
            if scheme in _STRONG_IDS and value:
                k = (scheme, value)
                if k in by_id:
                    groups.union(by_id[k], i, f"même identifiant {scheme.upper()} {value}")
                else:
                    by_id[k] = i

    buckets: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(items):
        buckets.setdefault((e.typology, e.insee or e.commune), []).append(i)

    near: list[tuple[int, int]] = []
    for members in buckets.values():
        if len(members) < 2:
            continue
        seen: dict[tuple[str, str], int] = {}
        names = {i: name_key(items[i].name) for i in members}  # reused by the pairwise check
        for i in members:
            e = items[i]
            for kind, value, why in (
                ("name", names[i], "même typologie, commune et nom"),
                ("address", address_key(e.address), "même typologie, commune et adresse"),
                ("phone", phone_key(e.phone), "même typologie, commune et téléphone"),
            ):
                # Short or shared numbers (3631 for every post office) prove nothing.
                if not value or (kind == "phone" and len(value) < 10):
                    continue
                if kind == "address" and len(value) < 8:
                    continue
                if (kind, value) in seen:
                    groups.union(seen[(kind, value)], i, why)
                else:
                    seen[(kind, value)] = i
        if len(members) <= 200:  # pairwise check only where it stays cheap
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1:]:
                    if groups.find(a) == groups.find(b):
                        continue
                    ka, kb = names[a], names[b]
                    if not (ka and kb):
                        continue
                    # The quick ratios are upper bounds of ratio(): most pairs stop there.
                    sm = difflib.SequenceMatcher(None, ka, kb)
                    if sm.real_quick_ratio() >= near_ratio and sm.quick_ratio() >= near_ratio \
                            and sm.ratio() >= near_ratio:
                        near.append((a, b))

    clusters: dict[int, list[int]] = {}
    for i in range(len(items)):
        clusters.setdefault(groups.find(i), []).append(i)

    out: list[Entry] = []
    merges: list[Merge] = []
    for root, members in sorted(clusters.items()):
        if len(members) == 1:
            out.append(items[members[0]])
            continue
        group = [items[i] for i in members]
        folded = _fold(group)
        out.append(folded)
        merges.append(
            Merge(
                kept=folded.key,
                merged=tuple(o for e in group for o in e.origins),
                reason=groups.reason.get(root, "doublon"),
            )
        )

    issues = []
    for a, b in near:
        ea, eb = items[a], items[b]
        where = eb.origins[0] if eb.origins else None
        other = ea.origins[0].describe() if ea.origins else ea.key
        issues.append(
            Issue.at(
                "warning",
                "doublon-possible",
                f"« {eb.name} » ressemble à « {ea.name} » ({other}) : même typologie et même "
                f"commune ({eb.commune}). S'il s'agit du même service, supprimez une des deux "
                "lignes ; sinon, rendez les noms plus distincts.",
                where,
                column="Nom",
                value=eb.name,
            )
        )
    return MergeResult(tuple(out), tuple(merges), tuple(issues))
