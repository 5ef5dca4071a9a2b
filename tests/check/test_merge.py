"""Duplicates across sources: merged when certain, reported when not."""

from datetime import date

from annuaire.check.merge import merge, name_key
from annuaire.model import Entry, Origin, Provider

DILA16 = Provider("Service-Public.fr (DILA), 2016", date=date(2016, 2, 19))
DILA19 = Provider("Service-Public.fr (DILA), 2019", date=date(2019, 9, 1))


def entry(key, name, *, typology="SP04", insee="15003", commune="Ally", updated=None,
          provider=DILA16, row=2, **kw):
    return Entry(
        key=key, name=name, typology=typology, commune=commune, insee=insee,
        updated=updated, providers=(provider,), origins=(Origin(f"{key}.csv", None, row),), **kw,
    )


def test_same_siret_merges_and_keeps_newest_values_and_every_source():
    old = entry("a", "Mairie d'Ally", phone="04 71 69 00 01", updated=date(2015, 1, 1),
                ids=(("siret", "21150003100011"),), email="mairie@ally.fr")
    new = entry("b", "Mairie - Ally", phone="04 71 69 00 99", updated=date(2019, 5, 1),
                provider=DILA19, ids=(("siret", "21150003100011"),))
    result = merge([old, new])
    assert len(result.entries) == 1
    kept = result.entries[0]
    assert kept.phone == "04 71 69 00 99"  # newest wins
    assert kept.email == "mairie@ally.fr"  # kept from the older row where the newer is empty
    assert kept.providers == (DILA16, DILA19)
    assert [o.file for o in kept.origins] == ["a.csv", "b.csv"]
    assert result.duplicates == 1
    assert "SIRET" in result.merges[0].reason


def test_same_typology_commune_and_normalised_name_merge():
    a = entry("a", "Mairie d'Ally")
    b = entry("b", "MAIRIE - ALLY", provider=DILA19)
    result = merge([a, b])
    assert len(result.entries) == 1 and result.duplicates == 1
    assert result.merges[0].reason == "même typologie, commune et nom"


def test_same_name_in_another_commune_is_not_a_duplicate():
    a = entry("a", "Bibliothèque municipale", typology="SL07", insee="63113", commune="Clermont-Ferrand")
    b = entry("b", "Bibliothèque municipale", typology="SL07", insee="63430", commune="Thiers")
    result = merge([a, b])
    assert len(result.entries) == 2 and not result.merges


def test_shared_national_phone_number_does_not_merge_post_offices():
    a = entry("a", "Bureau de poste Riom", typology="VP05", insee="63300", commune="Riom", phone="3631")
    b = entry("b", "Relais poste Riom Gare", typology="VP05", insee="63300", commune="Riom", phone="3631")
    assert len(merge([a, b]).entries) == 2


def test_same_address_merges():
    a = entry("a", "EHPAD Les Tilleuls", typology="SA03", address="12 rue des Écoles")
    b = entry("b", "Résidence Les Tilleuls (EHPAD)", typology="SA03", address="12, rue des ecoles")
    result = merge([a, b])
    assert len(result.entries) == 1
    assert "adresse" in result.merges[0].reason


def test_close_names_are_reported_not_merged():
    a = entry("a", "Pharmacie du Centre", typology="SA19", insee="63300", commune="Riom")
    b = entry("b", "Pharmacie du Centr", typology="SA19", insee="63300", commune="Riom", row=7)
    result = merge([a, b])
    assert len(result.entries) == 2
    [issue] = result.issues
    assert issue.code == "doublon-possible" and issue.severity == "warning"
    assert issue.file == "b.csv" and issue.row == 7
    assert "Pharmacie du Centre" in issue.message


def test_nothing_is_lost_entries_plus_duplicates_equal_input():
    items = [entry(str(i), f"Mairie {i % 3}", row=i) for i in range(9)]
    result = merge(items)
    assert len(result.entries) + result.duplicates == len(items)


def test_name_key_ignores_case_accents_punctuation_and_small_words():
    assert name_key("Mairie d'Ally") == name_key("MAIRIE - ALLY") == "mairie ally"
    assert name_key("École élémentaire") == name_key("ECOLE ELEMENTAIRE")


def test_different_finess_numbers_at_one_address_stay_apart():
    """A SESSAD and an ITEP share a building and a phone: two establishments."""
    sessad = entry("a", "SESSAD Les Sources", typology="SA05", address="4 rue du Parc",
                   phone="04 73 00 00 01", ids=(("finess", "630000001"),))
    itep = entry("b", "ITEP Les Sources", typology="SA05", address="4 rue du Parc",
                 phone="04 73 00 00 01", ids=(("finess", "630000002"),))
    result = merge([sessad, itep])
    assert len(result.entries) == 2 and not result.merges


def test_a_row_without_identifier_joins_the_one_with_it():
    a = entry("a", "EHPAD Les Cèdres", typology="SA04", ids=(("finess", "630000003"),))
    b = entry("b", "Ehpad les Cedres", typology="SA04")
    assert len(merge([a, b]).entries) == 1


def test_real_overlap_of_the_2016_and_2019_service_public_files():
    """The DILA annuaire of 2016 and its 2019 snapshot describe the same
    services: each is printed once, credited to both sources."""
    from pathlib import Path

    from annuaire import pipeline

    national = Path(__file__).resolve().parents[1] / "fixtures" / "national"
    prepared = pipeline.prepare([
        national / "dila_annuaire_services_publics_2016_auvergne.jsonl",
        national / "dada_annuaire_administration_2019_auvergne.csv",
    ])
    both = [e for e in prepared.entries if len({o.file for o in e.origins}) == 2]
    assert len(both) >= 4
    names = {p.name for e in both for p in e.providers}
    assert any("2016" in n for n in names) and any("2019" in n for n in names)
    assert prepared.duplicates == sum(len(m.merged) - 1 for m in prepared.merges) >= 4
    assert prepared.rows_read == len(prepared.entries) + prepared.duplicates + prepared.rejected
