"""The coverage report (`annuaire couverture`) on real data.

Input: the bundled sample's santé workbook (FINESS, SAE: pharmacies and
health services of Auvergne) and services-publics workbook (DILA mairies…),
read once.  The territory is the EPCI « CA Riom Limagne et Volcans » (31
communes).  Distances are checked against an independent haversine computed
here from the raw outline file's WGS 84 centroids and the entries' latitude
and longitude.
"""

from __future__ import annotations

import gzip
import json
import math
import subprocess
from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path

import openpyxl
import pytest

from annuaire import pipeline, preflight
from annuaire.coverage import outlines
from annuaire.reference import contours
from annuaire.editions.territory import place

ROOT = Path(__file__).resolve().parents[2]
INPUTS = [ROOT / "sample_data" / "sante_auvergne.xlsx", ROOT / "sample_data" / "services_publics_auvergne.ods"]
EPCI = "CA Riom Limagne et Volcans"
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def prepared():
    return pipeline.prepare(INPUTS)


@pytest.fixture(scope="module")
def cov(prepared):
    return pipeline.coverage_of(prepared, "sante", EPCI, ["SA19", "SP04"], today=DAY)


def test_counts_per_typology_equal_the_builds(prepared, cov, tmp_path):
    built = pipeline.build_edition(
        prepared, pipeline.BuildOptions(theme="sante", territory=EPCI, out=tmp_path / "b.pdf", run_preflight=False)
    )
    typology_of = {e.key: e.typology for e in prepared.entries}
    printed = Counter(typology_of[p.key] for p in built.page_log if p.kind == "entry")
    ours = {t.code: t.entries for t in cov.typologies if t.entries}
    assert ours == dict(printed)
    assert sum(ours.values()) == built.entries == cov.counts.printed
    assert ours["SA19"] == 20  # pharmacies of the EPCI in the FINESS extract
    # Every santé typology is listed, with or without entries (Annex 1: 28).
    assert len(cov.typologies) == 28
    assert {t.code for t in cov.empty_typologies} == {t.code for t in cov.typologies} - set(printed)


def test_communes_served_are_distinct_communes(prepared, cov):
    chosen = pipeline.select(prepared.entries, ("sante",), pipeline.territory.resolve(EPCI))
    pharmacies = {place(e) for e in chosen if e.typology == "SA19"}
    assert next(t for t in cov.typologies if t.code == "SA19").communes == len(pharmacies) == 11


def test_accounting_identity(cov):
    c = cov.counts
    assert c.balanced
    assert c.rows_read == c.printed + c.rejected + c.duplicates + c.out_of_scope + c.withdrawn


def _haversine_km(lon1, lat1, lon2, lat2) -> float:
    r = 6371.0088  # mean Earth radius (IUGG)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _raw_centres() -> dict[str, tuple[float, float]]:
    raw = resources.files("annuaire.data").joinpath(contours.DATA_FILE).read_bytes()
    return {k: tuple(v["centre_wgs84"]) for k, v in json.loads(gzip.decompress(raw))["communes"].items()}


@pytest.mark.parametrize(
    "insee, name, nearest_commune, km",
    [
        ("63290", "Pulvérières", "Volvic", 5.84),
        ("63381", "Saint-Ours", "Pontgibaud", 5.01),  # the nearest lies outside the EPCI
        ("63424", "Surat", "Ennezat", 5.36),
    ],
)
def test_distance_to_the_nearest_pharmacy_by_hand(prepared, cov, insee, name, nearest_commune, km):
    centres = _raw_centres()
    lon0, lat0 = centres[insee]
    best = None
    for e in prepared.entries:
        if e.typology != "SA19":
            continue
        if e.latitude is not None:
            lon, lat = e.longitude, e.latitude
        else:
            lon, lat = centres[place(e)]
        d = _haversine_km(lon0, lat0, lon, lat)
        if best is None or d < best[0]:
            best = (d, e)
    pharmacy = next(a for a in cov.access if a.code == "SA19")
    row = next(c for c in pharmacy.communes if c.place.insee == insee)
    assert row.place.name == name and row.services == 0
    # Lambert-93 against the sphere: within 0.3 % in Auvergne.
    assert row.distance_km == pytest.approx(best[0], rel=3e-3)
    assert row.distance_km == pytest.approx(km, abs=0.01)
    assert best[1].commune == nearest_commune and row.nearest == f"{best[1].name} ({nearest_commune})"


