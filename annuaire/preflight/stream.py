"""A fast reader for plain content streams, with pikepdf as the authority.

``pikepdf.parse_content_stream`` builds a Python object for every operand
and operator; on a directory of thousands of pages that is most of the
preflight's time.  :meth:`Reader.instructions` reads the decoded bytes of a
stream with one compiled regular expression instead, turns each distinct
instruction into the walker's once per document (a directory repeats the
same few thousand), and returns the same instructions the walker gets from
pikepdf, as ``(operator, operands)`` pairs, for the operators in
``content.OPERATORS`` only, in the same order:

* numbers are ``float`` and the operands of every operator that has only
  numbers are a ``tuple`` of floats, which the walker uses as they are
  (pikepdf gives ``int`` or ``Decimal`` in a list, which the walker converts:
  ``float()``, ``int()`` and ``abs()`` of both agree; integer ``-0``, whose
  float keeps a sign the integer has not, is left to pikepdf);
* names the walker looks up (``cs``/``CS``, ``Do``, ``sh``, the pattern of
  ``sc``/``scn``) are ``pikepdf.Name`` objects, so resource lookups and their
  errors are pikepdf's own;
* operators whose operands the walker never reads (text showing, ``q``,
  ``BT``, fills…) get an empty tuple.

It answers ``None`` — read this stream with pikepdf — whenever the stream is
not certain to mean the same thing to both readers: a byte it does not
recognise (non-ASCII outside strings, ``%`` comments, ``{}``), a dictionary
``<<…>>``, an inline image (``BI``), a string with nested parentheses, a
name with a ``#`` escape or empty, a nested array, a number in a form qpdf
might read differently (a sign ``+``, an exponent, ``1.2.3``, more than
15 integer digits, ``-0``), operands left over at the end, the keywords ``true``,
``false``, ``null`` and ``R`` (operands for qpdf), or an operand of the wrong
type for an operator the walker reads (a string given to ``cm``…).  Whatever
it accepts, pikepdf would have parsed into equal values: the tests compare
both readers on the project's own files and on every hostile sample.
"""

from __future__ import annotations

import re

import pikepdf

_WS = b"\x00\t\n\x0c\r "
_DELIMITERS = rb"()<>[]{}/%"
# A token ends at whitespace, at a delimiter or at the end of the stream;
# anything else that follows (a letter after a number, a byte ≥ 0x80) makes
# the token something else, and the stream goes to pikepdf.
_END = rb"(?![^" + re.escape(_WS + _DELIMITERS) + rb"])"
_NAME_CHARS = bytes(c for c in range(0x21, 0x7F) if c not in _DELIMITERS + b"#")
_NAME = rb"/[" + re.escape(_NAME_CHARS) + rb"]+"
_PLAIN_NUMBER = rb"-?(?:[0-9]{1,15}+(?:\.[0-9]*+)?|\.[0-9]++)" + _END
# Integer -0 is left to pikepdf (see the module docstring).
_NUMBER = rb"(?!-0+" + _END + rb")" + _PLAIN_NUMBER
_STRING = rb"\((?:[^()\\]++|\\[\s\S])*+\)"  # no nested parentheses
_HEX = rb"<[0-9A-Fa-f" + re.escape(_WS) + rb"]*+>"
_W = rb"[" + re.escape(_WS) + rb"]*+"
_ARRAY = (
    rb"\[" + _W + rb"(?:(?:" + _PLAIN_NUMBER + rb"|" + _NAME + rb"|" + _STRING + rb"|" + _HEX + rb")" + _W + rb")*+\]"
)
_OPERAND = rb"(?:" + _PLAIN_NUMBER + rb"|" + _NAME + rb"|" + _STRING + rb"|" + _HEX + rb"|" + _ARRAY + rb")"
_OPERATOR = rb"[A-Za-z'\"][A-Za-z0-9*'\"]*+" + _END
_SHOW = rb"(?:Tj|TJ|'|\")" + _END
# The operands of a text-showing operator, never read: not kept.  Tried
# first, only when they start with a string, an array or a hex string.
_SHOWN = (
    rb"(?=[(\[<])(?:(?:" + b"|".join((_STRING, _ARRAY, _HEX, _PLAIN_NUMBER)) + rb")" + _W + rb")*+(?=" + _SHOW + rb")"
)
# Operands that look like numbers: one run of digits, signs, points and
# whitespace that ends with whitespace (a quick loop; _NUMBER_RUN checks
# them when the instruction is first met).
_NUMERIC = rb"((?:[-.0-9" + re.escape(_WS) + rb"]*+(?<=[" + re.escape(_WS) + rb"]))?)"
# One instruction as four groups: 1. numeric operands, or 2. any others;
# 3. its operator; or 4. the first byte of something that is not an
# instruction (then 3 is empty).  Most instructions of a directory are thus
# found again as the same four values.
_INSTRUCTION = re.compile(
    _W
    + rb"(?:(?:"
    + _SHOWN
    + rb"|"
    + _NUMERIC
    + rb"|((?:"
    + _OPERAND
    + _W
    + rb")*+))("
    + _OPERATOR
    + rb")|([^"
    + re.escape(_WS)
    + rb"]))"
)
_NUMBER_RUN = re.compile(rb"(?:" + _NUMBER + rb"[" + re.escape(_WS) + rb"]+)*")
_TF = re.compile(_NAME + rb"[" + re.escape(_WS) + rb"]+(" + _NUMBER + rb")" + _W)
_ONE_NAME = re.compile(rb"(" + _NAME + rb")" + _W)
_COLOUR_AND_NAME = re.compile(rb"((?:" + _NUMBER + _W + rb")*)(" + _NAME + rb")" + _W)

