"""The body of the book: a shared baseline grid, balanced column feet at the
end of a section, the data's date said once per section, tabular phone
digits and opening hours on a tab."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from conftest import FINESS, RIOM, make_directory_for, make_entries

from annuaire.model import Entry, Provider
from annuaire.pdf import RenderOptions
from annuaire.pdf.blocks import MM, NBSP, Block, Typesetter
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.layout import load_layout
from annuaire.pdf.lines import Breaker
from annuaire.pdf.paginate import flow
from annuaire.pdf.render import _Renderer


def _directory():
    """Pharmacies (big: they open a new column) and nurses over many
    communes, several of one entry, with FINESS 2021 and a mairie's 2025."""
    entries = make_entries(40, codes=("SA19", "SA20"))
    out = []
    for i, e in enumerate(entries):
        if i % 7 == 0:  # the mairie's, of 2025: recent, said nowhere
            out.append(replace(e, providers=(RIOM,), updated=None))
        elif i % 11 == 0:  # FINESS, but updated in 2025: says so under a heading of 2021
            out.append(replace(e, providers=(FINESS,), updated=date(2025, 6, 1)))
        else:
            out.append(replace(e, providers=(FINESS,), updated=None))
    return make_directory_for(out)


@pytest.fixture(scope="module", params=["a5", "a4"])
def composed(request):
    layout = load_layout(request.param)
    r = _Renderer(_directory(), layout, RenderOptions())
    return layout, r.body_ts, r.composer.body()


def test_every_body_line_of_every_column_is_on_one_baseline_grid(composed):
    layout, ts, body = composed
    grid, base = ts.grid, ts.grid_base
    assert grid == layout.styles.body.leading
    checked = 0
    for _, pages in body:
        for page in pages:
            for col in page:
                for b, y in col:
                    if b.kind != "entry":
                        # Headings: whole lines of the grid, above and in height.
                        assert abs(y / grid - round(y / grid)) < 1e-6, (b, y)
                        assert abs(b.height / grid - round(b.height / grid)) < 1e-6, b
                        continue
                    assert abs(y / grid - round(y / grid)) < 1e-6, (b, y)
                    for (font, size, x, baseline, _), text in b.lines:
                        if size < layout.styles.body.size:
                            continue  # the raised source key
                        k = (y + baseline - base) / grid
                        assert abs(k - round(k)) < 1e-6, (b, text, y, baseline)
                        checked += 1
    assert checked > 500


def test_columns_of_a_page_share_their_baselines(composed):
    """Side by side, the lines of the columns are in step: every body line
    of one column is on a baseline of the grid the other column uses."""
    layout, ts, body = composed
    pages = [p for _, ps in body for p in ps if sum(1 for c in p if c) > 1]
    assert pages
    for page in pages:
        offsets = set()
        for col in page:
            for b, y in col:
                if b.kind == "entry":
                    for (font, size, x, baseline, _), _t in b.lines:
                        if size >= layout.styles.body.size:
                            offsets.add(round((y + baseline) % ts.grid, 6))
        assert len(offsets) == 1, offsets


def _blocks(heights, start=0):
    out = []
    for i, h in enumerate(heights):
        b = Block("entry", str(start + i), str(start + i))
        b.height = h
        out.append(b)
    return out


def test_the_last_page_of_a_section_has_balanced_feet():
    # A section of 2 pages and a bit more, then a big section that opens a
    # new column: the section's last page is balanced, not one full column
    # beside a few lines.
    first = _blocks([44.0] * 30)
    big = _blocks([33.0] * 40, start=100)
    big[0].break_before = 1
    pages = flow(first + big, 2, 220.0)
    # Page 1: 2 × 5 blocks; page 2 likewise; page 3 holds the 10 left.
    end = next(i for i, p in enumerate(pages) if any(b.key == "100" for c in p for b, _ in c)) - 1
    page = pages[end]
    feet = [col[-1][1] + col[-1][0].height for col in page if col]
    assert len(feet) == 2 and abs(feet[0] - feet[1]) <= 44.0, feet
    order = [b.key for p in pages for c in p for b, _ in c]
    assert order == [b.key for b in first + big]


