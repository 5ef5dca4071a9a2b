"""validate_rows: entries, rejections with located French issues, accounting."""

from datetime import date
from pathlib import Path

import pytest

from annuaire.reference.geo import gazetteer
from annuaire.load import read_paths
from annuaire.model import Origin, Provider, RawRow
from annuaire.check.validate import validate_rows

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "contributors"
TODAY = date(2026, 1, 1)
S = "\u00a0"


def row(n=2, file="communes.xlsx", sheet="Santé", **fields):
    base = {"nom": "Pharmacie du Marché", "typologie": "Pharmacie", "commune": "Riom"}
    base.update(fields)
    letters = "ABCDEFGHIJKLMNOP"
    columns = {f: f"{letters[i]} ({f.capitalize()})" for i, f in enumerate(base)}
    return RawRow(origin=Origin(file, sheet, n), fields=base, columns=columns)


def one(raw):
    res = validate_rows([raw], today=TODAY)
    assert len(res.entries) + res.rejected == 1
    return res


def codes(res):
    return [i.code for i in res.issues]


# ------------------------------------------------------------------ fixtures end to end


@pytest.fixture(scope="module")
def fixture_run():
    loaded = read_paths([FIX])
    return loaded, validate_rows(loaded.rows, today=TODAY)


def test_accounting(fixture_run):
    loaded, res = fixture_run
    assert len(res.entries) + res.rejected == len(loaded.rows)
    assert res.rejected == 7


def test_every_issue_is_located(fixture_run):
    _, res = fixture_run
    for i in res.issues:
        assert i.file and i.row and i.message
        if i.code != "colonne-obligatoire-manquante":
            assert i.column, i


@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_unknown_typology_located_at_the_cell(fixture_run, ext):
    _, res = fixture_run
    (issue,) = [i for i in res.issues if i.code == "typologie-inconnue" and i.file.endswith(ext)]
    assert (issue.sheet, issue.row, issue.column, issue.value) == ("Santé", 6, "B (Typologie)", "Pharmacei")
    assert issue.severity == "error"
    assert issue.message == (
        "Typologie « Pharmacei » inconnue : vouliez-vous dire « Pharmacie » ? "
        "Choisissez une valeur de la liste des typologies (annuaire themes)."
    )


def test_missing_column_rejects_the_sheet_once(fixture_run):
    _, res = fixture_run
    issues = [i for i in res.issues if i.code == "colonne-obligatoire-manquante"]
    assert {(i.file, i.sheet) for i in issues} == {
        ("Annuaire Riom Limagne.xlsx", "Loisirs"),
        ("Annuaire Riom Limagne.ods", "Loisirs"),
    }
    assert all("« Nom »" in i.message and "2 ligne(s)" in i.message for i in issues)


def test_workbook_entry(fixture_run):
    _, res = fixture_run
    e = next(e for e in res.entries if e.key == "Annuaire Riom Limagne.xlsx#Santé#4")
    assert e.name == "Pharmacie du Marché"
    assert e.typology == "SA19"
    assert (e.commune, e.insee, e.postcode) == ("Riom", "63300", "63200")
    assert e.phone == S.join(["04", "73", "38", "50", "00"])
    assert e.email == "Contact@pharmacie-marche.fr"
    assert e.website == "www.pharmacie-marche.fr"
    assert e.hours == (f"Lundi au samedi{S}: 9{S}h{S}– 12{S}h et 14{S}h{S}– 19{S}h",)
    assert e.updated == date(2025, 3, 12)
    assert e.latitude == pytest.approx(45.8936)
    assert e.providers == (Provider(name="Annuaire Riom Limagne.xlsx"),)
    assert e.origins == (Origin("Annuaire Riom Limagne.xlsx", "Santé", 4),)


def test_multiline_address_comma_decimals_obfuscated_email(fixture_run):
    _, res = fixture_run
    e = next(e for e in res.entries if e.key == "Annuaire Riom Limagne.ods#Santé#7")
    assert e.address.startswith("Hôtel-Dieu, boulevard")
    assert (e.latitude, e.longitude) == (pytest.approx(45.8912), pytest.approx(3.118))
    assert e.email == "labo@biorom.fr"
    assert len(e.hours) == 2
    (w,) = [i for i in res.issues if i.code == "courriel-masque" and i.file.endswith("ods")]
    assert (w.row, w.column) == (7, "G (Courriel)")


def test_far_coordinates_dropped(fixture_run):
    _, res = fixture_run
    e = next(e for e in res.entries if e.key == "Annuaire Riom Limagne.xlsx#Santé#8")
    assert e.commune == "Châtel-Guyon"  # 'Chatel-Guyon' as typed
    assert e.latitude is None and e.longitude is None
    (w,) = [i for i in res.issues if i.code == "coordonnees-eloignees" and i.file.endswith("xlsx")]
    assert (w.sheet, w.row, w.column) == ("Santé", 8, "L (Latitude)")


