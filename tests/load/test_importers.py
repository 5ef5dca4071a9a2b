"""National dataset importers on verbatim extracts (tests/fixtures/national).

Each extract keeps the bytes of its source (encoding, BOM, line endings);
see tests/fixtures/national/README.md.  The mapping-coverage test reads the
full files of ../shared/data when they are there and is skipped otherwise.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from annuaire.reference import taxonomy
from annuaire.errors import UnusableInput
from annuaire.load.importers import FORMATS, UNMAPPED, detect, get, mapping
from annuaire.load.importers.base import split_postal_tail, strip_cedex
from annuaire.model import Issue, RawRow
from annuaire.reference.sources import lookup, provider

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "national"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

EXPECTED_FORMAT = {
    "finess_fhir_20210108_auvergne.ndjson": "finess",
    "sae_2023_etablissements_sante_auvergne.csv": "sae",
    "dila_annuaire_services_publics_2016_auvergne.jsonl": "dila-2016",
    "dada_annuaire_administration_2019_auvergne.csv": "dila-2019",
    "annuaire_services_publics_202508_auvergne_sample.csv": "dila-2025",
    "france_travail_annuaire_202508_auvergne.csv": "dila-2025",
    "france_services_20240801_auvergne.csv": "france-services",
    "france_services_2020_auvergne.geojson": "france-services",
    "laposte_points_de_contact_auvergne.csv": "laposte",
    "colleges_geoloc_auvergne.csv": "colleges",
    "ecoles_ips_2021_2022_auvergne.csv": "ecoles",
    "lycees_ips_2021_2022_auvergne.csv": "lycees",
    "bibliotheques_publiques_auvergne.csv": "bibliotheques",
    "musees_de_france_museofile_auvergne.csv": "musees",
    "cinemas_cnc_2022_auvergne.csv": "cinemas",
    "gares_voyageurs_sncf_auvergne.csv": "gares",
    "parcoursup_formations_auvergne.csv": "parcoursup",
    "sae_2023_urgences_auvergne.csv": "sae-urgences",
    "sae_2023_perinatalite_auvergne.csv": "sae-perinatalite",
    "sae_2023_smur_samu_auvergne.csv": "sae-smur-samu",
    "t2c_gtfs_stops_2025-12.txt": "gtfs-arrets",
    "t2c_gtfs_routes_2025-12.txt": "gtfs-lignes",
}

# (rows, unmapped categories) expected from each extract.
EXPECTED_COUNTS = {
    "finess_fhir_20210108_auvergne.ndjson": (16, {"696", "632"}),
    "sae_2023_etablissements_sante_auvergne.csv": (12, {"699"}),
    "dila_annuaire_services_publics_2016_auvergne.jsonl": (14, set()),  # crib: comité départemental (SL24)
    "dada_annuaire_administration_2019_auvergne.csv": (13, {"greta"}),
    "annuaire_services_publics_202508_auvergne_sample.csv": (16, {"cirgn"}),
    "france_travail_annuaire_202508_auvergne.csv": (22, set()),
    "france_services_20240801_auvergne.csv": (12, set()),
    "france_services_2020_auvergne.geojson": (34, set()),
    "laposte_points_de_contact_auvergne.csv": (10, set()),
    "colleges_geoloc_auvergne.csv": (11, set()),
    "ecoles_ips_2021_2022_auvergne.csv": (11, set()),
    "lycees_ips_2021_2022_auvergne.csv": (8, set()),
    "bibliotheques_publiques_auvergne.csv": (
        10,
        {"Lieu uniquement administratif / bibliothèque", "Bibliothèque départementale / médiathèque"},
    ),
    "musees_de_france_museofile_auvergne.csv": (10, set()),
    "cinemas_cnc_2022_auvergne.csv": (9, set()),
    "gares_voyageurs_sncf_auvergne.csv": (13, set()),
}


def read(name: str) -> tuple[list[RawRow], list[Issue]]:
    imp = detect(FIX / name)
    assert imp is not None, name
    rows, issues = [], []
    for item in imp.read(FIX / name):
        (rows if isinstance(item, RawRow) else issues).append(item)
    return rows, issues


def by_id(rows: list[RawRow], kind: str, value: str) -> RawRow:
    for r in rows:
        if (kind, value) in r.ids:
            return r
    raise AssertionError(f"no row with {kind}={value}")


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("name,fmt", sorted(EXPECTED_FORMAT.items()))
def test_detect_by_content(name, fmt, tmp_path):
    assert detect(FIX / name).name == fmt
    # The file name plays no part: a renamed download is still recognised.
    renamed = tmp_path / "telechargement (3).txt"
    shutil.copyfile(FIX / name, renamed)
    assert detect(renamed).name == fmt


def test_detect_leaves_contributor_files_alone(tmp_path):
    sheet = tmp_path / "sante.csv"
    sheet.write_text("Nom;Typologie;Commune\nPharmacie du Centre;Pharmacie;Riom\n", encoding="utf-8")
    assert detect(sheet) is None
    assert detect(tmp_path / "absent.csv") is None
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    assert detect(empty) is None


def test_registry():
    assert set(FORMATS) == {
        "finess",
        "sae",
        "dila-2016",
        "dila-2019",
        "dila-2025",
        "france-services",
        "laposte",
        "colleges",
        "ecoles",
        "lycees",
        "bibliotheques",
        "musees",
        "cinemas",
        "gares",
        "jardins",
        "esr",
        "covoiturage",
        "parcoursup",
        "sae-urgences",
        "sae-perinatalite",
        "sae-smur-samu",
        "gtfs-arrets",
        "gtfs-lignes",
    }
    for name, imp in FORMATS.items():
        assert imp.name == name and imp.title and get(name) is imp
    with pytest.raises(UnusableInput, match="Formats connus"):
        get("finness")


# --------------------------------------------------------------------------- every extract


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNTS))
def test_rows_mapped_or_reported(name):
    rows, issues = read(name)
    n_rows, unmapped = EXPECTED_COUNTS[name]
    assert len(rows) == n_rows
    errors = [i for i in issues if i.severity == "error"]
    assert {i.value for i in errors} == unmapped
    for i in errors:
        assert i.code == UNMAPPED
        assert i.file == name and i.row is not None
        assert f"« {i.value} »" in i.message and "annuaire/data/mappings/" in i.message
    # One error per rejected row, never a row and an error for the same line.
    assert not {r.origin.row for r in rows} & {i.row for i in errors}
    for r in rows:
        assert r.provider is not None and r.provider.licence and r.provider.date
        assert r.fields["source"] == r.provider.name
        assert taxonomy.typology(r.fields["typologie"])
        assert r.fields["nom"] and (r.fields["code_insee"] or r.fields["commune"])
        assert r.ids, r
        assert r.origin.file == name


def test_line_numbers_are_physical_lines():
    # CRLF file: header is line 1, records follow.
    rows, _ = read("laposte_points_de_contact_auvergne.csv")
    assert [r.origin.row for r in rows] == list(range(2, 12))
    # JSON lines: the Organization's line; its Location is the next line.
    rows, issues = read("finess_fhir_20210108_auvergne.ndjson")
    assert all(r.origin.row % 2 == 1 for r in rows)
    assert all(i.row % 2 == 1 for i in issues)


# --------------------------------------------------------------------------- quirks


def test_finess_fields_and_quote_debris():
    rows, _ = read("finess_fhir_20210108_auvergne.ndjson")
    ch = by_id(rows, "finess", "030000012")
    f = ch.fields
    assert f["nom"] == "CH de Néris les Bains"
    assert f["typologie"] == "SA02" and f["adresse"] == "16 rue Voltaire"
    assert f["code_insee"] == "03195" and f["telephone"] == "0470085300"
    assert ("siret", "26030017300168") in ch.ids
    assert abs(f["latitude"] - 46.2855801) < 1e-6
    assert ch.provider.name == "FINESS (DREES)"
    villa = by_id(rows, "finess", "030001002")
    assert '"' not in villa.fields["nom"] and "Villa Paisible" in villa.fields["nom"]
    grand = by_id(rows, "finess", "030001382")
    assert grand.fields["nom"] == "Pharmacie Grand"  # quotes and legal form gone
    codes = {r.fields["typologie"] for r in rows}
    assert {"SA04", "SA19", "SA08", "SA10", "SA13", "SA07", "SA24", "SP64", "SA06", "EN04"} <= codes


def test_finess_cedex_routing_line_is_not_the_commune():
    rows, _ = read("finess_fhir_20210108_auvergne.ndjson")
    moulins = by_id(rows, "finess", "030000061")  # city 'MOULINS CEDEX', postcode 03006, 'BP 609'
    f = moulins.fields
    assert f["commune"] == "Moulins" and f["code_insee"] == "03190"
    assert f["code_postal"] == "03000"
    assert "BP" not in (f["adresse"] or "") and not f["complement"]
    for r in rows:
        assert "CEDEX" not in (r.fields["commune"] or "").upper()


def test_finess_postcode_of_another_departement():
    rows, _ = read("finess_fhir_20210108_auvergne.ndjson")
    spl = [r for r in rows if r.fields["code_postal"] == "42620"]
    assert len(spl) == 1
    assert spl[0].fields["code_insee"] == "03250"  # Saint-Pierre-Laval, Allier


def test_sae_latin1_cedex_and_postal_box():
    raw = (FIX / "sae_2023_etablissements_sante_auvergne.csv").read_bytes()
    assert "MONTLUÇON".encode("latin-1") in raw  # the extract is Latin-1, as the source
    rows, _ = read("sae_2023_etablissements_sante_auvergne.csv")
    for r in rows:
        for v in r.fields.values():
            assert "Ã" not in str(v) and "\ufffd" not in str(v)
    gm = by_id(rows, "finess", "630000404")  # CHU Gabriel-Montpied, LIBCOM 'CLERMONT FERRAND CEDEX 1'
    assert gm.fields["commune"] == "Clermont-Ferrand" and gm.fields["code_insee"] == "63113"
    assert gm.fields["typologie"] == "SA02"
    assert by_id(rows, "finess", "630000479").fields["typologie"] == "SA11"  # Jean-Perrin
    # 'BP 35 03103 MONTLUÇON CEDEX' is a mail address: nothing of it is printed.
    for r in rows:
        assert "CEDEX" not in str(r.fields["complement"] or "").upper()
        assert "BP " not in str(r.fields["adresse"] or "")
    assert all(r.provider.name == "SAE (DREES)" for r in rows)


def test_dila_2016_postal_address_elsewhere():
    rows, _ = read("dila_annuaire_services_publics_2016_auvergne.jsonl")
    caf = by_id(rows, "dila", "caf-03185-01")
    f = caf.fields
    # writeAddress is '9-11 rue Achille-Roche, 03000 Moulins Cedex 13': not the place.
    assert f["commune"] == "Montluçon" and f["adresse"] == "59 rue Benoist-d'Azy"
    assert f["code_postal"] == "03100" and f["typologie"] == "SP59"
    assert by_id(rows, "dila", "clic-03185-01").fields["typologie"] == "SA24"
    assert by_id(rows, "dila", "pmi-03095-01").fields["typologie"] == "SP64"
    assert by_id(rows, "dila", "pole_emploi-03095-01").fields["telephone"] == "3949"
    # A contact-form URL filed as the e-mail is not an e-mail.
    for r in rows:
        assert r.fields["courriel"] is None or "@" in r.fields["courriel"]


def test_merged_communes_old_insee_codes():
    rows, _ = read("dila_annuaire_services_publics_2016_auvergne.jsonl")
    celles = by_id(rows, "dila", "mairie-15031-01")  # Celles, merged into Neussargues en Pinatelle
    assert celles.fields["code_insee"] == "15141" and celles.fields["adresse"]
    rows, _ = read("dada_annuaire_administration_2019_auvergne.csv")
    assert by_id(rows, "dila", "mairie-15031-01").fields["code_insee"] == "15141"
    rows, _ = read("gares_voyageurs_sncf_auvergne.csv")
    codes = {r.fields["nom"]: r.fields["code_insee"] for r in rows}
    assert codes["Gare de Pers"] == "15268"  # 15150 Pers → Le Rouget-Pers
    assert codes["Gare de Pontmort"] not in (None, "63068")


def test_dila_2019_notes_allier_postcodes_and_names():
    rows, _ = read("dada_annuaire_administration_2019_auvergne.csv")
    aub = by_id(rows, "dila", "mairie-03009-01")  # 'Le Bourg, 3460, Aubigny'
    assert aub.fields["code_postal"] == "03460" and aub.fields["commune"] == "Aubigny"
    assert aub.fields["nom"] == "Mairie - Aubigny"  # INSEE suffix removed
    pol = by_id(rows, "dila", "commissariat_police-03185-01")
    assert pol.fields["telephone"] == "04 70 02 52 70"
    assert "17" in pol.fields["description"]
    assert by_id(rows, "dila", "msap-03048-01").fields["typologie"] == "VP07"
    assert by_id(rows, "dila", "epci-03010-01").fields["typologie"] == "SP07"
    for r in rows:
        cp = r.fields["code_postal"]
        assert cp is None or (len(cp) == 5 and cp.isdigit())


def test_dila_2025_osm_hours_siret_and_address():
    rows, issues = read("annuaire_services_publics_202508_auvergne_sample.csv")
    cio = [r for r in rows if "Moulins-Yzeure" in r.fields["nom"]][0]
    assert cio.fields["horaires"].startswith("Mo-Th 09:00-12:00")
    # INSEE 03254 but the address is in Yzeure: the address wins, with a warning.
    assert cio.fields["commune"] == "Yzeure"
    assert [i.code for i in issues if i.severity == "warning"] == ["commune-adresse"]
    mairie = [r for r in rows if ("siret", "21030182600017") in r.ids][0]
    assert mairie.fields["typologie"] == "SP04"
    assert mairie.fields["adresse"] == "9 rue de la Banésie" and mairie.fields["code_postal"] == "03800"
    samu = [r for r in rows if "SAMU" in r.fields["nom"]][0]
    assert samu.fields["code_postal"] == "03000"  # 03006 is the hospital's CEDEX code
    assert cio.fields["mise_a_jour"] == date(2025, 8, 1)
    ft, _ = read("france_travail_annuaire_202508_auvergne.csv")
    assert {r.fields["typologie"] for r in ft} == {"SP32"}
    assert all(r.fields["telephone"] is None for r in ft)


def test_france_services_hours_as_dict():
    rows, _ = read("france_services_20240801_auvergne.csv")
    lap = by_id(rows, "france_services", "9")
    assert lap.fields["horaires"]["lundi"] == "10:00 - 12:00"
    assert "samedi" not in lap.fields["horaires"]
    assert lap.fields["typologie"] == "VP07" and "France services" in lap.fields["description"]
    old, _ = read("france_services_2020_auvergne.geojson")
    mont = by_id(old, "france_services_2020", "98")
    assert mont.fields["horaires"]["lundi"] == "08:30 - 12:30 / 13:30 - 17:00"  # '8:30' padded
    assert "samedi" not in mont.fields["horaires"]  # '-' = closed
    assert mont.fields["commune"] == "Montsalvy"  # lib_com 'MONTSALVY'
    assert mont.provider.date == date(2020, 10, 12)
    assert all(
        r.fields["nom"].lower().startswith(("france services", "bus france", "maison"))
        or "france services" in r.fields["nom"].lower()
        for r in old
    )


def test_laposte_names_and_commune_centre_positions():
    rows, _ = read("laposte_points_de_contact_auvergne.csv")
    arp = by_id(rows, "laposte", "02402A")
    assert arp.fields["nom"] == "Bureau de poste d’Arpajon-sur-Cère"
    assert arp.fields["adresse"] == "2 avenue Jean Jaurès"
    arches = by_id(rows, "laposte", "02401A")  # geocoded at the commune centre only
    assert arches.fields["latitude"] is None
    assert arches.fields["telephone"] == "3631"


def test_education_files():
    rows, _ = read("colleges_geoloc_auvergne.csv")
    c = by_id(rows, "uai", "0150014J")  # first column after the BOM
    assert c.fields["nom"] == "Collège Pierre Galery" and c.fields["code_insee"] == "15119"
    assert c.fields["typologie"] == "EN07"
    rows, _ = read("ecoles_ips_2021_2022_auvergne.csv")
    assert {r.fields["typologie"] for r in rows} == {"EN06"}
    assert by_id(rows, "uai", "0430169A").fields["commune"] == "Siaugues-Sainte-Marie"
    from annuaire.load.importers.education import school_level

    assert school_level("ECOLE MATERNELLE PUBLIQUE") == "maternelle"
    assert mapping("ecoles").code("maternelle") == "EN05"
    rows, _ = read("lycees_ips_2021_2022_auvergne.csv")
    pc = by_id(rows, "uai", "0030026M")
    assert pc.fields["nom"] == "Lycée polyvalent Paul Constans"  # LPO
    assert pc.fields["typologie"] == "EN08"
    assert by_id(rows, "uai", "0030112F").fields["typologie"] == "EN09"  # LP


def test_culture_files():
    rows, issues = read("bibliotheques_publiques_auvergne.csv")
    av = by_id(rows, "bib", "96")  # code_bib '96.0'
    assert av.fields["typologie"] == "SL08" and av.fields["code_insee"] == "03013"
    assert {r.fields["typologie"] for r in rows} == {"SL07", "SL08"}
    rows, _ = read("musees_de_france_museofile_auvergne.csv")
    beaujeu = by_id(rows, "museofile", "M0106")  # Ville 'Moulins-sur-Allier'
    assert beaujeu.fields["commune"] == "Moulins" and beaujeu.fields["code_insee"] == "03190"
    assert beaujeu.fields["site_web"].startswith("https://musees.allier.fr")
    rows, _ = read("cinemas_cnc_2022_auvergne.csv")
    roxy = by_id(rows, "cnc", "67333")
    assert roxy.fields["nom"] == "Le Roxy" and roxy.fields["adresse"] == "avenue d’Angleterre"
    assert "192 fauteuils" in roxy.fields["description"]


def test_cinema_geocoded_in_the_vosges_loses_its_position():
    from annuaire.check.validate import validate_rows

    rows, _ = read("cinemas_cnc_2022_auvergne.csv")
    ros = by_id(rows, "cnc", "58121")
    assert ros.fields["code_insee"] == "43165"  # commune from INSEE, not from the position
    res = validate_rows([ros])
    assert len(res.entries) == 1
    e = res.entries[0]
    assert e.commune == "Rosières" and e.latitude is None and e.longitude is None
    assert [i.code for i in res.issues] == ["coordonnees-eloignees"]


def test_every_fixture_validates():
    from annuaire.check.validate import validate_rows

    for name in EXPECTED_COUNTS:
        rows, _ = read(name)
        res = validate_rows(rows)
        assert res.rejected == 0, (name, [i.message for i in res.issues if i.severity == "error"])
        assert len(res.entries) == len(rows)
        for e in res.entries:
            assert e.providers and e.providers[0].licence


def test_read_paths_uses_the_importer():
    from annuaire.load import read_paths

    res = read_paths([FIX / "gares_voyageurs_sncf_auvergne.csv", FIX / "sae_2023_etablissements_sante_auvergne.csv"])
    assert len(res.rows) == 13 + 12
    assert [i.code for i in res.issues if i.severity == "error"] == [UNMAPPED]


# --------------------------------------------------------------------------- helpers


def test_text_helpers():
    assert split_postal_tail("47 rue du 8-Mai 63500 Issoire") == ("47 rue du 8-Mai", "63500", "Issoire")
    assert split_postal_tail("Pavillon des Marronniers  20 rue Aristide-Briand 03400 Yzeure") == (
        "Pavillon des Marronniers 20 rue Aristide-Briand",
        "03400",
        "Yzeure",
    )
    assert strip_cedex("MOULINS CEDEX 1") == "MOULINS"
    assert strip_cedex("Moulins Cedex 13") == "Moulins"


# --------------------------------------------------------------------------- mapping tables


def test_mapping_tables_name_real_typologies():
    for path in sorted((Path(taxonomy.__file__).parent / "data" / "mappings").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows and list(rows[0]) == ["dataset", "category", "label", "typology", "comment"]
        seen = set()
        for r in rows:
            assert r["dataset"] == path.stem
            assert r["category"] not in seen
            seen.add(r["category"])
            if r["typology"]:
                taxonomy.typology(r["typology"])
            else:
                assert r["comment"], f"{path.name}: say why {r['category']} is not mapped"


def test_key_mappings():
    f = mapping("finess")
    expected = {
        "620": "SA19",
        "500": "SA04",
        "611": "SA08",
        "355": "SA02",
        "101": "SA02",
        "365": "SA02",
        "146": "SA10",
        "109": "SA09",
        "156": "SA06",
        "292": "SA06",
        "124": "SA07",
        "603": "SA07",
        "126": "SA14",
        "131": "SA11",
        "460": "SA04",
        "354": "SA04",
        "183": "SA05",
        "246": "SA05",
        "255": "SA05",
        "437": "SA05",
        "463": "SA24",
        "223": "SP64",
        "197": "SA13",
        "178": "SA13",
    }
    for cat, code in expected.items():
        assert f.code(cat) == code, cat
    d = mapping("dila")
    for cat, code in {
        "mairie": "SP04",
        "gendarmerie": "SP79",
        "commissariat_police": "SP78",
        "tresorerie": "SP54",
        "caf": "SP59",
        "cpam": "SP57",
        "pole_emploi": "SP32",
        "france_travail": "SP32",
        "mission_locale": "SP37",
        "cio": "SP75",
        "clic": "SA24",
        "pmi": "SP64",
        "sous_pref": "SP02",
        "prefecture": "SP01",
        "cg": "SP05",
        "epci": "SP07",
        "msap": "VP07",
    }.items():
        assert d.code(cat) == code, cat
    assert taxonomy.typology("SP64").theme == "services-publics"
    assert taxonomy.typology("SA24").theme == "sante"


def _categories_in_shared_file(fmt: str, path: Path) -> set[str]:
    """Every category value of a full shared file, read independently of the importer."""
    if fmt in ("finess",):
        out = set()
        for line in path.open(encoding="utf-8"):
            o = json.loads(line)
            for t in o.get("type") or ():
                for c in t.get("coding") or ():
                    if c.get("system", "").endswith("CAT_ETAB"):
                        out.add(c["code"])
        return out
    if fmt == "dila-2016":
        return {json.loads(l)["type"] for l in path.open(encoding="utf-8")}
    spec = {
        "sae": ("latin-1", ";", "cat"),
        "dila-2019": ("utf-8", ",", "tag_string"),
        "dila-2025": ("utf-8", ",", "categorie"),
        "laposte": ("utf-8", ";", "Caractéristique_du_site"),
        "lycees": ("utf-8", ";", "type_de_lycee"),
        "cinemas": ("utf-8-sig", ";", "genre"),
        "colleges": ("utf-8-sig", ";", "nature_uai"),
        "gares": ("utf-8-sig", ";", "Segment(s) DRG"),
    }
    if fmt in spec:
        enc, sep, col = spec[fmt]
        with path.open(encoding=enc, newline="") as fh:
            return {r[col].split(";")[0].strip() for r in csv.DictReader(fh, delimiter=sep)}
    return set()


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data absent (a clone has only the extracts)")
@pytest.mark.parametrize("name", sorted(EXPECTED_FORMAT))
def test_mapping_covers_full_shared_files(name):
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{name} absent from ../shared/data")
    imp = detect(path)
    assert imp is not None and imp.name == EXPECTED_FORMAT[name]
    table = imp.mapping
    for cat in _categories_in_shared_file(imp.name, path):
        assert cat in table.rows, f"{name}: category {cat!r} missing from {table.filename}"
    n_rows = n_err = 0
    for item in imp.read(path):
        if isinstance(item, RawRow):
            n_rows += 1
        elif item.severity == "error":
            n_err += 1
            assert item.code == UNMAPPED
            # Listed in the table with a reason, not merely absent.
            assert item.value in table.rows and table.rows[item.value].comment
    assert n_rows + n_err > 0


# --------------------------------------------------------------------------- sources


def test_sources_registry():
    p = provider("finess")
    assert p.name == "FINESS (DREES)" and p.licence == "Licence Ouverte / Etalab 2.0"
    assert p.date == date(2021, 1, 8) and p.url.startswith("https://")
    assert lookup("finess (drees)") == p
    assert lookup("Annuaire de l'administration (DILA)") == provider("dila-2025")
    assert lookup("SNCF Gares & Connexions").licence == "ODbL 1.0"
    assert lookup("Mairie de Riom") is None and lookup("") is None and lookup(None) is None
    for imp in FORMATS.values():
        assert imp.provider.name and imp.provider.dataset


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data absent (a clone has only the extracts)")
@pytest.mark.parametrize("name", ["finess_fhir_20210108_auvergne.ndjson", "sae_2023_etablissements_sante_auvergne.csv"])
def test_shared_siret_is_not_an_identity(name):
    """Several FINESS establishments share one SIRET (a hospital and its EHPAD):
    given as 'siret', merge would fold distinct places."""
    imp = detect(SHARED / name)
    rows = [r for r in imp.read(SHARED / name) if isinstance(r, RawRow)]
    sirets = [v for r in rows for k, v in r.ids if k == "siret"]
    assert len(sirets) == len(set(sirets))
    assert any(k == "siret-partage" for r in rows for k, _ in r.ids)
    finess = [v for r in rows for k, v in r.ids if k == "finess"]
    assert len(finess) == len(set(finess)) == len(rows)


def test_cedex_line_far_from_the_position_gives_way_to_the_position():
    from annuaire.load.importers.base import locate

    # 'CLERMONT FERRAND CEDEX 1' for a point in Aurillac: the point wins.
    assert locate(None, "CLERMONT FERRAND CEDEX 1", "63001", 44.9260, 2.4410).name == "Aurillac"
    # Without CEDEX, the name is trusted (centres are only a rough proxy).
    assert locate(None, "CUSSET", "03300", 46.1275, 3.4260).name == "Cusset"


def test_truncated_json_line_is_reported_not_fatal(tmp_path):
    src = (FIX / "dila_annuaire_services_publics_2016_auvergne.jsonl").read_bytes().splitlines(keepends=True)
    broken = tmp_path / "annuaire.jsonl"
    broken.write_bytes(b"".join(src[:3]) + src[3][:60] + b"\n" + b"".join(src[4:]))
    items = list(detect(broken).read(broken))
    errors = [i for i in items if isinstance(i, Issue) and i.code == "ligne-illisible"]
    assert [e.row for e in errors] == [4] and errors[0].severity == "error"
    assert sum(isinstance(i, RawRow) for i in items) == 13  # 14 records, one truncated


def test_truncated_geojson_is_unusable_input_not_a_traceback(tmp_path):
    data = (FIX / "france_services_2020_auvergne.geojson").read_bytes()
    cut = tmp_path / "france_services_2020_auvergne.geojson"
    cut.write_bytes(data[: len(data) // 2])  # an interrupted download
    imp = detect(cut)
    assert imp is not None and imp.name == "france-services"
    with pytest.raises(UnusableInput, match="GeoJSON illisible"):
        list(imp.read(cut))
