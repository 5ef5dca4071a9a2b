"""The body's entry blocks, built in two processes for a long book.

Entries are independent: the block of one (its lines broken, its height)
depends only on the entry and the typesetter, never on the entries around
it.  Above :data:`PARALLEL_MIN_ENTRIES` entries and with ``jobs`` > 1 on
Linux, a forked process builds the blocks of the second half while this one
builds the first; the composer then takes them in book order, exactly as if
it had built them all itself (see :func:`entry_blocks`).

What the child sends back is small and flat: each distinct line format once,
and per line its format's number and text (all the texts in one string cut
by lengths), per block its number of lines and height, and the side effects
the rest of the build reads: the line breaker's warnings (given back at the
place of their entry, so that their order is the one-process order) and the
characters the fonts lack.  The rest entry() touches is caches, whose
contents never change a result.  Any failure of the child (an exception, a
killed process) and this process builds those blocks itself.
"""

from __future__ import annotations

import logging
from array import array
from itertools import accumulate
from typing import Generator, Iterator, Sequence

from annuaire.model import Entry
from annuaire.pdf.blocks import Block, Typesetter, entry_shell

log = logging.getLogger(__name__)

# Entries above which a forked process builds the second half.  Its fixed
# cost, measured in a 20,000-row build: ~0.05 s (fork 0.01-0.02 s, the pool's
# start and end, the transfer); an entry block costs ~0.2 ms, so below a few
# thousand entries the saving is lost in the noise of a busy machine.
PARALLEL_MIN_ENTRIES = 4000

# An entry to set: (entry, its source keys, its « données de … » note).
Job = tuple[Entry, str, str]

# What the forked process reads: set just before the fork, inherited without copying.
_SHARED: tuple = ()


def entry_blocks(ts: Typesetter, todo: Sequence[Job], max_height: float, jobs: int = 1) -> Iterator[Block]:
    """The blocks of ``todo`` in order, as ``ts.entry`` builds them
    (``jobs``: the processes that may build them).

    Consume them in order, building anything else (headings) in between:
    the warnings of a block built by the other process are added to the
    breaker's at the moment that block is taken."""
    n = len(todo)
    if jobs < 2 or n < PARALLEL_MIN_ENTRIES or not _can_fork():
        for e, keys, old in todo:
            yield ts.entry(e, max_height, keys, old)
        return
    # This process keeps 48 % of the entries: it also sets the headings and
    # flows the columns meanwhile.  Measured at 20,000 entries, the time the
    # child's blocks were ready minus the time this process reached them:
    # -0.28 s when it kept 50 %, +0.46 s at 45 %, within 0.1 s at 48 %.
    split = n * 12 // 25
    packed = yield from _first_half_then_second(ts, todo, max_height, split)
    if packed is None:
        for e, keys, old in todo[split:]:
            yield ts.entry(e, max_height, keys, old)
        return
    yield from _unpack(ts, todo, split, packed)


def _first_half_then_second(
    ts: Typesetter, todo: Sequence[Job], max_height: float, split: int
) -> Generator[Block, None, tuple | None]:
    """Yields the first half's blocks, built here, while a forked process
    builds the second; returns the second half packed, or None when the
    child failed."""
    global _SHARED
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _SHARED = (ts, todo, max_height)
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            later = pool.submit(_build_shared, split, len(todo))
            for e, keys, old in todo[:split]:
                yield ts.entry(e, max_height, keys, old)
            try:
                return later.result()
            except Exception as exc:  # noqa: BLE001 - any failure of the child: built here instead
                log.warning("Processus de mise en page parallèle en échec (%s) : fiches composées ici.", exc)
                return None
    finally:
        _SHARED = ()


def _can_fork() -> bool:
    import multiprocessing
    import sys

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _build_shared(start: int, stop: int) -> tuple:
    """In the forked process: the blocks of jobs start..stop-1, packed."""
    ts, todo, max_height = _SHARED
    return _pack(ts, todo, max_height, start, stop)


def _pack(ts: Typesetter, todo: Sequence[Job], max_height: float, start: int, stop: int) -> tuple:
    """(formats, format numbers, texts, text lengths, lines per block,
    heights, [(job index, warnings)], missing characters)."""
    warnings = ts.breaker.warnings
    missing_before = set(ts.fonts.missing)
    numbers: dict[tuple, int] = {}
    formats: list[tuple] = []
    fmt_of = array("I")
    texts: list[str] = []
    lengths = array("I")
    counts = array("I")
    heights = array("d")
    said: list[tuple[int, list[str]]] = []
    for i in range(start, stop):
        e, keys, old = todo[i]
        before = len(warnings)
        b = ts.entry(e, max_height, keys, old)
        if len(warnings) > before:
            said.append((i, warnings[before:]))
        for fmt, t in b.lines:
            k = numbers.get(fmt)
            if k is None:
                k = numbers[fmt] = len(formats)
                formats.append(fmt)
            fmt_of.append(k)
            texts.append(t)
            lengths.append(len(t))
        counts.append(len(b.lines))
        heights.append(b.height)
    return formats, fmt_of, "".join(texts), lengths, counts, heights, said, ts.fonts.missing - missing_before


def _unpack(ts: Typesetter, todo: Sequence[Job], start: int, packed: tuple) -> Iterator[Block]:
    """The blocks packed by :func:`_pack`, rebuilt with this process's shared
    formats; each block's warnings given to the breaker as it is taken."""
    formats, fmt_of, text, lengths, counts, heights, said, missing = packed
    ts.fonts.missing |= missing
    fmts = ts._fmts
    # The child's formats become this process's shared tuples (memory: one per format).
    formats = [fmts.setdefault(f, f) for f in formats]
    ends = list(accumulate(lengths))
    texts = [text[a:b] for a, b in zip([0, *ends], ends)]
    del text, ends
    # Repeated lines (postal lines, hours) share one string, as the breaker's memo makes them here.
    seen: dict[str, str] = {}
    lines = list(zip(map(formats.__getitem__, fmt_of), map(seen.setdefault, texts, texts)))
    del texts, seen
    warned = dict(said)
    warnings = ts.breaker.warnings
    end = 0
    for k, (n, height) in enumerate(zip(counts, heights)):
        i = start + k
        b = entry_shell(todo[i][0])
        b.lines = lines[end : end + n]
        end += n
        b.height = height
        if i in warned:
            warnings.extend(warned[i])
        yield b
