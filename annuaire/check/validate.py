"""RawRow -> Entry, or rejection, with located French issues.

Each row read becomes exactly one entry or one rejection (``len(entries) +
rejected == number of rows``).  Errors reject the row; warnings keep it.
Checks, in order: the sheet has the required columns; Nom; Typologie
(resolved through :mod:`annuaire.reference.taxonomy`, with a suggestion when unknown);
the commune, anywhere in France (Code INSEE, else Commune name and postal
code together — a postal code of another département is reported at its
cell, never a reason to take a homonym —, else the postal code alone); then every optional value through its
normaliser (:mod:`annuaire.check.normalise`), whose problems become issues
located at the cell (file, sheet, row, column as the user sees it).

Duplicates are not this module's concern (see :mod:`annuaire.check.merge`).
"""

from __future__ import annotations

import gc
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import PurePath
from typing import Any, Callable, Iterable, Sequence

from annuaire.reference import sources

from annuaire.reference import taxonomy

from annuaire.text import typo
from annuaire.reference.geo import Commune, gazetteer, name_key
from annuaire.model import Entry, Issue, Provider, RawRow
from annuaire.check.normalise import (
    Normalised,
    is_blank,
    normalise_date,
    normalise_email,
    normalise_hours,
    normalise_phone,
    normalise_postcode,
    normalise_url,
)
from annuaire.check.normalise.address import split_address
from annuaire.check.normalise.postcode import check_postcode
from annuaire.check import clean

# Beyond this distance from the commune's centre, coordinates are taken as
# wrong (a geocoder's homonym, swapped columns) rather than a large commune.
MAX_DISTANCE_KM = 30.0

_REQUIRED_LABELS = {"nom": "Nom", "typologie": "Typologie"}
# Words that are an Annex 1 label yet mean something else to most contributors:
# the annex's 'Ecole' (EN13) is higher education, a mairie's 'École' is the
# village primary school.  They are refused with the labels to choose from.
_AMBIGUOUS_TYPOLOGIES = {"ecole", "ecoles"}
_PLACE_FIELDS = ("commune", "code_insee", "code_postal")


@dataclass(frozen=True)
class ValidationResult:
    entries: tuple[Entry, ...]
    issues: tuple[Issue, ...]
    rejected: int


class _Row:
    """Issues of one row, located at its cells."""

    def __init__(self, raw: RawRow, issues: list[Issue]) -> None:
        self.raw = raw
        self.fields = raw.fields  # the values checked: overlong texts cut (see _cut_overlong)
        self.issues = issues
        self.failed = False
        self.sheet_errors: set[str] = set()  # fields that held '#DIV/0!' and the like

    def col(self, field: str) -> str | None:
        return self.raw.columns.get(field) or (field.replace("_", " ").capitalize() if field else None)

    def add(self, severity: str, code: str, message: str, field: str | None, value: Any = None) -> None:
        if code.endswith(("-manquant", "-manquante")) and (
            field in self.sheet_errors or (code == "commune-manquante" and self.sheet_errors & set(_PLACE_FIELDS))
        ):
            return  # already said: the cell holds a spreadsheet error, not nothing
        if severity == "error":
            self.failed = True
        self.issues.append(
            Issue.at(
                severity,
                code,
                message,
                self.raw.origin,
                column=self.col(field) if field else None,
                value=value,
            )
        )

    def take(self, result: Normalised, field: str) -> Any:
        for p in result.problems:
            self.add(p.severity, p.code, p.message, field, self.fields.get(field))
        return result.value


def _text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_name(value: Any) -> tuple[str, bool]:
    """Name without CSV quote debris, and whether debris was removed.

    A CSV quoted twice gives '"EHPAD "VILLA""' (three quotes around it in the file):
    doubled quotes are collapsed, unbalanced outer quotes dropped, and a
    remaining pair becomes French quotes: 'EHPAD « VILLA »'."""
    text = str(value).strip()
    if '"' not in text:
        return text, False
    original = text
    while '""' in text:
        text = text.replace('""', '"')
    # An odd count means a stray outer quote: drop it where it sits.
    if text.count('"') % 2 and text.startswith('"'):
        text = text[1:]
    if text.count('"') % 2 and text.endswith('"'):
        text = text[:-1]
    if text.startswith('"') and text.endswith('"') and text.count('"') == 2:
        text = text[1:-1]
    # Quotes left in pairs were typed on purpose ('Foyer "Les Tilleuls"'):
    # French quotes, and not debris.
    debris = text != original
    text = re.sub(r'"\s*([^"]+?)\s*"', "« \\1 »", text)
    if '"' in text:
        text = text.replace('"', "")
        debris = True
    return text.strip(), debris


