"""Entries as blocks: fields in order, missing ones absent, everything inside the column."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import FINESS, NB, make_directory_for, make_entries

from annuaire.errors import LayoutFailure
from annuaire.editions.group import Directory
from annuaire.pdf.layout import load_layout
from annuaire.model import Entry
from annuaire.pdf import RenderOptions, render
from annuaire.pdf.blocks import Typesetter, date_fr, pages_fr, source_line
from annuaire.pdf.draw import MM
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.lines import Breaker


@pytest.fixture(scope="module")
def ts():
    lay = load_layout("a5")
    fonts = FontSet(lay.fonts)
    return Typesetter(lay, fonts, Breaker(fonts), lay.column_width * MM)


def texts(block):
    return [t for _, t in block.lines]


def test_entry_fields_in_order(ts):
    e = Entry(
        key="p1",
        name="Pharmacie du Marché",
        typology="SA19",
        commune="Riom",
        postcode="63200",
        address="5 place de la Fédération",
        phone=f"04{NB}73{NB}38{NB}00{NB}00",
        email="pharmacie.marche@exemple.fr",
        hours=(f"Lundi au samedi{NB}: 9{NB}h – 19{NB}h",),
        updated=date(2021, 1, 7),
        providers=(FINESS,),
    )
    b = ts.entry(e, 1000, keys="A", old="données de 2021")
    got = texts(b)
    # Compact: the source key raised after the name; address and postal line
    # on one line; « Tél. » then the number in bold, digit by digit (tabular
    # figures), and the e-mail, on one line when they fit (here they do
    # not); the hours, days abridged, on a tab; the old date right-aligned.
    digits = list("0473380000")
    assert got == [
        "Pharmacie du Marché",
        "A",
        "5 place de la Fédération, 63200 Riom",
        "Tél.",
        *digits,
        "pharmacie.marche@exemple.fr",
        "Lun.–Sam.",
        f"9{NB}h – 19{NB}h",
        "données de 2021",
    ]
    fmt = {t: f for f, t in b.lines}
    phone = [f for f, t in b.lines if t in digits and f[0] == "bold"]
    assert fmt["Pharmacie du Marché"][0] == "bold"
    assert len(phone) == 10  # the phone: the field looked for, in bold
    assert fmt["A"][3] < fmt["Pharmacie du Marché"][3]  # raised
    assert {f[3] for f in phone} == {fmt["Tél."][3]}  # same line
    assert fmt["données de 2021"][1] >= 7 and fmt["données de 2021"][4] is None  # black only
    # Without an old date or a key, nothing of the sort is printed.
    plain = texts(ts.entry(e, 1000))
    assert "A" not in plain and not any("données" in t for t in plain)
    assert b.height > 0


def test_every_line_fits_the_column(ts):
    e = Entry(
        key="long",
        name="Centre communal d’action sociale de Saint-Étienne-de-Maurs et des communes associées",
        typology="SA15",
        commune="Saint-Étienne-de-Maurs",
        postcode="15600",
        website="https://www.saint-etienne-de-maurs.fr/vie-pratique/solidarite/centre-communal-action-sociale/index.html",
        email="accueil.centre-communal-action-sociale@saint-etienne-de-maurs.fr",
        description="Accompagnement administratif, aides facultatives, domiciliation, instruction des demandes.",
    )
    b = ts.entry(e, 1000)
    fonts = ts.fonts
    for (style, size, x, _, _), t in b.lines:
        assert x + fonts.text_width(style, t) * size <= ts.cw + 1e-6, t
    lines = texts(b)
    for value in (e.website, e.email):
        i = next(k for k, t in enumerate(lines) if value.startswith(t))
        joined = ""
        while len(joined) < len(value):
            joined += lines[i]
            i += 1
        assert joined == value  # wrapped at punctuation, nothing added
    assert not any(t.endswith("Saint-Étienne-de-") for t in texts(b))
    assert ts.breaker.warnings == []


def test_entry_taller_than_a_column_is_shortened_and_reported(tmp_path):
    long = Entry(
        key="bavard",
        name="Maison des solidarités",
        typology="SA19",
        commune="Riom",
        description=" ".join(["Accueil, écoute, orientation et accompagnement des familles."] * 60),
        providers=(FINESS,),
    )
    d = make_directory_for(make_entries(2) + [long])
    result = render(d, load_layout("a5"), tmp_path / "x.pdf")
    assert [p.key for p in result.page_log if p.kind == "entry"].count("bavard") == 1
    assert any("description abrégée" in w and "Maison des solidarités" in w for w in result.warnings)


def test_date_and_pages_in_french():
    assert date_fr(date(2021, 1, 7)) == f"7{NB}janvier 2021"
    assert date_fr(date(2024, 3, 1)) == f"1er{NB}mars 2024"
    assert pages_fr([12, 13, 14, 15, 30, 3, 4]) == "3, 4, 12–15, 30"
    assert source_line(Entry(key="x", name="x", typology="SA19", commune="Riom")) == ""


def test_empty_directory_is_a_layout_failure(tmp_path):
    d = Directory("Annuaire des services", "Santé", "Riom", date(2026, 11, 27), themes=())
    with pytest.raises(LayoutFailure):
        render(d, load_layout("a5"), tmp_path / "vide.pdf")


def test_tabs_carry_words_in_every_edition(tmp_path):
    from annuaire.pdf.furniture import sections_of

    few = sections_of(make_directory_for(make_entries(1)), load_layout("a5"))
    assert not few.tab_numbers and few.tab_labels[-1] == "Index"
    assert "Urgence" in few.tab_labels
    many = make_directory_for(
        [
            Entry(key=f"sp{i}", name=f"Service {i}", typology=code, commune="Riom")
            for i, code in enumerate(["SP01", "SP08", "SP23", "SP30", "SP40", "SP55", "SP62", "SP75", "SP80", "SP85"])
        ],
        ("services-publics",),
    )
    # Ten groups of services publics: words still, on taller tabs that step
    # down the edge twice rather than numbers (one kind of tab in every edition).
    r = sections_of(many, load_layout("a5"))
    assert not r.tab_numbers and r.tab_labels[:3] == ["Institutions", "Justice", "Environnement"]
    h, per_edge = r.tab_geometry()
    style = load_layout("a5").styles.tab
    assert all(r.fonts.text_width(style.font, t) * style.size <= h - 4 * 72 / 25.4 for t in r.tab_labels)
    assert per_edge < len(r.sections)


def test_collee_with_accent_and_reproducible_cover(tmp_path):
    d = make_directory_for(make_entries(3))
    a = render(d, load_layout("a5"), tmp_path / "a.pdf", RenderOptions(binding="collée"))
    b = render(d, load_layout("a5"), tmp_path / "b.pdf", RenderOptions(binding="collee"))
    assert a.binding == b.binding == "collee"
    assert (tmp_path / "a-couverture.pdf").read_bytes() == (tmp_path / "b-couverture.pdf").read_bytes()
    assert a.page_log == b.page_log


def _blocks(heights):
    from annuaire.pdf.blocks import Block

    out = []
    for i, h in enumerate(heights):
        b = Block("entry", str(i), str(i))
        b.height = h
        b.space_before = 5.0
        out.append(b)
    return out


def test_last_page_columns_are_balanced_and_order_kept():
    from annuaire.pdf.paginate import flow

    blocks = _blocks([40.0] * 23)  # 2 full pages of 2 × 5 blocks, then 3 left
    pages = flow(blocks, 2, 225.0)
    assert [len(c) for c in pages[0]] == [5, 5]
    last = pages[-1]
    assert sorted(len(c) for c in last) == [1, 2]  # not [3, 0]
    order = [b.key for p in pages for c in p for b, _ in c]
    assert order == [str(i) for i in range(23)]
    # Unbalanced on request (and a single column is never touched).
    assert [len(c) for c in flow(_blocks([40.0] * 23), 2, 225.0, balance=False)[-1]] == [3, 0]


def test_index_line_never_alone_under_a_suite_heading():
    from annuaire.pdf.blocks import Block
    from annuaire.pdf.paginate import flow
    from annuaire.pdf.compose import no_widows as _no_widows

    head = Block("index-commune", "Riom", "Riom")
    head.height = 12.0
    head.keep = True
    lines = _blocks([12.0] * 5)
    for b in lines:
        b.kind = "index-commune-typology"
        b.parent = head
    blocks = _blocks([12.0] * 7) + [head] + lines
    _no_widows(blocks, "index-commune")
    suite = Block("index-commune-suite", "Riom", "Riom (suite)")
    suite.height = 12.0
    # A column holds 12 blocks: without widow control the last line would be
    # alone under « Riom (suite) » in the next column.
    pages = flow(blocks, 1, 200.0, lambda h, first: suite, balance=False)
    second = [b.kind for b, _ in pages[1][0]]
    assert second[0] == "index-commune-suite" and len(second) >= 3


def test_a_few_lines_on_the_last_page_are_not_split_in_two_columns():
    from annuaire.pdf.paginate import flow

    pages = flow(_blocks([20.0] * 20), 2, 225.0)  # 18 on page 1, 2 left: 45 pt < a third
    assert [len(c) for c in pages[-1]] == [2, 0]


def test_a_wrapped_name_is_not_indented_like_the_address(ts):
    e = Entry(
        key="n",
        name="Centre départemental de l’enfance et de la famille du Puy-de-Dôme",
        typology="SA04",
        commune="Chamalières",
        postcode="63400",
        address="22 boulevard Gambetta",
    )
    b = ts.entry(e, 10_000.0)
    lines = b.unpacked()
    name = [ln for ln in lines if ln[0] == "bold"]
    rest = [ln for ln in lines if ln[0] != "bold"]
    assert len(name) >= 2
    assert {ln[2] for ln in name} == {0.0}  # the name's lines flush left
    assert {ln[2] for ln in rest} == {ts.indent}  # address, place: indented


def test_commune_heading_is_kept_with_next_and_repeats_itself(ts):
    from annuaire.pdf.layout import Cmyk

    colour = Cmyk(0.0, 0.9, 0.7, 0.15)
    b = ts.commune_heading("SA19|Châtel-Guyon", "Châtel-Guyon", colour.readable(), colour)
    assert b.kind == "commune" and b.keep and b.suite is b
    assert [t for _, t in b.lines] == ["CHÂTEL-GUYON"]
    assert b.lines[0][0][1] >= 8  # size
    assert b.lines[0][0][4] == colour.readable()
    # One line of the body's grid, on a light band of the section's colour
    # across the column.
    assert b.height == ts.grid == ts.layout.styles.body.leading
    ((kind, x, y, w, h, fill),) = b.decor
    assert kind == "rect" and x == 0 and abs(w - ts.cw) < 0.01 and 0 < y and y + h < b.height
    assert fill.total < colour.total / 3
