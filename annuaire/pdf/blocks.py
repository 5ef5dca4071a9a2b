"""Content as blocks of lines with known heights.

Every piece of the flowing text (an entry, a heading, a contents line, an
index line) becomes a :class:`Block`: its lines already broken, each line
with its font, size, offset and baseline, the block's height, the space it
wants above (dropped at the top of a column) and whether it must stay with
the next block (headings).  Blocks are built once and never re-wrapped:
pagination only stacks heights.

Coordinates inside a block are points from the block's top-left corner,
y downwards.  ``ref`` is the right-aligned page reference of contents and
index lines, drawn after dot leaders on the last line.
"""

from __future__ import annotations


from annuaire.pdf.layout import Cmyk, Layout, TextStyle
from annuaire.model import Entry
from annuaire.text import french as _french
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.lines import Breaker

MM = 72 / 25.4
NBSP = "\u00a0"

# French dates and numbers: annuaire.text.french (re-exported for the engine's modules).
date_fr = _french.date_fr
number_fr = _french.number_fr


class Block:
    """A piece of flowing text that is never split across columns."""

    __slots__ = (
        "kind",
        "key",
        "text",
        "lines",
        "height",
        "space_before",
        "keep",
        "decor",
        "parent",
        "suite",
        "sect",
        "ref",
        "ref_style",
        "ref_width",
        "ref_text",
        "place",
        "break_before",
    )

    def __init__(self, kind: str, key: str, text: str):
        self.kind = kind
        self.key = key
        self.text = text
        # (format, text); format = (style, size, x, baseline, colour or None for black),
        # one tuple shared by all lines that have it (see Typesetter.para)
        self.lines: list[tuple] = []
        self.height = 0.0
        self.space_before = 0.0
        self.keep = False  # keep with next block
        self.decor: list[tuple] = []  # ('rect'|'hline', x, y, w, h, Cmyk)
        self.parent: "Block | None" = None  # the heading this block continues
        self.suite: "Block | None" = None  # for headings: the '(suite)' block
        self.sect: tuple = ()  # (theme index, group index) for running heads/tabs
        self.ref: str | None = None
        self.ref_style: TextStyle | None = None
        self.ref_width = 0.0  # width reserved on the right for ``ref``
        self.ref_text: str | None = None  # the reference as printed, for the page log
        self.place: str | None = None  # an entry's commune, for the dictionary running heads
        self.break_before = 0  # a big section starts a new column (1) or page (2)

    def __repr__(self) -> str:
        return f"Block({self.kind!r}, {self.key!r}, h={self.height:.1f})"

    def unpacked(self):
        """Lines as (style, size, x, baseline, text, colour) tuples."""
        return [(f[0], f[1], f[2], f[3], t, f[4]) for f, t in self.lines]


