"""An address cell that already holds the postal code and the town.

Contributors often type the whole postal address in one cell —
``12 rue Myrha 75018 Paris``, ``Place de la Mairie, 63200 RIOM``, or on two
lines — with or without separate Code postal and Commune columns.
:func:`split_address` takes the tail apart:

* when the Code postal or Commune cell is empty, it is filled from the tail,
  and the street part alone stays the address;
* when they are filled and the tail says the same (same postal code, or the
  same town name), the tail is dropped from the address, so the town is not
  printed twice;
* a tail that contradicts the filled cells is left where it is: the
  validator's commune and postal-code checks speak about the cells.

It returns the three values and whether anything changed; it never decides
which commune it is (that is :mod:`annuaire.check.validate`'s job).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from annuaire.check.normalise import is_blank

# '… 75018 Paris', '…, 63200 RIOM CEDEX 2', '… - 03000 Moulins, France'
_TAIL = re.compile(
    r"^(?P<street>.*?)[\s,;–-]*\b(?P<cp>(?:0[1-9]|[1-8]\d|9[0-8])\d{3})\s+"
    r"(?P<town>[^\d,;]*?[^\W\d_][^\d,;]*?)(?:\s+cedex(?:\s*\d{1,2})?)?\s*(?:,\s*france)?\s*\.?$",
    re.IGNORECASE,
)


class Split(NamedTuple):
    address: Any
    postcode: Any
    commune: Any
    changed: bool


def _key(text: Any) -> str:
    from annuaire.reference.geo import name_key

    return name_key(str(text))


def split_address(address: Any, postcode: Any, commune: Any) -> Split:
    """(address, postal code, commune) with the tail of the address taken apart."""
    if is_blank(address) or not isinstance(address, str):
        return Split(address, postcode, commune, False)
    one_line = ", ".join(p.strip(" ,") for p in address.splitlines() if p.strip(" ,"))
    m = _TAIL.match(one_line)
    if not m:
        return Split(address, postcode, commune, False)
    street = m.group("street").strip(" ,;–-") or None
    cp, town = m.group("cp"), m.group("town").strip(" ,")
    pc_text = None if is_blank(postcode) else str(postcode).strip().zfill(5)
    same_pc = pc_text is None or pc_text == cp
    same_town = is_blank(commune) or _key(commune) == _key(town)
    if not (same_pc and (same_town or not is_blank(postcode))):
        return Split(address, postcode, commune, False)
    if not same_town and pc_text != cp:
        return Split(address, postcode, commune, False)
    return Split(street, cp if is_blank(postcode) else postcode, town if is_blank(commune) else commune, True)


__all__ = ["split_address", "Split"]