def _print_text(text: str) -> str:
    # smart_title leaves mixed-case text alone, so only ALL-CAPS names change.
    return typo.french(typo.smart_title(text))


def _one_line(text: str) -> str:
    """A multi-line cell ('Hôtel-Dieu' / 'boulevard …') printed on one line."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return ", ".join(line.strip(" ,") for line in lines if line.strip(" ,"))


def _number(value: Any) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _insee_text(value: Any) -> str | None:
    t = _text(value)
    if t is None:
        return None
    t = t.replace(" ", "").upper()
    if t.isdigit() and len(t) == 4:
        t = "0" + t  # Excel number: 3190 for 03190
    return t


def _listed(communes) -> str:
    return ", ".join(f"{c.name} ({c.postcodes[0] if c.postcodes else c.departement})" for c in communes[:8]) + (
        "…" if len(communes) > 8 else ""
    )


def _find_commune(row: _Row, postcode: str | None) -> Commune | None:
    """The commune of the row, or None after an error issue.

    Placed by :meth:`annuaire.reference.geo.Gazetteer.locate`: the INSEE code,
    else the name and the postal code together.  A postal code of another
    département than the commune named is never a reason to take a homonym
    (Pertuis 84120 is not Le Pertuis, Haute-Loire); it is reported at its cell."""
    g = gazetteer()
    f = row.fields
    insee = _insee_text(f.get("code_insee"))
    name = _text(f.get("commune"))
    if insee:
        placed = g.locate(insee=insee)
        c = placed.commune
        if c is not None:
            if placed.by == "ancien-insee":
                old = g.merged_names.get(insee, "")
                row.add(
                    "warning",
                    "code-insee-ancien",
                    f"Le code INSEE {insee}{' (' + old + ')' if old else ''} est celui d’une "
                    f"ancienne commune, fusionnée dans {c.name} ({c.insee}) : l’entrée est rattachée "
                    f"à {c.name}. Remplacez le code par {c.insee}.",
                    "code_insee",
                    f.get("code_insee"),
                )
            elif (
                name
                and name_key(name) != name_key(c.name)
                and not any(x.insee == c.insee for x in g.find(name, postcode))
            ):
                row.add(
                    "warning",
                    "commune-incoherente",
                    f"La commune « {name} » ne correspond pas au code INSEE {insee} ({c.name}) : "
                    f"le code INSEE l’emporte. Corrigez l’une des deux colonnes.",
                    "commune",
                    name,
                )
            return c
        if not name:
            row.add(
                "error",
                "code-insee-inconnu",
                f"Code INSEE « {f.get('code_insee')} » inconnu : aucune commune de France n’a ce code. "
                "Corrigez-le (5 caractères, par exemple 63113) ou indiquez la commune.",
                "code_insee",
                f.get("code_insee"),
            )
            return None
        row.add(
            "warning",
            "code-insee-inconnu",
            f"Code INSEE « {f.get('code_insee')} » inconnu : la commune est cherchée par son nom "
            f"« {name} ». Corrigez ou videz le code INSEE.",
            "code_insee",
            f.get("code_insee"),
        )
    if name:
        as_code = _insee_text(f.get("commune"))
        if re.fullmatch(r"\d[0-9AB]\d{3}", as_code or "") and (c := g.by_insee(as_code)) is not None:
            # The INSEE code typed in the Commune column (the error message
            # below invites it): the commune it names.
            return c
        placed = g.locate(name=name, postcode=postcode)
        if placed.commune is not None:
            # With a postal code of another département (placed.postcode_conflict:
            # 6320 typed for Riom), the row stays in the only commune of that
            # name; the code is reported at its cell by the postal-code check
            # that follows, as for a row placed by its INSEE code.
            return placed.commune
        found = list(placed.candidates)
        if found:
            if postcode:
                row.add(
                    "error",
                    "commune-ambigue",
                    f"Aucune des communes appelées « {name} » n’a le code postal {postcode} "
                    f"({_listed(found)}) : corrigez le code postal ou indiquez le code INSEE.",
                    "code_postal",
                    f.get("code_postal"),
                )
            else:
                row.add(
                    "error",
                    "commune-ambigue",
                    f"Plusieurs communes s’appellent « {name} » : {_listed(found)}. "
                    "Indiquez le code postal ou le code INSEE pour choisir.",
                    "commune",
                    name,
                )
            return None
        # Unknown in all France: the communes of its postal code first, then close names.
        sugg = [x.name for x in g.by_postcode(postcode)[:3]] if postcode else []
        sugg += [s for s in g.suggest(name) if s not in sugg]
        hint = (" Vouliez-vous dire " + " ou ".join(f"« {s} »" for s in sugg[:4]) + " ?") if sugg else ""
        row.add(
            "error",
            "commune-inconnue",
            f"Commune « {name} » inconnue : aucune commune de France ne porte ce nom.{hint} "
            "Écrivez le nom officiel de la commune ou son code INSEE.",
            "commune",
            name,
        )
        return None
    if postcode:
        placed = g.locate(postcode=postcode)
        if placed.commune is not None:
            return placed.commune
        found = list(placed.candidates)
        if found:
            # Largest communes first: the one people mean is usually among them.
            found.sort(key=lambda c: -(c.population or 0))
            listed = ", ".join(c.name for c in found[:8]) + ("…" if len(found) > 8 else "")
            row.add(
                "error",
                "commune-manquante",
                f"Le code postal {postcode} couvre plusieurs communes ({listed}) : "
                "indiquez la commune dans la colonne Commune.",
                "code_postal",
                postcode,
            )
            return None
        row.add(
            "error",
            "commune-inconnue",
            f"Aucune commune de France n’a le code postal {postcode} (code CEDEX ou erroné ?). "
            "Indiquez la commune dans la colonne Commune.",
            "code_postal",
            postcode,
        )
        return None
    row.add(
        "error",
        "commune-manquante",
        "Commune manquante : remplissez la colonne Commune (ou Code INSEE, ou Code postal).",
        "commune",
    )
    return None


def _coordinates(row: _Row, commune: Commune) -> tuple[float | None, float | None]:
    f = row.fields
    lat, lon = _number(f.get("latitude")), _number(f.get("longitude"))
    if lat is None and lon is None:
        if not is_blank(f.get("latitude")) or not is_blank(f.get("longitude")):
            row.add(
                "warning",
                "coordonnees-invalides",
                "Coordonnées illisibles : elles sont ignorées. Écrivez des degrés décimaux, "
                "par exemple 45,7797 et 3,0863.",
                "latitude",
                f"{f.get('latitude')} ; {f.get('longitude')}",
            )
        return None, None
    if lat is None or lon is None:
        row.add(
            "warning",
            "coordonnees-incompletes",
            "Latitude ou longitude manquante : les coordonnées sont ignorées. Remplissez les deux.",
            "latitude" if lat is None else "longitude",
        )
        return None, None
    if commune.latitude is None or commune.longitude is None:
        return lat, lon
    d = _distance_km(lat, lon, commune.latitude, commune.longitude)
    if d > MAX_DISTANCE_KM and _distance_km(lon, lat, commune.latitude, commune.longitude) <= MAX_DISTANCE_KM:
        row.add(
            "warning",
            "coordonnees-inversees",
            f"Latitude et longitude inversées ({lat} ; {lon}) : elles ont été remises dans l’ordre. "
            "Échangez les deux colonnes.",
            "latitude",
            f"{lat} ; {lon}",
        )
        return lon, lat
    if d > MAX_DISTANCE_KM:
        row.add(
            "warning",
            "coordonnees-eloignees",
            f"Les coordonnées ({lat} ; {lon}) sont à {d:.0f} km du centre de {commune.name} : "
            "elles sont ignorées. Vérifiez-les (latitude vers 45–46, longitude vers 2–4 en Auvergne).",
            "latitude",
            f"{lat} ; {lon}",
        )
        return None, None
    return lat, lon


def _providers(raw: RawRow, fields: dict[str, Any]) -> tuple[Provider, ...]:
    if raw.provider is not None:
        return (raw.provider,)
    source = _text(fields.get("source"))
    if source:
        return _source_providers(source)
    return _file_providers(raw.origin.file)


# One provider tuple per distinct source or file, shared by its rows (frozen):
# not one object per entry for the thousands of rows of one sheet.
@lru_cache(maxsize=1024)
def _source_providers(source: str) -> tuple[Provider, ...]:
    # A sheet exported from a national dataset names it in the Source
    # column: the registry gives back its licence and date for the colophon.
    return (sources.lookup(source) or Provider(name=typo.french(source)),)


@lru_cache(maxsize=1024)
def _file_providers(file: str) -> tuple[Provider, ...]:
    # No source given: credit the file itself, as the contributor named it.
    return (Provider(name=PurePath(file).name),)


def _key(raw: RawRow) -> str:
    # Where the row was read is unique in a run; an identifier is not (the
    # same SIRET comes from two files until merge folds them).
    o = raw.origin
    return f"{o.file}#{o.sheet or ''}#{o.row}"


def _split_address(raw: RawRow) -> RawRow:
    """The row with '… 63200 Riom' taken out of its address cell (see
    :mod:`annuaire.check.normalise.address`): the empty Code postal and Commune
    are filled from it, and the town is not printed twice."""
    f = raw.fields
    address = f.get("adresse")
    if not isinstance(address, str) or not re.search(r"\d{5}", address):
        return raw
    split = split_address(address, f.get("code_postal"), f.get("commune"))
    if not split.changed:
        return raw
    fields = dict(f)
    columns = dict(raw.columns)
    fields["adresse"] = split.address
    where = raw.columns.get("adresse", "Adresse")
    for name, value in (("code_postal", split.postcode), ("commune", split.commune)):
        if is_blank(f.get(name)):
            fields[name] = value
            columns[name] = where  # a problem with it points at the address cell
    return RawRow(raw.origin, fields, columns, raw.provider, raw.ids)


def _missing_columns(raw: RawRow) -> list[str]:
    """Required columns the row's sheet does not have at all."""
    missing = [label for f, label in _REQUIRED_LABELS.items() if f not in raw.fields]
    if not any(f in raw.fields for f in _PLACE_FIELDS):
        missing.append("Commune (ou Code INSEE, ou Code postal)")
    return missing


