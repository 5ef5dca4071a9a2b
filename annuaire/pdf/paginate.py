"""One-pass column filling.

Blocks are stacked down a column until the next one does not fit, then the
next column (or page) starts.  Rules, all enforced here:

* a block is never split (entries stay whole);
* a run of headings (``keep``) moves with the block that follows it, so a
  heading never ends a column;
* the space above a block is dropped at the top of a column;
* a chain with a ``break_before`` block (a big section) starts a new column
  (1) or a new page (2);
* a column that starts inside a section (a block whose ``parent`` heading is
  already placed) first gets that heading's '(suite)' block, or blocks:
  ``suite(heading, first_column)`` may return several (« Pharmacie (suite) »
  then « RIOM » for an entry continuing a commune) and fewer in the later
  columns of a page, whose first column already names the section;
* the last page of a flow, and the last page of a section followed by a big
  section that opens a new column or page, have their columns balanced
  (``balance``): the shortest column height that still holds the page's
  blocks on one page is found by bisection, re-flowing only that page's
  blocks, so a section does not end on one full column beside an empty or
  short one (a last page of a few lines, under a third of the first column,
  is left as it is).  Block tops stay whole lines of the body's grid.

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
    suite: Callable[[Block, bool], "Block | list[Block]"] | None = None,
    first_top: float = 0.0,
    warnings: list[str] | None = None,
    balance: bool = True,
) -> list[Page]:
    """Fill columns of ``col_height`` points with ``blocks``; returns pages.

    ``first_top`` reserves space at the top of the first page (a title)."""
    pages, starts, _ = _fill(blocks, 0, ncols, col_height, suite, first_top, warnings, set())
    if not (balance and ncols > 1 and pages):
        return pages
    # The pages to balance: the last one, and the last page of a section
    # followed by a big section that starts a new page (its feet would be
    # ragged for nothing: the rest of the page stays empty anyway).
    ends = [len(pages) - 1]
    for p in range(len(pages) - 1):
        nxt = blocks[starts[p + 1]] if starts[p + 1] < len(blocks) else None
        if nxt is not None and _opens_section(blocks, starts[p + 1]):
            ends.append(p)
    for p in ends:
        if not _worth_balancing(pages[p], col_height):
            continue
        s = starts[p]
        stop = starts[p + 1] if p + 1 < len(starts) else len(blocks)
        first = p == 0
        placed = {id(b) for b in blocks[:s] if b.keep}
        top = first_top if first else 0.0
        lo, hi = top, col_height
        best = None
        # Bisection on the column height, to a point: about ten re-flows of
        # one page's blocks.
        while hi - lo > 1.0:
            mid = (lo + hi) / 2
            got, _, over = _fill(blocks[:stop], s, ncols, mid, suite, top, None, set(placed))
            if len(got) == 1 and not over:
                hi = mid
                best = got
            else:
                lo = mid
        if best is not None:
            pages[p] = best[0]
    return pages


def _opens_section(blocks: list[Block], i: int) -> bool:
    """Whether the chain starting at ``blocks[i]`` opens a section that
    starts on a new column or page (``break_before``)."""
    n = len(blocks)
    while i < n:
        if blocks[i].break_before:
            return True
        if not blocks[i].keep:
            return False
        i += 1
    return False


def _worth_balancing(page: Page, col_height: float) -> bool:
    """A few lines at the top of the first column stay there: split in two
    they would only add a second « (suite) » heading."""
    if any(page[1:]):
        return True
    col = page[0]
    if not col:
        return False
    b, y = col[-1]
    return y + b.height > col_height / 3


def _fill(
    blocks: list[Block],
    start: int,
    ncols: int,
    col_height: float,
    suite: Callable[[Block, bool], "Block | list[Block]"] | None,
    first_top: float,
    warnings: list[str] | None,
    placed_headings: set[int],
) -> tuple[list[Page], list[int], bool]:
    """(pages, index of the first block of each page, whether a column overflowed)."""
    pages: list[Page] = []
    starts: list[int] = []
    col: Column | None = None
    y = 0.0
    top = 0.0
    ncol = ncols  # index of the current column in its page; forces a new page
    over = False
    i = start

    def new_column() -> None:
        nonlocal col, y, top, ncol
        if ncol >= ncols - 1:
            pages.append([[] for _ in range(ncols)])
            starts.append(i)
            ncol = 0
        else:
            ncol += 1
        col = pages[-1][ncol]
        top = first_top if len(pages) == 1 else 0.0
        y = top

    n = len(blocks)
    while i < n:
        j = i
        while j < n - 1 and blocks[j].keep:
            j += 1
        chain = blocks[i : j + 1]
        need = 0.0
        for b in chain:
            need += b.space_before + b.height
        at_top = col is not None and not col
        brk = max(b.break_before for b in chain)
        if brk == 2 and pages and any(c for c in pages[-1]):
            ncol = ncols  # a big section starts a new page
            new_column()
            at_top = True
        elif col is None or (not at_top and (brk or y + need > col_height)):
            new_column()
            at_top = True
        if at_top:
            need -= chain[0].space_before
            parent = chain[0].parent
            if parent is not None and suite is not None and id(parent) in placed_headings:
                s = suite(parent, ncol == 0)
                for h in (s,) if isinstance(s, Block) else s:
                    col.append((h, y))
                    y += h.height
            if y + need > col_height:
                over = True
                if warnings is not None:
                    warnings.append(f"Bloc plus haut qu’une colonne, il dépasse en pied de page : « {chain[0].text} ».")
        for k, b in enumerate(chain):
            if k > 0 or not at_top:
                y += b.space_before
            col.append((b, y))
            y += b.height
            if b.keep:
                placed_headings.add(id(b))
        i = j + 1
    return pages, starts, over
