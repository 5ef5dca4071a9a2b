"""E-mail addresses and web sites, printed as readers type them.

E-mails: ``mailto:`` stripped, domain lower-cased, obfuscations
(``nom [at] mairie.fr``, ``nom(at)mairie(dot)fr``, `` arobase ``) repaired
with a warning, then checked with a simple RFC-ish pattern; an invalid
address is an error-free warning and is dropped from print (a wrong address
is worse than none).

Web sites: printed without ``http(s)://`` and without trailing slash
(``www.example.fr/chemin``): readers type it, and it is shorter.  The scheme
is only added internally to check the address; an invalid address is
dropped from print with a warning saying how to fix it.

Codes: ``courriel-masque`` (warning, repaired), ``courriel-invalide``
(warning, dropped), ``site-invalide`` (warning, dropped).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from annuaire.check.normalise import Normalised, Problem, is_blank

_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"
)
_OBFUSCATED_AT = re.compile(r"\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+|\s*\barobase\b\s*|\[@\]|\(@\))\s*", re.I)
_OBFUSCATED_DOT = re.compile(r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\[point\]|\(point\)|\s+point\s+)\s*", re.I)
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def normalise_email(value: Any) -> Normalised:
    """Print-ready e-mail address or None, with problems."""
    if is_blank(value):
        return Normalised(None)
    raw = str(value)
    text = raw.strip().replace("\u00a0", " ")
    text = re.sub(r"^mailto:", "", text, flags=re.I).strip().strip("<>").strip()
    problems: list[Problem] = []
    parts = [p for p in re.split(r"[\s;,/]+", text) if "@" in p]
    if "@" not in text:
        fixed = _OBFUSCATED_DOT.sub(".", _OBFUSCATED_AT.sub("@", text, count=1))
        if "@" in fixed:
            problems.append(
                Problem(
                    "warning",
                    "courriel-masque",
                    f"Adresse électronique masquée « {raw} » rétablie en « {fixed.strip()} ». "
                    "Écrivez l’adresse telle quelle, avec @.",
                )
            )
            text = fixed.strip()
            parts = [text]
    elif len(parts) > 1:
        problems.append(
            Problem(
                "warning",
                "courriel-multiple",
                f"Plusieurs adresses dans la cellule (« {raw} ») : seule « {parts[0]} » est imprimée. "
                "Mettez une seule adresse par cellule.",
            )
        )
    if parts:
        text = parts[0]
    if "@" in text:
        local, _, domain = text.rpartition("@")
        if local.isupper():
            # 'MAIRIE.DIENNE@WANADOO.FR' typed in capitals: mail services ignore
            # the case, and a directory prints addresses in lower case.
            local = local.lower()
        text = f"{local}@{domain.lower().rstrip('.')}"
    if not _EMAIL.match(text):
        problems.append(
            Problem(
                "warning",
                "courriel-invalide",
                f"« {raw} » n’est pas une adresse électronique valide ; elle ne sera pas imprimée. "
                "Écrivez-la sous la forme nom@domaine.fr.",
            )
        )
        return Normalised(None, tuple(problems))
    return Normalised(text, tuple(problems))


def normalise_url(value: Any) -> Normalised:
    """Print-ready web address (no scheme, no trailing slash) or None."""
    if is_blank(value):
        return Normalised(None)
    raw = str(value)
    text = raw.strip().split()[0] if raw.strip() else ""
    bad = Normalised(
        None,
        (
            Problem(
                "warning",
                "site-invalide",
                f"« {raw} » n’est pas une adresse de site web valide ; elle ne sera pas imprimée. "
                "Écrivez-la sous la forme www.exemple.fr ou https://www.exemple.fr/page.",
            ),
        ),
    )
    if "@" in text and "/" not in text:
        return bad  # an e-mail address typed in the web column
    full = text if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I) else "https://" + text
    try:
        parts = urlsplit(full)
        host = (parts.hostname or "").lower()
    except ValueError:
        return bad
    if parts.scheme.lower() not in ("http", "https") or not _HOST.match(host):
        return bad
    rest = full.split("://", 1)[1]
    rest = rest[len(parts.netloc) :]
    printed = host + (f":{parts.port}" if parts.port else "") + rest
    printed = printed.rstrip("/")
    return Normalised(printed)
