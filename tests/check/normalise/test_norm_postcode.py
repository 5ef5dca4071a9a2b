"""Postal codes: Excel numbers repaired, checked against the commune."""

import pytest

from annuaire.reference.geo import gazetteer
from annuaire.check.normalise.postcode import check_postcode, commune_from_postcode, normalise_postcode


@pytest.mark.parametrize(
    "raw, printed",
    [
        (3000, "03000"),  # Excel number
        (3000.0, "03000"),
        ("3000", "03000"),
        ("03000", "03000"),
        ("63 000", "63000"),
        ("63\u00a0000", "63000"),
        (63200, "63200"),
        ("F-63000", "63000"),
        ("03006 CEDEX", "03006"),
    ],
)
def test_normalised(raw, printed):
    assert normalise_postcode(raw) == (printed, ())


@pytest.mark.parametrize("raw", ["630", "6300000", "Riom", "63 2OO"])
def test_invalid(raw):
    value, problems = normalise_postcode(raw)
    assert value is None
    assert problems[0].code == "code-postal-invalide" and problems[0].severity == "error"
    assert "5 chiffres" in problems[0].message


def test_blank():
    assert normalise_postcode(None) == (None, ())


def _commune(name):
    # The Auvergne commune of that name (Moulins is also in Ille-et-Vilaine…).
    (c,) = [x for x in gazetteer().find(name) if x.departement in ("03", "15", "43", "63")]
    return c


def test_code_of_the_commune():
    assert check_postcode("63200", _commune("Riom")) == ()


def test_cedex_code_same_departement_is_a_warning():
    (problem,) = check_postcode("03006", _commune("Moulins"))
    assert problem.code == "code-postal-cedex" and problem.severity == "warning"
    assert "CEDEX ou spécial" in problem.message
    (problem,) = check_postcode("43003", _commune("Le Puy-en-Velay"))
    assert problem.code == "code-postal-cedex"


def test_code_of_another_departement():
    (problem,) = check_postcode("15000", _commune("Riom"))
    assert problem.code == "code-postal-commune" and problem.severity == "warning"
    assert "63200" in problem.message


def test_commune_deduced_when_unique():
    assert commune_from_postcode("63140").name == "Châtel-Guyon"
    assert commune_from_postcode("63200") is None  # Riom, Mozac, Marsat…


def test_code_of_a_neighbour_commune_is_not_cedex():
    # 43800 belongs to Vorey and others, not to Thoras: a slip, named as such.
    (problem,) = check_postcode("43800", _commune("Thoras"))
    assert problem.code == "code-postal-commune"
    assert "Thoras" in problem.message


def test_long_owner_list_has_no_ellipsis_before_the_full_stop():
    # 15190 belongs to more than four communes: the message used to read "Marcenat…. Corrigez".
    (problem,) = check_postcode("15190", _commune("Ferrières-Saint-Mary"))
    assert "…." not in problem.message and "et d’autres. Corrigez" in problem.message
