"""Line breaking: French hyphenation, no broken toponyms, clean URL wrapping, warnings."""

from __future__ import annotations

import pytest

from annuaire.pdf.layout import load_layout
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.lines import Breaker

MM = 72 / 25.4


@pytest.fixture(scope="module")
def fonts():
    return FontSet(load_layout("a5").fonts)


def fits(fonts, lines, style, size, width):
    return all(fonts.text_width(style, ln) * size <= width + 1e-6 for ln in lines)


def test_toponym_never_hyphenated(fonts):
    b = Breaker(fonts)
    text = "Permanence hebdomadaire intercommunale à Saint-Étienne-de-Maurs et Maurs"
    need = fonts.text_width("regular", "Saint-Étienne-de-Maurs") * 10
    for width_mm in range(int(need / MM) + 1, 80):
        lines = b.wrap(text, "regular", 10, width_mm * MM)
        assert any("Saint-Étienne-de-Maurs" in ln for ln in lines), (width_mm, lines)
        assert fits(fonts, lines, "regular", 10, width_mm * MM)
    assert b.warnings == []
    # Narrower than the name itself: split after its own hard hyphens, never
    # with an added one; French typography allows it, so no warning.
    lines = b.wrap(text, "regular", 10, need - 5)
    assert any(ln.endswith(("Saint-", "Saint-Étienne-", "Saint-Étienne-de-")) for ln in lines), lines
    assert not any(ln.endswith(("Étien-", "Mau-")) for ln in lines)
    assert b.warnings == []


@pytest.mark.parametrize(
    "text, style, size",
    [
        ("Champs-sur-Tarentaine-Marchal", "bold", 10.5),  # commune heading of the index
        ("Champs-sur-Tarentaine-Marchal\u00a0(suite)", "bold_italic", 10.0),
        ("Lva Chrysalide (Saint-Gervais-sous-Meymont)", "regular", 9.5),  # index of names
        ("Mission locale de Hautes-Terres-du-Nord-Ouest-Cantal-de-Mauriac", "bold", 10.5),
    ],
)
def test_long_compound_toponym_breaks_after_its_hyphens_without_warning(fonts, text, style, size):
    b = Breaker(fonts)
    width = 30 * MM  # narrower than any of these toponyms
    lines = b.wrap(text, style, size, width)
    assert b.warnings == [], b.warnings
    assert fits(fonts, lines, style, size, width)
    # Nothing added, nothing lost: the lines put back together are the text.
    joined = ""
    for ln in lines:
        joined += ln if (not joined or joined.endswith("-")) else " " + ln
    assert joined == text
    # Every break inside a word is right after one of its hard hyphens.
    for ln in lines[:-1]:
        assert ln.endswith("-") or " " not in text or text.find(ln + " ") >= 0, lines
        assert not ln.endswith(("Tarent", "Meym", "Gerv"))


def test_part_of_a_compound_wider_than_the_column_is_cut_and_reported(fonts):
    b = Breaker(fonts)
    text = "Saint-Rémy-de-Chaudes-Aigues"
    part = fonts.text_width("bold", "Chaudes-") * 10.5
    lines = b.wrap(text, "bold", 10.5, part * 0.8)
    assert fits(fonts, lines, "bold", 10.5, part * 0.8)
    assert b.warnings and text in b.warnings[0]


def test_hyphenation_only_at_french_points_and_never_after_apostrophe(fonts):
    b = Breaker(fonts)
    text = "Accompagnement administratif aujourd’hui l’intercommunalité réorganisée gérontologique"
    seen_hyphen = False
    for width_mm in range(25, 70):
        lines = b.wrap(text, "regular", 10, width_mm * MM)
        assert fits(fonts, lines, "regular", 10, width_mm * MM)
        for ln in lines[:-1]:
            if ln.endswith("-"):
                seen_hyphen = True
                assert not ln.endswith("’-") and not ln.endswith("aujour-")
                assert len(ln.split(" ")[-1].rstrip("-").split("’")[-1]) >= 2
        # Removing the added hyphens gives the text back.
        joined = " ".join(lines).replace("- ", "")
        assert joined.replace(" ", "") == text.replace(" ", "")
    assert seen_hyphen


def test_no_hyphen_in_headings(fonts):
    b = Breaker(fonts)
    lines = b.wrap("Établissements sanitaires et sociaux", "bold", 12, 40 * MM, hyphenate=False)
    assert not any(ln.endswith("-") for ln in lines)


