"""Assembling and drawing the whole book in one layout pass.

Order of work (each step uses only what the previous ones fixed):

1. body: every theme's groups, typologies and entries become blocks and are
   flowed into columns (page numbers still unknown);
2. contents: one line per theme, group and typology, wrapped beside a
   right-hand number column of fixed width, so their page count is known
   before any number is;
3. numbering: cover (or title page), guide, contents, then for each theme an
   opener on a right-hand page (a 'Notes' page fills the gap when needed)
   and its body pages; the page of every heading is now known;
4. indexes of names and of communes, built from those numbers, flowed;
5. back matter: sources and credits, 'Notes' padding, emergency numbers,
   back cover.  Saddle stitch (piquée) pads to a multiple of 4; a perfect-
   bound book (collée) has a title page instead of the cover, no back cover,
   an even page count, and its cover is written as a separate spread
   ``<name>-couverture.pdf`` (back, spine, front).  Both have the same
   front matter, so choosing the binding after counting pages never moves a
   page number;
6. drawing, page after page, directly on the canvas.

Page log: one :class:`Placement` per placed block and per special page.
``page`` is the printed folio (= physical page, 1-based), ``column`` is
1-based for flowed columns and 0 for whole pages.  ``kind`` is one of:
'cover', 'title', 'guide', 'toc-title', 'toc', 'theme', 'group', 'subgroup',
'typology', 'typology-suite', 'commune', 'entry', 'index-title', 'index-letter',
'index-letter-suite', 'index-name', 'index-commune', 'index-commune-suite',
'index-commune-typology', 'colophon', 'credit', 'notes', 'urgence',
'back-cover'.  For 'toc' and index lines, ``text`` is the printed label, a
tab, then the printed page reference ('Pharmacie\\t12').
"""

from __future__ import annotations

import contextlib
import gc
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from annuaire import output
from annuaire.errors import LayoutFailure
from annuaire.editions.group import Directory
from annuaire.pdf.layout import Cmyk, Layout, TextStyle
from annuaire.pdf.blocks import MM, NBSP, Block, Typesetter, date_fr, number_fr, pages_fr
from annuaire.pdf.draw import BLACK, WHITE, Geometry, Painter
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.lines import Breaker
from annuaire.pdf.pages import SpecialPages
from annuaire.pdf.paginate import flow

INDEX_TAB = Cmyk(0, 0, 0, 0.75)
TAB_KEYLINE = 1.5  # pt of white around a tab lying on an opener's colour band

# Short thumb-tab labels for the Annex 1 themes and groups (a layout's
# [tabs.labels] wins).  Keys are matched without case, accents or punctuation.
TAB_LABELS = {
    "Services publics": "Services publics",
    "Action sociale et santé": "Santé, social",
    "Sports et loisirs": "Sports, loisirs",
    "Enseignement et éducation": "Éducation",
    "Vie pratique": "Vie pratique",
    "Institutions et collectivités": "Institutions",
    "Justice": "Justice",
    "Environnement, agriculture": "Environnement",
    "Logement, transport": "Logement",
    "Travail, emploi et formation": "Emploi",
    "Économie et finances": "Finances",
    "Sécurité et armées": "Sécurité",
    "Urgence": "Urgence",
    "Établissements sanitaires et sociaux": "Établissements",
    "Professionnels sanitaires et sociaux": "Professionnels",
    "Lieux d’écoute, de médiation et de prévention": "Écoute",
    "Équipements sportifs": "Sport",
    "Équipements culturels": "Culture",
    "Lieux et dispositifs d’accueil": "Accueil",
    "Fédérations, ligues et comités": "Fédérations",
    "Associations sportives et culturelles": "Associations",
    "Lieux d’information et d’orientation": "Orientation",
    "Établissements scolaires": "Écoles",
    "Établissements secondaires": "Secondaire",
    "Établissements d’enseignement supérieur": "Supérieur",
    "Accueil de la petite enfance": "Petite enfance",
    "Se déplacer": "Se déplacer",
    "Communiquer": "Communiquer",
    "Traiter, recycler les déchets": "Déchets",
    "Consommer": "Consommer",
}

