"""Commune outlines and points in Lambert-93, for the coverage maps and distances.

``annuaire/data/communes_contours.json.gz`` is written by
``scripts/make_commune_outlines.py`` from the IGN ADMIN EXPRESS COG 2018
outlines of the four Auvergne départements (03, 15, 43, 63), merged into the
communes of COG 2024 and simplified as a coverage (neighbours keep one shared
border).  Coordinates are Lambert-93 (EPSG:2154) metres: the official
conformal projection of metropolitan France, in which a straight-line
distance is off by less than 0.1 % in Auvergne.

A commune outside these départements has no outline: :func:`outline` returns
None and the report says the map cannot be drawn, while the tables still work.

Each commune's **point** (where distances are measured from) is the centroid
of its unsimplified IGN outline; a commune without an outline falls back to
the latitude/longitude of the communes file, when it has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from annuaire.reference.contours import project, read_outlines
from annuaire.reference.geo import gazetteer

__all__ = ["Outline", "all_outlines", "commune_point", "edge_distance", "outline", "project"]

Ring = tuple[tuple[float, float], ...]
Polygon = tuple[Ring, ...]  # exterior first, then holes


@dataclass(frozen=True)
class Outline:
    insee: str
    name: str
    centre: tuple[float, float]  # Lambert-93 metres, centroid of the IGN outline
    polygons: tuple[Polygon, ...]
    bounds: tuple[float, float, float, float]  # min x, min y, max x, max y


def _bounds(polygons: tuple[Polygon, ...]) -> tuple[float, float, float, float]:
    xs = [x for p in polygons for x, _ in p[0]]
    ys = [y for p in polygons for _, y in p[0]]
    return min(xs), min(ys), max(xs), max(ys)


@lru_cache(maxsize=1)
def _outlines() -> dict[str, Outline]:
    out = {}
    for code, c in read_outlines().items():
        polygons = c["contour"]
        out[code] = Outline(
            insee=code,
            name=c["nom"],
            centre=(float(c["centre"][0]), float(c["centre"][1])),
            polygons=polygons,
            bounds=_bounds(polygons),
        )
    return out


def outline(insee: str) -> Outline | None:
    """The commune's outline, or None outside the départements shipped."""
    return _outlines().get(insee)


@lru_cache(maxsize=1)
def _area():
    """The union of the outlines shipped (the four départements) and its boundary."""
    import shapely

    polys = [shapely.MultiPolygon([(p[0], list(p[1:])) for p in o.polygons]) for o in _outlines().values()]
    area = shapely.coverage_union_all(polys)
    edge = area.boundary
    shapely.prepare(area)
    shapely.prepare(edge)
    return area, edge


def edge_distance(point: tuple[float, float]) -> float | None:
    """Metres from a point inside the outlines shipped to their outer edge
    (Auvergne's border), beyond which services of files not read may lie;
    None for a point outside them."""
    import shapely

    area, edge = _area()
    p = shapely.Point(point)
    if not area.contains(p):
        return None
    return float(edge.distance(p))


def all_outlines() -> tuple[Outline, ...]:
    """Every commune shipped (the neighbours drawn around a territory)."""
    return tuple(_outlines().values())


def commune_point(insee: str) -> tuple[float, float] | None:
    """Where distances from a commune are measured: its outline's centroid,
    else the communes file's coordinates, else None (unknown)."""
    o = outline(insee)
    if o is not None:
        return o.centre
    c = gazetteer().by_insee(insee)
    if c is not None and c.latitude is not None and c.longitude is not None:
        return project(c.longitude, c.latitude)
    return None
