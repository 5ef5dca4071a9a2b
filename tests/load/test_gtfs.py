"""T2C GTFS feed (issue 11 §1): not one entry per stop, but per commune served one
« Réseau T2C » entry with the network's contact and its stops, the commune found
by point in polygon; the lines with the network's seat; the licence « à vérifier »."""

import csv
import re
import shutil
import subprocess
from pathlib import Path

from annuaire import pipeline
from annuaire.load.importers import detect
from annuaire.load.importers.gtfs import stop_commune
from annuaire.model import RawRow
from annuaire.reference.geo import gazetteer

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "national"
STOPS = FIX / "t2c_gtfs_stops_2025-12.txt"
ROUTES = FIX / "t2c_gtfs_routes_2025-12.txt"


def stops():
    with open(STOPS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_stops_checked_by_hand_lie_in_their_commune():
    by_id = {r["stop_id"]: r for r in stops()}

    def where(stop_id):
        r = by_id[stop_id]
        return stop_commune(float(r["stop_lat"]), float(r["stop_lon"])).name

    # Checked on the map: rue de l'Abbé-Prévost is in Clermont-Ferrand; Ceyrat's town
    # hall; Aubière's place des Ramacles; Cournon's Plan d'Eau on the Allier.
    assert where("ABPRA") == "Clermont-Ferrand"
    ceyrat = next(i for i, r in by_id.items() if r["stop_name"] == "CEYRAT Mairie")
    assert where(ceyrat) == "Ceyrat"
    ramacles = next(i for i, r in by_id.items() if r["stop_name"] == "AUBIÈRE Pl. des Ramacles")
    assert where(ramacles) == "Aubière"
    assert where("COPER") == "Cournon-d'Auvergne"


def test_every_stop_named_after_its_commune_is_placed_in_it():
    g = gazetteer()
    checked = 0
    for r in stops():
        m = re.match(r"^((?:[A-ZÀ-Ý][A-ZÀ-Ý'’-]{3,}\s)+)", r["stop_name"])
        if not m:
            continue
        named = {c.insee for c in g.find(m.group(1).strip(), None)}
        if not named:
            continue  # not a commune's name as written ('PÉRIGNAT-ÈS-ALLIER', 'BIOPOLE')
        if m.group(1).strip() == "COURNON":
            named = {"63124"}  # Cournon-d'Auvergne (another Cournon is in Morbihan)
        placed = stop_commune(float(r["stop_lat"]), float(r["stop_lon"]))
        assert placed.insee in named, (r["stop_name"], placed.name)
        checked += 1
    assert checked >= 100


def test_one_entry_per_commune_with_its_stops_and_the_lines_at_the_seat():
    assert detect(STOPS).name == "gtfs-arrets" and detect(ROUTES).name == "gtfs-lignes"
    read = sum(1 for _ in stops()) + 55
    prepared = pipeline.prepare([STOPS, ROUTES])
    assert prepared.rows_read == read and prepared.rejected == 0
    assert prepared.rows_read == len(prepared.entries) + prepared.duplicates + prepared.withdrawn
    by_commune = {e.commune: e for e in prepared.entries}
    assert len(by_commune) == len(prepared.entries)  # one entry per commune
    chateaugay = by_commune["Châteaugay"]
    assert chateaugay.name == "Réseau T2C" and chateaugay.typology == "VP03"
    assert chateaugay.phone == "04\u00a073\u00a028\u00a056\u00a056" and chateaugay.website == "www.t2c.fr"
    # 'CHÂTEAUGAY Malalittes' and 'Châteaugay CHÂTEAUGAY Malalittes' are the stop Malalittes.
    assert chateaugay.services == (
        "6 arrêts\u00a0: Graviers, Le Maillot, Les Chambérys, Mairie, Malalittes, Montquerier",
    )
    clermont = by_commune["Clermont-Ferrand"]
    lines = next(s for s in clermont.services if "lignes" in s)
    assert lines.startswith("55 lignes\u00a0: A, B, C, E1 à E7, S10 à S15, P30 à P41, P81 à P84, P75, BeN, 110, 120")
    assert not any("lignes" in s for e in prepared.entries if e is not clermont for s in e.services)
    assert {p.licence for e in prepared.entries for p in e.providers} == {"à vérifier"}


def test_a_stops_file_without_its_routes_names_no_network(tmp_path):
    alone = tmp_path / "stops.txt"
    shutil.copyfile(STOPS, alone)
    items = list(detect(alone).read(alone))
    assert items and not [i for i in items if isinstance(i, RawRow)]
    assert {i.code for i in items} == {"reseau-gtfs-inconnu"} and items[0].row == 2
    prepared = pipeline.prepare([alone])
    assert prepared.rejected == prepared.rows_read == len(items)


def test_outside_the_edition_counted_and_licence_to_verify_in_the_colophon(tmp_path):
    out = tmp_path / "t2c.pdf"
    result = pipeline.build(
        [STOPS, ROUTES],
        pipeline.BuildOptions(theme="vie-pratique", out=out, territory="Châteaugay", run_preflight=False),
    )
    c = result.counts
    assert c.balanced and result.entries == 1 and c.out_of_scope == c.rows_read - c.duplicates - 1
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    assert "T2C (SMTC-AC)" in flat and "Licence : à vérifier" in flat
