"""Page furniture: thumb-tab sections and their colours, tabs, folios, running heads and feet.

:class:`Sections` is the plan of the thumb tabs (which section each group or
theme belongs to, its colour, its label, where its tab sits down the edge);
it draws nothing.  :class:`Furniture` draws, on a page already begun, the
tab, the running head and foot and the folio of that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from annuaire.editions.group import Directory
from annuaire.pdf.blocks import MM
from annuaire.pdf.draw import BLACK, WHITE, Geometry, Painter
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.layout import Cmyk, Layout, TextStyle

INDEX_TAB = Cmyk(0, 0, 0, 0.75)
TAB_KEYLINE = 1.5  # pt of white around a tab lying on an opener's colour band
MIN_TAB_MM = 10.0  # a tab shorter than this along the edge cannot be found by the thumb

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
    # Types of service big enough for a tab of their own (tabs.own_from).
    "Pharmacie": "Pharmacies",
    "Mairie": "Mairies",
    "Médecin généraliste": "Médecins",
    "Services aux personnes âgées": "Personnes âgées",
    "Services aux personnes handicapées": "Handicap",
    "Établissements et services sociaux": "Social",
    "École élémentaire": "Écoles",
    "École maternelle": "Maternelles",
    "Bibliothèque": "Bibliothèques",
    "Bureau de poste": "Poste",
}
SUB_TAB_TINT = 0.35  # a type of service's own tab: its section's colour, light, with black text


@dataclass
class Section:
    """A thumb-tab section: a theme, or a group of a single-theme book, a big
    type of service (``sub``: its tab sits beside its section's), or the indexes."""

    label: str
    colour: Cmyk
    sub: bool = False


class Sections:
    """Thumb-tab sections, colours of themes and groups, tab labels and places.

    Down the outer edge, in book order: one tab per theme (several themes) or
    per group (one theme), each followed by the tabs of its big types of
    service (at least ``tabs.own_from`` entries: pharmacies, mairies…), then
    the index.  Every tab carries a word, in every edition: when the words
    need taller tabs than the edge holds in one run, the tabs step down the
    edge again from the top."""

    def __init__(self, directory: Directory, layout: Layout, fonts: FontSet, geo: Geometry):
        self.d = directory
        self.layout = layout
        self.fonts = fonts
        self.geo = geo
        self.multi = len(directory.themes) > 1
        self.sections: list[Section] = []
        self.group_colour: dict[tuple[int, int], Cmyk] = {}
        self.theme_colour: list[Cmyk] = []
        self._tab: dict[tuple[int, int], int] = {}
        # (theme, group, typology code) -> its own tab
        self.typology_tab: dict[tuple[int, int, str], int] = {}
        cols = layout.colours
        own_from = layout.tabs.own_from
        for ti, th in enumerate(directory.themes):
            tc = cols.theme(th.theme.slug)
            self.theme_colour.append(tc)
            theme_tab = len(self.sections)
            if self.multi:
                self.sections.append(Section(th.theme.label, tc))
            n = len(th.groups)
            for gi, g in enumerate(th.groups):
                if self.multi:
                    self.group_colour[(ti, gi)] = tc
                    self._tab[(ti, gi)] = theme_tab
                else:
                    # A theme keeps its colour in every edition: the groups
                    # of a one-theme book are shades of it, the first the
                    # theme's own (the opener's band is the tab's colour),
                    # the next ones darker step by step, each its own.
                    gcol = shade(tc, gi, n)
                    self.group_colour[(ti, gi)] = gcol
                    self._tab[(ti, gi)] = len(self.sections)
                    self.sections.append(Section(g.label, gcol))
                for t in g.typologies():
                    if len(t.entries) >= own_from:
                        self.typology_tab[(ti, gi, t.typology.code)] = len(self.sections)
                        colour = self.group_colour[(ti, gi)].tint(SUB_TAB_TINT)
                        self.sections.append(Section(t.typology.print_label, colour, sub=True))
        self.index_tab = len(self.sections)
        self.sections.append(Section("Index", INDEX_TAB))
        self._choose_tab_labels()

    def tab_geometry(self) -> tuple[float, int]:
        """(tab height, tabs per edge) in points."""
        g = self.geo
        tabs = self.layout.tabs
        span = g.height - 2 * g.top  # the edge between the top and bottom margins
        h = min(tabs.height * MM, span / len(self.sections))
        # Below the layout's minimum height only if every section would not
        # find its own place down the edge otherwise: a tab that comes back to
        # the top sits level with another section's tab.
        h = max(h, min(tabs.min_height * MM, span / len(self.sections)), MIN_TAB_MM * MM)
        # But never too short for its word: the tabs then step down the edge
        # again (words tell them apart; numbers would need the contents).
        h = max(h, min(self._need, span))
        return h, max(1, int(span / h + 1e-6))

    def _choose_tab_labels(self) -> None:
        """A short word per tab (a layout's [tabs.labels], else TAB_LABELS, else
        the section's label), and the tab height that word needs."""
        from annuaire.reference.taxonomy import key as label_key

        style = self.layout.styles.tab
        custom = {label_key(k): v for k, v in self.layout.tabs.labels}
        builtin = {label_key(k): v for k, v in TAB_LABELS.items()}
        fonts = self.fonts
        labels = []
        for sec in self.sections:
            k = label_key(sec.label)
            labels.append(fonts.clean(custom.get(k) or builtin.get(k) or sec.label))
        self._need = max(fonts.text_width(style.font, t) * style.size for t in labels) + 4 * MM
        # Kept for the contents, which once numbered its swatches like the tabs.
        self.tab_numbers = False
        self.tab_labels = labels

    def slot(self, index: int) -> int:
        """The place of tab ``index`` down the edge, 0 at the top."""
        return index % self.tab_geometry()[1]

    def tab_of(self, sect: tuple) -> int | None:
        """The tab of a (theme index, group index) section, None for none."""
        if not sect:
            return None
        return self._tab[tuple(sect)]

    def page_tabs(self, sect: tuple, cols) -> tuple[int | None, int | None]:
        """(section tab, own tab of a big type of service) of a body page whose
        columns are ``cols``: the second when the page holds an entry of such a
        type of service of its section, else None."""
        sub = None
        if self.typology_tab:
            for col in cols:
                for b, _ in col:
                    if b.kind == "entry" and b.sect == tuple(sect):
                        h = b.parent
                        while h is not None and h.kind != "typology":
                            h = h.parent
                        if h is not None:
                            sub = self.typology_tab.get((*b.sect, h.key))
                            if sub is not None:
                                return self.tab_of(sect), sub
        return self.tab_of(sect), sub

    def cover_colour(self) -> Cmyk:
        if self.d.themes and not self.multi:
            return self.theme_colour[0]
        return self.layout.colours.default_theme


def shade(c: Cmyk, i: int, n: int) -> Cmyk:
    """The ``i``-th of ``n`` shades of ``c``: ``c`` itself, then darker ones
    (more black, a little less of the other inks), all distinct."""
    if i == 0 or n <= 1:
        return c
    f = i / max(n - 1, 1)
    k = min(1.0, c.k + 0.45 * f)
    return Cmyk(*(round(v, 3) for v in (c.c * (1 - 0.3 * f), c.m * (1 - 0.3 * f), c.y * (1 - 0.3 * f), k)))


def sections_of(directory: Directory, layout: Layout, bleed_mm: float | None = None) -> Sections:
    """The sections of ``directory`` printed with ``layout`` (its own fonts and geometry)."""
    geo = Geometry.of(layout, layout.bleed if bleed_mm is None else bleed_mm, False)
    return Sections(directory, layout, FontSet(layout.fonts), geo)


class Furniture:
    """Draws the tab, running head and foot and folio of a page."""

    def __init__(self, painter: Painter, sections: Sections):
        self.p = painter
        self.s = sections
        self.d = sections.d
        self.layout = sections.layout
        self.fonts = sections.fonts
        self.geo = painter.geo

    def _folio_y(self) -> float:
        f = self.layout.furniture
        return max(self.geo.bottom - f.folio_drop * MM, f.folio_min * MM)

    def folio(self, n: int) -> None:
        g = self.geo
        st = self.layout.styles.folio
        y = self._folio_y()
        if n % 2:
            self.p.text(g.width - g.outer, y, str(n), st, align="right")
        else:
            self.p.text(g.outer, y, str(n), st)

    def running_foot(self, n: int) -> None:
        """The edition's territory beside the folio, so a page photocopied or
        torn out still says which directory it comes from."""
        g = self.geo
        head = self.layout.styles.running_head
        st = TextStyle("regular", head.size, head.leading)
        folio = self.layout.styles.folio
        gap = self.layout.furniture.foot_gap * MM
        room = g.text_width - self.fonts.text_width(folio.font, str(n)) * folio.size - gap
        text = f"Annuaire des services · {self.d.territory}"
        if self.fonts.text_width(st.font, text) * st.size > room:
            text = self.d.territory
            if self.fonts.text_width(st.font, text) * st.size > room:
                return
        y = self._folio_y()
        folio_w = self.fonts.text_width(folio.font, str(n)) * folio.size
        if n % 2:
            self.p.text(g.width - g.outer - folio_w - gap, y, text, st, align="right")
        else:
            self.p.text(g.outer + folio_w + gap, y, text, st)

    def running_head(self, n: int, text: str, fill: Cmyk) -> None:
        """``text`` at the outer edge above the text area, over a rule in ``fill``."""
        g = self.geo
        st = self.layout.styles.running_head
        y = g.height - g.top + self.layout.furniture.head_rise * MM
        if n % 2:
            self.p.text(g.width - g.outer, y, text, st, align="right")
        else:
            self.p.text(g.outer, y, text, st)
        self.p.hline(g.left(n), y - 2 * MM, g.text_width, 0.5, fill)

    def tab(self, n: int, index: int, on_band: bool = False) -> None:
        """A thumb tab on the outer edge, stepping down section after section.

        ``on_band``: the page has a colour band (a theme opener) that the tab
        may lie on, often in the tab's own colour; a white keyline
        (``TAB_KEYLINE``) then outlines the tab so that it keeps its shape."""
        g = self.geo
        p = self.p
        s = self.s
        sec = s.sections[index]
        h, per_edge = s.tab_geometry()
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
        label = s.tab_labels[index]
        c = p.c
        # Text centred across the visible tab, kept beyond the safe zone from the trim.
        cx = max(w / 2 + g.safe / 2, g.safe + style.size * 0.5)
        c.saveState()
        if n % 2:
            c.translate(g.width - cx + style.size * 0.35, y + h / 2)
            c.rotate(-90)
        else:
            c.translate(cx - style.size * 0.35, y + h / 2)
            c.rotate(90)
        # A type of service's own tab is a light tint: black on it.
        p.text(0, 0, label, style, BLACK if sec.sub else WHITE, align="center")
        c.restoreState()
