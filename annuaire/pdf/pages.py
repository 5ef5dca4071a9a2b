"""Whole pages that do not flow: cover, guide, openers, emergency numbers, notes, back cover.

Printed text is French with French typography (non-breaking spaces before
« : », around numbers).  Everything here draws in trim coordinates through a
:class:`~annuaire.pdf.draw.Painter`; text stays inside the margins, only
colour bands run into the bleed.
"""

from __future__ import annotations

from annuaire.pdf.layout import Cmyk, TextStyle
from annuaire.pdf.blocks import MM, NBSP, Block, date_fr
from annuaire.pdf import age
from annuaire.pdf.draw import WHITE, Painter

# Only numbers we are sure of, national and free of charge.
EMERGENCY = (
    ("15", "SAMU", "Urgence médicale : malaise, accident, détresse."),
    ("17", "Police secours", "Police ou gendarmerie : agression, vol, violence."),
    ("18", "Sapeurs-pompiers", "Incendie, accident, personne en danger."),
    ("112", "Numéro d’urgence européen", "Depuis un téléphone portable, partout en Europe."),
    ("114", "Urgences pour personnes sourdes ou malentendantes", "Par SMS, fax ou visio, 24 h sur 24."),
    ("115", "SAMU social", "Personne sans abri en détresse, hébergement d’urgence."),
    ("119", "Allô enfance en danger", "Enfant en danger ou en risque de l’être."),
    ("116 117", "Médecin de garde", "Le soir, la nuit et le week-end, quand le cabinet est fermé."),
    ("3919", "Violences femmes info", "Écoute et orientation, anonyme et gratuit."),
)

GREY = Cmyk(0, 0, 0, 0.5)  # writing lines: pale lines stay ≥ 40 % ink


def _fr(text: str) -> str:
    """Non-breaking spaces before « : ; ! ? » in fixed texts."""
    for p in (":", ";", "!", "?"):
        text = text.replace(f" {p}", f"{NBSP}{p}")
    return text


def _phrases(text: str) -> str:
    """« Services publics · Action sociale et santé · … » breaks only at the
    separators: each theme's label stays on one line of the cover."""
    if " · " not in text:
        return text
    return f"{NBSP}· ".join(part.replace(" ", NBSP) for part in text.split(" · "))


COMPACT_PAD = 2.5 * MM  # inside the compact opener's band, above and below the title
COMPACT_GAP = 2.0 * MM  # between the band and the key to the sources
COMPACT_AFTER = 5.0 * MM  # between the head and the first column


def compact_style(styles) -> TextStyle:
    """The title of a compact opener: the size of the page titles, bold."""
    return TextStyle("bold", styles.page_title.size, styles.page_title.leading)


def _compact_parts(ts, styles, label: str, sources: str, width: float):
    """(band height, title block, sources block) of a compact opener ``width`` wide."""
    title = Block("text", "", label)
    th = ts.para(title, label, compact_style(styles), 0.0, width - 2 * COMPACT_PAD, 0.0, hyphenate=False)
    src = Block("text", "", sources)
    if sources:
        src.height = ts.para(src, _fr(sources), styles.body, 0.0, width, 0.0)
    return th + 2 * COMPACT_PAD, title, src


def compact_opener_height(ts, styles, width: float, label: str, sources: str) -> float:
    """The height a compact opener takes at the top of its page (the columns
    start below it)."""
    band, _, src = _compact_parts(ts, styles, label, sources, width)
    return band + (COMPACT_GAP + src.height if src.height else 0.0) + COMPACT_AFTER


def cmyk_image(path):
    """A PNG or JPEG as a CMYK Pillow image: transparency flattened on white
    paper, then black generated from the grey part of each colour (full grey
    component replacement), so that black prints on the black plate alone and
    no pixel carries more than 200 % of ink."""
    from PIL import Image, ImageChops

    with Image.open(path) as im:
        im.load()
        if im.mode == "CMYK":
            return im.copy()
        rgba = im.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    c, m, y, _ = flat.convert("CMYK").split()
    k = ImageChops.darker(ImageChops.darker(c, m), y)
    return Image.merge("CMYK", tuple(ImageChops.subtract(v, k) for v in (c, m, y)) + (k,))