def _clean_cells(row: _Row) -> dict[str, Any]:
    """The row's values with spreadsheet error values emptied and Windows-1252
    characters decoded, each change reported at its cell."""
    f = dict(row.fields)
    for name, value in row.fields.items():
        if not isinstance(value, str):
            continue
        if clean.is_spreadsheet_error(value):
            row.add(
                "warning",
                "valeur-erreur-tableur",
                f"« {value.strip()} » est une valeur d’erreur du tableur (formule cassée), pas une "
                "donnée : la cellule est ignorée. Corrigez la formule ou saisissez la valeur.",
                name,
                value,
            )
            f[name] = None
            continue
        fixed = clean.decode_c1(value)
        if fixed.notes:
            codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in value if "\x80" <= c <= "\x9f"}))
            row.add(
                "warning",
                "caracteres-windows-1252",
                f"Caractères Windows-1252 enregistrés comme caractères de contrôle ({codes}) : "
                f"décodés, imprimé « {fixed.value.strip()} ». Enregistrez le fichier en UTF-8.",
                name,
                value,
            )
            f[name] = fixed.value
    return f


@lru_cache(maxsize=4096)
def _printed_address(text: str) -> tuple[str | None, str | None, bool]:
    """(printed line, cleaned line, whether a repeated line was dropped): pure,
    and kept for the next row at the same address (many share one)."""
    cleaned = clean.clean_address(_print_text(_one_line(text)))
    repeated = any("répétée" in n for n in cleaned.notes)
    return (typo.french(cleaned.value) if cleaned.value else None), cleaned.value, repeated