def test_long_url_and_email_wrap_inside_the_column_without_hyphen(fonts):
    b = Breaker(fonts)
    url = "https://www.pharmacie-du-centre-saint-etienne-de-maurs.fr/horaires/garde/index.html"
    width = 50 * MM
    lines = b.wrap(url, "regular", 10, width)
    assert len(lines) > 1
    assert "".join(lines) == url  # no hyphen added, nothing lost
    assert fits(fonts, lines, "regular", 10, width)
    # The break character stays at the end of the line (an address cannot
    # end with it: the sign that it goes on); no line starts with @ . or -.
    for ln in lines[:-1]:
        assert ln[-1] in "/@.-", lines
    assert not any(ln[0] in "@.-" for ln in lines), lines
    mail = "secretariat.direction.generale@ch-saint-etienne-de-maurs.fr"
    lines = b.wrap(mail, "regular", 10, 40 * MM)
    assert "".join(lines) == mail and fits(fonts, lines, "regular", 10, 40 * MM)
    assert not any(ln[0] in "@.-" for ln in lines) and all(ln[-1] in "@.-" for ln in lines[:-1]), lines
    assert b.warnings == []


def test_word_too_long_is_cut_and_reported(fonts):
    b = Breaker(fonts)
    word = "Anticonstitutionnellementissimementextraordinairement"
    lines = b.wrap(word, "regular", 10, 30 * MM)
    assert "".join(lines) == word
    assert fits(fonts, lines, "regular", 10, 30 * MM)
    assert b.warnings and word in b.warnings[0]


def test_nbsp_and_narrow_nbsp_never_break(fonts):
    b = Breaker(fonts)
    # The shipped face has U+202F: it is kept; a thin space (U+2009) becomes one.
    text = fonts.clean("Appelez le\u202f04\u202f73\u202f38\u202f00\u202f00 ou passez à l’accueil\u2009!")
    assert ord("\u202f") in fonts.covered
    assert "\u2009" not in text and text.endswith("accueil\u202f!")
    assert fonts.text_width("regular", "\u202f") < 0.7 * fonts.space["regular"]
    for width_mm in range(32, 70):
        lines = b.wrap(text, "regular", 10, width_mm * MM)
        assert any("04\u202f73\u202f38\u202f00\u202f00" in ln for ln in lines)
        assert not any(ln.startswith("!") for ln in lines)


def test_a_face_without_narrow_nbsp_gets_a_nbsp(tmp_path):
    import fontpkg_atkinson_hyperlegible as upstream

    from annuaire.pdf.layout import Fonts

    files = upstream.ROOT / "files"
    plain = FontSet(
        Fonts(
            "upstream",
            *(str(files / f"AtkinsonHyperlegible-{s}.ttf") for s in ("Regular", "Bold", "Italic", "BoldItalic")),
        )
    )
    assert ord("\u202f") not in plain.covered
    assert plain.clean("Tél.\u202f: 04\u202f73 «\u2009oui\u2009»") == "Tél.\u00a0: 04\u00a073 «\u00a0oui\u00a0»"
    assert not plain.missing


def test_no_hyphen_in_a_capitalised_word_after_an_elision(fonts):
    b = Breaker(fonts)
    for word in ("l’Automobile", "d’Auvergne-Rhône-Alpes", "l'Administration"):
        assert b.positions(word) == ()
    assert b.positions("l’administration")  # ordinary words still hyphenate


# ---------------------------------------------------------------------------
# The directory's rules (total-fit breaker)

NB = "\u00a0"


def widths(fonts, text, style="regular", size=10, lo=18, hi=80):
    """Column widths (pt) from ``lo`` mm to the first that holds ``text`` on one line."""
    full = fonts.text_width(style, text) * size / MM
    return [w * MM for w in range(lo, min(hi, int(full) + 2))]


@pytest.mark.parametrize(
    "place, unit",
    [
        ("63710 Le Vernet-Sainte-Marguerite", "63710 Le Vernet-"),
        ("03260 Saint-Germain-des-Fossés", "03260 Saint-"),
        ("15300 Murat", "15300 Murat"),
        ("43100 La Chomette", "43100 La Chomette"),
    ],
)
def test_postal_code_article_and_first_word_stay_together(fonts, place, unit):
    b = Breaker(fonts)
    for w in widths(fonts, place, lo=int(fonts.text_width("regular", unit) * 10 / MM) + 1):
        lines = b.wrap(place, "regular", 10, w)
        assert lines[0].startswith(unit), (w / MM, lines)
        assert fits(fonts, lines, "regular", 10, w)
        # A hyphenated commune breaks only at its own hyphens.
        assert "".join(ln if ln.endswith("-") else ln + " " for ln in lines).strip() == place, lines
    assert b.warnings == []


