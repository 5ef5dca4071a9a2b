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

The lines keep their format tuples, decorations and reference styles as the
very objects they were (identity matters to the drawing code: colours are
compared with ``is``), kept in three small tables of distinct objects.  The
rebuilt columns draw exactly the same bytes as the blocks they come from.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable


class Drawable:
    """What :meth:`Painter.column <annuaire.pdf.draw.Painter.column>` reads of a block."""

    __slots__ = ("lines", "decor", "ref", "ref_style")


class PagePack:
    """The packed columns of some pages; ``restore`` gives a page its
    columns back, ``drop`` forgets a page drawn elsewhere."""

    def __init__(self, specs: list, pages: Iterable[int]):
        self._formats: list = []
        self._decors: list = []
        self._styles: list = [None]
        self._data: dict[int, bytes] = {}
        fids: dict[int, int] = {}
        dids: dict[int, int] = {}
        sids: dict[int, int] = {id(None): 0}
        formats, decors, styles = self._formats, self._decors, self._styles

        def number(obj, ids: dict, table: list) -> int:
            k = ids.get(id(obj))
            if k is None:
                k = ids[id(obj)] = len(table)
                table.append(obj)  # kept alive here: its id is not reused
            return k

        dumps = marshal.dumps
        for i in pages:
            sp = specs[i]
            if sp.cols is None:
                continue
            packed = []
            for col in sp.cols:
                items = []
                for b, y in col:
                    lines = b.lines
                    items.append(
                        (
                            y,
                            tuple([number(f, fids, formats) for f, _ in lines]),
                            tuple([t for _, t in lines]),
                            tuple([number(d, dids, decors) for d in b.decor]),
                            b.ref,
                            number(b.ref_style, sids, styles),
                        )
                    )
                packed.append(tuple(items))
            self._data[i] = dumps(tuple(packed))
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
        formats, decors, styles = self._formats, self._decors, self._styles
        cols = []
        for col in marshal.loads(data):
            items = []
            for y, fids, texts, dids, ref, sid in col:
                d = Drawable()
                d.lines = list(zip(map(formats.__getitem__, fids), texts))
                d.decor = [decors[k] for k in dids]
                d.ref = ref
                d.ref_style = styles[sid]
                items.append((d, y))
            cols.append(items)
        sp.cols = cols

    def drop(self, i: int) -> None:
        """Page ``i`` was drawn by the other process."""
        self._data.pop(i, None)
