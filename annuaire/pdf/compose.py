"""Composition: a directory becomes blocks flowed into columns.

The body (per theme: group, sub-group and typology headings, commune
headings, entries), the contents, the indexes of names and communes and the
colophon are each set as blocks (:class:`~annuaire.pdf.blocks.Block`) and flowed
into pages of columns (:func:`~annuaire.pdf.paginate.flow`).  Nothing here
knows page numbers except the indexes, which are given the page of every
entry once the book plan (:mod:`annuaire.pdf.book`) has numbered the body;
nothing here draws.
"""

from __future__ import annotations

import re
from collections import Counter

from annuaire.editions.group import Directory
from annuaire.pdf import age
from annuaire.reference import taxonomy
from annuaire.text.collate import plain
from annuaire.pdf.blocks import MM, NBSP, Block, Typesetter, date_fr, number_fr, pages_fr
from annuaire.pdf.draw import BLACK, WHITE, Geometry
from annuaire.pdf.entries import entry_blocks as _entry_blocks
from annuaire.pdf.fonts import FontSet, font_credit
from annuaire.pdf.furniture import Sections
from annuaire.pdf.layout import Layout, TextStyle
from annuaire.pdf.pages import compact_opener_height
from annuaire.pdf.paginate import flow


class Composer:
    """Sets the blocks of one book: body, contents, indexes, colophon."""

    def __init__(
        self,
        directory: Directory,
        layout: Layout,
        fonts: FontSet,
        geo: Geometry,
        sections: Sections,
        body_ts: Typesetter,
        full_ts: Typesetter,
        warnings: list[str],
        jobs: int = 1,
    ):
        self.d = directory
        self.layout = layout
        self.fonts = fonts
        self.geo = geo
        self.col_h = geo.text_height
        self.sections = sections
        self.body_ts = body_ts
        self.full_ts = full_ts
        self.warnings = warnings
        # Processes the body's entry blocks may be built in (see annuaire.pdf.entries).
        self.jobs = jobs
        self.multi = sections.multi
        self.group_colour = sections.group_colour
        self.theme_colour = sections.theme_colour
        self.heading_blocks: list[Block] = []
        # A short key per source (A, B, …), raised after each entry's name
        # and explained on the openers and in the colophon.
        self.source_keys = {p.name: source_key(i) for i, p in enumerate(directory.providers)}
        self._keys: dict[tuple, str] = {}
        # Themes too short for a whole-page opener (see body()).
        self.compact: set[int] = set()
        # The date note of each typology heading, repeated on its « (suite) ».
        self.notes: dict[int, str] = {}

    def head_fits(self, text: str) -> bool:
        """Whether ``text`` fits as a running head."""
        st = self.layout.styles.running_head
        return self.fonts.text_width(st.font, self.fonts.clean(text)) * st.size <= self.geo.text_width

    def keys_of(self, e) -> str:
        """The keys of an entry's sources, « A » or « A,C »."""
        names = tuple(dict.fromkeys(p.name for p in e.providers if p.name))
        got = self._keys.get(names)
        if got is None:
            got = self._keys[names] = ",".join(self.source_keys[n] for n in names if n in self.source_keys)
        return got

    def year_of(self, e) -> tuple[int, bool] | None:
        """(year of the entry's data, whether it is old: more than
        ``entry.old_after_months`` before the edition), None without a date."""
        when = e.updated or max((p.date for p in e.providers if p.date), default=None)
        if when is None:
            return None
        months = (self.d.edition_date.year - when.year) * 12 + self.d.edition_date.month - when.month
        return when.year, months > self.layout.entry.old_after_months

    def old_of(self, e) -> str:
        """« données de 2021 » when the entry was last updated more than
        ``entry.old_after_months`` before the edition, else nothing."""
        got = self.year_of(e)
        return f"données de {got[0]}" if got and got[1] else ""

    def dates_of(self, entries) -> tuple[str, dict[str, str]]:
        """The date of a section's data said once: (note for its heading,
        {entry key: « données de … » printed with that entry}).

        Entries are taken by source (their key, « A »): where most entries
        of a source share an old year, the heading says it (« données de
        2021 », or « données de 2021 (A), de 2023 (B) » for several sources)
        and only the entries of that source with another date say theirs
        (« données de 2025 » under a heading of 2021); a source whose
        entries are mostly recent says nothing on the heading, and its old
        entries say so one by one."""
        by_key: dict[str, list] = {}
        for e in entries:
            by_key.setdefault(self.keys_of(e), []).append(e)
        stated: dict[str, int] = {}
        own: dict[str, str] = {}
        for k, es in by_key.items():
            years = [self.year_of(e) for e in es]
            common = Counter(y for y in years if y is not None).most_common(1)
            # A source of a few entries in a big section says its date entry
            # by entry: the heading names only the sources that make it.
            if common and common[0][0][1] and common[0][1] * 2 > len(es) and len(es) * 5 >= len(entries):
                year = common[0][0][0]
                stated[k] = year
                for e, y in zip(es, years):
                    if y is None or y[0] != year:
                        own[e.key] = f"données de {y[0]}" if y else "date non précisée"
            else:
                for e in es:
                    label = self.old_of(e)
                    if label:
                        own[e.key] = label
        if not stated:
            return "", own
        if len(set(stated.values())) == 1 and len(stated) == len(by_key):
            return f"données de {next(iter(stated.values()))}", own
        parts = [f"de {y} ({k})" for k, y in sorted(stated.items(), key=lambda kv: (kv[1], kv[0]))]
        return "données " + ", ".join(parts), own

    def body(self) -> list[tuple[int, list]]:
        """Per theme: (theme index, flowed pages)."""
        ts = self.body_ts
        st = self.layout.styles
        # The tallest heading run above an entry: an entry never needs more
        # than a column minus that, so any chain fits in an empty column.
        reserve = (
            st.group.leading * 2.2
            + st.subgroup.leading
            + st.typology.leading
            + st.suite.leading
            + st.commune.leading
            + 44.0
        )
        max_entry = self.col_h - reserve
        grid = bool(ts.grid)
        sp = ts.snap(self.layout.entry.space_after)
        out = []
        self.heading_blocks: list[Block] = []
        # The date notes of each typology and the entries in book order, first:
        # the entry blocks can then be built ahead (in two processes for a
        # long book) and taken in order below.
        dated = []
        todo = []
        for th in self.d.themes:
            for g in th.groups:
                for s in g.subgroups:
                    for tsec in s.typologies:
                        note, own = self.dates_of(tsec.entries)
                        runs = tsec.communes()
                        dated.append((note, runs))
                        todo += [(e, self.keys_of(e), own.get(e.key, "")) for run in runs for e in run.entries]
        entry_blocks = iter(_entry_blocks(ts, todo, max_entry, self.jobs))
        dated_iter = iter(dated)
        for ti, th in enumerate(self.d.themes):
            blocks: list[Block] = []
            for gi, g in enumerate(th.groups):
                gc = self.group_colour[(ti, gi)]
                text_colour = gc.readable()
                gb = ts.group_heading(g.label, gc)
                gb.sect = (ti, gi)
                blocks.append(gb)
                self.heading_blocks.append(gb)
                for s in g.subgroups:
                    if s.label:
                        sb = ts.subgroup_heading(s.label, gc)
                        sb.sect = (ti, gi)
                        blocks.append(sb)
                    for tsec in s.typologies:
                        typ = tsec.typology
                        note, runs = next(dated_iter)
                        hb = ts.typology_heading(typ.code, typ.print_label, gc, note)
                        hb.sect = (ti, gi)
                        self.notes[id(hb)] = note
                        # The big sections (pharmacies, mairies…) start at the
                        # top of a column, the biggest at the top of a page.
                        n_entries = len(tsec.entries)
                        if n_entries >= self.layout.entry.new_page_from:
                            hb.break_before = 2
                        elif n_entries >= self.layout.entry.new_column_from:
                            hb.break_before = 1
                        blocks.append(hb)
                        self.heading_blocks.append(hb)
                        # A commune heading above the first entry of each
                        # commune, one entry or many, when the typology has
                        # more than one and its names do not all say it
                        # already (« Mairie de Riom » needs no « RIOM »
                        # above it): every change of commune is marked.
                        marked = len(runs) > 1 and not all(
                            e.commune and names_commune(e.name, e.commune) for e in tsec.entries
                        )
                        for k, run in enumerate(runs):
                            parent = hb
                            if marked:
                                cb = ts.commune_heading(f"{typ.code}|{run.label}", run.label, text_colour, gc)
                                cb.parent = hb
                                cb.sect = (ti, gi)
                                cb.space_before = (0.0 if grid else 1.0) if k == 0 else (sp if grid else sp + 1.0)
                                blocks.append(cb)
                                parent = cb
                            # The first entry under a heading (typology or commune) sits close to it.
                            under_heading = marked or k == 0
                            for j, e in enumerate(run.entries):
                                eb = next(entry_blocks)
                                eb.parent = parent
                                eb.sect = (ti, gi)
                                eb.space_before = (0.0 if grid else 2.0) if j == 0 and under_heading else sp
                                blocks.append(eb)
            said: list[str] = []
            pages = flow(blocks, self.geo.columns, self.col_h, self._suite, warnings=said)
            if len(pages) < self.layout.opener_full_page_from:
                # Too short for a whole-page opener: its compact head takes
                # the top of the first page, the columns start below it —
                # unless the first entry no longer fits there.
                top = compact_opener_height(
                    self.full_ts, self.layout.styles, self.geo.text_width, th.theme.label, self.sources_key(ti)
                )
                # Whole lines of the body's grid: the page stays in step with the one facing it.
                top = ts.snap(top)
                said_compact: list[str] = []
                below = flow(blocks, self.geo.columns, self.col_h, self._suite, first_top=top, warnings=said_compact)
                if len(said_compact) <= len(said):
                    self.compact.add(ti)
                    pages, said = below, said_compact
            self.warnings.extend(said)
            out.append((ti, pages))
        return out

    def sources_key(self, ti: int, colophon_page: int | None = None) -> str:
        """« Sources (lettre après chaque nom) : A FINESS (DREES) · B SAE (DREES). » for a theme.

        Without ``colophon_page`` (measuring before pages are numbered) the
        reference reads « page 000 », as wide as any real one."""
        keys = self.source_keys
        names = dict.fromkeys(p.name for e in self.d.themes[ti].entries() for p in e.providers if p.name in keys)
        if not names:
            return ""
        items = " · ".join(f"{keys[n]}\u00a0{n}" for n in sorted(names, key=keys.__getitem__))
        return f"Sources (lettre après chaque nom) : {items}. Détail page\u00a0{colophon_page or '000'}."

    def _suite(self, heading: Block, first_column: bool = True) -> "Block | list[Block]":
        """The heading(s) repeated at the top of a column continuing ``heading``.

        The first column of a page repeats the section (« Pharmacie (suite) »,
        « C (suite) »); a later column of the same page does not: the section
        is named at the head of the column beside it and in the running head.
        A commune is repeated in every column: it is the key looked for, and
        so is an index line cut at a column's foot (« Clermont-Ferrand
        (suite) »), under the letter's « (suite) » in a page's first column."""
        if heading.breaks is not None:
            above = [] if heading.parent is None else self._as_list(self._suite(heading.parent, first_column))
            return [*above, self.body_ts.suite(heading, None, heading.kind + "-suite")]
        if heading.kind == "commune":
            # A column continuing a commune: the typology's « (suite) », then
            # the commune's name again.
            return [*self._as_list(self._suite(heading.parent, first_column)), heading]
        if not first_column:
            return []
        fill = heading.decor[-1][5] if heading.decor else None
        if heading.kind == "typology" and fill is not None and self.body_ts.grid:
            fill = fill.readable()
        return self.body_ts.suite(heading, fill, heading.kind + "-suite", self.notes.get(id(heading), ""))

    @staticmethod
    def _as_list(s: "Block | list[Block]") -> list[Block]:
        return [s] if isinstance(s, Block) else list(s)

    # ------------------------------------------------------------ contents

    def contents(self) -> tuple[list, list[tuple[Block, object]]]:
        """Contents blocks flowed in one full-width column; (pages, [(toc block, target)])."""
        ts = self.full_ts
        st = self.layout.styles
        reserve = max(self.fonts.width(s.font, "0000") * s.size for s in (st.toc_theme, st.toc_group, st.toc_typology))
        links: list[tuple[Block, object]] = []
        blocks: list[Block] = []
        sw = 6 * MM
        hb_iter = iter(self.heading_blocks)
        heading_of = {b.key: b for b in self.heading_blocks if b.kind == "typology"}
        see_here = self._see_also()
        for ti, th in enumerate(self.d.themes):
            b = ts.ref_line("toc", th.theme.slug, th.theme.label, st.toc_theme, "", x=sw, ref_reserve=reserve)
            b.decor.append(("rect", 0.0, 0.5, 4.5 * MM, st.toc_theme.leading - 2, self.theme_colour[ti]))
            if self.multi and self.sections.tab_numbers:
                self._swatch_number(b, str(ti + 1), st.toc_theme)
            b.space_before = 10.0
            b.keep = True
            blocks.append(b)
            links.append((b, ("theme", ti)))
            for gi, g in enumerate(th.groups):
                gb_heading = next(hb_iter)
                b = ts.ref_line("toc", g.label, g.label, st.toc_group, "", x=sw, ref_reserve=reserve)
                if not self.multi:
                    b.decor.append(("rect", 0.0, 0.5, 4.5 * MM, st.toc_group.leading - 2, self.group_colour[(ti, gi)]))
                    if self.sections.tab_numbers:
                        self._swatch_number(b, str(self.sections.tab_of((ti, gi)) + 1), st.toc_group)
                b.space_before = 6.0
                b.keep = True
                blocks.append(b)
                links.append((b, gb_heading))
                lines = []  # (annex order, block, target heading)
                for s in g.subgroups:
                    for tsec in s.typologies:
                        hb = next(hb_iter)
                        b = ts.ref_line(
                            "toc",
                            tsec.typology.code,
                            tsec.typology.print_label,
                            st.toc_typology,
                            "",
                            x=sw + 5 * MM,
                            ref_reserve=reserve,
                        )
                        b.space_before = 1.0
                        lines.append(((tsec.typology.code, 0, 0, ""), b, hb))
                # A cross-reference reads as one: in italics (its page number upright).
                see_style = TextStyle("italic", st.toc_typology.size, st.toc_typology.leading)
                for order, see in see_here.get((ti, g.label), ()):
                    b = ts.ref_line(
                        "toc-voir",
                        see.old,
                        f"{see.see}{NBSP}: voir {taxonomy.typology(see.new).print_label}",
                        see_style,
                        "",
                        x=sw + 5 * MM,
                        ref_reserve=reserve,
                    )
                    b.ref_style = st.toc_typology
                    b.space_before = 1.0
                    lines.append((order, b, heading_of[see.new]))
                lines.sort(key=lambda t: t[0])
                for (order, b, hb), after in zip(lines, lines[1:] + [None]):
                    # Today's service and the old name that follows it share a page.
                    if after is not None and after[0][:2] == (b.key, 1):
                        b.keep = True
                    blocks.append(b)
                    links.append((b, hb))
        title_h = st.toc_title.leading + 6 * MM
        pages = flow(blocks, 1, self.col_h, None, first_top=title_h, warnings=self.warnings)
        return pages or [[[]]], links

    def _see_also(self) -> dict[tuple[int, str], list[tuple[tuple[str, int, int, str], object]]]:
        """Where each « voir » line goes: (theme index, group label) → [(order, SeeAlso)].

        A merged service keeps its place in Annex 1 (its group, its rank)
        when its group is printed; otherwise, and for the old name of the
        typology that now carries today's service (DDE for the DDT), the
        line comes just after today's service."""
        out: dict[tuple[int, str], list] = {}
        slugs = [th.theme.slug for th in self.d.themes]
        for see in self.d.see_also:
            old, new = taxonomy.typology(see.old), taxonomy.typology(see.new)
            ti = slugs.index(new.theme)
            groups = {g.label for g in self.d.themes[ti].groups}
            if see.old != see.new and old.group in groups:
                out.setdefault((ti, old.group), []).append(((see.old, 0, 0, see.old), see))
            else:
                # Its own old name first (DDSV under the DDPP), then the services merged into it.
                out.setdefault((ti, new.group), []).append(((see.new, 1, int(see.old != see.new), see.old), see))
        return out

    def _swatch_number(self, b: Block, number: str, style: TextStyle) -> None:
        """The tab number, reversed in the contents' colour swatch."""
        # The thumb tabs' size: 8.5 pt in the swatch, 14 in large print (no text under 14 pt there).
        size = min(style.size, self.layout.styles.tab.size)
        w = self.fonts.width("bold", number) * size
        base = (style.leading + style.size) / 2 - 0.22 * style.size
        b.lines.insert(0, (("bold", size, (4.5 * MM - w) / 2, base, WHITE), number))

    # ------------------------------------------------------------ indexes

    def indexes(self, entry_page: dict[str, int]) -> list[tuple[str, str, list]]:
        """Index of names and index of communes (as the layout asks), flowed;
        ``entry_page`` gives the page of each entry key."""
        from annuaire.text.collate import initial
        from annuaire.editions.group import sort_key  # cached: group() already computed most keys

        ts = self.body_ts
        st = self.layout.styles
        out = []
        entries = [e for th in self.d.themes for e in th.entries()]
        if self.layout.index_names and entries:
            blocks: list[Block] = []
            letter = None
            head = None
            decorated = sorted(entries, key=lambda e: (sort_key(e.name), sort_key(e.commune or ""), e.key))
            # The commune only tells homonyms apart (« Pharmacie du Centre
            # (Riom) »): a name printed once needs none, and most index lines
            # then hold on one line.
            # One fold per distinct name (a name repeats: « Pharmacie du Centre »).
            folded = {name: _fold(name) for name in {e.name for e in entries}}
            seen = Counter(folded[e.name] for e in entries)
            for e in decorated:
                L = initial(e.name)
                if L != letter:
                    letter = L
                    head = self._letter(L)
                    blocks.append(head)
                homonym = seen[folded[e.name]] > 1
                label = (
                    f"{e.name} ({e.commune})"
                    if homonym and e.commune and not names_commune(e.name, e.commune)
                    else e.name
                )
                b = ts.ref_line("index-name", e.key, label, st.index, str(entry_page[e.key]))
                b.text = e.name
                b.parent = head
                b.space_before = 0.0
                blocks.append(b)
            no_widows(blocks, "index-letter")
            out.append(("names", "Index des noms", blocks))
        if self.layout.index_communes and entries:
            by_commune: dict[str, dict[str, list[int]]] = {}
            labels: dict[str, str] = {}
            order: dict[str, int] = {}
            for th in self.d.themes:
                for g in th.groups:
                    for t in g.typologies():
                        for e in t.entries:
                            c = e.commune or "Commune non précisée"
                            by_commune.setdefault(c, {}).setdefault(t.typology.code, []).append(entry_page[e.key])
                            labels[t.typology.code] = t.typology.print_label
                            order.setdefault(t.typology.code, len(order))
            blocks = []
            letter = None
            head = None
            for c in sorted(by_commune, key=sort_key):
                L = initial(c)
                if L != letter:
                    letter = L
                    head = self._letter(L)
                    blocks.append(head)
                # Run in: « Riom  Pharmacie 12 · Services hospitaliers 8 »,
                # the commune in bold, its types of service after it.
                codes = sorted(by_commune[c], key=order.__getitem__)
                # The separator ends a line, never starts one.
                cb = self._run_in(
                    "index-commune", c, c, f"{NBSP}· ".join(f"{labels[k]} {pages_fr(by_commune[c][k])}" for k in codes)
                )
                # The page log keeps each label with its pages (no-break space).
                cb.ref_text = " · ".join(f"{labels[k]}{NBSP}{pages_fr(by_commune[c][k])}" for k in codes)
                cb.parent = head
                cb.space_before = 1.5
                blocks.append(cb)
            no_widows(blocks, "index-letter")
            out.append(("communes", "Index des communes", blocks))
        result = []
        for key, title, blocks in out:
            title_h = st.index_title.leading + 6 * MM
            pages = flow(blocks, self.geo.columns, self.col_h, self._suite, first_top=title_h, warnings=self.warnings)
            result.append((key, title, pages))
        return result

    def _run_in(self, kind: str, key: str, lead: str, text: str) -> Block:
        """``lead`` in bold, then ``text`` running on after it; continuation
        lines indented.  The page log reads « lead\ttext »."""
        ts = self.body_ts
        st = self.layout.styles.index
        fonts = self.fonts
        wrap = ts.breaker.wrap
        b = Block(kind, key, lead)
        b.ref_text = text
        b.breaks = []  # a commune of many services runs on into the next column
        bold = TextStyle("bold", st.size, st.leading)
        y = ts.para(b, lead, bold, 0.0, ts.cw, 0.0, hyphenate=False)
        fmt, last = b.lines[-1]
        x = fmt[2] + fonts.text_width("bold", last) * st.size + fonts.width(st.font, " ") * st.size
        clean = fonts.clean(text)
        room = ts.cw - x
        word = clean.split(" ", 1)[0]
        if room > 0.3 * ts.cw and fonts.text_width(st.font, word) * st.size <= room:
            # Only the first line of this narrow wrap is kept: a later word
            # wider than ``room`` is no defect, its warning is dropped.
            before = len(ts.breaker.warnings)
            first = wrap(clean, st.font, st.size, room, lead, False)
            del ts.breaker.warnings[before:]
            head = first[0]
            k = (st.font, st.size, x, fmt[3], None)
            b.lines.append((ts._fmts.setdefault(k, k), head))
            clean = clean[len(head) :].lstrip(" ") if clean.startswith(head) else ""
            if not clean and len(first) > 1:
                clean = " ".join(first[1:])
        else:
            y_first = y
            y = ts.para(b, clean, st, ts.indent, ts.cw - ts.indent, y_first, hyphenate=False)
            b.height = y + 1.0
            return b
        if clean:
            y = ts.para(b, clean, st, ts.indent, ts.cw - ts.indent, y, hyphenate=False)
        b.height = y + 1.0
        return b

    def _letter(self, letter: str) -> Block:
        return self.body_ts.ruled_heading(
            "index-letter",
            letter,
            letter,
            self.layout.styles.index_letter,
            BLACK,
            gap=0.5,
            weight=0.75,
            below=3.0,
            space_before=8.0,
        )

    # ------------------------------------------------------------ colophon

    def colophon(self) -> list:
        ts = self.full_ts
        st = self.layout.styles
        blocks: list[Block] = []

        def para(text: str, style: TextStyle, space: float = 4.0, kind: str = "colophon", key: str = "") -> Block:
            b = Block(kind, key, text)
            b.breaks = []  # a note longer than a page goes on over the next
            b.height = ts.para(b, text, style, 0.0, ts.cw, 0.0)
            b.space_before = space
            blocks.append(b)
            return b

        total = sum(len(th.entries()) for th in self.d.themes)
        para(
            f"Cet annuaire présente {number_fr(total)} service{'s' if total > 1 else ''}, "
            "à partir de données publiques et d’informations fournies par les communes et les services "
            "eux-mêmes. La lettre en exposant après le nom de chaque service renvoie à sa source, "
            "ci-dessous. « Données de 2021 », en tête d’un type de service (pour ses fiches de la source "
            "indiquée entre parenthèses) ou après une fiche, signale une information qui a plus de deux ans.",
            st.body,
            0.0,
        )
        for p in self.d.providers:
            b = Block("credit", p.name, p.name)
            b.breaks = []
            y = ts.para(b, f"{self.source_keys[p.name]}{NBSP}— {p.name}", st.toc_group, 0.0, ts.cw, 0.0)
            for text in (
                public_dataset(p.dataset),
                # Licence and date are always printed: « non précisée » says
                # plainly that the contributor did not give them.
                f"Licence{NBSP}: {p.licence}" if p.licence else f"Licence{NBSP}: non précisée",
                age.credit_date(p),
                f"{number_fr(p.entries)} service{'s' if p.entries > 1 else ''} dans cet annuaire",
                p.url,
            ):
                y = ts.para(b, text, st.body, ts.indent, ts.cw - ts.indent, y)
            b.height = y
            b.ref_text = age.credit_date(p)  # the page log keeps each source's date
            b.space_before = 9.0
            blocks.append(b)
        # « Édition » and its paragraphs move together: never a heading at a
        # page foot, never one sentence alone on the last page.
        para("Édition", st.toc_theme, 14.0).keep = True
        para(
            f"Édition du {date_fr(self.d.edition_date)}"
            + (f", publiée par {self.d.publisher}" if self.d.publisher else "")
            + ". Les informations peuvent avoir changé depuis : téléphonez avant de vous déplacer.",
            st.body,
        )
        ed = self.d.edition
        mentions = ed.mentions() if ed is not None else ()
        if mentions:
            # Loi du 29 juillet 1881, art. 3, and the dépôt légal: the build
            # warns about the ones missing from the edition file.
            blocks[-1].keep = True
            para("Mentions légales", st.toc_group, 8.0, kind="legal", key="title").keep = True
            for i, (label, text) in enumerate(mentions):
                b = para(f"{label}{NBSP}: {text}", st.body, 1.0, kind="legal", key=label)
                b.keep = i < len(mentions) - 1
        # The face, that it was modified and under which licence (SIL OFL 1.1).
        blocks[-1].keep = True
        para(font_credit(self.layout.fonts), st.body, kind="font", key=self.layout.fonts.family)
        if self.d.note:
            blocks[-1].keep = True
            para(self.d.note, st.body)
        title_h = st.page_title.leading + 6 * MM
        return flow(blocks, 1, self.col_h, None, first_top=title_h, warnings=self.warnings)


