"""Build annuaire/data/communes_contours.json.gz: simplified commune outlines for the coverage maps.

Input: ``../shared/data/communes_auvergne_admin_express_2018.geojson`` (IGN ADMIN
EXPRESS COG 2018, Licence Ouverte, 1,288 communes of 03, 15, 43, 63; SOURCES.md
§21).  Steps:

1. project every outline to Lambert-93 (EPSG:2154, pyproj), the French
   conformal projection: distances and areas in metres;
2. merge the outlines of communes that have since joined a « commune
   nouvelle » into their current commune (COG 2018 → COG 2024, through the
   gazetteer: 15136 Mourjou → 15027 Puycapel…);
3. simplify the whole set as one polygon coverage
   (``shapely.coverage_simplify``: each border shared by two communes is
   simplified once, so neighbours keep a common edge, with no gap or
   overlap), tolerance ``--tolerance`` metres (default 120 m, 0.1 mm on a
   1:1,000,000 regional map, 0.6 mm on an EPCI map at 1:200,000);
4. write, per commune: its name, its outline as integer metres
   (polygons of rings; a ring is ``[x0, y0, dx1, dy1, …]``, each point
   relative to the previous one), and its centroid (Lambert-93 and WGS 84), computed on
   the unsimplified outline: the point from which the coverage report
   measures distances.

Usage: python scripts/make_commune_outlines.py [--data DIR] [--out FILE] [--tolerance M]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.reference.geo import gazetteer  # noqa: E402

SOURCE = "communes_auvergne_admin_express_2018.geojson"


def _deltas(ring) -> list[int]:
    """A ring as flat integer metres, each point relative to the previous one
    (x0, y0, dx1, dy1, …): small numbers that compress to half the size."""
    flat: list[int] = []
    px = py = 0
    for x, y in ring:
        x, y = round(x), round(y)
        flat += [x - px, y - py]
        px, py = x, y
    return flat


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "annuaire" / "data" / "communes_contours.json.gz")
    ap.add_argument("--tolerance", type=float, default=120.0, help="metres")
    args = ap.parse_args(argv)

    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    to_wgs = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    features = json.loads((args.data / SOURCE).read_text(encoding="utf-8"))["features"]
    gaz = gazetteer()
    parts: dict[str, list] = {}
    for f in features:
        geom = shapely.transform(shape(f["geometry"]), lambda xy: list(zip(*to_l93.transform(*xy.T))), interleaved=True)
        commune = gaz.by_insee(f["properties"]["code"])
        if commune is None:
            print(f"no current commune for {f['properties']['code']} {f['properties']['nom']}", file=sys.stderr)
            continue
        parts.setdefault(commune.insee, []).append(shapely.make_valid(geom))
    codes = sorted(parts)
    whole = [shapely.union_all(parts[c]) for c in codes]
    centres = [g.centroid for g in whole]
    simple = shapely.coverage_simplify(whole, args.tolerance)
    out: dict = {
        "source": "IGN ADMIN EXPRESS COG 2018 (Licence Ouverte), via gregoiredavid/france-geojson; "
        f"Lambert-93, simplified as a coverage at {args.tolerance:g} m by scripts/make_commune_outlines.py",
        "crs": "EPSG:2154",
        "communes": {},
    }
    for code, geom, centre in zip(codes, simple, centres):
        polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        rings = []
        for p in polys:
            if p.is_empty:
                continue
            shape_rings = [p.exterior.coords] + [i.coords for i in p.interiors]
            rings.append([_deltas(ring) for ring in shape_rings])
        lon, lat = to_wgs.transform(centre.x, centre.y)
        out["communes"][code] = {
            "nom": gaz.by_insee(code).name,
            "centre": [round(centre.x), round(centre.y)],
            "centre_wgs84": [round(lon, 6), round(lat, 6)],
            "contour": rings,
        }
    data = json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0: the same input gives the same bytes.
    args.out.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    points = sum(len(r) // 2 for c in out["communes"].values() for poly in c["contour"] for r in poly)
    print(f"{len(codes)} communes, {points} points, {args.out.stat().st_size // 1024} KB -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