def _address(row: _Row, field: str, text: str | None) -> str | None:
    """An address line as printed (see annuaire.check.clean.clean_address)."""
    if not text:
        return None
    printed, cleaned_value, repeated = _printed_address(text)
    if repeated:
        row.add(
            "warning",
            "adresse-repetee",
            f"L’adresse « {text} » répète la même ligne : imprimée une fois, « {cleaned_value} ». "
            "Retirez la répétition dans le fichier.",
            field,
            text,
        )
    return printed


# Longest text kept from a cell, in characters (documented in the README).
# A directory entry is read at a glance: a name of 200 characters already
# fills five lines of a column; beyond these lengths the text is cut, with a
# warning at the cell, so that no field can make a stage slow (every later
# step is linear in these bounds) nor an entry taller than a page.
MAX_LENGTH = {"nom": 200, "description": 1000, "horaires": 500}
MAX_LENGTH_DEFAULT = 200


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space when there is
    one in the last third, with « … »."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= limit * 2 // 3:
        head = head[:space]
    return head.rstrip(" ,;:-") + "…"


def _cut_overlong(row: _Row) -> dict[str, Any]:
    """The row's fields with every overlong text cut, and a warning at each cut cell."""
    fields = row.raw.fields
    out = None
    for field, value in fields.items():
        if not isinstance(value, str):
            continue
        limit = MAX_LENGTH.get(field, MAX_LENGTH_DEFAULT)
        if len(value) <= limit:
            continue
        out = dict(fields) if out is None else out
        out[field] = cut_text(value, limit)
        row.add(
            "warning",
            "texte-trop-long",
            f"Texte de {len(value):,} caractères, coupé à {limit} (longueur maximale de cette ".replace(
                ",", "\u202f", 1
            )
            + f"colonne) : « {cut_text(value, 60)} ». Raccourcissez-le ; un texte plus long n’a "
            "pas sa place dans un annuaire imprimé.",
            field,
            cut_text(value, limit),
        )
    return fields if out is None else out


