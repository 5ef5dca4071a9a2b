"""Territory resolution and filters on the real communes and EPCI of the four départements."""

from __future__ import annotations

import csv
import pickle
from importlib import resources

import pytest

from annuaire.editions import territory
from annuaire.errors import UnknownTerritory
from annuaire.reference.geo import gazetteer
from annuaire.model import Entry
from annuaire.editions.territory import editions, resolve


def entry(insee, commune="", postcode=None, key="k"):
    return Entry(key=key, name="Service", typology="SA01", commune=commune, insee=insee, postcode=postcode)


# --------------------------------------------------------------------------
# What users type


@pytest.mark.parametrize("text", [None, "", "  ", "region", "Région", "auvergne", "Auvergne"])
def test_region(text):
    t = resolve(text)
    assert (t.kind, t.slug, t.name) == ("region", "auvergne", "Auvergne")
    assert len(t.insee) == 1284


@pytest.mark.parametrize("text", ["63", "Puy-de-Dôme", "puy de dome", "PUY DE DOME", "département du Puy-de-Dôme"])
def test_departement(text):
    t = resolve(text)
    assert (t.kind, t.code, t.name, t.slug) == ("departement", "63", "Puy-de-Dôme", "puy-de-dome")
    assert len(t.insee) == 464


def test_departement_short_code_and_others():
    assert resolve("3").code == "03"
    assert resolve("Haute Loire").slug == "haute-loire"
    assert resolve("Cantal").insee == frozenset(c.insee for c in gazetteer().communes.values() if c.departement == "15")


@pytest.mark.parametrize(
    "text",
    ["43157", "Le Puy-en-Velay", "Le Puy en Velay", "le puy en velay", "LE PUY EN VELAY", "commune Le Puy-en-Velay"],
)
def test_commune_with_article(text):
    t = resolve(text)
    assert (t.kind, t.code, t.name, t.slug) == ("commune", "43157", "Le Puy-en-Velay", "le-puy-en-velay")
    assert t.insee == frozenset({"43157"})


@pytest.mark.parametrize("text", ["Clermont-Ferrand", "clermont ferrand", "CLERMONT FERRAND", "63113"])
def test_commune_spellings(text):
    assert resolve(text).slug == "clermont-ferrand"


@pytest.mark.parametrize(
    "text",
    ["Hautes Terres", "CC Hautes Terres", "cc hautes-terres", "Communauté de communes Hautes Terres", "200066637"],
)
def test_epci(text):
    t = resolve(text)
    assert (t.kind, t.code, t.slug) == ("epci", "200066637", "cc-hautes-terres")
    assert t.name == "Communauté de communes Hautes Terres"
    assert len(t.insee) == 35


def test_epci_names_expanded():
    assert resolve("Clermont Auvergne Métropole").name == "Clermont Auvergne Métropole"
    assert resolve("Clermont Auvergne Métropole").slug == "clermont-auvergne-metropole"
    assert resolve("Massif du Sancy").name == "Communauté de communes du Massif du Sancy"
    assert resolve("Riom Limagne et Volcans").name == "Communauté d'agglomération Riom Limagne et Volcans"
    assert territory.expand_epci_name("METRO Exemple") == "Métropole Exemple"


def test_kind_words_pick_one_side():
    assert resolve("commune Thiers").kind == "commune"
    assert resolve("commune de Thiers").code == "63430"
    assert resolve("ville de Riom").code == "63300"
    assert resolve("CC Thiers Dore et Montagne").kind == "epci"
    assert resolve("CC Thiers").code == "200070712"


def test_commune_named_like_an_epci_is_ambiguous():
    with pytest.raises(UnknownTerritory) as exc:
        resolve("Thiers")
    msg = str(exc.value)
    assert "la commune Thiers (63430)" in msg
    assert "la communauté de communes Thiers Dore et Montagne" in msg
    assert "« commune Thiers »" in msg and "« CC Thiers Dore et Montagne »" in msg
    with pytest.raises(UnknownTerritory, match="communauté de communes de Saint-Flour"):
        resolve("Saint-Flour")


def test_article_tells_the_commune_from_its_epci():
    # 'Le Puy-en-Velay' is the commune; without the article it could be the CA.
    assert resolve("Le Puy en Velay").kind == "commune"
    with pytest.raises(UnknownTerritory, match="communauté d'agglomération du Puy-en-Velay"):
        resolve("Puy-en-Velay")
    assert resolve("CA du Puy-en-Velay").kind == "epci"