# What the walker reads of each operator's operands.
_ANY, _NUMBERS, _TF_SIZE, _NAME_ONLY, _COLOUR, _STOP = range(6)
_NEEDS: dict[bytes, int] = {
    **dict.fromkeys((b"cm", b"Tm", b"Td", b"TD", b"TL", b"Tr", b"rg", b"RG", b"k"), _NUMBERS),
    **dict.fromkeys((b"m", b"l", b"c", b"v", b"y", b"re"), _NUMBERS),
    b"Tf": _TF_SIZE,
    **dict.fromkeys((b"cs", b"CS", b"Do", b"sh"), _NAME_ONLY),
    **dict.fromkeys((b"sc", b"scn"), _COLOUR),
    # Read (the walker counts them) but their operands are never used.
    **dict.fromkeys(
        (b"q", b"Q", b"BT", b"T*", b"Tj", b"TJ", b"'", b'"', b"K", b"g", b"G", b"SC", b"SCN"),
        _ANY,
    ),
    **dict.fromkeys((b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"n"), _ANY),
    # Not certain: an inline image, keywords qpdf reads as operands, and the
    # catch-all group (an operator b"" means something unrecognised).
    **dict.fromkeys((b"BI", b"ID", b"EI", b"true", b"false", b"null", b"R", b""), _STOP),
}
# Instructions kept for reuse (see Reader) before the memory is given back.
_KEPT_MAX = 100_000
_DROPPED: tuple = ()  # an operator the walker does not read (false: filtered out)


class Reader:
    """Reads the content streams of one document.

    The expression finds each instruction as four byte strings; a directory
    repeats the same ones (its lines sit at a few hundred heights, in a few
    fonts; shown text is not kept), so each distinct one is turned into the
    walker's instruction once, and the pages' lists are then made in C by
    dictionary look-ups."""

    def __init__(self) -> None:
        self._made: dict[tuple[bytes, bytes, bytes, bytes], tuple] = {}

    def instructions(self, data: bytes) -> list[tuple[str, tuple]] | None:
        """The walker's instructions of one decoded content stream, or None
        when the stream must be read by pikepdf (see the module docstring)."""
        found = _INSTRUCTION.findall(data)
        made = self._made
        if len(made) > _KEPT_MAX:
            made.clear()
        for parts in set(found).difference(made):
            instruction = _instruction(*parts)
            if instruction is None:
                return None
            made[parts] = instruction
        return list(filter(None, map(made.__getitem__, found)))


def instructions(data: bytes) -> list[tuple[str, tuple]] | None:
    """One stream's instructions (see :meth:`Reader.instructions`)."""
    return Reader().instructions(data)


def _instruction(numbers: bytes, mixed: bytes, op: bytes, _unknown: bytes) -> tuple | None:
    """The walker's instruction for one match of _INSTRUCTION: (operator,
    operands), _DROPPED, or None when pikepdf must read the stream."""
    if numbers and _NUMBER_RUN.fullmatch(numbers) is None:
        return None  # "1.2.3", "--1", a 16-digit integer (qpdf warns), -0…
    need = _NEEDS.get(op)
    if need is None:
        return _DROPPED  # an operator the walker does not read: pikepdf drops it too
    name = op.decode()
    if need == _ANY:
        return (name, ())
    if need == _STOP:
        return None
    if not mixed:
        if need != _NUMBERS and need != _COLOUR:
            return None  # Tf, cs, Do… without their name
        return (name, tuple(map(float, numbers.split())))
    if need == _NUMBERS:
        return None  # a string, a name… where numbers are read
    return _with_names(name, need, mixed)


def _with_names(op: str, need: int, mixed: bytes) -> tuple[str, tuple] | None:
    """An instruction whose operands include a name: Tf, cs, CS, Do, sh, sc, scn."""
    if need == _TF_SIZE:
        m = _TF.fullmatch(mixed)
        # The font's name is never read: None stands for it.
        return None if m is None else (op, (None, float(m.group(1))))
    if need == _NAME_ONLY:
        m = _ONE_NAME.fullmatch(mixed)
        return None if m is None else (op, (_name(m.group(1)),))
    # sc, scn: colour components, then a pattern's name.
    m = _COLOUR_AND_NAME.fullmatch(mixed)
    return None if m is None else (op, (*map(float, m.group(1).split()), _name(m.group(2))))


def _name(raw: bytes) -> pikepdf.Name:
    return pikepdf.Name(raw.decode("ascii"))