# Error values a spreadsheet shows in a cell whose formula failed (Excel in
# English and French, LibreOffice), and what each means.
_SHEET_ERRORS = {
    "#DIV/0!": "division par zéro",
    "#N/A": "valeur non disponible",
    "#N/D": "valeur non disponible",
    "#NAME?": "nom de fonction inconnu",
    "#NOM?": "nom de fonction inconnu",
    "#REF!": "référence à une cellule supprimée",
    "#VALUE!": "valeur de mauvais type",
    "#VALEUR!": "valeur de mauvais type",
    "#NUM!": "nombre impossible",
    "#NOMBRE!": "nombre impossible",
    "#NULL!": "plages sans intersection",
    "#NUL!": "plages sans intersection",
    "#SPILL!": "résultat qui déborde",
    "#PROPAGATION!": "résultat qui déborde",
    "#CALC!": "calcul impossible",
    "#CALCUL!": "calcul impossible",
}
_LIBREOFFICE_ERROR = re.compile(r"^Err:\d{3}$")
_REQUIRED_FIELDS = {"nom", "typologie", "commune", "code_insee", "code_postal"}


def _sheet_error(value: Any) -> str | None:
    """What a spreadsheet error value means, or None for any other value."""
    if not isinstance(value, str) or len(value) > 24 or value.lstrip()[:1] not in ("#", "E", "e"):
        return None
    text = value.strip().upper()
    if text in _SHEET_ERRORS:
        return _SHEET_ERRORS[text]
    if clean.is_spreadsheet_error(value) or _LIBREOFFICE_ERROR.match(value.strip()):
        return "formule cassée"
    return None


def _drop_sheet_errors(row: _Row, fields: dict[str, Any]) -> dict[str, Any]:
    """Fields with spreadsheet error values taken out, each said at its cell:
    an error in a required column is an error (the row cannot be printed),
    elsewhere a warning (the value is left empty)."""
    out = None
    for field, value in fields.items():
        meaning = _sheet_error(value)
        if meaning is None:
            continue
        out = dict(fields) if out is None else out
        out[field] = None
        severity = "error" if field in _REQUIRED_FIELDS else "warning"
        consequence = "la ligne ne peut pas être imprimée" if severity == "error" else "la cellule est ignorée"
        row.add(
            severity,
            "valeur-erreur-tableur",
            f"« {value.strip()} » est une valeur d’erreur du tableur ({meaning}) : la formule "
            f"de cette cellule n’a pas pu être calculée, {consequence}. Corrigez la formule, "
            "ou remplacez-la par la valeur voulue (tapez-la, ou Collage spécial › Valeurs).",
            field,
            value,
        )
        row.sheet_errors.add(field)
    return fields if out is None else out


# Columns whose text is printed as typed (after typography).
_PRINTED_TEXT = ("nom", "adresse", "complement", "description", "horaires", "source")


# The characters of a text the print fonts lack: the pipeline gives
# annuaire.pdf.fonts.missing_chars (the font files decide, and only pdf/ reads
# them; this stage may not import it).  None: no glyph check.
Glyphs = Callable[[str], str]


def _unprintable(row: _Row, fields: dict[str, Any], missing_chars: Glyphs | None) -> None:
    """A warning at each cell holding characters the font cannot print (they
    would print as « ? »), bidi controls or U+FFFD, named by their codes so
    that nothing raw is shown."""
    from annuaire.text.terminal import codes

    if missing_chars is None:
        return
    for field in _PRINTED_TEXT:
        value = fields.get(field)
        if not isinstance(value, str):
            continue
        missing = missing_chars(value)
        if not missing:
            continue
        if "\ufffd" in missing:
            row.add(
                "warning",
                "caractere-remplacement",
                "Le texte contient U+FFFD (le losange « ? » des textes mal décodés) : des lettres "
                "ont été perdues lors d’un enregistrement ou d’une conversion d’encodage. Retapez-les, "
                "ou enregistrez le fichier à nouveau en UTF-8 depuis l’original.",
                field,
                value,
            )
            missing = missing.replace("\ufffd", "")
        if missing:
            row.add(
                "warning",
                "caracteres-non-imprimables",
                f"Caractères que la police de l’annuaire ne peut pas imprimer, remplacés par « ? » "
                f"(ou invisibles qui changent le sens de l’écriture) : {codes(missing)}. "
                "Retirez-les ou écrivez-les en toutes lettres.",
                field,
                value,
            )


