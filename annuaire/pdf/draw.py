"""Drawing on the ReportLab canvas: page geometry, boxes, marks, text, tabs.

Every page is drawn at trim + 2 × bleed (+ 2 × the mark area when crop marks
are asked for) and the origin is moved to the trim corner, so all other code
draws in trim coordinates (0..width, 0..height, points) and simply extends
edge-touching shapes by the bleed.  ReportLab's ``cropMarks``/``bleedWidth``
are not used: they scale the page content (measured), moving the margins.

The raw ``/TrimBox`` and ``/BleedBox`` keys are set on every page; MediaBox is
the page size (= BleedBox without marks).

Text of a column is drawn with a single text object, switching font and
colour only when they change: this is where the time goes in a
20,000-entry directory.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import CMYKColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from annuaire.pdf.layout import Cmyk, Layout, TextStyle
from annuaire.pdf.blocks import Block
from annuaire.pdf.canvas import compress_last_page, set_last_page_content
from annuaire.pdf.fonts import FontSet

MM = 72 / 25.4
BLACK = Cmyk(0, 0, 0, 1)
WHITE = Cmyk(0, 0, 0, 0)
REGISTRATION = Cmyk(1, 1, 1, 1)  # crop marks: on every plate
MARK_AREA = 10 * MM  # room for crop marks outside the bleed
MARK_LENGTH = 5 * MM


@dataclass(frozen=True)
class Geometry:
    """Page geometry in points, trim coordinates."""

    width: float
    height: float
    bleed: float
    marks: float  # width of the crop-mark area outside the bleed (0 without marks)
    inner: float
    outer: float
    top: float
    bottom: float
    columns: int
    gutter: float
    safe: float
    max_measure: float  # longest line of single-column pages

    @classmethod
    def of(cls, layout: Layout, bleed_mm: float, crop_marks: bool) -> "Geometry":
        return cls(
            width=layout.width * MM,
            height=layout.height * MM,
            bleed=bleed_mm * MM,
            marks=MARK_AREA if crop_marks else 0.0,
            inner=layout.margin_inner * MM,
            outer=layout.margin_outer * MM,
            top=layout.margin_top * MM,
            bottom=layout.margin_bottom * MM,
            columns=layout.columns,
            gutter=layout.gutter * MM,
            safe=layout.safe * MM,
            max_measure=layout.measure * MM,
        )

    @property
    def offset(self) -> float:
        return self.bleed + self.marks

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.width + 2 * self.offset, self.height + 2 * self.offset)

    @property
    def text_width(self) -> float:
        return self.width - self.inner - self.outer

    @property
    def measure(self) -> float:
        """Line length of single-column pages (contents, guide, credits):
        at most the layout's measure, as lines of 100 characters and more are
        hard to follow."""
        return min(self.text_width, self.max_measure)

    @property
    def column_width(self) -> float:
        return (self.text_width - (self.columns - 1) * self.gutter) / self.columns

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom

    def left(self, page: int) -> float:
        """x of the text area's left edge: the inner margin is left on rectos (odd pages)."""
        return self.inner if page % 2 else self.outer

    def column_x(self, page: int, col: int, ncols: int | None = None, gutter: float | None = None) -> float:
        ncols = ncols or self.columns
        gutter = self.gutter if gutter is None else gutter
        cw = (self.text_width - (ncols - 1) * gutter) / ncols
        return self.left(page) + col * (cw + gutter)

    @property
    def text_top(self) -> float:
        return self.height - self.top


def colour(c: Cmyk) -> CMYKColor:
    return CMYKColor(c.c, c.m, c.y, c.k)


