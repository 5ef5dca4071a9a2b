"""Entries arranged as the printed directory reads: theme > group > sub-group > typology.

:func:`group` puts validated entries into the Annex 1 tree of the requested
themes, in annex order, drops the branches that have no entry and sorts the
entries of each typology by commune then name in French order (a reader looks
for « the pharmacy in Riom », so the commune comes first).  It never drops an
entry: an entry whose typology belongs to none of the requested themes is a
bug upstream (selection is ``select``'s job) and raises ``ValueError``.

:class:`Directory` is what the PDF engine prints: the sections plus the
cover texts, the edition date and the data providers to credit
(:func:`credits` counts them from the entries).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Iterable

from annuaire.text.collate import sort_key as _sort_key
from annuaire.model import Entry

# French sort keys are costly (tens of µs each) and the same names are sorted
# again for the indexes: one bounded cache serves both.
sort_key = lru_cache(maxsize=1 << 17)(_sort_key)


@dataclass(frozen=True)
class CommuneRun:
    """The consecutive entries of one commune inside a typology section."""

    commune: str  # as printed on the entries ('' when not given)
    insee: str | None
    label: str  # the commune heading: the name, with the département for homonyms
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class TypologySection:
    typology: "Typology"  # noqa: F821 - annuaire.reference.taxonomy.Typology
    entries: tuple[Entry, ...]

    def communes(self) -> tuple[CommuneRun, ...]:
        """The entries cut where the commune changes (they are sorted by commune).

        Homonym communes (same name, other INSEE code) are separate runs,
        labelled with their département: « Saint-Saturnin (15) »."""
        runs: list[list] = []
        last = None
        for e in self.entries:
            k = (e.commune or "", e.insee)
            if k != last:
                runs.append([k, []])
                last = k
            runs[-1][1].append(e)
        names = Counter(k[0] for k, _ in runs)
        out = []
        for (name, insee), es in runs:
            label = name or "Commune non précisée"
            if names[name] > 1 and insee:
                label = f"{label} ({insee[:3] if insee.startswith('97') else insee[:2]})"
            out.append(CommuneRun(name, insee, label, tuple(es)))
        return tuple(out)


@dataclass(frozen=True)
class SubgroupSection:
    label: str | None  # None where the typologies sit directly under the group
    typologies: tuple[TypologySection, ...]


@dataclass(frozen=True)
class GroupSection:
    label: str
    subgroups: tuple[SubgroupSection, ...]

    def typologies(self) -> tuple[TypologySection, ...]:
        return tuple(t for s in self.subgroups for t in s.typologies)


@dataclass(frozen=True)
class ThemeSection:
    theme: "Theme"  # noqa: F821 - annuaire.reference.taxonomy.Theme
    groups: tuple[GroupSection, ...]

    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for g in self.groups for t in g.typologies() for e in t.entries)


@dataclass(frozen=True)
class ProviderCredit:
    """One data source as the colophon credits it."""

    name: str
    dataset: str | None = None
    licence: str | None = None
    date: date | None = None
    url: str | None = None
    entries: int = 0
    # Without a date of its own (a contributor's sheet), the source is dated
    # by its entries' updates: the oldest and the newest.
    oldest: date | None = None
    newest: date | None = None


def entry_date(e: Entry) -> date | None:
    """The date of an entry's information: its update, else its newest source's date."""
    from annuaire.check.freshness import information_date

    return information_date(e)


@dataclass(frozen=True)
class SeeAlso:
    """A « voir » line of the contents: a 2008 service merged since into the
    service printed under ``new`` (annuaire/data/fusions.csv)."""

    old: str  # the Annex 1 typology of the merged service
    see: str  # its name as the contents print it (« DDE (équipement) »)
    new: str  # the typology today's service prints under


@dataclass(frozen=True)
class Directory:
    """Everything the PDF engine needs to print one edition."""

    title: str  # 'Annuaire des services'
    subtitle: str  # usually the theme(s): 'Action sociale et santé'
    territory: str  # 'Communauté de communes Riom Limagne et Volcans'
    edition_date: date
    themes: tuple[ThemeSection, ...]
    providers: tuple[ProviderCredit, ...] = ()
    publisher: str | None = None  # who publishes the edition (colophon, back cover)
    note: str | None = None  # extra colophon text, French
    edition: "Edition | None" = None  # noqa: F821 - legal mentions and cover identity (editions.edition)
    see_also: tuple[SeeAlso, ...] = ()  # merged 2008 services whose new service is printed

    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for t in self.themes for e in t.entries())

    def data_span(self) -> tuple[date | None, date | None, int]:
        """(oldest, newest) date of the printed information, and how many entries have none."""
        dates = [entry_date(e) for e in self.entries()]
        known = [d for d in dates if d is not None]
        if not known:
            return None, None, len(dates)
        return min(known), max(known), len(dates) - len(known)


def group(entries: Iterable[Entry], theme_slugs: Iterable[str]) -> tuple[ThemeSection, ...]:
    """Arrange ``entries`` under the themes ``theme_slugs``, in Annex 1 order.

    Empty typologies, sub-groups, groups and themes are left out.  Raises
    ``ValueError`` for an entry whose typology code is unknown or outside the
    requested themes, so that no entry is ever lost silently."""
    from annuaire.reference import taxonomy

    slugs = list(dict.fromkeys(theme_slugs))
    wanted = {taxonomy.theme(s).slug for s in slugs}
    by_code: dict[str, list[Entry]] = {}
    for e in entries:
        try:
            typ = taxonomy.typology(e.typology)
        except KeyError:
            raise ValueError(f"Typologie inconnue « {e.typology} » pour la fiche {e.key} ({e.name}).") from None
        if typ.theme not in wanted:
            raise ValueError(
                f"La fiche {e.key} ({e.name}) relève du thème « {typ.theme} », "
                f"absent des thèmes demandés ({', '.join(sorted(wanted))})."
            )
        by_code.setdefault(typ.code, []).append(e)

    def order(e: Entry) -> tuple:
        # The INSEE code keeps homonym communes apart; the key last makes
        # the order total, hence reproducible.
        return (sort_key(e.commune or ""), e.insee or "", sort_key(e.name or ""), e.key)

    out: list[ThemeSection] = []
    for slug in slugs:
        th = taxonomy.theme(slug)
        groups: list[GroupSection] = []
        for g in th.groups:
            subs: list[SubgroupSection] = []
            for s in g.subgroups:
                typs = tuple(
                    TypologySection(t, tuple(sorted(by_code[t.code], key=order)))
                    for t in s.typologies
                    if by_code.get(t.code)
                )
                if typs:
                    subs.append(SubgroupSection(s.label, typs))
            if subs:
                groups.append(GroupSection(g.label, tuple(subs)))
        if groups:
            out.append(ThemeSection(th, tuple(groups)))
    return tuple(out)


def credits(entries: Iterable[Entry]) -> tuple[ProviderCredit, ...]:
    """Every provider of ``entries`` with its number of entries, most entries first."""
    counts: Counter = Counter()
    spans: dict[tuple, tuple[date, date]] = {}
    for e in entries:
        for p in dict.fromkeys(e.providers):
            k = (p.name, p.dataset, p.licence, p.date, p.url)
            counts[k] += 1
            when = e.updated or p.date
            if when is not None:
                lo, hi = spans.get(k, (when, when))
                spans[k] = (min(lo, when), max(hi, when))
    return tuple(
        ProviderCredit(
            name=k[0],
            dataset=k[1],
            licence=k[2],
            date=k[3],
            url=k[4],
            entries=n,
            oldest=spans[k][0] if k in spans else None,
            newest=spans[k][1] if k in spans else None,
        )
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], str(kv[0][1:])))
    )


def make_directory(
    entries: Iterable[Entry],
    theme_slugs: Iterable[str],
    territory: str,
    edition_date: date,
    title: str = "Annuaire des services",
    subtitle: str | None = None,
    publisher: str | None = None,
    note: str | None = None,
    edition=None,
) -> Directory:
    """Convenience: group the entries and credit their providers in one call."""
    from annuaire.reference import taxonomy

    entries = list(entries)
    slugs = list(dict.fromkeys(theme_slugs))
    sections = group(entries, slugs)
    if subtitle is None:
        subtitle = " · ".join(taxonomy.theme(s).label for s in slugs)
    printed = {t.typology.code for th in sections for g in th.groups for t in g.typologies()}
    wanted = {taxonomy.theme(s).slug for s in slugs}
    see_also = tuple(
        SeeAlso(f.old, f.see, f.new)
        for f in taxonomy.fusions()
        if f.new in printed and taxonomy.typology(f.old).theme in wanted
    )
    return Directory(
        see_also=see_also,
        title=title,
        subtitle=subtitle,
        territory=territory,
        edition_date=edition_date,
        themes=sections,
        providers=credits(entries),
        publisher=publisher or (edition.publisher if edition is not None else None),
        note=note,
        edition=edition,
    )


__all__ = [
    "CommuneRun",
    "Directory",
    "GroupSection",
    "ProviderCredit",
    "SeeAlso",
    "SubgroupSection",
    "ThemeSection",
    "TypologySection",
    "credits",
    "entry_date",
    "group",
    "make_directory",
]