def test_homonyms_listed_with_their_codes():
    with pytest.raises(UnknownTerritory) as exc:
        resolve("Beaulieu")
    msg = str(exc.value)
    # All France is known: the homonyms are asked for with their département.
    for dept in ("15", "43", "63"):
        assert f"« Beaulieu ({dept}) »" in msg
    assert resolve("Beaulieu (15)").code == "15020"
    # Typed exactly as one of them (article included) is not ambiguous.
    assert resolve("Le Monestier").code == "63230"
    assert resolve("Monestier (03)").code == "03175"
    with pytest.raises(UnknownTerritory, match="« Monestier \\(07\\) »"):
        resolve("Monestier")  # also in the Ardèche and the Dordogne


def test_partial_names():
    assert resolve("Massif du Sancy").code == "246300966"
    with pytest.raises(UnknownTerritory) as exc:
        resolve("Saint-Pal")
    assert all(n in str(exc.value) for n in ("Saint-Pal-de-Chalencon", "Saint-Pal-de-Mons", "Saint-Pal-de-Senouire"))
    with pytest.raises(UnknownTerritory, match="Clermont Auvergne Métropole"):
        resolve("Clermont")


def test_unknown_with_suggestions():
    with pytest.raises(UnknownTerritory) as exc:
        resolve("Clermont-Ferand")
    assert "Territoire inconnu" in str(exc.value)
    assert "Vouliez-vous dire : la commune Clermont-Ferrand (63113)" in str(exc.value)
    with pytest.raises(UnknownTerritory, match="n'existe pas"):
        resolve("99")
    with pytest.raises(UnknownTerritory, match="99999"):
        resolve("99999")
    with pytest.raises(UnknownTerritory, match="SIREN"):
        resolve("123456789")
    with pytest.raises(UnknownTerritory, match="Territoire inconnu"):
        resolve("Xyzzy")


# --------------------------------------------------------------------------
# Filters


def test_commune_with_two_postcodes():
    cf = resolve("Clermont-Ferrand")
    metro = resolve("Clermont Auvergne Métropole")
    for pc in ("63000", "63100"):
        e = entry("63113", "Clermont-Ferrand", pc)
        assert cf.contains(e) and metro.contains(e) and resolve("63").contains(e)
        assert not resolve("15").contains(e)
        # Without INSEE code, the name and postal code place it.
        assert cf.contains(entry(None, "Clermont-Ferrand", pc))
    assert not cf.contains(entry("63014", "Aubière", "63170"))


def test_epci_across_departement_border_sancy():
    sancy = resolve("CC du Massif du Sancy")
    g = gazetteer()
    depts = sorted(g.communes[c].departement for c in sancy.insee)
    assert depts.count("63") == 19 and depts.count("15") == 1
    cantal_member = next(c for c in sancy.insee if c.startswith("15"))
    assert sancy.contains(entry(cantal_member))
    assert not resolve("63").contains(entry(cantal_member))
    assert resolve("15").contains(entry(cantal_member))


def test_epci_with_members_outside_the_departements():
    moulins = resolve("CA Moulins Communauté")
    outside = sorted(c for c in moulins.insee if c[:2] not in ("03", "15", "43", "63"))
    assert len(moulins.insee) == 44 and len(outside) == 2 and all(c.startswith("58") for c in outside)
    assert moulins.contains(entry(outside[0]))  # a member in the Nièvre
    assert not resolve("region").contains(entry(outside[0]))
    assert resolve("58").contains(entry(outside[0]))
    charolais = next(t for t in editions("epci") if t.slug == "cc-le-grand-charolais")
    assert len(charolais.insee) == 44
    # All France is known; three members are in the Allier, the rest in Saône-et-Loire.
    assert all(c in gazetteer().communes for c in charolais.insee)
    assert sorted(gazetteer().communes[c].departement for c in charolais.insee).count("03") == 3


def test_merged_commune_old_code():
    e = entry("15136", "Mourjou")
    puycapel = resolve("Puycapel")
    assert puycapel.code == "15027" and puycapel.contains(e)
    assert resolve("CC de la Châtaigneraie Cantalienne").contains(e)
    assert resolve("Cantal").contains(e) and resolve(None).contains(e)
    assert not resolve("Aurillac").contains(e)
    assert resolve("15136") == puycapel  # the old code resolves to the current commune
    assert resolve("Mourjou") == puycapel  # and so does the old name
    assert territory.canonical_insee("15136") == "15027"
    assert territory.canonical_insee("63133") == "63226"


def test_bare_codes_and_unplaceable_entries():
    cf = resolve("Clermont-Ferrand")
    assert cf.contains("63113") and not cf.contains("63014")
    nowhere = entry(None, "Commune qui n'existe pas")
    assert resolve(None).contains(nowhere)  # the region keeps what it cannot place
    assert not cf.contains(nowhere)


# --------------------------------------------------------------------------
# Batches, slugs


