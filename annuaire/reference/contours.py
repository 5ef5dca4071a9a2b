"""Which commune a point lies in, from the commune outlines shipped with the package.

A dataset that gives positions but no commune (a GTFS feed's stops, Parcoursup
formations) is placed by point in polygon on ``data/communes_contours.json.gz``
(IGN ADMIN EXPRESS outlines of the Auvergne communes, Lambert-93, simplified
as a coverage by ``scripts/make_commune_outlines.py``: neighbours share one
border, so a point belongs to one commune).  The simplification moves borders
by up to its tolerance (120 m): a point that close to a border may fall on the
neighbour's side.  Outside the outlines (another region) there is no answer:
the caller falls back on the nearest commune centre.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

DATA_FILE = "communes_contours.json.gz"


def _ring(flat: list[int]) -> tuple[tuple[float, float], ...]:
    """'[x0, y0, dx1, dy1, …]' (each point relative to the previous one) → points."""
    out = []
    x = y = 0
    for i in range(0, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        out.append((float(x), float(y)))
    return tuple(out)


def read_outlines() -> dict[str, dict]:
    """The outlines file decoded: INSEE code → {"nom", "centre", "contour"},
    each polygon of "contour" a tuple of rings of (x, y) points, exterior
    first; {} when the package ships no outlines.  Read on each call: the
    callers keep what they build from it (STRtree here, the coverage maps'
    outlines), not the file's data."""
    path = resources.files("annuaire.data").joinpath(DATA_FILE)
    if not path.is_file():
        return {}
    communes = json.loads(gzip.decompress(path.read_bytes()))["communes"]
    for c in communes.values():
        c["contour"] = tuple(tuple(_ring(r) for r in poly) for poly in c["contour"])
    return communes


@lru_cache(maxsize=1)
def _index():
    """(STRtree of the outlines, INSEE code of each), built once per process."""
    from shapely import STRtree
    from shapely.geometry import MultiPolygon, Polygon

    communes = read_outlines()
    if not communes:
        return None, ()
    shapes, codes = [], []
    for code, c in sorted(communes.items()):
        polys = [Polygon(p[0], list(p[1:])) for p in c["contour"]]
        shapes.append(polys[0] if len(polys) == 1 else MultiPolygon(polys))
        codes.append(code)
    return STRtree(shapes), tuple(codes)


@lru_cache(maxsize=1)
def _to_l93():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def project(lon: float, lat: float) -> tuple[float, float]:
    """WGS 84 longitude/latitude → Lambert-93 metres (the outlines' coordinates)."""
    x, y = _to_l93().transform(lon, lat)
    return float(x), float(y)


def commune_at(lat: float, lon: float) -> str | None:
    """INSEE code of the commune whose outline contains the point (WGS 84), or
    None outside the outlines shipped."""
    from shapely.geometry import Point

    tree, codes = _index()
    if tree is None:
        return None
    hits = tree.query(Point(project(lon, lat)), predicate="intersects")
    return codes[min(hits)] if len(hits) else None
