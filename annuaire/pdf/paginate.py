"""One-pass column filling.

Blocks are stacked down a column until the next one does not fit, then the
next column (or page) starts.  Rules, all enforced here:

* a block is never split (entries stay whole), except a block that says
  where it may be cut (``breaks``: an index paragraph, a contents line, a
  paragraph of the colophon) and that does not fit in a whole column: it is
  cut between two lines, the first part filling the column, the rest going
  on in the next, at least two lines on each side (no line alone at a
  column's foot or head);
* a run of headings (``keep``) moves with the block that follows it, so a
  heading never ends a column;
* the space above a block is dropped at the top of a column;
* a chain with a ``break_before`` block (a big section) starts a new column
  (1) or a new page (2);
* a column that starts inside a section (a block whose ``parent`` heading is
  already placed) first gets that heading's '(suite)' block, or blocks:
  ``suite(heading, first_column)`` may return several (« Pharmacie (suite) »
  then « RIOM » for an entry continuing a commune) and fewer in the later
  columns of a page, whose first column already names the section.  The
  rest of a cut block continues its first part: its ``parent`` is the block
  it was cut from, so it gets that block's '(suite)' (« Clermont-Ferrand
  (suite) »);
* the last page of a flow, and the last page of a section followed by a big
  section that opens a new column or page, have their columns balanced
  (``balance``): the shortest column height that still holds the page's
  blocks on one page is found by bisection, re-flowing only that page's
  blocks, so a section does not end on one full column beside an empty or
  short one (a last page of a few lines, under a third of the first column,
  is left as it is).  Block tops stay whole lines of the body's grid.

Nothing is placed below ``col_height`` unless a block that cannot be cut is
taller than a column (a warning says so).

The result is geometry only (pages → columns → (block, top y)); page numbers
are assigned later by the caller, which is what lets the contents and the
indexes be laid out in a single pass.
"""

from __future__ import annotations

from typing import Callable

from annuaire.pdf.blocks import Block

Column = list[tuple[Block, float]]
Page = list[Column]
Suite = Callable[[Block, bool], "Block | list[Block]"]

# Lines of a cut block that stay together at the foot of a column and at
# the head of the next (no orphan, no widow).
MIN_LINES = 2


def flow(
    blocks: list[Block],
    ncols: int,
    col_height: float,
    suite: Suite | None = None,
    first_top: float = 0.0,
    warnings: list[str] | None = None,
    balance: bool = True,
) -> list[Page]:
    """Fill columns of ``col_height`` points with ``blocks``; returns pages.

    ``first_top`` reserves space at the top of the first page (a title)."""
    pages, starts, _ = _fill(blocks, 0, [], ncols, col_height, suite, first_top, warnings, set())
    if not (balance and ncols > 1 and pages):
        return pages
    # The pages to balance: the last one, and the last page of a section
    # followed by a big section that starts a new page (its feet would be
    # ragged for nothing: the rest of the page stays empty anyway).
    ends = [len(pages) - 1]
    for p in range(len(pages) - 1):
        i, pend = starts[p + 1]
        if not pend and i < len(blocks) and _opens_section(blocks, i):
            ends.append(p)
    for p in ends:
        if not _worth_balancing(pages[p], col_height):
            continue
        s, pending = starts[p]
        stop = starts[p + 1][0] if p + 1 < len(starts) else len(blocks)
        first = p == 0
        placed = {id(b) for b in blocks[:s] if b.keep}
        # The rest of a block cut before this page continues it: its
        # first part is placed, its « (suite) » is due.
        placed.update(id(b.parent) for b in pending if b.parent is not None)
        top = first_top if first else 0.0
        lo, hi = top, col_height
        best = None
        # Bisection on the column height, to a point: about ten re-flows of
        # one page's blocks.
        while hi - lo > 1.0:
            mid = (lo + hi) / 2
            got, _, over = _fill(blocks[:stop], s, pending, ncols, mid, suite, top, None, set(placed))
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


def cut(b: Block, k: int) -> tuple[Block, Block]:
    """``b`` cut at its ``k``-th break: (first part, rest).

    The first part keeps the block's kind, key and text (the page log
    records the whole index line where it starts); the rest is of kind
    ``<kind>-cont``, its text the lines it prints, its lines moved up, its
    ``parent`` the block first cut (so a column it opens repeats that
    block's heading, « Clermont-Ferrand (suite) »).  A reference (page
    numbers after dot leaders) stays on the last line, in the rest."""
    y, li = b.breaks[k]
    cont = b.kind.endswith("-cont")
    origin = b.parent if cont else b
    head = Block(b.kind, b.key, b.text)
    head.lines = b.lines[:li]
    if cont:
        head.text = " ".join(t for _, t in head.lines)
    head.height = y
    head.space_before = b.space_before
    head.decor = [d for d in b.decor if d[2] < y]
    head.parent = b.parent
    head.sect = b.sect
    head.place = b.place
    head.ref_style = b.ref_style
    head.ref_text = b.ref_text
    head.breaks = b.breaks[:k]
    head.break_before = b.break_before
    rest = Block(b.kind if cont else f"{b.kind}-cont", b.key, "")
    rest.lines = [((f[0], f[1], f[2], f[3] - y, f[4]), t) for f, t in b.lines[li:]]
    rest.text = " ".join(t for _, t in rest.lines)
    rest.height = b.height - y
    rest.decor = [(d[0], d[1], d[2] - y, *d[3:]) for d in b.decor if d[2] >= y]
    rest.keep = b.keep
    rest.parent = origin
    rest.sect = b.sect
    rest.place = b.place
    rest.ref = b.ref
    rest.ref_style = b.ref_style
    rest.ref_width = b.ref_width
    rest.breaks = [(by - y, bi - li) for by, bi in b.breaks[k + 1 :]]
    return head, rest


