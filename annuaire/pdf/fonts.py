"""Embedded TrueType fonts and a cached word measurer.

Only TrueType files are registered, so every font in the PDF is embedded as a
subset (printers reject non-embedded fonts).  Measuring is the hot spot of
any layout engine: :class:`FontSet` keeps one dict per style mapping a word
to its width at 1 pt, so ``stringWidth`` runs once per distinct word instead
of once per line tried (a 20,000-entry directory has a few tens of thousands
of distinct words but millions of measurements).

:func:`clean` makes text printable with the font: it applies the last
typographic pass (:func:`annuaire.text.typo.finish`: ’, « – », narrow
no-break spaces, « 1ᵉʳ ») to every string, whatever its source; thin or
figure spaces become U+202F when the face has it (the shipped face does:
see ``scripts/make_fonts.py``) or U+00A0 otherwise, both of which the line
breaker never breaks at; soft hyphens go; characters the font lacks are
replaced and reported instead of printing as empty boxes.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from annuaire.pdf.layout import Fonts
from annuaire.text.typo import finish

STYLES = ("regular", "bold", "italic", "bold_italic")

# Spaces that must not break: the narrow ones become U+202F (or U+00A0 when
# the face lacks it, see FontSet.__init__).
_NARROW = "\u202f"
_SPACES = {
    "\u2007": "\u00a0",  # figure space
    "\u2009": _NARROW,  # thin space (French typists use it before ; ! ?)
    "\u2008": _NARROW,
    "\u200a": _NARROW,
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
    "\u202f": "\u00a0",
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
        self.narrow = _NARROW if ord(_NARROW) in self.covered else "\u00a0"
        self._spaces = {a: (self.narrow if b == _NARROW else b) for a, b in _SPACES.items()}
        if self.narrow != _NARROW:
            self._spaces[_NARROW] = self.narrow
        # Printed strings repeat (source lines, hours, commune names): each
        # distinct one is cleaned once.
        self._clean: dict[str, str] = {}
        self._line_widths: dict[tuple[str, str], float] = {}

    def width(self, style: str, word: str) -> float:
        """Width of ``word`` at 1 pt in ``style`` (cached)."""
        cache = self.widths[style]
        w = cache.get(word)
        if w is None:
            w = cache[word] = pdfmetrics.stringWidth(word, self.names[style], 1.0)
        return w

    def text_width(self, style: str, text: str) -> float:
        """Width of a whole line at 1 pt.  Lines are mostly unique, but labels,
        postal lines and opening hours come back thousands of times: the last
        few thousand distinct ones are remembered (bounded: memory stays flat)."""
        key = (style, text)
        w = self._line_widths.get(key)
        if w is None:
            if len(self._line_widths) >= 8192:
                self._line_widths.clear()
            w = self._line_widths[key] = pdfmetrics.stringWidth(text, self.names[style], 1.0)
        return w

    def clean(self, text: str) -> str:
        """Printable text: French typography, normalised spaces, no glyph the font lacks."""
        if not text:
            return ""
        got = self._clean.get(text)
        if got is not None:
            return got
        out = text
        for a, b in self._spaces.items():
            if a in out:
                out = out.replace(a, b)
        out = finish(out, self.narrow)
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
        out = out.strip()
        if len(text) < 200:
            # Bounded: descriptions are unique, labels and places repeat.
            if len(self._clean) >= 32_768:
                self._clean.clear()
            self._clean[text] = out
        return out


# Characters never printed as typed even when the font has them: bidi
# embeddings, overrides and isolates would reorder the printed line, and
# U+FFFD is the mark of text decoded with the wrong encoding.
_NEVER = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffd")


@functools.lru_cache(maxsize=4)
def _coverage(paths: tuple[str, ...]) -> frozenset[str]:
    """Characters every one of the font files has a glyph for."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    covered: set[int] | None = None
    for path in paths:
        cmap = set(TTFontFile(path).charToGlyph)
        covered = cmap if covered is None else covered & cmap
    return frozenset(chr(c) for c in covered or ()) | {" "}


@functools.lru_cache(maxsize=1)
def _default_font_files() -> tuple[str, ...]:
    """The font files of the default layout (read once: a layout costs a TOML parse)."""
    from annuaire.pdf.layout import load_layout

    fonts = load_layout("a5").fonts
    return tuple(getattr(fonts, style) for style in STYLES)


def missing_chars(text: str, fonts: Fonts | None = None) -> str:
    """The distinct characters of ``text``, in order, that print as « ? »
    with ``fonts`` (default: the fonts of the default layout), plus bidi
    controls and U+FFFD.  A pure function of the text and the font files, so
    that checks can warn at the cell before any layout (see
    :meth:`FontSet.clean`, which does the replacing)."""
    if not text:
        return ""
    covered = _coverage(_default_font_files() if fonts is None else tuple(getattr(fonts, style) for style in STYLES))
    if covered.issuperset(text):
        return ""
    out = []
    for ch in dict.fromkeys(text):
        if ch in _NEVER:
            out.append(ch)
        elif ch in covered or ch in _SPACES:
            continue
        else:
            sub = _FALLBACK.get(ch)
            if sub is None or not covered.issuperset(sub):
                out.append(ch)
    return "".join(out)


def name_records(path: str) -> dict[int, str]:
    """The English (Windows, Unicode) records of a TrueType file's name table
    by name ID: 0 copyright, 1 family, 10 description, 13 licence…"""
    import struct

    from reportlab.pdfbase.ttfonts import TTFontFile

    data = TTFontFile(path).get_table("name")
    _, count, strings = struct.unpack(">HHH", data[:6])
    out: dict[int, str] = {}
    for i in range(count):
        pid, eid, lang, nid, length, off = struct.unpack(">6H", data[6 + 12 * i : 18 + 12 * i])
        if pid == 3 and eid in (0, 1) and lang == 0x409:
            raw = data[strings + off : strings + off + length]
            out.setdefault(nid, raw.decode("utf-16-be", errors="replace"))
    return out


def font_credit(fonts) -> str:
    """The colophon's sentence on the face the book is set in, in French: its
    name as the files give it, and, for the Atkinson Hyperlegible derived by
    ``scripts/make_fonts.py``, that it is a modified version, what was
    modified, its copyright and its licence (the SIL Open Font License asks a
    modified version to say so and to keep the licence)."""
    names = name_records(fonts.regular)
    family = names.get(16) or names.get(1) or fonts.family
    copyright = names.get(0, "").replace("Copyright ", "©\u00a0").replace("Copyright", "©").strip()
    licence = names.get(13, "")
    ofl = "SIL Open Font License" in licence
    text = f"Texte composé en {family}"
    if family.startswith("Atkinson Hyperlegible") and family != "Atkinson Hyperlegible":
        text += (
            " : une version modifiée pour cet annuaire de l’Atkinson Hyperlegible, caractère dessiné par le "
            "Braille Institute of America pour les personnes malvoyantes (zéro sans barre oblique, espace fine "
            "insécable, lettres supérieures ᵉ et ʳ ajoutées), renommée comme la licence le demande"
        )
    text += "."
    if copyright:
        text += f" {copyright.rstrip('.')}."
    if ofl:
        text += " Police diffusée sous licence SIL Open Font License, version 1.1."
    return text
