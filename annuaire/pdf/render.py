"""Rendering a directory: composition, book plan, then drawing page after page.

The engine is four parts, each using only what the previous ones fixed:

* :mod:`~annuaire.pdf.compose` — the directory becomes blocks flowed into
  columns (body, contents, indexes, colophon);
* :mod:`~annuaire.pdf.book` — the book plan, pure: pages in order, numbers,
  binding, spine, page log;
* :mod:`~annuaire.pdf.furniture` — thumb-tab sections, tabs, folios,
  running heads and feet;
* :mod:`~annuaire.pdf.canvas` — the canvas set-up shared with the separate
  cover (:mod:`~annuaire.pdf.cover`).

This module only sets the order and draws each page of the plan directly on
the canvas, releasing its blocks once drawn.
"""

from __future__ import annotations

import gc
from operator import attrgetter, itemgetter
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from annuaire import output
from annuaire.editions.group import Directory
from annuaire.errors import LayoutFailure
from annuaire.pdf.blocks import Typesetter
from annuaire.pdf import age
from annuaire.pdf.book import PageSpec, Placement, page_log, paper_thickness, plan, spine_width
from annuaire.pdf.canvas import compressed_content, no_a85, open_canvas
from annuaire.pdf.compose import Composer
from annuaire.pdf.draw import BLACK, MM, REPERTOIRE, Geometry, Painter
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.furniture import INDEX_TAB, Furniture, Sections
from annuaire.pdf.layout import Layout
from annuaire.pdf.lines import Breaker
from annuaire.pdf.pages import SpecialPages

log = logging.getLogger(__name__)

__all__ = ["Placement", "RenderOptions", "RenderResult", "paper_thickness", "render", "spine_width"]


@dataclass(frozen=True)
class RenderOptions:
    bleed_mm: float | None = None  # None: the layout's bleed
    crop_marks: bool = False
    binding: str | None = None  # 'piquee' | 'collee' | None = auto from the page count
    paper: str | None = None  # '0.1' (mm) or '90g' (grammage), for the spine
    title: str | None = None
    author: str | None = None
    progress: Callable[[int, int], None] | None = None  # (pages drawn, pages) after each page
    # Processes the engine may use (a forked second one on Linux); the bytes
    # written are the same whatever the number.
    jobs: int = 1


@dataclass(frozen=True)
class RenderResult:
    pages: int
    page_log: tuple[Placement, ...]
    warnings: tuple[str, ...] = ()
    binding: str = "piquee"
    cover: str | None = None  # path of the separate cover spread (perfect binding)
    spine_mm: float | None = None


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


# Body and index pages above which a forked process draws about half of
# them on Linux (see _Renderer._fork): forking and sending back cost ~0.1 s.
PARALLEL_MIN_PAGES = 200
# Share of the drawing work (in lines, see _Renderer._fork) the forked process
# takes: this one also writes the file once all pages are drawn.
CHILD_SHARE = 0.55
_PAGE_COST = 20.0  # lines-equivalent of a page's frame, furniture and compression
_DELEGABLE = ("body", "index")

# What a forked drawer reads: set just before the fork, inherited without copying.
_SHARED: tuple = ()


def _can_fork() -> bool:
    import multiprocessing
    import sys

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _draw_shared() -> list[bytes | None]:
    """In the forked process: the pages it was given (see _Renderer._draw_alone)."""
    renderer, specs, pages, painter, special, furniture, refs, colophon_page = _SHARED
    return renderer._draw_alone(specs, pages, painter, special, furniture, refs, colophon_page)


