"""Text safe to print on a terminal.

Messages quote the contributor's cells (« {value} »), and a cell can hold
anything: an escape sequence (ESC [ … that recolours, moves the cursor or
retitles the terminal window), other control characters, bidirectional
overrides (U+202E makes the rest of a line read backwards), line
separators.  :func:`terminal_safe` is applied to every line the command
line prints: a carriage return becomes a space (it would let the rest of a
line overwrite its start), new lines and tabs stay, every other control or
format character is shown as its code (``<U+001B>``), so nothing raw from a
cell reaches the terminal.  :func:`codes` names characters the same way for
messages that list them (``U+1F600``).
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, and the format/separator characters that change
# how a terminal lays out the rest of the line (bidi embeddings, overrides and
# isolates, marks, line/paragraph separators).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
_SPACES = re.compile("\r")


def terminal_safe(text: str) -> str:
    """``text`` with nothing a terminal would interpret (see the module docstring)."""
    if not text:
        return text
    text = _SPACES.sub(" ", text)
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def code(ch: str) -> str:
    """'U+1F600' for a character (with its Unicode name when it has one)."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def codes(chars) -> str:
    """Distinct characters, in order, named safely: 'U+1F600 GRINNING FACE, U+202E …'."""
    return ", ".join(code(c) for c in dict.fromkeys(chars))


__all__ = ["terminal_safe", "code", "codes"]
