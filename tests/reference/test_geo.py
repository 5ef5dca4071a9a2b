"""The gazetteer knows all France, and places rows without ever taking a homonym."""

from pathlib import Path

import pytest

from annuaire.reference.geo import AUVERGNE, departements, gazetteer

DATA = Path(__file__).resolve().parents[2] / "annuaire" / "data"


@pytest.fixture(scope="module")
def g():
    return gazetteer()


def test_every_commune_of_france_is_known(g):
    assert len(g.communes) > 34_000
    for insee, name, dept, pc in [
        ("33063", "Bordeaux", "33", "33000"),
        ("84089", "Pertuis", "84", "84120"),
        ("2A004", "Ajaccio", "2A", "20000"),
        ("97411", "Saint-Denis", "974", "97400"),
        ("26108", "Crest", "26", "26400"),
        ("58194", "Nevers", "58", "58000"),
    ]:
        c = g.by_insee(insee)
        assert (c.name, c.departement) == (name, dept) and pc in c.postcodes
    # Municipal arrondissements are their city's.
    assert g.by_insee("75118").insee == "75056" and g.by_insee("13201").name == "Marseille"
    assert len(departements()) >= 101 and departements()["63"].of == "du Puy-de-Dôme"
    assert departements()["03"].of == "de l’Allier" and departements()["03"].region_name == "Auvergne-Rhône-Alpes"
    assert len(g.epcis) > 1_200
    assert any(e.name == "Bordeaux Métropole" and "33063" in e.members for e in g.epcis)


def test_auvergne_keeps_its_own_data(g):
    # COG 2024 with coordinates, old communes and La Poste's lines 5.
    cf = g.by_insee("63113")
    assert cf.latitude and cf.longitude and cf.postcodes == ("63000", "63100")
    assert g.by_insee("15136").insee == "15027"  # Mourjou, merged into Puycapel
    assert g.by_insee("15141").name == "Neussargues en Pinatelle"
    # Codes and names Auvergne communes took since COG 2024 lead to them.
    assert g.by_insee("15031").insee == "15141"  # Celles, re-created in 2025
    assert [c.insee for c in g.find("Les Deux-Rives")] == ["63109"]
    assert len([c for c in g.communes.values() if c.departement in AUVERGNE]) == 1284


@pytest.mark.parametrize(
    "name, postcode, insee",
    [
        ("Pertuis", "84120", "84089"),  # not Le Pertuis (Haute-Loire)
        ("Le Pertuis", "43200", "43150"),
        ("Crest", "26400", "26108"),  # not Le Crest (Puy-de-Dôme)
        ("Le Crest", "63450", "63126"),
        ("Saint-Palais", "33820", "33456"),  # Gironde, not Allier
        ("Saint-Palais", "03370", "03249"),
        ("Saint-Palais", "64120", "64493"),
        ("Celles", "15170", "15141"),  # the delegated commune, not the five other Celles
        ("PARIS 18", "75018", "75056"),
        ("AURILLAC CEDEX 9", None, "15014"),
    ],
)
def test_name_and_postal_code_together(g, name, postcode, insee):
    placed = g.locate(name=name, postcode=postcode)
    assert placed.commune is not None and placed.commune.insee == insee and not placed.postcode_conflict


def test_postal_code_never_picks_a_homonym(g):
    # Several Saint-Palais and no postal code: ambiguous, never the Auvergne one by default.
    placed = g.locate(name="Saint-Palais")
    assert placed.commune is None
    assert {c.departement for c in placed.candidates} == {"03", "18", "33", "64"}
    # A name with one commune and a postal code of another département: flagged.
    placed = g.locate(name="Riom", postcode="33000")
    assert placed.commune.insee == "63300" and placed.postcode_conflict
    # None of the Saint-Palais has this code: still all of them, no guess.
    assert g.locate(name="Saint-Palais", postcode="75001").commune is None
    # INSEE code first.
    assert g.locate(insee="84089", name="Le Pertuis", postcode="43200").commune.name == "Pertuis"


def test_suggestions_of_unknown_names(g):
    assert g.suggest("Rion")[0] == "Riom"  # Auvergne first, then Rions (Gironde)
    assert "Bordeaux" in g.suggest("Bordeau")


def test_bundled_tables_stay_small():
    # Committed so that users need neither npm nor a network; the wheel stays light.
    size = sum(p.stat().st_size for p in DATA.glob("france_*.csv.gz")) + (DATA / "departements.csv").stat().st_size
    assert size < 1_500_000
