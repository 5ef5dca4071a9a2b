"""The figures of the coverage report, from the entries a build would print.

:func:`analyse` takes every current entry of a run (read, validated, merged
and superseded by :func:`annuaire.pipeline.prepare`) and the entries selected
for the edition (theme and territory, :func:`annuaire.pipeline.select`), so
that its counts are by construction those of ``annuaire build`` with the same
files, theme and territory.  It returns a frozen :class:`Coverage`:

* per Annex 1 typology of the themes: entries in the territory and communes
  that have one; typologies with none are what to ask contributors for;
* communes of the territory without a mairie entry (among all the entries
  read, whatever the theme: every commune has a mairie);
* entries of the edition whose data is older than ``months`` (24) months,
  grouped by source (the first provider credited, else the file read);
* per chosen typology, the straight-line distance from each commune of the
  territory to the nearest service of that typology.

Distances follow INSEE's convention for the « distance d'accès » to an
equipment: 0 km for a commune that has the service; otherwise the distance in
Lambert-93 from the commune's point (the centroid of its IGN outline, see
:mod:`.outlines`) to the nearest service, placed at its own latitude and
longitude when the entry has them, else at its commune's point.  Services are
looked for among every entry read, also outside the territory (people cross
an EPCI border for a pharmacy); services beyond the files read (another
region) are unknown, so a border commune's distance may be overstated: such a
commune, nearer to the edge of the outlines shipped than to the service found,
is marked ``near_edge``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from annuaire.check.freshness import months_before
from annuaire.editions.territory import Territory, place
from annuaire.errors import AnnuaireError
from annuaire.model import Counts, Entry
from annuaire.reference import taxonomy
from annuaire.reference.geo import gazetteer

from . import outlines

MAIRIE = "SP04"
# Pharmacie, France services (classed by Annex 1 under « Lieu d'accès public à
# Internet », see data/mappings/france-services.csv), bureau de poste.
DEFAULT_TYPOLOGIES: tuple[str, ...] = ("SA19", "VP07", "VP05")
THRESHOLDS_KM: tuple[int, ...] = (5, 10, 20)
# What a map of these typologies shows, when Annex 1's label would hide it.
MAP_LABELS = {"VP07": "France services et autres lieux d’accès public à Internet"}
STALE_MONTHS = 24


@dataclass(frozen=True)
class TypologyCount:
    code: str
    label: str
    theme: str  # slug
    group: str
    entries: int
    communes: int


@dataclass(frozen=True)
class Place:
    """A commune of the territory."""

    insee: str
    name: str
    population: int | None


@dataclass(frozen=True)
class StaleEntry:
    key: str
    name: str
    typology: str  # code
    commune: str
    updated: date
    origin: str  # « fichier, feuille, ligne » of the first row read


@dataclass(frozen=True)
class StaleSource:
    source: str
    entries: tuple[StaleEntry, ...]

    @property
    def oldest(self) -> date:
        return min(e.updated for e in self.entries)

    @property
    def newest(self) -> date:
        return max(e.updated for e in self.entries)


@dataclass(frozen=True)
class CommuneAccess:
    place: Place
    services: int  # services of the typology in the commune
    distance_km: float | None  # None: the commune's position is unknown
    nearest: str | None  # « name (commune) » of the nearest service outside the commune
    # The edge of the outlines shipped (Auvergne's border) is nearer than the
    # service found: a service beyond it, in files not read, may be nearer.
    near_edge: bool = False


@dataclass(frozen=True)
class Share:
    km: int
    population: int  # living more than ``km`` away
    communes: int

    def share(self, total: int) -> float:
        return self.population / total if total else 0.0


@dataclass(frozen=True)
class Access:
    """Access to one typology from every commune of the territory."""

    code: str
    label: str
    services_inside: int  # services of the typology in the territory
    services_used: int  # services with a position, anywhere, that distances were measured to
    communes: tuple[CommuneAccess, ...]  # in the territory's commune order
    shares: tuple[Share, ...]
    population: int  # of the communes whose distance is known
    points: tuple[tuple[float, float], ...] = ()  # Lambert-93 positions of the services used

    def distance(self, insee: str) -> float | None:
        for c in self.communes:
            if c.place.insee == insee:
                return c.distance_km
        raise KeyError(insee)


@dataclass(frozen=True)
class Coverage:
    territory: str  # display name
    territory_kind: str
    themes: tuple[str, ...]  # slugs
    today: date
    counts: Counts
    places: tuple[Place, ...]  # communes of the territory, in French order
    typologies: tuple[TypologyCount, ...]  # Annex 1 order
    missing_mairies: tuple[Place, ...]
    stale: tuple[StaleSource, ...]
    stale_months: int
    access: tuple[Access, ...]
    without_outline: tuple[str, ...]  # INSEE codes of territory communes with no outline

    @property
    def empty_typologies(self) -> tuple[TypologyCount, ...]:
        return tuple(t for t in self.typologies if t.entries == 0)

    @property
    def stale_count(self) -> int:
        return sum(len(s.entries) for s in self.stale)

    @property
    def has_outlines(self) -> bool:
        return bool(self.places) and len(self.without_outline) < len(self.places)


def _places(where: Territory) -> tuple[Place, ...]:
    from annuaire.text.collate import sort_key

    gaz = gazetteer()
    out = []
    for code in where.insee:
        c = gaz.by_insee(code)
        if c is not None:
            out.append(Place(c.insee, c.name, c.population))
    return tuple(sorted(out, key=lambda p: (sort_key(p.name), p.insee)))


def typology_counts(chosen: Iterable[Entry], slugs: Sequence[str]) -> tuple[TypologyCount, ...]:
    """Entries and communes per typology of the themes, in Annex 1 order."""
    entries: dict[str, int] = defaultdict(int)
    communes: dict[str, set] = defaultdict(set)
    for e in chosen:
        entries[e.typology] += 1
        communes[e.typology].add(place(e) or e.commune)
    out = []
    for slug in slugs:
        theme = taxonomy.theme(slug)
        for g in theme.groups:
            for s in g.subgroups:
                for t in s.typologies:
                    out.append(
                        TypologyCount(t.code, t.print_label, slug, g.label, entries[t.code], len(communes[t.code]))
                    )
    return tuple(out)


def _source(e: Entry) -> str:
    if e.providers:
        return e.providers[0].name
    return e.origins[0].file if e.origins else "source inconnue"


def stale_sources(chosen: Iterable[Entry], today: date, months: int = STALE_MONTHS) -> tuple[StaleSource, ...]:
    """Entries updated before ``today`` minus ``months``, by source (largest first)."""
    from annuaire.text.collate import sort_key

    limit = months_before(today, months)
    by: dict[str, list[StaleEntry]] = defaultdict(list)
    for e in chosen:
        if e.updated is not None and e.updated < limit:
            by[_source(e)].append(
                StaleEntry(
                    e.key,
                    e.name,
                    e.typology,
                    e.commune,
                    e.updated,
                    e.origins[0].describe() if e.origins else "",
                )
            )
    groups = [
        StaleSource(src, tuple(sorted(items, key=lambda s: (s.updated, sort_key(s.commune), sort_key(s.name)))))
        for src, items in by.items()
    ]
    return tuple(sorted(groups, key=lambda g: (-len(g.entries), sort_key(g.source))))


def _service_point(e: Entry, insee: str | None) -> tuple[float, float] | None:
    if e.latitude is not None and e.longitude is not None:
        return outlines.project(e.longitude, e.latitude)
    return outlines.commune_point(insee) if insee else None


def access(
    entries: Sequence[Entry], places: Sequence[Place], where: Territory, code: str, thresholds=THRESHOLDS_KM
) -> Access:
    """Distance from each commune of the territory to the nearest service ``code``."""
    import numpy as np
    import shapely

    here: dict[str, int] = defaultdict(int)
    inside = 0
    pts: list[tuple[float, float]] = []
    labels: list[str] = []
    for e in entries:
        if e.typology != code:
            continue
        insee = place(e)
        if insee:
            here[insee] += 1
        if where.contains(e):
            inside += 1
        p = _service_point(e, insee)
        if p is not None:
            pts.append(p)
            labels.append(f"{e.name} ({e.commune})")
    tree = shapely.STRtree(shapely.points(np.array(pts))) if pts else None
    rows = []
    for pl in places:
        origin = outlines.commune_point(pl.insee)
        if here.get(pl.insee):
            rows.append(CommuneAccess(pl, here[pl.insee], 0.0, None))
        elif origin is None or tree is None:
            rows.append(CommuneAccess(pl, 0, None, None))
        else:
            idx, dist = tree.query_nearest(shapely.Point(origin), return_distance=True)
            i = int(idx[0])
            km = float(dist[0]) / 1000.0
            edge = outlines.edge_distance(origin)
            rows.append(CommuneAccess(pl, 0, km, labels[i], edge is not None and edge / 1000.0 < km))
    known = [r for r in rows if r.distance_km is not None]
    total = sum(r.place.population or 0 for r in known)
    shares = tuple(
        Share(
            km,
            sum(r.place.population or 0 for r in known if r.distance_km > km),
            sum(1 for r in known if r.distance_km > km),
        )
        for km in thresholds
    )
    t = taxonomy.typology(code)
    return Access(code, MAP_LABELS.get(code, t.print_label), inside, len(pts), tuple(rows), shares, total, tuple(pts))


def analyse(
    entries: Sequence[Entry],
    chosen: Sequence[Entry],
    slugs: Sequence[str],
    where: Territory,
    counts: Counts,
    today: date,
    typologies: Sequence[str] = DEFAULT_TYPOLOGIES,
    months: int = STALE_MONTHS,
) -> Coverage:
    """The coverage report of the edition ``chosen`` (see the module docstring)."""
    places = _places(where)
    with_mairie = {place(e) for e in entries if e.typology == MAIRIE}
    return Coverage(
        territory=where.name,
        territory_kind=where.kind,
        themes=tuple(slugs),
        today=today,
        counts=counts,
        places=places,
        typologies=typology_counts(chosen, slugs),
        missing_mairies=tuple(p for p in places if p.insee not in with_mairie),
        stale=stale_sources(chosen, today, months),
        stale_months=months,
        access=tuple(access(entries, places, where, code) for code in typologies),
        without_outline=tuple(p.insee for p in places if outlines.outline(p.insee) is None),
    )


class UnknownTypology(AnnuaireError):
    """A --typologie of `annuaire couverture` that names no Annex 1 typology."""


def map_typologies(texts: Sequence[str]) -> tuple[str, ...]:
    """Typology codes from what the user typed (code, label or alias:
    'SA19', 'pharmacie', 'France services'), in the given order, without
    repeats; the defaults when none is given."""
    if not texts:
        return DEFAULT_TYPOLOGIES
    out: list[str] = []
    for text in texts:
        t = taxonomy.resolve(text)
        if t is None:
            close = taxonomy.suggest(text)
            hint = f" Vouliez-vous dire : {', '.join(close)} ?" if close else ""
            raise UnknownTypology(
                f"--typologie « {text} » : aucune typologie de l’annexe 1 ne porte ce nom ni ce code.{hint} "
                "La liste des typologies et de leurs codes : « annuaire themes »."
            )
        if t.code not in out:
            out.append(t.code)
    return tuple(out)
