"""Duplicates across sources: merged when certain, reported when not."""

from datetime import date
from dataclasses import replace

from annuaire.check.merge import core_words, merge, name_key
from annuaire.model import Entry, Origin, Provider

DILA16 = Provider("Service-Public.fr (DILA), 2016", date=date(2016, 2, 19))
DILA19 = Provider("Service-Public.fr (DILA), 2019", date=date(2019, 9, 1))


def entry(key, name, *, typology="SP04", insee="15003", commune="Ally", updated=None, provider=DILA16, row=2, **kw):
    return Entry(
        key=key,
        name=name,
        typology=typology,
        commune=commune,
        insee=insee,
        updated=updated,
        providers=(provider,),
        origins=(Origin(f"{key}.csv", None, row),),
        **kw,
    )


def test_same_siret_merges_and_keeps_newest_values_and_every_source():
    old = entry(
        "a",
        "Mairie d'Ally",
        phone="04 71 69 00 01",
        updated=date(2015, 1, 1),
        ids=(("siret", "21150003100011"),),
        email="mairie@ally.fr",
    )
    new = entry(
        "b",
        "Mairie - Ally",
        phone="04 71 69 00 99",
        updated=date(2019, 5, 1),
        provider=DILA19,
        ids=(("siret", "21150003100011"),),
    )
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


def test_a_misspelt_name_from_another_file_merges():
    a = entry("a", "Pharmacie du Centre", typology="SA19", insee="63300", commune="Riom")
    b = entry("b", "Pharmacie du Centr", typology="SA19", insee="63300", commune="Riom", row=7)
    result = merge([a, b])
    assert len(result.entries) == 1
    assert result.merges[0].reason == "même typologie et commune, noms presque identiques"


def test_the_same_name_twice_in_one_file_is_reported_not_merged():
    a = entry(
        "a",
        "Pharmacie du Centre",
        typology="SA19",
        insee="63300",
        commune="Riom",
        phone="04 73 38 00 01",
        address="2 rue de l’Horloge",
        row=4,
    )
    b = entry(
        "a",
        "Pharmacie du Centre",
        typology="SA19",
        insee="63300",
        commune="Riom",
        phone="04 73 38 00 02",
        address="2 rue de l'Horloge",
        row=7,
    )
    b = replace(b, key="b")
    result = merge([a, b])
    assert len(result.entries) == 2
    [issue] = result.issues
    assert issue.code == "doublon-possible" and issue.severity == "warning"
    assert issue.file == "a.csv" and issue.row == 7
    # Both rows are named, with why they may be one service.
    assert "a.csv, ligne 4" in issue.message and "a.csv, ligne 7" in issue.message
    assert "même adresse" in issue.message and "même fichier" in issue.message


def test_rows_of_one_compilation_sheet_that_declare_two_sources_merge():
    # The sample santé workbook gathers FINESS and SAE rows in one sheet, each
    # naming its source: the SAE row of a hospital is the FINESS row's
    # hospital (same name, same address, no phone to contradict it).
    sae = Provider("SAE (DREES)", date=date(2023, 12, 31))
    finess = Provider("FINESS (DREES)", date=date(2021, 1, 8))
    common = dict(typology="SA01", insee="63003", commune="Ambert", address="14 avenue Georges Clemenceau")
    a = entry("a", "CH d’Ambert", provider=finess, phone="04 73 82 73 82", row=10, **common)
    b = replace(entry("a", "CH d’Ambert", provider=sae, row=2300, **common), key="b")
    result = merge([a, b])
    [one] = result.entries
    assert one.phone == "04 73 82 73 82"
    assert {p.name for p in one.providers} == {"SAE (DREES)", "FINESS (DREES)"}
    assert sorted(o.row for o in one.origins) == [10, 2300]


