"""The columns of body and index pages kept packed while two processes draw.

When a forked process draws half of the pages (see ``render._Renderer._fork``),
every object either process touches after the fork costs a copy of its page of
memory: CPython writes the reference count of every block, line and string it
reads.  Each process would copy what it draws, and each page of memory
written by one stays whole in the other: the blocks of a large book (some
70 MB at 20,000 entries) would be held about twice over.

So, just before the fork, the columns of the pages to draw are packed, page by
page, into one ``bytes`` each (``marshal``: numbers and strings only), and
the blocks are let go.  Each process then rebuilds one page's columns just
before drawing it and drops them right after: it touches a bytes object and
a few hundred objects of its own at a time, never the shared blocks.

The lines keep their format tuples, and the decorations their colours, and
the references their styles, as the very objects they were (identity matters
to the drawing code: colours are compared with ``is``), numbered in small
tables of distinct objects.  The rebuilt columns draw exactly the same bytes
as the blocks they come from.
"""

from __future__ import annotations

import marshal
from operator import itemgetter
from collections.abc import Iterable


class Drawable:
    """What :meth:`Painter.column <annuaire.pdf.draw.Painter.column>` reads of a block."""

    __slots__ = ("lines", "decor", "ref", "ref_style")


class PagePack:
    """The packed columns of some pages; ``restore`` gives a page its
    columns back, ``drop`` forgets a page drawn elsewhere."""

    def __init__(self, specs: list, pages: Iterable[int], formats: Iterable[tuple] = ()):
        """Pack the columns of ``pages`` (indexes into ``specs``) and let
        their blocks go.  ``formats``: the line formats known beforehand (the
        typesetters'), numbered first so that few are met for the first time."""
        self._formats: list = []
        self._colours: list = []
        self._styles: list = [None]
        self._data: dict[int, bytes] = {}
        fids: dict[int, int] = {}
        cids: dict[int, int] = {}
        sids: dict[int, int] = {id(None): 0}
        colours, styles = self._colours, self._styles

        def numbers(objs: list, ids: dict, table: list) -> tuple:
            """The table numbers of ``objs``, new ones added (kept alive in
            the table, so that their ids are not reused)."""
            got = tuple(map(ids.get, map(id, objs)))
            if None in got:
                for obj, k in zip(objs, got):
                    if k is None and id(obj) not in ids:
                        ids[id(obj)] = len(table)
                        table.append(obj)
                got = tuple(map(ids.__getitem__, map(id, objs)))
            return got

        numbers(list(formats), fids, self._formats)
        formats = self._formats

        def decor(items: list) -> tuple:
            """Decorations by value, their colours by number."""
            return tuple((*d[:5], numbers([d[5]], cids, colours)[0]) for d in items)

        first, second = itemgetter(0), itemgetter(1)
        dumps = marshal.dumps
        for i in pages:
            sp = specs[i]
            if sp.cols is None:
                continue
            # One page as flat sequences: its blocks in column order.
            blocks = [b for col in sp.cols for b, _ in col]
            lines = [line for b in blocks for line in b.lines]
            self._data[i] = dumps(
                (
                    tuple(map(len, sp.cols)),
                    tuple([y for col in sp.cols for _, y in col]),
                    tuple([len(b.lines) for b in blocks]),
                    numbers(list(map(first, lines)), fids, formats),
                    tuple(map(second, lines)),
                    tuple([decor(b.decor) if b.decor else () for b in blocks]),
                    tuple([b.ref for b in blocks]),
                    tuple([0 if b.ref_style is None else numbers([b.ref_style], sids, styles)[0] for b in blocks]),
                )
            )
            sp.cols = None  # the blocks go: only the packed page remains

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, i: int) -> bool:
        return i in self._data

    def size(self) -> int:
        """Bytes of packed columns held."""
        return sum(map(len, self._data.values()))

    def restore(self, i: int, sp) -> None:
        """Give page ``i`` (``sp``) its columns back, to draw it now."""
        data = self._data.pop(i, None)
        if data is None:
            return
        formats, colours, styles = self._formats, self._colours, self._styles
        widths, ys, counts, fids, texts, decor, refs, sids = marshal.loads(data)
        lines = list(zip(map(formats.__getitem__, fids), texts))
        cols = []
        k = at = 0  # the block, its first line
        for width in widths:
            items = []
            for _ in range(width):
                d = Drawable()
                n = counts[k]
                d.lines = lines[at : at + n]
                at += n
                d.decor = [(*item[:5], colours[item[5]]) for item in decor[k]]
                d.ref = refs[k]
                d.ref_style = styles[sids[k]]
                items.append((d, ys[k]))
                k += 1
            cols.append(items)
        sp.cols = cols

    def drop(self, i: int) -> None:
        """Page ``i`` was drawn by the other process."""
        self._data.pop(i, None)
