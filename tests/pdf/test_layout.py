"""Layouts: TOML files merged over defaults, strict validation."""

from __future__ import annotations

import pytest

from annuaire.errors import UnknownLayout
from annuaire.pdf.layout import available, load_layout


def test_shipped_layouts():
    assert {"a5", "a4", "gros-caracteres"} <= set(available())
    a5 = load_layout("a5")
    assert (a5.width, a5.height, a5.columns, a5.bleed) == (148, 210, 2, 3)
    a4 = load_layout("a4")
    assert (a4.width, a4.height, a4.columns) == (210, 297, 3)
    big = load_layout("gros-caracteres")
    assert big.columns == 1 and big.styles.body.size >= 14 and big.styles.description.size >= 14
    assert big.styles.body.leading >= 1.3 * big.styles.body.size
    assert not big.hyphenate


def test_margins_and_colours_are_print_safe():
    for name in available():
        lay = load_layout(name)
        assert min(lay.margin_inner, lay.margin_outer, lay.margin_top, lay.margin_bottom) >= lay.safe
        assert lay.styles.source.size >= 7
        assert lay.colours.text.k == 1 and lay.colours.text.c == lay.colours.text.m == lay.colours.text.y == 0
        for _, c in lay.colours.themes:
            assert c.total <= 300


def test_file_merged_over_defaults(tmp_path):
    p = tmp_path / "mini.toml"
    p.write_text('[columns]\ncount = 1\n[styles.body]\nfont = "regular"\nsize = 12\nleading = 16\n', encoding="utf-8")
    lay = load_layout(p)
    assert lay.columns == 1 and lay.styles.body.size == 12
    assert lay.width == 148 and lay.styles.name.size == 9.5  # from the defaults
    assert lay.name == "mini"


@pytest.mark.parametrize(
    "toml, words",
    [
        ("[page]\nlargeur = 148\n", "page.largeur"),
        ("[colours]\ntext = [0, 0, 100]\n", "CMJN"),
        ("[colours.themes]\nsante = [100, 100, 100, 50]\n", "encrage"),
        ("[columns]\ncount = 9\n", "columns.count"),
        ('[styles.body]\nfont = "regular"\nsize = 5\nleading = 6\n', "minimum"),
        ("[page]\nbleed = -1\n", "page.bleed"),
        ('[fonts]\nregular = "/nulle/part.ttf"\n', "introuvable"),
        ("[colours]\ntext = [20, 0, 0, 100]\n", "noir seul"),
        ("pas du toml = = \n", "TOML"),
    ],
)
def test_bad_layouts_say_what_is_wrong(tmp_path, toml, words):
    p = tmp_path / "bad.toml"
    p.write_text(toml, encoding="utf-8")
    with pytest.raises(UnknownLayout) as exc:
        load_layout(p)
    assert words in str(exc.value)


def test_unknown_name_lists_the_layouts():
    with pytest.raises(UnknownLayout) as exc:
        load_layout("a6")
    assert "a5" in str(exc.value) and "gros-caracteres" in str(exc.value)


def test_bleed_zero_allowed(tmp_path):
    p = tmp_path / "z.toml"
    p.write_text("[page]\nbleed = 0\n", encoding="utf-8")
    assert load_layout(p).bleed == 0


def test_furniture_bands_and_measure_come_from_the_layout_file(tmp_path):
    """Folio position, colour bands and measure are layout values, checked like the others."""
    from annuaire.errors import UnknownLayout

    f = tmp_path / "x.toml"
    f.write_text("[page]\nmeasure = 100\n[furniture]\nfolio_drop = 11\n[bands]\nopener = 0.25\n", encoding="utf-8")
    lay = load_layout(f)
    assert lay.measure == 100 and lay.furniture.folio_drop == 11 and lay.bands.opener == 0.25
    assert load_layout("a5").bands.cover == 0.52
    f.write_text("[bands]\nopener = 2\n", encoding="utf-8")
    with pytest.raises(UnknownLayout, match="bands.opener"):
        load_layout(f)
    f.write_text("[furniture]\nfolio = 2\n", encoding="utf-8")
    with pytest.raises(UnknownLayout, match="furniture.folio"):
        load_layout(f)
