"""French alphabetical order for printed directories and their indexes.

A pure-``unicodedata`` stand-in for ICU's French collation (PyICU has no
wheels here), with the rules a French reader expects in a directory:

* primary level: letters without accents or case, ligatures spelled out
  (œ = oe, æ = ae), ç = c; hyphens, apostrophes, spaces and other punctuation
  ignored, so 'Saint-Flour' sorts as 'saintflour' and 'L'Hôpital' as
  'lhopital'.  As in French dictionaries this is letter by letter, so
  'Sainte-Marguerite' ('saintem…') files between 'Saint-Éloy' and
  'Saint-Étienne' ('saintet…'), not after every 'Saint-'.  Names keep their article as written: 'Le Puy-en-Velay' is
  under L.  Digits come before letters and a run of digits compares as a
  number ('Salle 2' before 'Salle 10');
* secondary level: accents, unaccented first ('cote' < 'coté' < 'côte');
* tertiary level: case, lower case first;
* last: the raw string, so the order is total and deterministic.

``sort_key`` is meant for ``sorted(names, key=sort_key)``; ``initial`` gives
the index letter a name is filed under; ``plain`` (lower case, no accents) is
where the matching keys of other modules start (commune names, headers…).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def plain(text: str) -> str:
    """Lower case without accents, ligatures spelled out ('Côte' → 'cote',
    'Œuvre' → 'oeuvre'): the one folding step every comparison key of the
    package starts from (commune names, headers, typologies, months, day names…)."""
    if text.isascii():  # most names and headers: nothing to decompose
        return text.lower()
    # One table look-up per character: the letters and signs of Latin
    # scripts (see _PLAIN); anything else decomposed as below.
    s = text.translate(_PLAIN)
    if not s.isascii():
        s = _unaccented(text)
    return s.lower()


def _unaccented(text: str) -> str:
    """``text`` decomposed (NFKD) without its combining marks, the letters
    NFKD leaves whole spelled out (_EXPANSIONS); case kept."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    if not s.isascii():
        s = s.translate(_SPELL)
    return s


# Letters NFKD leaves whole: spelled out as a French dictionary files them.
_EXPANSIONS = {
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ı": "i",
}

_SPELL = str.maketrans(_EXPANSIONS)

# _unaccented of each character from U+0080 to U+20FF (Latin letters with
# their accents, ligatures, combining marks, spaces, quotes, dashes…) whose
# result is ASCII: NFKD decomposes each character on its own, so a string of
# them gives the same as the whole decomposition.
_PLAIN = {c: u for c in range(0x80, 0x2100) if (u := _unaccented(chr(c))).isascii()}

DIGITS_INITIAL = "0–9"


def _weights(ch: str) -> tuple[tuple[str, int, int], ...]:
    """(base letter or digit, accent weight, case weight) of one character (see _chars)."""
    expanded = _EXPANSIONS.get(ch)
    if expanded is not None:
        # A ligature ties with its spelled-out form up to the raw string.
        return tuple((c.lower(), 0, 1 if c.isupper() else 0) for c in expanded)
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    marks = [c for c in decomposed if unicodedata.combining(c)]
    # Weight of the accent: its code point is arbitrary but stable, and
    # every accent weighs more than none.
    accent = sum(ord(m) for m in marks)
    return tuple(
        (c.lower(), accent if i == 0 else 0, 1 if c.isupper() else 0) for i, c in enumerate(base) if c.isalnum()
    )


# Weights of each character met so far: names are made of a few dozen letters.
_WEIGHTS: dict[str, tuple[tuple[str, int, int], ...]] = {}


def _chars(text: str) -> list[tuple[str, int, int]]:
    """(base letter or digit, accent weight, case weight) for each significant character.

    Punctuation, spaces and symbols are dropped here: they matter only in
    the final raw-string tie-break."""
    out: list[tuple[str, int, int]] = []
    weights = _WEIGHTS
    for ch in unicodedata.normalize("NFC", text):
        w = weights.get(ch)
        if w is None:
            w = weights[ch] = _weights(ch)
        out += w
    return out


def _primary(chars: list[tuple[str, int, int]]) -> tuple:
    """Runs of digits as numbers, runs of letters as strings.

    (0, n) sorts before (1, s): digits before letters, as in a plain
    character comparison, but '10' after '9'."""
    runs: list[tuple] = []
    buf = ""
    digit = False
    for c, _, _ in chars:
        is_digit = c.isdigit()
        if buf and is_digit != digit:
            runs.append((0, int(buf)) if digit else (1, buf))
            buf = ""
        buf += c
        digit = is_digit
    if buf:
        runs.append((0, int(buf)) if digit else (1, buf))
    return tuple(runs)


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple:
    """Key for French alphabetical order; total and deterministic.

    Computed with three translation tables (base letters, accent weights,
    case weights of each character met, from _weights): what
    _reference_key computes character by character, in C."""
    text = "" if text is None else str(text)
    nfc = unicodedata.normalize("NFC", text)
    if not _KNOWN.issuperset(nfc):
        _learn(nfc)
    base = nfc.translate(_BASE)
    if not base.isascii():  # digits of other scripts: runs as _primary makes them
        return _reference_key(text)
    # The accent and case weights as strings of those code points: compared
    # exactly as tuples of the weights would be (element by element, a
    # prefix first), in a fifth of the memory (tens of thousands of names
    # keep their key while an edition is laid out).
    return (
        tuple((0, int(run)) if run[0].isdigit() else (1, run) for run in _RUNS.findall(base)),
        nfc.translate(_ACCENT),
        nfc.translate(_CASE),
        text,
    )


def _reference_key(text: str) -> tuple:
    """sort_key, character by character."""
    chars = _chars(text)
    return (
        _primary(chars),
        "".join([chr(a) for _, a, _ in chars]),
        "".join([chr(c) for _, _, c in chars]),
        text,
    )


# Each character met, as its base letters, accent weights and case weights
# (strings: str.translate tables); runs of ASCII digits and of other characters.
_BASE: dict[int, str] = {}
_ACCENT: dict[int, str] = {}
_CASE: dict[int, str] = {}
_KNOWN: set[str] = set()
_RUNS = re.compile("[0-9]+|[^0-9]+")


def _learn(text: str) -> None:
    for ch in set(text) - _KNOWN:
        w = _WEIGHTS.get(ch)
        if w is None:
            w = _WEIGHTS[ch] = _weights(ch)
        _BASE[ord(ch)] = "".join([b for b, _, _ in w])
        _ACCENT[ord(ch)] = "".join([chr(a) for _, a, _ in w])
        _CASE[ord(ch)] = "".join([chr(c) for _, _, c in w])
        _KNOWN.add(ch)


def initial(text: str) -> str:
    """The letter of the index a name is filed under.

    'Échassières' → 'E', 'Œuf' → 'O', '3 Rivières' → '0–9'; '#' when the
    name has neither letter nor digit."""
    nfc = unicodedata.normalize("NFC", "" if text is None else str(text))
    if not _KNOWN.issuperset(nfc):
        _learn(nfc)
    base = nfc.translate(_BASE)  # the significant characters, as sort_key reads them
    if not base:
        return "#"
    first = base[0]  # the first significant character decides
    return DIGITS_INITIAL if first.isdigit() else first.upper()
