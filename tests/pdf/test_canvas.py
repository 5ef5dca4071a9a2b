"""The canvas set-up: pages compressed as soon as they are shown, same bytes."""

from datetime import date

from reportlab.pdfbase.pdfdoc import PDFStream

from annuaire.pdf.canvas import compress_last_page, no_a85, open_canvas
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.layout import load_layout


def _book(path, *, early: bool):
    fonts = FontSet(load_layout("a5").fonts)
    with no_a85():
        c = open_canvas(path, (420, 595), fonts, date(2026, 12, 1), title="Essai", author="annuaire")
        kept = []
        for n in range(3):
            c.setFont(fonts.names["regular"], 9)
            for i in range(40):
                c.drawString(
                    40, 560 - 12 * i, f"Page {n + 1}, ligne {i + 1} : Pharmacie du Centre 04 73 38 00 0{i % 10}"
                )
            c.showPage()
            if early:
                compress_last_page(c)
            kept.append(c._doc.Pages.pages[-1])
        # What the memory gain rests on: the page's text is gone, its stream is compressed bytes.
        if early:
            assert all(p.stream is None and isinstance(p.Contents, PDFStream) for p in kept)
            assert all(isinstance(p.Contents.content, bytes) for p in kept)
        c.save()
    return path.read_bytes()


def test_pages_compressed_when_shown_give_the_same_bytes(tmp_path):
    assert _book(tmp_path / "early.pdf", early=True) == _book(tmp_path / "late.pdf", early=False)
