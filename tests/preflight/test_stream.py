"""The preflight's fast reader of content streams gives what pikepdf gives.

``annuaire.preflight.stream`` reads plain content streams itself and leaves
anything it is not certain of to pikepdf.  Each test scans pages both ways
(the walker with the fast reader allowed, and with pikepdf only) and checks
three things: which reader read the page, that the two PageScans are
identical, and what the scan found.  (tests/preflight/conftest.py also
compares both readers on every page the other preflight tests scan.)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pikepdf
import pytest

from annuaire import pipeline
from annuaire.preflight import checks, content, preflight, stream
from annuaire.preflight.content import OPERATORS, Walker

import preflight_samples as samples
from preflight_readers import both_readers_agree  # noqa: F401 (autouse: both readers compared)

ROOT = Path(__file__).resolve().parents[2]


def scan_both(path: Path) -> tuple[list, Walker]:
    """Every page's PageScan read both ways (asserted identical), and the
    walker that was allowed the fast reader (its counters tell who read)."""
    fast, slow = Walker(), Walker(fast=False)
    scans = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            box = checks.read_boxes(page.obj)
            resources = page.obj.get("/Resources")
            one = fast.scan_page(page, resources, box.bleed, box.trim or box.media)
            other = slow.scan_page(page, resources, box.bleed, box.trim or box.media)
            assert repr(one) == repr(other), f"page {len(scans) + 1}"
            scans.append(one)
    assert slow.fast_pages == 0
    return scans, fast


def page_with(tmp_path: Path, *streams: bytes) -> Path:
    """A sample page (A5, 3 mm bleed, its embedded font as {f}) whose content
    is replaced by ``streams`` (several: a /Contents array)."""
    path = samples.make_pdf(tmp_path / "page.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        font = str(next(iter(page.obj.Resources.Font.keys()))).encode()
        made = [pdf.make_stream(s.replace(b"{f}", font)) for s in streams]
        page.obj.Contents = made[0] if len(made) == 1 else pikepdf.Array(made)
        pdf.save(path)
    return path


def read_by(tmp_path: Path, *streams: bytes) -> tuple[str, content.PageScan]:
    scans, walker = scan_both(page_with(tmp_path, *streams))
    return ("fast" if walker.fast_pages == 1 else "pikepdf"), scans[0]


# -- read by the fast reader --------------------------------------------------------------------


def test_escaped_parentheses_and_backslashes_in_a_string(tmp_path):
    how, scan = read_by(tmp_path, rb"BT {f} 5 Tf 1 0 0 1 50 50 Tm (a\(b\) c\\) Tj (\\) Tj (x\)) Tj ET")
    assert (how, scan.min_text, scan.errors) == ("fast", 5.0, [])


def test_tj_array_with_brackets_inside_its_strings(tmp_path):
    how, scan = read_by(tmp_path, rb"BT {f} 7 Tf 50 50 Td [(a]b) -20 (c\]) 10 <41 42>] TJ (]) Tj ET")
    assert (how, scan.min_text, scan.errors) == ("fast", 7.0, [])


def test_hex_strings_names_and_unread_operators(tmp_path):
    # gs, Tc, d, w, ET are not read by the walker: dropped, as pikepdf drops them.
    content_ = b"/GS0 gs [3 2] 0 d 0.5 w BT {f} 6.5 Tf 0.2 Tc 1 0 0 1 50 50 Tm <48656C6C6F> Tj ET"
    how, scan = read_by(tmp_path, content_)
    assert (how, scan.min_text) == ("fast", 6.5)


def test_numbers_run_into_a_string(tmp_path):
    # " takes two spacings and a string, here written without a space before it.
    how, scan = read_by(tmp_path, b'BT {f} 5.5 Tf 12 TL 1 0 0 1 50 50 Tm 0 0(x)" ET')
    assert (how, scan.min_text, scan.errors) == ("fast", 5.5, [])


def test_text_past_the_foot_and_scaled_text(tmp_path):
    how, scan = read_by(tmp_path, b"q 0.5 0 0 0.5 0 0 cm BT {f} 10 Tf 100 -40 Td (x) Tj ET Q")
    assert how == "fast"
    assert scan.min_text == 5.0
    assert scan.outside_trim == 1 and scan.outside_at is not None and scan.outside_at[1] < 0


def test_rgb_and_grey_and_ink(tmp_path):
    how, scan = read_by(
        tmp_path, b"0 0 0 rg 10 10 5 5 re f /DeviceRGB CS 0.5 g 1 1 1 1 k 20 20 m 60 20 l 60 60 l h f 0 0 1 RG"
    )
    assert how == "fast"
    assert list(scan.rgb) == [
        "remplissage RVB 0 0 0 (rg, noir RVB : deviendrait un noir quadri)",
        "espace couleur /DeviceRGB (CS)",
        "contour RVB 0 0 1 (RG)",
    ]
    assert scan.gray and scan.max_ink == 400.0 and scan.ink_colour is None


def test_an_instruction_spanning_two_streams_of_a_page(tmp_path):
    # qpdf joins a /Contents array with newlines: operands may precede their operator's stream.
    how, scan = read_by(tmp_path, b"BT {f} 9 Tf 1 0 0 1", b"50 -30 Tm (x) Tj ET")
    assert (how, scan.outside_trim) == ("fast", 1)


def test_missing_operands_are_the_walkers_error_either_way(tmp_path):
    # Td with one number: the walker notes the invalid operator and goes on.
    how, scan = read_by(tmp_path, b"BT {f} 9 Tf 50 Td (x) Tj 1 0 0 rg ET")
    assert how == "fast"
    assert scan.errors == ["opérateur invalide ignoré (ValueError)"]
    assert list(scan.rgb) == ["remplissage RVB 1 0 0 (rg)"]


# -- left to pikepdf ----------------------------------------------------------------------------------


SHOWN_5_PT = (5.0, [])


@pytest.mark.parametrize(
    "content_, what, found",
    [
        (rb"BT {f} 5 Tf 50 50 Td (a(b)c) Tj ET", "nested parentheses", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td % a comment (x) Tj\n(y) Tj ET", "a comment", SHOWN_5_PT),
        (b"/Span <</ActualText (x)>> BDC BT {f} 5 Tf 50 50 Td (y) Tj ET EMC", "a dictionary operand", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td (\\(x) Tj ET 1 2", "operands left at the end", SHOWN_5_PT),
        (b"BT {f} 5 Tf 1 0 0 1 +50 50 Tm (x) Tj ET", "a number with a sign +", SHOWN_5_PT),
        # qpdf reads 5e1 as an operator (dropped): Tm gets one operand, Tj fails.
        (b"BT {f} 5 Tf 1 0 0 1 5e1 50 Tm (x) Tj ET", "an exponent", (None, ["opérateur invalide ignoré (IndexError)"])),
        (b"BT /F#31 5 Tf 50 50 Td (x) Tj ET", "a name with a # escape", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td true (x) Tj ET", "a boolean", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td (x) Tj ET \xe9", "a byte outside strings that is not ASCII", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td [[(x)]] TJ ET", "a nested array", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td <</A 1>> (x) Tj ET", "a dictionary before a Tj", SHOWN_5_PT),
        # qpdf reads 1.2.3 as an operator; a 20-digit integer makes it warn.
        (b"BT {f} 5 Tf 1.2.3 50 50 Td (x) Tj ET", "a malformed number", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td 12Tz (x) Tj ET", "a number run into an operator", SHOWN_5_PT),
        (b"BT {f} 5 Tf 50 50 Td 99999999999999999999 Tc (x) Tj ET", "an integer qpdf cannot hold", SHOWN_5_PT),
    ],
)
def test_what_the_fast_reader_is_not_certain_of_goes_to_pikepdf(tmp_path, content_, what, found):
    how, scan = read_by(tmp_path, content_)
    assert how == "pikepdf", what
    assert (scan.min_text, scan.errors) == found, what


def test_an_inline_image_goes_to_pikepdf(tmp_path):
    pixels = bytes(range(12))  # 2 × 2 RGB
    how, scan = read_by(tmp_path, b"q 72 0 0 72 100 100 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID " + pixels + b" EI Q")
    assert how == "pikepdf"
    assert list(scan.rgb) == ["image RVB (image en ligne) (2 × 2 px)"]
    assert scan.images["(image en ligne)"].ppi == 2.0


def test_integer_minus_zero_goes_to_pikepdf(tmp_path):
    # float(b"-0") is -0.0 and would print « -0 »; pikepdf reads the integer 0.
    how, scan = read_by(tmp_path, b"-0 0 0 rg")
    assert how == "pikepdf"
    assert list(scan.rgb) == ["remplissage RVB 0 0 0 (rg, noir RVB : deviendrait un noir quadri)"]


@pytest.mark.parametrize(
    "content_, errors",
    [
        (b"(x) 0 0 1 0 0 cm 1 0 0 rg", ["opérateur invalide ignoré (TypeError)"]),  # a string given to cm
        (b"BT /F1 Tf ET 1 0 0 rg", ["opérateur invalide ignoré (IndexError)"]),  # Tf without its size
        (b"/Im1 5 Do 1 0 0 rg", []),  # a Do with a number after its name: no such image here
    ],
)
def test_an_operand_of_the_wrong_type_goes_to_pikepdf(tmp_path, content_, errors):
    how, scan = read_by(tmp_path, content_)
    assert how == "pikepdf"
    assert list(scan.rgb) == ["remplissage RVB 1 0 0 (rg)"]
    assert scan.errors == errors


def test_a_content_stream_that_cannot_be_decoded_is_pikepdfs_error(tmp_path):
    path = page_with(tmp_path, b"q Q")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        broken = pdf.make_stream(b"\x78\x9c\x01\x02garbage")
        broken.Filter = pikepdf.Name.FlateDecode
        pdf.pages[0].obj.Contents = broken
        pdf.save(path)
    scans, walker = scan_both(path)
    assert walker.fast_pages == 0
    assert len(scans[0].errors) == 1 and scans[0].errors[0].startswith("flux de contenu illisible")


def test_the_reader_covers_exactly_the_walkers_operators():
    read = {op.decode() for op, need in stream._NEEDS.items() if need != stream._STOP}
    assert read == set(OPERATORS.split()) - {"BI", "ID", "EI"}


# -- the project's own files ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_pdfs(tmp_path_factory) -> list[Path]:
    """A santé directory of the sample data in each layout, with its cover."""
    prepared = pipeline.prepare([ROOT / "sample_data"])
    out = []
    for layout in ("a5", "a4", "gros-caracteres"):
        path = tmp_path_factory.mktemp(layout) / f"sante-{layout}.pdf"
        built = pipeline.build_edition(
            prepared,
            pipeline.BuildOptions(
                theme="sante", layout=layout, out=path, edition_date=date(2026, 11, 27), run_preflight=False
            ),
        )
        out += [path] + ([built.cover] if built.cover else [])
    return out


def test_the_projects_own_pdfs_are_read_by_the_fast_reader_with_the_same_results(own_pdfs):
    assert len(own_pdfs) >= 3
    for path in own_pdfs:
        scans, walker = scan_both(path)
        assert walker.fast_pages == len(scans) and walker.pikepdf_pages == 0, path.name
        assert all(s.min_text is not None for s in scans[1:-1]), path.name  # every inner page shows text
        assert not any(s.errors or s.rgb for s in scans), path.name


def test_the_fast_readers_instructions_are_pikepdfs(own_pdfs):
    # Below the PageScans: the same operators in the same order, the same numbers and names.
    for path in own_pdfs:
        reader = stream.Reader()
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                fast = content._fast_page(page.obj, reader)
                slow = content._pairs(pikepdf.parse_content_stream(page, OPERATORS))
                assert fast is not None and [op for op, _ in fast] == [op for op, _ in slow]
                for (op, mine), (_, theirs) in zip(fast, slow):
                    if op == "Tf":
                        assert mine[1] == float(theirs[1])
                    elif mine:
                        assert [repr(v if isinstance(v, pikepdf.Name) else float(v)) for v in theirs] == [
                            repr(v) for v in mine
                        ], op


def test_a_sample_page_is_read_by_the_fast_reader(tmp_path):
    # The samples of the other preflight tests: their clean page goes the fast way.
    scans, walker = scan_both(samples.make_pdf(tmp_path / "clean.pdf"))
    assert walker.fast_pages == 1 and scans[0].images and scans[0].min_text == 9.0


def test_preflight_reports_the_same_either_way(own_pdfs, monkeypatch):
    path = own_pdfs[0]
    fast = preflight(path, bleed_mm=3.0).as_dict()
    monkeypatch.setattr(content, "_fast_page", lambda page_obj, reader: None)
    slow = preflight(path, bleed_mm=3.0).as_dict()
    fast.pop("seconds"), slow.pop("seconds")
    assert fast == slow
