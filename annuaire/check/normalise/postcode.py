"""Postal codes: repaired from Excel numbers and checked against the commune.

Excel turns ``03000`` into the number ``3000``; people type ``63 000``.
``normalise_postcode(value)`` returns the five-digit string.
``check_postcode(postcode, commune)`` says whether the code belongs to the
commune (``annuaire.reference.geo.Commune``): a code of the same département that no
commune has is a CEDEX or special code (03006, 43003, 63033…), accepted with
a warning; a code of other communes, or of another département, is a warning
too (the commune wins, the code is still printed as typed).
``commune_from_postcode(postcode)`` deduces the commune when the code has
exactly one.

Codes: ``code-postal-invalide`` (error), ``code-postal-cedex`` (warning),
``code-postal-commune`` (warning).
"""

from __future__ import annotations

import re
from typing import Any

from annuaire.check.normalise import Normalised, Problem, is_blank


def normalise_postcode(value: Any) -> Normalised:
    """Five-digit postal code as a string, or an error."""
    if is_blank(value):
        return Normalised(None)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f.]", "", str(value))
        text = re.sub(r"^(?:F-?|FR-?)", "", text, flags=re.IGNORECASE)
        text = re.sub(r"(?i)cedex\d*$", "", text)
    if text.isdigit() and len(text) == 4:
        text = "0" + text  # Excel dropped the leading zero (Ain to Ardèche…)
    if not (text.isdigit() and len(text) == 5):
        return Normalised(
            None,
            (
                Problem(
                    "error",
                    "code-postal-invalide",
                    f"« {value} » n’est pas un code postal : un code postal a 5 chiffres "
                    "(par exemple 63000 ou 03000). Corrigez-le ou laissez la cellule vide.",
                ),
            ),
        )
    return Normalised(text)


def check_postcode(postcode: str, commune) -> tuple[Problem, ...]:
    """Problems of a (normalised) postal code for this commune."""
    if not postcode or commune is None or postcode in commune.postcodes:
        return ()
    from annuaire.reference.geo import gazetteer

    listed = ", ".join(commune.postcodes) or "aucun"
    owners = gazetteer().by_postcode(postcode)
    if owners:
        # A code of other communes is a slip, not a CEDEX: name them.
        names = ", ".join(c.name for c in owners[:4]) + (" et d’autres" if len(owners) > 4 else "")
        return (
            Problem(
                "warning",
                "code-postal-commune",
                f"Le code postal {postcode} n’appartient pas à {commune.name} "
                f"(codes de la commune : {listed}) mais à {names}. Corrigez le code postal ou la commune.",
            ),
        )
    if postcode[:2] == commune.departement[:2]:
        return (
            Problem(
                "warning",
                "code-postal-cedex",
                f"Le code postal {postcode} n’est pas un code de {commune.name} ({listed}) : "
                "code postal CEDEX ou spécial, accepté et imprimé suivi de « Cedex ». "
                "Vérifiez-le s’il ne s’agit pas d’un CEDEX.",
            ),
        )
    return (
        Problem(
            "warning",
            "code-postal-commune",
            f"Le code postal {postcode} n’appartient pas à {commune.name} "
            f"(codes de la commune : {listed}). Corrigez le code postal ou la commune.",
        ),
    )


def commune_from_postcode(postcode: str):
    """The commune with this postal code if there is exactly one, else None."""
    from annuaire.reference.geo import gazetteer

    found = gazetteer().by_postcode(postcode)
    return found[0] if len(found) == 1 else None
