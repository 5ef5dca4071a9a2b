"""The cover of a perfect-bound book, as one spread: back, spine, front.

Printers of perfect-bound books want the cover as a separate file, flat,
with bleed all round: width = 2 × page width + spine (+ 2 × bleed), where
the spine is pages ÷ 2 × sheet thickness (at least 3 mm).  The TrimBox is the
finished flat cover.  Spine text (title and territory, reading bottom to top
as French spines traditionally do) is set only when the spine is at least 8 mm
wide and holds type at the layout's smallest size (14 pt in large print):
thinner spines are left blank, and the build log says so.
"""

from __future__ import annotations

from pathlib import Path

from annuaire import output
from annuaire.pdf.blocks import MM, Typesetter, date_fr
from annuaire.pdf.canvas import no_a85, open_canvas
from annuaire.pdf.draw import WHITE, Geometry, Painter
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.layout import Cmyk, Layout, TextStyle
from annuaire.pdf.pages import SpecialPages

SPINE_TEXT_MM = 8.0  # narrower spines carry no text


def write_cover(
    path: Path,
    spine_mm: float,
    *,
    directory,
    layout: Layout,
    geo: Geometry,
    fonts: FontSet,
    typesetter: Typesetter,
    colour: Cmyk,
    author: str | None,
    urgence_page: int | None,
) -> list[str]:
    """Write the cover spread (back, spine, front) of a book to ``path``;
    returns what the build log should say about it (a spine left blank).

    ``geo`` is the book's page geometry, ``typesetter`` its full-measure
    typesetter, ``colour`` the cover's band colour."""
    said: list[str] = []
    g0 = geo
    spine = spine_mm * MM
    d = directory
    width = 2 * g0.width + spine
    o = g0.offset
    size = (width + 2 * o, g0.height + 2 * o)
    with no_a85(), output.replacing(path) as tmp:
        c = open_canvas(
            tmp,
            size,
            fonts,
            d.edition_date,
            title=f"Couverture — {d.title} — {d.subtitle} — {d.territory}",
            author=author or d.publisher or "annuaire",
        )
        c.setTrimBox((o, o, o + width, o + g0.height))
        c.setBleedBox((g0.marks, g0.marks, size[0] - g0.marks, size[1] - g0.marks))
        painter = Painter(c, g0, fonts, layout)
        if g0.marks:
            # Crop marks at the corners of the whole spread.
            from dataclasses import replace

            painter.geo = replace(g0, width=width)
            painter.crop_marks()
            painter.geo = g0
        special = SpecialPages(painter, typesetter, d)

        # Back cover on the left (an even page: inner margin on the right).
        c.saveState()
        c.translate(o, o)
        special.back_cover(colour, urgence_page)
        c.restoreState()
        # Spine: the band colour across it, bleeding top and bottom.
        c.saveState()
        c.translate(o + g0.width, o)
        painter.rect(0, -g0.bleed, spine, g0.height + 2 * g0.bleed, colour)
        # The spine's type: a third of its width, 16 pt at most, and never
        # under the smallest type of the layout (14 pt in large print) nor
        # under 8 pt; a thinner spine is left without text, and the build
        # log says so.
        fs = min(16.0, spine * 0.35)
        floor = max(8.0, smallest_size(layout))
        if spine_mm < SPINE_TEXT_MM or fs < floor:
            said.append(
                f"Dos de {spine_mm:.1f} mm".replace(".", ",")
                + f" trop étroit pour un texte d’au moins {floor:g} pt : la couverture est imprimée sans texte au dos."
            )
        else:
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
    return said


def smallest_size(layout: Layout) -> float:
    """The smallest type size the layout's styles use (14 pt in large print)."""
    st = layout.styles
    return min(getattr(st, name).size for name in st.__dataclass_fields__)
