"""Index lines and paragraphs taller than a column are cut across columns and
pages, never drawn below the bottom margin.

The commune index runs a commune's services on after its name; a commune
served by a hundred types of service makes a paragraph taller than a column.
It continues in the next column under « Clermont-Ferrand (suite) », as the
body repeats its headings, with at least two lines on each side of the cut.
Every block of the page log lies above the bottom margin (``Placement.bottom``),
checked on a synthetic commune and on the regional volume of every national
file, whose preflight must find no text outside the page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import make_directory_for

from annuaire import pipeline
from annuaire.model import Entry
from annuaire.pdf import render
from annuaire.pdf.blocks import Block, Typesetter
from annuaire.pdf.draw import MM
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.layout import load_layout
from annuaire.pdf.lines import Breaker
from annuaire.pdf.paginate import cut, flow
from annuaire.preflight import preflight
from annuaire.reference import taxonomy

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
# What a reader detects among the shared files: the service files, not the
# outlines (GeoJSON) nor the reference files of communes, EPCI and postcodes.
REFERENCE = ("communes_cog2024", "laposte_hexasmal", "epci_decoupage")


def paragraph(n_lines: int, leading: float = 10.0, key: str = "P") -> Block:
    """A block of ``n_lines`` lines that may be cut between any two."""
    b = Block("index-commune", key, key)
    b.breaks = []
    for k in range(n_lines):
        if k:
            b.breaks.append((k * leading, k))
        b.lines.append((("regular", 8.5, 0.0, k * leading + 7.5, None), f"{key}{k}"))
    b.height = n_lines * leading + 1.0
    b.ref_text = "everything"
    return b


def small(key: str, h: float = 10.0) -> Block:
    b = Block("index-commune", key, key)
    b.height = h
    b.space_before = 1.5
    return b


def cols(pages):
    return [c for p in pages for c in p]


def test_a_paragraph_taller_than_a_column_runs_on_under_its_suite_head():
    head = Block("index-letter", "C", "C")
    head.height = 20.0
    head.keep = True
    big = paragraph(70)  # 701 pt: three and a half columns of 200 pt
    big.parent = head
    blocks = [head, small("Cébazat"), small("Chadeleuf"), big, small("Combronde")]
    for b in blocks[1:]:
        b.parent = head
    suites = []

    def suite(h, first):
        s = Block(h.kind + "-suite", h.key, f"{h.text} (suite)")
        s.height = 15.0
        suites.append((h.key, first))
        return s

    warnings: list[str] = []
    pages = flow(blocks, 2, 200.0, suite, warnings=warnings, balance=False)
    assert warnings == []
    # Nothing below the column's foot.
    for c in cols(pages):
        for b, y in c:
            assert y + b.height <= 200.0 + 1e-9, (b, y)
    placed = [b for c in cols(pages) for b, _ in c]
    # The paragraph starts where it comes (under Chadeleuf, not in a new
    # column), its lines all printed once, in order.
    first = next(k for k, b in enumerate(placed) if b.kind == "index-commune" and b.key == "P")
    assert placed[first - 1].key == "Chadeleuf"
    pieces = [b for b in placed if b.key == "P" and not b.kind.endswith("-suite")]
    assert [t for b in pieces for _, t in b.lines] == [f"P{k}" for k in range(70)]
    assert len(pieces) >= 4
    assert pieces[0].kind == "index-commune" and {b.kind for b in pieces[1:]} == {"index-commune-cont"}
    # The first piece is logged as the whole line, each rest as what it prints.
    assert (pieces[0].text, pieces[0].ref_text) == ("P", "everything")
    assert [b.text for b in pieces[1:]] == [" ".join(t for _, t in b.lines) for b in pieces[1:]]
    # No line alone at a column's foot or head.
    assert all(len(b.lines) >= 2 for b in pieces)
    # Each column it continues in opens with its head: the letter's
    # « (suite) » too in a page's first column.
    for c in cols(pages):
        kinds = [(b.kind, b.key) for b, _ in c]
        if ("index-commune-cont", "P") in kinds:
            i = kinds.index(("index-commune-cont", "P"))
            assert kinds[i - 1] == ("index-commune-suite", "P")
    assert ("P", True) in suites and ("P", False) in suites
    assert placed[-1].key == "Combronde"
    # A rest is moved up to its column's top: its baselines start again
    # at the first line's; the pieces together are the block's height.
    assert [b.lines[0][0][3] for b in pieces] == pytest.approx([7.5] * len(pieces))
    assert sum(b.height for b in pieces) == pytest.approx(big.height)
    head, rest = cut(big, 9)
    assert (head.height, len(head.lines), rest.lines[0][1], rest.parent) == (100.0, 10, "P10", big)


def test_cut_keeps_two_lines_each_side_and_moves_a_short_one_whole():
    # 5 lines (51 pt) after 160 pt of a 200 pt column: 3 lines fit, a cut
    # would leave 2 below; but the block fits a whole column: it moves.
    blocks = [small("a", 160.0), paragraph(5)]
    pages = flow(blocks, 1, 200.0, None, balance=False)
    assert [len(c) for c in cols(pages)] == [1, 1]
    # 25 lines after 185 pt: one line would fit; two do not: a new column.
    pages = flow([small("a", 185.0), paragraph(25)], 1, 200.0, None, balance=False)
    assert [b.key for b, _ in cols(pages)[0]] == ["a"]
    assert all(y + b.height <= 200.0 for c in cols(pages) for b, y in c)


def test_balanced_last_page_continues_a_cut_paragraph():
    blocks = [small(f"s{k}", 18.0) for k in range(20)] + [paragraph(50)]
    pages = flow(blocks, 2, 200.0, lambda h, first: small(f"{h.key} (suite)", 12.0))
    texts = [t for c in cols(pages) for b, _ in c if b.key == "P" for _, t in b.lines]
    assert texts == [f"P{k}" for k in range(50)]
    assert all(y + b.height <= 200.0 + 1e-9 for c in cols(pages) for b, y in c)
    last = pages[-1]
    assert all(last)  # balanced: both columns used


@pytest.fixture(scope="module")
def ts():
    lay = load_layout("a5")
    fonts = FontSet(lay.fonts)
    return Typesetter(lay, fonts, Breaker(fonts), lay.column_width * MM)


def test_an_index_name_line_cut_keeps_its_page_number_on_its_last_line(ts):
    b = ts.ref_line("index-name", "k", "Centre hospitalier " * 30, ts.st.index, "412")
    assert len(b.lines) > 8 and b.breaks
    pages = flow([b], 1, 40.0, None, balance=False)
    pieces = [p for c in cols(pages) for p, _ in c]
    assert len(pieces) > 1
    assert pieces[0].ref is None and pieces[-1].ref == "412"
    assert pieces[0].ref_text == "412"  # the page log keeps the whole line where it starts
    assert [t for p in pieces for _, t in p.lines] == [t for _, t in b.lines]


def many_services_commune() -> list[Entry]:
    """Clermont-Ferrand has a service of every type of Annex 1; a few
    neighbours in C come before and after it."""
    out = []
    for th in taxonomy.themes():
        for g in th.groups:
            for s in g.subgroups:
                for t in s.typologies:
                    out.append(
                        Entry(
                            key=f"cf-{t.code}",
                            name=f"{t.print_label} de Clermont-Ferrand",
                            typology=t.code,
                            commune="Clermont-Ferrand",
                            postcode="63000",
                            address="1 place de Jaude",
                        )
                    )
    for k, (pc, c) in enumerate([("63118", "Cébazat"), ("63140", "Châtel-Guyon"), ("63460", "Combronde")]):
        for code in ("SA19", "SP01", "EN01", "SL01"):
            out.append(Entry(key=f"{c}-{code}", name=f"Service {k} {code}", typology=code, commune=c, postcode=pc))
    return out


def below_the_margin(log, layout) -> list:
    limit = layout.height - layout.margin_bottom + 0.01
    return [p for p in log if p.column and p.bottom > limit]


@pytest.mark.parametrize("layout_name", ["a5", "gros-caracteres"])
def test_a_commune_of_every_service_is_cut_across_columns_in_the_page_log(tmp_path, layout_name):
    layout = load_layout(layout_name)
    d = make_directory_for(many_services_commune(), themes=tuple(th.slug for th in taxonomy.themes()))
    out = tmp_path / "cf.pdf"
    result = render(d, layout, out)
    assert not [w for w in result.warnings if "plus haut" in w]
    log = result.page_log
    assert below_the_margin(log, layout) == []
    assert all(p.top < p.bottom for p in log if p.column)
    starts = [p for p in log if p.kind == "index-commune" and p.key == "Clermont-Ferrand"]
    assert len(starts) == 1
    # The whole line is logged where it starts: every type of service, once.
    labels = starts[0].text.split("\t")[1].split(" · ")
    assert len(labels) == len(many_services_commune()) - 12
    rests = [p for p in log if p.kind == "index-commune-cont" and p.key == "Clermont-Ferrand"]
    assert len(rests) >= 2  # taller than two columns
    pages_of = sorted({p.page for p in [*starts, *rests]})
    assert len(pages_of) >= 2  # and over a page turn
    # Each column it continues in opens with « Clermont-Ferrand (suite) »
    # (under « C (suite) » in the first column of a page), then its lines.
    seq = [(p.page, p.column, p.kind, p.key, p.text) for p in log if p.column]
    for r in rests:
        col = [s for s in seq if s[:2] == (r.page, r.column)]
        kinds = [s[2] for s in col]
        i = kinds.index("index-commune-cont")
        assert col[i - 1][2:] == ("index-commune-suite", "Clermont-Ferrand", "Clermont-Ferrand\u00a0(suite)")
        if r.column == 1:
            assert col[0][2:4] == ("index-letter-suite", "C")
    # The last rest ends with the last type of service and its page.
    last_label, last_page = labels[-1].split("\u00a0")
    assert rests[-1].text.replace("\u00a0", " ").endswith(f"{last_label} {last_page}".replace("\u00a0", " "))
    # The neighbour after it follows its last piece.
    after = [p for p in log if p.kind == "index-commune" and p.key == "Combronde"]
    assert after and (after[0].page, after[0].column) >= (rests[-1].page, rests[-1].column)
    report = preflight(out)
    assert {c.code: c.passed for c in report.checks}["texte-hors-format"]


@pytest.fixture(scope="module")
def regional_volume(tmp_path_factory):
    """The regional `tout` volume of every national file of the shared data."""
    files = sorted(
        p
        for p in DATA.iterdir()
        if p.suffix in (".csv", ".json", ".jsonl", ".ndjson", ".txt", ".xlsx") and not p.name.startswith(REFERENCE)
    )
    assert len(files) >= 20
    out = tmp_path_factory.mktemp("tout") / "tout.pdf"
    prepared = pipeline.prepare(files)
    return pipeline.build_edition(
        prepared, pipeline.BuildOptions(theme="tout", out=out, edition_date=date(2026, 12, 1), run_preflight=True)
    )


def test_regional_volume_places_every_block_above_the_bottom_margin(regional_volume):
    r = regional_volume
    layout = load_layout("a5")
    flowed = [p for p in r.page_log if p.column]
    assert len(flowed) > 10_000
    assert below_the_margin(r.page_log, layout) == []
    assert not [w for w in r.warnings if "plus haut" in w]
    # Both indexes are there, and the big towns' lines run on under their head.
    kinds = {p.kind for p in flowed}
    assert {"index-name", "index-commune", "index-commune-suite", "index-commune-cont"} <= kinds
    cut_communes = {p.key for p in flowed if p.kind == "index-commune-cont"}
    assert {"Clermont-Ferrand", "Aurillac", "Le Puy-en-Velay", "Moulins", "Montluçon"} <= cut_communes
    checks = {c.code: c for c in r.preflight.checks}
    assert checks["texte-hors-format"].passed, checks["texte-hors-format"].findings
    assert r.preflight.passed


def test_a_colophon_note_longer_than_a_page_goes_on_over_the_next(tmp_path):
    from annuaire.editions.group import make_directory
    from conftest import make_entries

    note = " ".join(
        f"Paragraphe {k} : les horaires des services changent pendant les vacances scolaires, "
        "téléphonez avant de vous déplacer."
        for k in range(60)
    )
    d = make_directory(make_entries(), ("sante",), "Riom", date(2026, 11, 27), note=note)
    layout = load_layout("a5")
    result = render(d, layout, tmp_path / "note.pdf")
    assert not [w for w in result.warnings if "plus haut" in w]
    assert below_the_margin(result.page_log, layout) == []
    head = [p for p in result.page_log if p.kind == "colophon" and p.text.startswith("Paragraphe 0")]
    rests = [p for p in result.page_log if p.kind == "colophon-cont"]
    assert len(head) == 1 and rests
    assert len({p.page for p in [*head, *rests]}) >= 2
    # The last piece prints the note's last sentence.
    last = rests[-1].text.replace("\u00a0", " ").replace("\u202f", " ")
    assert last.endswith("téléphonez avant de vous déplacer.") and "Paragraphe 59 " in last