def test_commune_from_postcode_alone(fixture_run):
    _, res = fixture_run
    e = next(e for e in res.entries if e.key == "Annuaire Riom Limagne.xlsx#Santé#9")
    assert (e.commune, e.postcode) == ("Châtel-Guyon", "63140")


def test_csv_entries(fixture_run):
    _, res = fixture_run
    by_key = {e.key: e for e in res.entries}
    assert by_key["cantal_communes.csv##6"].commune == "Saint-Flour"  # 'St Flour'
    assert by_key["cantal_communes.csv##5"].phone == S.join(["04", "71", "48", "26", "40"])
    assert by_key["haute_loire_bom.csv##4"].phone == "3646"
    assert by_key["haute_loire_bom.csv##3"].commune == "Le Puy-en-Velay"
    assert by_key["haute_loire_bom.csv##3"].updated == date(2025, 3, 12)
    moulins = by_key["allier.tsv##2"]
    assert (moulins.postcode, moulins.phone, moulins.typology) == ("03000", "3949", "SP32")
    assert by_key["allier.tsv##4"].phone == S.join(["08", "09", "40", "14", "01"])
    # Lat/Lon typed the wrong way round are swapped back
    assert by_key["allier.tsv##4"].latitude == pytest.approx(46.56)


def test_cedex_postcode_warning_located(fixture_run):
    _, res = fixture_run
    (w,) = [i for i in res.issues if i.code == "code-postal-cedex"]
    assert (w.file, w.sheet, w.row, w.column, w.value) == ("allier.tsv", None, 3, "CP", "03006")
    assert w.severity == "warning"


def test_wrong_length_phone_rejects_with_location(fixture_run):
    _, res = fixture_run
    (e,) = [i for i in res.issues if i.code == "telephone-longueur"]
    assert (e.file, e.row, e.column) == ("haute_loire_bom.csv", 5, "Téléphone")
    assert "10 chiffres" in e.message


# ------------------------------------------------------------------ rules one by one


def test_name_required():
    res = one(row(nom=None))
    assert res.rejected == 1 and codes(res) == ["nom-manquant"]
    assert res.issues[0].column == "A (Nom)"


def test_typology_required():
    res = one(row(typologie="  "))
    assert res.rejected == 1 and codes(res) == ["typologie-manquante"]


def test_typology_by_alias_and_case():
    res = one(row(typologie="PHARMACIES"))
    assert res.entries[0].typology == "SA19"


def test_unknown_commune_suggests():
    res = one(row(commune="Rion"))
    assert res.rejected == 1
    (e,) = res.issues
    assert e.code == "commune-inconnue" and "« Riom »" in e.message and e.column == "C (Commune)"


def test_ambiguous_commune_needs_postcode():
    res = one(row(commune="Beaulieu"))
    assert codes(res) == ["commune-ambigue"] and res.rejected == 1
    res = one(row(commune="Beaulieu", code_postal=43800))
    assert res.entries[0].insee == "43021"


def test_insee_code_wins_and_is_official_name():
    res = one(row(commune=None, code_insee="63113"))
    assert res.entries[0].commune == "Clermont-Ferrand"
    res = one(row(commune=None, code_insee=3190))  # Excel number for 03190
    assert res.entries[0].commune == "Moulins"


def test_insee_code_typed_in_the_commune_column():
    # The commune-inconnue message invites "son code INSEE": it must be understood there.
    res = one(row(commune="15138"))
    assert res.rejected == 0 and res.entries[0].commune == "Murat" and res.entries[0].insee == "15138"
    res = one(row(commune=3190))  # an Excel number, leading zero lost
    assert res.entries[0].commune == "Moulins"


@pytest.mark.parametrize("typed", ["Aurillac Cedex", "AURILLAC CEDEX 9", "Aurillac cedex"])
def test_cedex_after_the_commune_name(typed):
    res = one(row(commune=typed, code_postal="15009"))
    assert res.rejected == 0 and res.entries[0].commune == "Aurillac"


@pytest.mark.parametrize("typed", ["École", "Ecole", "ECOLES"])
def test_bare_ecole_is_ambiguous_not_higher_education(typed):
    # Annex 1 labels EN13 (higher education) just 'Ecole'; a mairie writing
    # 'École' for its primary school must not see it printed among grandes écoles.
    res = one(row(nom="École primaire Jean Moulin", typologie=typed, commune="Murat", code_postal="15300"))
    assert res.rejected == 1 and not res.entries
    (e,) = res.issues
    assert e.code == "typologie-ambigue" and e.severity == "error" and e.column == "B (Typologie)"
    assert "« École élémentaire »" in e.message and "« École d’enseignement supérieur »" in e.message


def test_full_ecole_labels_still_resolve():
    assert one(row(typologie="École élémentaire")).entries[0].typology == "EN06"
    assert one(row(typologie="École d’enseignement supérieur")).entries[0].typology == "EN13"


