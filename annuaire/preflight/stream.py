"""A fast reader for plain content streams, with pikepdf as the authority.

``pikepdf.parse_content_stream`` builds a Python object for every operand
and operator; on a directory of thousands of pages that is most of the
preflight's time.  :func:`instructions` reads the decoded bytes of a stream
with one compiled regular expression instead and returns the same
instructions the walker gets from pikepdf, as ``(operator, operands)``
pairs, for the operators in ``content.OPERATORS`` only, in the same order:

* numbers the walker computes with are ``float`` (pikepdf gives ``int`` or
  ``Decimal``: ``float()``, ``int()`` and ``abs()`` of both agree; integer
  ``-0``, whose float keeps a sign the integer has not, is left to pikepdf);
  the operands of path construction stay ``bytes`` (``float()`` reads them
  when the path's geometry is needed, i.e. when the fill's ink is high);
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
might read differently (a sign ``+``, an exponent, more than 15 integer
digits, ``-0``), operands left over at the end, the keywords ``true``,
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
_NUMBER = rb"(?!-0+" + _END + rb")-?(?:[0-9]{1,15}(?:\.[0-9]*)?|\.[0-9]+)" + _END
_STRING = rb"\((?:[^()\\]++|\\[\s\S])*+\)"  # no nested parentheses
_HEX = rb"<[0-9A-Fa-f" + re.escape(_WS) + rb"]*>"
_W = rb"[" + re.escape(_WS) + rb"]*"
_ARRAY = rb"\[" + _W + rb"(?:(?:" + _NUMBER + rb"|" + _NAME + rb"|" + _STRING + rb"|" + _HEX + rb")" + _W + rb")*+\]"
_OPERAND = rb"(?:" + _NUMBER + rb"|" + _NAME + rb"|" + _STRING + rb"|" + _HEX + rb"|" + _ARRAY + rb")"
_OPERATOR = rb"[A-Za-z'\"][A-Za-z0-9*'\"]*" + _END
# One instruction: its operands (numbers only in group 1, anything else in
# group 2) and its operator (group 3); or, in group 4, the first byte of
# something that is not an instruction (only then is group 3 empty).
_INSTRUCTION = re.compile(
    _W
    + rb"(?:(?:((?:"
    + _NUMBER
    + _W
    + rb")*+)|((?:"
    + _OPERAND
    + _W
    + rb")*+))("
    + _OPERATOR
    + rb")|([^"
    + re.escape(_WS)
    + rb"]))"
)
_TF = re.compile(_NAME + rb"[" + re.escape(_WS) + rb"]+(" + _NUMBER + rb")" + _W)
_ONE_NAME = re.compile(rb"(" + _NAME + rb")" + _W)
_COLOUR_AND_NAME = re.compile(rb"((?:" + _NUMBER + _W + rb")*)(" + _NAME + rb")" + _W)

# What the walker reads of each operator's operands.
_ANY, _NUMBERS, _TR, _TF_SIZE, _NAME_ONLY, _COLOUR, _STOP = range(7)
_NEEDS: dict[bytes, tuple[str, int]] = {
    # Numbers stay bytes: float() reads them when the walker needs them.
    **{op: (op.decode(), _NUMBERS) for op in (b"cm", b"Tm", b"Td", b"TD", b"TL", b"rg", b"RG", b"k")},
    **{op: (op.decode(), _NUMBERS) for op in (b"m", b"l", b"c", b"v", b"y", b"re")},
    b"Tr": ("Tr", _TR),  # int() of a pikepdf real truncates it; int(b"2.5") would fail
    b"Tf": ("Tf", _TF_SIZE),
    **{op: (op.decode(), _NAME_ONLY) for op in (b"cs", b"CS", b"Do", b"sh")},
    **{op: (op.decode(), _COLOUR) for op in (b"sc", b"scn")},
    # Read (the walker counts them) but their operands are never used.
    **{
        op: (op.decode(), _ANY)
        for op in (b"q", b"Q", b"BT", b"T*", b"Tj", b"TJ", b"'", b'"', b"K", b"g", b"G", b"SC", b"SCN")
    },
    **{op: (op.decode(), _ANY) for op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"n")},
    # Not certain: an inline image, keywords qpdf reads as operands, and the
    # catch-all group (an operator b"" means something unrecognised).
    **{op: ("", _STOP) for op in (b"BI", b"ID", b"EI", b"true", b"false", b"null", b"R", b"")},
}
_NO_OPERANDS: tuple = ()


def instructions(data: bytes) -> list[tuple[str, object]] | None:
    """The walker's instructions of one decoded content stream, or None when
    the stream must be read by pikepdf (see the module docstring)."""
    out: list[tuple[str, object]] = []
    append = out.append
    needs = _NEEDS.get
    seen: dict[tuple[bytes, bytes], tuple[str, tuple]] = {}  # Tf, cs, Do…: few distinct ones per page
    for numbers, mixed, op, _ in _INSTRUCTION.findall(data):
        known = needs(op)
        if known is None:
            continue  # an operator the walker does not read: pikepdf drops it too
        name, need = known
        if need == _NUMBERS:
            if mixed:
                return None
            append((name, numbers.split()))
        elif need == _ANY:
            append((name, _NO_OPERANDS))
        elif need == _STOP:
            return None
        elif need == _TR:
            if mixed:
                return None
            append((name, [float(v) for v in numbers.split()]))
        elif not mixed:
            if need != _COLOUR:
                return None  # Tf, cs, Do… without their name
            append((name, numbers.split()))
        else:
            instruction = seen.get((op, mixed))
            if instruction is None:
                instruction = _with_names(name, need, mixed)
                if instruction is None:
                    return None
                seen[op, mixed] = instruction
            append(instruction)
    return out


def _with_names(op: str, need: int, mixed: bytes) -> tuple[str, tuple] | None:
    """An instruction whose operands include a name: Tf, cs, CS, Do, sh, sc, scn."""
    if need == _TF_SIZE:
        m = _TF.fullmatch(mixed)
        # The font's name is never read: None stands for it.
        return None if m is None else (op, (None, m.group(1)))
    if need == _NAME_ONLY:
        m = _ONE_NAME.fullmatch(mixed)
        return None if m is None else (op, (_name(m.group(1)),))
    # sc, scn: colour components, then a pattern's name.
    m = _COLOUR_AND_NAME.fullmatch(mixed)
    return None if m is None else (op, (*m.group(1).split(), _name(m.group(2))))


def _name(raw: bytes) -> pikepdf.Name:
    return pikepdf.Name(raw.decode("ascii"))
