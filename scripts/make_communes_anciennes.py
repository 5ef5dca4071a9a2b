"""Build annuaire/data/communes_anciennes.csv: old INSEE codes → current commune.

The national datasets we import still use the codes of communes that have
since merged into a « commune nouvelle » (DILA 2016, DADA 2019, SNCF stations,
La Poste contact points…).  The gazetteer (annuaire/geo.py) follows this file
so that an entry coded 15136 (Mourjou) lands in 15027 (Puycapel).

No single file of ../shared/data states the mapping, so each old code is
established from independent evidence and kept only when the evidence agrees:

* **name** – La Poste `ligne_5` lists delegated communes under the INSEE code
  of the commune they now belong to ('MOURJOU' under 15027);
* **place** – the coordinates seen with the old code (DILA 2016 mairie, SNCF
  station, La Poste contact point) fall inside the COG 2018 outline of a
  current commune (communes merged before 2018 are already part of it);
  for the communes merged after 2018, which still have their own outline, the
  candidate must share a border with that outline;
* **address** – the DADA 2019 mairie address names the new commune
  ('…, 15170, Neussargues-en-Pinatelle') or the BAN geocoding of the DILA
  address gives a current code.

Usage: python scripts/make_communes_anciennes.py [--data DIR] [--out FILE]
It prints the evidence of every code and lists the ones it could not
establish (exit status 1 if any).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.reference.geo import name_key  # noqa: E402

DEPTS = ("03", "15", "43", "63")
CODE = re.compile(r"(?:03|15|43|63)\d{3}")


def read_csv(path: Path, delimiter: str, encoding: str = "utf-8-sig") -> list[dict]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


# --------------------------------------------------------------------------
# Geometry (COG 2018 outlines are plain GeoJSON polygons in lon/lat)


def _in_ring(x: float, y: float, ring: list) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def contains(geometry: dict, lat: float, lon: float) -> bool:
    for rings in _polygons(geometry):
        if _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, h) for h in rings[1:]):
            return True
    return False


def vertices(geometry: dict) -> set[tuple[float, float]]:
    return {(round(p[0], 5), round(p[1], 5)) for rings in _polygons(geometry) for r in rings for p in r}


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "annuaire/data/communes_anciennes.csv")
    args = ap.parse_args(argv)
    data: Path = args.data

    # Current communes (COG 2024).
    current: dict[str, str] = {}
    for r in read_csv(data / "communes_cog2024_auvergne.csv", ","):
        current[r["insee_com"]] = r["commune_article"] or r["commune"]
    by_key: dict[str, list[str]] = defaultdict(list)
    for code, name in current.items():
        by_key[name_key(name)].append(code)

    # La Poste: delegated communes under their new INSEE code.
    ligne5: dict[str, set[str]] = defaultdict(set)
    for r in read_csv(data / "laposte_hexasmal_2023_auvergne.csv", ";"):
        if r["ligne_5"]:
            ligne5[name_key(r["ligne_5"])].add(r["code_commune_insee"])

    # COG 2018 outlines.
    with (data / "communes_auvergne_admin_express_2018.geojson").open(encoding="utf-8") as fh:
        outlines = {f["properties"]["code"]: f for f in json.load(fh)["features"]}

    names: dict[str, list[tuple[str, str]]] = defaultdict(list)  # old code -> (name, source)
    points: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    hints: dict[str, list[tuple[str, str]]] = defaultdict(list)  # old code -> (current code, source)

    def old(code: str | None) -> bool:
        return bool(code) and bool(CODE.fullmatch(code)) and code not in current

    # DILA 2016: mairies carry the commune's own name and coordinates.
    with (data / "dila_annuaire_services_publics_2016_auvergne.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            code = o.get("codeinsee")
            if not old(code):
                continue
            if o.get("type") == "mairie":
                m = re.match(r"Mairie (?:déléguée )?(?:de |d'|d’|du |des )(.+)$", o["nom"])
                if m:
                    names[code].append((m.group(1).strip(), "DILA 2016 « " + o["nom"] + " »"))
                if o.get("latitude") and o.get("longitude"):
                    points[code].append((float(o["latitude"]), float(o["longitude"]), "mairie DILA 2016"))
            geo = o.get("geo") or {}
            if geo.get("insee_comm") in current and (geo.get("score") or 0) >= 0.5:
                hints[code].append((geo["insee_comm"], f"géocodage BAN de « {o['nom']} »"))

    # DADA 2019: 'Mairie - Celles - Neussargues-en-Pinatelle 15031-01'; the
    # address names the commune the mairie now belongs to.
    for r in read_csv(data / "dada_annuaire_administration_2019_auvergne.csv", ","):
        m = re.match(r"[a-z_]+-(\d{5})-", r["#id"])
        if not m or not old(m.group(1)):
            continue
        code = m.group(1)
        if r["tag_string"] == "mairie":
            n = re.sub(r"\s+\d{5}-\d+$", "", r["name"])
            n = re.sub(r"^Mairie(?: déléguée)? - ", "", n).split(" - ")[0].strip()
            names[code].append((n, f"DADA 2019 « {r['name']} »"))
        m2 = re.search(r"Adresse : .*,\s*(\d{4,5})\s*,\s*([^|]+?)\s*(?:\||$)", r["notes"])
        if m2:
            for c in by_key.get(name_key(m2.group(2)), ()):
                hints[code].append((c, f"adresse DADA 2019 « {m2.group(2)} »"))

    # SNCF stations and La Poste contact points: coordinates with the old code.
    for r in read_csv(data / "gares_voyageurs_sncf_auvergne.csv", ";"):
        code = r["Code commune"]
        if old(code):
            lat, lon = (float(x) for x in r["Position géographique"].split(","))
            points[code].append((lat, lon, f"gare SNCF « {r['Nom']} »"))
            names[code].append((r["Nom"], f"gare SNCF « {r['Nom']} »"))
    for r in read_csv(data / "laposte_points_de_contact_auvergne.csv", ";"):
        code = r["Code_INSEE"]
        if old(code) and r["Latitude"] and r["Longitude"]:
            points[code].append((float(r["Latitude"]), float(r["Longitude"]), f"La Poste « {r['Libellé_du_site']} »"))
            names[code].append((r["Localité"].title(), f"La Poste « {r['Localité']} »"))

    # Other datasets: only say that the code is used there.
    seen_in: dict[str, set[str]] = defaultdict(set)
    for fname, delim, col, enc in (
        ("annuaire_services_publics_202508_auvergne_sample.csv", ",", "insee", "utf-8-sig"),
        ("bibliotheques_publiques_auvergne.csv", ";", "code_insee_commune", "utf-8-sig"),
        ("cinemas_cnc_2022_auvergne.csv", ";", "code INSEE", "utf-8-sig"),
        ("ecoles_ips_2021_2022_auvergne.csv", ";", "Code INSEE de la commune", "utf-8-sig"),
        ("france_services_20240801_auvergne.csv", ",", "insee_com", "utf-8-sig"),
        ("france_travail_annuaire_202508_auvergne.csv", ",", "insee", "utf-8-sig"),
        ("lycees_ips_2021_2022_auvergne.csv", ";", "code_insee_de_la_commune", "utf-8-sig"),
        ("colleges_geoloc_auvergne.csv", ";", "code_commune", "utf-8-sig"),
        ("sae_2023_etablissements_sante_auvergne.csv", ";", "COMINSEE", "cp1252"),
    ):
        path = data / fname
        if path.exists():
            for r in read_csv(path, delim, enc):
                if old(r.get(col)):
                    seen_in[r[col]].add(fname)
    for code in outlines:
        if old(code):
            names[code].append((outlines[code]["properties"]["nom"], "COG 2018"))

    codes = sorted(set(names) | set(points) | set(hints) | set(seen_in))
    rows: list[tuple[str, str, str]] = []
    failed: list[str] = []
    for code in codes:
        strong: list[tuple[str, str]] = []  # (current code, why): names and places
        notes: list[str] = []
        # The old name: the mairie's own spelling first (accents, article).
        keys = {name_key(n) for n, _ in names[code]}
        for k in sorted(keys):
            for c in sorted(ligne5.get(k, ())):
                strong.append((c, f"La Poste ligne_5 « {k} » sous {c}"))
        own = outlines.get(code)
        for lat, lon, why in points[code]:
            inside = [c for c, f in outlines.items() if contains(f["geometry"], lat, lon)]
            where = f"{why} ({lat:.4f}, {lon:.4f})"
            if own is not None:
                # Still its own outline in 2018: the point can only confirm it.
                if code in inside:
                    notes.append(f"{where} dans son propre contour 2018")
                else:
                    notes.append(
                        f"{where} hors de son contour 2018 ({', '.join(inside) or 'hors des 4 départements'}) : ignoré"
                    )
                continue
            for c in inside:
                if c in current:
                    strong.append((c, f"{where} dans le contour 2018 de {c}"))
            if not inside:
                notes.append(f"{where} hors de tout contour 2018 : ignoré")
        votes = sorted({c for c, _ in strong})
        ok = len(votes) == 1
        if ok and own is not None:
            # Merged after 2018: it must border the commune it joined.
            shared = len(vertices(own["geometry"]) & vertices(outlines[votes[0]]["geometry"]))
            ok = shared > 0
            notes.append(f"contour 2018 propre, {shared} sommets communs avec celui de {votes[0]}")
        # Addresses and BAN geocoding are weaker: they confirm or are overruled.
        for c, why in hints[code]:
            if ok and c != votes[0]:
                notes.append(f"{why} → {c} {current[c]} : contredit par ce qui précède, ignoré")
            else:
                strong.append((c, why))
        if not votes:
            votes = sorted({c for c, _ in strong})
            ok = len(votes) == 1
        evidence = strong
        # A station or post office name is an old commune name only if La
        # Poste lists it as a delegated commune of the same commune.
        confirmed = {name_key(n) for n, src in names[code] if ok and votes[0] in ligne5.get(name_key(n), ())}
        name = (
            next((n for n, src in names[code] if src.startswith("DILA")), None)
            or next((n for n, src in names[code] if src.startswith("DADA")), None)
            or next((n for n, src in names[code] if src.startswith("COG")), None)
            or next((n for n, _ in names[code] if name_key(n) in confirmed), "")
        )
        status = "OK " if ok else "?? "
        print(
            f"{status}{code} {name or '(nom inconnu)'} → "
            f"{', '.join(f'{v} {current[v]}' for v in votes) or 'aucune piste'}"
        )
        for c, why in evidence:
            print(f"      {why}")
        for why in notes:
            print(f"      {why}")
        if seen_in.get(code):
            print(f"      vu aussi dans : {', '.join(sorted(seen_in[code]))}")
        if ok and name:
            rows.append((code, name, votes[0]))
        else:
            failed.append(code)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ancien_insee", "ancien_nom", "insee"])
        w.writerows(rows)
    tmp.replace(args.out)
    print(f"\n{len(rows)} anciens codes écrits dans {args.out}.")
    if failed:
        print(f"Non établis ({len(failed)}) : {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