class SpecialPages:
    """Draws the pages that are not flowed columns."""

    def __init__(self, painter: Painter, typesetter, directory):
        self.p = painter
        self.ts = typesetter
        self.d = directory
        self.st = painter.layout.styles
        self._logo: dict = {}

    # ------------------------------------------------------------ helpers

    def book_title(self) -> str:
        """The directory's title; the pipeline may pass the theme as title, the cover still says what the book is."""
        d = self.d
        return d.title if d.title and d.title != d.subtitle else "Annuaire des services"

    def paragraph(
        self,
        text: str,
        style: TextStyle,
        x: float,
        y_top: float,
        width: float,
        fill: Cmyk | None = None,
        balanced: bool = False,
    ) -> float:
        """Wrap and draw a paragraph from ``y_top`` (trim coordinates); returns the y below it.

        ``balanced`` (display lines: titles, territory) narrows the measure
        as far as the line count allows, so that a title does not end on one
        short word (« Communauté de communes Hautes / Terres »)."""
        text = _fr(text)
        if balanced:
            width = self._balanced_width(text, style, width)
        b = Block("text", "", text)
        h = self.ts.para(b, text, style, 0.0, width, 0.0, colour=fill, hyphenate=False if balanced else None)
        for sname, size, dx, base, t, f in b.unpacked():
            self.p.text(x + dx, y_top - base, t, TextStyle(sname, size, style.leading), f)
        return y_top - h

    def _height(self, text: str, style: TextStyle, width: float) -> float:
        """Height :meth:`paragraph` would take, without drawing."""
        return self.ts.para(Block("text", "", _fr(text)), _fr(text), style, 0.0, width, 0.0)

    def _balanced_width(self, text: str, style: TextStyle, width: float) -> float:
        wrap = self.ts.breaker.wrap
        clean = self.ts.fonts.clean(text)
        n = len(wrap(clean, style.font, style.size, width, "", False))
        if n < 2:
            return width
        lo, hi = width / 2, width
        while hi - lo > 2.0:
            mid = (lo + hi) / 2
            # A probe that had to cut a word is too narrow; its warning is
            # not kept.
            warnings = self.ts.breaker.warnings
            before = len(warnings)
            got = len(wrap(clean, style.font, style.size, mid, "", False))
            cut = len(warnings) > before
            del warnings[before:]
            if got == n and not cut:
                hi = mid
            else:
                lo = mid
        return hi

    # ------------------------------------------------------------ cover

    def cover(self, colour: Cmyk, with_band: bool = True) -> None:
        """Front cover: a colour band bleeding off the top and sides, the title reversed."""
        g = self.p.geo
        st = self.st
        band_h = g.height * self.p.layout.bands.cover
        band_y = g.height - band_h
        if with_band:
            self.p.band(band_y, band_h + g.bleed, colour)
            # The band also runs off the top: extend by the bleed.
        x = g.inner  # a right-hand page: the binding is on the left
        w = g.width - g.inner - g.outer
        fill = WHITE if with_band else None
        y = g.height - g.top - 20 * MM
        y = self.paragraph(self.book_title(), st.cover_title, x, y, w, fill, balanced=True)
        y -= 6 * MM
        # A list of themes fills its lines from the left: balanced, it would
        # leave « Services publics · » alone on the first line of an A4 cover.
        y = self.paragraph(
            _phrases(self.d.subtitle), st.cover_subtitle, x, y, w, fill, balanced=" · " not in self.d.subtitle
        )
        y = band_y - 14 * MM
        y = self.paragraph(self.d.territory, st.cover_subtitle, x, y, w, balanced=True)
        y -= 4 * MM
        self.paragraph(f"Édition du {date_fr(self.d.edition_date)}", st.toc_theme, x, y, w)
        foot = g.bottom
        if self.d.publisher:
            self.paragraph(self.d.publisher, st.body, x, g.bottom + 4 * MM, w)
            foot = g.bottom + 4 * MM + 2 * MM
        logo = self.d.edition.logo if self.d.edition is not None else None
        if logo is not None:
            self.logo(logo, x, foot, w)

    def logo(self, path, x: float, y: float, width: float) -> None:
        """The publisher's logo, its foot at ``y``: at most 7 % of the page high
        and half the text width wide, and never larger than 300 ppi allows (a
        small image prints small rather than blurred).  Embedded in CMYK: the
        press prints four inks, and an RGB image would fail the preflight."""
        from reportlab.lib.utils import ImageReader

        img = self._logo.get(path)
        if img is None:
            img = self._logo[path] = cmyk_image(path)
        g = self.p.geo
        px_w, px_h = img.size
        scale = min(g.height * 0.07 / px_h, width * 0.5 / px_w, 72 / 300)
        self.p.c.drawImage(ImageReader(img), x, y, px_w * scale, px_h * scale)

    def back_cover(self, colour: Cmyk, urgence_page: int | None = None) -> None:
        """Back cover: the four numbers everyone must find at once, and the edition."""
        g = self.p.geo
        st = self.st
        x = g.outer
        w = g.width - g.inner - g.outer
        band_h = g.height * self.p.layout.bands.back_cover
        self.p.band(-g.bleed, band_h + g.bleed, colour)
        y = g.height - g.top - 8 * MM
        y = self.paragraph("En cas d’urgence", st.page_title, x, y, w)
        y -= 4 * MM
        big = TextStyle("bold", st.page_title.size * 1.2, st.page_title.size * 1.5)
        # What each number is for, large enough to read at a glance and on
        # the numbers' baseline, in a column clear of the widest number.
        label_st = st.toc_theme
        col = max(self.p.fonts.text_width("bold", num) * big.size for num, _, _ in EMERGENCY[:4]) + 6 * MM
        for num, label, _ in EMERGENCY[:4]:
            self.p.text(x, y - big.size, num, big)
            first_base = (label_st.leading + label_st.size) / 2 - 0.22 * label_st.size  # as Typesetter.para
            self.paragraph(label, label_st, x + col, y - big.size + first_base, w - col)
            y -= big.leading
        y -= 4 * MM
        # At the end of the book or facing the first opener: the page says where.
        where = f"page{NBSP}{urgence_page}" if urgence_page else "à la fin de l’annuaire"
        self.paragraph(f"Les autres numéros d’urgence sont {where}.", st.body, x, y, w)
        y = band_h - 10 * MM
        y = self.paragraph(
            f"{self.book_title()} — {_phrases(self.d.subtitle)} — {self.d.territory}", st.toc_group, x, y, w, WHITE
        )
        # Reversed (white) type stays bold and ≥ 8 pt.
        self.paragraph(f"Édition du {date_fr(self.d.edition_date)}", st.toc_group, x, y - 2 * MM, w, WHITE)

    def title_page(self, colour: Cmyk) -> None:
        """First page of a perfect-bound book (its cover is a separate file)."""
        self.cover(colour, with_band=False)

    # ------------------------------------------------------------ guide

    def guide(self, page: int, refs: dict[str, int], colophon_page: int | None) -> None:
        """Inside cover: how the directory is arranged, and how old the data is."""
        g = self.p.geo
        st = self.st
        x = g.left(page)
        w = g.measure
        y = g.text_top
        y = self.paragraph("Comment utiliser cet annuaire", st.page_title, x, y, w, balanced=True)
        y -= 4 * MM
        parts = [
            "Les services sont classés par thème, puis par type de service (par exemple « Pharmacie »). "
            "Pour chaque type, ils sont rangés par commune, puis par nom.",
            "Le sommaire, page\u00a03, donne la page de chaque type de service. Les onglets de couleur au bord "
            "des pages vous aident à trouver chaque partie.",
        ]
        if "names" in refs and "communes" in refs:
            parts.append(
                f"Vous connaissez le nom d’un service ? Cherchez-le dans l’index des noms, page{NBSP}{refs['names']}. "
                f"Vous cherchez ce qui existe près de chez vous ? L’index des communes est page{NBSP}{refs['communes']}."
            )
        elif "names" in refs:
            parts.append(
                f"Vous connaissez le nom d’un service ? Cherchez-le dans l’index des noms, page{NBSP}{refs['names']}."
            )
        # Made today, but how old is what it says: the range of the data's dates.
        parts.append(age.guide_text(self.d, self.p.layout.entry.old_after_months))
        if colophon_page:
            parts.append(
                "La lettre en exposant après le nom d’un service renvoie à la source de l’information, "
                f"expliquée au début de chaque partie et page{NBSP}{colophon_page}."
            )
        if refs.get("urgence"):
            # In the front matter when they fill the page before the first opener.
            at_end = colophon_page is None or refs["urgence"] > colophon_page
            where = ", à la fin de l’annuaire" if at_end else ""
            parts.append(f"Les numéros d’urgence sont page{NBSP}{refs['urgence']}{where}.")
        else:
            parts.append("Les numéros d’urgence sont à la fin de l’annuaire.")
        for t in parts:
            y = self.paragraph(t, st.body, x, y, w)
            y -= st.body.leading * 0.6

    # ------------------------------------------------------------ openers

    def opener(
        self, page: int, label: str, colour: Cmyk, items: list[tuple[str, int, Cmyk]], sources: str = ""
    ) -> None:
        """Theme opener: a colour band with the theme reversed, then its groups
        and pages, and at the foot the key to the sources (``sources``)."""
        g = self.p.geo
        st = self.st
        band_h = g.height * self.p.layout.bands.opener
        self.p.band(g.height - band_h, band_h + g.bleed, colour)
        x = g.left(page)
        w = g.measure
        # The title is a display line: the whole text width, never hyphenated,
        # its last line 14 mm above the foot of the band however many lines.
        tb = Block("text", "", label)
        self.ts.para(
            tb, label, st.theme, 0.0, self._balanced_width(label, st.theme, g.text_width), 0.0, hyphenate=False
        )
        lines = tb.unpacked()
        y_top = g.height - band_h + 14 * MM + (lines[-1][3] if lines else 0.0)
        for sname, size, dx, base, t, f in lines:
            self.p.text(x + dx, y_top - base, t, st.theme, WHITE)
        y = g.height - band_h - 12 * MM
        # The groups in the contents' theme size when they fit above the folio
        # (this page is where a reader starts), else in the group size.
        ts = self.st.toc_theme
        need = 0.0
        for text, _, _ in items:
            probe = Block("text", "", text)
            need += self.ts.para(probe, text, ts, 0, w - 24 * MM, 0, hyphenate=False) + 3 * MM
        if y - need < g.bottom:
            ts = self.st.toc_group
        fonts = self.p.fonts
        pitch = fonts.width(ts.font, ". ") * ts.size
        for text, num, sw in items:
            self.p.rect(x, y - ts.size * 0.95, 4 * MM, ts.size * 1.05, sw)
            b = Block("text", "", text)
            h = self.ts.para(b, text, ts, 0, w - 24 * MM, 0, hyphenate=False)
            lines = b.unpacked()
            for sname, size, dx, base, t, f in lines:
                self.p.text(x + 7 * MM + dx, y - base, t, ts)
            last = lines[-1]
            baseline = y - last[3]
            nw = self.p.text(x + w, baseline, str(num), ts, align="right")
            # Dot leaders carry the eye from the group to its page.
            end = 7 * MM + last[2] + fonts.text_width(ts.font, last[4]) * ts.size + 0.5 * ts.size
            start = (int(end / pitch) + 1) * pitch
            n = int((w - nw - 0.4 * ts.size - start) / pitch)
            if n >= 2:
                self.p.text(x + start, baseline, ". " * (n - 1) + ".", TextStyle("regular", ts.size, ts.leading))
            y -= h + 3 * MM
        if sources:
            probe = Block("text", "", sources)
            h = self.ts.para(probe, _fr(sources), st.body, 0, w, 0)
            if y - 4 * MM - h >= g.bottom:
                self.paragraph(sources, st.body, x, g.bottom + h, w)

    def compact_opener(self, page: int, label: str, colour: Cmyk, sources: str = "") -> None:
        """The head of a theme too short for a whole-page opener, at the top of
        its first page: a band in the theme's colour across the text width with
        the title reversed, then the key to its sources.  Its height is
        :func:`compact_opener_height` (the columns were flowed below it)."""
        g = self.p.geo
        x = g.left(page)
        w = g.text_width
        band, title, src = _compact_parts(self.ts, self.st, label, sources, w)
        top = g.text_top
        self.p.rect(x, top - band, w, band, colour)
        for sname, size, dx, base, t, f in title.unpacked():
            self.p.text(x + COMPACT_PAD + dx, top - COMPACT_PAD - base, t, TextStyle(sname, size, size), WHITE)
        y = top - band - COMPACT_GAP
        for sname, size, dx, base, t, f in src.unpacked():
            self.p.text(x + dx, y - base, t, TextStyle(sname, size, size), f)

    # ------------------------------------------------------------ back matter

    def emergency(self, page: int) -> None:
        g = self.p.geo
        st = self.st
        x = g.left(page)
        w = g.measure
        y = g.text_top
        y = self.paragraph("Numéros d’urgence", st.page_title, x, y, w)
        y = self.paragraph("Appels gratuits, 24 heures sur 24, 7 jours sur 7.", st.body, x, y - 1 * MM, w)
        y -= 3 * MM
        num_style = TextStyle("bold", st.toc_theme.size * 1.25, st.toc_theme.leading * 1.25)
        # The number column is as wide as the widest number (« 116 117 » in
        # large print is wider than any fixed column), plus a clear gap.
        widest = max(self.p.fonts.text_width("bold", num.replace(" ", NBSP)) for num, _, _ in EMERGENCY)
        col = max(24 * MM if g.text_width < 140 * MM else 30 * MM, widest * num_style.size + 4 * MM)
        drop = num_style.size - st.toc_group.size  # the label's first baseline sits on the number's
        room = y - g.bottom

        def heights(width: float, with_what: bool) -> list[float]:
            return [
                max(
                    drop
                    + self._height(label, st.toc_group, width - col)
                    + (self._height(what, st.body, width - col) if with_what else 0.0),
                    num_style.leading,
                )
                for _, label, what in EMERGENCY
            ]

        # Measured before drawing: in large print the nine numbers fill the
        # page, so the list may take the whole text width rather than the
        # reading measure, then the space between numbers shrinks; the
        # descriptions go only if even that fails.  Nothing runs into the folio.
        for width, with_what in ((w, True), (g.text_width, True), (w, False)):
            hs = heights(width, with_what)
            if sum(hs) <= room:
                break
        w = width
        gap = max(0.0, min(2.2 * MM, (room - sum(hs)) / len(hs)))
        for num, label, what in EMERGENCY:
            self.p.text(x, y - num_style.size, num.replace(" ", NBSP), num_style)
            y2 = self.paragraph(label, st.toc_group, x + col, y - drop, w - col)
            if with_what:
                y2 = self.paragraph(what, st.body, x + col, y2, w - col)
            y = min(y2, y - num_style.leading) - gap
        y -= 2 * MM
        # « Mes numéros » only with room for at least two lines to write on.
        if y - st.toc_theme.leading - 2 * MM - st.body.leading * 2.9 < g.bottom:
            return
        y = self.paragraph("Mes numéros", st.toc_theme, x, y, w)
        y -= 2 * MM
        for label in ("Mon médecin", "Ma pharmacie", "Ma mairie", "Un proche", "Un voisin"):
            if y - st.body.leading < g.bottom:
                break
            lw = self.p.text(x, y - st.body.size, _fr(f"{label} :"), st.body)
            self.p.hline(x + lw + 2 * MM, y - st.body.size - 1, w - lw - 2 * MM, 0.5, GREY)
            y -= st.body.leading * 1.9

    def notes(self, page: int) -> None:
        g = self.p.geo
        st = self.st
        x = g.left(page)
        w = g.measure
        y = self.paragraph("Notes", st.page_title, x, g.text_top, w)
        step = max(st.body.leading * 2.0, 9 * MM)
        y -= step
        while y > g.bottom:
            self.p.hline(x, y, w, 0.5, GREY)
            y -= step