@pytest.mark.parametrize("dash", [" – ", f"{NB}– "])
def test_time_ranges_are_never_split(fonts, dash):
    b = Breaker(fonts)
    text = (
        f"Lundi au vendredi{NB}: 8{NB}h{NB}30{dash}12{NB}h et 13{NB}h{NB}30{dash}17{NB}h{NB}30, samedi 9{NB}h à 12{NB}h"
    )
    for w in widths(fonts, text, lo=30):
        lines = b.wrap(text, "regular", 10, w)
        for ln in lines:
            assert not ln.endswith(("–", "à")) and not ln.startswith(("–", "à ")), (w / MM, lines)
        joined = " ".join(lines)
        for rng in (f"8{NB}h{NB}30{dash}12{NB}h", f"13{NB}h{NB}30{dash}17{NB}h{NB}30", f"9{NB}h à 12{NB}h"):
            assert any(rng in ln for ln in lines), (rng, lines)
        assert joined == text


def test_guillemets_and_high_punctuation_stay_with_their_words(fonts):
    b = Breaker(fonts)
    # Spaced the way a spreadsheet may give them (typo.finish glues them
    # with U+202F, but the breaker must not depend on it).
    text = "Association « Les amis du Vernet » pour la promotion des activités ? Oui : toujours !"
    for w in widths(fonts, text, lo=22):
        lines = b.wrap(text, "regular", 10, w)
        for ln in lines:
            assert not ln.endswith("«") and not ln.startswith(("»", "?", ":", "!")), (w / MM, lines)


def test_a_separator_dash_never_starts_a_line(fonts):
    b = Breaker(fonts)
    text = "HAD 63 – Service d’hospitalisation à domicile Aubert – Chermette -Vaganay"
    for w in widths(fonts, text, lo=32):
        lines = b.wrap(text, "regular", 10, w)
        assert not any(ln.startswith(("–", "-")) for ln in lines[1:]), (w / MM, lines)


def test_an_address_moves_whole_to_its_own_line(fonts):
    b = Breaker(fonts)
    mail = "mairie.saint-germain-des-fosses@wanadoo.fr"
    text = f"Écrire à {mail} pour un rendez-vous"
    need = fonts.text_width("regular", mail) * 10
    for w in widths(fonts, text, lo=int(need / MM) + 1):
        lines = b.wrap(text, "regular", 10, w)
        assert any(mail in ln for ln in lines), (w / MM, lines)
    # Narrower than the address: it breaks after @ / . (or its own - _),
    # the character ending the line, never a hyphen added.
    for w_mm in range(22, int(need / MM) + 1):
        lines = b.wrap(mail, "regular", 10, w_mm * MM)
        assert "".join(lines) == mail
        assert all(ln[-1] in "@./-_" for ln in lines[:-1]) and not any(ln[0] in "@.-" for ln in lines), lines
        assert fits(fonts, lines, "regular", 10, w_mm * MM)


def test_the_total_fit_uses_no_more_lines_than_greedy(fonts):
    """Fewest lines first: the book must not grow."""
    b = Breaker(fonts)
    text = (
        "Accueil, information et orientation des familles et des personnes âgées ; aide aux démarches "
        "administratives, permanence d’une assistante sociale et consultations de prévention sur rendez-vous."
    )
    space = fonts.space["regular"] * 10
    for w_mm in range(30, 90, 3):
        w = w_mm * MM
        lines = b.wrap(text, "regular", 10, w)
        # Greedy without hyphenation, the old bound.
        greedy, cur = 0, -space
        for word in text.split(" "):
            ww = fonts.width("regular", word) * 10
            if cur + space + ww > w and cur > 0:
                greedy, cur = greedy + 1, ww
            else:
                cur += space + ww
        greedy += 1
        assert len(lines) <= greedy, (w_mm, lines)
        assert fits(fonts, lines, "regular", 10, w)


def test_a_huge_field_and_a_huge_word_are_set_in_linear_time(fonts):
    """A 1 MB description and a 10,000-letter word: every line fits, nothing is lost.
    (The search keeps only the breaks a line can still reach: were it
    quadratic, this would not finish.)"""
    b = Breaker(fonts)
    text = " ".join(["permanence", "d’accueil", "intercommunale", "sur", "rendez-vous"] * 20_000)
    assert len(text) > 1_000_000
    lines = b.wrap(text, "italic", 9.5, 55 * MM)
    assert fits(fonts, lines, "italic", 9.5, 55 * MM)
    # Nothing lost (hyphens set aside: added ones and the words' own).
    assert "".join(lines).replace("-", "").replace(" ", "") == text.replace("-", "").replace(" ", "")
    word = "x" * 10_000
    lines = b.wrap(word, "regular", 10, 50 * MM)
    assert "".join(lines) == word and fits(fonts, lines, "regular", 10, 50 * MM)
    assert len(b.warnings) == 1 and "…" in b.warnings[0] and len(b.warnings[0]) < 300