def _cut_point(b: Block, room: float, min_lines: int) -> int | None:
    """The last break of ``b`` whose first part fits in ``room``, leaving at
    least ``min_lines`` lines on each side; None when there is none."""
    br = b.breaks
    if not br:
        return None
    # Lines before break k: k + 1; after it: len(br) - k.
    best = None
    for k in range(min_lines - 1, len(br) - min_lines + 1):
        if br[k][0] <= room:
            best = k
        else:
            break
    return best


def _fill(
    blocks: list[Block],
    start: int,
    pending: list[Block],
    ncols: int,
    col_height: float,
    suite: Suite | None,
    first_top: float,
    warnings: list[str] | None,
    placed_headings: set[int],
) -> tuple[list[Page], list[tuple[int, list[Block]]], bool]:
    """(pages, where each page starts: (index of the next block, the rest of a
    cut block and its chain waiting before it), whether a column overflowed).

    ``pending`` holds blocks to place before ``blocks[start]`` (the rest of a
    block cut on the page before)."""
    pages: list[Page] = []
    starts: list[tuple[int, list[Block]]] = []
    col: Column | None = None
    y = 0.0
    top = 0.0
    ncol = ncols  # index of the current column in its page; forces a new page
    over = False
    i = start
    pending = list(pending)
    n = len(blocks)

    def new_column() -> None:
        nonlocal col, y, top, ncol
        if ncol >= ncols - 1:
            pages.append([[] for _ in range(ncols)])
            starts.append((i, list(pending)))
            ncol = 0
        else:
            ncol += 1
        col = pages[-1][ncol]
        top = first_top if len(pages) == 1 else 0.0
        y = top

    def heads_for(chain: list[Block], first_column: bool) -> list[Block]:
        """The « (suite) » block(s) a column opening with ``chain`` needs."""
        parent = chain[0].parent
        if parent is not None and suite is not None and id(parent) in placed_headings:
            s = suite(parent, first_column)
            return [s] if isinstance(s, Block) else list(s)
        return []

    def place(chain: list[Block], at_top: bool) -> None:
        """Put ``chain`` in the column from ``y`` down (no space above the
        first block at the top of a column); headings placed are noted."""
        nonlocal y
        for k, b in enumerate(chain):
            if k > 0 or not at_top:
                y += b.space_before
            col.append((b, y))
            y += b.height
            if b.keep:
                placed_headings.add(id(b))

    def try_cut(chain: list[Block], at_top: bool, min_lines: int) -> tuple[int, Block] | None:
        """Place ``chain`` from ``y`` down, cutting its first block too tall
        for the room left: (blocks of the chain used, rest of the cut one),
        or None (nothing placed) when no cut fits."""
        nonlocal y
        acc = y
        for k, b in enumerate(chain):
            sb = b.space_before if (k > 0 or not at_top) else 0.0
            if acc + sb + b.height <= col_height:
                acc += sb + b.height
                continue
            c = _cut_point(b, col_height - acc - sb, min_lines)
            if c is None:
                return None
            head, rest = cut(b, c)
            place([*chain[:k], head], at_top)
            placed_headings.add(id(rest.parent))
            return k + 1, rest
        return None

    while pending or i < n:
        # The chain: blocks kept with the next, then that next one; taken
        # from the rest of a cut block first, then from ``blocks``.
        chain: list[Block] = []
        m = 0
        while True:
            b = pending[m] if m < len(pending) else (blocks[i + m - len(pending)] if i + m - len(pending) < n else None)
            if b is None:
                break
            chain.append(b)
            m += 1
            if not b.keep:
                break
        need = 0.0
        for b in chain:
            need += b.space_before + b.height
        at_top = col is not None and not col
        brk = max(b.break_before for b in chain)
        done = None  # (blocks of the chain used, rest of the cut one) after a cut
        if brk == 2 and pages and any(c for c in pages[-1]):
            ncol = ncols  # a big section starts a new page
            new_column()
            at_top = True
        elif col is None or (brk and not at_top):
            new_column()
            at_top = True
        elif not at_top and y + need > col_height:
            # Too tall for what is left.  A chain that a whole column holds
            # moves there; a taller one is cut here, where it begins, when
            # it can be (it will be cut anyway).
            if not _fits_a_column(chain, need, ncol, ncols, len(pages), first_top, col_height, heads_for):
                done = try_cut(chain, False, MIN_LINES)
            if done is None:
                new_column()
                at_top = True
        if done is None and at_top:
            for h in heads_for(chain, ncol == 0):
                col.append((h, y))
                y += h.height
            if y + need - chain[0].space_before > col_height:
                done = try_cut(chain, True, MIN_LINES) or try_cut(chain, True, 1)
                if done is None:
                    over = True
                    if warnings is not None:
                        warnings.append(
                            f"Bloc plus haut qu’une colonne, il dépasse en pied de page : « {chain[0].text} »."
                        )
        if done is None:
            place(chain, at_top)
            used = len(chain)
        else:
            used = done[0]
        # The blocks placed leave the queue; the rest of a cut one comes next.
        take = min(used, len(pending))
        del pending[:take]
        i += used - take
        if done is not None:
            pending.insert(0, done[1])
    return pages, starts, over


def _fits_a_column(chain, need, ncol, ncols, npages, first_top, col_height, heads_for) -> bool:
    """Whether ``chain`` fits in the next column, under its « (suite) » heads."""
    next_first = ncol >= ncols - 1
    top = first_top if (npages == 1 and not next_first) else 0.0
    heads = sum(h.height for h in heads_for(chain, next_first))
    return top + heads + need - chain[0].space_before <= col_height
