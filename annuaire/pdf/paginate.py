"""One-pass column filling.

Blocks are stacked down a column until the next one does not fit, then the
next column (or page) starts.  Rules, all enforced here:

* a block is never split (entries stay whole);
* a run of headings (``keep``) moves with the block that follows it, so a
  heading never ends a column;
* the space above a block is dropped at the top of a column;
* a column that starts inside a section (a block whose ``parent`` heading is
  already placed) first gets that heading's '(suite)' block.

The result is geometry only (pages → columns → (block, top y)); page numbers
are assigned later by the caller, which is what lets the contents and the
indexes be laid out in a single pass.
"""

from __future__ import annotations

from typing import Callable

from annuaire.pdf.blocks import Block

Column = list[tuple[Block, float]]
Page = list[Column]


def flow(
    blocks: list[Block],
    ncols: int,
    col_height: float,
    suite: Callable[[Block], Block] | None = None,
    first_top: float = 0.0,
    warnings: list[str] | None = None,
) -> list[Page]:
    """Fill columns of ``col_height`` points with ``blocks``; returns pages.

    ``first_top`` reserves space at the top of the first page (a title)."""
    pages: list[Page] = []
    col: Column | None = None
    y = 0.0
    top = 0.0
    ncol = ncols  # index of the current column in its page; forces a new page
    placed_headings: set[int] = set()

    def new_column() -> None:
        nonlocal col, y, top, ncol
        if ncol >= ncols - 1:
            pages.append([[] for _ in range(ncols)])
            ncol = 0
        else:
            ncol += 1
        col = pages[-1][ncol]
        top = first_top if len(pages) == 1 else 0.0
        y = top

    n = len(blocks)
    i = 0
    while i < n:
        j = i
        while j < n - 1 and blocks[j].keep:
            j += 1
        chain = blocks[i : j + 1]
        need = 0.0
        for b in chain:
            need += b.space_before + b.height
        at_top = col is not None and not col
        if col is None or (not at_top and y + need > col_height):
            new_column()
            at_top = True
        if at_top:
            need -= chain[0].space_before
            parent = chain[0].parent
            if parent is not None and suite is not None and id(parent) in placed_headings:
                s = suite(parent)
                col.append((s, y))
                y += s.height
            if y + need > col_height and warnings is not None:
                warnings.append(
                    f"Bloc plus haut qu’une colonne, il dépasse en pied de page : « {chain[0].text} »."
                )
        for k, b in enumerate(chain):
            if k > 0 or not at_top:
                y += b.space_before
            col.append((b, y))
            y += b.height
            if b.keep:
                placed_headings.add(id(b))
        i = j + 1
    return pages