def _memo(normalise: Callable[[Any], Normalised], size: int = 4096) -> Callable[[Any], Normalised]:
    """``normalise`` remembering its result for the last ``size`` distinct
    texts and integers: phones, hours, addresses repeat from row to row, and
    the normalisers are pure (their result is immutable)."""
    cached = lru_cache(maxsize=size)(normalise)

    def call(value: Any) -> Normalised:
        if type(value) is str or type(value) is int:
            return cached(value)
        return normalise(value)

    _CACHES.append(cached)
    return call


_CACHES: list[Any] = []  # what clear_caches empties
_phone = _memo(normalise_phone)
_hours = _memo(normalise_hours)
_postcode = _memo(normalise_postcode)


def clear_caches() -> None:
    """Forget the values remembered while validating (normalised phones,
    hours, postal codes, addresses, providers): once the rows are validated
    they only hold memory.  Validating again fills them again."""
    for cache in (*_CACHES, _printed_address, _source_providers, _file_providers):
        cache.cache_clear()


def _validate(raw: RawRow, issues: list[Issue], today: date | None, glyphs: Glyphs | None = None) -> Entry | None:
    row = _Row(raw, issues)
    row.fields = _drop_sheet_errors(row, _cut_overlong(row))
    f = row.fields = _clean_cells(row)
    _unprintable(row, f, glyphs)

    # Name
    name_raw = f.get("nom")
    name: str | None = None
    if is_blank(name_raw):
        row.add(
            "error",
            "nom-manquant",
            "Nom manquant : chaque ligne doit avoir le nom du service ou de l’établissement. "
            "Remplissez la colonne Nom ou supprimez la ligne.",
            "nom",
        )
    else:
        text, debris = clean_name(name_raw)
        if debris:
            row.add(
                "warning",
                "nom-guillemets",
                f"Guillemets parasites dans le nom « {name_raw} » (export CSV) : imprimé « {text} ». "
                "Retirez les guillemets en trop dans le fichier.",
                "nom",
                name_raw,
            )
        if not text:
            row.add(
                "error",
                "nom-manquant",
                "Nom manquant : remplissez la colonne Nom ou supprimez la ligne.",
                "nom",
                name_raw,
            )
        else:
            name = typo.french(clean.clean_name(_print_text(text)) or text)

    # Typology
    typ_raw = _text(f.get("typologie"))
    typology = None
    if typ_raw is None:
        row.add(
            "error",
            "typologie-manquante",
            "Typologie manquante : choisissez une valeur de la liste des typologies "
            "(annuaire themes), par exemple « Pharmacie » ou « Mairie ».",
            "typologie",
        )
    elif taxonomy.key(typ_raw) in _AMBIGUOUS_TYPOLOGIES:
        row.add(
            "error",
            "typologie-ambigue",
            f"Typologie « {typ_raw} » ambiguë : dans l’annexe 1, « Ecole » seul désigne une école "
            "d’enseignement supérieur. Pour une école maternelle, élémentaire ou primaire, "
            "choisissez « École maternelle » ou « École élémentaire » ; pour une grande école, "
            "« École d’enseignement supérieur ».",
            "typologie",
            typ_raw,
        )
    else:
        typology = taxonomy.resolve(typ_raw)
        if typology is None:
            sugg = taxonomy.suggest(typ_raw, 3)
            own = ""
            if not sugg:
                # Not a slip of spelling: the contributor's own category.  The
                # closest typologies, and how to say it once for the whole file.
                from annuaire.load.correspondences import propose

                sugg = [label for label, _ in propose(typ_raw, 2)]
                own = (
                    " Si c’est une catégorie de votre fichier, faites-la correspondre une fois pour "
                    "toutes : annuaire colonnes FICHIER -o correspondances.toml (section "
                    "[categories]), puis --correspondances correspondances.toml."
                )
            hint = (" : vouliez-vous dire " + " ou ".join(f"« {s} »" for s in sugg) + " ?") if sugg else "."
            row.add(
                "error",
                "typologie-inconnue",
                f"Typologie « {typ_raw} » inconnue{hint} Choisissez une valeur de la liste des "
                f"typologies (annuaire themes).{own}",
                "typologie",
                typ_raw,
            )

    # Commune and postal code
    postcode = row.take(_postcode(f.get("code_postal")), "code_postal")
    commune = _find_commune(row, postcode)
    if (
        commune is not None
        and postcode
        and postcode not in commune.postcodes
        and postcode[:2] != commune.departement[:2]
    ):
        # 6320 typed for Riom became 06320 (Alpes-Maritimes): a code of another
        # département is wrong, and must not win a merge against a national record.
        own = commune.postcodes[0] if len(commune.postcodes) == 1 else None
        row.add(
            "warning",
            "code-postal-departement",
            f"Erreur : le code postal {postcode} n’est pas dans le département de {commune.name} "
            f"({commune.departement}) : il est ignoré"
            + (f", le code de la commune ({own}) est imprimé. " if own else ". ")
            + "Corrigez le code postal.",
            "code_postal",
            f.get("code_postal"),
        )
        postcode = None
    if commune is not None:
        if postcode:
            for p in check_postcode(postcode, commune):
                row.add(p.severity, p.code, p.message, "code_postal", f.get("code_postal"))
        elif len(commune.postcodes) == 1:
            postcode = commune.postcodes[0]  # the commune has one code: print it

    # Optional values: their problems are warnings unless the normaliser says otherwise.
    phone = row.take(_phone(f.get("telephone")), "telephone")
    email = row.take(normalise_email(f.get("courriel")), "courriel")
    if email and clean.personal_email(email):
        # Data minimisation: a directory gives a service's address, not a civil servant's.
        row.add(
            "warning",
            "courriel-nominatif",
            f"« {email} » est l’adresse personnelle d’un agent (prénom.nom) : elle n’est pas imprimée ; "
            "l’adresse générique du service l’est si une autre source la donne. "
            "Indiquez l’adresse fonctionnelle du service.",
            "courriel",
            f.get("courriel"),
        )
        email = None
    website = row.take(normalise_url(f.get("site_web")), "site_web")
    hours = row.take(_hours(f.get("horaires")), "horaires") or ()
    updated = row.take(normalise_date(f.get("mise_a_jour"), today=today), "mise_a_jour")
    address = _address(row, "adresse", _text(f.get("adresse")))
    address2 = _address(row, "complement", _text(f.get("complement")))
    if address2 and address and address2.lower() == address.lower():
        address2 = None
    if postcode:
        # '7 Place de la Virade – 63570 JUMEAUX': the postal line is printed once, below.
        tail = re.compile(r"[\s,–-]*\b" + postcode + r"\s+[^\d,–-]+$")
        address = tail.sub("", address) or None if address else address
        address2 = tail.sub("", address2) or None if address2 else address2
    description = _text(f.get("description"))
    lat = lon = None
    if commune is not None:
        lat, lon = _coordinates(row, commune)

    if row.failed or name is None or typology is None or commune is None:
        return None
    providers = _providers(raw, f)
    if updated is None and providers and providers[0].date is not None:
        updated = providers[0].date
    return Entry(
        key=_key(raw),
        name=name,
        typology=typology.code,
        commune=commune.name,
        insee=commune.insee,
        address=address,
        address2=address2,
        postcode=postcode,
        phone=phone,
        email=email,
        website=website,
        hours=tuple(hours),
        description=typo.french(description) if description else None,
        latitude=lat,
        longitude=lon,
        updated=updated,
        providers=providers,
        origins=(raw.origin,),
        ids=raw.ids,
        services=tuple(typo.french(s) for s in raw.services if s),
        rough_place=raw.rough_place,
    )


