"""The book plan: which page is what, its number, the binding and the spine.

Pure (no canvas): from the composed body and contents it lays out the pages
in order and numbers them —

1. cover (or title page), guide, contents;
2. for each theme its opener and its body pages.  A theme whose body fills
   at least the layout's ``openers.full_page_from`` pages has a whole-page
   opener on a right-hand page (before the first one the emergency numbers
   fill the gap when there is one, so the front matter has no blank page;
   later a 'Notes' page); a shorter one starts on a new page under a compact
   head (``theme-head`` in the page log).  The page of every heading is then
   known, and the contents' references are filled in;
3. the indexes of names and of communes, composed from those numbers;
4. back matter: sources and credits, 'Notes' padding, emergency numbers
   (unless they are in the front matter), back cover.  Saddle stitch
   (piquée) pads to a multiple of 4; a perfect-bound book (collée) has a title page instead of the cover, no back cover,
   an even page count, and its cover is a separate spread (see
   :mod:`annuaire.pdf.cover`).  Both have the same front matter, so choosing
   the binding after counting pages never moves a page number.

Page log: one :class:`Placement` per placed block and per special page.
``page`` is the printed folio (= physical page, 1-based), ``column`` is
1-based for flowed columns and 0 for whole pages.  ``kind`` is one of:
'cover', 'title', 'guide', 'toc-title', 'toc', 'theme' (a whole-page
opener), 'theme-head' (a compact opener above a body page's columns),
'group', 'subgroup', 'typology', 'typology-suite', 'commune', 'entry', 'index-title', 'index-letter',
'index-letter-suite', 'index-name', 'index-name-suite', 'index-commune',
'index-commune-suite', 'colophon', 'credit', 'notes', 'urgence',
'back-cover', 'running-head' (a body page's head: first and last commune),
'tab' (a thumb tab: key its place down the edge, text its word).
For 'toc' and index lines, ``text`` is the printed label, a
tab, then the printed page reference ('Pharmacie\\t12').  A block cut
across columns (an index line taller than a column) is logged whole where
it starts; each column it continues in holds its « (suite) » head
('index-commune-suite': « Clermont-Ferrand (suite) ») and its lines, of kind
'<kind>-cont' (text: the lines printed there).  ``top`` and ``bottom``: a
flowed block's extent in mm from the top edge of the trim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annuaire.errors import LayoutFailure


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
PT_MM = 25.4 / 72  # mm per point


@dataclass(frozen=True, slots=True)
class Placement:
    page: int  # printed folio = physical page number, 1-based
    column: int  # 1-based for flowed columns, 0 for a whole page
    kind: str
    key: str
    text: str
    # A flowed block's extent, in mm down from the top edge of the trim (0
    # for whole pages): what lies below ``height - margins.bottom`` of the
    # layout is drawn in the bottom margin, or off the page.
    top: float = 0.0
    bottom: float = 0.0


def paper_thickness(paper: str | None) -> float:
    """Sheet thickness in mm from '0.1' (mm) or '90g' / '90 g/m²' (grammage)."""
    text = (paper or DEFAULT_PAPER).strip().lower().replace(",", ".")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(g|g/m2|g/m²|gsm)", text)
    if m and 30 <= float(m.group(1)) <= 400:  # from bible paper to card stock
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


@dataclass
class PageSpec:
    kind: str
    cols: list | None = None
    ncols: int = 1
    key: str = ""
    title: str = ""
    sect: tuple = ()
    tab: int | None = None
    subtab: int | None = None  # the own tab of a big type of service on the page
    number: int = 0
    data: object = None
    # Opener: (group label, page, colour) of each group of the theme.
    items: list = field(default_factory=list)
    head: str = ""  # running head of a body page (dictionary head)
    # A body page that opens a theme too short for a whole-page opener: the
    # theme's index (its compact head is drawn at the top of the page).
    opener: int | None = None


@dataclass
class BookPlan:
    pages: list[PageSpec]
    refs: dict[str, int]  # 'names', 'communes', 'urgence' -> page
    colophon_page: int
    urgence_page: int
    binding: str  # 'piquee' | 'collee'


def _typology_of(b) -> str:
    h = b.parent
    while h is not None and h.kind != "typology" and h.parent is not None:
        h = h.parent
    return h.text if h is not None else ""


def dictionary_head(cols: list, fits) -> str:
    """The running head of a body page, as a dictionary's: from its first
    entry to its last, « Pharmacie · Aigueperse – Vichy », or with both
    types of service when the page holds several (« Pharmacie · Vichy –
    Laboratoire · Riom »); the communes alone when that is too long for the
    head (``fits(text)``).  Empty for a page without entries."""
    first = last = None
    for col in cols:
        for b, _ in col:
            if b.kind == "entry":
                if first is None:
                    first = b
                last = b
    if first is None:
        return ""
    t1, t2 = _typology_of(first), _typology_of(last)
    c1, c2 = first.place or "", last.place or ""
    if t1 == t2:
        text = f"{t1} · {c1}" if c1 == c2 else f"{t1} · {c1} – {c2}"
        short = c1 if c1 == c2 else f"{c1} – {c2}"
    else:
        text = f"{t1} · {c1} – {t2} · {c2}"
        short = f"{c1} – {c2}"
    if fits(text):
        return text
    return short if fits(short) else c1


def plan(
    composer,
    body: list[tuple[int, list]],
    toc_pages: list,
    toc_links: list,
    *,
    binding: str | None,
    saddle_max_pages: int,
) -> BookPlan:
    """Number the pages of a book whose body and contents are composed.

    ``composer`` (:class:`~annuaire.pdf.compose.Composer`) composes the
    indexes (from the page of every entry) and the colophon; ``binding`` None
    chooses saddle stitch up to ``saddle_max_pages`` (covers included)."""
    d = composer.d
    sections = composer.sections
    ncols = composer.geo.columns
    specs: list[PageSpec] = [PageSpec("cover"), PageSpec("guide")]
    for i, cols in enumerate(toc_pages):
        specs.append(PageSpec("toc", cols=cols, ncols=1, title="Sommaire" if i == 0 else ""))
    theme_page: dict[int, int] = {}
    urgence_front = False
    for ti, pages in body:
        compact = ti in composer.compact
        if not compact and len(specs) % 2 == 1:
            # The next page would be a left-hand one, and a whole-page opener
            # goes on a right-hand page.  In the front matter the emergency
            # numbers fill the gap (a page a reader wants near the front),
            # never a blank « Notes » page; between themes a « Notes » page.
            if theme_page:
                specs.append(PageSpec("notes"))
            else:
                specs.append(PageSpec("urgence"))
                urgence_front = True
        theme_page[ti] = len(specs) + 1
        if not compact:
            specs.append(PageSpec("opener", key=d.themes[ti].theme.slug, data=ti, tab=sections.tab_of((ti, 0))))
        for k, cols in enumerate(pages):
            first = next((b for col in cols for b, _ in col), None)
            sect = first.sect if first is not None else (ti, 0)
            tab, subtab = sections.page_tabs(sect, cols)
            specs.append(
                PageSpec(
                    "body",
                    cols=cols,
                    ncols=ncols,
                    sect=sect,
                    tab=tab,
                    subtab=subtab,
                    head=dictionary_head(cols, composer.head_fits),
                    opener=ti if compact and k == 0 else None,
                )
            )

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
    for b, target in toc_links:
        if isinstance(target, tuple):
            b.ref = str(theme_page[target[1]])
        else:
            b.ref = str(page_of[id(target)])
    for sp in specs:
        if sp.kind == "opener":
            ti = sp.data
            heading_of_group = {b.sect[1]: b for b in composer.heading_blocks if b.kind == "group" and b.sect[0] == ti}
            sp.items = [
                (grp.label, page_of[id(heading_of_group[gi])], sections.group_colour[(ti, gi)])
                for gi, grp in enumerate(d.themes[ti].groups)
            ]

    refs: dict[str, int] = {}
    for key, title, pages in composer.indexes(entry_page):
        refs[key] = len(specs) + 1
        for i, cols in enumerate(pages):
            specs.append(
                PageSpec(
                    "index",
                    cols=cols,
                    ncols=ncols,
                    key=key,
                    title=title if i == 0 else "",
                    tab=sections.index_tab,
                    data=title,
                )
            )
    colophon_page = refs["colophon"] = len(specs) + 1
    for i, cols in enumerate(composer.colophon()):
        specs.append(PageSpec("colophon", cols=cols, ncols=1, title="Sources et crédits" if i == 0 else ""))

    # Binding: decided on the page count with covers; the front matter is
    # the same either way, so no number moves.
    tail = ["back-cover"] if urgence_front else ["urgence", "back-cover"]
    saddle_count = _round_up(len(specs) + len(tail), 4)
    if binding == "piquee" and saddle_count > saddle_max_pages:
        raise LayoutFailure(
            f"Reliure piquée à cheval impossible : l’annuaire ferait {saddle_count} pages, au-delà de "
            f"{saddle_max_pages} pages une brochure agrafée ne se ferme plus à plat. Choisissez le dos carré "
            "collé (--reliure collee) ou une édition plus petite (--territoire, un seul thème)."
        )
    binding = binding or ("piquee" if saddle_count <= saddle_max_pages else "collee")
    if binding == "piquee":
        total = saddle_count
    else:
        specs[0] = PageSpec("title")
        tail.remove("back-cover")
        total = _round_up(len(specs) + len(tail), 2)
    while len(specs) < total - len(tail):
        specs.append(PageSpec("notes"))
    specs.extend(PageSpec(kind) for kind in tail)
    for n, sp in enumerate(specs, 1):
        sp.number = n
    refs["urgence"] = urgence = next(sp.number for sp in specs if sp.kind == "urgence")
    return BookPlan(specs, refs, colophon_page, urgence, binding)


def page_log(
    specs: list[PageSpec], directory, guide: str = "", sections=None, margin_top: float = 0.0
) -> list[Placement]:
    """What was placed where, page by page (see the module docstring).

    The guide page's entry carries ``guide``, its paragraph on the age of the
    data.  With ``sections`` (tabs printed), each page's thumb tabs end its
    placements: kind 'tab', key its place down the edge (0 at the top), text
    its word.  ``margin_top`` (mm) places the columns' blocks on the page."""
    log: list[Placement] = []
    for sp in specs:
        _page_log(sp, directory, guide, log, margin_top)
        if sections is not None:
            for index in (sp.tab, sp.subtab):
                if index is not None:
                    log.append(Placement(sp.number, 0, "tab", str(sections.slot(index)), sections.tab_labels[index]))
    return log