def test_a_row_repeated_verbatim_in_one_file_is_one_record():
    a = entry("a", "Médiathèque", typology="SL08", phone="04 71 00 00 01", row=4)
    b = replace(entry("a", "Médiathèque", typology="SL08", phone="04 71 00 00 01", row=5), key="b")
    assert len(merge([a, b]).entries) == 1


def test_one_switchboard_in_one_palais_de_justice_is_not_one_service():
    """The TGI, the CIVI and the tribunal pour enfants of Moulins share the
    palais de justice and (two of them) the phone: three services."""
    common = dict(typology="SP09", insee="03190", commune="Moulins", address="20 rue de Paris")
    rows = [
        entry("tgi", "Tribunal de grande instance de Moulins", phone="04 70 35 14 55", **common),
        entry(
            "civi",
            "Commission d’indemnisation des victimes d’infractions de Moulins",
            phone="04 70 35 14 55",
            provider=DILA19,
            **common,
        ),
        entry("te", "Tribunal pour enfants de Moulins", phone="04 70 20 44 60", **common),
    ]
    result = merge(rows)
    assert len(result.entries) == 3 and not result.merges and not result.issues


def test_the_four_sie_of_one_building_stay_four():
    rows = [
        entry(
            f"sie{i}",
            f"Service des impôts des entreprises de Clermont-Ferrand {side}",
            typology="SP51",
            insee="63113",
            commune="Clermont-Ferrand",
            address="Boulevard Berthelot",
            phone="04 73 43 20 00",
        )
        for i, side in enumerate(("Nord-Est", "Nord-Ouest", "Sud-Est", "Sud-Ouest"))
    ]
    assert len(merge(rows).entries) == 4


def test_a_caf_head_office_and_its_desks_stay_apart():
    rows = [
        entry(
            k,
            f"Caisse d’allocations familiales (Caf) du Puy-de-Dôme - {what}",
            typology="SP59",
            insee="63113",
            commune="Clermont-Ferrand",
            phone="08 10 25 63 10",
        )
        for k, what in (
            ("s", "siège de Clermont-Ferrand"),
            ("c", "accueil de Clermont-Ferrand - Croix-de-Neyrat"),
            ("j", "accueil de Clermont-Ferrand - Saint-Jacques"),
        )
    ]
    assert len(merge(rows).entries) == 3


def test_a_second_mairie_is_not_the_mairie():
    common = dict(insee="15141", commune="Neussargues en Pinatelle", phone="04 71 20 50 82")
    mairie = entry("m", "Mairie de Neussargues en Pinatelle", address="1 place Administrative", **common)
    annexe = entry(
        "x", "Mairie annexe de Neussargues en Pinatelle", provider=DILA19, address="1 place Administrative", **common
    )
    assert len(merge([mairie, annexe]).entries) == 2


def test_a_merged_communes_mairie_deleguee_is_what_its_mairie_became():
    old = entry(
        "o",
        "Mairie de Givarlais",
        insee="03158",
        commune="Haut-Bocage",
        address="17 rue des Bodins",
        phone="04 70 06 73 28",
        updated=date(2016, 2, 19),
    )
    new = entry(
        "n",
        "Mairie déléguée - Givarlais",
        insee="03158",
        commune="Haut-Bocage",
        provider=DILA19,
        address="Mairie déléguée de Givarlais - 17 rue des Bodins",
        phone="04 70 06 73 28",
        updated=date(2019, 9, 1),
    )
    result = merge([old, new])
    assert len(result.entries) == 1 and result.entries[0].name == "Mairie déléguée - Givarlais"


def test_finess_geographique_wins_over_a_differing_siret():
    """SAE gives the hospital's own SIRET, FINESS the legal entity's."""
    sae = entry(
        "s",
        "CH de Néris les Bains",
        typology="SA01",
        insee="03195",
        commune="Néris-les-Bains",
        ids=(("finess", "030000012"), ("siret", "26030003100011")),
    )
    finess = entry(
        "f",
        "CH de Néris les Bains",
        typology="SA02",
        insee="03195",
        commune="Néris-les-Bains",
        ids=(("finess", "030000012"), ("siret", "26030003100029")),
    )
    result = merge([sae, finess])
    assert len(result.entries) == 1
    assert result.merges[0].reason == "même identifiant FINESS 030000012"