# Rows above which the second half is validated by a forked process while
# this one validates the first (a fork and the entries sent back cost ~0.1 s).
PARALLEL_MIN_ROWS = 4000

# What a forked validator reads: set just before the fork, inherited without copying.
_SHARED: tuple = ()


def validate_rows(
    rows: Iterable[RawRow],
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
    glyphs: Glyphs | None = None,
    jobs: int = 1,
) -> ValidationResult:
    """Entries of the valid rows; issues of all; the number of rejected rows.

    ``progress(done)`` is called every 1,000 rows (long inputs show progress);
    ``glyphs(text)`` gives the characters the print fonts lack (see Glyphs).
    ``jobs=2``: a long list of rows is validated in two processes, each row
    exactly as in one (rows are independent); results are joined in order."""
    # Entries, issues and their tuples form no reference cycle: the cyclic
    # collector would only rescan them (as in merge and render).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate_rows(rows, today, progress, glyphs, jobs)
    finally:
        if enabled:
            gc.enable()


def _validate_rows(
    rows: Iterable[RawRow],
    today: date | None,
    progress: Callable[[int], None] | None,
    glyphs: Glyphs | None,
    jobs: int,
) -> ValidationResult:
    global _SHARED
    rows = rows if isinstance(rows, (list, tuple)) else list(rows)
    if jobs > 1 and len(rows) >= PARALLEL_MIN_ROWS and _can_fork():
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        split = len(rows) // 2
        _SHARED = (rows, today, glyphs)
        try:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
                later = pool.submit(_validate_shared, split, len(rows))
                first = _validate_range(rows, 0, split, today, progress, glyphs)
                second = later.result()
        finally:
            _SHARED = ()
        parts = [first, second]
    else:
        parts = [_validate_range(rows, 0, len(rows), today, progress, glyphs)]
    entries: list[Entry] = []
    issues: list[Issue] = []
    rejected = 0
    sheets_missing: dict[tuple[str, str | None], list[Any]] = {}
    for part_entries, part_issues, part_rejected, part_missing in parts:
        entries += part_entries
        issues += part_issues
        rejected += part_rejected
        for key, (missing, numbers, raw) in part_missing.items():
            info = sheets_missing.setdefault(key, [missing, [], raw])
            info[1].extend(numbers)
    for (file, sheet), (missing, numbers, raw) in sheets_missing.items():
        found = ", ".join(raw.columns.values()) or "aucune"
        cols = " et ".join(f"« {m} »" for m in missing)
        where = f"la feuille « {sheet} »" if sheet else "le fichier"
        issues.append(
            Issue(
                severity="error",
                code="colonne-obligatoire-manquante",
                message=(
                    f"Il manque à {where} la colonne {cols} : ses {len(numbers)} ligne(s) "
                    f"(lignes {numbers[0]} à {numbers[-1]}) sont rejetées. Colonnes reconnues : {found}. "
                    "Ajoutez la colonne avec cet en-tête (voir le modèle : annuaire modele), ou dites "
                    "quelle colonne la contient (annuaire colonnes FICHIER -o correspondances.toml, "
                    "puis --correspondances correspondances.toml)"
                    + (
                        " ; si toutes les lignes ont la même typologie, donnez-la : --typologie « Médiathèque »"
                        if "Typologie" in missing
                        else ""
                    )
                    + "."
                ),
                file=file,
                sheet=sheet,
                row=numbers[0],
                column=None,
                value=", ".join(missing),
            )
        )
    return ValidationResult(entries=tuple(entries), issues=tuple(issues), rejected=rejected)


