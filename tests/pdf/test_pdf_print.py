"""What the print shop checks: boxes, embedded fonts, CMYK only, sizes, reproducibility, cover spread."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections import Counter

import pikepdf
import pytest
from conftest import make_directory_for, make_entries

from annuaire.pdf.layout import load_layout
from annuaire.pdf import RenderOptions, render, spine_width
from annuaire.pdf.render import paper_thickness

MM = 72 / 25.4


def boxes(path):
    with pikepdf.open(path) as pdf:
        out = []
        for page in pdf.pages:
            obj = page.obj
            assert "/TrimBox" in obj and "/BleedBox" in obj  # raw keys, not defaults
            out.append(tuple(tuple(float(v) for v in obj[k]) for k in ("/MediaBox", "/BleedBox", "/TrimBox")))
        return out


def size_mm(box):
    return ((box[2] - box[0]) / MM, (box[3] - box[1]) / MM)


@pytest.fixture(scope="module")
def a5(tmp_path_factory, small_directory):
    out = tmp_path_factory.mktemp("print") / "a5.pdf"
    render(small_directory, load_layout("a5"), out)
    return out


@pytest.mark.parametrize("bleed, marks", [(3, False), (0, False), (3, True), (5, True)])
def test_boxes(tmp_path, small_directory, bleed, marks):
    out = tmp_path / "b.pdf"
    render(small_directory, load_layout("a5"), out, RenderOptions(bleed_mm=bleed, crop_marks=marks))
    for media, bleedbox, trim in boxes(out):
        w, h = size_mm(trim)
        assert abs(w - 148) < 0.05 and abs(h - 210) < 0.05
        bw, bh = size_mm(bleedbox)
        assert abs(bw - (148 + 2 * bleed)) < 0.05 and abs(bh - (210 + 2 * bleed)) < 0.05
        assert abs((trim[0] - bleedbox[0]) / MM - bleed) < 0.05
        assert abs((bleedbox[3] - trim[3]) / MM - bleed) < 0.05
        assert media[0] <= bleedbox[0] and media[1] <= bleedbox[1]
        assert media[2] >= bleedbox[2] and media[3] >= bleedbox[3]
        if not marks:
            assert media == bleedbox
        else:
            assert size_mm(media)[0] > size_mm(bleedbox)[0] + 10


def test_every_font_embedded(a5):
    with pikepdf.open(a5) as pdf:
        seen = 0
        for page in pdf.pages:
            fonts = page.obj.Resources.get("/Font", {})
            for _, font in fonts.items():
                seen += 1
                assert font.Subtype == "/TrueType"
                assert "/FontFile2" in font.FontDescriptor
    assert seen
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) absent")
    rows = subprocess.run(["pdffonts", str(a5)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows and all(r.split()[-5] == "yes" for r in rows), rows
    assert not any("Helvetica" in r for r in rows)


def _ops(path):
    with pikepdf.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            for operands, op in pikepdf.parse_content_stream(page):
                yield n, str(op), operands


def test_cmyk_only_and_black_text(a5):
    ops = Counter()
    for _, op, operands in _ops(a5):
        ops[op] += 1
        if op in ("k", "K"):
            vals = [float(v) for v in operands]
            assert sum(vals) <= 3.0 + 1e-6  # total ink ≤ 300 %
        if op == "w":
            assert float(operands[0]) >= 0.25
    assert ops["rg"] == ops["RG"] == ops["g"] == ops["G"] == ops["sc"] == ops["scn"] == 0
    assert ops["k"] > 0
    raw = a5.read_bytes()
    assert b"/DeviceRGB" not in raw


def test_text_sizes(a5):
    sizes = [float(operands[1]) for _, op, operands in _ops(a5) if op == "Tf"]
    assert min(sizes) >= 7


def test_gros_caracteres_body_at_least_14pt(tmp_path, small_directory):
    lay = load_layout("gros-caracteres")
    assert lay.styles.body.size >= 14 and lay.styles.name.size >= 14
    out = tmp_path / "gc.pdf"
    result = render(small_directory, lay, out)
    body_pages = {p.page for p in result.page_log if p.kind == "entry"}
    shown = Counter()
    size = None
    for n, op, operands in _ops(out):
        if n not in body_pages:
            continue
        if op == "Tf":
            size = float(operands[1])
        elif op in ("Tj", "TJ"):
            shown[size] += 1
    body_size, _ = shown.most_common(1)[0]
    assert body_size >= 14
    # Everything but the attribution line, the running head and foot and the tabs is ≥ 14 pt.
    furniture = {lay.styles.running_head.size}
    small = sum(c for s, c in shown.items() if s < 14 and s not in furniture)
    assert small < sum(c for s, c in shown.items() if s >= 14) / 3


def test_same_input_same_bytes(tmp_path, small_directory):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render(small_directory, load_layout("a5"), a)
    render(small_directory, load_layout("a5"), b)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    with pikepdf.open(a) as pdf:
        info = pdf.docinfo
        assert str(info["/CreationDate"]).startswith("D:20261127")
        assert "Action sociale et santé" in str(info["/Title"])


def test_qpdf_check(a5):
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf absent")
    subprocess.run(["qpdf", "--check", str(a5)], check=True, capture_output=True)


def test_paper_thickness_and_spine():
    assert paper_thickness("0.1") == pytest.approx(0.1)
    assert paper_thickness("80g") == pytest.approx(0.10)
    assert paper_thickness("90 g") == pytest.approx(0.11)
    assert 0.10 < paper_thickness("85g") < 0.11
    assert spine_width(40, "0.1") == 3.0  # minimum
    assert spine_width(200, "0.1") == pytest.approx(10.0)


def test_perfect_binding_writes_a_cover_spread(tmp_path):
    d = make_directory_for(make_entries(6))
    out = tmp_path / "livre.pdf"
    result = render(d, load_layout("a5"), out, RenderOptions(binding="collee", paper="0.12"))
    assert result.binding == "collee"
    assert result.pages % 2 == 0
    kinds = [p.kind for p in result.page_log if p.column == 0]
    assert kinds[0] == "title" and "cover" not in kinds and "back-cover" not in kinds
    cover = tmp_path / "livre-couverture.pdf"
    assert result.cover == str(cover) and cover.exists()
    spine = max(3.0, result.pages / 2 * 0.12)
    assert result.spine_mm == pytest.approx(spine)
    ((media, bleedbox, trim),) = boxes(cover)
    w, h = size_mm(trim)
    assert w == pytest.approx(2 * 148 + spine, abs=0.05) and h == pytest.approx(210, abs=0.05)
    assert size_mm(bleedbox)[0] == pytest.approx(2 * 148 + spine + 6, abs=0.05)


def test_auto_binding_switches_above_the_threshold(tmp_path):
    d = make_directory_for(make_entries(160))
    result = render(d, load_layout("a5"), tmp_path / "gros.pdf", RenderOptions(paper="90g"))
    assert result.pages > 64
    assert result.binding == "collee" and result.cover


def test_preflight_of_the_output_passes(a5):
    preflight = pytest.importorskip("annuaire.preflight")
    report = preflight.preflight(a5, bleed_mm=3, binding="piquee")
    failed = [c for c in report.checks if not c.passed]
    assert report.passed, failed


def test_black_overprints_and_reversed_white_knocks_out(tmp_path, small_directory):
    """Black text over tints and tabs overprints (op true, OPM 1); white type
    reversed out of a tab or band never does (it would vanish)."""
    import re

    import pikepdf

    out = tmp_path / "op.pdf"
    render(small_directory, load_layout("a5"), out)
    with pikepdf.open(out) as pdf:
        page = pdf.pages[1]
        states = {str(k): {str(a): v for a, v in d.items()} for k, d in page.Resources.ExtGState.items()}
        on = next(k for k, d in states.items() if d.get("/op") is True)
        off = next(k for k, d in states.items() if d.get("/op") is False)
        opm = next(k for k, d in states.items() if d.get("/OPM") == 1)
        seen = {"black": 0, "white": 0}
        for p in pdf.pages:
            code = b"".join(
                c.read_bytes() for c in (p.Contents if isinstance(p.Contents, pikepdf.Array) else [p.Contents])
            ).decode("latin-1")
            for m in re.finditer(r"((?:/\w+ gs )*)(\S+ \S+ \S+ \S+) k", code):
                gs, colour = m.group(1).split(), [float(x) for x in m.group(2).split()]
                if colour == [0, 0, 0, 1]:
                    assert f"{on}" in gs and f"{opm}" in gs, m.group(0)
                    seen["black"] += 1
                elif colour == [0, 0, 0, 0]:
                    assert f"{off}" in gs, m.group(0)
                    seen["white"] += 1
        assert seen["black"] and seen["white"]