class _Drawn:
    """Pages a forked process draws: the compressed content of each, once it
    has finished, and None for the pages it did not draw (given up or failed)."""

    def __init__(self, pool, future, pages: list[int]):
        self.pool = pool
        self.future = future
        self.first = pages[0]
        self.pages = pages
        self.content: dict[int, bytes | None] | None = None

    def get(self, i: int) -> bytes | None:
        if i < self.first:
            return None
        if self.content is None:
            try:
                got = self.future.result()
            except Exception:  # the process failed or died: its pages are drawn here
                log.info("Dessin en deux processus abandonné : toutes les pages dessinées ici.", exc_info=True)
                got = []
            missed = len(self.pages) - sum(content is not None for content in got)
            if missed:
                log.info("%d pages sur %d laissées par le second processus.", missed, len(self.pages))
            self.content = dict(zip(self.pages, got))
            self.close()
        return self.content.pop(i, None)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Renderer:
    def __init__(self, directory: Directory, layout: Layout, options: RenderOptions):
        binding = {"piquée": "piquee", "collée": "collee"}.get(options.binding or "", options.binding)
        if binding not in (None, "piquee", "collee"):
            raise LayoutFailure(f"Reliure « {options.binding} » inconnue : piquee ou collee.")
        if binding != options.binding:
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
        self.body_ts = Typesetter(layout, self.fonts, self.breaker, g.column_width)
        self.full_ts = Typesetter(layout, self.fonts, self.breaker, g.measure)
        self.sections = Sections(directory, layout, self.fonts, g)
        self.composer = Composer(
            directory, layout, self.fonts, g, self.sections, self.body_ts, self.full_ts, self.warnings, options.jobs
        )

    def run(self, out: Path) -> RenderResult:
        body = self.composer.body()
        toc_pages, toc_links = self.composer.contents()
        book = plan(
            self.composer,
            body,
            toc_pages,
            toc_links,
            binding=self.opt.binding,
            saddle_max_pages=self.layout.saddle_max_pages,
        )
        specs = book.pages
        log = page_log(
            specs,
            self.d,
            guide=age.guide_text(self.d, self.layout.entry.old_after_months),
            sections=self.sections if self.layout.tabs.enabled else None,
            margin_top=self.layout.margin_top,
        )
        # Only the page specs hold the blocks from here on: _draw frees each
        # page's blocks once drawn, so blocks and PDF content never peak together.
        del body, toc_pages
        # Every name is filed (indexes, contents): the sort keys remembered for
        # grouping and the indexes would only sit in memory while pages are drawn.
        from annuaire.editions.group import sort_key
        from annuaire.text import collate

        sort_key.cache_clear()
        collate.sort_key.cache_clear()
        self._draw(specs, out, book.refs, book.colophon_page)
        cover_path = None
        spine = None
        if book.binding == "collee":
            from annuaire.pdf.cover import write_cover

            spine = spine_width(len(specs), self.opt.paper)
            cover_path = str(out.with_name(out.stem + "-couverture.pdf"))
            said = write_cover(
                Path(cover_path),
                spine,
                directory=self.d,
                layout=self.layout,
                geo=self.geo,
                fonts=self.fonts,
                typesetter=self.full_ts,
                colour=self.sections.cover_colour(),
                author=self.opt.author,
                urgence_page=book.urgence_page,
            )
            self.warnings.extend(said)
        warnings = list(dict.fromkeys(self.breaker.warnings + self.warnings))
        if self.fonts.missing:
            from annuaire.text.terminal import codes

            warnings.append(
                "Caractères absents de la police, remplacés par « ? » : "
                + codes(sorted(self.fonts.missing))
                + " (les cellules qui les contiennent : avertissements « caracteres-non-imprimables » "
                "du rapport, --report, ou annuaire validate)."
            )
        return RenderResult(
            pages=len(specs),
            page_log=tuple(log),
            warnings=tuple(warnings),
            binding=book.binding,
            cover=cover_path,
            spine_mm=spine,
        )

    # ------------------------------------------------------------ drawing

    def _draw(self, specs: list[PageSpec], out: Path, refs: dict, colophon_page: int) -> None:
        d = self.d
        with no_a85(), output.replacing(out) as tmp:
            c = open_canvas(
                tmp,
                self.geo.page_size,
                self.fonts,
                d.edition_date,
                title=self.opt.title or f"{d.title} — {d.subtitle} — {d.territory}",
                author=self.opt.author or d.publisher or "annuaire",
                subject=f"{d.subtitle} — {d.territory} — édition du {d.edition_date.isoformat()}",
                font_size=10,
            )
            painter = Painter(c, self.geo, self.fonts, self.layout)
            special = SpecialPages(painter, self.full_ts, d)
            furniture = Furniture(painter, self.sections)
            drawn = None
            delegable = [i for i, sp in enumerate(specs) if sp.kind in _DELEGABLE]
            if len(delegable) >= PARALLEL_MIN_PAGES:
                # Whatever the number of processes (the bytes must not depend
                # on it): the characters of French text get their codes
                # before any page is drawn, so that drawing a body or index
                # page of such text changes nothing in the document and
                # another process may draw it.
                painter.encoder.preassign(self.fonts.names.values(), REPERTOIRE)
                drawn = self._fork(specs, delegable, painter, special, furniture, refs, colophon_page)
            progress = self.opt.progress
            try:
                for i, sp in enumerate(specs):
                    content = drawn.get(i) if drawn is not None else None
                    painter.begin_page()
                    if content is None:
                        self._draw_page(painter, special, furniture, sp, refs, colophon_page)
                    painter.end_page(content)
                    sp.cols = None
                    if progress is not None:
                        progress(i + 1, len(specs))
            finally:
                if drawn is not None:
                    drawn.close()
            c.save()

    def _fork(
        self,
        specs: list[PageSpec],
        delegable: list[int],
        painter: Painter,
        special: SpecialPages,
        furniture: Furniture,
        refs: dict,
        colophon_page: int,
    ) -> "_Drawn | None":
        """With two processes on Linux: a forked process draws the last body
        and index pages (about half the work) while this one draws the others,
        and sends back each page's compressed content.  None: one process."""
        global _SHARED
        if self.opt.jobs < 2 or not _can_fork():
            return None
        first, lines_of = itemgetter(0), attrgetter("lines")
        weights = [_PAGE_COST + sum(len(lines_of(b)) for col in sp.cols or () for b in map(first, col)) for sp in specs]
        # This process also writes the file once all pages are drawn.
        target = sum(weights) * CHILD_SHARE
        pages: list[int] = []
        got = 0.0
        for i in reversed(delegable):
            if got >= target:
                break
            pages.append(i)
            got += weights[i]
        pages.reverse()
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _SHARED = (self, specs, pages, painter, special, furniture, refs, colophon_page)
        try:
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            future = pool.submit(_draw_shared)
        except Exception:  # no process could be started: everything is drawn here
            log.info("Dessin des pages en un seul processus (le second n’a pas pu démarrer).", exc_info=True)
            return None
        finally:
            _SHARED = ()
        return _Drawn(pool, future, pages)

    def _draw_alone(
        self,
        specs: list[PageSpec],
        pages: list[int],
        painter: Painter,
        special: SpecialPages,
        furniture: Furniture,
        refs: dict,
        colophon_page: int,
    ) -> list[bytes | None]:
        """In the forked process: the compressed content of each of ``pages``,
        or None for a page that would change anything beyond its own content
        (a character without its code, an image, a warning…): the parent
        draws it.  Stops early if the fonts changed all the same."""
        encoder = painter.encoder
        encoder.frozen = True
        fonts = painter.document_state()[3]
        state = self._side_state(painter)
        done: list[bytes | None] = []
        doc = painter.c._doc
        for i in pages:
            sp = specs[i]
            encoder.refused = False
            painter.begin_page()
            self._draw_page(painter, special, furniture, sp, refs, colophon_page)
            painter.end_page()
            content = compressed_content(painter.c)
            before, state = state, self._side_state(painter)
            if state[0][3] != fonts:
                break
            if content is None or encoder.refused or state != before or not painter.last_page_is_plain():
                done.append(None)
            else:
                done.append(content)
            doc.Pages.pages[-1].Contents = None  # kept once, in ``done``
            sp.cols = None
        return done

    def _side_state(self, painter: Painter) -> tuple:
        return painter.document_state(), len(self.breaker.warnings), len(self.warnings)

    def _draw_page(
        self, p: Painter, special: SpecialPages, furniture: Furniture, sp: PageSpec, refs: dict, colophon_page: int
    ) -> None:
        n = sp.number
        kind = sp.kind
        colour = self.sections.cover_colour()
        if kind == "cover":
            special.cover(colour)
            return
        if kind == "title":
            special.title_page(colour)
            return
        if kind == "back-cover":
            special.back_cover(colour, refs.get("urgence"))
            return
        if kind == "guide":
            special.guide(n, refs, colophon_page)
        elif kind == "opener":
            ti = sp.data
            special.opener(
                n,
                self.d.themes[ti].theme.label,
                self.sections.theme_colour[ti],
                sp.items,
                self.composer.sources_key(ti, refs.get("colophon")),
            )
        elif kind == "notes":
            special.notes(n)
        elif kind == "urgence":
            special.emergency(n)
        elif sp.cols is not None:
            if sp.opener is not None:
                ti = sp.opener
                special.compact_opener(
                    n,
                    self.d.themes[ti].theme.label,
                    self.sections.theme_colour[ti],
                    self.composer.sources_key(ti, refs.get("colophon")),
                )
            self._columns(p, sp)
        if sp.tab is not None and self.layout.tabs.enabled:
            furniture.tab(n, sp.tab, on_band=kind == "opener")
            if sp.subtab is not None:
                furniture.tab(n, sp.subtab)
        if kind in ("body", "index"):
            furniture.running_head(n, *self._running_head(sp))
            furniture.running_foot(n)
        furniture.folio(n)

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

    def _running_head(self, sp: PageSpec):
        """(text, rule colour) of a body or index page's running head."""
        if sp.kind == "index":
            return sp.data, INDEX_TAB
        ti, gi = sp.sect
        text = sp.head or self.d.themes[ti].groups[gi].label
        return text, self.sections.group_colour[(ti, gi)]
