"""Tests of French collation on real commune and service names."""

from __future__ import annotations

import random

import pytest

from annuaire.text.collate import initial, sort_key


def french_sorted(names):
    shuffled = list(names)
    random.Random(42).shuffle(shuffled)
    return sorted(shuffled, key=sort_key)


def test_initial_accented_e_files_with_e():
    expected = [
        "Ébreuil",
        "Échandelys",
        "Échassières",
        "Égliseneuve-d'Entraigues",
        "Églisolles",
        "Ennezat",
        "Escorailles",
        "Espinasse",
        "Étroussat",
    ]
    assert french_sorted(expected) == expected


def test_ligature_oe_sorts_as_o_e():
    expected = ["Ode", "Œuilly", "Olby", "Orcines"]
    assert french_sorted(expected) == expected


def test_saints_are_sorted_letter_by_letter():
    # Hyphens are ignored, as in French dictionaries: 'Sainte-Christine' is
    # 'saintechristine', before 'sainteloy…'; 'Sainte-Marguerite'
    # ('saintem…') files between Saint-Éloy and Saint-Étienne ('saintet…').
    expected = [
        "Sainte-Christine",
        "Saint-Éloy-d'Allier",
        "Saint-Éloy-les-Mines",
        "Sainte-Marguerite",
        "Saint-Étienne-Cantalès",
        "Saint-Étienne-de-Carlat",
        "Saint-Étienne-de-Maurs",
        "Saint-Étienne-du-Vigan",
        "Saint-Flour",
        "Saint-Flour-de-Mercoire",
    ]
    assert french_sorted(expected) == expected


def test_articles_are_kept_as_written():
    expected = [
        "Labesserette",
        "La Besseyre-Saint-Mary",
        "La Bourboule",
        "Le Breuil",
        "Le Breuil-sur-Couze",
        "Le Broc",
        "Lempdes-sur-Allagnon",
        "Le Puy-en-Velay",
    ]
    assert french_sorted(expected) == expected


def test_apostrophe_and_space_ignored():
    assert sort_key("L'Hôpital")[0] == sort_key("Lhopital")[0]
    assert sort_key("Saint-Flour")[0] == sort_key("saint flour")[0] == ((1, "saintflour"),)


def test_digits_before_letters_and_numeric():
    expected = ["2 rue Blatin", "10 rue Blatin", "Abrest", "Salle 2", "Salle 10", "Salle A"]
    assert french_sorted(expected) == expected


def test_accents_break_ties_unaccented_first():
    assert french_sorted(["côté", "côte", "coté", "cote"]) == ["cote", "coté", "côte", "côté"]
    assert french_sorted(["Échassières", "Echassieres"]) == ["Echassieres", "Échassières"]


def test_case_breaks_ties_lower_first():
    assert french_sorted(["Mairie", "mairie", "MAIRIE"]) == ["mairie", "Mairie", "MAIRIE"]


def test_order_is_total():
    # Names equal at every level but punctuation still get distinct keys.
    names = ["Saint-Flour", "Saint Flour", "SaintFlour", "Œuilly", "Oeuilly"]
    keys = {sort_key(n) for n in names}
    assert len(keys) == len(names)
    assert french_sorted(names) == french_sorted(reversed(names))


def test_empty_and_punctuation_only():
    assert french_sorted(["b", "", "—", "a"])[:2] == ["", "—"]


@pytest.mark.parametrize(
    "name, letter",
    [
        ("Échassières", "E"),
        ("Ébreuil", "E"),
        ("Œuilly", "O"),
        ("aubière", "A"),
        ("Çà et là", "C"),
        ("'t Hooft", "T"),
        ("3 Rivières", "0–9"),
        ("« Le Bistrot »", "L"),
        ("—", "#"),
        ("", "#"),
    ],
)
def test_initial(name, letter):
    assert initial(name) == letter


def test_plain_drops_accents_and_case_only():
    from annuaire.text.collate import plain

    assert plain("Saint-Étienne-de-Maurs") == "saint-etienne-de-maurs"
    assert plain("ÉCOLE Maternelle") == "ecole maternelle"
    assert plain("Août, Noël, ça") == "aout, noel, ca"


def test_plain_by_table_is_the_whole_decomposition():
    """The per-character table gives what decomposing the whole string gives,
    for every character it holds, next to others and to combining marks;
    other scripts still go through the decomposition."""
    import random
    import unicodedata

    from annuaire.text.collate import _PLAIN, _SPELL, plain

    def whole(text: str) -> str:
        s = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        return s.translate(_SPELL).lower()

    assert len(_PLAIN) > 1000 and ord("é") in _PLAIN and ord("\u0301") in _PLAIN and ord("\u202f") in _PLAIN
    for c in map(chr, range(0x80, 0x2100)):
        assert plain(c) == whole(c), hex(ord(c))
    rng = random.Random(7)
    pool = [chr(c) for c in _PLAIN] + list("aZ -'09") + ["e\u0301", "Σ", "ΑΣ", "日本", "ﬁ", "Ⅻ"]
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        assert plain(text) == whole(text), text
    assert plain("Œuvre d’Orcival\u202f: Côte") == "oeuvre d’orcival : cote"
    assert plain("ΟΔΟΣ") == "οδος"  # not in the table: decomposed, final sigma lowered as a whole


def test_sort_key_by_tables_is_the_key_character_by_character():
    """The translation tables give the very keys (and index letters) the
    character-by-character definition gives: names, numbers, accents,
    ligatures, punctuation, case, decomposed accents and digits of other scripts."""
    import random

    from annuaire.text.collate import DIGITS_INITIAL, _chars, _reference_key

    rng = random.Random(11)
    pool = (
        list("aeEcCoOzZ 0123456789-'’.,()/&") + list("éÉèêëàâäîïôöûüùçÇœŒæÆß") + ["e\u0301", "²", "٣", "ﬁ", "Ω", "日"]
    )
    texts = ["", "Saint-Flour", "Salle 2", "Salle 10", "L’Hôpital", "Œuvre", "3 Rivières", "cote", "côte", "Côte"]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    for text in texts:
        assert sort_key(text) == _reference_key(text), text
        # The index letter: the first significant character, from the same tables.
        chars = _chars(text)
        letter = "#" if not chars else DIGITS_INITIAL if chars[0][0].isdigit() else chars[0][0].upper()
        assert initial(text) == letter, text
    assert sort_key(None) == _reference_key("")
    assert sorted(["Salle 10", "salle 2", "Sallé 2"], key=sort_key) == ["salle 2", "Sallé 2", "Salle 10"]
