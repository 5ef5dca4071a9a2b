"""The preflight catches each print defect on a small PDF made to have it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pikepdf
import pytest

from annuaire.errors import AnnuaireError
from annuaire.preflight import Check, PreflightReport, UnreadablePdf, preflight

import preflight_samples as samples
from preflight_readers import both_readers_agree  # noqa: F401 (autouse: both readers compared)


def run(tmp_path, name="sample.pdf", bleed_mm=3.0, binding=None, **defects) -> PreflightReport:
    path = samples.make_pdf(tmp_path / name, **defects)
    return preflight(path, bleed_mm=bleed_mm, binding=binding)


def failed(report: PreflightReport) -> set[str]:
    return {c.code for c in report.checks if not c.passed}


def messages(check: Check) -> str:
    return " | ".join(f.message_fr for f in check.errors)


# -- clean file and report shape --------------------------------------------------------------


def test_clean_pdf_passes_every_check(tmp_path):
    report = run(tmp_path, pages=4, binding="piquee")
    assert report.passed, report.text_fr()
    assert report.pages == 4
    assert [c.code for c in report.checks] == [
        "fichier",
        "polices",
        "boites",
        "pagination",
        "rvb",
        "corps-texte",
        "texte-hors-format",
        "resolution-images",
        "encrage",
        "pdfx",
    ]


def test_report_is_json_ready_and_french(tmp_path):
    report = run(tmp_path, rgb_fill=True)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["passed"] is False
    rvb = next(c for c in data["checks"] if c["code"] == "rvb")
    assert rvb["findings"][0] == {"page": 1, "severity": "error", "message": "RVB : remplissage RVB 1 0 0 (rg)"}
    text = report.text_fr()
    assert "ÉCHEC" in text and "NON CONFORME" in text and "rvb" in text


def test_report_dataclasses_are_frozen(tmp_path):
    report = run(tmp_path)
    with pytest.raises(AttributeError):
        report.pages = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        report.checks[0].passed = False  # type: ignore[misc]


def test_unreadable_file_raises_french_error(tmp_path):
    bad = tmp_path / "pas-un.pdf"
    bad.write_text("bonjour")
    with pytest.raises(UnreadablePdf, match="pas un PDF lisible"):
        preflight(bad)
    with pytest.raises(AnnuaireError, match="introuvable"):
        preflight(tmp_path / "absent.pdf")


def test_unknown_binding_is_refused(tmp_path):
    path = samples.make_pdf(tmp_path / "a.pdf")
    with pytest.raises(ValueError, match="Reliure inconnue"):
        preflight(path, binding="spirale")


# -- 1. fonts -------------------------------------------------------------------------------------


def test_reportlab_standard_helvetica_is_not_embedded(tmp_path):
    report = run(tmp_path, helvetica=True)
    assert failed(report) == {"polices"}
    assert "Helvetica" in messages(report.check("polices"))


def test_type3_font_is_refused(tmp_path):
    report = preflight(samples.make_type3(tmp_path / "t3.pdf"))
    assert "type 3" in messages(report.check("polices"))


def test_fonts_and_text_inside_form_xobjects_are_found(tmp_path):
    # Move the page's resources into a Form XObject: fonts must still be found.
    path = samples.make_pdf(tmp_path / "form.pdf", helvetica=True, image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        form = pdf.make_stream(
            page.obj.Contents.read_bytes(),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=page.obj.MediaBox,
            Resources=page.obj.Resources,
        )
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=form))
        page.obj.Contents = pdf.make_stream(b"q /Fm0 Do Q")
        pdf.save(path)
    report = preflight(path)
    assert "Helvetica" in messages(report.check("polices"))
    assert report.check("corps-texte").findings[-1].message_fr.endswith("9,00 pt")


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) n'est pas installé")
@pytest.mark.parametrize("helvetica", [False, True])
def test_font_check_agrees_with_pdffonts(tmp_path, helvetica):
    path = samples.make_pdf(tmp_path / "f.pdf", helvetica=helvetica)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    emb_col = out.splitlines()[0].index("emb")
    not_embedded = {row.split()[0] for row in rows if row[emb_col : emb_col + 3].strip() == "no"}
    report = preflight(path)
    flagged = {name for name in not_embedded if name in messages(report.check("polices"))}
    assert flagged == not_embedded
    assert report.check("polices").passed == (not not_embedded)


# -- 2. boxes -----------------------------------------------------------------------------------------


def test_missing_trimbox(tmp_path):
    report = run(tmp_path, trimbox=False)
    assert failed(report) == {"boites"}
    assert "TrimBox" in messages(report.check("boites"))


def test_missing_trimbox_on_one_page_names_it(tmp_path):
    path = samples.make_pdf(tmp_path / "t.pdf", pages=3)
    samples.remove_trimbox(path, page_index=1)
    errors = preflight(path).check("boites").errors
    assert [f.page for f in errors if "TrimBox (format" in f.message_fr] == [2]


def test_bleedbox_smaller_than_expected(tmp_path):
    samples.make_pdf(tmp_path / "sample.pdf", bleed_mm=2.0)  # BleedBox 2 mm around the trim
    report = preflight(tmp_path / "sample.pdf", bleed_mm=3.0)
    assert failed(report) == {"boites"}
    assert "2,0 mm à gauche" in messages(report.check("boites"))
    # The same file is right for a printer asking 2 mm.
    assert preflight(tmp_path / "sample.pdf", bleed_mm=2.0).check("boites").passed


def test_trim_size_is_reported_in_mm(tmp_path):
    info = [f.message_fr for f in run(tmp_path).check("boites").findings if f.severity == "info"]
    assert info == ["format fini 148,0 × 210,0 mm (A5), fond perdu 3,0 mm"]


def test_inherited_trimbox_is_read_but_flagged(tmp_path):
    path = samples.make_pdf(tmp_path / "i.pdf", pages=2)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.Root.Pages.TrimBox = pdf.pages[0].obj.TrimBox
        for page in pdf.pages:
            del page.obj["/TrimBox"]
        pdf.save(path)
    check = preflight(path, bleed_mm=3).check("boites")
    assert check.passed
    assert any(f.severity == "warning" and "héritée" in f.message_fr for f in check.findings)


def test_rotate_unnested_and_different_boxes(tmp_path):
    path = samples.make_pdf(tmp_path / "r.pdf", pages=2)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = 90
        media = [float(v) for v in pdf.pages[1].obj.MediaBox]
        pdf.pages[1].obj.TrimBox = [media[0] - 5, media[1], media[2], media[3]]
        pdf.save(path)
    errors = preflight(path).check("boites").errors
    text = " | ".join(f"{f.page}:{f.message_fr}" for f in errors)
    assert "1:page tournée" in text
    assert "2:TrimBox déborde de la BleedBox" in text
    assert "2:TrimBox différente(s) de celle(s) de la page 1" in text


# -- 3. page count ---------------------------------------------------------------------------------------


def test_five_pages_cannot_be_saddle_stitched(tmp_path):
    report = run(tmp_path, pages=5, binding="piquee")
    assert failed(report) == {"pagination"}
    assert "multiple de 4" in messages(report.check("pagination"))
    # Perfect binding has no such rule; "collée" with its accent is accepted.
    assert preflight(tmp_path / "sample.pdf", binding="collée").check("pagination").passed
    assert preflight(tmp_path / "sample.pdf").check("pagination").passed


def test_saddle_stitch_above_64_pages_fails(tmp_path):
    report = run(tmp_path, pages=68, binding="piquee", image=None)
    check = report.check("pagination")
    assert not check.passed
    assert any(f.severity == "error" and "64" in f.message_fr for f in check.findings)
    # 64 pages, a multiple of 4, still pass.
    assert run(tmp_path, pages=64, binding="piquee", image=None).check("pagination").passed


# -- 4. RGB ---------------------------------------------------------------------------------------------


def test_rgb_fill(tmp_path):
    report = run(tmp_path, rgb_fill=True)
    assert failed(report) == {"rvb"}


@pytest.mark.parametrize("kind", ["rgb", "indexed-rgb"])
def test_rgb_images(tmp_path, kind):
    report = run(tmp_path, image=kind)
    assert failed(report) == {"rvb"}
    assert "image RVB /ImSample" in messages(report.check("rvb"))


def test_rgb_colour_space_via_cs_and_page_group(tmp_path):
    path = samples.make_pdf(tmp_path / "cs.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        icc = pdf.make_stream(b"\0" * 10, N=3)
        page.add_resource(pikepdf.Array([pikepdf.Name.ICCBased, icc]), pikepdf.Name.ColorSpace, pikepdf.Name("/CS9"))
        page.contents_add(pdf.make_stream(b"q /CS9 cs 1 0 0 sc 0 0 10 10 re f Q"))
        page.obj.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        pdf.save(path)
    text = messages(preflight(path).check("rvb"))
    assert "/CS9 (cs)" in text and "groupe de transparence" in text


def test_grey_is_accepted_and_reported_as_info(tmp_path):
    check = run(tmp_path, gray_text=True).check("rvb")
    assert check.passed
    assert any(f.severity == "info" and "DeviceGray" in f.message_fr for f in check.findings)


# -- 5. text size -----------------------------------------------------------------------------------------


def test_five_point_text(tmp_path):
    report = run(tmp_path, text_pt=5)
    assert failed(report) == {"corps-texte"}
    assert "5,00 pt" in messages(report.check("corps-texte"))


def test_ten_point_text_scaled_by_half(tmp_path):
    report = run(tmp_path, scaled_text=True)
    assert failed(report) == {"corps-texte"}
    assert report.check("corps-texte").errors[0].page == 1
    assert "5,00 pt" in messages(report.check("corps-texte"))


def test_text_size_uses_text_matrix_and_ignores_invisible_text(tmp_path):
    path = samples.make_pdf(tmp_path / "tm.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        font = next(iter(page.obj.Resources.Font.keys()))
        page.contents_add(
            pdf.make_stream(
                f"BT {font} 12 Tf 0.4 0 0 0.4 50 50 Tm (a) Tj ET "  # 4.8 pt
                f"BT 3 Tr {font} 2 Tf 50 80 Td (ocr) Tj ET".encode()  # invisible 2 pt
            )
        )
        pdf.save(path)
    check = preflight(path).check("corps-texte")
    assert [f.message_fr for f in check.errors] == ["texte de 4,80 pt, sous le minimum de 6,0 pt"]
    assert preflight(path, min_text_pt=4.5).check("corps-texte").passed


# -- 5b. text inside the trim -----------------------------------------------------------------------------


def test_text_running_past_the_foot_of_the_page_fails_naming_the_page(tmp_path):
    # An overlong field set on: 40 lines from 40 mm above the foot, at 11 pt leading.
    report = run(tmp_path, pages=2, overflow_lines=40)
    assert failed(report) == {"texte-hors-format"}, report.text_fr()
    (error,) = report.check("texte-hors-format").errors
    top = samples.OVERFLOW_TOP
    below = sum(1 for i in range(40) if top - i * samples.OVERFLOW_LEADING < -0.5)
    assert below == 29
    assert error.page == 2
    assert error.message_fr.startswith(
        f"{below} ligne(s) de texte commencent hors du format fini, la première à x = 15,0 mm, y = -"
    )
    assert f"page 2 : {below} ligne(s) de texte commencent hors du format fini" in report.text_fr()
    assert "NON CONFORME" in report.text_fr()
    assert run(tmp_path, name="court.pdf", pages=2, overflow_lines=10).passed  # ends above the foot


# Text placed by each text-positioning operator; the trim starts at 3 mm = 8.5 pt.
_INSIDE = "BT {f} 9 Tf 50 20 Td (dedans) Tj ET"
_OUTSIDE = {
    "Td": "BT {f} 9 Tf 50 20 Td 0 -15 Td (x) Tj ET",
    "TD": "BT {f} 9 Tf 50 20 Td 0 -15 TD (x) Tj ET",
    "TD then T*": "BT {f} 9 Tf 50 30 Td 0 -12 TD (x) Tj T* (y) Tj ET",
    "TL and T*": "BT {f} 9 Tf 15 TL 50 20 Td T* (x) Tj ET",
    "'": "BT {f} 9 Tf 15 TL 50 20 Td (x) ' ET",
    '"': 'BT {f} 9 Tf 15 TL 50 20 Td 0 0 (x) " ET',
    "Tm in the right bleed": "BT {f} 9 Tf 1 0 0 1 430 300 Tm (x) Tj ET",
    "cm": "q 1 0 0 1 0 -15 cm BT {f} 9 Tf 50 20 Td (x) Tj ET Q",
    "rotated, as on a tab": "q 0 1 -1 0 0 0 cm BT {f} 9 Tf 300 10 Td (x) Tj ET Q",
    "in a form": "/Out Do",
}


def _with_text(tmp_path, name, content: str):
    path = samples.make_pdf(tmp_path / f"{abs(hash(name))}.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        font = next(iter(page.obj.Resources.Font.keys()))
        form = pdf.make_stream(
            f"BT {font} 9 Tf 50 20 Td (x) Tj ET".encode(),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=[0, 0, 600, 600],
            Matrix=[1, 0, 0, 1, 0, -15],
            Resources=page.obj.Resources,
        )
        page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/Out"))
        page.contents_add(pdf.make_stream(content.format(f=font).encode()))
        pdf.save(path)
    return preflight(path).check("texte-hors-format")


@pytest.mark.parametrize("how", sorted(_OUTSIDE))
def test_text_outside_the_trim_is_found_whatever_moved_it(tmp_path, how):
    check = _with_text(tmp_path, how, _OUTSIDE[how])
    assert not check.passed
    assert [(f.page, f.message_fr.split(",")[0]) for f in check.errors] == [
        (1, "1 ligne(s) de texte commencent hors du format fini")
    ]


def test_text_inside_on_the_edge_or_invisible_passes(tmp_path):
    assert _with_text(tmp_path, "inside", _INSIDE).passed
    # 0.3 pt past the edge: a producer's rounding, not a defect.
    assert _with_text(tmp_path, "edge", "BT {f} 9 Tf 1 0 0 1 50 8.2 Tm (x) Tj ET").passed
    # Invisible text (an OCR layer) prints nothing.
    assert _with_text(tmp_path, "ocr", "BT 3 Tr {f} 9 Tf 50 -40 Td (x) Tj ET").passed


# -- 6. images -----------------------------------------------------------------------------------------------


def test_72_ppi_image_placed_large(tmp_path):
    report = run(tmp_path, image_px=72, image_inches=1.0)
    assert failed(report) == {"resolution-images"}
    assert "72 ppi" in messages(report.check("resolution-images"))
    assert preflight(tmp_path / "sample.pdf", min_ppi=72).check("resolution-images").passed


# -- 7. ink ---------------------------------------------------------------------------------------------------


def test_cmyk_fill_at_400_percent(tmp_path):
    report = run(tmp_path, ink=(1, 1, 1, 1))
    assert failed(report) == {"encrage"}
    assert "400 %" in messages(report.check("encrage"))
    assert preflight(tmp_path / "sample.pdf", max_ink=400).check("encrage").passed


def test_rich_black_within_limit_passes(tmp_path):
    assert run(tmp_path, ink=(0.6, 0.4, 0.4, 1)).check("encrage").passed  # 240 %


def test_registration_crop_marks_outside_bleed_are_ignored(tmp_path):
    report = run(tmp_path, crop_marks=True)
    assert report.check("encrage").passed, report.text_fr()


# -- 8. PDF/X ---------------------------------------------------------------------------------------------------


def test_missing_output_intent_is_information_only(tmp_path):
    check = run(tmp_path).check("pdfx")
    assert check.passed
    assert check.findings[0].severity == "info"
    assert "pas d’intention de sortie PDF/X" in check.findings[0].message_fr


def test_incomplete_output_intent_fails(tmp_path):
    path = samples.make_pdf(tmp_path / "oi.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.Root.OutputIntents = [pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX)]
        del pdf.docinfo["/Trapped"]  # ReportLab writes /Trapped /False
        pdf.save(path)
    text = messages(preflight(path).check("pdfx"))
    assert "OutputConditionIdentifier" in text
    assert "DestOutputProfile" in text
    assert "GTS_PDFXVersion" in text
    assert "Trapped" in text


# -- cross-checks with other tools ------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript n'est pas installé")
def test_samples_render_with_ghostscript(tmp_path):
    path = samples.make_pdf(tmp_path / "gs.pdf", pages=2, crop_marks=True, scaled_text=True)
    done = subprocess.run(
        ["gs", "-q", "-o", "/dev/null", "-sDEVICE=nullpage", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages (poppler-utils) n'est pas installé")
def test_image_resolution_agrees_with_pdfimages(tmp_path):
    path = samples.make_pdf(tmp_path / "ppi.pdf", image_px=200, image_inches=1.3)
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    header, _, row = out.splitlines()[:3]
    cols = header.split()
    x_ppi = int(row.split()[cols.index("x-ppi")])
    errors = preflight(path).check("resolution-images").errors
    assert f"à {x_ppi} ppi" in errors[0].message_fr  # 200 px / 1.3 in = 154 ppi


def test_printable_annotation_appearance_is_scanned(tmp_path):
    path = samples.make_pdf(tmp_path / "annot.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        ap = pdf.make_stream(
            b"0 0 1 rg 0 0 20 20 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 20, 20]
        )
        annot = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Square,
                Rect=[50, 50, 90, 90],
                F=4,
                AP=pikepdf.Dictionary(N=ap),
            )
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect([annot])
        pdf.save(path)
    assert "remplissage RVB 0 0 1 (rg)" in messages(preflight(path).check("rvb"))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Annots[0].F = 2  # hidden: not printed, not checked
        pdf.save(path)
    assert preflight(path).check("rvb").passed


def test_malformed_operator_does_not_hide_the_rest_of_the_page(tmp_path):
    path = samples.make_pdf(tmp_path / "bad.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].contents_add(pdf.make_stream(b"BT /F1 Tf ET 1 0 0 rg"))  # Tf without its size
        pdf.save(path)
    report = preflight(path)
    assert "contenu" in failed(report) and "rvb" in failed(report)


def test_long_directory_checked_page_by_page(tmp_path):
    # Speed is measured end to end by benchmarks/bench_e2e.py, not asserted here.
    path = samples.make_long(tmp_path / "long.pdf", pages=120)
    report = preflight(path, bleed_mm=3, binding="collee")
    assert report.passed, report.text_fr()
    assert report.pages >= 100


def test_inline_rgb_image_and_its_resolution(tmp_path):
    path = samples.make_pdf(tmp_path / "inline.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pixels = bytes(range(12))  # 2 × 2 RGB
        pdf.pages[0].contents_add(
            pdf.make_stream(b"q 72 0 0 72 100 100 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID " + pixels + b" EI Q")
        )
        pdf.save(path)
    report = preflight(path)
    assert "image RVB (image en ligne) (2 × 2 px)" in messages(report.check("rvb"))
    assert "à 2 ppi" in messages(report.check("resolution-images"))


def test_type0_font_with_unembedded_descendant(tmp_path):
    path = samples.make_pdf(tmp_path / "cid.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/MSGothic"), Flags=4)
        cid = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=pikepdf.Name("/MSGothic"),
            CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Japan1", Supplement=2),
            FontDescriptor=pdf.make_indirect(descriptor),
        )
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type0,
                BaseFont=pikepdf.Name("/MSGothic"),
                Encoding=pikepdf.Name("/Identity-H"),
                DescendantFonts=[pdf.make_indirect(cid)],
            )
        )
        pdf.pages[0].add_resource(font, pikepdf.Name.Font, pikepdf.Name("/CJK"))
        pdf.save(path)
    assert "« MSGothic » : police non incorporée" in messages(preflight(path).check("polices"))


def test_self_drawing_form_does_not_loop(tmp_path):
    path = samples.make_pdf(tmp_path / "loop.pdf", image=None)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        form = pdf.make_stream(
            b"/Me Do /Me Do 1 0 0 rg", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10]
        )
        form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Me=form))
        pdf.pages[0].add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/Me"))
        pdf.pages[0].contents_add(pdf.make_stream(b"/Me Do"))
        pdf.save(path)
    report = preflight(path)  # returns: the form drawing itself is examined once
    assert "remplissage RVB 1 0 0 (rg)" in messages(report.check("rvb"))


def test_password_protected_pdf_is_refused_in_french(tmp_path):
    path = samples.make_pdf(tmp_path / "clair.pdf", image=None)
    locked = tmp_path / "verrou.pdf"
    with pikepdf.open(path) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(UnreadablePdf, match="mot de passe"):
        preflight(locked)


def test_saddle_stitching_beyond_the_limit_fails(tmp_path):
    from annuaire.preflight.checks import SADDLE_STITCH_MAX

    path = samples.make_long(tmp_path / "long.pdf", pages=120)
    report = preflight(path, bleed_mm=3, binding="piquee")
    assert not report.passed
    assert "pagination" in failed(report)
    text = messages(report.check("pagination"))
    assert f"au-delà de {SADDLE_STITCH_MAX} pages" in text and "--reliure collee" in text
