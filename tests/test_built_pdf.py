"""Directories built from the bundled sample data, checked as a print shop and a reader would.

Each layout's output passes the project's own preflight, and where the Debian
tools are installed (make test installs them) ``qpdf --check``, ``pdffonts``
and a Ghostscript render agree.  ``pdftotext`` reads the pages back: the
contents and the indexes point at pages where the headings and names really are.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from annuaire import pipeline
from annuaire.preflight import preflight

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
LAYOUTS = ("a5", "a4", "gros-caracteres")


@pytest.fixture(scope="module")
def prepared():
    return pipeline.prepare([SAMPLE])


@pytest.fixture(scope="module")
def built(prepared, tmp_path_factory):
    """One small real edition per layout: every theme of one EPCI."""
    out = {}
    for name in LAYOUTS:
        path = tmp_path_factory.mktemp(name) / f"{name}.pdf"
        out[name] = pipeline.build_edition(
            prepared,
            pipeline.BuildOptions(
                theme="tout", territory="CC Hautes Terres", layout=name, out=path, edition_date=date(2026, 11, 27)
            ),
        )
    return out


def need(tool):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} n'est pas installé (paquet Debian ; make test l'installe)")


def page_text(path: Path, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_passes_the_preflight(built, layout):
    result = built[layout]
    assert result.preflight is not None and result.preflight.passed, result.preflight.text_fr()
    again = preflight(result.out, bleed_mm=3, binding="piquee" if result.pages <= 64 else "collee")
    assert again.passed


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_text_of_every_page_is_inside_the_trim(built, layout, tmp_path):
    import pikepdf

    result = built[layout]
    assert result.preflight.check("texte-hors-format").passed
    # The check reads the real pages' text: with the TrimBox's foot raised by
    # 25 mm, the running foot (folio) of the pages falls outside it.
    moved = tmp_path / "trim-relevee.pdf"
    with pikepdf.open(result.out) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
            page.obj.TrimBox = pikepdf.Array([x0, y0 + 25 * 72 / 25.4, x1, y1])
        pdf.save(moved)
    check = preflight(moved).check("texte-hors-format")
    assert not check.passed
    assert len({f.page for f in check.errors}) > result.pages // 2


@pytest.mark.parametrize("layout", LAYOUTS)
def test_qpdf_check(built, layout):
    need("qpdf")
    subprocess.run(["qpdf", "--check", str(built[layout].out)], check=True, capture_output=True)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pdffonts_every_font_embedded_no_helvetica(built, layout):
    need("pdffonts")
    out = subprocess.run(
        ["pdffonts", str(built[layout].out)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert out, "no font listed"
    for line in out:
        cols = line.split()
        assert "Helvetica" not in cols[0]
        emb = cols[-5]  # name type encoding emb sub uni object ID
        assert emb == "yes", line


@pytest.mark.parametrize("layout", LAYOUTS)
def test_ghostscript_renders_every_page(built, layout):
    need("gs")
    run = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", str(built[layout].out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and "Error" not in run.stderr + run.stdout


@pytest.mark.parametrize("layout", LAYOUTS)
def test_contents_and_indexes_point_at_the_right_pages(built, layout):
    need("pdftotext")
    result = built[layout]
    checked = 0
    for p in result.page_log:
        if p.kind not in ("toc", "index-name") or "\t" not in p.text:
            continue
        label, pages = p.text.split("\t", 1)
        target = int(re.split(r"\D", pages.strip())[0])
        words = [w for w in re.findall(r"\w{4,}", label)][:3]
        text = page_text(result.out, target)
        assert all(w in text for w in words), (label, target)
        checked += 1
    assert checked > 20


def test_every_entry_printed_once_with_its_name_on_its_page(built, prepared):
    need("pdftotext")
    result = built["a5"]
    entries = [p for p in result.page_log if p.kind == "entry"]
    assert len({p.key for p in entries}) == len(entries) == result.entries
    for p in entries[::7]:
        first = re.findall(r"\w{4,}", p.text)[:2]
        text = page_text(result.out, p.page)
        assert all(w in text for w in first), (p.text, p.page)


def test_counts_add_up(built):
    for result in built.values():
        c = result.counts
        assert c.rows_read == c.printed + c.rejected + c.duplicates + c.out_of_scope + c.withdrawn


def test_body_pages_name_the_territory_beside_the_folio(built):
    need("pdftotext")
    result = built["a5"]
    body = sorted({p.page for p in result.page_log if p.kind == "entry"})
    for page in body[:3] + body[-2:]:
        assert "Hautes Terres" in page_text(result.out, page)
