"""Greedy line breaking with French hyphenation, in one pass.

Ragged right (no justification): in narrow directory columns justified text
opens rivers, and ragged lines are easier to follow for older readers.
Lines break at ordinary spaces only; U+00A0 glues (« Tél. 04 73 … », « 8 h 30 »)
because words are split on U+0020 alone.

Hyphenation (pyphen ``fr_FR``, at least 2 letters before and 3 after the
break) is tried only when the next word leaves a large gap at the end of the
line, and never on: capitalised words (names of places and people: a reader
must recognise « Saint-Étienne-de-Maurs » whole), words with digits, e-mails,
URLs, or next to an apostrophe (« aujour-d’hui »).

A word wider than the column is split without adding a hyphen: URLs and
e-mails after « / » or before « . - _ @ »; other words (long compound
toponyms: « Champs-sur-Tarentaine-Marchal ») after their own hard hyphens,
never inside a part, which French typography allows and which needs no
warning.  Only when a single part is itself wider than the column is it cut
at the last letter that fits, and a warning recorded: nothing overflows the
column silently.
"""

from __future__ import annotations

import re

import pyphen
from reportlab.pdfbase.pdfmetrics import stringWidth

from annuaire.pdf.fonts import FontSet

_URLISH = re.compile(r"[@/]|^www\.|\.(fr|com|org|net|eu|gouv|info)\b", re.I)
_PUNCT_LEAD = "([«“\"'’"
_PUNCT_TRAIL = ")]»”\"',;:.!?…"
_APOS = "’'"
_URL_BEFORE = ".-_@?#&=~"


class Breaker:
    """Breaks text into lines for one font set; collects warnings."""

    def __init__(self, fonts: FontSet, hyphenate: bool = True, min_word: int = 6, language: str = "fr_FR"):
        self.fonts = fonts
        self.hyphenate = hyphenate
        self.min_word = min_word
        self._dic = pyphen.Pyphen(lang=language, left=2, right=3) if hyphenate else None
        self._positions: dict[str, tuple[int, ...]] = {}
        self.warnings: list[str] = []

    # ------------------------------------------------------------ public

    def wrap(
        self, text: str, style: str, size: float, width: float, context: str = "", hyphenate: bool = True
    ) -> list[str]:
        """Lines of ``text`` set in ``style`` at ``size`` pt within ``width`` pt.

        ``hyphenate=False`` for headings and names, which readers scan whole."""
        fonts = self.fonts
        if not text:
            return []
        if fonts.text_width(style, text) * size <= width:
            return [text]
        widths = fonts.widths[style]
        name = fonts.names[style]
        space = fonts.space[style] * size
        lines: list[str] = []
        cur: list[str] = []
        cur_w = 0.0
        for word in text.split(" "):
            if not word:
                continue
            w = widths.get(word)
            if w is None:
                w = widths[word] = stringWidth(word, name, 1.0)
            w *= size
            if cur:
                if cur_w + space + w <= width:
                    cur.append(word)
                    cur_w += space + w
                    continue
                rest = width - cur_w - space
                head = None
                # Hyphenate only to avoid a large hole at the line end.
                if hyphenate and self._dic is not None and rest >= 0.25 * width:
                    head, tail = self._hyphen_fit(word, style, size, rest)
                if head is not None:
                    cur.append(head)
                    lines.append(" ".join(cur))
                    word = tail
                    w = fonts.width(style, word) * size
                else:
                    lines.append(" ".join(cur))
                cur = []
                cur_w = 0.0
            if w <= width:
                cur = [word]
                cur_w = w
                continue
            pieces = self._split_long(word, style, size, width, context)
            lines.extend(pieces[:-1])
            cur = [pieces[-1]]
            cur_w = fonts.width(style, pieces[-1]) * size
        if cur:
            lines.append(" ".join(cur))
        return lines

    # ------------------------------------------------------------ hyphenation

    def hyphenable(self, word: str) -> bool:
        if len(word) < self.min_word:
            return False
        first = next((c for c in word if c.isalpha()), "")
        if not first or first.isupper():
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
        got = tuple(sorted(set(out)))
        if len(self._positions) < 100_000:
            self._positions[word] = got
        return got

    def _hyphen_fit(self, word: str, style: str, size: float, room: float) -> tuple[str | None, str]:
        """The longest head of ``word`` (with its hyphen) that fits in ``room``."""
        width = self.fonts.width
        for pos in reversed(self.positions(word)):
            head = word[:pos]
            if not head.endswith("-"):
                head += "-"
            if width(style, head) * size <= room:
                return head, word[pos:]
        return None, word

    # ------------------------------------------------------------ last resort

    def _split_long(self, word: str, style: str, size: float, width: float, context: str) -> list[str]:
        """Split a word wider than the column: URLs at their punctuation, others at hyphens."""
        fonts = self.fonts
        urlish = bool(_URLISH.search(word))
        breaks: list[int] = []
        for i in range(1, len(word)):
            ch, prev = word[i], word[i - 1]
            if urlish:
                if (prev == "/" and ch != "/") or (ch in _URL_BEFORE and prev not in _URL_BEFORE + "/"):
                    breaks.append(i)
            elif prev == "-":
                breaks.append(i)
        segs: list[str] = []
        last = 0
        for b in breaks:
            segs.append(word[last:b])
            last = b
        segs.append(word[last:])

        lines: list[str] = []
        cur = ""
        cut = False
        for seg in segs:
            if fonts.width(style, cur + seg) * size <= width:
                cur += seg
                continue
            if cur:
                lines.append(cur)
                cur = ""
            while fonts.width(style, seg) * size > width:
                # Nothing else works: cut at the last character that fits.
                n = len(seg) - 1
                while n > 1 and fonts.width(style, seg[:n]) * size > width:
                    n -= 1
                lines.append(seg[:n])
                seg = seg[n:]
                cut = True
            cur = seg
        if cur:
            lines.append(cur)
        # Breaking after the hard hyphen of a compound (« Champs-sur- /
        # Tarentaine-Marchal ») is ordinary French typography: only a part
        # that had to be cut inside is worth a warning.
        if cut:
            where = f" ({context})" if context else ""
            self.warnings.append(
                f"Mot trop long pour la colonne, coupé sur plusieurs lignes : « {word} »{where}."
            )
        return lines or [word]
