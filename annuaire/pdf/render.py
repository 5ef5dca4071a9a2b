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
import logging
import os
import select
import signal
import struct
from operator import attrgetter, itemgetter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

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
from annuaire.pdf.pagepack import PagePack
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
# them on Linux (see _Renderer._fork): forking costs ~0.05 s.
PARALLEL_MIN_PAGES = 200
# Share of the drawing work (in lines, see _Renderer._fork) the forked process
# takes.  This one also gives the pages received their content, but the forked
# process pays for its fork (page tables, first writes): measured at 20,000
# entries with packed pages, the two end together at 0.46 (at 0.5 the forked
# one ended 0.1-0.8 s after this one, which waited for it).
CHILD_SHARE = 0.46
_PAGE_COST = 20.0  # lines-equivalent of a page's frame, furniture and compression
_DELEGABLE = ("body", "index")

_FRAME = struct.Struct("<ii")  # page index, length of its content (-1: left to the parent)
_END = -1  # page index of the last frame: the forked process has finished


def _can_fork() -> bool:
    import sys

    return sys.platform.startswith("linux") and hasattr(os, "fork")


class _Drawn:
    """Pages a forked process draws, received as it sends them: the
    compressed content of each, or None for a page it left to this process
    (or did not reach: given up, failed or died)."""

    def __init__(self, pid: int, fd: int, pages: list[int], pack: PagePack):
        self.pack = pack
        self.pid = pid
        self.fd = fd
        self.first = pages[0]
        self.given = len(pages)
        self.sent = 0  # pages received with their content
        self.last = -1  # index of the last page received
        self.received: dict[int, bytes | None] = {}
        self.buffer = bytearray()
        self.open = True
        os.set_blocking(fd, False)

    def poll(self) -> None:
        """Take what has arrived, without waiting: the other process never
        waits for room in the pipe while this one draws its own pages."""
        if self.open:
            self._read(wait=False)

    def get(self, i: int) -> bytes | None:
        """The content of page ``i`` if the other process drew it (pages are asked in order)."""
        if i < self.first:
            return None
        while self.open and self.last < i:
            self._read(wait=True)
        return self.received.pop(i, None)

    def finish(self) -> None:
        """Wait for the end of the other process (it has sent every page)."""
        while self.open:
            self._read(wait=True)

    def _read(self, wait: bool) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                if not wait:
                    return
                select.select([self.fd], [], [])
                continue
            if not chunk:  # the process ended (a frame cut short is ignored)
                self.close(ended=True)
                return
            self.buffer += chunk
            self._frames()
            return

    def _frames(self) -> None:
        buf = self.buffer
        at = 0
        size = _FRAME.size
        while len(buf) - at >= size:
            index, length = _FRAME.unpack_from(buf, at)
            if index == _END:
                self.close(ended=True)
                return
            end = at + size + max(length, 0)
            if end > len(buf):
                break
            if length >= 0:
                self.received[index] = bytes(buf[at + size : end])
                self.sent += 1
                # The page's packed columns are no longer needed here.
                self.pack.drop(index)
            self.last = index
            at = end
        del buf[:at]

    def close(self, ended: bool = False) -> None:
        """Stop listening and reap the process: it has ended (``ended``) or
        is stopped (this process draws what it did not send)."""
        if not self.open:
            return
        self.open = False
        self.buffer = bytearray()
        os.close(self.fd)
        try:
            if not ended:
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass
        if self.sent < self.given:
            log.info(
                "Pages laissées par le second processus au premier : %d sur %d.", self.given - self.sent, self.given
            )


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
            drawn = pack = None
            delegable = [i for i, sp in enumerate(specs) if sp.kind in _DELEGABLE]
            if len(delegable) >= PARALLEL_MIN_PAGES:
                # Whatever the number of processes (the bytes must not depend
                # on it): the characters of French text get their codes
                # before any page is drawn, so that drawing a body or index
                # page of such text changes nothing in the document and
                # another process may draw it.
                painter.encoder.preassign(self.fonts.names.values(), REPERTOIRE)
                if self.opt.jobs >= 2 and _can_fork():
                    pages = self._pages_elsewhere(specs, delegable)
                    # From here the pages' blocks are kept packed (see
                    # pagepack): neither process then writes to the other's
                    # copy of them as it draws.
                    pack = PagePack(specs, delegable, formats=self.body_ts.formats() + self.full_ts.formats())
                    self.breaker.forget()  # no more paragraphs to break in the body
                    drawn = self._fork(specs, pages, pack, painter, special, furniture, refs, colophon_page)
            progress = self.opt.progress
            try:
                for i, sp in enumerate(specs):
                    content = drawn.get(i) if drawn is not None else None
                    if content is None:
                        if pack is not None:
                            pack.restore(i, sp)
                        painter.begin_page()
                        self._draw_page(painter, special, furniture, sp, refs, colophon_page)
                        painter.end_page()
                        if drawn is not None:
                            drawn.poll()
                    else:  # its packed columns went when it was received
                        painter.page_drawn_elsewhere(content)
                    sp.cols = None
                    if progress is not None:
                        progress(i + 1, len(specs))
                if drawn is not None:
                    drawn.finish()
            finally:
                if drawn is not None:
                    drawn.close()
            c.save()

    @staticmethod
    def _pages_elsewhere(specs: list[PageSpec], delegable: list[int]) -> list[int]:
        """The last body and index pages, about CHILD_SHARE of the drawing
        work, for a forked process to draw."""
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
        return pages

    def _fork(
        self,
        specs: list[PageSpec],
        pages: list[int],
        pack: PagePack,
        painter: Painter,
        special: SpecialPages,
        furniture: Furniture,
        refs: dict,
        colophon_page: int,
    ) -> "_Drawn | None":
        """A forked process draws ``pages`` from ``pack`` while this one
        draws the others, and sends back each page's compressed content as
        soon as it is drawn.  None: no process could be started."""
        try:
            rfd, wfd = os.pipe()
            try:
                # Room for a few hundred pages: the forked process then never
                # waits while this one draws a page between two reads.
                import fcntl

                fcntl.fcntl(wfd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
            except OSError:
                pass
        except OSError:
            log.info("Dessin des pages en un seul processus (pas de tube).", exc_info=True)
            return None
        try:
            pid = os.fork()
        except OSError:  # no process could be started: everything is drawn here
            log.info("Dessin des pages en un seul processus (le second n’a pas pu démarrer).", exc_info=True)
            os.close(rfd)
            os.close(wfd)
            return None
        if pid == 0:  # pragma: no cover - the forked process (its coverage is not collected)
            status = 1
            try:
                os.close(rfd)
                self._send(wfd, specs, pages, pack, painter, special, furniture, refs, colophon_page)
                status = 0
            finally:
                # Never back into the parent's code (nor its exit handlers).
                os._exit(status)
        os.close(wfd)
        return _Drawn(pid, rfd, pages, pack)

    def _send(self, fd: int, *args) -> None:
        """In the forked process: each page drawn, sent as it is done."""
        write = os.write
        for i, content in self._draw_alone(*args):
            data = _FRAME.pack(i, -1 if content is None else len(content)) + (content or b"")
            view = memoryview(data)
            while view:
                view = view[write(fd, view) :]
        write(fd, _FRAME.pack(_END, 0))

    def _draw_alone(
        self,
        specs: list[PageSpec],
        pages: list[int],
        pack: PagePack,
        painter: Painter,
        special: SpecialPages,
        furniture: Furniture,
        refs: dict,
        colophon_page: int,
    ) -> Iterator[tuple[int, bytes | None]]:
        """In the forked process: the compressed content of each of ``pages``,
        or None for a page that would change anything beyond its own content
        (a character without its code, an image, a warning…): the parent
        draws it.  Stops early if the fonts changed all the same."""
        encoder = painter.encoder
        encoder.frozen = True
        fonts = painter.document_state()[3]
        state = self._side_state(painter)
        doc = painter.c._doc
        for i in pages:
            sp = specs[i]
            pack.restore(i, sp)
            encoder.refused = False
            painter.begin_page()
            self._draw_page(painter, special, furniture, sp, refs, colophon_page)
            painter.end_page()
            content = compressed_content(painter.c)
            before, state = state, self._side_state(painter)
            if state[0][3] != fonts:
                return
            if content is None or encoder.refused or state != before or not painter.last_page_is_plain():
                content = None
            doc.Pages.pages[-1].Contents = None  # sent, not kept
            sp.cols = None
            yield i, content

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
