"""Rebuild tests/fixtures/national/ from ../shared/data: small verbatim extracts.

Each extract keeps the source's bytes (encoding, BOM, delimiter, quoting,
line endings): the header line, then whole records chosen to exercise the
quirks the importers handle (see tests/fixtures/national/README.md).
Run: .venv/bin/python scripts/make_national_fixtures.py
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data"
OUT = ROOT / "tests" / "fixtures" / "national"


def records(data: bytes, encoding: str, sep: str):
    """(raw bytes of the record, parsed dict) for each record after the header."""
    lines = data.splitlines(keepends=True)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header = next(reader)
    start = reader.line_num
    out = []
    for values in reader:
        end = reader.line_num
        out.append((b"".join(lines[start:end]), dict(zip(header, values))))
        start = end
    return lines[0], out


def pick_csv(name: str, encoding: str, sep: str, tests, limit: int = 40) -> None:
    data = (SRC / name).read_bytes()
    head, recs = records(data, encoding, sep)
    chosen: list[int] = []
    for t in tests:
        if isinstance(t, int):  # the first n records
            chosen.extend(i for i in range(min(t, len(recs))) if i not in chosen)
            continue
        for i, (_, r) in enumerate(recs):
            if i not in chosen and t(r):
                chosen.append(i)
                break
        else:
            sys.exit(f"{name}: no record for {t}")
    chosen = sorted(chosen)[:limit]
    (OUT / name).write_bytes(head + b"".join(recs[i][0] for i in chosen))
    print(f"{name}: {len(chosen)} records")


def pick_where(name: str, encoding: str, sep: str, keep) -> None:
    """Every record for which ``keep(record)`` holds, in file order."""
    data = (SRC / name).read_bytes()
    head, recs = records(data, encoding, sep)
    chosen = [raw for raw, r in recs if keep(r)]
    (OUT / name).write_bytes(head + b"".join(chosen))
    print(f"{name}: {len(chosen)} records")


# Parcoursup establishments of the fixture (all their formations): CPGE with a
# verbatim duplicate line, BTS and CPGE, lycée agricole, IUT site, IFSI, the
# university (merged with the MESR list), a BTS school that is no lycée, a
# university UFR with health courses, an école d'architecture.
PARCOURSUP_UAI = {
    "0630018C",
    "0630020E",
    "0030094L",
    "0031060L",
    "0030877M",
    "0632084Y",
    "0030935A",
    "0631382K",
    "0631287G",
    "0030026M",
}


# T2C stops of the fixture: every stop whose name begins with a commune in
# capitals ('CEYRAT Mairie': the place is checked against the name), all the
# stops of Châteaugay and Blanzat, the first stops of the file (Clermont-Ferrand)
# and the stations they belong to.
T2C_CAPS = re.compile(r"^(?:[A-ZÀ-Ý][A-ZÀ-Ý'’-]{3,}\s)+")
T2C_COMMUNES = {"63099", "63042"}  # Châteaugay, Blanzat


def t2c_stop(r: dict, i: int) -> bool:
    from annuaire.load.importers.gtfs import stop_commune

    whole = stop_commune(float(r["stop_lat"]), float(r["stop_lon"])).insee in T2C_COMMUNES
    return i < 10 or bool(T2C_CAPS.match(r["stop_name"])) or whole


def pick_gtfs_stops(name: str) -> None:
    data = (SRC / name).read_bytes()
    head, recs = records(data, "utf-8", ",")
    keep = {i for i, (_, r) in enumerate(recs) if t2c_stop(r, i)}
    parents = {recs[i][1]["parent_station"] for i in keep}
    keep |= {i for i, (_, r) in enumerate(recs) if r["stop_id"] in parents}
    (OUT / name).write_bytes(head + b"".join(recs[i][0] for i in sorted(keep)))
    print(f"{name}: {len(keep)} records")


def pick_jsonl(name: str, tests, pair: bool = False) -> None:
    lines = (SRC / name).read_bytes().splitlines(keepends=True)
    objs = [json.loads(l) for l in lines]
    chosen: list[int] = []
    for t in tests:
        for i, o in enumerate(objs):
            if i not in chosen and t(o):
                chosen.append(i)
                if pair:
                    chosen.append(i + 1)  # the Location line that follows
                break
        else:
            sys.exit(f"{name}: no object for {t}")
    chosen = sorted(chosen)
    (OUT / name).write_bytes(b"".join(lines[i] for i in chosen))
    print(f"{name}: {len(chosen)} lines")


def cat(o):
    for t in o.get("type") or ():
        for c in t.get("coding") or ():
            if c.get("system", "").endswith("CAT_ETAB"):
                return c["code"]


def org(pred):
    return lambda o: o.get("resourceType") == "Organization" and pred(o)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pick_jsonl(
        "finess_fhir_20210108_auvergne.ndjson",
        [
            org(lambda o: o["name"] == "CH DE NERIS LES BAINS"),
            org(lambda o: "CEDEX" in (o.get("address") or [{}])[0].get("city", "")),
            org(lambda o: o["name"].startswith('"EHPAD ""VILLA PAISIBLE')),
            org(lambda o: "SELARL PHARMACIE GRAND" in o["name"]),
            org(lambda o: (o.get("address") or [{}])[0].get("postalCode") == "42620"),
            org(lambda o: cat(o) == "620" and not o.get("telecom")),
            org(lambda o: cat(o) == "223"),
            org(lambda o: cat(o) == "463"),
            org(lambda o: cat(o) == "500"),
            org(lambda o: cat(o) == "611"),
            org(lambda o: cat(o) == "156"),
            org(lambda o: cat(o) == "146"),
            org(lambda o: cat(o) == "197"),
            org(lambda o: cat(o) == "603"),
            org(lambda o: cat(o) == "696"),
            org(lambda o: cat(o) == "632"),
            org(lambda o: cat(o) == "300"),
            org(lambda o: "CLERMONT FERRAND CEDEX" in ((o.get("address") or [{}])[0].get("city") or "")),
        ],
        pair=True,
    )
    pick_jsonl(
        "dila_annuaire_services_publics_2016_auvergne.jsonl",
        [
            lambda o: o["id"] == "caf-03185-01",
            lambda o: o["type"] == "mairie" and o["codeinsee"] == "03190",
            lambda o: o["type"] == "mairie" and o["codeinsee"] in ("15136", "63127", "63133", "15031"),
            lambda o: o["type"] == "clic",
            lambda o: o["type"] == "pmi",
            lambda o: o["type"] == "cpam",
            lambda o: o["type"] == "pole_emploi",
            lambda o: o["type"] == "gendarmerie",
            lambda o: o["type"] == "crib",
            lambda o: o["type"] == "tresorerie",
            lambda o: "@" not in (o.get("contact_email") or "@"),
            lambda o: "geo" not in o,
            lambda o: not o.get("latitude"),
            lambda o: o["type"] == "epci",
        ],
    )
    pick_csv(
        "dada_annuaire_administration_2019_auvergne.csv",
        "utf-8",
        ",",
        [
            5,
            lambda r: r["tag_string"] == "mairie" and r["#id"].startswith("mairie-03"),
            lambda r: r["#id"].split("-")[1] in ("15031", "15047", "63127", "63133") if "-" in r["#id"] else False,
            lambda r: r["tag_string"] == "commissariat_police" and "appeler le 17" in r["notes"],
            lambda r: r["tag_string"] == "msap",
            lambda r: r["tag_string"] == "clic",
            lambda r: r["tag_string"] == "pmi",
            lambda r: r["tag_string"] == "greta",
            lambda r: r["tag_string"] == "epci communaute_communes",
            lambda r: r["tag_string"] == "tresorerie" and "Cedex" in r["notes"],
        ],
    )
    for name in (
        "annuaire_services_publics_202508_auvergne_sample.csv",
        "france_travail_annuaire_202508_auvergne.csv",
        "france_services_2020_auvergne.geojson",
        "gares_voyageurs_sncf_auvergne.csv",
    ):
        if name.startswith("gares"):
            pick_csv(
                name,
                "utf-8",
                ";",
                [
                    10,
                    lambda r: r["Code commune"] == "15150",
                    lambda r: r["Code commune"] == "63068",
                    lambda r: r["Segment(s) DRG"] == "A",
                ],
            )
        else:
            (OUT / name).write_bytes((SRC / name).read_bytes())
            print(f"{name}: whole file")
    pick_csv(
        "france_services_20240801_auvergne.csv",
        "utf-8",
        ",",
        [
            8,
            lambda r: not r["h_lundi"],
            lambda r: r["type_fs"] == "Antenne",
            lambda r: r["insee_dep"] == "15",
            lambda r: r["insee_dep"] == "43",
        ],
    )
    pick_csv(
        "laposte_points_de_contact_auvergne.csv",
        "utf-8",
        ";",
        [
            6,
            lambda r: r["Caractéristique_du_site"] == "Relais poste commerçant",
            lambda r: r["Caractéristique_du_site"] == "Agence postale intercommunale",
            lambda r: r["Caractéristique_du_site"] == "Bureau de Poste" and r["Code_INSEE"].startswith("63"),
            lambda r: r["Localité"].startswith("LE PUY"),
        ],
    )
    pick_csv(
        "sae_2023_etablissements_sante_auvergne.csv",
        "latin-1",
        ";",
        [
            6,
            lambda r: r["cat"] == "699",
            lambda r: not r["NOMVOI"] and r["BP"],
            lambda r: "Ç" in r["BP"],
            lambda r: "CEDEX 1" in r["LIBCOM"],
            lambda r: r["cat"] == "131",
            lambda r: r["cat"] == "109",
            lambda r: r["cat"] == "292",
        ],
    )
    pick_csv(
        "colleges_geoloc_auvergne.csv",
        "utf-8",
        ";",
        [
            8,
            lambda r: r["secteur_public_prive_libe"] == "Privé",
            lambda r: r["code_departement"] == "063",
            lambda r: r["boite_postale_uai"] != "",
        ],
    )
    pick_csv(
        "ecoles_ips_2021_2022_auvergne.csv",
        "utf-8",
        ";",
        [
            8,
            lambda r: "PRIMAIRE" in r["Nom de l'établissment"],
            lambda r: r["Secteur"] != "public",
            lambda r: r["Code INSEE de la commune"].startswith("63"),
        ],
    )
    pick_csv(
        "lycees_ips_2021_2022_auvergne.csv",
        "utf-8",
        ";",
        [
            5,
            lambda r: r["type_de_lycee"] == "LP",
            lambda r: r["type_de_lycee"] == "LPO",
            lambda r: r["secteur"] != "public",
        ],
    )
    pick_csv(
        "bibliotheques_publiques_auvergne.csv",
        "utf-8",
        ";",
        [
            6,
            lambda r: r["type_adresse"] == "Lieu uniquement administratif",
            lambda r: r["type_adresse"] == "Bibliothèque départementale",
            lambda r: r["cedex"] != "",
            lambda r: r["nom_de_l_etablissement"] == "Relais-lecture",
            lambda r: not r["latitude"],
            lambda r: r["nom_de_l_etablissement"].isupper() and "MEDIATHEQUE" not in r["nom_de_l_etablissement"],
        ],
    )
    pick_csv(
        "musees_de_france_museofile_auvergne.csv",
        "utf-8",
        ";",
        [
            6,
            lambda r: r["Ville"] == "Moulins-sur-Allier",
            lambda r: "." in r["Telephone"],
            lambda r: r["Code_postal"].startswith("15"),
            lambda r: r["Code_postal"].startswith("43"),
        ],
    )
    pick_csv(
        "cinemas_cnc_2022_auvergne.csv",
        "utf-8",
        ";",
        [
            6,
            lambda r: r["code INSEE"] == "43165",
            lambda r: r["genre"] == "ITINERANT",
            lambda r: r["code INSEE"] == "63113",
        ],
    )
    pick_where(
        "parcoursup_formations_auvergne.csv",
        "utf-8",
        ",",
        lambda r: r["Code UAI de l etablissement"] in PARCOURSUP_UAI,
    )
    pick_gtfs_stops("t2c_gtfs_stops_2025-12.txt")
    pick_where("t2c_gtfs_routes_2025-12.txt", "utf-8", ",", lambda r: True)


if __name__ == "__main__":
    main()
