"""Pages kept packed while two processes draw: the blocks are let go, and
each page comes back with the very lines, decorations and references it had."""

from __future__ import annotations

import gc

from annuaire.pdf.blocks import Block
from annuaire.pdf.book import PageSpec
from annuaire.pdf.layout import Cmyk, TextStyle
from annuaire.pdf.pagepack import PagePack

TEAL = Cmyk(0.8, 0.1, 0.3, 0.1)
BODY = TextStyle("regular", 8.5, 10.0)


def _entry(key: str, y0: float) -> Block:
    b = Block("entry", key, f"Pharmacie {key}")
    name = ("bold", 8.5, 0.0, 7.0 + y0, None)
    street = ("regular", 8.5, 4.0, 17.0 + y0, TEAL)
    b.lines = [(name, f"Pharmacie {key}"), (street, "12, rue de la République")]
    for k, digit in enumerate("0473"):  # tabular digits: one line per glyph
        b.lines.append((("regular", 8.5, 4.0 + 5.1 * k, 27.0, None), digit))
    b.decor = [("rect", 0.0, 0.0, 20.0, 3.0, TEAL)]
    return b


def _ref_line(key: str) -> Block:
    b = Block("index-name", key, key)
    b.lines = [(("regular", 8.0, 0.0, 7.0, None), key)]
    b.ref, b.ref_style = "12", BODY
    return b


def _specs() -> list[PageSpec]:
    a, b, c = _entry("a", 0.0), _entry("b", 1.5), _ref_line("Riom")
    return [
        PageSpec("toc", cols=[[(_ref_line("Santé"), 0.0)]]),
        PageSpec("body", cols=[[(a, 0.0), (b, 40.0)], []], ncols=2),
        PageSpec("index", cols=[[(c, 3.0)]]),
    ]


def _drawn(cols):
    """What the drawing code reads of each block of the columns."""
    return [[(b.lines, b.decor, b.ref, b.ref_style, y) for b, y in col] for col in cols]


def test_restore_gives_each_page_the_same_lines_as_the_same_objects():
    specs = _specs()
    before = [_drawn(sp.cols) for sp in specs]
    formats = {id(f) for sp in specs[1:] for col in sp.cols for b, _ in col for f, _ in b.lines}
    pack = PagePack(specs, [1, 2])
    assert specs[1].cols is None and specs[2].cols is None
    assert specs[0].cols is not None  # a page not packed keeps its blocks
    assert 1 in pack and 2 in pack and 0 not in pack and pack.size() > 0
    for i in (1, 2):
        pack.restore(i, specs[i])
        assert _drawn(specs[i].cols) == before[i]
    # Colours are compared with « is » when glyphs are drawn: the format tuples
    # and colours come back as the very objects they were.
    back = specs[1].cols[0]
    assert {id(f) for b, _ in back for f, _ in b.lines} <= formats
    assert back[0][0].decor[0][5] is TEAL and back[0][0].lines[1][0][4] is TEAL
    assert specs[2].cols[0][0][0].ref_style is BODY
    assert len(pack) == 0  # a page is restored once, then drawn and dropped


def test_packing_lets_the_blocks_go():
    specs = _specs()
    block = specs[1].cols[0][0][0]
    refs_before = gc.get_referrers(block)
    assert refs_before  # held by its column
    pack = PagePack(specs, [1])
    del refs_before
    assert not [r for r in gc.get_referrers(block) if r is not pack]
    pack.drop(1)
    assert 1 not in pack
    pack.restore(1, specs[1])  # dropped: drawn elsewhere, nothing to restore
    assert specs[1].cols is None