def test_insee_and_commune_disagree():
    res = one(row(commune="Riom", code_insee="63113"))
    assert res.entries[0].commune == "Clermont-Ferrand"
    assert codes(res) == ["commune-incoherente"]


def test_old_insee_code_of_merged_commune(monkeypatch):
    g = gazetteer()
    monkeypatch.setitem(g.merged, "63999", "63300")
    monkeypatch.setitem(g.merged_names, "63999", "Ancienne-Commune")
    res = one(row(commune=None, code_insee="63999"))
    assert res.entries[0].commune == "Riom"
    (w,) = res.issues
    assert w.code == "code-insee-ancien" and w.severity == "warning" and "Riom" in w.message


def test_unknown_insee_without_name():
    res = one(row(commune=None, code_insee="99999"))
    assert res.rejected == 1 and codes(res) == ["code-insee-inconnu"]


def test_postcode_with_several_communes_and_no_name():
    res = one(row(commune=None, code_postal="63200"))
    assert res.rejected == 1 and codes(res) == ["commune-manquante"]
    assert "Riom" in res.issues[0].message


def test_postcode_of_another_commune_is_a_warning():
    res = one(row(code_postal="63000"))  # Clermont-Ferrand's, same département
    assert len(res.entries) == 1 and codes(res) == ["code-postal-commune"]


def test_postcode_of_another_departement_is_ignored():
    # Riom with 15000 (Aurillac): the code cannot be right; Riom's own is printed.
    res = one(row(code_postal="15000"))
    assert len(res.entries) == 1 and codes(res) == ["code-postal-departement"]
    assert res.entries[0].postcode == "63200"


def test_postcode_of_another_departement_never_picks_a_homonym():
    # Beaulieu with Le Puy's code: the Haute-Loire Beaulieu, not the Cantal or Puy-de-Dôme ones.
    res = one(row(commune="Beaulieu", code_postal="43000"))
    assert res.entries[0].insee == "43021"


def test_excel_postcode_number():
    res = one(row(commune="Moulins", code_postal=3000))
    assert res.entries[0].postcode == "03000"


def test_all_caps_name_and_quote_debris():
    res = one(row(nom='"""EHPAD ""VILLA"""'))
    e = res.entries[0]
    assert '"' not in e.name and "«" in e.name and "»" in e.name
    assert codes(res) == ["nom-guillemets"]


def test_all_caps_name_title_cased():
    res = one(row(nom="PHARMACIE DES CORDELIERS"))
    assert res.entries[0].name != "PHARMACIE DES CORDELIERS"
    assert res.entries[0].name.lower() == "pharmacie des cordeliers"


def test_source_column_is_the_provider():
    res = one(row(source="Mairie de Riom"))
    assert res.entries[0].providers == (Provider(name="Mairie de Riom"),)


def test_importer_provider_and_ids_kept():
    p = Provider(name="FINESS (DREES)", date=date(2024, 6, 1))
    raw = RawRow(
        origin=Origin("finess.ndjson", None, 12),
        fields={"nom": "Pharmacie", "typologie": "Pharmacie", "code_insee": "63300"},
        provider=p,
        ids=(("finess", "630000000"),),
    )
    res = one(raw)
    e = res.entries[0]
    assert e.ids == (("finess", "630000000"),) and e.providers == (p,) and e.updated == date(2024, 6, 1)
    assert e.key == "finess.ndjson##12"  # unique in a run, unlike an identifier


def test_source_column_naming_a_national_dataset_gets_its_licence_back():
    res = one(row(source="FINESS (DREES)"))
    [provider] = res.entries[0].providers
    assert provider.licence and provider.date  # for the colophon


def test_future_update_date_warns():
    res = one(row(mise_a_jour="12/03/2027"))
    assert len(res.entries) == 1 and codes(res) == ["date-future"]


def test_excel_serial_update_date():
    res = one(row(mise_a_jour=45000))
    assert res.entries[0].updated == date(2023, 3, 15)


def test_invalid_url_and_email_dropped_but_row_kept():
    res = one(row(site_web="voir facebook", courriel="mairie.riom.fr"))
    e = res.entries[0]
    assert e.website is None and e.email is None
    assert sorted(codes(res)) == ["courriel-invalide", "site-invalide"]
    assert {i.column for i in res.issues} == {"D (Site_web)", "E (Courriel)"}


def test_unrecognised_hours_kept():
    res = one(row(horaires="sur rendez-vous"))
    assert res.entries[0].hours and codes(res) == ["horaires-non-reconnus"]


def test_keys_unique_and_stable():
    rows = [row(n=n) for n in range(2, 6)]
    res = validate_rows(rows, today=TODAY)
    assert [e.key for e in res.entries] == [f"communes.xlsx#Santé#{n}" for n in range(2, 6)]
