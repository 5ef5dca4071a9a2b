"""Tests of Annex 1 as data: counts, codes, aliases, twins, resolve, suggest, JSON."""

from __future__ import annotations

import json
import re

import pytest

from annuaire.reference import taxonomy as T
from annuaire.errors import UnknownTheme


def test_counts_per_theme():
    assert len(T.all_typologies()) == 175
    counts = {th.slug: len(th.typologies()) for th in T.themes()}
    assert counts == {
        "services-publics": 88,
        "sante": 28,
        "sports-loisirs": 27,
        "enseignement": 20,
        "vie-pratique": 12,
    }
    assert T.theme_slugs() == tuple(counts)


def test_codes_unique_and_well_formed():
    codes = [t.code for t in T.all_typologies()]
    assert len(set(codes)) == 175
    for th in T.themes():
        prefix = T.THEME_PREFIXES[th.slug]
        expected = [f"{prefix}{i:02d}" for i in range(1, len(th.typologies()) + 1)]
        assert [t.code for t in th.typologies()] == expected
        assert all(t.theme == th.slug for t in th.typologies())
    assert all(re.fullmatch(r"(SP|SA|SL|EN|VP)\d\d", c) for c in codes)


@pytest.mark.parametrize(
    "code, label",
    [
        ("SP04", "Mairie"),
        ("SP32", "ANPE, réseau local"),
        ("SP79", "Brigade de gendarmerie"),
        ("SA04", "Services aux personnes âgées"),
        ("SA17", "Médecin généraliste"),
        ("SA19", "Pharmacie"),
        ("SL07", "Bibliothèque"),
        ("EN07", "Collège"),
        ("VP01", "Gare ferroviaire"),
        ("VP05", "Bureau de Poste"),
    ],
)
def test_well_known_codes(code, label):
    # Other modules and contributors' files rely on these codes.
    assert T.typology(code).label == label


def test_unknown_code_raises_keyerror():
    with pytest.raises(KeyError):
        T.typology("SP89")


def test_current_names_printed():
    assert T.typology("SP32").print_label == "France Travail (agence)"
    assert T.typology("SP33").print_label.startswith("France Travail")
    assert T.typology("SP05").print_label == "Conseil départemental"
    assert T.typology("SP09").print_label == "Tribunal judiciaire"
    assert T.typology("SP08").print_label == "Tribunal de proximité"
    assert T.typology("SP61").print_label == "Agence régionale de santé (ARS)"
    assert T.typology("EN05").print_label == "École maternelle"
    assert T.typology("SA14").print_label == "Établissement thermal"
    assert T.typology("SA21").print_label == "Ambulancier"


def test_print_labels_are_distinct_except_the_duplicated_label():
    seen: dict[str, str] = {}
    for t in T.all_typologies():
        if t.print_label in seen:
            assert {seen[t.print_label], t.code} == {"SP29", "SP50"}
        seen[t.print_label] = t.code


def test_every_alias_resolves_to_its_own_typology():
    for t in T.all_typologies():
        for name in (t.code, t.print_label, *t.aliases):
            if t.code == "SP50" and name != "SP50":
                continue  # the duplicated label: only the code reaches SP50
            assert T.resolve(name) is t, (t.code, name)


def test_no_alias_points_at_two_typologies():
    owners: dict[str, str] = {}
    for t in T.all_typologies():
        for name in t.aliases:
            k = T.key(name)
            assert owners.setdefault(k, t.code) == t.code, (name, owners[k], t.code)


def test_twins_are_kept_apart():
    lycee = T.resolve("Lycée")
    bts = T.resolve("Lycée (BTS, classes préparatoire,…)")
    assert lycee.code == "EN08" and bts.code == "EN14"
    assert T.resolve("BTS") is bts
    garde_sante = T.resolve("Etablissements pour la garde d'enfants")
    garde_ens = T.resolve("Etablissements pour la garde d'enfants d'âge préscolaire")
    assert (garde_sante.code, garde_sante.theme) == ("SA12", "sante")
    assert (garde_ens.code, garde_ens.theme) == ("EN17", "enseignement")
    assert T.resolve("crèche") is garde_sante
    assert T.resolve("EHPAD").label == "Services aux personnes âgées"


