"""Characters the font cannot print, bidi controls and U+FFFD: a warning at
the cell, with the characters named by their codes, never shown raw."""

import pytest
from click.testing import CliRunner

from annuaire.check.validate import validate_rows
from annuaire.cli import main
from annuaire.model import Origin, RawRow
from annuaire.pdf.fonts import missing_chars


def _row(**fields):
    base = {"nom": "Mairie de Riom", "typologie": "Mairie", "commune": "Riom"}
    base.update(fields)
    return RawRow(origin=Origin("services.csv", None, 7), fields=base, columns={k: k.capitalize() for k in base})


@pytest.mark.parametrize(
    "text, codes",
    [
        ("Pharmacie 😀", ["U+1F600 GRINNING FACE"]),
        ("Centre 中文", ["U+4E2D", "U+6587"]),
        ("Maison مرحبا", ["U+0645 ARABIC LETTER MEEM"]),
        ("Mairie \u202eeirtsam", ["U+202E RIGHT-TO-LEFT OVERRIDE"]),
        ("Mairie \u2066x\u2069", ["U+2066 LEFT-TO-RIGHT ISOLATE", "U+2069 POP DIRECTIONAL ISOLATE"]),
        ("Mairie\x1b[31m rouge", ["U+001B"]),
    ],
)
def test_cell_with_unprintable_characters_is_located(text, codes):
    res = validate_rows([_row(nom=text)], glyphs=missing_chars)
    assert len(res.entries) == 1  # a warning: the row is kept
    (w,) = [i for i in res.issues if i.code == "caracteres-non-imprimables"]
    assert (w.file, w.row, w.column) == ("services.csv", 7, "Nom")
    for c in codes:
        assert c in w.message
    # the message names the characters; it never carries them raw
    assert not set(missing_chars(text)) & set(w.message)


def test_replacement_character_is_said():
    res = validate_rows([_row(description="Ouvert le mercredi apr\ufffds-midi")], glyphs=missing_chars)
    (w,) = [i for i in res.issues if i.code == "caractere-remplacement"]
    assert w.column == "Description" and "U+FFFD" in w.message
    assert not [i for i in res.issues if i.code == "caracteres-non-imprimables"]


def test_french_text_is_printable():
    assert missing_chars("Œuvre « L’Âge d’or » — 12\u00a0€, n° 3, côte-d’Ivoire, Ÿ") == ""


def test_nothing_raw_reaches_the_terminal(tmp_path):
    p = tmp_path / "services.csv"
    p.write_text(
        'Nom;Typologie;Commune\n"\x1b]0;piégé\x07\x1b[2J Mairie\u202e";Typo\x1b[31minconnue;Riom\r\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(p)])
    assert result.exit_code == 1
    assert "Typologie « Typo<U+001B>[31minconnue » inconnue" in result.output
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in result.output
