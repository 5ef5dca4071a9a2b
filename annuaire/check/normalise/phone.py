"""Telephone numbers, printed the French way.

Input as people and spreadsheets give it: numbers stored as numbers by Excel
(``473312000`` lost its leading zero), dots, dashes, ``+33 4 …``,
``+33 (0)4 …``, ``0033 …``, doubled spaces, a ``Tél : `` prefix, several
numbers in one cell.  Output: ten digits in pairs joined by U+00A0
(``04 73 31 20 00`` never breaks across lines), short national numbers as
they are dialled (``3949``, ``15``, ``116 117``), foreign numbers in
international format.

``normalise_phone(value) -> Normalised(printed | None, problems)``.
Codes: ``telephone-invalide`` (error: no number at all),
``telephone-longueur`` (error: wrong number of digits),
``telephone-multiple`` (warning: only the first number is kept),
``telephone-poste`` (warning: an extension is dropped),
``telephone-douteux`` (warning: right length but not an allocated range),
``telephone-negatif`` (error: a minus sign in front, never dropped silently),
``telephone-arrondi`` (error: scientific notation that lost digits, '4,73312E+09').
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from annuaire.check.normalise import NBSP, Normalised, Problem, is_blank

# Short numbers dialled as such in France (emergency, public services).
# 4-digit numbers starting with 3 or 1 are "numéros courts" in general (3949,
# 3631, 3646, 3939, 3919, 1013…), so they are accepted by pattern as well.
SHORT_NUMBERS = frozenset(
    {
        "15",
        "17",
        "18",
        "112",
        "114",
        "115",
        "119",
        "191",
        "196",
        "197",
        "116000",
        "116006",
        "116111",
        "116117",
        "116123",
    }
)

# Prefixes people put in front of the number.
_PREFIX = re.compile(
    r"^\s*(?:t[ée]l[ée]phone|t[ée]l|fixe|portable|mobile|standard|accueil|n°|num[ée]ro)\s*[.:]?\s*(?:[:.]\s*)?",
    re.IGNORECASE,
)
# Separators between several numbers in one cell.  A spaced dash separates
# numbers only when both sides look like whole numbers (see _split), since
# '04-73-31-20-00' uses dashes inside one number.
_SPLIT = re.compile(r"\s*(?:/|;|\n|,|\bou\b|\bet\b|\s[-–]\s)\s*", re.IGNORECASE)
_EXTENSION = re.compile(r"\s*[(,]?\s*(?:poste|p\.|ext\.?|extension)\s*\d{1,5}\)?\s*$", re.IGNORECASE)
# A number shown in scientific notation and exported as text: '4,73312E+09'.
_SCIENTIFIC = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[eE]\s*\+?(\d{1,2})\s*$")
_NEGATIVE = re.compile(r"^\s*[-\u2212]\s*\d")
_FRENCH_CODES = {33, 262, 269, 508, 590, 594, 596, 687, 689}


# A French number written in full, in pairs or not: '0473312000', '04 73 31 20 00',
# '04.73.31.20.00', '04-73-31-20-00' (parsed as such by phonenumbers).
_NATIONAL = re.compile(r"0[1-9](?:[ .-]?\d\d){4}\Z")
_NON_DIGIT = re.compile(r"\D")


def _digits(text: str) -> str:
    return _NON_DIGIT.sub("", text)


def _split(text: str) -> list[str]:
    parts = [p for p in _SPLIT.split(text) if p and len(_digits(p)) >= 2]
    if len(parts) > 1 and all(len(_digits(p)) >= 4 for p in parts):
        return parts
    return [text]


def pairs(digits: str) -> str:
    """'0473312000' -> '04 73 31 20 00' with non-breaking spaces."""
    return NBSP.join(digits[i : i + 2] for i in range(0, len(digits), 2))


def _short(digits: str) -> str | None:
    if digits in SHORT_NUMBERS:
        return f"{digits[:3]}{NBSP}{digits[3:]}" if len(digits) == 6 else digits
    if len(digits) == 4 and digits[0] in "13":
        return digits
    return None


def normalise_phone(value: Any) -> Normalised:
    """Print-ready telephone number and problems; see the module docstring."""
    if is_blank(value):
        return Normalised(None)
    problems: list[Problem] = []
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _SCIENTIFIC.match(value):
        # '4,73312E+09': a CSV exported while the column showed numbers in
        # scientific notation.  Back to digits when none were lost.
        mantissa, exponent = _SCIENTIFIC.match(value).groups()
        digits = mantissa.replace(",", "").replace(".", "").lstrip("0")
        shown = len(mantissa.split(",")[0].split(".")[0].lstrip("0"))
        width = shown + int(exponent)
        if len(digits) < width:
            return Normalised(
                None,
                (
                    Problem(
                        "error",
                        "telephone-arrondi",
                        f"« {value.strip()} » est un numéro écrit en notation scientifique par le tableur : "
                        f"il a été arrondi et {width - len(digits)} de ses {width} chiffres sont perdus. "
                        "Mettez la colonne au format Texte dans le tableur, retapez le numéro "
                        "(par exemple 04 73 31 20 00) et exportez à nouveau.",
                    ),
                ),
            )
        value = int(digits[:width].ljust(width, "0"))
    if isinstance(value, (int, float)) and value < 0 or (isinstance(value, str) and _NEGATIVE.match(value)):
        # A minus sign is never part of a number: a formula or a paste put it there.
        return Normalised(
            None,
            (
                Problem(
                    "error",
                    "telephone-negatif",
                    f"« {value} » est un nombre négatif, pas un numéro de téléphone : un signe « - » "
                    "s’est glissé devant (formule, collage). Retirez-le et écrivez le numéro, "
                    "par exemple 04 73 31 20 00.",
                ),
            ),
        )
    if isinstance(value, (int, float)):
        # Excel stored the number as a number and dropped the leading zero.
        # A float (4.73312e9) is written back as the digits it holds.
        text = str(int(value)) if float(value).is_integer() else str(value)
        if len(text) == 9 and text[0] != "0":
            text = "0" + text
    else:
        text = str(value).replace("\u00a0", " ").replace("\u202f", " ").strip()
    raw = text
    if _NATIONAL.match(text):
        # The usual case, '04 73 31 20 00' or '04.73.31.20.00': ten digits and
        # nothing else to read; what the general path below gives it, sooner.
        digits = _NON_DIGIT.sub("", text)
        number = phonenumbers.PhoneNumber(country_code=33, national_number=int(digits[1:]))
        return Normalised(pairs(digits), () if phonenumbers.is_valid_number(number) else (_doubtful(raw),))
    text = _PREFIX.sub("", text)
    ext = _EXTENSION.search(text)
    if ext:
        # An extension cannot be dialled from outside: print the main number.
        problems.append(
            Problem(
                "warning",
                "telephone-poste",
                f"Numéro de poste retiré de « {raw} » : seul le numéro principal est imprimé. "
                "Mettez le poste dans la description si le public doit le demander.",
            )
        )
        text = text[: ext.start()]
    parts = _split(text)
    if len(parts) > 1:
        problems.append(
            Problem(
                "warning",
                "telephone-multiple",
                f"Plusieurs numéros dans la cellule (« {raw} ») : seul le premier, "
                f"« {parts[0].strip()} », est imprimé. Mettez un seul numéro par cellule "
                "(les autres peuvent aller dans la description).",
            )
        )
    text = parts[0]
    text = text.replace("(0)", "")
    text = re.sub(r"^\s*00\s*", "+", text)
    digits = _digits(text)
    typed = len(digits)  # as the contributor typed them, for the message
    if not digits or len(digits) < 2:
        problems.append(
            Problem(
                "error",
                "telephone-invalide",
                f"« {raw} » n’est pas un numéro de téléphone. Écrivez-le en chiffres, "
                "par exemple 04 73 31 20 00, ou laissez la cellule vide.",
            )
        )
        return Normalised(None, tuple(problems))
    if not text.lstrip().startswith("+"):
        short = _short(digits)
        if short:
            return Normalised(short, tuple(problems))
        if len(digits) == 9 and digits[0] != "0":
            digits = "0" + digits  # stored as a number somewhere upstream
    try:
        number = phonenumbers.parse(text if text.lstrip().startswith("+") else digits, "FR")
    except phonenumbers.NumberParseException:
        problems.append(
            Problem(
                "error",
                "telephone-invalide",
                f"« {raw} » n’est pas un numéro de téléphone. Écrivez-le en chiffres, "
                "par exemple 04 73 31 20 00, ou laissez la cellule vide.",
            )
        )
        return Normalised(None, tuple(problems))
    nsn = str(number.national_number)
    if number.country_code in _FRENCH_CODES:
        if len(nsn) != 9:
            if text.lstrip().startswith("+"):
                # The digits after the country code, as typed ('(0)' left out).
                after = typed - len(str(number.country_code))
                count = (
                    f"a {after} chiffre{'s' if after > 1 else ''} après l’indicatif "
                    f"+{number.country_code} : il en faut 9 (10 en l’écrivant avec un 0 au début, "
                    "par exemple 04 73 31 20 00)"
                )
            elif typed == 10 and digits[0] != "0":
                # 4733120000 (a float 4.73312e9 in the sheet): ten digits, the first one wrong.
                count = (
                    "a bien 10 chiffres mais ne commence pas par 0 : un numéro français commence "
                    "par 0 (par exemple 04 73 31 20 00) ; vérifiez le premier chiffre, ou le nombre "
                    "lu par le tableur"
                )
            else:
                count = (
                    f"a {typed} chiffre{'s' if typed > 1 else ''} : un numéro français a 10 "
                    "chiffres (par exemple 04 73 31 20 00)"
                )
            problems.append(
                Problem(
                    "error",
                    "telephone-longueur",
                    f"Le numéro « {raw} » {count}. Vérifiez qu’il ne manque ou ne reste pas de chiffre.",
                )
            )
            return Normalised(None, tuple(problems))
        printed = pairs("0" + nsn)
    else:
        printed = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace(" ", NBSP)
    if not phonenumbers.is_valid_number(number):
        problems.append(_doubtful(raw))
    return Normalised(printed, tuple(problems))


def _doubtful(raw: str) -> Problem:
    return Problem(
        "warning",
        "telephone-douteux",
        f"Le numéro « {raw} » n’existe pas dans le plan de numérotation : vérifiez-le.",
    )
