"""Total-fit line breaking (Knuth–Plass) with French hyphenation and the
rules of a directory, in time linear in the paragraph's length.

Ragged right (no justification): in narrow directory columns justified text
opens rivers, and ragged lines are easier to follow for older readers.

How a paragraph is cut
----------------------
The text is split on U+0020 only, so U+00A0 and U+202F glue (« Tél. 04 73 … »,
« 8 h 30 », « n° 12 »).  Each word becomes one or more *atoms* (pieces that
never break); between two atoms is a *break* with a cost: a space (free), a
French hyphenation point (a hyphen is added), a word's own hyphen (nothing
added), a point inside an e-mail or URL (nothing added).  A rule that says
"never here" is a very high cost, not an impossibility, so that a paragraph
always has a way out in a column too narrow for its units.

Among all the ways to cut, :meth:`Breaker.wrap` keeps the cheapest, where a
line costs, by order of weight:

1. the line itself (``LINE``): the fewest lines always win, which keeps the
   book as short as greedy breaking did;
2. a broken e-mail or URL (``ADDRESS``), costlier than a line: an address
   moves whole to its own line when it fits there;
3. a broken proper name at its own hyphen (``NAME_HYPHEN``), costlier than a
   line too: « Saint-Étienne-de-Maurs » is split only when wider than the
   column;
4. a hyphenated word (``HYPHEN``, doubled for two hyphens in a row);
5. the hole at the end of the line, (slack / width)² (the last line is free).

The directory's rules (each is a break made almost impossible):

- an e-mail or URL is never hyphenated; when it must break, it breaks after
  « @ », after « / » or after a « . » inside it, the break character staying
  at the end of the line: an address cannot end with « @ », « / » or « . »,
  so that character is the visible sign that it continues (the address's own
  « - » or « _ » only in a name too long for the column), and no line ever
  begins with « @ », « . » or « - » of an address (breaking *before* a dot,
  as some style guides do, would start a line with « .fr »);
- a postal code, the article of its commune and the commune's first word are
  one unit (never « 03260 / Saint-Germain… », never « 63710 Le / Vernet… »);
  a hyphenated commune breaks only at its own hyphens;
- a time range is one unit (« 13 h 30 – 17 h 30 », « 9 h à 12 h »);
- guillemets and the punctuation that takes a space before it stay with
  their word (no lone « or »; no line starting with « : » or « ? »);
- a line does not start with an en dash used as a separator (« HAD 63 –
  Service HAD » breaks after the dash; costlier than a line), nor ever with
  a hyphen;
- a capitalised word (a proper name: « Saint-Flour », « d’Auvergne ») breaks
  only at its own hyphens, words with digits never.

Hyphenation: pyphen ``fr_FR``, at least 2 letters before and 3 after the
break, never next to an apostrophe (« aujour-d’hui »).

Speed: word widths come from the font set's cache (measured once per
distinct word), and the search keeps only the *active* breaks, those from
which a line can still reach the current point; since a line holds a bounded
number of atoms, a paragraph of n words costs O(n × atoms per line): a 1 MB
field or a 10,000-letter word stays linear.  A piece wider than the column
(a 10,000-letter word) is first cut where it must be, with a warning:
nothing overflows the column silently.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

import pyphen

from annuaire.pdf.fonts import FontSet

# Costs (see the module docstring for their order).
LINE = 100_000.0  # more than the holes of 30 lines: fewest lines first
ADDRESS = 250_000.0
NAME_HYPHEN = 150_000.0
COMPOUND_HYPHEN = 2_500.0  # a common compound at its own hyphen: « rendez- / vous »
HYPHEN = 3_000.0
DOUBLE_HYPHEN = 3_000.0
DASH_BEFORE = 120_000.0  # a line starting with a dash separator: a line more is better
RAGGED = 3_000.0
NEVER = 1e9

# Kinds of break after an atom.
SPACE, HYPH, HARD, ADDR, CUT, END = range(6)

_URLISH = re.compile(r"[@/]|^\W*www\.|\.(fr|com|org|net|eu|gouv|info|bzh)\b", re.I)
_POSTCODE = re.compile(r"^\(?\d{5}$")
_TIME = re.compile(r"^\(?\d{1,2}[\u00a0\u202f]?h(?:[\u00a0\u202f]?\d{2})?[,;.)]?$")
_TIME_OPEN = re.compile(r"^\(?\d{1,2}[\u00a0\u202f]?h(?:[\u00a0\u202f]?\d{2})?[\u00a0\u202f](?:[–—-]|à|au)$")
_RANGE_WORDS = frozenset(("–", "-", "—", "à", "au"))
_ARTICLES = frozenset(("Le", "La", "Les", "LE", "LA", "LES"))
_PUNCT_LEAD = "([«“\"'’"
_PUNCT_TRAIL = ")]»”\"',;:.!?…"
_APOS = "’'"
# A word made of these is glued to the word before it.
_GLUE_BEFORE = frozenset(("»", ":", ";", "!", "?", "!?", "?!", "…", ")", "]"))
_DASHES = frozenset(("-", "–", "—"))
_DIGITS = frozenset("0123456789(")
# Text where some space may cost something (see _space_costs).
_SPACE_RULES = re.compile(r"\d{5}|\d[\u00a0\u202f]?h|(?:^| )[«(\[](?= |$)|(?<= )[»:;!?…)\]]|(?:^| )[-–—]")
# A word that is more than one atom: a hyphen, an address.
_SPECIAL_WORD = re.compile(r"[-@/]|\.(?=[^\s])")
_ADDRESSY = re.compile(r"[@/]|\.(?=[^\s])")


def _cap_word(word: str) -> bool:
    """A proper name: its first letter, after an elision, is a capital."""
    core = word.lstrip(_PUNCT_LEAD)
    a = max(core.rfind("’"), core.rfind("'"))
    if 0 <= a <= 2:
        # « l’Automobile », « d’Auvergne »: the name is what follows the elision.
        core = core[a + 1 :]
    first = next((c for c in core if c.isalpha()), "")
    return bool(first) and first.isupper()


def _join(texts: list[str], kinds: list[int], start: int, end: int) -> str:
    """Atoms start..end-1 as one line: a space after those that end a word."""
    ks = kinds[start : end - 1]
    if SPACE in ks and len(set(ks)) == 1 or not ks:
        return " ".join(texts[start:end])
    return "".join([t + " " if k == SPACE else t for t, k in zip(texts[start : end - 1], ks)]) + texts[end - 1]


class Breaker:
    """Breaks text into lines for one font set; collects warnings."""

    def __init__(self, fonts: FontSet, hyphenate: bool = True, min_word: int = 6, language: str = "fr_FR"):
        self.fonts = fonts
        self.hyphenate = hyphenate
        self.min_word = min_word
        self._dic = pyphen.Pyphen(lang=language, left=2, right=3) if hyphenate else None
        self._positions: dict[str, tuple[int, ...]] = {}
        # Finished paragraphs: the same source line or opening hours come
        # back thousands of times in a book.
        self._memo: dict[tuple, list[str]] = {}
        self._pieces_cache: dict[tuple, tuple] = {}
        self.warnings: list[str] = []

    # ------------------------------------------------------------ public

    def forget(self) -> None:
        """Let go of the paragraphs, pieces and hyphenation points remembered
        (a cache only: the same text breaks the same way without it)."""
        self._memo.clear()
        self._pieces_cache.clear()
        self._positions.clear()

    def wrap(
        self, text: str, style: str, size: float, width: float, context: str = "", hyphenate: bool = True
    ) -> list[str]:
        """Lines of ``text`` set in ``style`` at ``size`` pt within ``width`` pt.

        ``hyphenate=False`` for headings and names, which readers scan whole."""
        if not text:
            return []
        fonts = self.fonts
        if len(text) < 400 and fonts.text_width(style, text) * size <= width:
            return [text]
        key = (text, style, size, width, hyphenate)
        got = self._memo.get(key)
        if got is not None:
            return list(got)
        before = len(self.warnings)
        lines = self._plain(text, style, size, width, context, hyphenate)
        if lines is None:
            lines = self._total_fit(text, style, size, width, context, hyphenate)
        if len(self.warnings) == before and len(self._memo) < 50_000 and len(text) < 2_000:
            self._memo[key] = lines
        return list(lines)

    def _plain(self, text: str, style: str, size: float, width: float, context: str, hyphenate: bool):
        """Most paragraphs, at the cost of greedy breaking: plain words (no
        rule applies, no address, none wider than the column).  Filling each
        line as far as it goes then gives the fewest lines, with no rule to
        weigh; and for two lines it is the total fit itself (the last line
        is free, so the first is as full as it can be).  The search runs only
        when hyphenation would save a line (holes of a quarter of the column
        and room for it), to place the hyphens and even out the holes.
        Else None: the search decides."""
        if _SPACE_RULES.search(text) or _ADDRESSY.search(text):
            return None
        fonts = self.fonts
        widths = fonts.widths[style]
        measure = fonts.width
        space = fonts.space[style] * size
        hole = 0.75 * width
        lines: list[str] = []
        cur: list[str] = []
        cur_w = 0.0
        holes = False
        total = -space
        for w in text.split(" "):
            if not w:
                continue
            ww = widths.get(w)
            if ww is None:
                ww = measure(style, w)
            ww *= size
            if ww > width:
                return None
            total += space + ww
            if cur and cur_w + space + ww > width:
                if cur_w < hole:
                    holes = True
                lines.append(" ".join(cur))
                cur = [w]
                cur_w = ww
            elif cur:
                cur.append(w)
                cur_w += space + ww
            else:
                cur = [w]
                cur_w = ww
        lines.append(" ".join(cur))
        if holes and len(lines) > 2 and hyphenate and self._dic is not None and len(lines) > -(-total // width):
            words = [w for w in text.split(" ") if w]
            atoms = self._atoms(words, [0.0] * len(words), style, size, width, context, True)
            if self._windowed(atoms, style, size, width, fewest_only=True) < len(lines):
                return None
        return lines

    # ------------------------------------------------------------ atoms

    @staticmethod
    def _space_costs(words: list[str]) -> list[float]:
        """Cost of the space after each word (index i: between words i and i+1)."""
        n = len(words)
        space_cost = [0.0] * n
        if not _SPACE_RULES.search(" ".join(words)):
            return space_cost  # most text: no digit, guillemet, high punctuation or dash
        for i in range(n - 1):
            w, nxt = words[i], words[i + 1]
            if w[:1] in _DIGITS and _POSTCODE.match(w):
                space_cost[i] = NEVER  # « 63710 Le Vernet… »: code and commune together
                if nxt in _ARTICLES and i + 2 < n:
                    space_cost[i + 1] = NEVER
            if w == "«" or w in ("(", "["):
                space_cost[i] = NEVER
            if nxt in _GLUE_BEFORE or nxt[:1] in "»:;!?" and len(nxt) <= 2:
                space_cost[i] = NEVER
            if nxt in _DASHES:
                space_cost[i] = max(space_cost[i], DASH_BEFORE)
            elif nxt[:1] == "-":
                # « Chermette -Vaganay » (a typing slip): never « -Vaganay » at a line's start.
                space_cost[i] = NEVER
            if _TIME_OPEN.match(w) and _TIME.match(nxt):
                space_cost[i] = NEVER  # « 13 h 30 – » glued to its dash, then « 17 h »
            if nxt in _RANGE_WORDS and i + 2 < n and _TIME.match(w) and _TIME.match(words[i + 2]):
                # « 13 h 30 – 17 h 30 », « 9 h à 12 h »: one unit.
                space_cost[i] = NEVER
                space_cost[i + 1] = NEVER
        return space_cost

    def _atoms(self, words, space_cost, style: str, size: float, width: float, context: str, hyphenate):
        """Parallel lists: text, width, kind of break after, cost of that break, of each atom.

        ``hyphenate``: whether words may be cut at French hyphenation points."""
        n = len(words)
        pieces_of = self._word_pieces
        measure = self.fonts.width
        widths = self.fonts.widths[style]
        if not hyphenate:
            # Most paragraphs: every word one atom (no hyphen, no address,
            # none wider than the column), built without a loop in Python.
            ws = [widths.get(w) or measure(style, w) for w in words]
            if max(ws) * size <= width and not _SPECIAL_WORD.search(" ".join(words)):
                return words, [w * size for w in ws], [SPACE] * (n - 1) + [END], space_cost
        texts: list[str] = []
        ws = []
        kinds: list[int] = []
        costs: list[float] = []
        for i, w in enumerate(words):
            last_kind, last_cost = (SPACE, space_cost[i]) if i + 1 < n else (END, 0.0)
            if not hyphenate:
                # Most words are one atom: no hyphen, not an address, narrower than the column.
                ww = widths.get(w)
                if ww is None:
                    ww = measure(style, w)
                ww *= size
                if ww <= width and "-" not in w and "@" not in w and "/" not in w and "." not in w[:-1]:
                    texts.append(w)
                    ws.append(ww)
                    kinds.append(last_kind)
                    costs.append(last_cost)
                    continue
            pieces = pieces_of(w, style, hyphenate)
            k_last = len(pieces) - 1
            for k, (piece, pw, kind, cost) in enumerate(pieces):
                pw *= size
                if k == k_last:
                    kind, cost = last_kind, last_cost
                if pw > width:
                    # Wider than the column on its own: cut where it must be.
                    cuts = self._cut(piece, style, size, width, w, context)
                    for c in cuts[:-1]:
                        texts.append(c)
                        ws.append(measure(style, c) * size)
                        kinds.append(CUT)
                        costs.append(0.0)
                    piece = cuts[-1]
                    pw = measure(style, piece) * size
                texts.append(piece)
                ws.append(pw)
                kinds.append(kind)
                costs.append(cost)
        return texts, ws, kinds, costs

    def _word_pieces(self, word: str, style: str, hyphenate: bool) -> tuple:
        """``word`` as (piece, width at 1 pt, kind of break after, cost), cached."""
        key = (word, style, hyphenate)
        got = self._pieces_cache.get(key)
        if got is not None:
            return got
        measure = self.fonts.width
        got = tuple((p, measure(style, p), kind, cost) for p, kind, cost in self._pieces(word, hyphenate))
        if len(self._pieces_cache) < 200_000:
            self._pieces_cache[key] = got
        return got

    def _pieces(self, word: str, hyphenate: bool) -> list[tuple[str, int, float]]:
        """``word`` as pieces, each with the kind and cost of the break after it."""
        if _URLISH.search(word):
            return self._address_pieces(word)
        if any(c.isdigit() for c in word):
            return [(word, END, 0.0)]
        out: list[tuple[str, int, float]] = []
        last = 0
        if hyphenate and self._dic is not None and self.hyphenable(word):
            for p in self.positions(word):
                if word[p - 1] == "-":
                    out.append((word[last:p], HARD, COMPOUND_HYPHEN))
                else:
                    out.append((word[last:p], HYPH, HYPHEN))
                last = p
        elif "-" in word:
            cost = NAME_HYPHEN if _cap_word(word) else COMPOUND_HYPHEN
            for m in re.finditer("-", word):
                p = m.end()
                if 1 < p < len(word):
                    out.append((word[last:p], HARD, cost))
                    last = p
        out.append((word[last:], END, 0.0))
        return out

    @staticmethod
    def _address_pieces(word: str) -> list[tuple[str, int, float]]:
        """Breaks of an e-mail or URL: after « @ », « / » (not inside « :// »),
        « . », or its own « - » « _ », the character staying at the line's
        end; never an added hyphen."""
        out: list[tuple[str, int, float]] = []
        last = 0
        for i in range(1, len(word) - 1):
            ch, nxt = word[i - 1], word[i]
            if ch in "@/.-_" and nxt.isalnum() and not (ch == "/" and word[i - 2 : i - 1] == ":"):
                if i - last < 2:
                    continue
                # After « @ » and « / » reads best, a dot a little less; an
                # address's own « - » or « _ » (which may be taken for a
                # hyphen) only in a name too long for the column.
                cost = ADDRESS if ch in "@/" else ADDRESS * (1.2 if ch == "." else 1.6)
                out.append((word[last:i], ADDR, cost))
                last = i
        out.append((word[last:], END, 0.0))
        return out

    # ------------------------------------------------------------ search

    def _total_fit(self, text: str, style: str, size: float, width: float, context: str, hyphenate: bool) -> list[str]:
        words = [w for w in text.split(" ") if w]
        if not words:
            return []
        space_cost = self._space_costs(words)
        hyphenate = hyphenate and self._dic is not None
        # As TeX's first pass: without hyphenation, kept when no line but the
        # last leaves a hole of a quarter of the column, or when no cut would
        # save a line (hyphenating is then not worth its cost to the reader,
        # nor the search its time).
        atoms = self._atoms(words, space_cost, style, size, width, context, False)
        got = self._windowed(atoms, style, size, width) if len(words) > 1 else None
        lines, holes = got if got is not None else self._search(atoms, style, size, width)
        if hyphenate and holes and len(lines) > 1:
            # Fewer lines than the text's width over the column's is impossible.
            space = self.fonts.space[style] * size
            total = sum(atoms[1]) + space * (len(words) - 1)
            holes = len(lines) > -(-total // width)
        if hyphenate and holes:
            atoms = self._atoms(words, space_cost, style, size, width, context, True)
            # Hyphens only when they save a line: filling each line as far
            # as it goes, with every cut allowed, gives the fewest lines.
            if self._windowed(atoms, style, size, width, fewest_only=True) < len(lines):
                got = self._windowed(atoms, style, size, width)
                lines = got[0] if got is not None else self._search(atoms, style, size, width)[0]
        return lines

    def _windowed(self, atoms, style: str, size: float, width: float, fewest_only: bool = False):
        """The same total fit, found faster when the cheap breaks (free
        spaces, a compound's own hyphen, hyphenation points: those that cost
        less than a line) are enough, which is most paragraphs; else None.

        The fewest lines come first, and with those breaks the fewest is
        what filling each line as far as it goes gives (L lines); the k-th
        break of any L-line answer then lies between where filling backwards
        from the end puts it and where filling forwards puts it.  Only those
        few breaks are tried, instead of every pair.

        ``fewest_only``: just that number of lines (0 when it cannot tell)."""
        texts, ws, kinds, costs = atoms
        n = len(texts)
        if n < 2:
            return 0 if fewest_only else None
        space = self.fonts.space[style] * size
        hyphen = self.fonts.width(style, "-") * size
        limit = width + 1e-6
        # prefix[a]: where atom a starts; reach[b]: where atom b ends;
        # ends[b]: the same with the hyphen a break after it adds.  The
        # line from atom a to atom b is ends[b] - prefix[a] wide.
        prefix = [0.0, *accumulate([w + space if k == SPACE else w for w, k in zip(ws, kinds)])]
        reach = [p + w for p, w in zip(prefix, ws)]
        ends = [r + hyphen if k == HYPH else r for r, k in zip(reach, kinds)]
        last = n - 1
        node = [c < LINE for c in costs]
        node[last] = True
        # Forward: the latest break of each line.
        fwd: list[int] = []
        start = 0
        while True:
            base = prefix[start] + limit
            j = bisect_right(reach, base, start) - 1
            while j >= start and not (node[j] and ends[j] <= base):
                j -= 1
            if j < start:
                return 0 if fewest_only else None
            if j == last:
                break
            fwd.append(j)
            start = j + 1
        lines_n = len(fwd) + 1
        if fewest_only:
            return lines_n
        if lines_n == 1:
            return None
        # Lines filled as far as they go, at free breaks, none but the last
        # with a hole of a quarter of the column: the search would only move
        # a word or two to even out holes the eye does not see in a ragged
        # column; this answer is kept (and most paragraphs stop here).
        a = 0
        for b in fwd:
            if costs[b] != 0.0 or width - (ends[b] - prefix[a]) > 0.25 * width:
                break
            a = b + 1
        else:
            out = []
            a = 0
            for b in fwd:
                out.append(_join(texts, kinds, a, b + 1) + ("-" if kinds[b] == HYPH else ""))
                a = b + 1
            out.append(_join(texts, kinds, a, n))
            return out, False
        # Backward: the earliest break of each line.
        bwd: list[int] = []
        end = last
        while True:
            s_ = bisect_left(prefix, ends[end] - limit, 0, end + 1)
            while s_ <= end and not (s_ == 0 or node[s_ - 1]):
                s_ += 1
            if s_ > end:
                return None
            if s_ == 0:
                break
            bwd.append(s_ - 1)
            end = s_ - 1
        if len(bwd) != len(fwd):
            return None
        bwd.reverse()
        k2 = RAGGED / (width * width)
        inf = float("inf")
        # For the lines in turn: the breaks tried, the cost of the best
        # lines up to each, and the break before it.
        prev_at, prev_cost, prev_pa = [-1], [0.0], [0.0]
        chain: list[tuple[list[int], list[int]]] = []
        for k in range(lines_n):
            if k < lines_n - 1:
                window = [b for b in range(bwd[k], fwd[k] + 1) if node[b]]
            else:
                window = [last]
            cur_at: list[int] = []
            cur_cost: list[float] = []
            cur_back: list[int] = []
            for b in window:
                edge = ends[b] - limit
                best_c, arg = inf, -2
                if b == last:
                    for a, ca in zip(prev_at, prev_cost):
                        if a < b and prefix[a + 1] >= edge and ca < best_c:
                            best_c, arg = ca, a
                else:
                    wb = width - ends[b]
                    first = bisect_left(prev_pa, edge)
                    if kinds[b] == HYPH:
                        for a, pa, ca in zip(prev_at[first:], prev_pa[first:], prev_cost[first:]):
                            if a >= b:
                                break
                            slack = wb + pa
                            c = ca + k2 * slack * slack
                            if a >= 0 and kinds[a] == HYPH:
                                c += DOUBLE_HYPHEN
                            if c < best_c:
                                best_c, arg = c, a
                    else:
                        for a, pa, ca in zip(prev_at[first:], prev_pa[first:], prev_cost[first:]):
                            if a >= b:
                                break
                            slack = wb + pa
                            c = ca + k2 * slack * slack
                            if c < best_c:
                                best_c, arg = c, a
                    best_c += costs[b]
                if arg != -2:
                    cur_at.append(b)
                    cur_cost.append(best_c)
                    cur_back.append(arg)
            if not cur_at:
                return None
            chain.append((cur_at, cur_back))
            prev_at, prev_cost = cur_at, cur_cost
            prev_pa = [prefix[a + 1] for a in prev_at]
        breaks = [last]
        for k in range(lines_n - 1, 0, -1):
            at, back_ = chain[k]
            breaks.append(back_[at.index(breaks[-1])])
        breaks.reverse()
        out: list[str] = []
        holes = False
        a = 0
        for b in breaks:
            line = _join(texts, kinds, a, b + 1)
            if kinds[b] == HYPH:
                line += "-"
            elif b != last and width - (ends[b] - prefix[a]) > 0.25 * width:
                holes = True
            out.append(line)
            a = b + 1
        return out, holes

    def _search(self, atoms, style: str, size: float, width: float) -> tuple[list[str], bool]:
        """The cheapest lines over ``atoms``, and whether a line but the last
        leaves a quarter of the column empty."""
        texts, ws, kinds, costs = atoms
        n = len(texts)
        space = self.fonts.space[style] * size
        hyphen = self.fonts.width(style, "-") * size
        # prefix[k]: width of atoms 0..k-1 with the spaces that follow them.
        prefix = [0.0] * (n + 1)
        acc = 0.0
        for k in range(n):
            acc += ws[k] + (space if kinds[k] == SPACE else 0.0)
            prefix[k + 1] = acc
        inf = float("inf")
        best = [inf] * (n + 1)
        back = [0] * (n + 1)
        best[0] = 0.0
        active = [0]  # atom indexes where a line may start, in order
        lo = 0  # active[:lo] can no longer reach: a line from them only grows
        limit = width + 1e-6
        k2 = RAGGED / (width * width)
        for j in range(n):
            kind = kinds[j]
            end_nat = prefix[j + 1] - (space if kind == SPACE else 0.0)
            while lo < len(active) and end_nat - prefix[active[lo]] > limit:
                lo += 1
            if lo == len(active):
                # Only when an atom fits alone but not with its added hyphen:
                # the latest reachable start takes the line, over-full.
                i = max(k for k in range(j + 1) if best[k] < inf)
                best[j + 1], back[j + 1] = best[i] + LINE + NEVER, i
                active.append(j + 1)
                continue
            best_here = inf
            arg = -1
            if kind == END:
                for i in active[lo:]:
                    c = best[i]
                    if c < best_here:
                        best_here, arg = c, i
            elif kind == HYPH:
                reach = limit - end_nat - hyphen
                for i in active[lo:]:
                    slack = reach + prefix[i]
                    if slack < 0:
                        continue
                    c = best[i] + k2 * slack * slack
                    if i > 0 and kinds[i - 1] == HYPH:
                        c += DOUBLE_HYPHEN
                    if c < best_here:
                        best_here, arg = c, i
            else:
                reach = limit - end_nat
                for i in active[lo:]:
                    slack = reach + prefix[i]
                    c = best[i] + k2 * slack * slack
                    if c < best_here:
                        best_here, arg = c, i
            if arg >= 0:
                best[j + 1] = best_here + LINE + (0.0 if kind == END else costs[j])
                back[j + 1] = arg
                active.append(j + 1)
        # Walk back from the end.
        cuts: list[int] = []
        k = n
        while k > 0:
            cuts.append(k)
            k = back[k]
        cuts.reverse()
        lines: list[str] = []
        holes = False
        start = 0
        for end in cuts:
            line = _join(texts, kinds, start, end)
            if kinds[end - 1] == HYPH:
                line += "-"
            elif (
                end < n
                and width - (prefix[end] - prefix[start] - (space if kinds[end - 1] == SPACE else 0.0)) > 0.25 * width
            ):
                holes = True
            lines.append(line)
            start = end
        return lines, holes

    # ------------------------------------------------------------ hyphenation

    def hyphenable(self, word: str) -> bool:
        if len(word) < self.min_word:
            return False
        if _cap_word(word):
            return False
        first = next((c for c in word if c.isalpha()), "")
        if not first:
            return False
        if any(c.isdigit() for c in word):
            return False
        if _URLISH.search(word):
            return False
        return True

    def positions(self, word: str) -> tuple[int, ...]:
        """Allowed break positions in ``word`` (a hyphen is added, except after '-')."""
        got = self._positions.get(word)
        if got is not None:
            return got
        out: list[int] = []
        if self._dic is not None and self.hyphenable(word):
            lead = len(word) - len(word.lstrip(_PUNCT_LEAD))
            core_end = len(word.rstrip(_PUNCT_TRAIL))
            core = word[lead:core_end]
            # Within the part after the last apostrophe: « l’intercommunalité ».
            a = max(core.rfind("’"), core.rfind("'"))
            start = a + 1
            if core[start : start + 1].isupper():
                # « l’Automobile », « d’Auvergne »: a name after the elision.
                self._positions[word] = ()
                return ()
            for seg in re.split(r"(-)", core[start:]):
                if seg == "-":
                    offset_here = lead + start
                    # Break after an existing hyphen, if not at the very end.
                    if offset_here + 1 < core_end:
                        out.append(offset_here + 1)
                    start += 1
                    continue
                if len(seg) >= self.min_word and seg.isalpha():
                    for p in self._dic.positions(seg):
                        pos = lead + start + p
                        if any(ch in _APOS for ch in word[max(pos - 1, 0) : pos + 2]):
                            continue
                        out.append(pos)
                start += len(seg)
        got = tuple(sorted(set(p for p in out if 0 < p < len(word))))
        if len(self._positions) < 100_000:
            self._positions[word] = got
        return got

    # ------------------------------------------------------------ last resort

    def _cut(self, piece: str, style: str, size: float, width: float, word: str, context: str) -> list[str]:
        """A piece wider than the column, cut at the last character that fits
        (linear: widths are added character by character), and reported."""
        fonts = self.fonts
        out: list[str] = []
        start = 0
        acc = 0.0
        for i, ch in enumerate(piece):
            cw = fonts.width(style, ch) * size
            if acc + cw > width and i > start:
                out.append(piece[start:i])
                start, acc = i, 0.0
            acc += cw
        out.append(piece[start:])
        shown = word if len(word) <= 80 else word[:77] + "…"
        where = f" ({context})" if context else ""
        self.warnings.append(f"Mot trop long pour la colonne, coupé sur plusieurs lignes : « {shown} »{where}.")
        return out