def test_editions():
    by_epci = editions("epci")
    assert len(by_epci) == 46 and all(t.kind == "epci" for t in by_epci)
    names = [t.name for t in by_epci]
    assert names.index("Communauté d'agglomération Agglo Pays d'Issoire") == 0
    assert names.index("Communauté de communes du Massif du Sancy") < names.index(
        "Communauté de communes Mézenc-Loire-Meygal"
    )  # 'Massif' < 'Mézenc': CC/du ignored
    assert [t.code for t in editions("departement")] == ["03", "15", "43", "63"]
    communes = editions("commune")
    assert len(communes) == 1284
    assert editions("region") == (resolve(None),)
    with pytest.raises(UnknownTerritory, match="Découpage inconnu"):
        editions("canton")


def test_slugs_unique_and_readable():
    slugs = [t.slug for by in ("epci", "departement", "commune", "region") for t in editions(by)]
    assert len(slugs) == len(set(slugs))
    assert all(s == territory.slugify(s) for s in slugs)
    homonyms = {t.slug for t in editions("commune") if t.name == "Beaulieu"}
    assert homonyms == {"beaulieu-cantal", "beaulieu-haute-loire", "beaulieu-puy-de-dome"}


def test_every_edition_resolves_back_from_its_query():
    for by in ("epci", "departement", "region"):
        for t in editions(by):
            assert resolve(t.query) == t
    for t in editions("commune")[:50]:
        assert resolve(t.query) == t


def test_territory_pickles():
    t = resolve("Hautes Terres")
    assert pickle.loads(pickle.dumps(t)) == t


# --------------------------------------------------------------------------
# The bundled table of old codes


def test_communes_anciennes_table():
    path = resources.files("annuaire.data").joinpath("communes_anciennes.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    g = gazetteer()
    assert rows and all(r["ancien_insee"] not in g.communes for r in rows)
    assert all(r["insee"] in g.communes for r in rows)
    mapping = {r["ancien_insee"]: r["insee"] for r in rows}
    assert mapping["15136"] == "15027"  # Mourjou → Puycapel
    assert mapping["63078"] == "63448"  # Chaméane → Le Vernet-Chaméane
    assert mapping["63133"] == "63226"  # Dallet → Mur-sur-Allier
    assert mapping["63127"] == "63335"  # Creste → Saint-Diéry
    assert mapping["15150"] == "15268"  # Pers → Le Rouget-Pers
    assert mapping["63068"] == "63244"  # Cellule → Chambaron-sur-Morge
    # Every old code SOURCES.md lists for the datasets is covered.
    for code in (
        "03123 03153 03318 15031 15035 15044 15047 15099 15136 15145 15150 15171 "
        "15227 43081 43176 43255 63068 63078 63127 63133"
    ).split():
        assert code in mapping, code


def test_script_rebuilds_the_bundled_table(tmp_path):
    """scripts/make_communes_anciennes.py establishes every code from the shared
    data and gives exactly the committed file."""
    import subprocess
    import sys
    from pathlib import Path

    data = Path(__file__).resolve().parents[3] / "shared" / "data"
    if not (data / "communes_auvergne_admin_express_2018.geojson").is_file():
        pytest.skip("données partagées absentes (../shared/data)")
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "communes_anciennes.csv"
    run = subprocess.run(
        [sys.executable, str(root / "scripts/make_communes_anciennes.py"), "--data", str(data), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Non établis" not in run.stdout
    bundled = resources.files("annuaire.data").joinpath("communes_anciennes.csv").read_bytes()
    assert out.read_bytes() == bundled


@pytest.mark.parametrize(
    "typed, insee",
    [
        ("Murat 15300", "15138"),
        ("Murat (15)", "15138"),
        ("commune Murat 15300", "15138"),
        ("Murat, 03", "03191"),
        ("murat (03390)", "03191"),
        ("Le Vernet (43)", "43260"),
    ],
)
def test_homonym_commune_with_its_postcode_or_departement(typed, insee):
    # Two Murat in the region: people add the postal code or the département.
    t = resolve(typed)
    assert (t.kind, t.code) == ("commune", insee)


def test_name_with_a_code_that_fits_none_is_still_unknown():
    with pytest.raises(UnknownTerritory):
        resolve("Murat 63")


@pytest.mark.parametrize(
    "typed, siren",
    [
        ("Saint-Flour Communauté", "200066660"),  # the EPCI's everyday name
        ("Clermont Métropole", "246300701"),
        ("Hautes Terres Communauté", "200066637"),
    ],
)
def test_epci_called_by_its_place_and_a_kind_word(typed, siren):
    t = resolve(typed)
    assert (t.kind, t.code) == ("epci", siren)


def test_kind_word_alone_does_not_invent_an_epci():
    with pytest.raises(UnknownTerritory):
        resolve("Paris Métropole")
