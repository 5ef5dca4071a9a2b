"""The typographer's count (scripts/book_report.py) on real books and on a
page made to hold every defect it knows.

The santé directory of the whole region, built from the sample data, has
none of the break defects, no straight apostrophe, the layout's body size; the large
print edition sets its body at 16 pt and nothing under 14 pt.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from annuaire import pipeline

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

spec = importlib.util.spec_from_file_location("book_report", ROOT / "scripts" / "book_report.py")
book_report = importlib.util.module_from_spec(spec)
sys.modules["book_report"] = book_report  # dataclasses look their module up
spec.loader.exec_module(book_report)

pytestmark = pytest.mark.skipif(shutil.which("pdftohtml") is None, reason="pdftohtml (poppler-utils) absent")


@pytest.fixture(scope="module")
def prepared():
    return pipeline.prepare([SAMPLE])


def build(prepared, tmp_path_factory, **kw):
    out = tmp_path_factory.mktemp("book") / "book.pdf"
    result = pipeline.build_edition(prepared, pipeline.BuildOptions(out=out, edition_date=date(2026, 11, 27), **kw))
    return result, book_report.report(out)


@pytest.fixture(scope="module")
def sante(prepared, tmp_path_factory):
    return build(prepared, tmp_path_factory, theme="sante", layout="a5")


def test_sante_has_no_break_defect(sante):
    result, rep = sante
    assert rep["defects"] == {name: 0 for name in rep["defects"]}, rep["examples"]


def test_report_counts_the_entries_of_the_page_log(sante):
    result, rep = sante
    logged = sum(1 for p in result.page_log if p.kind == "entry")
    # The colophon's credits (a name in bold over indented lines) and the
    # commune index's long names add a few.
    assert logged <= rep["entries"] <= logged + 10
    from annuaire.pdf.layout import load_layout

    assert rep["body_size"] == load_layout("a5").styles.body.size
    assert rep["pages"] == result.pages


def test_sante_a5_holds_at_least_13_2_entries_per_page(sante):
    """Issue 9: twice the entries of the database print-out (6.6 per page),
    at a body of 9 pt or more, over the whole book (covers, contents,
    openers, indexes and colophon counted)."""
    result, rep = sante
    logged = sum(1 for p in result.page_log if p.kind == "entry")
    assert logged / result.pages >= 13.2, (logged, result.pages)
    assert rep["entries"] / rep["pages"] >= 13.2
    assert rep["body_size"] >= 9.0


def _columns(result, rep_lines, page):
    """The body lines of ``page`` (not the running head and foot) by column, left first."""
    lines = [ln for ln in rep_lines if ln.page == page]
    if not lines:
        return []
    body = [ln for ln in lines if 40 < ln.top < 560]
    mid = (min(ln.left for ln in body) + max(ln.right for ln in body)) / 2
    return [[ln for ln in body if ln.left < mid - 20], [ln for ln in body if ln.left >= mid - 20]]


def test_sante_body_lines_on_one_baseline_grid_in_both_columns(sante):
    """Read back from the PDF: on every page of entries, the lines of the
    body (regular 9 pt) of both columns sit on one grid of 11 pt."""
    result, rep = sante
    lines = book_report.read_lines(result.out)[1]
    pages = sorted({p.page for p in result.page_log if p.kind == "entry"})
    checked = 0
    for page in pages:
        tops = [ln.top for col in _columns(result, lines, page) for ln in col if ln.size == 9.0 and not ln.bold]
        if len(tops) < 2:
            continue
        ref = tops[0]
        for t in tops:
            k = (t - ref) / 11.0
            assert abs(k - round(k)) * 11.0 <= 0.5, (page, ref, t)
            checked += 1
    assert checked > 3000


def test_sante_section_ends_with_balanced_feet(sante):
    """The page before a section that starts on a new column or page (its
    heading first on the next page) ends with columns of near-equal height."""
    result, rep = sante
    lines = book_report.read_lines(result.out)[1]
    first_kind = {}
    for p in result.page_log:
        if p.column and p.page not in first_kind:
            first_kind[p.page] = p.kind
    checked = 0
    for page in sorted({p.page for p in result.page_log if p.kind == "entry"}):
        if first_kind.get(page + 1) not in ("typology", "group"):
            continue
        cols = [c for c in _columns(result, lines, page) if c]
        if len(cols) < 2:
            continue
        feet = [max(ln.top for ln in c) for c in cols]
        # Within the tallest entry (six lines of 11 pt).
        assert abs(feet[0] - feet[1]) <= 66.0, (page, feet)
        checked += 1
    assert checked >= 3


def test_large_print_body_16_pt_and_nothing_under_14(prepared, tmp_path_factory):
    result, rep = build(
        prepared, tmp_path_factory, theme="tout", territory="CC Hautes Terres", layout="gros-caracteres"
    )
    assert rep["body_size"] >= 16.0
    assert rep["smallest_size"] >= 14.0, rep["smallest_text"]
    assert rep["defects"] == {name: 0 for name in rep["defects"]}, rep["examples"]


def test_every_defect_is_seen(tmp_path):
    """A page set the way the old greedy breaker and the raw data did."""
    from reportlab.pdfgen.canvas import Canvas

    from annuaire.pdf.layout import load_layout

    fonts = load_layout("a5").fonts
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("ReportR", fonts.regular))
    pdfmetrics.registerFont(TTFont("ReportB", fonts.bold))
    path = tmp_path / "defects.pdf"
    c = Canvas(str(path), pagesize=(420, 595))
    y = 560
    lines = [
        ("ReportB", "Mairie de Saint-Germain"),
        ("ReportR", "  1 place de l'Église"),
        ("ReportR", "  03260"),
        ("ReportR", "  Saint-Germain-des-Fossés"),
        ("ReportR", "  mairie.saint-germain"),
        ("ReportR", "  @wanadoo.fr"),
        ("ReportR", "  https://www.saint-germain"),
        ("ReportR", "  -des-fosses.fr/"),
        ("ReportR", "  .gouv.fr"),
        ("ReportR", "  HAD 63 -"),
        ("ReportR", "  63710 Le"),
        ("ReportR", "  Vernet-Sainte-Marguerite"),
        ("ReportR", "  Lundi : 13 h 30 –"),
        ("ReportR", "  17 h 30"),
        ("ReportR", "  Association «"),
        ("ReportR", "  Les amis »"),
    ]
    for font, text in lines:
        x = 40 + (12 if text.startswith("  ") else 0)
        c.setFont(font, 10)
        c.drawString(x, y, text.strip())
        y -= 14
    c.showPage()
    c.save()
    rep = book_report.report(path)
    d = rep["defects"]
    assert d["ligne commençant par « @ »"] == 1
    assert d["ligne commençant par « . »"] == 1
    assert d["ligne commençant par « - »"] == 1
    assert d["code postal seul en fin de ligne"] == 1
    assert d["article séparé de sa commune"] == 1
    assert d["plage horaire coupée"] == 1
    assert d["guillemet isolé"] == 1
    assert d["ligne finissant par « - »"] == 1
    assert d["apostrophes droites"] == 1
    assert rep["entries"] == 1 and rep["body_size"] == 10.0
