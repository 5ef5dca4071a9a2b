"""PDF/X-4 output intent: well formed, recognised by the preflight, reproducible."""

from __future__ import annotations

import shutil
import subprocess

import pikepdf
import pytest

from annuaire.errors import AnnuaireError
from annuaire.pdf.pdfx import InvalidIccProfile, MissingTrimBox, PdfxError, add_output_intent, read_icc
from annuaire.preflight import preflight

import preflight_samples as samples

ICC = samples.cmyk_icc()
needs_icc = pytest.mark.skipif(
    ICC is None, reason="profil CMJN de Ghostscript (default_cmyk.icc) absent : installer ghostscript"
)


@pytest.fixture
def x4(tmp_path):
    src = samples.make_pdf(tmp_path / "src.pdf", pages=4)
    return add_output_intent(src, tmp_path / "x4.pdf", ICC, title="Annuaire des services — Riom")


@needs_icc
def test_output_intent_is_well_formed(x4):
    with pikepdf.open(x4) as pdf:
        assert pdf.pdf_version >= "1.6"
        (oi,) = pdf.Root.OutputIntents
        assert oi.Type == "/OutputIntent" and oi.S == "/GTS_PDFX"
        assert str(oi.OutputConditionIdentifier) == "FOGRA39"
        assert str(oi.RegistryName) == "http://www.color.org"
        assert str(oi.Info) == "Artifex CMYK SWOP Profile"  # the profile's description
        assert oi.DestOutputProfile.N == 4
        assert oi.DestOutputProfile.read_bytes() == ICC.read_bytes()
        info = pdf.docinfo
        assert str(info.GTS_PDFXVersion) == "PDF/X-4"
        assert info.Trapped == "/False"
        assert str(info.Title) == "Annuaire des services — Riom"
        assert str(info.ModDate) == str(info.CreationDate)
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        assert "<pdf:Trapped>False</pdf:Trapped>" in xmp
        assert "Annuaire des services — Riom" in xmp
        assert "<xmp:CreateDate>2000-01-01T00:00:00+00:00</xmp:CreateDate>" in xmp  # ReportLab invariant date
        assert "/ID" in pdf.trailer
    with pikepdf.open(x4) as pdf:  # pikepdf's XMP parser reads our packet
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["dc:title"] == "Annuaire des services — Riom"


@needs_icc
def test_preflight_recognises_the_output_intent(x4):
    report = preflight(x4, bleed_mm=3, binding="piquee")
    assert report.passed, report.text_fr()
    infos = [f.message_fr for f in report.check("pdfx").findings]
    assert infos == ["intention de sortie : FOGRA39 — Artifex CMYK SWOP Profile", "déclaré PDF/X-4"]


@needs_icc
def test_same_input_and_profile_give_same_bytes(tmp_path, x4):
    src = tmp_path / "src.pdf"
    again = add_output_intent(src, tmp_path / "again.pdf", ICC, title="Annuaire des services — Riom")
    assert again.read_bytes() == x4.read_bytes()
    other = add_output_intent(
        src, tmp_path / "other.pdf", ICC, condition="FOGRA51", title="Annuaire des services — Riom"
    )
    assert other.read_bytes() != x4.read_bytes()


@needs_icc
def test_in_place_and_idempotent_intent(tmp_path):
    src = samples.make_pdf(tmp_path / "same.pdf")
    add_output_intent(src, src, ICC)
    add_output_intent(src, src, ICC)
    with pikepdf.open(src) as pdf:
        assert len(pdf.Root.OutputIntents) == 1


@needs_icc
@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf n'est pas installé")
def test_qpdf_check_passes(x4):
    done = subprocess.run(["qpdf", "--check", str(x4)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@needs_icc
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) n'est pas installé")
def test_pdfinfo_reads_the_subtype(x4):
    out = subprocess.run(["pdfinfo", str(x4)], capture_output=True, text=True, check=True).stdout
    assert "PDF/X-4" in out


@needs_icc
@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript n'est pas installé")
def test_ghostscript_renders_the_output(x4):
    done = subprocess.run(["gs", "-q", "-o", "/dev/null", "-sDEVICE=nullpage", str(x4)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@needs_icc
def test_missing_trimbox_is_refused_in_french(tmp_path):
    src = samples.make_pdf(tmp_path / "notrim.pdf", trimbox=False)
    with pytest.raises(MissingTrimBox, match="pas de TrimBox"):
        add_output_intent(src, tmp_path / "out.pdf", ICC)
    assert not (tmp_path / "out.pdf").exists()


def test_rgb_profile_is_refused(tmp_path):
    rgb = tmp_path / "srgb.icc"
    header = bytearray(132)
    header[0:4] = (132).to_bytes(4, "big")
    header[12:16], header[16:20], header[36:40] = b"mntr", b"RGB ", b"acsp"
    rgb.write_bytes(bytes(header))
    with pytest.raises(InvalidIccProfile, match="non CMJN"):
        read_icc(rgb)


def test_non_icc_file_is_refused(tmp_path):
    fake = tmp_path / "fogra39.icc"
    fake.write_bytes(b"not a profile" * 20)
    with pytest.raises(InvalidIccProfile, match="n’est pas un profil ICC") as exc:
        add_output_intent(samples.make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", fake)
    assert isinstance(exc.value, ValueError) and isinstance(exc.value, AnnuaireError)


@needs_icc
def test_unsupported_version_is_refused(tmp_path):
    with pytest.raises(PdfxError, match="PDF/X-4"):
        add_output_intent(samples.make_pdf(tmp_path / "a.pdf"), tmp_path / "b.pdf", ICC, version="PDF/X-1a:2001")


@needs_icc
def test_preflight_flags_pdfx4_claim_below_pdf_16(tmp_path, x4):
    with pikepdf.open(x4) as pdf:
        pdf.save(tmp_path / "old.pdf", force_version="1.4")
    errors = [f.message_fr for f in preflight(tmp_path / "old.pdf").check("pdfx").errors]
    assert errors == ["PDF 1.4 : PDF/X-4 demande la version 1.6 au moins"]