_HANDLE = re.compile(r",?\s*(?:conversion|format FHIR de)\s+[\w.-]+(?:/[\w.-]+)?", re.IGNORECASE)


def public_dataset(text: str | None) -> str | None:
    """A dataset's description without the handles of the conversions we read
    it through (« conversion cquest/annuaire-services-publics », « format FHIR
    de finess-fhir »): a reader can do nothing with a repository name."""
    if not text:
        return text
    out = _HANDLE.sub("", text)
    out = re.sub(r"\(\s*\)", "", out)
    out = re.sub(r"\(\s*,\s*", "(", out)
    return re.sub(r"\s{2,}", " ", out).strip(" ,")


def source_key(i: int) -> str:
    """A, B, … Z, AA, AB, …: the key of the ``i``-th source."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _fold(text: str) -> str:
    """Names compared as the index files them: the package's one folding
    (text.collate.plain), the typographic apostrophe made plain."""
    return plain(text).replace("’", "'")


def names_commune(name: str, commune: str) -> bool:
    """Whether ``name`` already ends with its commune: « Mairie de Riom »,
    « Mairie d’Aurillac » (the index then prints no « (Riom) » after it), but
    not « … Tarentaine-Marchal » for a commune called « Marchal »."""
    n, c = _fold(name).rstrip(" ."), _fold(commune)
    if not c or not n.endswith(c):
        return False
    before = n[: len(n) - len(c)]
    return before == "" or before[-1] in " '"


def no_widows(blocks: list[Block], *heads: str) -> None:
    """Index lines under a heading never stand alone at a column's foot or head.

    The first line stays with the second (a heading and one line do not end a
    column) and the next-to-last with the last (a « (suite) » heading is never
    followed by a single line).  Done with the paginator's « keep with next »,
    so the layout stays one pass."""
    run: list[Block] = []

    def close() -> None:
        if len(run) >= 2:
            run[0].keep = True
            run[-2].keep = True
        run.clear()

    for b in blocks:
        if b.kind in heads:
            close()
        else:
            run.append(b)
    close()
