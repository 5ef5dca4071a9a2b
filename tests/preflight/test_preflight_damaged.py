"""A PDF that is truncated, has no page, or is encrypted never passes the
preflight; a file qpdf cannot open at all is refused (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from annuaire.cli import main
from annuaire.preflight import UnreadablePdf, preflight

from preflight_readers import both_readers_agree  # noqa: F401 (autouse: both readers compared)


def _book(path: Path, pages: int = 40) -> Path:
    """A small multi-page PDF with trim and bleed boxes, written by pikepdf."""
    pdf = pikepdf.new()
    for n in range(pages):
        page = pdf.add_blank_page(page_size=(437, 612))
        page.obj.TrimBox = pikepdf.Array([8.5, 8.5, 428.5, 603.5])
        page.obj.BleedBox = pikepdf.Array([0, 0, 437, 612])
        page.obj.Contents = pdf.make_stream(f"0 0 0 1 k 50 {50 + n} 100 100 re f".encode())
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return path


def test_the_whole_file_passes(tmp_path):
    report = preflight(_book(tmp_path / "ok.pdf"))
    assert report.check("fichier").passed and report.passed


def test_a_truncated_file_fails(tmp_path):
    data = _book(tmp_path / "ok.pdf").read_bytes()
    half = tmp_path / "moitie.pdf"
    half.write_bytes(data[: len(data) * 2 // 3])
    report = preflight(half)
    assert not report.passed and not report.check("fichier").passed
    assert "tronqué" in report.text_fr() and "NON CONFORME" in report.text_fr()
    result = CliRunner().invoke(main, ["preflight", str(half)])
    assert result.exit_code == 1 and "conforme à tous" not in result.output


def test_a_file_without_pages_fails(tmp_path):
    pdf = pikepdf.new()
    pdf.save(tmp_path / "vide.pdf")
    report = preflight(tmp_path / "vide.pdf")
    assert report.pages == 0 and not report.passed
    assert "aucune page" in report.text_fr()


def test_an_encrypted_file_fails_even_without_a_password(tmp_path):
    src = _book(tmp_path / "ok.pdf")
    locked = tmp_path / "protege.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="imprimeur", user=""))
    report = preflight(locked)
    assert not report.check("fichier").passed and "chiffré" in report.text_fr()


def test_a_file_that_cannot_be_opened_is_refused(tmp_path):
    data = _book(tmp_path / "ok.pdf").read_bytes()
    stub = tmp_path / "debut.pdf"
    stub.write_bytes(data[:300])
    with pytest.raises(UnreadablePdf):
        preflight(stub)
    result = CliRunner().invoke(main, ["preflight", str(stub)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_nested_forms_drawn_many_times_do_not_hang_and_fail(tmp_path):
    """Nine nested forms, each drawing the next ten times: 10⁹ placements in a
    few KB.  The work is bounded and the report says the page was not fully
    checked."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(437, 612))
    page.obj.TrimBox = pikepdf.Array([8.5, 8.5, 428.5, 603.5])
    page.obj.BleedBox = pikepdf.Array([0, 0, 437, 612])
    inner = pdf.make_stream(
        b"0 0 0 1 k 0 0 1 1 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10]
    )
    for _ in range(9):
        inner = pdf.make_stream(
            b"q /F Do Q " * 10,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=[0, 0, 10, 10],
            Resources=pikepdf.Dictionary(XObject={"/F": inner}),
        )
    page.obj.Resources = pikepdf.Dictionary(XObject={"/F": inner})
    page.obj.Contents = pdf.make_stream(b"/F Do")
    path = tmp_path / "gigogne.pdf"
    pdf.save(path)
    assert path.stat().st_size < 5000
    report = preflight(path)
    assert not report.passed
    assert "analyse arrêtée" in report.text_fr() and not report.check("contenu").passed