def _can_fork() -> bool:
    import multiprocessing
    import sys

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _validate_shared(start: int, stop: int):
    """In the forked process: rows start..stop-1 of the inherited list."""
    rows, today, glyphs = _SHARED
    return _validate_range(rows, start, stop, today, None, glyphs)


def _validate_range(
    rows: Sequence[RawRow],
    start: int,
    stop: int,
    today: date | None,
    progress: Callable[[int], None] | None,
    glyphs: Glyphs | None,
) -> tuple[list[Entry], list[Issue], int, dict[tuple[str, str | None], list[Any]]]:
    """Rows start..stop-1: their entries, issues, rejected count, and the rows
    of sheets lacking a required column (reported once per sheet by the caller)."""
    entries: list[Entry] = []
    issues: list[Issue] = []
    rejected = 0
    # Rows of a sheet without a required column: one error per sheet, not per row.
    sheets_missing: dict[tuple[str, str | None], list[Any]] = {}
    for done in range(start + 1, stop + 1):
        raw = rows[done - 1]
        if progress is not None and done % 1000 == 0:
            progress(done)
        raw = _split_address(raw)
        missing = _missing_columns(raw)
        if missing:
            key = (raw.origin.file, raw.origin.sheet)
            info = sheets_missing.setdefault(key, [missing, [], raw])
            info[1].append(raw.origin.row)
            rejected += 1
            continue
        entry = _validate(raw, issues, today, glyphs)
        if entry is None:
            rejected += 1
        else:
            entries.append(entry)
    return entries, issues, rejected, sheets_missing


__all__ = ["ValidationResult", "validate_rows", "clean_name", "MAX_DISTANCE_KM"]
