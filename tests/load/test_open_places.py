"""Readers of three new national lists (issue: more of Annex 1 from open data):
labelled gardens, main higher-education institutions, car-sharing areas (BNLC, ODbL)."""

from pathlib import Path

from annuaire.load.importers import detect
from annuaire.model import RawRow

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "national"


def rows(name):
    path = FIX / name
    imp = detect(path)
    items = list(imp.read(path))
    return imp, [i for i in items if isinstance(i, RawRow)], [i for i in items if not isinstance(i, RawRow)]


def test_gardens_get_their_leading_zeros_and_their_own_commune():
    imp, got, issues = rows("jardins_remarquables_auvergne.csv")
    assert imp.name == "jardins" and issues == [] and len(got) == 9
    assert {r.fields["typologie"] for r in got} == {"SL16"}
    balaine = next(r.fields for r in got if r.fields["nom"] == "Arboretum de Balaine")
    # code_insee says 3009 (Aubigny); the garden's own identifier JARD_03316 says Villeneuve-sur-Allier
    assert (balaine["code_postal"], balaine["commune"], balaine["code_insee"]) == (
        "03460",
        "Villeneuve-sur-Allier",
        "03316",
    )
    assert balaine["site_web"] == "http://www.arboretum-balaine.com"  # the JSON-like list unwrapped


def test_higher_education_institutions_with_their_identifiers():
    imp, got, issues = rows("esr_principaux_etablissements_auvergne.csv")
    assert imp.name == "esr" and issues == []
    by_name = {r.fields["nom"]: r for r in got}
    uca = by_name["Université Clermont Auvergne"]
    assert uca.fields["typologie"] == "EN12" and ("uai", "0632084Y") in uca.ids
    archi = by_name["École nationale supérieure d'architecture de Clermont-Ferrand"]
    assert archi.fields["typologie"] == "EN13" and archi.fields["telephone"] == "+33473347150"


def test_car_sharing_areas_are_parkings_credited_under_odbl():
    imp, got, issues = rows("bnlc_lieux_covoiturage_auvergne.csv")
    assert imp.name == "covoiturage" and issues == [] and len(got) == 142
    assert {r.fields["typologie"] for r in got} == {"VP04"}
    assert {r.provider.licence for r in got} == {"ODbL 1.0"}
    # Rows with a postal code in the INSEE column are placed by name and position.
    bellenaves = [r.fields for r in got if r.fields["nom"] == "Parking Avenue Michelet"][0]
    assert (bellenaves["commune"], bellenaves["code_insee"], bellenaves["code_postal"]) == (
        "Bellenaves",
        "03022",
        "03330",
    )


def test_the_new_sources_are_credited_with_their_licence():
    from annuaire.reference.sources import provider

    assert provider("bnlc").licence == "ODbL 1.0"
    assert provider("jardins").date.isoformat() == "2023-04-12"
    assert provider("esr").licence.startswith("Licence Ouverte")
