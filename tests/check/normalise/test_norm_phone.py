"""Telephone numbers as contributors and national datasets give them."""

import pytest

from annuaire.check.normalise.phone import normalise_phone

S = "\u00a0"


def p(*pairs):
    return S.join(pairs)


@pytest.mark.parametrize(
    "raw, printed",
    [
        (473312000, p("04", "73", "31", "20", "00")),  # Excel number, leading zero lost
        (473312000.0, p("04", "73", "31", "20", "00")),
        ("473312000", p("04", "73", "31", "20", "00")),
        ("04.73.31.20.00", p("04", "73", "31", "20", "00")),
        ("04-73-31-20-00", p("04", "73", "31", "20", "00")),
        ("04  73 31  20 00", p("04", "73", "31", "20", "00")),
        ("+33 4 73 31 20 00", p("04", "73", "31", "20", "00")),
        ("+33 (0)4 73 31 20 00", p("04", "73", "31", "20", "00")),
        ("0033 4 73 31 20 00", p("04", "73", "31", "20", "00")),
        ("Tél : 04 71 48 26 40", p("04", "71", "48", "26", "40")),
        ("Tél. 04 71 48 26 40", p("04", "71", "48", "26", "40")),
        ("0473312000", p("04", "73", "31", "20", "00")),
        # DILA and Service-Public values
        ("08 10 25 63 10", p("08", "10", "25", "63", "10")),
        ("+33  809 401 401", p("08", "09", "40", "14", "01")),
        ("+33 4 70 35 78 51", p("04", "70", "35", "78", "51")),
        ("07 85 12 41 46", p("07", "85", "12", "41", "46")),
        # short numbers
        ("3949", "3949"),
        (3949, "3949"),
        ("36 46", "3646"),
        ("3631", "3631"),
        ("3939", "3939"),
        ("15", "15"),
        ("112", "112"),
        ("114", "114"),
        ("116117", f"116{S}117"),
        ("116 117", f"116{S}117"),
        # abroad
        ("+41 22 123 45 67", f"+41{S}22{S}123{S}45{S}67"),
    ],
)
def test_printed(raw, printed):
    value, problems = normalise_phone(raw)
    assert value == printed
    assert [q for q in problems if q.severity == "error"] == []


def test_pairs_never_break():
    value, _ = normalise_phone("04 73 31 20 00")
    assert " " not in value and value.count(S) == 4


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank(raw):
    assert normalise_phone(raw) == (None, ())


def test_several_numbers_keep_first_and_warn():
    value, problems = normalise_phone("04 73 86 00 00 / 06 12 34 56 78")
    assert value == p("04", "73", "86", "00", "00")
    assert [q.code for q in problems] == ["telephone-multiple"]
    assert "06 12 34 56 78" in problems[0].message


def test_several_numbers_with_ou():
    value, problems = normalise_phone("04 73 86 00 00 ou 06 12 34 56 78")
    assert value == p("04", "73", "86", "00", "00")
    assert problems[0].code == "telephone-multiple"


@pytest.mark.parametrize("raw", ["04 73 31 20 0", "0471000000000", "04 73 31 20 00 1"])
def test_wrong_length(raw):
    value, problems = normalise_phone(raw)
    assert value is None
    assert problems[0].code == "telephone-longueur"
    assert problems[0].severity == "error"
    assert "un numéro français a 10 chiffres" in problems[0].message


@pytest.mark.parametrize("raw", ["voir accueil", "néant", "-"])
def test_not_a_number(raw):
    value, problems = normalise_phone(raw)
    assert value is None
    assert problems[0].code == "telephone-invalide"
    assert problems[0].severity == "error"


def test_extension_dropped_with_warning():
    value, problems = normalise_phone("04 73 31 20 00 poste 215")
    assert value == p("04", "73", "31", "20", "00")
    assert [q.code for q in problems] == ["telephone-poste"]


# ------------------------------------------------------------ careless input


@pytest.mark.parametrize("raw", [-473312000, -473312000.0, "-04 73 31 20 00", "−0473312000"])
def test_negative_number_keeps_its_sign_and_is_an_error(raw):
    value, problems = normalise_phone(raw)
    assert value is None  # never printed as 04 73 31 20 00 with the sign dropped
    assert problems[0].code == "telephone-negatif"
    assert problems[0].severity == "error"
    assert "-" in problems[0].message or "−" in problems[0].message


def test_float_is_written_back_as_its_digits():
    # Excel stored 4733120000 as the float 4.73312e9: ten digits, not eleven.
    value, problems = normalise_phone(4.73312e9)
    assert value is None
    assert problems[0].code == "telephone-longueur"
    assert "« 4733120000 » a bien 10 chiffres mais ne commence pas par 0" in problems[0].message
    assert normalise_phone(4.73312e8).value == "04\u00a073\u00a031\u00a020\u00a000"


@pytest.mark.parametrize("raw, lost", [("4,73312E+09", "4 de ses 10 chiffres"), ("4.73312e8", "3 de ses 9")])
def test_scientific_notation_that_lost_digits(raw, lost):
    value, problems = normalise_phone(raw)
    assert value is None
    assert problems[0].code == "telephone-arrondi"
    assert lost in problems[0].message and "format Texte" in problems[0].message


def test_scientific_notation_with_every_digit_is_read():
    assert normalise_phone("4,73312000E+08").value == "04\u00a073\u00a031\u00a020\u00a000"