def test_one_siret_does_not_join_two_finess_sites():
    a = entry("a", "EHPAD Les Sources", typology="SA04", ids=(("finess", "630000001"), ("siret", "1")))
    b = entry("b", "EHPAD Le Moulin", typology="SA04", ids=(("finess", "630000002"), ("siret", "1")))
    assert len(merge([a, b]).entries) == 2


def test_service_public_ids_of_2016_and_2019_join_when_something_else_agrees():
    old = entry(
        "o",
        "Brigade de proximité de gendarmerie de Riom",
        typology="SP79",
        insee="63300",
        commune="Riom",
        phone="04 73 38 00 17",
        ids=(("dila", "gendarmerie-63300-01"),),
    )
    new = entry(
        "n",
        "Brigade de gendarmerie - Riom",
        typology="SP79",
        insee="63300",
        commune="Riom",
        provider=DILA19,
        phone="04 73 38 00 17",
        ids=(("dila", "gendarmerie-63300-01"),),
    )
    result = merge([old, new])
    assert len(result.entries) == 1 and "service-public.fr" in result.merges[0].reason


def test_a_renumbered_service_public_id_does_not_join_two_tresoreries():
    """Same id in 2016 and 2019, nothing else in common: the lineage was renumbered."""
    old = entry(
        "o",
        "Trésorerie de Clermont-Ferrand - Banlieue",
        typology="SP54",
        insee="63113",
        commune="Clermont-Ferrand",
        address="64 avenue Léon-Blum",
        phone="04 73 28 42 01",
        ids=(("dila", "tresorerie-63113-01"),),
    )
    new = entry(
        "n",
        "Trésorerie de Clermont-Ferrand CHU",
        typology="SP54",
        insee="63113",
        commune="Clermont-Ferrand",
        provider=DILA19,
        address="65 boulevard François Mitterrand",
        phone="04 73 29 48 60",
        ids=(("dila", "tresorerie-63113-01"),),
    )
    assert len(merge([old, new]).entries) == 2


def test_france_services_2020_and_2024_numbers_are_one_lineage():
    a = entry(
        "a",
        "France services La Bourbon’NET",
        typology="VP07",
        insee="03190",
        commune="Moulins",
        ids=(("france_services_2020", "8"),),
    )
    b = entry(
        "b",
        "Bus France services La Bourbon’NET",
        typology="VP07",
        insee="03190",
        commune="Moulins",
        provider=DILA19,
        ids=(("france_services", "8"),),
    )
    assert len(merge([a, b]).entries) == 1


def test_designations_renamed_by_law_are_the_same_name():
    msap = entry(
        "m",
        "Maison de services au public - Ébreuil",
        typology="VP07",
        insee="03107",
        commune="Ébreuil",
        phone="04 70 58 43 65",
        updated=date(2019, 9, 1),
    )
    fs = entry(
        "f",
        "France services Ebreuil",
        typology="VP07",
        insee="03107",
        commune="Ébreuil",
        provider=DILA19,
        updated=date(2024, 8, 1),
    )
    bus = entry(
        "b",
        "Bus France services d’Ebreuil",
        typology="VP07",
        insee="03107",
        commune="Ébreuil",
        provider=DILA19,
        phone="06 12 68 90 34",
        row=3,
    )
    pe = entry("p", "Pôle emploi de Vichy", typology="SP32", insee="03310", commune="Vichy", updated=date(2016, 2, 19))
    ft = entry(
        "t",
        "France Travail - Vichy",
        typology="SP32",
        insee="03310",
        commune="Vichy",
        provider=DILA19,
        updated=date(2025, 8, 1),
    )
    result = merge([msap, fs, bus, pe, ft])
    assert sorted(e.name for e in result.entries) == [
        "Bus France services d’Ebreuil",
        "France Travail - Vichy",
        "France services Ebreuil",
    ]