def test_the_date_of_a_section_is_said_once(composed):
    layout, ts, body = composed
    r = _Renderer(_directory(), layout, RenderOptions())
    d = r.d
    for th in d.themes:
        for g in th.groups:
            for t in g.typologies():
                note, own = r.composer.dates_of(t.entries)
                # FINESS 2021 is most of the section and old: said on the
                # heading, with its key (the mairie's entries are of 2025)…
                assert note == f"données de 2021 ({r.composer.source_keys[FINESS.name]})", note
                # …and only the FINESS entries updated since say their own
                # date; the mairie's, recent, nothing.
                assert own, t.typology.code
                for e in t.entries:
                    if e.providers[0] is FINESS and e.updated:
                        assert own[e.key] == "données de 2025"
                    else:
                        assert e.key not in own


def test_dates_printed_on_headings_not_on_every_entry(tmp_path):
    import subprocess
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    from annuaire.pdf import render

    d = _directory()
    out = tmp_path / "d.pdf"
    res = render(d, load_layout("a5"), out, RenderOptions())
    body = sorted({p.page for p in res.page_log if p.kind in ("entry", "typology", "typology-suite")})
    text = subprocess.run(
        ["pdftotext", "-f", str(body[0]), "-l", str(body[-1]), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    headings = sum(1 for p in res.page_log if p.kind in ("typology", "typology-suite"))
    typologies = sum(1 for p in res.page_log if p.kind == "typology")
    updated = sum(1 for e in d.entries() if e.providers[0] is FINESS and e.updated)
    entries = sum(1 for p in res.page_log if p.kind == "entry")
    # On the headings (and beside « (suite) » where it fits), not on the
    # entries: far fewer than the entries of 2021.
    assert typologies <= text.count("données de 2021") <= headings < entries // 2
    assert text.count("données de 2025") == updated > 0


@pytest.fixture(scope="module")
def ts():
    lay = load_layout("a5")
    fonts = FontSet(lay.fonts)
    return Typesetter(lay, fonts, Breaker(fonts), lay.column_width * MM)


def _entry(key, phone, hours=()):
    return Entry(
        key=key,
        name=f"Pharmacie {key}",
        typology="SA19",
        commune="Riom",
        postcode="63200",
        address="5 place de la Fédération",
        phone=phone,
        hours=hours,
        providers=(Provider("Mairie de Riom", date=date(2025, 9, 15)),),
    )


def test_phone_digits_are_tabular(ts):
    """Digit under digit: the n-th digit of every phone number of a column
    is at the same place, whatever the digits (« 1 » is narrow in the face)."""
    a = ts.entry(_entry("a", NBSP.join(["04", "71", "11", "11", "11"])), 1000)
    b = ts.entry(_entry("b", NBSP.join(["04", "73", "88", "00", "00"])), 1000)

    def cells(block):
        out = []
        for (font, size, x, _, _), t in block.lines:
            if font == "bold" and len(t) == 1 and t.isdigit():
                w = ts.fonts.width(font, t) * size
                out.append(x + w / 2)  # the digit's centre
        return out

    ca, cb = cells(a), cells(b)
    assert len(ca) == len(cb) == 10
    assert all(abs(p - q) < 0.01 for p, q in zip(ca, cb))
    # A fixed advance inside each pair.
    steps = {round(ca[i + 1] - ca[i], 4) for i in range(0, 10, 2)}
    assert len(steps) == 1


def test_hours_one_line_per_days_on_a_tab(ts):
    e = _entry(
        "h",
        NBSP.join(["04", "73", "38", "00", "00"]),
        hours=(
            f"Lundi au vendredi{NBSP}: 8{NBSP}h{NBSP}30{NBSP}– 12{NBSP}h et 13{NBSP}h{NBSP}30{NBSP}– 17{NBSP}h",
            f"Samedi{NBSP}: 9{NBSP}h{NBSP}– 12{NBSP}h",
        ),
    )
    b = ts.entry(e, 1000)
    lines = {t: (x, base) for (_, _, x, base, _), t in b.lines}
    days = ["Lun.–Ven.", "Sam."]
    times = [f"8{NBSP}h{NBSP}30{NBSP}– 12{NBSP}h, 13{NBSP}h{NBSP}30{NBSP}– 17{NBSP}h", f"9{NBSP}h{NBSP}– 12{NBSP}h"]
    assert all(d in lines for d in days) and all(t in lines for t in times), list(lines)
    # The days flush with the address, the hours on one tab, each group on its line.
    assert lines["Lun.–Ven."][0] == lines["Sam."][0] == ts.indent
    assert lines[times[0]][0] == lines[times[1]][0] > ts.indent + ts.fonts.width("regular", "Lun.–Ven.") * 9
    assert lines["Lun.–Ven."][1] == lines[times[0]][1] < lines["Sam."][1] == lines[times[1]][1]