class Painter:
    """Draws pages on one canvas; knows fonts and geometry."""

    def __init__(self, canvas: Canvas, geo: Geometry, fonts: FontSet, layout: Layout):
        self.c = canvas
        self.geo = geo
        self.fonts = fonts
        self.layout = layout
        self._colours: dict[Cmyk, CMYKColor] = {}
        self._fill_ops: dict = {}
        # fp_str of each coordinate met: a book's lines sit on a few hundred
        # distinct x and baseline positions, formatted again on every page.
        self._numbers: dict[float, str] = {}
        self._gs: tuple[str, str, str] | None = None
        self.encoder = TextEncoder(canvas)

    def col(self, c: Cmyk | None) -> CMYKColor:
        c = c or BLACK
        got = self._colours.get(c)
        if got is None:
            got = self._colours[c] = colour(c)
        return got

    # ------------------------------------------------------------ page frame

    def begin_page(self) -> None:
        g = self.geo
        c = self.c
        o = g.offset
        c.setPageSize(g.page_size)
        c.setTrimBox((o, o, o + g.width, o + g.height))
        c.setBleedBox((g.marks, g.marks, g.marks + g.width + 2 * g.bleed, g.marks + g.height + 2 * g.bleed))
        self._overprint_states()
        if g.marks:
            self.crop_marks()
        c.saveState()
        c.translate(o, o)

    def end_page(self) -> None:
        self.c.restoreState()
        self.c.showPage()
        compress_last_page(self.c)

    def page_drawn_elsewhere(self, content: bytes) -> None:
        """A page whose compressed content another process drew on its own
        canvas, from :meth:`begin_page` to :meth:`end_page` (see ``render``):
        the same page object as if drawn here.  The page size and boxes
        :meth:`begin_page` sets stay from the page before (never the first);
        the graphics states are registered again, as on every page."""
        self._overprint_states()
        self.c.showPage()
        set_last_page_content(self.c, content)

    def document_state(self) -> tuple:
        """What drawing may change in the document beyond the pages' own
        content: codes of characters in the font subsets, fonts named,
        objects registered (images, forms, annotations), destinations,
        characters found missing.  Pages drawn by another process are the
        same as pages drawn here only while this does not change."""
        c = self.c
        doc = c._doc
        fonts = []
        for name in self.fonts.names.values():
            state = pdfmetrics.getFont(name).state.get(doc)
            fonts.append(None if state is None else (len(state.assignments), len(state.subsets), state.internalName))
        return (
            len(doc.idToObject) - len(doc.Pages.pages),
            len(doc.fontMapping),
            len(doc.delayedFonts),
            tuple(fonts),
            len(getattr(c, "_destinations", ())),
            len(self.fonts.missing),
        )

    def last_page_is_plain(self) -> bool:
        """The page just shown uses no resource of its own beyond the three
        graphics states every page registers (no image, form, annotation,
        shading or separation colour)."""
        page = self.c._doc.Pages.pages[-1]
        states = page.ExtGState
        return (
            page.XObjects is None
            and not page.Annots
            and not page._colorsUsed
            and not page._shadingUsed
            and states is not None
            and len(states.dict) == len(self._gs or ())
        )

    def crop_marks(self) -> None:
        """Crop marks in registration colour (all four inks at 100 %), outside
        the bleed: they then print on every plate, and the printer aligns the
        plates on them.  Hairlines of 0.25 pt outside the page: the total ink
        limit does not apply to them."""
        g, c = self.geo, self.c
        o = g.offset
        c.saveState()
        c.setStrokeColor(self.col(REGISTRATION))
        c.setLineWidth(0.25)
        gap = g.bleed + 1 * MM  # marks start just outside the bleed
        length = max(g.marks - 2 * MM - (gap - g.bleed), 3 * MM)
        for x in (o, o + g.width):
            for y, sign in ((o, -1), (o + g.height, 1)):
                c.line(x, y + sign * gap, x, y + sign * (gap + length))
        for y in (o, o + g.height):
            for x, sign in ((o, -1), (o + g.width, 1)):
                c.line(x + sign * gap, y, x + sign * (gap + length), y)
        c.restoreState()

    # ------------------------------------------------------------ shapes

    def rect(self, x: float, y: float, w: float, h: float, fill: Cmyk) -> None:
        # Raw operators: thousands of pages each draw tabs and rules.
        self.c._code.append(f"{self._fill_op(fill)} {fp_str(x, y, w, h)} re f")

    def band(self, y: float, h: float, fill: Cmyk) -> None:
        """A full-width band running into the bleed on both sides."""
        b = self.geo.bleed
        self.rect(-b, y, self.geo.width + 2 * b, h, fill)

    def hline(self, x: float, y: float, w: float, thickness: float, fill: Cmyk) -> None:
        f = fill or BLACK
        self.c._code.append(
            f"{fp_str(f.c, f.m, f.y, f.k)} K {fp_str(max(thickness, 0.25))} w 0 J "
            f"{fp_str(x, y)} m {fp_str(x + w, y)} l S"
        )

    # ------------------------------------------------------------ text

    def text(
        self,
        x: float,
        y: float,
        text: str,
        style: TextStyle,
        fill: Cmyk | None = None,
        align: str = "left",
    ) -> float:
        """One line of text at baseline ``y``; returns its width."""
        text = self.fonts.clean(text)
        w = self.fonts.text_width(style.font, text) * style.size
        if align == "right":
            x -= w
        elif align == "center":
            x -= w / 2
        out = [self._fill_op(fill), "BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
        self.encoder.show(out, self.fonts.names[style.font], style.size, text, None)
        out.append("ET")
        self.c._code.append(" ".join(out))
        return w

    def column(self, x0: float, ytop: float, items: list[tuple[Block, float]], width: float) -> None:
        """Draw the blocks of one column: decorations first, then all text in one text object.

        The text operators are written directly (see :class:`TextEncoder`):
        ReportLab's text object re-measures and re-encodes every string through
        several Python layers, which dominated the drawing time."""
        c = self.c
        for b, y in items:
            for kind, dx, dy, w, h, fill in b.decor:
                if kind == "rect":
                    self.rect(x0 + dx, ytop - y - dy - h, w, h, fill)
                else:
                    self.hline(x0 + dx, ytop - y - dy, w, h, fill)
        names = self.fonts.names
        enc = self.encoder
        fill_op = self._fill_op
        numbers = self._numbers
        out = ["q BT"]
        cur_font = None
        cur_fill = 0  # never a Cmyk or None: forces the first colour
        width_of = self.fonts.width
        for b, y in items:
            base_y = ytop - y
            lines = b.lines
            i, n = 0, len(lines)
            while i < n:
                fmt, text = lines[i]
                style, size, x, base, fill = fmt
                if fill is not cur_fill:
                    out.append(fill_op(fill))
                    cur_fill = fill
                px, py = x0 + x, base_y - base
                sx = numbers.get(px)
                if sx is None:
                    sx = numbers[px] = fp_str(px)
                sy = numbers.get(py)
                if sy is None:
                    sy = numbers[py] = fp_str(py)
                out.append(f"1 0 0 1 {sx} {sy} Tm")
                j = i + 1
                if len(text) == 1:
                    # Glyphs placed one by one on a line (tabular phone
                    # digits): one TJ, the gaps as its adjustments.
                    while j < n:
                        f2, t2 = lines[j]
                        if len(t2) != 1 or f2[3] != base or f2[0] != style or f2[1] != size or f2[4] is not fill:
                            break
                        j += 1
                if j - i > 1:
                    chars = [t for _, t in lines[i:j]]
                    adjust = [
                        (lines[k][0][2] + width_of(style, lines[k][1]) * size - lines[k + 1][0][2]) * 1000.0 / size
                        for k in range(i, j - 1)
                    ]
                    cur_font = enc.show_spaced(out, names[style], size, chars, adjust, cur_font)
                else:
                    cur_font = enc.show(out, names[style], size, text, cur_font)
                i = j
            if b.ref is not None:
                cur_font, cur_fill = self._ref(out, b, x0, base_y, width, cur_font, cur_fill)
        out.append("ET Q")
        c._code.append(" ".join(out))

    def _fill_op(self, fill: Cmyk | None) -> str:
        """The operators setting a fill colour.  Black (K only) overprints
        (``op`` on, ``OPM`` 1): black text over a tint or a tab then prints
        over it without a white halo when the plates are slightly out of
        register.  Every other fill knocks out: white type reversed out of a
        colour must stay white."""
        op = self._fill_ops.get(fill)
        if op is None:
            f = fill or BLACK
            on, off, opm = self._overprint_states()
            if (f.c, f.m, f.y) == (0, 0, 0) and f.k > 0:
                op = f"/{opm} gs /{on} gs {fp_str(f.c, f.m, f.y, f.k)} k"
            else:
                op = f"/{off} gs {fp_str(f.c, f.m, f.y, f.k)} k"
            self._fill_ops[fill] = op
        return op

    def _overprint_states(self) -> tuple[str, str, str]:
        """Names of the graphics states: fill overprint on, off, overprint mode 1,
        registered in the canvas's ExtGState table.  ReportLab starts a new
        table on every page, so each page registers them again, first and in
        the same order: the names, and the cached operators, stay valid."""
        table = self.c._extgstate._c
        names = tuple(
            table.setdefault(key, f"gRLs{len(table)}") for key in (("op", "true"), ("op", "false"), ("OPM", 1))
        )
        if names != self._gs:
            self._gs = names
            self._fill_ops.clear()
        return names

    def _ref(self, out: list, b: Block, x0: float, base_y: float, width: float, cur_font, cur_fill):
        """Dot leaders and right-aligned reference on the block's last line."""
        style = b.ref_style
        fonts = self.fonts
        last = b.lines[-1] if b.lines else None  # ((font, size, x, baseline, colour), text)
        size = style.size
        name = fonts.names[style.font]
        if cur_fill is not None:
            out.append(self._fill_op(None))
            cur_fill = None
        ref = fonts.clean(b.ref)
        rw = fonts.text_width(style.font, ref) * size
        baseline = base_y - (last[0][3] if last else size)
        out.append(f"1 0 0 1 {fp_str(x0 + width - rw)} {fp_str(baseline)} Tm")
        cur_font = self.encoder.show(out, name, size, ref, cur_font)
        if last is not None:
            (lfont, lsize, lx, _, _), ltext = last
            end = lx + fonts.text_width(lfont, ltext) * lsize + 0.5 * size
            pitch = fonts.width(style.font, ". ") * size
            dot_w = fonts.width(style.font, ".") * size
            stop = width - rw - 0.4 * size
            # Dots on a fixed grid so the leaders of successive lines align.
            start = (int(end / pitch) + 1) * pitch
            n = int((stop - start + (pitch - dot_w)) / pitch)
            if n >= 2:
                out.append(f"1 0 0 1 {fp_str(x0 + start)} {fp_str(baseline)} Tm")
                cur_font = self.encoder.show(out, name, size, ". " * (n - 1) + ".", cur_font)
        return cur_font, cur_fill


# Characters outside ASCII that French directories print, given their codes
# before drawing a book large enough to be drawn by two processes (see
# ``render``): the accented letters of Latin-1, French quotes, dashes and
# spaces, the ligatures and the superscripts of « 1ᵉʳ ».  At most 159 fit
# in a subset's first 256 codes beside ASCII.
REPERTOIRE = "".join(chr(c) for c in range(0xC0, 0x100)) + "¡£§©«®°±²³µ·¹º»¼½¾¿ŒœŸʳᵉ–—‘’‚“”„•…‰‹›€™\u202f"


class TextEncoder:
    """Encodes text for ReportLab's TrueType subsets, with a fast path.

    ReportLab assigns each character a code in a 256-character subset the
    first time it is used (``TTFont.splitString``).  Once every character of
    a string is assigned in subset 0 — nearly always, French text uses about
    a hundred characters — the string is encoded with one ``str.translate``;
    otherwise ReportLab's own ``splitString`` does the work (and the
    assignments it makes are picked up)."""

    def __init__(self, canvas: Canvas):
        self.doc = canvas._doc
        self.escape = canvas._escape
        self._fonts: dict[str, list] = {}
        # Frozen: a character without its code is not given one; ``refused``
        # is set instead (and nothing shown).
        self.frozen = False
        self.refused = False

    def _entry(self, name: str) -> list:
        e = self._fonts.get(name)
        if e is None:
            font = pdfmetrics.getFont(name)
            font.splitString(" ", self.doc)  # creates the per-document state
            e = self._fonts[name] = [font, {}, frozenset(), font.getSubsetInternalName(0, self.doc)]
            self._refresh(e)
        return e

    def _refresh(self, e: list) -> None:
        font = e[0]
        state = font.state[self.doc]
        table = {code: n for code, n in state.assignments.items() if n < 256}
        if 32 in table:
            table[0xA0] = table[32]  # ReportLab prints U+00A0 with the space glyph
        e[1] = table
        e[2] = frozenset(chr(code) for code in table)

    def preassign(self, names, chars: str) -> None:
        """Give ``chars`` their codes now in every font of ``names`` (those
        the font has), in code-point order: text made of ASCII (whose codes
        ReportLab fixes) and of these characters then changes nothing in the
        document's fonts, whatever was drawn before it (see ``render``)."""
        ordered = "".join(sorted(set(chars)))
        for name in names:
            e = self._entry(name)
            e[0].splitString(ordered, self.doc)
            self._refresh(e)

    def _new_codes(self, font, text: str) -> bool:
        """Whether showing ``text`` would give a character its code now."""
        state = font.state.get(self.doc)
        if state is None:
            return True
        assigned = state.assignments
        cmap = font.face.charToGlyph
        return any(c not in assigned and c in cmap and c != 0xA0 for c in map(ord, text))

    def show_spaced(self, out: list, name: str, size: float, chars: list[str], adjust: list[float], cur):
        """Show ``chars`` in one TJ array, ``adjust[k]`` (thousandths of the
        size, with PDF's sign: negative moves right) between ``chars[k]`` and
        ``chars[k + 1]``."""
        e = self._entry(name)
        if not e[2].issuperset(chars):
            # Outside the fast path: a Tj per glyph, each moved by its adjustment.
            for k, ch in enumerate(chars):
                cur = self.show(out, name, size, ch, cur)
                if k < len(adjust):
                    out.append(f"[{fp_str(adjust[k])}] TJ")
            return cur
        key = (name, 0, size)
        if cur != key:
            out.append(f"{e[3]} {fp_str(size)} Tf")
            cur = key
        table, escape = e[1], self.escape
        parts = [f"({escape(chars[0].translate(table).encode('latin-1'))})"]
        for k in range(1, len(chars)):
            parts.append(f"{fp_str(adjust[k - 1])}({escape(chars[k].translate(table).encode('latin-1'))})")
        out.append(f"[{''.join(parts)}] TJ")
        return cur

    def show(self, out: list, name: str, size: float, text: str, cur):
        """Append the operators showing ``text``; returns the current (font, subset, size)."""
        e = self._entry(name)
        if e[2].issuperset(text):
            key = (name, 0, size)
            if cur != key:
                out.append(f"{e[3]} {fp_str(size)} Tf")
                cur = key
            out.append(f"({self.escape(text.translate(e[1]).encode('latin-1'))}) Tj")
            return cur
        font = e[0]
        if self.frozen and self._new_codes(font, text):
            # Another process draws this page: it must not number characters
            # (its numbers would not be the parent's); the parent draws it.
            self.refused = True
            return cur
        for subset, chunk in font.splitString(text, self.doc):
            key = (name, subset, size)
            if cur != key:
                out.append(f"{font.getSubsetInternalName(subset, self.doc)} {fp_str(size)} Tf")
                cur = key
            out.append(f"({self.escape(chunk)}) Tj")
        self._refresh(e)
        return cur