# Paper thickness by grammage, uncoated offset paper (mm per sheet), as
# printers' spine calculators use; coated paper is thinner, so these err on
# the side of a wider spine.  Between two rows the value is interpolated.
PAPER_MM = (
    (60, 0.075),
    (70, 0.09),
    (80, 0.10),
    (90, 0.11),
    (100, 0.12),
    (115, 0.135),
    (120, 0.14),
    (135, 0.155),
    (150, 0.17),
    (170, 0.19),
)
DEFAULT_PAPER = "90g"
MIN_SPINE_MM = 3.0
MIN_TAB_MM = 10.0  # a tab shorter than this along the edge cannot be found by the thumb
SPINE_TEXT_MM = 8.0


@dataclass(frozen=True)
class RenderOptions:
    bleed_mm: float | None = None  # None: the layout's bleed
    crop_marks: bool = False
    binding: str | None = None  # 'piquee' | 'collee' | None = auto from the page count
    paper: str | None = None  # '0.1' (mm) or '90g' (grammage), for the spine
    title: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Placement:
    page: int  # printed folio = physical page number, 1-based
    column: int  # 1-based for flowed columns, 0 for a whole page
    kind: str
    key: str
    text: str


@dataclass(frozen=True)
class RenderResult:
    pages: int
    page_log: tuple[Placement, ...]
    warnings: tuple[str, ...] = ()
    binding: str = "piquee"
    cover: str | None = None  # path of the separate cover spread (perfect binding)
    spine_mm: float | None = None


def paper_thickness(paper: str | None) -> float:
    """Sheet thickness in mm from '0.1' (mm) or '90g' / '90 g/m²' (grammage)."""
    text = (paper or DEFAULT_PAPER).strip().lower().replace(",", ".")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(g|g/m2|g/m²|gsm)", text)
    if m:
        g = float(m.group(1))
        if g <= PAPER_MM[0][0]:
            return PAPER_MM[0][1] * g / PAPER_MM[0][0]
        for (g0, t0), (g1, t1) in zip(PAPER_MM, PAPER_MM[1:]):
            if g0 <= g <= g1:
                return t0 + (t1 - t0) * (g - g0) / (g1 - g0)
        return PAPER_MM[-1][1] * g / PAPER_MM[-1][0]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mm)?", text)
    if m:
        v = float(m.group(1))
        if 0.03 <= v <= 1.0:
            return v
    raise LayoutFailure(
        f"Papier « {paper} » non compris : donnez une épaisseur en millimètres (0.1) ou un grammage (90g)."
    )


def spine_width(pages: int, paper: str | None = None) -> float:
    """Spine width in mm: pages ÷ 2 × sheet thickness, at least 3 mm."""
    return max(MIN_SPINE_MM, pages / 2 * paper_thickness(paper))


@contextlib.contextmanager
def _no_a85():
    """ASCII85 costs time and size for nothing in a binary PDF; ReportLab only has a global switch."""
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


@dataclass
class PageSpec:
    kind: str
    cols: list | None = None
    ncols: int = 1
    key: str = ""
    title: str = ""
    sect: tuple = ()
    tab: int | None = None
    number: int = 0
    data: object = None
    placements: list = field(default_factory=list)


@dataclass
class Section:
    """A thumb-tab section: a theme, or a group of a single-theme book, or the indexes."""

    label: str
    colour: Cmyk


def render(directory: Directory, layout: Layout, out_path, options: RenderOptions | None = None) -> RenderResult:
    """Typeset ``directory`` with ``layout`` into ``out_path``."""
    # Layout allocates hundreds of thousands of small tuples that form no
    # reference cycles; the cyclic collector would rescan them over and over
    # (measured: a fifth of the time at 50,000 entries).  Reference counting
    # still frees everything.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Renderer(directory, layout, options or RenderOptions()).run(Path(out_path))
    finally:
        if enabled:
            gc.enable()