def _page_log(sp: PageSpec, directory, guide: str, log: list[Placement], margin_top: float = 0.0) -> None:
    """The placements of one page, its tabs aside."""
    n = sp.number
    if sp.kind == "guide":
        log.append(Placement(n, 0, "guide", "dates", guide))
        return
    if sp.kind == "opener":
        th = directory.themes[sp.data].theme
        log.append(Placement(n, 0, "theme", th.slug, th.label))
        return
    if sp.opener is not None:
        th = directory.themes[sp.opener].theme
        log.append(Placement(n, 0, "theme-head", th.slug, th.label))
    if sp.head:
        log.append(Placement(n, 0, "running-head", "", sp.head))
    if sp.kind in ("toc", "index", "colophon") and sp.title:
        kind = {"toc": "toc-title", "index": "index-title", "colophon": "colophon"}[sp.kind]
        log.append(Placement(n, 0, kind, sp.key, sp.title))
    if sp.cols is None:
        log.append(Placement(n, 0, sp.kind, sp.key, ""))
        return
    for ci, col in enumerate(sp.cols, 1):
        for b, y in col:
            text = b.text if b.ref_text is None else f"{b.text}\t{b.ref if b.ref is not None else b.ref_text}"
            top = round(margin_top + y * PT_MM, 3)
            log.append(Placement(n, ci, b.kind, b.key, text, top, round(margin_top + (y + b.height) * PT_MM, 3)))


def _round_up(n: int, k: int) -> int:
    return -(-n // k) * k
