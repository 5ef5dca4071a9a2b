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

import functools
import math
import re

from annuaire.pdf.layout import Cmyk, Layout, TextStyle
from annuaire.model import Entry
from annuaire.text import french as _french
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.lines import Breaker

MM = 72 / 25.4
NBSP = "\u00a0"

# Runs of digits and of anything else, in a phone number.
_RUNS = re.compile(r"\d+|\D+")
# « Lundi au vendredi : 8 h 30 – 12 h 30 »: the days, then the hours.
_DAYS_HOURS = re.compile(r"^(.*?)\s*[\u00a0\u202f ]?:\s*(.+)$")
_DAY_ABBR = {
    "lundi": "Lun.",
    "mardi": "Mar.",
    "mercredi": "Mer.",
    "jeudi": "Jeu.",
    "vendredi": "Ven.",
    "samedi": "Sam.",
    "dimanche": "Dim.",
}
_DAY_WORD = re.compile(r"\b(" + "|".join(_DAY_ABBR) + r")\b", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def split_hours(line: str) -> tuple[str, str]:
    """(« Lun.–Ven. », « 8 h 30 – 12 h, 13 h 30 – 17 h ») from a printed
    hours line « Lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h »;
    ("", line) when it does not start with days."""
    m = _DAYS_HOURS.match(line)
    if not m or not _DAY_WORD.search(m.group(1)):
        return "", line
    days, times = m.group(1), m.group(2)
    days = _DAY_WORD.sub(lambda d: _DAY_ABBR[d.group(1).lower()], days)
    days = re.sub(r"\s+au\s+", "\u2013", days)  # Lun.–Ven.
    days = re.sub(r"\s+et\s+", ", ", days)  # Lun., Mar.
    # Two ranges of one day: a comma, as a timetable sets them.
    times = re.sub(r"\s+et\s+(?=\d)", ", ", times)
    return days[:1].upper() + days[1:], times


# French dates and numbers: annuaire.text.french (re-exported for the engine's modules).
date_fr = _french.date_fr
number_fr = _french.number_fr


class Block:
    """A piece of flowing text, never split across columns unless it has
    ``breaks`` (see :mod:`annuaire.pdf.paginate`)."""

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
        "breaks",
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
        # Where the paginator may cut a block taller than a column: (y, index
        # of the first line below) at the top of each line but the first,
        # recorded by ``Typesetter.para`` when the list exists (None: never cut).
        self.breaks: list[tuple[float, int]] | None = None

    def __repr__(self) -> str:
        return f"Block({self.kind!r}, {self.key!r}, h={self.height:.1f})"

    def unpacked(self):
        """Lines as (style, size, x, baseline, text, colour) tuples."""
        return [(f[0], f[1], f[2], f[3], t, f[4]) for f, t in self.lines]


def entry_shell(e: Entry) -> Block:
    """An entry's block before its lines: what it is, whose, where."""
    b = Block("entry", e.key, e.name)
    b.place = e.commune or None
    return b


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
        # The baseline grid of the body: every line of an entry is one body
        # leading high and sits on the same baseline in its cell, and every
        # heading and space of the body is a whole number of lines, so the
        # lines of side-by-side columns and facing pages are in step.
        body = layout.styles.body
        self.grid = body.leading if layout.entry.grid else 0.0
        self.grid_base = (body.leading + body.size) / 2 - 0.22 * body.size
        # Phone digits on a fixed advance (tabular figures): the widest digit.
        self._digit = {f: max(fonts.width(f, d) for d in "0123456789") for f in ("regular", "bold")}
        # The number measured last (its line is then set at once): phone
        # numbers are nearly all distinct, a cache of them would only grow.
        self._tab_last: tuple | None = None

    def formats(self) -> list[tuple]:
        """The line formats this typesetter made: one tuple each, shared by
        every line that has it."""
        return list(self._fmts.values())

    def snap(self, height: float) -> float:
        """``height`` rounded up to whole lines of the grid (unchanged without one)."""
        g = self.grid
        return math.ceil(height / g - 1e-6) * g if g else height

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
        base: float | None = None,
    ) -> float:
        """Set ``text`` as lines at ``y``; returns the y below them.

        ``hang`` indents lines after the first (long names and labels);
        ``base``: the baseline's drop in each line (default: centred on the
        style's own leading)."""
        text = self.fonts.clean(text or "")
        if not text:
            return y
        size, leading = style.size, style.leading
        if hyphenate is None:
            # Only running text is hyphenated: bold lines are names and
            # headings, read at a glance.
            hyphenate = style.font in ("regular", "italic")
        if base is None:
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
        breaks = block.breaks
        for t, dx in lines:
            if breaks is not None and block.lines:
                breaks.append((y, len(block.lines)))
            # Lines share their format tuple: a 20,000-entry book has some
            # 200,000 lines but only a few hundred distinct formats.
            k = (style.font, size, x + dx, y + base, colour)
            append((fmts.setdefault(k, k), t))
            y += leading
        return y

    # ------------------------------------------------------------ body

    def entry(self, e: Entry, max_height: float, keys: str = "", old: str = "") -> Block:
        """A compact entry: name (with the source ``keys`` raised after it),
        address and postal line, phone (bold, tabular figures), e-mail and
        site, hours (one line per group of days, the hours on a tab),
        description, and ``old`` (« données de 2021 ») when the entry's date
        is not the one its section states.

        Fields share a line where they fit: the address and « 63200 Riom »,
        the phone, the e-mail and the site; otherwise each takes its own
        lines.  With a grid (:attr:`grid`) every line is one body leading
        high and its baseline sits at :attr:`grid_base` in it."""
        st = self.st
        fonts = self.fonts
        b = entry_shell(e)
        cw, ind = self.cw, self.indent
        g = self.grid
        gb = self.grid_base if g else None
        name_st, body, desc_st = st.name, st.body, st.description
        if g:
            name_st = TextStyle(name_st.font, name_st.size, g)
            body = TextStyle(body.font, body.size, g)
            desc_st = TextStyle(desc_st.font, desc_st.size, g)
        # The source keys sit raised after the name, in the source style.
        ks = st.source
        kw = fonts.text_width(ks.font, keys) * ks.size + 1.0 if keys else 0.0
        # A long name continues flush left, in bold: only the lines below
        # it (address, phone…) are indented, so a wrapped name is never
        # taken for the first line of the address.
        y = self.para(b, e.name, name_st, 0.0, cw - kw, 0.0, base=gb)
        if keys and b.lines:
            fmt, last = b.lines[-1]
            x = fmt[2] + fonts.text_width(name_st.font, last) * name_st.size + 1.0
            self._segment(b, keys, ks, x, fmt[3] - 0.38 * name_st.size)
        if not g:
            y += 0.5
        w = cw - ind
        place = " ".join(p for p in (e.postcode, e.commune, "Cedex" if e.cedex else None) if p)
        street = ", ".join(p for p in (e.address, e.address2) if p)
        joined = f"{street}, {place}" if street and place else (street or place)
        if joined and self._fits(joined, body, w):
            y = self.para(b, joined, body, ind, w, y, base=gb)
        else:
            y = self.para(b, e.address, body, ind, w, y, base=gb)
            y = self.para(b, e.address2, body, ind, w, y, base=gb)
            y = self.para(b, place, body, ind, w, y, base=gb)
        y = self._contact_lines(b, e, ind, w, y)
        if e.hours:
            y = self._hours(b, e.hours, body, ind, w, y, gb)
        if e.services:
            # What the service offers (urgences, maternité, formations): one short line.
            y = self.para(b, " · ".join(e.services), body, ind, w, y, base=gb)
        body_end = y
        desc = Block("entry", e.key, e.name)
        y_desc_end = self.para(desc, e.description, desc_st, ind, w, 0.0, base=gb)
        total = body_end + y_desc_end
        if total > max_height and desc.lines:
            # Taller than a column: shorten the description, and say so.
            room = max_height - body_end - (g or st.source.leading)
            n = max(0, int(room // desc_st.leading))
            desc.lines = desc.lines[:n]
            if desc.lines:
                fmt, t = desc.lines[-1]
                desc.lines[-1] = (fmt, t.rstrip(" -,;.") + "…")
            y_desc_end = n * desc_st.leading
            self.breaker.warnings.append(
                f"Fiche trop longue pour une colonne, description abrégée : « {e.name} » ({e.commune}, {e.key})."
            )
        fmts = self._fmts
        for fmt, t in desc.lines:
            k = (fmt[0], fmt[1], fmt[2], fmt[3] + body_end, fmt[4])
            b.lines.append((fmts.setdefault(k, k), t))
        y = body_end + y_desc_end
        if old:
            # Right-aligned on the last line when it leaves room, else below
            # (on the body's grid: a line of its own).
            ow = fonts.text_width(ks.font, old) * ks.size
            fmt, last = b.lines[-1]
            end = fmt[2] + fonts.text_width(fmt[0], last) * fmt[1]
            if len(b.lines) > 1 and end + ow + 6.0 <= cw:
                self._segment(b, old, ks, cw - ow, fmt[3])
            elif g:
                self._segment(b, old, ks, cw - ow, y + gb)
                y += g
            else:
                self._segment(b, old, ks, cw - ow, y + (ks.leading + ks.size) / 2 - 0.22 * ks.size)
                y += ks.leading
        b.height = y
        return b

    def _hours(self, b: Block, hours, body: TextStyle, x: float, w: float, y: float, base: float | None) -> float:
        """Opening hours, one line per group of days: the days abridged
        (« Lun.–Ven. »), the hours on a tab shared by the entry's lines
        (« Lun.–Ven.  8 h 30 – 12 h, 13 h 30 – 17 h »).  A line too long
        continues at the tab; days too long for a tab (« Du 1er juillet au
        31 août ») take a line of their own."""
        fonts = self.fonts
        rows = [split_hours(h) for h in hours]
        labels = [fonts.clean(d) for d, _ in rows if d]
        size = body.size
        # A space and a bit after the longest days: « 8 h 30 – 12 h, 13 h 30 –
        # 17 h » then still holds on the line after « Lun.–Ven. » in A5.
        gap = fonts.width(body.font, " ") * size + 0.1 * size
        widths = [fonts.text_width(body.font, d) * size for d in labels]
        limit = 0.42 * w
        fitting = [v for v in widths if v <= limit]
        tab = (max(fitting) + gap) if fitting else 0.0
        for days, times in rows:
            if not days:
                y = self.para(b, times, body, x, w, y, base=base)
                continue
            dw = fonts.text_width(body.font, fonts.clean(days)) * size
            if dw > limit or not tab:
                y = self.para(b, days, body, x, w, y, base=base)
                y = self.para(b, times, body, x + (tab or self.indent), w - (tab or self.indent), y, base=base)
                continue
            b_y = y + (base if base is not None else (body.leading + size) / 2 - 0.22 * size)
            self._segment(b, days, body, x, b_y)
            y = self.para(b, times, body, x + tab, w - tab, y, base=base)
        return y

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
        """Phone (bold, the field looked for, tabular figures), e-mail and
        site: on one line where they fit, else the phone alone and the
        others on their own lines."""
        st = self.st
        body, phone = st.body, st.phone
        sep = "  ·  "
        g = self.grid
        lead = g or max(body.leading, phone.leading)
        base = self.grid_base if g else (lead + body.size) / 2 - 0.22 * body.size
        if g:
            body = TextStyle(body.font, body.size, g)
        label = f"Tél.{NBSP}"
        rest = [t for t in (e.email, e.website) if t]
        clean = self.fonts.clean
        tw = self.fonts.text_width
        width = 0.0
        if e.phone:
            width = tw(body.font, clean(label)) * body.size + self.fonts.width(body.font, " ") * body.size
            width += self._tabular_width(e.phone, phone)
        for t in rest:
            width += tw(body.font, clean((sep if width else "") + t)) * body.size
        if (e.phone or rest) and width <= w:
            dx = 0.0
            if e.phone:
                dx += self._segment(b, label, body, x, y + base)
                dx += self._tabular(b, e.phone, phone, x + dx, y + base)
            for t in rest:
                if dx:
                    dx += self._segment(b, sep, body, x + dx, y + base)
                dx += self._segment(b, t, body, x + dx, y + base)
            return y + lead
        if e.phone:
            dx = self._segment(b, label, body, x, y + base)
            self._tabular(b, e.phone, phone, x + dx, y + base)
            y += lead
        gb = self.grid_base if g else None
        if rest and self._fits(sep.join(rest), body, w):
            return self.para(b, sep.join(rest), body, x, w, y, base=gb)
        for t in rest:
            y = self.para(b, t, body, x, w, y, base=gb)
        return y

    def _tabular_width(self, text: str, style: TextStyle) -> float:
        return self._tabular_runs(text, style.font)[1] * style.size

    def _tabular_runs(self, text: str, font: str) -> tuple[tuple[tuple[float, str], ...], float]:
        """((x at 1 pt, digit), …) and the width at 1 pt of ``text`` (cleaned)
        with tabular figures."""
        key = (font, text)
        last = self._tab_last
        if last is not None and last[0] == key:
            return last[1]
        fonts = self.fonts
        cell = self._digit[font] if font in self._digit else max(fonts.width(font, d) for d in "0123456789")
        out = []
        dx = 0.0
        for run in _RUNS.findall(fonts.clean(text)):
            if run[0].isdigit():
                for d in run:
                    out.append((dx + (cell - fonts.width(font, d)) / 2, d))
                    dx += cell
            else:
                dx += fonts.width(font, run)
        got = (tuple(out), dx)
        self._tab_last = (key, got)
        return got

    def _tabular(self, b: Block, text: str, style: TextStyle, x: float, baseline: float) -> float:
        """``text`` with tabular figures: each digit centred in a cell the
        width of the widest digit, so that the numbers of a column align
        digit under digit (the face's own figures are proportional and
        ReportLab applies no OpenType feature).  Returns the width."""
        runs, width = self._tabular_runs(text, style.font)
        size = style.size
        fmts = self._fmts
        append = b.lines.append
        for off, d in runs:
            k = (style.font, size, x + off * size, baseline, None)
            append((fmts.setdefault(k, k), d))
        return width * size

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
        b.height = self.snap(y + 4.0)
        b.keep = True
        b.space_before = self.snap(self.layout.entry.space_before_group)
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
            on_grid=True,
        )

    def typology_heading(self, code: str, label: str, colour: Cmyk, note: str = "") -> Block:
        """The typology label in bold over a heavier rule; ``note`` (the date
        of the section's data, « données de 2021 ») set small at the right."""
        b = self.ruled_heading(
            "typology",
            code,
            label,
            self.st.typology,
            colour,
            gap=1.0,
            weight=1.5,
            below=5.0,
            space_before=self.layout.entry.space_before_typology,
            on_grid=True,
        )
        if note:
            b.height = self._note(b, note, b.height)
        return b

    def _note(self, b: Block, note: str, below: float | None) -> float:
        """``note`` right-aligned on the block's last line when it leaves
        room, else (``below`` not None) on a line of its own at ``below``;
        returns the block's height."""
        ks = self.st.source
        fonts = self.fonts
        ow = fonts.text_width(ks.font, fonts.clean(note)) * ks.size
        fmt, last = b.lines[-1]
        end = fmt[2] + fonts.text_width(fmt[0], last) * fmt[1]
        if end + ow + 6.0 <= self.cw:
            self._segment(b, note, ks, self.cw - ow, fmt[3])
            return b.height
        if below is None:
            return b.height
        if self.grid:
            self._segment(b, note, ks, self.cw - ow, below + self.grid_base)
            return below + self.grid
        self._segment(b, note, ks, self.cw - ow, below + 2.0 + (ks.leading + ks.size) / 2 - 0.22 * ks.size)
        return below + 2.0 + ks.leading + 2.0

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
        on_grid: bool = False,
    ) -> Block:
        """A heading over a rule across the column (``gap`` under the text,
        ``weight`` thick, ``below`` to the next block), kept with what follows;
        ``on_grid``: its height and the space above it are whole body lines."""
        b = Block(kind, key, label)
        y = self.para(b, label, style, 0.0, self.cw, 0.0)
        b.decor.append(("hline", 0.0, y + gap, self.cw, weight, colour))
        b.height = self.snap(y + below) if on_grid else y + below
        b.keep = True
        b.space_before = self.snap(space_before) if on_grid else space_before
        return b

    def commune_heading(self, key: str, label: str, colour: Cmyk, rule: Cmyk) -> Block:
        """« RIOM » above the first entry of a commune inside a typology.

        Capitals in ``colour`` (the section colour darkened for reading) on a
        light band of ``rule`` across the column: the strongest mark under
        the typology, and one line of the body's grid.  Kept with the entry
        below, repeated at the top of a column that continues the commune
        (its own ``suite`` is itself)."""
        st = self.st.commune
        b = Block("commune", key, label)
        text = self.fonts.clean(label).upper()
        g = self.grid
        if not g:
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
        # On the grid: each line of the name one body line, in a band that
        # leaves a point of paper above and below it.
        size = min(st.size, g - 2.0)
        cap = 0.7 * size
        one = TextStyle(st.font, size, g)
        pad = max(0.5, min(1.5, (g - cap) / 2 - 2.0))
        y = self.para(b, text, one, 2.0, self.cw - 4.0, 0.0, colour=colour, hyphenate=False, base=(g + cap) / 2)
        b.decor.insert(0, ("rect", 0.0, pad, self.cw, y - 2 * pad, rule.tint(self.layout.colours.band_tint * 0.8)))
        b.height = y
        b.keep = True
        b.suite = b
        return b

    def suite(self, heading: Block, colour: Cmyk | None, kind: str = "typology-suite", note: str = "") -> Block:
        """'Pharmacie (suite)' at the top of a column that continues a typology."""
        if heading.suite is not None:
            return heading.suite
        st = self.st.suite
        text = f"{heading.text}{NBSP}(suite)"
        b = Block(kind, heading.key, text)
        g = self.grid if kind == "typology-suite" else 0.0
        if g:
            # One line of the grid, in the section's colour, no rule: its
            # bold italic tells it from the entry names under it.
            y = self.para(
                b, text, TextStyle(st.font, st.size, g), 0.0, self.cw, 0.0, colour=colour, base=self.grid_base
            )
            b.height = y
            if note:
                # Beside « (suite) » when it fits: the heading said it already.
                b.height = self._note(b, note, None)
        else:
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
        b.breaks = []  # a line taller than a column may be cut (never happens in practice)
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