class _Renderer:
    def __init__(self, directory: Directory, layout: Layout, options: RenderOptions):
        binding = {"piquée": "piquee", "collée": "collee"}.get(options.binding or "", options.binding)
        if binding not in (None, "piquee", "collee"):
            raise LayoutFailure(f"Reliure « {options.binding} » inconnue : piquee ou collee.")
        if binding != options.binding:
            from dataclasses import replace

            options = replace(options, binding=binding)
        if not any(th.groups for th in directory.themes):
            raise LayoutFailure("Aucune fiche à imprimer : l’annuaire serait vide.")
        self.d = directory
        self.layout = layout
        self.opt = options
        bleed = layout.bleed if options.bleed_mm is None else options.bleed_mm
        if bleed < 0 or bleed > 10:
            raise LayoutFailure(f"Fond perdu de {bleed:g} mm impossible : entre 0 et 10 mm.")
        self.geo = Geometry.of(layout, bleed, options.crop_marks)
        self.fonts = FontSet(layout.fonts)
        self.breaker = Breaker(self.fonts, layout.hyphenate, layout.hyphen_min_word, layout.hyphen_language)
        self.warnings: list[str] = []
        g = self.geo
        self.col_h = g.text_height
        self.body_ts = Typesetter(layout, self.fonts, self.breaker, g.column_width)
        self.full_ts = Typesetter(layout, self.fonts, self.breaker, g.measure)
        self.multi = len(directory.themes) > 1
        self.sections: list[Section] = []
        self.group_colour: dict[tuple[int, int], Cmyk] = {}
        self.theme_colour: list[Cmyk] = []
        self._sections()

    # ------------------------------------------------------------ sections and colours

    def _sections(self) -> None:
        cols = self.layout.colours
        k = 0
        for ti, th in enumerate(self.d.themes):
            tc = cols.theme(th.theme.slug)
            self.theme_colour.append(tc)
            if self.multi:
                self.sections.append(Section(th.theme.label, tc))
            for gi, g in enumerate(th.groups):
                if self.multi:
                    self.group_colour[(ti, gi)] = tc
                else:
                    gc = cols.groups[k % len(cols.groups)]
                    k += 1
                    self.group_colour[(ti, gi)] = gc
                    self.sections.append(Section(g.label, gc))
        self.index_tab = len(self.sections)
        self.sections.append(Section("Index", INDEX_TAB))
        self._choose_tab_labels()

    def _tab_geometry(self) -> tuple[float, int]:
        """(tab height, tabs per edge) in points."""
        g = self.geo
        tabs = self.layout.tabs
        span = g.height - 2 * g.top  # the edge between the top and bottom margins
        h = min(tabs.height * MM, span / len(self.sections))
        # Below the layout's minimum height only if every section would not
        # find its own place down the edge otherwise: a tab that comes back to
        # the top sits level with another section's tab and misleads the
        # thumb.  Such short tabs carry numbers (see _choose_tab_labels).
        h = max(h, min(tabs.min_height * MM, span / len(self.sections)), MIN_TAB_MM * MM)
        return h, max(1, int(span / h + 1e-6))

    def _choose_tab_labels(self) -> None:
        """A short word per tab, or numbers for every section when one word does not fit.

        Numbers then also appear in the contents' colour swatches, so that
        tab 3 is found as « 3 » in the contents."""
        from annuaire.reference.taxonomy import key as label_key

        h, _ = self._tab_geometry()
        style = self.layout.styles.tab
        room = h - 4 * MM
        custom = {label_key(k): v for k, v in self.layout.tabs.labels}
        builtin = {label_key(k): v for k, v in TAB_LABELS.items()}
        fonts = self.fonts
        labels = []
        for sec in self.sections:
            k = label_key(sec.label)
            labels.append(fonts.clean(custom.get(k) or builtin.get(k) or sec.label))
        fits = [fonts.text_width(style.font, t) * style.size <= room for t in labels]
        self.tab_numbers = not all(fits[: self.index_tab])
        if self.tab_numbers:
            labels = [str(i + 1) for i in range(self.index_tab)] + [labels[-1] if fits[-1] else "Index"]
        self.tab_labels = labels

    def tab_of(self, sect: tuple) -> int | None:
        if not sect:
            return None
        ti, gi = sect
        if self.multi:
            return ti
        return sum(len(t.groups) for t in self.d.themes[:ti]) + gi

    def cover_colour(self) -> Cmyk:
        if self.d.themes and not self.multi:
            return self.theme_colour[0]
        return self.layout.colours.default_theme

    # ------------------------------------------------------------ body

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
        sp = self.layout.entry.space_after
        out = []
        self.heading_blocks: list[Block] = []
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
                        hb = ts.typology_heading(typ.code, typ.print_label, gc)
                        hb.sect = (ti, gi)
                        blocks.append(hb)
                        self.heading_blocks.append(hb)
                        # A commune heading above the first entry of each
                        # commune, when the typology has more than one and
                        # its names do not all say it already (« Mairie de
                        # Riom » needs no « RIOM » above it).
                        runs = tsec.communes()
                        marked = len(runs) > 1 and not all(
                            e.commune and _names_commune(e.name, e.commune) for e in tsec.entries
                        )
                        for k, run in enumerate(runs):
                            parent = hb
                            if marked:
                                cb = ts.commune_heading(f"{typ.code}|{run.label}", run.label, text_colour, gc)
                                cb.parent = hb
                                cb.sect = (ti, gi)
                                cb.space_before = 1.0 if k == 0 else sp + 1.0
                                blocks.append(cb)
                                parent = cb
                            # The first entry under a heading (typology or commune) sits close to it.
                            under_heading = marked or k == 0
                            for j, e in enumerate(run.entries):
                                eb = ts.entry(e, max_entry)
                                eb.parent = parent
                                eb.sect = (ti, gi)
                                eb.space_before = 2.0 if j == 0 and under_heading else sp
                                blocks.append(eb)
            pages = flow(blocks, self.geo.columns, self.col_h, self._suite, warnings=self.warnings)
            out.append((ti, pages))
        return out

    def _suite(self, heading: Block) -> "Block | list[Block]":
        if heading.kind == "commune":
            # A column continuing a commune: the typology's « (suite) », then
            # the commune's name again.
            return [self._suite(heading.parent), heading]
        fill = heading.decor[-1][5] if heading.decor else None
        return self.body_ts.suite(heading, fill, heading.kind + "-suite")

    # ------------------------------------------------------------ contents

    def contents(self) -> tuple[list, list[tuple[Block, object]]]:
        """Contents blocks flowed in one full-width column; (pages, [(toc block, target)])."""
        ts = self.full_ts
        st = self.layout.styles
        reserve = max(
            self.fonts.width(s.font, "0000") * s.size for s in (st.toc_theme, st.toc_group, st.toc_typology)
        )
        links: list[tuple[Block, object]] = []
        blocks: list[Block] = []
        sw = 6 * MM
        hb_iter = iter(self.heading_blocks)
        for ti, th in enumerate(self.d.themes):
            b = ts.ref_line("toc", th.theme.slug, th.theme.label, st.toc_theme, "", x=sw, ref_reserve=reserve)
            b.decor.append(("rect", 0.0, 0.5, 4.5 * MM, st.toc_theme.leading - 2, self.theme_colour[ti]))
            if self.multi and self.tab_numbers:
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
                    if self.tab_numbers:
                        self._swatch_number(b, str(self.tab_of((ti, gi)) + 1), st.toc_group)
                b.space_before = 6.0
                b.keep = True
                blocks.append(b)
                links.append((b, gb_heading))
                for s in g.subgroups:
                    for tsec in s.typologies:
                        hb = next(hb_iter)
                        b = ts.ref_line(
                            "toc", tsec.typology.code, tsec.typology.print_label, st.toc_typology, "", x=sw + 5 * MM,
                            ref_reserve=reserve,
                        )
                        b.space_before = 1.0
                        blocks.append(b)
                        links.append((b, hb))
        title_h = st.toc_title.leading + 6 * MM
        pages = flow(blocks, 1, self.col_h, None, first_top=title_h, warnings=self.warnings)
        return pages or [[[]]], links

    def _swatch_number(self, b: Block, number: str, style: TextStyle) -> None:
        """The tab number, reversed in the contents' colour swatch."""
        size = min(style.size, 8.5)
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
            for e in decorated:
                L = initial(e.name)
                if L != letter:
                    letter = L
                    head = self._letter(L)
                    blocks.append(head)
                label = f"{e.name} ({e.commune})" if e.commune and not _names_commune(e.name, e.commune) else e.name
                b = ts.ref_line("index-name", e.key, label, st.index, str(entry_page[e.key]))
                b.text = e.name
                b.parent = head
                b.space_before = 1.5
                blocks.append(b)
            _no_widows(blocks, "index-letter")
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
                cb = Block("index-commune", c, c)
                y = ts.para(cb, c, st.toc_group, 0.0, ts.cw, 0.0)
                cb.height = y + 1.0
                cb.keep = True
                cb.parent = head
                cb.space_before = 5.0
                blocks.append(cb)
                for code in sorted(by_commune[c], key=order.__getitem__):
                    ref = pages_fr(by_commune[c][code])
                    b = ts.ref_line("index-commune-typology", f"{c}|{code}", labels[code], st.index, ref, x=ts.indent)
                    b.parent = cb
                    b.space_before = 1.0
                    blocks.append(b)
            _no_widows(blocks, "index-letter", "index-commune")
            out.append(("communes", "Index des communes", blocks))
        result = []
        for key, title, blocks in out:
            title_h = st.index_title.leading + 6 * MM
            pages = flow(blocks, self.geo.columns, self.col_h, self._suite, first_top=title_h, warnings=self.warnings)
            result.append((key, title, pages))
        return result

    def _letter(self, letter: str) -> Block:
        return self.body_ts.ruled_heading("index-letter", letter, letter, self.layout.styles.index_letter, BLACK,
                                          gap=0.5, weight=0.75, below=3.0, space_before=8.0)

    # ------------------------------------------------------------ colophon

    def colophon(self) -> list:
        ts = self.full_ts
        st = self.layout.styles
        blocks: list[Block] = []

        def para(text: str, style: TextStyle, space: float = 4.0, kind: str = "colophon", key: str = "") -> Block:
            b = Block(kind, key, text)
            b.height = ts.para(b, text, style, 0.0, ts.cw, 0.0)
            b.space_before = space
            blocks.append(b)
            return b

        total = sum(len(th.entries()) for th in self.d.themes)
        para(
            f"Cet annuaire présente {number_fr(total)} service{'s' if total > 1 else ''}, "
            "à partir de données publiques et d’informations fournies par les communes et les services "
            "eux-mêmes. Sous chaque service, une ligne indique d’où vient l’information et sa date.",
            st.body,
            0.0,
        )
        for p in self.d.providers:
            b = Block("credit", p.name, p.name)
            y = ts.para(b, p.name, st.toc_group, 0.0, ts.cw, 0.0)
            for text in (
                p.dataset,
                # Licence and date are always printed: « non précisée » says
                # plainly that the contributor did not give them.
                f"Licence{NBSP}: {p.licence}" if p.licence else f"Licence{NBSP}: non précisée",
                f"Données du {date_fr(p.date)}" if p.date else f"Date des données{NBSP}: non précisée",
                f"{number_fr(p.entries)} service{'s' if p.entries > 1 else ''} dans cet annuaire",
                p.url,
            ):
                y = ts.para(b, text, st.body, ts.indent, ts.cw - ts.indent, y)
            b.height = y
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
        fam = self.layout.fonts.family
        if fam.lower().startswith("atkinson"):
            blocks[-1].keep = True
            para(
                "Texte composé en Atkinson Hyperlegible, un caractère dessiné par le Braille Institute "
                "pour les personnes malvoyantes.",
                st.body,
            )
        if self.d.note:
            blocks[-1].keep = True
            para(self.d.note, st.body)
        title_h = st.page_title.leading + 6 * MM
        return flow(blocks, 1, self.col_h, None, first_top=title_h, warnings=self.warnings)

    # ------------------------------------------------------------ assembly

    def run(self, out: Path) -> RenderResult:
        body = self.body()
        toc_pages, toc_links = self.contents()

        specs: list[PageSpec] = [PageSpec("cover"), PageSpec("guide")]
        for i, cols in enumerate(toc_pages):
            specs.append(PageSpec("toc", cols=cols, ncols=1, title="Sommaire" if i == 0 else ""))
        theme_page: dict[int, int] = {}
        for ti, pages in body:
            if len(specs) % 2 == 1:  # next page would be even: openers go on a right-hand page
                specs.append(PageSpec("notes"))
            theme_page[ti] = len(specs) + 1
            specs.append(PageSpec("opener", key=self.d.themes[ti].theme.slug, data=ti, tab=self.tab_of((ti, 0))))
            for cols in pages:
                first = next((b for col in cols for b, _ in col), None)
                sect = first.sect if first is not None else (ti, 0)
                specs.append(PageSpec("body", cols=cols, ncols=self.geo.columns, sect=sect, tab=self.tab_of(sect)))

        page_of: dict[int, int] = {}  # id(block) -> page
        entry_page: dict[str, int] = {}
        for n, sp in enumerate(specs, 1):
            sp.number = n
            if sp.kind == "body":
                for col in sp.cols:
                    for b, _ in col:
                        page_of.setdefault(id(b), n)
                        if b.kind == "entry":
                            entry_page[b.key] = n
        self._block_pages = page_of
        for b, target in toc_links:
            if isinstance(target, tuple):
                b.ref = str(theme_page[target[1]])
            else:
                b.ref = str(page_of[id(target)])

        refs: dict[str, int] = {}
        for key, title, pages in self.indexes(entry_page):
            refs[key] = len(specs) + 1
            for i, cols in enumerate(pages):
                specs.append(
                    PageSpec("index", cols=cols, ncols=self.geo.columns, key=key, title=title if i == 0 else "", tab=self.index_tab,
                             data=title)
                )
        colophon_page = len(specs) + 1
        for i, cols in enumerate(self.colophon()):
            specs.append(PageSpec("colophon", cols=cols, ncols=1, title="Sources et crédits" if i == 0 else ""))

        # Binding: decided on the page count with covers; the front matter is
        # the same either way, so no number moves.
        saddle_count = _round_up(len(specs) + 2, 4)
        binding = self.opt.binding or ("piquee" if saddle_count <= self.layout.saddle_max_pages else "collee")
        if binding == "piquee":
            total = saddle_count
            while len(specs) < total - 2:
                specs.append(PageSpec("notes"))
            specs.append(PageSpec("urgence"))
            specs.append(PageSpec("back-cover"))
        else:
            specs[0] = PageSpec("title")
            total = _round_up(len(specs) + 1, 2)
            while len(specs) < total - 1:
                specs.append(PageSpec("notes"))
            specs.append(PageSpec("urgence"))
        for n, sp in enumerate(specs, 1):
            sp.number = n
        refs["urgence"] = self.urgence_page = next(sp.number for sp in specs if sp.kind == "urgence")

        log = self._page_log(specs)
        # Only the page specs hold the blocks from here on: _draw frees each
        # page's blocks once drawn, so blocks and PDF content never peak together.
        del body, toc_pages
        self._draw(specs, out, refs, colophon_page)
        cover_path = None
        spine = None
        if binding == "collee":
            from annuaire.pdf.cover import write_cover

            spine = spine_width(len(specs), self.opt.paper)
            cover_path = str(out.with_name(out.stem + "-couverture.pdf"))
            write_cover(self, Path(cover_path), spine)
        warnings = list(dict.fromkeys(self.breaker.warnings + self.warnings))
        if self.fonts.missing:
            warnings.append(
                "Caractères absents de la police, remplacés par « ? » : " + " ".join(sorted(self.fonts.missing))
            )
        return RenderResult(
            pages=len(specs),
            page_log=tuple(log),
            warnings=tuple(warnings),
            binding=binding,
            cover=cover_path,
            spine_mm=spine,
        )

    def _page_log(self, specs: list[PageSpec]) -> list[Placement]:
        log: list[Placement] = []
        for sp in specs:
            n = sp.number
            if sp.kind == "opener":
                th = self.d.themes[sp.data].theme
                log.append(Placement(n, 0, "theme", th.slug, th.label))
                continue
            if sp.kind in ("toc", "index", "colophon") and sp.title:
                kind = {"toc": "toc-title", "index": "index-title", "colophon": "colophon"}[sp.kind]
                log.append(Placement(n, 0, kind, sp.key, sp.title))
            if sp.cols is None:
                log.append(Placement(n, 0, sp.kind, sp.key, ""))
                continue
            for ci, col in enumerate(sp.cols, 1):
                for b, _ in col:
                    text = b.text if b.ref_text is None else f"{b.text}\t{b.ref if b.ref is not None else b.ref_text}"
                    log.append(Placement(n, ci, b.kind, b.key, text))
        return log

    # ------------------------------------------------------------ drawing

    def _draw(self, specs: list[PageSpec], out: Path, refs: dict, colophon_page: int) -> None:
        d = self.d
        title = self.opt.title or f"{d.title} — {d.subtitle} — {d.territory}"
        author = self.opt.author or d.publisher or "annuaire"
        stamp = d.edition_date.strftime("D:%Y%m%d000000+00'00'")
        with _no_a85(), output.replacing(out) as tmp:
            c = Canvas(
                str(tmp),
                pagesize=self.geo.page_size,
                invariant=1,
                pageCompression=1,
                initialFontName=self.fonts.names["regular"],
                initialFontSize=10,
                enforceColorSpace="cmyk",
            )
            c.setDateFormatter(lambda *a: stamp)
            c.setTitle(title)
            c.setAuthor(author)
            c.setCreator("annuaire (annuaires papier des services publics)")
            c.setSubject(f"{d.subtitle} — {d.territory} — édition du {d.edition_date.isoformat()}")
            painter = Painter(c, self.geo, self.fonts, self.layout)
            special = SpecialPages(painter, self.full_ts, d)
            self.painter = painter
            for sp in specs:
                painter.begin_page()
                self._draw_page(painter, special, sp, refs, colophon_page)
                painter.end_page()
                sp.cols = None
            c.save()

    def _draw_page(self, p: Painter, special: SpecialPages, sp: PageSpec, refs: dict, colophon_page: int) -> None:
        n = sp.number
        kind = sp.kind
        if kind == "cover":
            special.cover(self.cover_colour())
            return
        if kind == "title":
            special.title_page(self.cover_colour())
            return
        if kind == "back-cover":
            special.back_cover(self.cover_colour(), refs.get("urgence"))
            return
        if kind == "guide":
            special.guide(n, refs, colophon_page)
        elif kind == "opener":
            ti = sp.data
            th = self.d.themes[ti]
            heading_of_group = {b.sect[1]: b for b in self.heading_blocks if b.kind == "group" and b.sect[0] == ti}
            items = [(grp.label, self._page_of_block(heading_of_group[gi]), self.group_colour[(ti, gi)])
                     for gi, grp in enumerate(th.groups)]
            special.opener(n, th.theme.label, self.theme_colour[ti], items)
        elif kind == "notes":
            special.notes(n)
        elif kind == "urgence":
            special.emergency(n)
        elif sp.cols is not None:
            self._columns(p, sp)
        if sp.tab is not None and self.layout.tabs.enabled:
            self._tab(p, n, sp.tab, on_band=kind == "opener")
        if kind in ("body", "index"):
            self._running_head(p, sp)
            self._running_foot(p, n)
        self._folio(p, n)

    def _page_of_block(self, block: Block) -> int:
        return self._block_pages[id(block)]

    def _columns(self, p: Painter, sp: PageSpec) -> None:
        g = self.geo
        st = self.layout.styles
        top = g.text_top
        n = sp.number
        if sp.title:
            style = {"toc": st.toc_title, "index": st.index_title, "colophon": st.page_title}[sp.kind]
            p.text(g.left(n), top - style.size, sp.title, style)
            rule = g.measure if sp.kind in ("toc", "colophon") else g.text_width
            p.hline(g.left(n), top - style.leading - 2 * MM, rule, 0.75, BLACK)
        if sp.kind in ("toc", "colophon"):
            # Set by the full-measure typesetter.
            widths = g.measure
            xs = [g.left(n)]
        elif sp.ncols == 1:
            # Body and index pages of a one-column layout: the blocks were set
            # at the column width, their page numbers must align there too.
            widths = g.column_width
            xs = [g.left(n)]
        else:
            widths = g.column_width
            xs = [g.column_x(n, i) for i in range(sp.ncols)]
        for x, col in zip(xs, sp.cols):
            if col:
                p.column(x, top, col, widths)

    def _folio(self, p: Painter, n: int) -> None:
        g = self.geo
        st = self.layout.styles.folio
        y = g.bottom - 9 * MM  # baseline: ≥ 6 mm from the trim whatever the creep
        y = max(y, 7 * MM)
        if n % 2:
            p.text(g.width - g.outer, y, str(n), st, align="right")
        else:
            p.text(g.outer, y, str(n), st)

    def _running_foot(self, p: Painter, n: int) -> None:
        """The edition's territory beside the folio, so a page photocopied or
        torn out still says which directory it comes from."""
        g = self.geo
        head = self.layout.styles.running_head
        st = TextStyle("regular", head.size, head.leading)
        folio = self.layout.styles.folio
        gap = 4 * MM
        room = g.text_width - self.fonts.text_width(folio.font, str(n)) * folio.size - gap
        text = f"Annuaire des services · {self.d.territory}"
        if self.fonts.text_width(st.font, text) * st.size > room:
            text = self.d.territory
            if self.fonts.text_width(st.font, text) * st.size > room:
                return
        y = max(g.bottom - 9 * MM, 7 * MM)
        folio_w = self.fonts.text_width(folio.font, str(n)) * folio.size
        if n % 2:
            p.text(g.width - g.outer - folio_w - gap, y, text, st, align="right")
        else:
            p.text(g.outer + folio_w + gap, y, text, st)

    def _running_head(self, p: Painter, sp: PageSpec) -> None:
        g = self.geo
        st = self.layout.styles.running_head
        n = sp.number
        if sp.kind == "index":
            text = sp.data
            fill = INDEX_TAB
        else:
            ti, gi = sp.sect
            th = self.d.themes[ti]
            if self.multi:
                text = th.theme.label if n % 2 == 0 else th.groups[gi].label
            else:
                # One theme (on the cover already): the group on the left, the
                # type of service at the top of the page on the right.
                text = th.groups[gi].label
                if n % 2:
                    typ = _page_typology(sp)
                    if typ and self.fonts.text_width(st.font, typ) * st.size <= g.text_width:
                        text = typ
            fill = self.group_colour[(ti, gi)]
        y = g.height - g.top + 4.5 * MM
        if n % 2:
            p.text(g.width - g.outer, y, text, st, align="right")
        else:
            p.text(g.outer, y, text, st)
        p.hline(g.left(n), y - 2 * MM, g.text_width, 0.5, fill)

    def _tab(self, p: Painter, n: int, index: int, on_band: bool = False) -> None:
        """A thumb tab on the outer edge, stepping down section after section.

        ``on_band``: the page has a colour band (a theme opener) that the tab
        may lie on, often in the tab's own colour; a white keyline
        (``TAB_KEYLINE``) then outlines the tab so that it keeps its shape."""
        g = self.geo
        sec = self.sections[index]
        h, per_edge = self._tab_geometry()
        slot = index % per_edge
        y = g.height - g.top - (slot + 1) * h
        w = self.layout.tabs.width * MM
        inset = 0.6 * MM  # a hairline of white between stacked tabs
        if on_band:
            k = TAB_KEYLINE
            if n % 2:
                p.rect(g.width - w - k, y + inset - k, w + g.bleed + k, h - 2 * inset + 2 * k, WHITE)
            else:
                p.rect(-g.bleed, y + inset - k, w + g.bleed + k, h - 2 * inset + 2 * k, WHITE)
        if n % 2:  # right-hand page: tab on the right edge
            p.rect(g.width - w, y + inset, w + g.bleed, h - 2 * inset, sec.colour)
        else:
            p.rect(-g.bleed, y + inset, w + g.bleed, h - 2 * inset, sec.colour)
        style = self.layout.styles.tab
        label = self.tab_labels[index]
        c = p.c
        # Text centred across the visible tab, kept beyond the safe zone from the trim.
        cx = max(w / 2 + g.safe / 2, g.safe + style.size * 0.5)
        if self.tab_numbers and index != self.index_tab:
            big = TextStyle(style.font, style.size * 1.4, style.leading * 1.4)
            x = g.width - cx if n % 2 else cx
            p.text(x, y + h / 2 - big.size * 0.35, label, big, WHITE, align="center")
            return
        c.saveState()
        if n % 2:
            c.translate(g.width - cx + style.size * 0.35, y + h / 2)
            c.rotate(-90)
        else:
            c.translate(cx - style.size * 0.35, y + h / 2)
            c.rotate(90)
        p.text(0, 0, label, style, WHITE, align="center")
        c.restoreState()


def _page_typology(sp: PageSpec) -> str | None:
    """Label of the first type of service on a body page (heading, « (suite) » or entry)."""
    for col in sp.cols or ():
        for b, _ in col:
            if b.kind == "typology":
                return b.text
            if b.kind in ("entry", "commune") and b.parent is not None:
                h = b.parent
                while h.kind != "typology" and h.parent is not None:
                    h = h.parent
                return h.text
    return None


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in s if not unicodedata.combining(c)).replace("’", "'")


def _names_commune(name: str, commune: str) -> bool:
    """Whether ``name`` already ends with its commune: « Mairie de Riom »,
    « Mairie d’Aurillac » (the index then prints no « (Riom) » after it), but
    not « … Tarentaine-Marchal » for a commune called « Marchal »."""
    n, c = _fold(name).rstrip(" ."), _fold(commune)
    if not c or not n.endswith(c):
        return False
    before = n[: len(n) - len(c)]
    return before == "" or before[-1] in " '"


def _no_widows(blocks: list[Block], *heads: str) -> None:
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


def _round_up(n: int, k: int) -> int:
    return -(-n // k) * k