class Typesetter:
    """Builds blocks for one layout and column width."""

    def __init__(self, layout: Layout, fonts: FontSet, breaker: Breaker, column_width: float):
        self.layout = layout
        self.fonts = fonts
        self.breaker = breaker
        self.cw = column_width
        self.st = layout.styles
        self.indent = layout.entry.indent * MM
        self._fmts: dict[tuple, tuple] = {}

    # ------------------------------------------------------------ primitives

    def para(
        self,
        block: Block,
        text: str | None,
        style: TextStyle,
        x: float,
        width: float,
        y: float,
        colour: Cmyk | None = None,
        hang: float = 0.0,
        hyphenate: bool | None = None,
    ) -> float:
        """Set ``text`` as lines at ``y``; returns the y below them.

        ``hang`` indents lines after the first (long names and labels)."""
        text = self.fonts.clean(text or "")
        if not text:
            return y
        size, leading = style.size, style.leading
        if hyphenate is None:
            # Only running text is hyphenated: bold lines are names and
            # headings, read at a glance.
            hyphenate = style.font in ("regular", "italic")
        base = (leading + size) / 2 - 0.22 * size
        if hang:
            first = self.breaker.wrap(text, style.font, size, width, block.text, hyphenate)
            if len(first) > 1:
                # Re-wrap the rest at the narrower width, from the original words.
                head = first[0]
                done = len(head) if text.startswith(head) else len(head) - 1  # minus an added hyphen
                rest = self.breaker.wrap(text[done:].lstrip(" "), style.font, size, width - hang, block.text, hyphenate)
                lines = [(first[0], 0.0)] + [(t, hang) for t in rest]
            else:
                lines = [(first[0], 0.0)]
        else:
            lines = [(t, 0.0) for t in self.breaker.wrap(text, style.font, size, width, block.text, hyphenate)]
        append = block.lines.append
        fmts = self._fmts
        for t, dx in lines:
            # Lines share their format tuple: a 20,000-entry book has some
            # 200,000 lines but only a few hundred distinct formats.
            k = (style.font, size, x + dx, y + base, colour)
            append((fmts.setdefault(k, k), t))
            y += leading
        return y

    # ------------------------------------------------------------ body

    def entry(self, e: Entry, max_height: float, keys: str = "", old: str = "", mark: Cmyk | None = None) -> Block:
        """A compact entry: name (with the source ``keys`` raised after it),
        address and postal line, phone (bold), e-mail and site, hours,
        description, and ``old`` (« données de 2021 ») when the information
        is old.

        Fields share a line where they fit: the address and « 63200 Riom »,
        the phone, the e-mail and the site; otherwise each takes its own
        lines, wrapped as before.  ``mark``: the entry stands alone in its
        commune, which has no heading above it; its commune is set in bold in
        that colour on the postal line, the cue a commune heading gives."""
        st = self.st
        fonts = self.fonts
        b = Block("entry", e.key, e.name)
        b.place = e.commune or None
        cw, ind = self.cw, self.indent
        # The source keys sit raised after the name, in the source style.
        ks = st.source
        kw = fonts.text_width(ks.font, keys) * ks.size + 1.0 if keys else 0.0
        # A long name continues flush left, in bold: only the lines below
        # it (address, phone…) are indented, so a wrapped name is never
        # taken for the first line of the address.
        y = self.para(b, e.name, st.name, 0.0, cw - kw, 0.0)
        if keys and b.lines:
            fmt, last = b.lines[-1]
            x = fmt[2] + fonts.text_width(st.name.font, last) * st.name.size + 1.0
            self._segment(b, keys, ks, x, fmt[3] - 0.38 * st.name.size)
        y += 0.5
        w = cw - ind
        place = " ".join(p for p in (e.postcode, e.commune, "Cedex" if e.cedex else None) if p)
        street = ", ".join(p for p in (e.address, e.address2) if p)
        joined = f"{street}, {place}" if street and place else (street or place)
        body = st.body
        bold = TextStyle("bold", body.size, body.leading)
        base = (body.leading + body.size) / 2 - 0.22 * body.size
        if mark is not None and e.commune and not e.cedex:
            lead = f"{street}, " if street else ""
            pc = f"{e.postcode} " if e.postcode else ""
            tw = fonts.text_width
            whole = (
                tw(body.font, fonts.clean(lead + pc)) * body.size
                + (body.size * 0.3 if pc else 0)
                + tw("bold", fonts.clean(e.commune)) * body.size
            )
            if whole > w:
                if street:
                    y = self.para(b, street, body, ind, w, y)
                lead = ""
                whole = tw(body.font, fonts.clean(pc)) * body.size + tw("bold", fonts.clean(e.commune)) * body.size
            if whole <= w:
                dx = self._segment(b, lead + pc, body, ind, y + base) if lead + pc else 0.0
                self._segment(b, e.commune, bold, ind + dx, y + base, mark)
                y += body.leading
            else:
                y = self.para(b, place, body, ind, w, y)
        elif joined and self._fits(joined, st.body, w):
            y = self.para(b, joined, st.body, ind, w, y)
        else:
            y = self.para(b, e.address, st.body, ind, w, y)
            y = self.para(b, e.address2, st.body, ind, w, y)
            y = self.para(b, place, st.body, ind, w, y)
        y = self._contact_lines(b, e, ind, w, y)
        if e.hours:
            y = self.para(b, " · ".join(e.hours), st.body, ind, w, y)
        if e.services:
            # What the service offers (urgences, maternité, formations): one short line.
            y = self.para(b, " · ".join(e.services), st.body, ind, w, y)
        body_end = y
        desc = Block("entry", e.key, e.name)
        y_desc_end = self.para(desc, e.description, st.description, ind, w, 0.0)
        total = body_end + y_desc_end
        if total > max_height and desc.lines:
            # Taller than a column: shorten the description, and say so.
            room = max_height - body_end - st.source.leading
            n = max(0, int(room // st.description.leading))
            desc.lines = desc.lines[:n]
            if desc.lines:
                fmt, t = desc.lines[-1]
                desc.lines[-1] = (fmt, t.rstrip(" -,;.") + "…")
            y_desc_end = n * st.description.leading
            self.breaker.warnings.append(
                f"Fiche trop longue pour une colonne, description abrégée : « {e.name} » ({e.commune}, {e.key})."
            )
        fmts = self._fmts
        for fmt, t in desc.lines:
            k = (fmt[0], fmt[1], fmt[2], fmt[3] + body_end, fmt[4])
            b.lines.append((fmts.setdefault(k, k), t))
        y = body_end + y_desc_end
        if old:
            # Right-aligned on the last line when it leaves room, else below.
            ow = fonts.text_width(ks.font, old) * ks.size
            fmt, last = b.lines[-1]
            end = fmt[2] + fonts.text_width(fmt[0], last) * fmt[1]
            if len(b.lines) > 1 and end + ow + 6.0 <= cw:
                self._segment(b, old, ks, cw - ow, fmt[3])
            else:
                self._segment(b, old, ks, cw - ow, y + (ks.leading + ks.size) / 2 - 0.22 * ks.size)
                y += ks.leading
        b.height = y
        return b

    def _fits(self, text: str, style: TextStyle, width: float) -> bool:
        return self.fonts.text_width(style.font, self.fonts.clean(text)) * style.size <= width

    def _segment(
        self, b: Block, text: str, style: TextStyle, x: float, baseline: float, colour: Cmyk | None = None
    ) -> float:
        """One piece of a line at ``x`` on ``baseline``; returns its width,
        spaces at either end included (« Tél. », «  ·  »)."""
        fonts = self.fonts
        space = fonts.width(style.font, " ") * style.size
        lead = (len(text) - len(text.lstrip(" \u00a0"))) * space
        trail = (len(text) - len(text.rstrip(" \u00a0"))) * space
        text = fonts.clean(text)
        if not text:
            return lead + trail
        k = (style.font, style.size, x + lead, baseline, colour)
        b.lines.append((self._fmts.setdefault(k, k), text))
        return lead + fonts.text_width(style.font, text) * style.size + trail

    def _contact_lines(self, b: Block, e: Entry, x: float, w: float, y: float) -> float:
        """Phone (bold, the field looked for), e-mail and site: on one line
        where they fit, else the phone alone and the others on their own lines."""
        st = self.st
        body, phone = st.body, st.phone
        sep = "  ·  "
        lead = max(body.leading, phone.leading)
        base = (lead + body.size) / 2 - 0.22 * body.size
        parts: list[tuple[TextStyle, str]] = []
        if e.phone:
            parts += [(body, f"Tél.{NBSP}"), (phone, e.phone)]
        rest = [t for t in (e.email, e.website) if t]
        line = list(parts)
        for t in rest:
            if line:
                line.append((body, sep))
            line.append((body, t))
        clean = self.fonts.clean
        width = sum(self.fonts.text_width(s_.font, clean(t)) * s_.size for s_, t in line)
        if line and width <= w:
            dx = 0.0
            for s_, t in line:
                dx += self._segment(b, t, s_, x + dx, y + base)
            return y + lead
        if parts:
            dx = 0.0
            for s_, t in parts:
                dx += self._segment(b, t, s_, x + dx, y + base)
            y += lead
        if rest and self._fits(sep.join(rest), body, w):
            return self.para(b, sep.join(rest), body, x, w, y)
        for t in rest:
            y = self.para(b, t, body, x, w, y)
        return y

    def group_heading(self, label: str, colour: Cmyk) -> Block:
        """A tinted band across the column with a solid bar on the left."""
        st = self.st.group
        b = Block("group", label, label)
        pad = 0.35 * st.leading
        bar = 3.0
        y = self.para(b, label, st, bar + 5.0, self.cw - bar - 8.0, pad)
        y += pad
        b.decor.append(("rect", 0.0, 0.0, self.cw, y, colour.tint(self.layout.colours.band_tint)))
        b.decor.append(("rect", 0.0, 0.0, bar, y, colour))
        b.height = y + 4.0
        b.keep = True
        b.space_before = self.layout.entry.space_before_group
        return b

    def subgroup_heading(self, label: str, colour: Cmyk) -> Block:
        """The sub-group label over a thin rule."""
        return self.ruled_heading(
            "subgroup",
            label,
            label,
            self.st.subgroup,
            colour,
            gap=0.5,
            weight=0.5,
            below=3.0,
            space_before=self.layout.entry.space_before_subgroup,
        )

    def typology_heading(self, code: str, label: str, colour: Cmyk) -> Block:
        """The typology label in bold over a heavier rule."""
        return self.ruled_heading(
            "typology",
            code,
            label,
            self.st.typology,
            colour,
            gap=1.0,
            weight=1.5,
            below=5.0,
            space_before=self.layout.entry.space_before_typology,
        )

    def ruled_heading(
        self,
        kind: str,
        key: str,
        label: str,
        style: TextStyle,
        colour: Cmyk,
        *,
        gap: float,
        weight: float,
        below: float,
        space_before: float,
    ) -> Block:
        """A heading over a rule across the column (``gap`` under the text,
        ``weight`` thick, ``below`` to the next block), kept with what follows."""
        b = Block(kind, key, label)
        y = self.para(b, label, style, 0.0, self.cw, 0.0)
        b.decor.append(("hline", 0.0, y + gap, self.cw, weight, colour))
        b.height = y + below
        b.keep = True
        b.space_before = space_before
        return b

    def commune_heading(self, key: str, label: str, colour: Cmyk, rule: Cmyk) -> Block:
        """« RIOM ——— » above the first entry of a commune inside a typology.

        Capitals in ``colour`` (the section colour darkened for reading), a
        thin rule in ``rule`` from the name to the column's edge; kept with
        the entry below, repeated at the top of a column that continues the
        commune (its own ``suite`` is itself)."""
        st = self.st.commune
        b = Block("commune", key, label)
        text = self.fonts.clean(label).upper()
        # A little air above: under a « (suite) » rule at a column's head too.
        y = self.para(b, text, st, 0.0, self.cw, 1.5, colour=colour, hyphenate=False)
        if b.lines:
            fmt, last = b.lines[-1]
            end = fmt[2] + self.fonts.text_width(st.font, last) * st.size + 0.4 * st.size
            if end < self.cw - 4.0:
                b.decor.append(("hline", end, fmt[3] - 0.33 * st.size, self.cw - end, 0.5, rule))
        b.height = y + 1.0
        b.keep = True
        b.suite = b
        return b

    def suite(self, heading: Block, colour: Cmyk | None, kind: str = "typology-suite") -> Block:
        """'Pharmacie (suite)' at the top of a column that continues a typology."""
        if heading.suite is not None:
            return heading.suite
        st = self.st.suite
        text = f"{heading.text}{NBSP}(suite)"
        b = Block(kind, heading.key, text)
        y = self.para(b, text, st, 0.0, self.cw, 0.0)
        if colour is not None:
            b.decor.append(("hline", 0.0, y + 0.5, self.cw, 0.5, colour))
        b.height = y + 4.0
        b.sect = heading.sect
        heading.suite = b
        return b

    # ------------------------------------------------------------ references

    def ref_line(
        self,
        kind: str,
        key: str,
        label: str,
        style: TextStyle,
        ref: str,
        x: float = 0.0,
        ref_reserve: float | None = None,
        colour: Cmyk | None = None,
    ) -> Block:
        """A contents or index line: label, dot leaders, right-aligned reference.

        The reserve on the right is fixed (``ref_reserve``) for the contents,
        so that the wrapping never depends on page numbers still unknown."""
        b = Block(kind, key, label)
        b.ref = ref
        b.ref_text = ref
        b.ref_style = style
        gap = 0.6 * style.size
        if ref_reserve is None:
            ref_reserve = self.fonts.width(style.font, self.fonts.clean(ref)) * style.size
        # Labels of the contents and the indexes are looked up, not read:
        # never hyphenated (« Établissements et ser- / vices sociaux »).
        if ref_reserve > 0.45 * self.cw:
            # A long list of pages: label on its own, pages below, ragged.
            y = self.para(b, label, style, x, self.cw - x, 0.0, hang=self.indent, hyphenate=False)
            b.ref = None
            y = self.para(b, ref, style, x + 2 * self.indent, self.cw - x - 2 * self.indent, y, hyphenate=False)
            b.height = y
            return b
        b.ref_width = ref_reserve + gap
        y = self.para(
            b, label, style, x, self.cw - x - ref_reserve - gap, 0.0, colour=colour, hang=self.indent, hyphenate=False
        )
        b.height = y
        return b


def source_line(e: Entry) -> str:
    """'Source : FINESS (DREES) — mis à jour le 7 janvier 2021'."""
    names = list(dict.fromkeys(p.name for p in e.providers if p.name))
    if not names:
        return ""
    when = e.updated or max((p.date for p in e.providers if p.date), default=None)
    text = f"Source{NBSP}: {', '.join(names)}"
    if when:
        # The date part is glued: the line breaks before the dash, never
        # leaving « 2022 » or « 2023 » alone on the last line.
        text += " " + f"— mis à jour le {date_fr(when)}".replace(" ", NBSP)
    return text


def pages_fr(pages: list[int]) -> str:
    """'12, 15–17, 30': sorted pages with runs of three or more as ranges."""
    ps = sorted(set(pages))
    out: list[str] = []
    i = 0
    while i < len(ps):
        j = i
        while j + 1 < len(ps) and ps[j + 1] == ps[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{ps[i]}–{ps[j]}")
        else:
            out.extend(str(p) for p in ps[i : j + 1])
        i = j + 1
    return ", ".join(out)
