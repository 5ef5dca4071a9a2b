"""group(): the Annex 1 tree, French order, nothing lost."""

from __future__ import annotations

from datetime import date

import pytest

from annuaire.text.collate import sort_key
from annuaire.editions.group import credits, group, make_directory
from annuaire.model import Entry, Provider

P1 = Provider("FINESS (DREES)", licence="Licence Ouverte 2.0", date=date(2021, 1, 7))
P2 = Provider("Mairie de Riom", date=date(2025, 9, 15))


def e(key, name, code, commune, provider=P1):
    return Entry(key=key, name=name, typology=code, commune=commune, providers=(provider,))


ENTRIES = [
    e("1", "Pharmacie du Marché", "SA19", "Riom"),
    e("2", "Pharmacie des Volcans", "SA19", "Châtel-Guyon"),
    e("3", "Grande Pharmacie", "SA19", "Riom"),
    e("4", "Pharmacie Pasteur", "SA19", "Cébazat"),
    e("5", "Dr Martin Claire", "SA17", "Ennezat", P2),
    e("6", "Centre antipoison de Lyon", "SA01", "Lyon"),
    e("7", "Écomusée de Margeride", "SL10", "Ruynes-en-Margeride", P2),
    e("8", "Éclat de rire, ludothèque", "SL07", "Éguzon-Chantôme"),
]


def all_entries(sections):
    return [x for th in sections for g in th.groups for s in g.subgroups for t in s.typologies for x in t.entries]


def test_nothing_lost_and_annex_order():
    sections = group(ENTRIES, ["sante", "sports-loisirs"])
    out = all_entries(sections)
    assert len(out) == len(ENTRIES)
    assert sorted(x.key for x in out) == sorted(x.key for x in ENTRIES)
    assert [th.theme.slug for th in sections] == ["sante", "sports-loisirs"]
    sante = sections[0]
    assert [g.label for g in sante.groups] == ["Urgence", "Professionnels sanitaires et sociaux"]
    codes = [t.typology.code for g in sante.groups for t in g.typologies()]
    assert codes == ["SA01", "SA17", "SA19"]  # annex order, empty typologies left out


def test_entries_sorted_by_commune_then_name_in_french_order():
    sections = group(ENTRIES[:6], ["sante"])
    pharmacies = [t for g in sections[0].groups for t in g.typologies() if t.typology.code == "SA19"][0]
    got = [(x.commune, x.name) for x in pharmacies.entries]
    assert got == [
        ("Cébazat", "Pharmacie Pasteur"),
        ("Châtel-Guyon", "Pharmacie des Volcans"),
        ("Riom", "Grande Pharmacie"),
        ("Riom", "Pharmacie du Marché"),
    ]
    assert got == sorted(got, key=lambda cn: (sort_key(cn[0]), sort_key(cn[1])))


def test_entry_outside_themes_or_unknown_typology_is_an_error():
    with pytest.raises(ValueError):
        group(ENTRIES, ["sante"])  # the SL entries belong to another theme
    with pytest.raises(ValueError):
        group([e("x", "Inconnu", "ZZ99", "Riom")], ["sante"])


def test_credits_count_entries_per_provider():
    cr = credits(ENTRIES)
    assert {c.name: c.entries for c in cr} == {"FINESS (DREES)": 6, "Mairie de Riom": 2}
    assert cr[0].name == "FINESS (DREES)" and cr[0].licence == "Licence Ouverte 2.0"


def test_make_directory():
    d = make_directory(ENTRIES[:6], ["sante"], "Riom Limagne et Volcans", date(2026, 11, 27))
    assert d.title == "Annuaire des services"
    assert d.subtitle == "Action sociale et santé"
    assert len(d.entries()) == 6
    assert sum(c.entries for c in d.providers) == 6


def test_commune_runs_cut_where_the_commune_changes():
    sections = group(ENTRIES[:6], ["sante"])
    pharmacies = [t for g in sections[0].groups for t in g.typologies() if t.typology.code == "SA19"][0]
    runs = pharmacies.communes()
    assert [(r.label, len(r.entries)) for r in runs] == [("Cébazat", 1), ("Châtel-Guyon", 1), ("Riom", 2)]
    assert sum((r.entries for r in runs), ()) == pharmacies.entries


def test_homonym_communes_stay_apart_and_carry_their_departement():
    from dataclasses import replace

    a = replace(e("a", "Pharmacie A", "SA19", "Saint-Saturnin"), insee="63396")
    b = replace(e("b", "Pharmacie B", "SA19", "Saint-Saturnin"), insee="15196")
    c = replace(e("c", "Pharmacie C", "SA19", "Saint-Saturnin"), insee="63396")
    t = group([a, b, c], ["sante"])[0].groups[0].typologies()[0]
    assert [x.key for x in t.entries] == ["b", "a", "c"]  # not interleaved
    assert [r.label for r in t.communes()] == ["Saint-Saturnin (15)", "Saint-Saturnin (63)"]
    # One commune only: its plain name.
    assert [r.label for r in group([a, c], ["sante"])[0].groups[0].typologies()[0].communes()] == ["Saint-Saturnin"]
