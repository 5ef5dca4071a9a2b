"""Raw database text cleaned before print, on real records of ../shared/data
(tests/fixtures/raw_text/, rebuilt by scripts/make_raw_text_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire import pipeline
from annuaire.check import clean
from annuaire.model import Origin, RawRow
from annuaire.check.validate import validate_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "raw_text"
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def prepared():
    return pipeline.prepare(sorted(FIXTURES.iterdir()))


def _entry(prepared, file_start: str, row: int):
    for e in prepared.entries:
        if any(o.file.startswith(file_start) and o.row == row for o in e.origins):
            return e
    raise AssertionError(f"no entry from {file_start} row {row}")


def _issues(prepared, code: str):
    return [i for i in prepared.issues if i.code == code]


def test_windows_1252_characters_decoded_and_reported(prepared):
    cio = _entry(prepared, "dada", 2)
    assert cio.name == "Centre d’information et d’orientation (CIO) - Montluçon"
    mairie = _entry(prepared, "dada", 6)
    assert mairie.name == "Mairie - Beauregard-l’Évêque"
    found = _issues(prepared, "caracteres-windows-1252")
    assert {(i.file, i.row, i.column) for i in found} == {
        ("dada_annuaire_administration_2019_auvergne.csv", 2, "name"),
        ("dada_annuaire_administration_2019_auvergne.csv", 6, "name"),
    }
    assert "U+0092" in found[0].message and "décodés" in found[0].message


def test_spreadsheet_error_value_is_not_an_address(prepared):
    library = _entry(prepared, "bibliotheques", 2)
    assert library.name == "Médiathèque François Mitterrand"
    assert library.address is None
    [issue] = _issues(prepared, "valeur-erreur-tableur")
    assert (issue.file, issue.row, issue.column, issue.value.upper()) == (
        "bibliotheques_publiques_auvergne.csv",
        2,
        "adresse",
        "#NAME?",
    )
    assert "ignorée" in issue.message


@pytest.mark.parametrize(
    "value", ["#Name ?", "#Name\u00a0?", "#NOM?", "#N/A", "#REF!", "#VALEUR!", "#DIV/0!", "#NULL!", "#NUM!", "#VALUE!"]
)
def test_every_error_value_recognised(value):
    assert clean.is_spreadsheet_error(value)


@pytest.mark.parametrize("value", ["#1", "# 12 rue Blatin", "N/A", "12 #REF rue"])
def test_text_with_a_hash_is_data(value):
    assert not clean.is_spreadsheet_error(value)


@pytest.mark.parametrize(
    "row, address",
    [
        (3, "route de Moulins"),  # 'RTE de Moulins'
        (7, "45 avenue Charles Dupuy"),  # '45 AV Charles Dupuy'
        (1, "6 bis rue du Pave"),  # '6 R B DU PAVE'
        (9, "28 bis avenue de la Gare"),  # '28 AV B de la Gare'
        (4, "2 place Maréchal de Lattre de Tassigny"),  # '2 PL MAL DE LATTRE DE TASSIGNY'
    ],
)
def test_finess_street_codes_spelled_out(prepared, row, address):
    assert _entry(prepared, "finess", row).address == address


def test_finess_truncated_names_and_acronyms(prepared):
    assert _entry(prepared, "finess", 8).name == "Service aide ménagère à domicile personnes âgées"
    assert _entry(prepared, "finess", 11).name == "AEMO ARPFE"
    assert _entry(prepared, "finess", 5).name == "ITEP Jeanne Lestonnac (DITEP) SDRE"


def test_cs_box_dropped_without_dangling_dash_and_padded_year(prepared):
    tgi = _entry(prepared, "dada", 7)  # '16 place de l’Etoile - CS 20005'
    assert tgi.address == "16 place de l’Étoile"
    cayrols = _entry(prepared, "dada", 4)  # '1 place du 19-Mars-01962'
    assert cayrols.address == "1 place du 19-Mars-1962"


def test_cedex_code_printed_with_cedex(prepared):
    tgi = _entry(prepared, "dada", 7)
    assert (tgi.postcode, tgi.commune, tgi.cedex) == ("63033", "Clermont-Ferrand", True)
    assert not _entry(prepared, "finess", 11).cedex  # 63000 is Clermont's own code


def test_postcode_of_another_departement_is_ignored(prepared):
    pmi = _entry(prepared, "dila", 4)  # writeAddress.postalCode 73000 for Clermont-Ferrand
    assert pmi.commune == "Clermont-Ferrand" and pmi.postcode is None
    [issue] = _issues(prepared, "code-postal-departement")
    assert (issue.row, issue.column, issue.value) == (4, "writeAddress.postalCode", "73000")


def test_riom_sheet_postcode_never_beats_the_national_one():
    """The hand-made Riom sheet typed 6320 (→ 06320, Alpes-Maritimes)."""
    prepared = pipeline.prepare([SAMPLE / "mairie_riom_saisie.xlsx"])
    wrong = _issues(prepared, "code-postal-departement")
    assert wrong, "the 06320 of the Riom sheet must be reported"
    assert all(i.file == "mairie_riom_saisie.xlsx" and i.row and i.column for i in wrong)
    assert not any(e.postcode and e.postcode.startswith("06") for e in prepared.entries)
    riom = [e for e in prepared.entries if e.commune == "Riom"]
    assert riom and all(e.postcode in (None, "63200") for e in riom)


def test_personal_email_left_out_and_reported(prepared):
    maia = _entry(prepared, "dada", 3)
    assert maia.email is None
    found = {i.value for i in _issues(prepared, "courriel-nominatif")}
    assert found == {"veronique.soussan@allier.gouv.fr", "corinne.soumann@allier.gouv.fr"}
    # Functional addresses stay.
    assert _entry(prepared, "dada", 2).email == "cio.montlucon@ac-clermont.fr"


def test_generic_address_of_another_source_wins_over_a_personal_one():
    def row(n, email, file):
        return RawRow(
            Origin(file, None, n),
            {"nom": "Mairie - Ally", "typologie": "Mairie", "code_insee": "15003", "courriel": email},
        )

    checked = validate_rows(
        [row(2, "beatrice.chambon@cantal.gouv.fr", "a.csv"), row(2, "mairie.ally@wanadoo.fr", "b.csv")]
    )
    assert [e.email for e in checked.entries] == [None, "mairie.ally@wanadoo.fr"]


@pytest.mark.parametrize(
    "address, personal",
    [
        ("anais.brun@laposte.fr", True),
        ("bertrand.le-roy@puy-de-dome.gouv.fr", True),
        ("mairie.agnat@wanadoo.fr", False),
        ("cio.montlucon@ac-clermont.fr", False),
        ("marie.mairie@x.fr", False),
        ("contact@cebazat.fr", False),
    ],
)
def test_personal_email_pattern(address, personal):
    assert clean.personal_email(address) is personal


def test_repeated_line_collapses(prepared):
    prefecture = _entry(prepared, "dada", 5)  # 'Cours Monthyon' given twice
    assert prefecture.address == "Cours Monthyon" and prefecture.address2 is None
    assert clean.collapse_repeats("Cours Monthyon Cours Monthyon") == "Cours Monthyon"
    assert clean.collapse_repeats("0 0") == "0 0"


@pytest.mark.parametrize(
    "raw, printed",
    [
        ("9 rue de la Republique", "9 rue de la République"),
        ("3 rue de la Liberte", "3 rue de la Liberté"),
        ("1 Place de l’Eglise", "1 Place de l’Église"),
        ("Ecole de Chavenon", "École de Chavenon"),
        ("12 place de l'Hotel-de-Ville", "12 place de l'Hôtel-de-Ville"),
        ("29 rue du President Roosevelt", "29 rue du Président Roosevelt"),
    ],
)
def test_accents_restored(raw, printed):
    assert clean.clean_address(raw).value == printed


def test_dangling_separator():
    assert clean.clean_address("1 rue de la Mairie -").value == "1 rue de la Mairie"
    assert clean.clean_address("51 boulevard Saint-Exupéry CS 30110").value == "51 boulevard Saint-Exupéry"


def test_postal_line_inside_an_address_printed_once():
    # bibliotheques_publiques_auvergne.csv line 228 (Médiathèque de Jumeaux), as read.
    raw = RawRow(
        Origin("bibliotheques_publiques_auvergne.csv", None, 228),
        {
            "nom": "Mediatheque De Jumeaux",
            "typologie": "Médiathèque",
            "code_insee": "63182",
            "code_postal": "63570",
            "adresse": "7 PLACE DE L",
            "complement": "7 Place de la Virade – 63570 JUMEAUX",
        },
    )
    e = validate_rows([raw]).entries[0]
    assert e.address2 == "7 Place de la Virade" and "63570" not in (e.address or "")