def test_core_words_drop_the_commune_and_the_spelled_out_designation():
    assert core_words("Mairie d'Ally", "Ally") == core_words("MAIRIE - ALLY", "Ally") == ("mairie",)
    assert core_words("Centre d’information et d’orientation (CIO) de Saint-Flour", "Saint-Flour") == ("cio",)
    assert core_words("Mairie déléguée - Oradour", "Neuvéglise-sur-Truyère") == ("mairie", "deleguee", "oradour")


def test_3000_pharmacies_of_one_commune_cost_a_bounded_number_of_comparisons():
    """No step is quadratic in a block: each row meets a bounded number of others."""
    streets = ["rue", "avenue", "place", "boulevard", "chemin", "allée"]

    def pharmacies(n):
        return [
            entry(
                f"p{i}",
                f"Pharmacie {surname(i)}",
                typology="SA19",
                insee="63113",
                commune="Clermont-Ferrand",
                address=f"{i} {streets[i % 6]} {surname(i + 7)}",
                phone=f"04 73 {i // 100:02d} {i % 100:02d} 00",
                row=i + 2,
                ids=(("finess", f"63{i:07d}"),),
            )
            for i in range(n)
        ]

    small, big = merge(pharmacies(300)), merge(pharmacies(3000))
    assert len(big.entries) == 3000  # distinct FINESS numbers: nothing folded
    assert big.comparisons <= 20 * 3000  # a pairwise check would be 4.5 million
    assert big.comparisons <= 12 * small.comparisons  # grows like the rows (×10), not their square


def surname(i: int) -> str:
    """A distinct, pronounceable surname for row i (no two alike)."""
    syllables = ["ba", "do", "ri", "lu", "mé", "ta", "co", "ne", "vi", "sa", "pe", "ro"]
    out = []
    while True:
        out.append(syllables[i % 12])
        i //= 12
        if not i:
            break
    return "".join(out).capitalize()


def test_nothing_is_lost_entries_plus_duplicates_equal_input():
    items = [entry(str(i), f"Mairie {i % 3}", row=i) for i in range(9)]
    result = merge(items)
    assert len(result.entries) + result.duplicates == len(items)


def test_name_key_ignores_case_accents_punctuation_and_small_words():
    assert name_key("Mairie d'Ally") == name_key("MAIRIE - ALLY") == "mairie ally"
    assert name_key("École élémentaire") == name_key("ECOLE ELEMENTAIRE")


def test_different_finess_numbers_at_one_address_stay_apart():
    """A SESSAD and an ITEP share a building and a phone: two establishments."""
    sessad = entry(
        "a",
        "SESSAD Les Sources",
        typology="SA05",
        address="4 rue du Parc",
        phone="04 73 00 00 01",
        ids=(("finess", "630000001"),),
    )
    itep = entry(
        "b",
        "ITEP Les Sources",
        typology="SA05",
        address="4 rue du Parc",
        phone="04 73 00 00 01",
        ids=(("finess", "630000002"),),
    )
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
    prepared = pipeline.prepare(
        [
            national / "dila_annuaire_services_publics_2016_auvergne.jsonl",
            national / "dada_annuaire_administration_2019_auvergne.csv",
        ]
    )
    both = [e for e in prepared.entries if len({o.file for o in e.origins}) == 2]
    assert len(both) >= 4
    names = {p.name for e in both for p in e.providers}
    assert any("2016" in n for n in names) and any("2019" in n for n in names)
    assert prepared.duplicates == sum(len(m.merged) - 1 for m in prepared.merges) >= 4
    assert prepared.rows_read == (len(prepared.entries) + prepared.duplicates + prepared.rejected + prepared.withdrawn)
