"""Embedded TrueType fonts and a cached word measurer.

Only TrueType files are registered, so every font in the PDF is embedded as a
subset (printers reject non-embedded fonts).  Measuring is the hot spot of
any layout engine: :class:`FontSet` keeps one dict per style mapping a word
to its width at 1 pt, so ``stringWidth`` runs once per distinct word instead
of once per line tried (a 20,000-entry directory has a few tens of thousands
of distinct words but millions of measurements).

:func:`clean` makes text printable with the font: U+202F and other thin or
figure spaces become U+00A0 (ReportLab breaks at U+202F and the font has no
glyph for it), soft hyphens go, and characters the font lacks are replaced
and reported instead of printing as empty boxes.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from annuaire.pdf.layout import Fonts

STYLES = ("regular", "bold", "italic", "bold_italic")

# Spaces that must not break and that the fonts may lack.
_SPACES = {
    "\u202f": "\u00a0",  # espace fine insécable
    "\u2007": "\u00a0",  # figure space
    "\u2009": "\u00a0",  # thin space (French typists use it before ; ! ?)
    "\u2008": "\u00a0",
    "\u200a": "\u00a0",
    "\u2060": "",  # word joiner
    "\u00ad": "",  # soft hyphen: we hyphenate ourselves
    "\u200b": "",
    "\ufeff": "",
    "\u2011": "-",  # non-breaking hyphen the fonts lack
    "\t": " ",
    "\r": " ",
    "\n": " ",
}
# Replacements for characters some fonts lack, before giving up.
_FALLBACK = {
    "№": "n°",
    "→": "–",
    "☎": "Tél.",
    "✆": "Tél.",
    "✉": "",
    "ᵉ": "e",
    "ʳ": "r",
    "\u2002": " ",
    "\u2003": " ",
}
_MULTISPACE = re.compile(r" {2,}")


class FontSet:
    """The four styles of one family, registered with ReportLab, with width caches."""

    def __init__(self, fonts: Fonts):
        self.names: dict[str, str] = {}
        self.widths: dict[str, dict[str, float]] = {}
        self.space: dict[str, float] = {}
        covered: set[int] | None = None
        for style in STYLES:
            path = getattr(fonts, style)
            # A stable name (from the file, not a counter) keeps output bytes reproducible.
            name = "Annuaire-" + Path(path).stem
            # Look in the registry directly: getFont() on an unknown name
            # first searches every AFM file on disk (over a second).
            font = pdfmetrics._fonts.get(name)
            if font is None or getattr(font, "_annuaire_path", None) != path:
                font = TTFont(name, path)
                font._annuaire_path = path
                pdfmetrics.registerFont(font)
            self.names[style] = name
            self.widths[style] = {}
            self.space[style] = pdfmetrics.stringWidth(" ", name, 1.0)
            cmap = set(font.face.charToGlyph)
            covered = cmap if covered is None else covered & cmap
        self.covered = frozenset(covered or ())
        self._covered_chars = frozenset(chr(c) for c in self.covered) | {" "}
        self.missing: set[str] = set()

    def width(self, style: str, word: str) -> float:
        """Width of ``word`` at 1 pt in ``style`` (cached)."""
        cache = self.widths[style]
        w = cache.get(word)
        if w is None:
            w = cache[word] = pdfmetrics.stringWidth(word, self.names[style], 1.0)
        return w

    def text_width(self, style: str, text: str) -> float:
        """Width of a whole line at 1 pt, not cached (lines are mostly unique)."""
        return pdfmetrics.stringWidth(text, self.names[style], 1.0)

    def clean(self, text: str) -> str:
        """Printable text: normalised spaces, no glyph the font lacks."""
        if not text:
            return ""
        out = text
        for a, b in _SPACES.items():
            if a in out:
                out = out.replace(a, b)
        covered = self.covered
        if not self._covered_chars.issuperset(out):
            chars = []
            for ch in out:
                if ord(ch) in covered or ch == " ":
                    chars.append(ch)
                    continue
                sub = _FALLBACK.get(ch)
                if sub is not None and all(ord(c) in covered or c == " " for c in sub):
                    chars.append(sub)
                else:
                    self.missing.add(ch)
                    chars.append("?")
            out = "".join(chars)
        if "  " in out:
            out = _MULTISPACE.sub(" ", out)
        return out.strip()
