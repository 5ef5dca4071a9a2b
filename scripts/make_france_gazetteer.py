#!/usr/bin/env python3
"""Derive the gazetteer of all France from the npm packages of the official reference.

Sources (fetched with ``npm pack`` into a temporary folder, or read from an
npm-installed copy given with ``--from DIR``, the folder holding
``node_modules``):

- ``@etalab/decoupage-administratif`` 6.0.0 (MIT; data from INSEE's Code
  officiel géographique and the DGCL list of EPCI): communes with their postal
  codes, département and population; delegated, associated and old communes;
  municipal arrondissements; EPCI and their members; départements, régions.
- ``codes-postaux`` 4.1.2 (MIT; La Poste / DGFiP): postal codes with their
  delivery names (``libelleAcheminement``), which add codes and names people
  write on envelopes.

The four départements of the historic Auvergne (03, 15, 43, 63) keep the
project's own files (``communes.csv`` with coordinates, COG 2024, which the
sample data and the tests are made of; ``codes_postaux.csv``;
``communes_anciennes.csv``; ``epci.json``): this script writes only the rest of
France, and the names Auvergne communes took since (``Les Deux-Rives``) as
aliases of their COG 2024 code.

Written into ``annuaire/data/`` (committed, so that users need neither npm nor a
network):

- ``france_communes.csv.gz``: ``insee,departement,nom,codes_postaux,population``
  (postal codes separated by spaces), one row per current commune outside
  Auvergne;
- ``france_noms.csv.gz``: ``kind,code,nom,insee``: another code or name that
  designates the current commune ``insee``; ``kind`` is ``ancienne`` (an old or
  merged commune, code and name), ``deleguee``/``associee`` (a delegated or
  associated commune), ``arrondissement`` (Paris, Lyon, Marseille),
  ``acheminement`` (La Poste's delivery name) or ``renommee`` (a newer name of
  an Auvergne commune);
- ``france_epci.csv.gz``: ``siren,nom,type,membres`` (INSEE codes separated by
  spaces), the EPCI without a member in Auvergne (those are in ``epci.json``);
- ``departements.csv``: ``code,nom,liaison,region,region_nom`` (``liaison``: INSEE's
  type of name, which gives the article: 'du Cantal', 'de l'Allier').

Usage: ``python scripts/make_france_gazetteer.py [--from DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "annuaire" / "data"
sys.path.insert(0, str(ROOT))

from annuaire.reference.geo import name_key  # noqa: E402  (after the path is set)

PACKAGES = {"decoupage": "@etalab/decoupage-administratif@6.0.0", "postaux": "codes-postaux@4.1.2"}
AUVERGNE = ("03", "15", "43", "63")


def _fetch(tmp: Path) -> dict[str, Path]:
    """``npm pack`` each package into ``tmp`` and unpack it; its folder per key."""
    out = {}
    for key, spec in PACKAGES.items():
        name = (
            subprocess.run(["npm", "pack", "--silent", spec], cwd=tmp, check=True, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        dest = tmp / key
        with tarfile.open(tmp / name) as tar:
            tar.extractall(dest, filter="data")
        out[key] = dest / "package"
    return out


def _installed(folder: Path) -> dict[str, Path]:
    base = folder / "node_modules"
    return {"decoupage": base / "@etalab" / "decoupage-administratif", "postaux": base / "codes-postaux"}


def _load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _write_gz(path: Path, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    # mtime=0 and no file name in the header: the same data gives the same bytes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def build(src: dict[str, Path]) -> None:
    data = src["decoupage"] / "data"
    communes = _load(data / "communes.json")
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}

    # Auvergne as the project has it (COG 2024, with coordinates).
    with (DATA / "communes.csv").open(encoding="utf-8", newline="") as fh:
        auvergne = {r["insee"]: r for r in csv.DictReader(fh)}
    auvergne_keys: dict[str, list[str]] = {}
    for insee, r in auvergne.items():
        auvergne_keys.setdefault(name_key(r["nom"]), []).append(insee)
    with (DATA / "codes_postaux.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            if r["ligne_5"]:
                auvergne_keys.setdefault(name_key(r["ligne_5"]), []).append(r["code_commune_insee"])

    rows = []
    postcodes: dict[str, list[str]] = {}
    for code, c in sorted(current.items()):
        if c["departement"] in AUVERGNE:
            continue
        postcodes[code] = list(c.get("codesPostaux", ()))
        rows.append(c)

    names: set[tuple[str, str, str, str]] = set()
    arrondissements = {c["code"]: c["commune"] for c in communes if c["type"] == "arrondissement-municipal"}

    def target(code: str) -> str | None:
        """The current commune (outside Auvergne) an old or sub-municipal code belongs to."""
        code = arrondissements.get(code, code)
        return code if code in postcodes else None

    for c in communes:
        kind = c["type"]
        if kind == "arrondissement-municipal":
            names.add(("arrondissement", c["code"], c["nom"], c["commune"]))
            for pc in c.get("codesPostaux", ()):
                if pc not in postcodes[c["commune"]]:
                    postcodes[c["commune"]].append(pc)
        elif kind in ("commune-deleguee", "commune-associee"):
            if c["departement"] in AUVERGNE:
                continue  # the project's own Auvergne files hold them
            short = "deleguee" if kind == "commune-deleguee" else "associee"
            code = c["code"] if c["code"] != c["chefLieu"] else ""
            nom = c["nom"] if name_key(c["nom"]) != name_key(current[c["chefLieu"]]["nom"]) else ""
            if code or nom:
                names.add((short, code, nom, c["chefLieu"]))
        elif kind == "commune-actuelle":
            for old in c.get("anciensCodes", ()):
                if c["departement"] not in AUVERGNE and old not in current:
                    names.add(("ancienne", old, "", c["code"]))
            if c["departement"] in AUVERGNE:
                if c["code"] in auvergne:
                    if name_key(c["nom"]) != name_key(auvergne[c["code"]]["nom"]):
                        names.add(("renommee", "", c["nom"], c["code"]))
                else:
                    # A commune re-created since COG 2024 (Celles, Chalinargues…
                    # out of Neussargues en Pinatelle): its COG 2024 commune is
                    # the one whose delegated commune it was.
                    owners = sorted({i for i in auvergne_keys.get(name_key(c["nom"]), ()) if i[:2] == c["departement"]})
                    if len(owners) == 1:
                        names.add(("ancienne", c["code"], c["nom"], owners[0]))

    # La Poste: postal codes and delivery names the COG lacks.
    for r in _load(src["postaux"] / "codes-postaux.json"):
        code = target(r["codeCommune"])
        if code is None:
            continue
        if r["codePostal"] not in postcodes[code]:
            postcodes[code].append(r["codePostal"])
        own = name_key(current[code]["nom"])
        for label in (r["nomCommune"], r["libelleAcheminement"]):
            if label and name_key(label) != own and r["codeCommune"] not in arrondissements:
                names.add(("acheminement", "", label, code))

    DATA.mkdir(parents=True, exist_ok=True)
    _write_gz(
        DATA / "france_communes.csv.gz",
        ["insee", "departement", "nom", "codes_postaux", "population"],
        [
            [c["code"], c["departement"], c["nom"], " ".join(sorted(postcodes[c["code"]])), c.get("population", "")]
            for c in rows
        ],
    )
    _write_gz(
        DATA / "france_noms.csv.gz",
        ["kind", "code", "nom", "insee"],
        [list(n) for n in sorted(names, key=lambda n: (n[3], n[0], n[1], n[2]))],
    )

    with (DATA / "epci.json").open(encoding="utf-8") as fh:
        kept = {e["code"] for e in json.load(fh)}
    epcis = []
    for e in _load(data / "epci.json"):
        members = [m["code"] for m in e["membres"]]
        if e["code"] in kept or any(m[:2] in AUVERGNE for m in members):
            continue
        epcis.append([e["code"], e["nom"], e["type"], " ".join(members)])
    _write_gz(DATA / "france_epci.csv.gz", ["siren", "nom", "type", "membres"], sorted(epcis))

    regions = {r["code"]: r["nom"] for r in _load(data / "regions.json")}
    with (DATA / "departements.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "nom", "liaison", "region", "region_nom"])
        for d in sorted(_load(data / "departements.json"), key=lambda d: d["code"]):
            w.writerow([d["code"], d["nom"], d["typeLiaison"], d["region"], regions.get(d["region"], "")])
    print(f"{len(rows)} communes, {len(names)} other names and codes, {len(epcis)} EPCI written to {DATA}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--from", dest="src", type=Path, help="a folder where the two packages are npm-installed (node_modules inside)"
    )
    args = parser.parse_args()
    if args.src:
        build(_installed(args.src))
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(_fetch(Path(tmp)))


if __name__ == "__main__":
    main()