def test_a_commune_with_the_service_is_at_zero(cov):
    pharmacy = next(a for a in cov.access if a.code == "SA19")
    riom = next(c for c in pharmacy.communes if c.place.name == "Riom")
    assert riom.services == 8 and riom.distance_km == 0.0


def test_population_shares(cov):
    pharmacy = next(a for a in cov.access if a.code == "SA19")
    # The populations of the communes file, read independently.
    import csv

    with (ROOT / "annuaire" / "data" / "communes.csv").open(encoding="utf-8") as fh:
        pop = {r["insee"]: int(r["population"]) for r in csv.DictReader(fh)}
    members = {c.place.insee for c in pharmacy.communes}
    assert len(members) == 31
    total = sum(pop[i] for i in members)
    assert pharmacy.population == total
    beyond5 = sum(pop[c.place.insee] for c in pharmacy.communes if c.distance_km > 5)
    # Pulvérières 399 + Saint-Ours 1,660 + Surat 601: the only communes beyond 5 km.
    assert beyond5 == 399 + 1660 + 601
    shares = {s.km: s for s in pharmacy.shares}
    assert shares[5].population == beyond5 and shares[5].communes == 3
    assert shares[5].share(pharmacy.population) == pytest.approx(beyond5 / total)
    assert shares[10].population == 0 and shares[20].population == 0


def test_missing_mairies_and_old_entries(prepared, cov):
    # The DILA file has a mairie for each of the 31 communes.
    assert cov.missing_mairies == ()
    mairies = next(a for a in cov.access if a.code == "SP04")
    assert all(c.services >= 1 and c.distance_km == 0 for c in mairies.communes)
    # Without the DILA file, every commune lacks its mairie.
    bare = pipeline.prepare([INPUTS[0]])
    alone = pipeline.coverage_of(bare, "sante", EPCI, ["SA19"], today=DAY)
    assert len(alone.missing_mairies) == 31
    # FINESS is dated 2021-01-08: older than 24 months on 1 December 2026.
    finess = next(s for s in cov.stale if s.source == "FINESS (DREES)")
    assert finess.oldest == date(2021, 1, 8)
    assert cov.stale_count == sum(1 for e in cov_entries(prepared) if e.updated and e.updated < date(2024, 12, 1))


def cov_entries(prepared):
    return pipeline.select(prepared.entries, ("sante",), pipeline.territory.resolve(EPCI))


def test_xlsx_has_the_same_tables(cov, tmp_path):
    from annuaire.workbooks.coverage import write_coverage

    out = write_coverage(cov, tmp_path / "bilan.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Typologies",
        "Mairies manquantes",
        "Données anciennes",
        "Distances",
        "Population éloignée",
    ]
    typ = {r[0]: r for r in wb["Typologies"].iter_rows(min_row=2, values_only=True)}
    assert len(typ) == 28 and typ["SA19"][4] == 20 and typ["SA19"][5] == 11
    dist = [r for r in wb["Distances"].iter_rows(min_row=2, values_only=True) if r[0] == "SA19"]
    surat = next(r for r in dist if r[2] == "63424")
    assert surat[3] == "Surat" and surat[6] == pytest.approx(5.36, abs=0.01)
    shares = [r for r in wb["Population éloignée"].iter_rows(min_row=2, values_only=True) if r[0] == "SA19"]
    assert [(r[2], r[4]) for r in shares] == [(5, 2660), (10, 0), (20, 0)]
    assert shares[0][5] == 67978 and shares[0][6] == pytest.approx(2660 / 67978, abs=1e-4)
    old = list(wb["Données anciennes"].iter_rows(min_row=2, values_only=True))
    assert len(old) == cov.stale_count
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_pdf_passes_preflight_and_shows_the_maps(cov, tmp_path):
    from annuaire.pdf.coverage import render_coverage

    out = tmp_path / "bilan.pdf"
    done = render_coverage(cov, out)
    report = preflight.preflight(out, bleed_mm=done.bleed_mm)
    assert report.passed, report.text_fr()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Accès : Pharmacie" in text
    assert "plus de 20 km" in text and "Riom" in text and "Pulvérières" in text
    assert "Nombre de services par commune : Mairie" in text
    # Same input, same bytes.
    again = tmp_path / "again.pdf"
    render_coverage(cov, again)
    assert again.read_bytes() == out.read_bytes()


