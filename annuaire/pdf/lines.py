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

import pyphen

from annuaire.pdf.fonts import FontSet

# Costs (see the module docstring for their order).
LINE = 10_000.0
ADDRESS = 25_000.0
NAME_HYPHEN = 15_000.0
COMPOUND_HYPHEN = 2_500.0  # a common compound at its own hyphen: « rendez- / vous »
HYPHEN = 3_000.0
DOUBLE_HYPHEN = 3_000.0
DASH_BEFORE = 12_000.0  # a line starting with a dash separator: a line more is better
RAGGED = 3_000.0
NEVER = 10_000_000.0

# Kinds of break after an atom.
SPACE, HYPH, HARD, ADDR, CUT, END = range(6)

_URLISH = re.compile(r"[@/]|^\W*www\.|\.(fr|com|org|net|eu|gouv|info|bzh)\b", re.I)
_POSTCODE = re.compile(r"^\(?\d{5}$")
_TIME = re.compile(r"^\(?\d{1,2}[\u00a0\u202f]?h(?:[\u00a0\u202f]?\d{2})?[,;.)]?$")
_RANGE_WORDS = frozenset(("–", "-", "—", "à", "au"))
_ARTICLES = frozenset(("Le", "La", "Les", "LE", "LA", "LES"))
_PUNCT_LEAD = "([«“\"'’"
_PUNCT_TRAIL = ")]»”\"',;:.!?…"
_APOS = "’'"
# A word made of these is glued to the word before it.
_GLUE_BEFORE = frozenset(("»", ":", ";", "!", "?", "!?", "?!", "…", ")", "]"))
_DASHES = frozenset(("-", "–", "—"))


def _cap_word(word: str) -> bool:
    """A proper name: its first letter, after an elision, is a capital."""
    core = word.lstrip(_PUNCT_LEAD)
    a = max(core.rfind("’"), core.rfind("'"))
    if 0 <= a <= 2:
        # « l’Automobile », « d’Auvergne »: the name is what follows the elision.
        core = core[a + 1 :]
    first = next((c for c in core if c.isalpha()), "")
    return bool(first) and first.isupper()


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
        self.warnings: list[str] = []

    # ------------------------------------------------------------ public

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
        lines = self._total_fit(text, style, size, width, context, hyphenate)
        if len(self.warnings) == before and len(self._memo) < 50_000 and len(text) < 2_000:
            self._memo[key] = lines
        return list(lines)

    # ------------------------------------------------------------ atoms

    def _atoms(self, text: str, style: str, size: float, width: float, context: str, hyphenate: bool):
        """(text, width, kind of break after, cost of that break) for each atom."""
        fonts = self.fonts
        widths = fonts.widths[style]
        measure = fonts.width
        words = [w for w in text.split(" ") if w]
        n = len(words)
        # Costs of the space after each word (index i: between words i and i+1).
        space_cost = [0.0] * n
        for i, w in enumerate(words):
            nxt = words[i + 1] if i + 1 < n else None
            if nxt is None:
                continue
            if _POSTCODE.match(w):
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
            if nxt in _RANGE_WORDS and i + 2 < n and _TIME.match(w) and _TIME.match(words[i + 2]):
                # « 13 h 30 – 17 h 30 », « 9 h à 12 h »: one unit.
                space_cost[i] = NEVER
                space_cost[i + 1] = NEVER
        atoms: list[tuple[str, float, int, float]] = []
        add = atoms.append
        for i, w in enumerate(words):
            ww = widths.get(w)
            if ww is None:
                ww = measure(style, w)
            after = (SPACE, space_cost[i]) if i + 1 < n else (END, 0.0)
            if ww * size <= width and not hyphenate and "-" not in w:
                add((w, ww * size, *after))
                continue
            pieces = self._pieces(w, hyphenate)
            if len(pieces) == 1 and ww * size <= width:
                add((w, ww * size, *after))
                continue
            for k, (piece, kind, cost) in enumerate(pieces):
                pw = measure(style, piece) * size
                last = k == len(pieces) - 1
                if pw > width:
                    # Wider than the column on its own: cut where it must be.
                    cuts = self._cut(piece, style, size, width, w, context)
                    for c in cuts[:-1]:
                        add((c, measure(style, c) * size, CUT, 0.0))
                    piece = cuts[-1]
                    pw = measure(style, piece) * size
                add((piece, pw, *after) if last else (piece, pw, kind, cost))
        return atoms

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
        atoms = self._atoms(text, style, size, width, context, hyphenate)
        n = len(atoms)
        if n == 0:
            return []
        space = self.fonts.space[style] * size
        hyphen = self.fonts.width(style, "-") * size
        # prefix[k]: width of atoms 0..k-1 with the spaces that follow them.
        prefix = [0.0] * (n + 1)
        acc = 0.0
        for k, (_, w, kind, _) in enumerate(atoms):
            acc += w + (space if kind == SPACE else 0.0)
            prefix[k + 1] = acc
        inf = float("inf")
        best = [inf] * (n + 1)
        back = [0] * (n + 1)
        best[0] = 0.0
        active = [0]  # atom indexes where a line may start, oldest first
        tol = 1e-6
        for j in range(n):
            _, wj, kind, cost = atoms[j]
            end_nat = prefix[j + 1] - (space if kind == SPACE else 0.0)
            extra = hyphen if kind == HYPH else 0.0
            last_line = kind == END
            best_here = inf
            arg = -1
            keep = []
            for i in active:
                natural = end_nat - prefix[i]
                if natural > width + tol:
                    continue  # this start can no longer reach: dropped for good
                keep.append(i)
                if natural + extra > width + tol:
                    continue
                if last_line:
                    c = best[i] + LINE
                else:
                    slack = (width - natural - extra) / width
                    c = best[i] + LINE + RAGGED * slack * slack + cost
                    if kind == HYPH and i > 0 and atoms[i - 1][2] == HYPH:
                        c += DOUBLE_HYPHEN
                if c < best_here:
                    best_here = c
                    arg = i
            if not keep:
                # Only when an atom fits alone but not with its added hyphen:
                # the latest reachable start takes the line, over-full.
                i = max(k for k in range(j + 1) if best[k] < inf)
                best_here, arg = best[i] + LINE + NEVER, i
            active = keep
            if arg >= 0:
                best[j + 1] = best_here
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
        start = 0
        for end in cuts:
            parts: list[str] = []
            for a in range(start, end):
                t, _, kind, _ = atoms[a]
                parts.append(t)
                if a < end - 1 and kind == SPACE:
                    parts.append(" ")
            if atoms[end - 1][2] == HYPH:
                parts.append("-")
            lines.append("".join(parts))
            start = end
        return lines

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
