"""Column headers as contributors write them, mapped to canonical fields.

Matching ignores case, accents, punctuation and spaces ('Tél.', 'TEL',
'téléphone' all match), and knows the common variants each field goes by
in the spreadsheets of local authorities.  ``field_for(header)`` gives the
canonical name from :data:`annuaire.model.FIELDS` or None;
``find_header_row(rows)`` finds the header row under title rows.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from annuaire.text.collate import plain

# Canonical field -> header variants as people write them.
VARIANTS: dict[str, tuple[str, ...]] = {
    "nom": ("Nom", "Nom de la structure", "Nom de l'établissement", "Nom du service",
            "Raison sociale", "Libellé", "Intitulé", "Établissement", "Dénomination"),
    "typologie": ("Typologie", "Type", "Catégorie", "Type de service", "Type de structure"),
    "adresse": ("Adresse", "Adresse postale", "Voie", "N° et voie", "Numéro et voie", "No et voie",
                "Rue", "Adresse 1", "Adresse ligne 1"),
    "complement": ("Complément", "Complément d'adresse", "Adresse 2", "Adresse ligne 2",
                   "Lieu-dit", "BP", "Boîte postale"),
    "code_postal": ("CP", "Code postal", "Code post."),
    "commune": ("Commune", "Ville", "Localité", "Nom de la commune"),
    "code_insee": ("Code INSEE", "INSEE", "Code commune", "Code INSEE commune", "COG"),
    "telephone": ("Tél.", "Téléphone", "Tel", "Numéro de téléphone", "N° de téléphone",
                  "Téléphone fixe", "Tél. fixe"),
    "courriel": ("Courriel", "E-mail", "Email", "Mél", "Mail", "Adresse électronique",
                 "Adresse mail", "Adresse e-mail"),
    "site_web": ("Site", "Site web", "Site internet", "URL", "Web", "Site Internet"),
    "horaires": ("Horaires", "Horaires d'ouverture", "Heures d'ouverture", "Horaire", "Ouverture"),
    "description": ("Description", "Présentation", "Commentaire", "Commentaires", "Services",
                    "Observations"),
    "latitude": ("Latitude", "Lat"),
    "longitude": ("Longitude", "Lon", "Lng", "Long"),
    "source": ("Source", "Fournisseur", "Structure", "Producteur"),
    "mise_a_jour": ("Mise à jour", "Date de mise à jour", "MAJ", "Date MAJ",
                    "Dernière mise à jour", "Date de MAJ", "Mis à jour le"),
}


def header_key(text: Any) -> str:
    """'Complément d’adresse *' -> 'complementdadresse'; 'N°' -> 'n'."""
    s = plain(str(text))
    s = re.sub(r"\(s\)", "s", s)  # 'Horaire(s)'
    s = re.sub(r"\((?:obligatoire|facultatif|optionnel)\)", "", s)
    return re.sub(r"[^a-z0-9]", "", s)


_BY_KEY: dict[str, str] = {}
for _field, _names in VARIANTS.items():
    for _name in _names:
        _BY_KEY.setdefault(header_key(_name), _field)


def field_for(header: Any) -> str | None:
    """Canonical field of a header cell, or None when unknown or empty."""
    if header is None:
        return None
    key = header_key(header)
    return _BY_KEY.get(key) if key else None


def is_header_row(cells: Sequence[Any]) -> bool:
    """At least two known headers, one of them Nom or Typologie."""
    fields = [f for f in (field_for(c) for c in cells if isinstance(c, str)) if f]
    return len(set(fields)) >= 2 and ("nom" in fields or "typologie" in fields)


HEADER_SEARCH_ROWS = 20


def find_header_row(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index (0-based) of the header row within the first 20 rows, or None."""
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if is_header_row(cells):
            return i
    return None


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def map_columns(headers: Sequence[Any]) -> tuple[dict[int, str], list[str], list[str]]:
    """({column index: field}, unknown headers, duplicated headers).

    The first column of a field wins; a second one (two 'Téléphone'
    columns) is reported as a duplicate and ignored."""
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(headers):
        if h is None or (isinstance(h, str) and not h.strip()):
            continue
        f = field_for(h) if isinstance(h, str) else None
        label = f"{column_letter(i)} ({str(h).strip()})"
        if f is None:
            unknown.append(label)
        elif f in seen:
            duplicates.append(label)
        else:
            seen.add(f)
            mapping[i] = f
    return mapping, unknown, duplicates