def test_territory_without_outlines(prepared, tmp_path):
    from annuaire.pdf.coverage import render_coverage

    lyon = pipeline.coverage_of(prepared, "sante", "69123", ["SA19"], today=DAY)
    assert not lyon.has_outlines and lyon.counts.balanced and lyon.counts.printed == 0
    out = tmp_path / "lyon.pdf"
    done = render_coverage(lyon, out)
    assert preflight.preflight(out, bleed_mm=done.bleed_mm).passed
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Pas de contours de communes pour ce territoire" in " ".join(text.split())


def test_outlines_cover_the_four_departements():
    import shapely

    codes = {o.insee for o in outlines.all_outlines()}
    with (ROOT / "annuaire" / "data" / "communes.csv").open(encoding="utf-8") as fh:
        expected = {line.split(",")[0] for line in fh.readlines()[1:]}
    assert codes == expected and len(codes) == 1284
    polys = [
        shapely.MultiPolygon([(p[0], list(p[1:])) for p in o.polygons])
        for o in outlines.all_outlines()
        if o.insee.startswith("43")
    ]
    # Simplified as a coverage: neighbours share their border, no overlap.
    assert bool(shapely.coverage_is_valid(polys))


def test_each_map_keeps_its_legend_and_sources_on_its_page(prepared, tmp_path):
    from annuaire.pdf.coverage import render_coverage

    cantal = pipeline.coverage_of(prepared, "sante", "15", ["SA19", "VP07"], today=DAY)
    out = tmp_path / "cantal.pdf"
    done = render_coverage(cantal, out)
    assert preflight.preflight(out, bleed_mm=done.bleed_mm).passed
    maps = 0
    for page in range(1, done.pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        text = " ".join(text.split())
        # No page holds only its running head and folio.
        assert len(text) > 120, (page, text)
        titles = text.count("Accès :") + text.count("Nombre de services par commune :")
        assert text.count("Contours des communes") == titles, page
        assert text.count("(nombre de communes)") == titles, page
        maps += titles
    assert maps == 4
    # The prefecture is named on its map.
    assert "Aurillac" in subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout


def test_a_long_list_of_communes_without_mairie_is_printed_whole(tmp_path):
    import re

    from annuaire.pdf.coverage import render_coverage

    bare = pipeline.prepare([INPUTS[0]])  # no mairie file: all 246 communes of the Cantal lack one
    cantal = pipeline.coverage_of(bare, "sante", "15", ["SA19"], today=DAY)
    assert len(cantal.missing_mairies) == 246
    out = tmp_path / "cantal.pdf"
    render_coverage(cantal, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    listed = set(re.findall(r"\((15\d\d\d)\)", text))
    assert listed == {p.insee for p in cantal.missing_mairies}
    assert "Aurillac (15014)" in text


def test_a_commune_nearer_to_the_regions_border_than_to_its_pharmacy_is_marked(prepared, cov, tmp_path):
    from annuaire.pdf.coverage import render_coverage
    from annuaire.workbooks.coverage import write_coverage

    cantal = pipeline.coverage_of(prepared, "sante", "15", ["SA19"], today=DAY)
    pharmacy = cantal.access[0]
    # Saint-Urcize (Aubrac): 16.6 km from the thermal-spa pharmacy of Chaudes-Aigues, 2.4 km from
    # the Aveyron and Lozère, whose pharmacies are not in the files read.
    urcize = next(c for c in pharmacy.communes if c.place.insee == "15216")
    assert urcize.distance_km == pytest.approx(16.58, abs=0.01) and urcize.near_edge
    assert outlines.edge_distance(outlines.commune_point("15216")) == pytest.approx(2430, abs=50)
    # Inside the region, far from its border: not marked.
    assert not any(c.near_edge for c in cov.access[0].communes)
    assert outlines.edge_distance(outlines.project(4.85, 45.76)) is None  # Lyon: outside the outlines
    out = tmp_path / "cantal.pdf"
    render_coverage(cantal, out)
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    assert "16,6 km *" in text and "* Commune plus proche de la limite des contours connus" in text
    wb = openpyxl.load_workbook(write_coverage(cantal, tmp_path / "cantal.xlsx"))
    row = next(r for r in wb["Distances"].iter_rows(min_row=2, values_only=True) if r[2] == "15216")
    assert row[8] == "oui"
