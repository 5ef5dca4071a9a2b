"""Classification of PDF colour spaces into the families a printer cares about.

``kind()`` answers one of: ``"rgb"``, ``"cmyk"``, ``"gray"``, ``"lab"``,
``"spot"`` (Separation/DeviceN whose alternate is not RGB), ``"spot-rgb"``
(Separation/DeviceN whose alternate space is RGB: the RIP converts the tint
through RGB when no spot plate is ordered, so it counts as RGB), ``"pattern"``
and ``"other"``.  An Indexed space takes the kind of its base.
"""

from __future__ import annotations

import pikepdf

_NAMES = {
    "/DeviceRGB": "rgb",
    "/RGB": "rgb",  # inline-image abbreviation
    "/DeviceCMYK": "cmyk",
    "/CMYK": "cmyk",
    "/DeviceGray": "gray",
    "/G": "gray",
    "/Pattern": "pattern",
}
_ICC_N = {1: "gray", 3: "rgb", 4: "cmyk"}
RGB_KINDS = frozenset({"rgb", "spot-rgb"})


def kind(cs, resources=None, _depth: int = 0) -> str:
    """Family of colour space ``cs`` (a name or an array), names resolved in ``resources``."""
    if _depth > 8 or cs is None:
        return "other"
    if isinstance(cs, pikepdf.Name):
        name = str(cs)
        if name in _NAMES:
            return _NAMES[name]
        spaces = resources.get("/ColorSpace") if resources is not None else None
        if spaces is not None and name in spaces:
            return kind(spaces[name], None, _depth + 1)
        return "other"
    if isinstance(cs, pikepdf.Array) and len(cs) > 0:
        family = str(cs[0])
        if family == "/ICCBased":
            n = int(cs[1].get("/N", 0))
            return _ICC_N.get(n, "other")
        if family == "/CalRGB":
            return "rgb"
        if family == "/CalGray":
            return "gray"
        if family == "/Lab":
            return "lab"
        if family in ("/Indexed", "/I"):
            return kind(cs[1], resources, _depth + 1)
        if family == "/Separation":
            return "spot-rgb" if kind(cs[2], resources, _depth + 1) == "rgb" else "spot"
        if family == "/DeviceN":
            return "spot-rgb" if kind(cs[2], resources, _depth + 1) == "rgb" else "spot"
        if family == "/Pattern":
            return "pattern"
        if len(cs) == 1:
            return kind(cs[0], resources, _depth + 1)
    return "other"
