"""One long word must cost work in proportion to its length, never its square.

Measured without a clock: the number of characters handed to ReportLab's
width function (each call costs in proportion to its string), for a word of
N and of 2N characters."""

from __future__ import annotations

import pytest

from annuaire.pdf import fonts as fonts_module
from annuaire.pdf.fonts import FontSet
from annuaire.pdf.layout import load_layout
from annuaire.pdf.lines import Breaker

MM = 72 / 25.4


def _measured_chars(monkeypatch, word: str, hyphenate: bool) -> tuple[int, list[str]]:
    fonts = FontSet(load_layout("a5").fonts)  # fresh width caches
    seen = [0]
    real = fonts_module.pdfmetrics.stringWidth

    def counting(text, name, size, *a, **k):
        seen[0] += len(text)
        return real(text, name, size, *a, **k)

    monkeypatch.setattr(fonts_module.pdfmetrics, "stringWidth", counting)
    lines = Breaker(fonts).wrap("Voir " + word + " fin", "regular", 9, 60 * MM, hyphenate=hyphenate)
    monkeypatch.undo()
    # nothing lost, nothing wider than the column
    assert "".join(lines).replace(" ", "") == ("Voir" + word + "fin").replace(" ", "")
    assert all(fonts.text_width("regular", ln) * 9 <= 60 * MM + 1e-6 for ln in lines)
    return seen[0], lines


@pytest.mark.parametrize(
    "word_of",
    [
        lambda n: "A" + "b" * (n - 1),  # a name held down on one key
        lambda n: ("anticonstitutionnellement" * n)[:n],  # lowercase, hyphenable letters
        lambda n: ("très-" * n)[:n],  # a hard hyphen every 5 characters
    ],
)
@pytest.mark.parametrize("hyphenate", [True, False])
def test_long_word_is_linear(monkeypatch, word_of, hyphenate):
    small, _ = _measured_chars(monkeypatch, word_of(10_000), hyphenate)
    large, lines = _measured_chars(monkeypatch, word_of(20_000), hyphenate)
    assert large < 2.6 * small, (small, large)
    assert large < 20 * 20_000  # a few passes over the word, not one per line
    assert len(lines) > 100
