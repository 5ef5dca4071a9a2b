"""Spreadsheets public bodies already keep, read as they are.

The fixtures (tests/fixtures/sheets/, made by scripts/make_sheet_fixtures.py
from real records of ../shared/data) have the shapes that made every row
fail before: a region's ``;`` cp1252 export with its own headers and
categories, a workbook whose address cells hold « 03350 Cérilly », a list
with one column of hours per weekday and no typology, and the France
services list in its December 2022 shape (no ``type_fs``).
"""

from pathlib import Path

import pytest

from annuaire import pipeline
from annuaire.load import correspondences as corr
from annuaire.load import importers, read_paths
from annuaire.load.headers import choose_columns, content_field, field_for, find_header_row

SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
REGION = SHEETS / "region_lieux_numeriques.csv"
ADDRESS = SHEETS / "musees_cinemas_adresse.xlsx"
HOURS = SHEETS / "france_services_horaires.xlsx"
FS2022 = SHEETS / "france_services_2022.csv"


@pytest.mark.parametrize(
    "header, field",
    [
        ("Lieu", "nom"),
        ("Type de lieu", "typologie"),
        ("Type Structure", "typologie"),
        ("Nom du lieu ou de la structure *", "nom"),
        ("adresse_commune", "commune"),
        ("lib_fs", "nom"),
        ("Dernière MAJ", "mise_a_jour"),
        ("Coord. X", "longitude"),
        ("Coord. Y", "latitude"),
        ("Adresse e-mail de contact de la structure", "courriel"),
        ("Téléphone de l’accueil", "telephone"),
        ("Structure", "nom"),  # never the Source
        ("Télépone", "telephone"),  # a slip of the keyboard
        ("h_lundi", "horaires:lundi"),
        ("Samedi", "horaires:samedi"),
        ("Nom du contact", None),  # a person, not the service
        ("Fax", None),
        ("insee_dep", None),
    ],
)
def test_headers_as_public_bodies_write_them(header, field):
    assert field_for(header) == field


def test_content_decides_a_column_without_a_known_name():
    assert content_field(["mediatheque@riom.fr", "accueil@ville-thiers.fr", None]).field == "courriel"
    assert content_field(["63200", "03000", "15000"]).field == "code_postal"
    assert content_field(["04 73 38 99 80", "0470990000"]).field == "telephone"
    assert content_field([45.77, 46.12, 45.04]).field == "latitude"
    assert content_field(["Riom", "Thiers", "Aurillac"]).field == "commune"
    cols = choose_columns(
        ["Nom", "Contact", "Ville"],
        [["Médiathèque", "mediatheque@riom.fr", "Riom"], ["Mairie", "mairie@thiers.fr", "Thiers"]],
    )
    assert [c.field for c in cols] == ["nom", "courriel", "commune"]
    assert cols[1].reason.startswith("contenu")


def test_lambert_coordinates_under_a_coordinate_header_are_ignored():
    cols = choose_columns(
        ["Nom", "Commune", "Coord. X", "Coord. Y"],
        [["Mairie", "Riom", 706250.0, 6532110.0], ["Poste", "Riom", 706300.0, 6532200.0]],
    )
    assert [c.field for c in cols] == ["nom", "commune", None, None]
    assert "Lambert" in cols[2].reason


def test_header_row_under_title_and_blank_rows():
    rows = [
        ["Annuaire des associations — Ville de Riom"],
        [],
        ["Mise à jour : mars 2025"],
        [None, None],
        ["Association", "Activité", "Adresse", "Tél", "Mail"],
        ["Club", "Sport", "1 rue X 63200 Riom"],
    ]
    assert find_header_row(rows) == 4


def _check(path, **hints):
    h = corr.NONE.with_options(hints.get("typologie"), hints.get("source"))
    if "file" in hints:
        h = corr.read(hints["file"]).with_options(hints.get("typologie"), hints.get("source"))
    run = pipeline.check([path], hints=h)
    assert run.counts.balanced
    return run