def test_duplicated_label_resolves_to_the_first():
    # 'Centre des impôts fonciers et cadastre' is in Logement, transport (SP29)
    # and in Economie et finances (SP50): the label alone means the first.
    label = "Centre des impôts fonciers et cadastre"
    first, second = T.typology("SP29"), T.typology("SP50")
    assert first.label == second.label == label
    assert first.group == "Logement, transport"
    assert second.group == "Économie et finances"
    assert T.resolve(label) is first
    assert T.resolve("SP50") is second
    # A code beside the label decides, as in the template's drop-down list.
    assert T.resolve(f"{second.print_label} (SP50)") is second
    assert T.resolve("SP50 - Centre des impôts fonciers et cadastre") is second
    assert T.resolve("sa19 : pharmacie") is T.typology("SA19")
    assert T.resolve("Pharmacie (SP99)") is None  # unknown code: let validation report it
    assert T.resolve("Boulangerie (SP99)") is None


@pytest.mark.parametrize(
    "text, code",
    [
        ("pharmacie", "SA19"),
        ("PHARMACIE ", "SA19"),
        ("Ecole maternelle", "EN05"),
        ("ecole  MATERNELLE", "EN05"),
        ("sa19", "SA19"),
        (" SA19 ", "SA19"),
        ("sous prefecture", "SP02"),
        ("Conseil de prud’hommes", "SP10"),
        ("ANPE", "SP32"),
        ("Pôle emploi", "SP32"),
        ("pole-emploi", "SP32"),
        ("France Travail", "SP32"),
        ("DDASS", "SP60"),
        ("ARS", "SP61"),
        ("TGI", "SP09"),
        ("Conseil général", "SP05"),
        ("Terrain de sport (tennis, basket,…)", "SL03"),
        ("terrain de sport (tennis, basket...)", "SL03"),
        ("ambulancier", "SA21"),
        ("Etablissement pénitentiaire", "SP18"),
    ],
)
def test_resolve_variants(text, code):
    assert T.resolve(text).code == code


@pytest.mark.parametrize("text", ["", "   ", None, "Boulangerie", "SP99"])
def test_resolve_unknown(text):
    assert T.resolve(text) is None


def test_penitentiaire_has_no_subgroup():
    t = T.typology("SP18")
    assert t.label == "Etablissement pénitentiaire"
    assert (t.group, t.subgroup) == ("Justice", None)
    justice = next(g for g in T.theme("services-publics").groups if g.label == "Justice")
    assert [s.label for s in justice.subgroups] == ["Juridictions", "Médiation et conseil", None]


def test_printed_group_labels():
    labels = {g.label for th in T.themes() for g in th.groups}
    for expected in (
        "Établissements scolaires",
        "Économie et finances",
        "Sécurité et armées",
        "Équipements sportifs",
        "Établissements sanitaires et sociaux",
    ):
        assert expected in labels
    assert not any(label.startswith(("Etab", "Equip", "Econ")) for label in labels)


def test_suggest():
    assert T.suggest("Pharmacei")[0] == "Pharmacie"
    assert T.suggest("pharmacie de garde")[0] == "Pharmacie"
    assert T.suggest("Mediatheque municipale")[0] == "Médiathèque"
    assert len(T.suggest("Pharmacie", n=2)) <= 2
    assert T.suggest("") == []


def test_as_json_shape():
    data = T.as_json()
    json.dumps(data, ensure_ascii=False)
    assert [d["slug"] for d in data] == list(T.theme_slugs())
    assert data[1]["label"] == "Action sociale et santé"
    total = 0
    for th in data:
        assert set(th) == {"slug", "label", "groups"}
        for g in th["groups"]:
            assert set(g) == {"label", "subgroups"}
            for s in g["subgroups"]:
                assert set(s) == {"label", "typologies"}
                assert s["label"] is None or isinstance(s["label"], str)
                for t in s["typologies"]:
                    assert set(t) == {"code", "label", "print_label"}
                    total += 1
    assert total == 175
    environment = data[0]["groups"][2]
    assert environment["label"] == "Environnement, agriculture"
    assert [s["label"] for s in environment["subgroups"]] == [None]


def test_theme_lookup_and_unknown_theme_message():
    assert T.theme("sante").label == "Action sociale et santé"
    assert T.theme("Santé").slug == "sante"
    with pytest.raises(UnknownTheme) as exc:
        T.theme("sant")
    message = str(exc.value)
    assert "« sant »" in message
    for slug in T.theme_slugs():
        assert slug in message
    assert "Vouliez-vous dire « sante » ?" in message
