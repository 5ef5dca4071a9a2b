"""The cover of a perfect-bound book, as one spread: back, spine, front.

Printers of perfect-bound books want the cover as a separate file, flat,
with bleed all round: width = 2 × page width + spine (+ 2 × bleed), where
the spine is pages ÷ 2 × sheet thickness (at least 3 mm).  The TrimBox is the
finished flat cover.  Spine text (title and territory, reading bottom to top
as French spines traditionally do) is set only when the spine is at least 8 mm wide:
thinner spines cannot hold readable type safely.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from annuaire import output
from annuaire.pdf.layout import TextStyle
from annuaire.pdf.blocks import MM, date_fr
from annuaire.pdf.draw import WHITE, Geometry, Painter
from annuaire.pdf.pages import SpecialPages


def write_cover(renderer, path: Path, spine_mm: float) -> None:
    """Write the cover spread of ``renderer``'s book to ``path``."""
    from annuaire.pdf.render import SPINE_TEXT_MM, _no_a85

    g0: Geometry = renderer.geo
    spine = spine_mm * MM
    d = renderer.d
    layout = renderer.layout
    fonts = renderer.fonts
    width = 2 * g0.width + spine
    o = g0.offset
    size = (width + 2 * o, g0.height + 2 * o)
    stamp = d.edition_date.strftime("D:%Y%m%d000000+00'00'")
    colour = renderer.cover_colour()
    with _no_a85(), output.replacing(path) as tmp:
        c = Canvas(
            str(tmp),
            pagesize=size,
            invariant=1,
            pageCompression=1,
            initialFontName=fonts.names["regular"],
            enforceColorSpace="cmyk",
        )
        c.setDateFormatter(lambda *a: stamp)
        c.setTitle(f"Couverture — {d.title} — {d.subtitle} — {d.territory}")
        c.setAuthor(renderer.opt.author or d.publisher or "annuaire")
        c.setCreator("annuaire (annuaires papier des services publics)")
        c.setTrimBox((o, o, o + width, o + g0.height))
        c.setBleedBox((g0.marks, g0.marks, size[0] - g0.marks, size[1] - g0.marks))
        painter = Painter(c, g0, fonts, layout)
        if g0.marks:
            # Crop marks at the corners of the whole spread.
            from dataclasses import replace

            painter.geo = replace(g0, width=width)
            painter.crop_marks()
            painter.geo = g0
        special = SpecialPages(painter, renderer.full_ts, d)

        # Back cover on the left (an even page: inner margin on the right).
        c.saveState()
        c.translate(o, o)
        special.back_cover(colour, renderer.urgence_page)
        c.restoreState()
        # Spine: the band colour across it, bleeding top and bottom.
        c.saveState()
        c.translate(o + g0.width, o)
        painter.rect(0, -g0.bleed, spine, g0.height + 2 * g0.bleed, colour)
        if spine_mm >= SPINE_TEXT_MM:
            fs = max(8.0, min(16.0, spine * 0.35))
            style = TextStyle("bold", fs, fs * 1.2)
            text = f"{special.book_title()} — {d.subtitle} — {d.territory} — {date_fr(d.edition_date)}"
            room = g0.height - 2 * g0.top
            while fonts.text_width("bold", fonts.clean(text)) * fs > room and " — " in text:
                text = text.rsplit(" — ", 1)[0]
            # Read from bottom to top, as French spines traditionally are.
            c.translate(spine / 2 + fs * 0.35, g0.height / 2)
            c.rotate(90)
            painter.text(0, 0, text, style, WHITE, align="center")
        c.restoreState()
        # Front cover on the right.
        c.saveState()
        c.translate(o + g0.width + spine, o)
        special.cover(colour)
        c.restoreState()
        c.showPage()
        c.save()