def test_region_export_with_its_own_headers_and_categories(tmp_path):
    run = _check(REGION)
    assert run.counts.rows_read == 42
    assert run.counts.printed == 37
    issues = {i.code for i in run.issues}
    assert "colonnes-inconnues" not in issues  # every column found, by name or content
    # « Espace Public Numérique, Médiathèque »: filed under the first, the other named.
    multi = [i for i in run.issues if i.code == "plusieurs-typologies"]
    assert len(multi) == 4 and "« Médiathèque » non reprise" in multi[0].message
    # The region's own category: rejected, with the closest typology proposed.
    unknown = [i for i in run.issues if i.code == "typologie-inconnue"]
    assert len(unknown) == 4
    assert "Lieu d’accès public à Internet" in unknown[0].message
    assert "--correspondances" in unknown[0].message
    # Mapped once in a correspondences file: they print.
    mapping = tmp_path / "correspondances.toml"
    mapping.write_text('[categories]\n"Tiers-lieu numérique" = "Lieu d’accès public à Internet"\n', encoding="utf-8")
    again = _check(REGION, file=mapping)
    assert again.counts.printed == 41  # the one left: a misspelt commune (Villosanges)
    e = next(e for e in again.entries if e.name.startswith("Médiathèque d’Avermes"))
    assert (e.typology, e.commune, e.postcode, e.longitude) == ("SL08", "Avermes", "03000", 3.315326)
    assert e.updated is not None and e.updated.isoformat() == "2024-03-15"


def test_address_cell_holding_postal_code_and_town():
    run = _check(ADDRESS)
    assert (run.counts.rows_read, run.counts.printed) == (24, 22)
    by_name = {e.name: e for e in run.entries}
    museum = by_name["musée Charles-Louis Philippe"]  # commune column empty on this row
    assert (museum.address, museum.postcode, museum.commune) == ("5 rue Charles-Louis Philippe", "03350", "Cérilly")
    # Commune column filled as well: the town is not printed twice.
    for e in run.entries:
        assert e.postcode not in (e.address or ""), e
        assert e.commune.lower() not in (e.address or "").lower() or e.commune in e.name, e


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_hours_per_weekday_become_the_entry_hours(suffix):
    path = HOURS.with_suffix("." + suffix)
    plain = _check(path)
    assert plain.counts.printed == 0
    missing = next(i for i in plain.issues if i.code == "colonne-obligatoire-manquante")
    assert "--typologie" in missing.message
    run = _check(path, typologie="France services", source="Département de la Haute-Loire")
    # Every row prints (two places of one commune may be folded by merge).
    assert run.counts.rows_read == 22 and run.counts.rejected == 0
    assert run.counts.printed + run.counts.duplicates == 22
    e = next(e for e in run.entries if e.commune == "Craponne-sur-Arzon")
    assert e.typology == "VP07"
    assert e.hours[0] == "Lundi\u00a0: 9\u00a0h\u00a0– 12\u00a0h\u00a030"
    assert e.providers[0].name == "Département de la Haute-Loire"
    assert "colonnes-inconnues" not in {i.code for i in run.issues}


def test_newer_edition_of_a_national_file_is_not_forced_through_its_reader():
    assert importers.detect(FS2022) is None
    imp, missing = importers.lookalike(FS2022)
    assert imp.name == "france-services" and missing == ("type_fs",)
    loaded = read_paths([FS2022])
    note = next(i for i in loaded.issues if i.code == "jeu-national-incomplet")
    assert "type_fs" in note.message
    run = _check(FS2022, typologie="France services")
    assert run.counts.rows_read == 102 and run.counts.rejected == 0
    assert run.counts.printed + run.counts.duplicates == 102
    assert all(e.hours for e in run.entries if e.name.startswith("France services Pays de Lapalisse"))


def test_correspondences_file_round_trip(tmp_path):
    loaded = read_paths([REGION])
    out = corr.write_toml(loaded.mappings, tmp_path / "c.toml", source="Région")
    text = out.read_text(encoding="utf-8")
    assert '"Type Structure" = "Typologie"' in text
    assert '"Tiers-lieu numérique" = ""' in text and "proposition" in text
    back = corr.read(out)
    assert back.source == "Région"
    assert back.columns["typestructure"] == "typologie"
    with pytest.raises(Exception, match="Vouliez-vous dire"):
        bad = tmp_path / "bad.toml"
        bad.write_text('typologie = "Mediatheques municipales"\n', encoding="utf-8")
        corr.read(bad)


@pytest.mark.parametrize(
    "category, label",
    [
        ("Maison des services", "Lieu d’accès public à Internet"),
        ("Tiers-lieu numérique", "Lieu d’accès public à Internet"),
        ("Mediatheques municipal", "Médiathèque"),
        ("Club de foot", "Association sportive"),
    ],
)
def test_a_contributor_category_gets_the_closest_typology_proposed(category, label):
    assert corr.propose(category, 1)[0][0] == label
