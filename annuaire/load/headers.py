"""Column headers as contributors write them, mapped to canonical fields.

A column is recognised in three ways, each with a confidence (0–1):

* by its **name**: exact variants (``VARIANTS``; case, accents, punctuation
  and spaces ignored: 'Tél.', 'TEL', 'téléphone' all match) at 1.0; then key
  words in longer headers ('Adresse e-mail de contact de la structure' is an
  e-mail, 'Type de lieu' a typology, 'Nom du lieu ou de la structure *' a
  name, 'Coord. X' a longitude, ``h_lundi`` Monday's hours) at 0.7–0.95;
  then spelling slips ('Télépone') through rapidfuzz at up to 0.85;
* by its **content** (:func:`content_field`): e-mails, URLs, phone numbers,
  postal codes, INSEE codes, coordinates in degrees, commune names, dates,
  opening hours, street addresses, Annex 1 typologies — the share of
  sample values that look like one kind gives the confidence;
* by the contributor's own **correspondences** (see
  :mod:`annuaire.load.correspondences`), which always win.

``choose_columns(header, rows, overrides)`` combines them: a name matched
exactly wins unless the content cannot be it (coordinates out of the degree
range: Lambert metres); a key-word or fuzzy name loses to content that
clearly says otherwise ('Contact' holding e-mails is the e-mail); a column
without a known name is taken by its content when most values agree.  Each
field is taken once, by its most confident column; the others are listed as
ignored with the reason.

Opening hours given one column per weekday map to the pseudo-fields
``horaires:lundi`` … ``horaires:dimanche``, gathered by the reader into one
``{day: text}`` value of the ``horaires`` field.

``field_for(header)`` gives the field a header names (or None);
``find_header_row(rows)`` finds the header row under title and blank rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Sequence

from annuaire.model import FIELDS
from annuaire.text.collate import plain

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DAY_FIELDS = tuple(f"horaires:{d}" for d in WEEKDAYS)

# Canonical field -> header variants as people write them (exact matches).
VARIANTS: dict[str, tuple[str, ...]] = {
    "nom": (
        "Nom",
        "Nom de la structure",
        "Nom de l'établissement",
        "Nom du service",
        "Raison sociale",
        "Libellé",
        "Intitulé",
        "Établissement",
        "Dénomination",
        "Structure",
        "Lieu",
        "Nom du lieu",
        "Nom du lieu ou de la structure",
        "Enseigne",
        "Nom de l'équipement",
        "Équipement",
        "Organisme",
        "Nom de l'organisme",
        "Nom de l'association",
        "Association",
        "lib_fs",
        "Nom structure",
        "Nom usuel",
    ),
    "typologie": (
        "Typologie",
        "Type",
        "Catégorie",
        "Type de service",
        "Type de structure",
        "Type de lieu",
        "Type Structure",
        "Type d'équipement",
        "Type d'établissement",
        "Nature",
        "Famille",
        "Catégorie de lieu",
        "type_fs",
    ),
    "adresse": (
        "Adresse",
        "Adresse postale",
        "Voie",
        "N° et voie",
        "Numéro et voie",
        "No et voie",
        "Rue",
        "Adresse 1",
        "Adresse ligne 1",
        "Adresse complète",
        "adresse_voie",
        "Adresse du lieu",
    ),
    "complement": (
        "Complément",
        "Complément d'adresse",
        "Adresse 2",
        "Adresse ligne 2",
        "Lieu-dit",
        "BP",
        "Boîte postale",
        "complement_adresse",
    ),
    "code_postal": ("CP", "Code postal", "Code post.", "adresse_code_postal", "Code_postal", "Postal code", "C.P."),
    "commune": (
        "Commune",
        "Ville",
        "Localité",
        "Nom de la commune",
        "adresse_commune",
        "lib_com",
        "Libellé commune",
        "Nom commune",
    ),
    "code_insee": (
        "Code INSEE",
        "INSEE",
        "Code commune",
        "Code INSEE commune",
        "COG",
        "insee_com",
        "code_commune_insee",
        "Code officiel géographique",
        "depcom",
        "codgeo",
    ),
    "telephone": (
        "Tél.",
        "Téléphone",
        "Tel",
        "Numéro de téléphone",
        "N° de téléphone",
        "Téléphone fixe",
        "Tél. fixe",
        "Tél fixe",
        "Portable",
        "Mobile",
        "Téléphone de contact",
    ),
    "courriel": (
        "Courriel",
        "E-mail",
        "Email",
        "Mél",
        "Mail",
        "Adresse électronique",
        "Adresse mail",
        "Adresse e-mail",
        "Mail de contact",
        "Courriel de contact",
    ),
    "site_web": ("Site", "Site web", "Site internet", "URL", "Web", "Site Internet", "Lien", "Page web"),
    "horaires": (
        "Horaires",
        "Horaires d'ouverture",
        "Heures d'ouverture",
        "Horaire",
        "Ouverture",
        "opening_hours",
        "Jours et horaires",
        "Jours et heures d'ouverture",
    ),
    "description": (
        "Description",
        "Présentation",
        "Commentaire",
        "Commentaires",
        "Services",
        "Observations",
        "Remarques",
        "Activités",
        "Informations",
    ),
    "latitude": ("Latitude", "Lat", "Coord. Y", "Coordonnée Y", "Y", "GPS latitude"),
    "longitude": ("Longitude", "Lon", "Lng", "Long", "Coord. X", "Coordonnée X", "X", "GPS longitude"),
    "source": ("Source", "Fournisseur", "Producteur", "Source des données"),
    "mise_a_jour": (
        "Mise à jour",
        "Date de mise à jour",
        "MAJ",
        "Date MAJ",
        "Dernière mise à jour",
        "Date de MAJ",
        "Mis à jour le",
        "Dernière MAJ",
        "Date de modification",
        "Modifié le",
        "Date d'actualisation",
    ),
}

# The column headers of the workbooks annuaire writes (the template, exports),
# in FIELDS order: the one list both the writers and this loader use.
HEADERS: dict[str, str] = {
    "nom": "Nom",
    "typologie": "Typologie",
    "adresse": "Adresse",
    "complement": "Complément d'adresse",
    "code_postal": "Code postal",
    "commune": "Commune",
    "code_insee": "Code INSEE",
    "telephone": "Téléphone",
    "courriel": "Courriel",
    "site_web": "Site web",
    "horaires": "Horaires",
    "description": "Description",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "source": "Source",
    "mise_a_jour": "Mise à jour",
}
assert tuple(HEADERS) == FIELDS

# French label of each field in messages: the template's header (shorter for
# the address complement), and one per weekday column.
LABELS: dict[str, str] = {
    **HEADERS,
    "complement": "Complément",
    **{f"horaires:{d}": f"Horaires du {d}" for d in WEEKDAYS},
}


def header_key(text: Any) -> str:
    """'Complément d’adresse *' -> 'complementdadresse'; 'N°' -> 'n'."""
    s = plain(str(text))
    s = re.sub(r"\(s\)", "s", s)  # 'Horaire(s)'
    s = re.sub(r"\((?:obligatoire|facultatif|optionnel)\)", "", s)
    return re.sub(r"[^a-z0-9]", "", s)


def _words(text: Any) -> list[str]:
    s = plain(str(text)).replace("’", "'")
    s = re.sub(r"\((?:obligatoire|facultatif|optionnel)\)", "", s)
    return [w for w in re.split(r"[^a-z0-9]+", s) if w]


_BY_KEY: dict[str, str] = {}
for _field, _names in VARIANTS.items():
    for _name in _names:
        _BY_KEY.setdefault(header_key(_name), _field)
for _d in WEEKDAYS:
    for _name in (
        _d,
        f"h_{_d}",
        f"horaires_{_d}",
        f"horaires {_d}",
        f"horaires du {_d}",
        f"{_d} horaires",
        _d[:3],
        f"{_d[:3]}.",
    ):
        _BY_KEY.setdefault(header_key(_name), f"horaires:{_d}")


# Key words in longer headers, in order of precedence: the first rule whose
# words all appear wins ('Adresse e-mail' is an e-mail before an address,
# 'Code commune' an INSEE code before a commune, 'Type de lieu' a typology
# before a name).  (words, field, confidence)
_RULES: tuple[tuple[tuple[str, ...], str | None, float], ...] = (
    (("fax",), None, 0.9),
    (("telecopie",), None, 0.9),
    (("siret",), None, 0.9),
    (("siren",), None, 0.9),
    (("id",), None, 0.8),
    (("identifiant",), None, 0.8),
    (("dep",), None, 0.8),
    (("departement",), None, 0.8),
    (("region",), None, 0.8),
    (("rdv",), None, 0.7),
    (("mail",), "courriel", 0.9),
    (("email",), "courriel", 0.9),
    (("courriel",), "courriel", 0.95),
    (("mel",), "courriel", 0.85),
    (("tel",), "telephone", 0.9),
    (("telephone",), "telephone", 0.95),
    (("portable",), "telephone", 0.8),
    (("site",), "site_web", 0.85),
    (("web",), "site_web", 0.85),
    (("url",), "site_web", 0.85),
    (("internet",), "site_web", 0.7),
    (("insee",), "code_insee", 0.95),
    (("code", "commune"), "code_insee", 0.85),
    (("cog",), "code_insee", 0.85),
    (("postal",), "code_postal", 0.95),
    (("cp",), "code_postal", 0.85),
    (("complement",), "complement", 0.9),
    (("commune",), "commune", 0.9),
    (("ville",), "commune", 0.9),
    (("localite",), "commune", 0.9),
    (("latitude",), "latitude", 0.95),
    (("lat",), "latitude", 0.85),
    (("longitude",), "longitude", 0.95),
    (("lon",), "longitude", 0.85),
    (("lng",), "longitude", 0.85),
    (("coord", "y"), "latitude", 0.85),
    (("coordonnee", "y"), "latitude", 0.85),
    (("coordonnees", "y"), "latitude", 0.85),
    (("coord", "x"), "longitude", 0.85),
    (("coordonnee", "x"), "longitude", 0.85),
    (("coordonnees", "x"), "longitude", 0.85),
    (("maj",), "mise_a_jour", 0.9),
    (("mise", "jour"), "mise_a_jour", 0.9),
    (("mis", "jour"), "mise_a_jour", 0.9),
    (("modification",), "mise_a_jour", 0.8),
    (("actualisation",), "mise_a_jour", 0.8),
    (("horaires",), "horaires", 0.9),
    (("horaire",), "horaires", 0.9),
    (("ouverture",), "horaires", 0.8),
    (("typologie",), "typologie", 0.95),
    (("type",), "typologie", 0.85),
    (("categorie",), "typologie", 0.85),
    (("adresse",), "adresse", 0.85),
    (("voie",), "adresse", 0.75),
    (("rue",), "adresse", 0.7),
    (("source",), "source", 0.85),
    (("producteur",), "source", 0.8),
    # A person, not the service: never the name to print.
    (("contact",), None, 0.7),
    (("responsable",), None, 0.8),
    (("referent",), None, 0.8),
    (("president",), None, 0.8),
    (("prenom",), None, 0.9),
    (("nom",), "nom", 0.9),
    (("denomination",), "nom", 0.9),
    (("raison", "sociale"), "nom", 0.9),
    (("structure",), "nom", 0.8),
    (("lieu",), "nom", 0.75),
    (("etablissement",), "nom", 0.75),
    (("libelle",), "nom", 0.7),
    (("lib",), "nom", 0.7),
    (("intitule",), "nom", 0.8),
    (("description",), "description", 0.8),
    (("presentation",), "description", 0.75),
    (("commentaire",), "description", 0.7),
    (("commentaires",), "description", 0.7),
    (("observations",), "description", 0.7),
    (("services",), "description", 0.6),
)


@dataclass(frozen=True)
class Match:
    """What a header or a column is taken for, how surely and why (French)."""

    field: str | None
    confidence: float
    reason: str


def _looks_like_value(text: str) -> bool:
    """Data rather than a header: a URL, an e-mail, a phone, a long number."""
    return bool(re.search(r"@|https?:|www\.|\d{3}", text)) or len(text) > 120


def match_header(header: Any) -> Match | None:
    """The field a header names, by exact variant, key words or spelling."""
    if header is None or not isinstance(header, str) or not header.strip():
        return None
    key = header_key(header)
    if not key:
        return None
    if key in _BY_KEY:
        return Match(_BY_KEY[key], 1.0, "nom de colonne connu")
    if _looks_like_value(header):
        return None
    words = _words(header)
    wordset = set(words)
    for d in WEEKDAYS:
        # 'h_lundi', 'Horaires lundi', 'Lundi (matin et après-midi)'
        if d in wordset and not (wordset & {"fermeture", "ferme"}):
            return Match(f"horaires:{d}", 0.9, f"jour de la semaine ({d})")
    if len(words) <= 10:
        for needed, field, conf in _RULES:
            if all(w in wordset for w in needed):
                if field is None:
                    return Match(None, conf, f"« {' '.join(needed)} » : pas un champ de l’annuaire")
                return Match(field, conf, f"mot « {' '.join(needed)} » dans l’en-tête")
    fuzzy = _fuzzy(key)
    if fuzzy is not None:
        return fuzzy
    return None


def _fuzzy(key: str) -> Match | None:
    if len(key) < 4:
        return None
    from rapidfuzz import fuzz, process

    found = process.extractOne(key, list(_BY_KEY), scorer=fuzz.ratio, score_cutoff=85)
    if found is None:
        return None
    name, score, _ = found
    return Match(
        _BY_KEY[name], round(min(0.85, score / 100 - 0.1), 2), f"en-tête proche de « {name} » ({percent(score / 100)})"
    )


def field_for(header: Any) -> str | None:
    """Canonical field a header names (``horaires:lundi`` for a weekday), or None."""
    m = match_header(header)
    return m.field if m is not None and m.confidence >= 0.7 else None


# ---------------------------------------------------------------- header row

HEADER_SEARCH_ROWS = 20
_ANCHORS = {"nom", "typologie", "commune", "adresse", "code_postal", "code_insee"}


def header_score(cells: Sequence[Any]) -> float:
    """How many distinct fields a row names (a name or typology counting half
    a field more: they are what a header row is for); 0 when it looks like data."""
    texts = [c for c in cells if c is not None and not (isinstance(c, str) and not c.strip())]
    if not texts:
        return 0
    strings = [c for c in texts if isinstance(c, str)]
    # A header row is text; a data row has numbers, dates.
    if len(strings) < 0.6 * len(texts):
        return 0
    fields = {f for f in (field_for(c) for c in strings) if f}
    if len(fields) < 2 or not fields & (_ANCHORS | set(DAY_FIELDS)):
        return 0
    return len(fields) + (0.5 if fields & {"nom", "typologie"} else 0.0)


def is_header_row(cells: Sequence[Any]) -> bool:
    """At least two known headers, one of them a name, typology or place."""
    return header_score(cells) > 0


def find_header_row(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index (0-based) of the header row within the first 20 rows, or None.

    The row naming the most fields wins (title rows, notes and blank rows
    above it score nothing); a tie goes to the first."""
    best: tuple[float, int] | None = None
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        s = header_score(cells)
        if s and (best is None or s > best[0]):
            best = (s, i)
    return best[1] if best else None


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


# ---------------------------------------------------------------- content

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[\w.-]+\.(?:fr|com|org|net|eu|info|gouv\.fr)(?:/\S*)?$", re.I)
_TIME = re.compile(r"\b\d{1,2}\s*(?:h|:)\s*\d{0,2}\s*(?:-|–|à|a)\s*\d{1,2}\s*(?:h|:)?", re.I)
_STREET = re.compile(
    r"^\s*(?:\d+\s*(?:bis|ter|[a-d])?\s*,?\s*)?(?:rue|avenue|av\.?|bd|boulevard|place|pl\.?|chemin|"
    r"route|rte|impasse|all[ée]e|quai|cours|square|rond-point|lieu-dit|za|zi|zone|parc|chauss[ée]e|"
    r"faubourg|fbg|mont[ée]e|passage|esplanade|promenade|hameau|le bourg|bourg)\b",
    re.I,
)
_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|^\d{4}-\d{2}-\d{2}")
_DAYNAMES = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim|mo|tu|we|th|fr|sa|su)\b",
    re.I,
)


def _as_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    t = str(v).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def _phone_like(t: str) -> bool:
    d = re.sub(r"[\s.\-/()\u00a0]", "", t)
    if d.startswith("+33"):
        d = "0" + d[3:].lstrip("0")
    return bool(re.fullmatch(r"0\d{9}", d))


def _five_digits(v: Any) -> str | None:
    t = _as_text(v).replace(" ", "")
    if isinstance(v, (int, float)) and re.fullmatch(r"\d{4}", t):
        t = "0" + t  # a number cell: the spreadsheet dropped the leading zero
    return t if re.fullmatch(r"(?:\d{5}|2[AB]\d{3})", t, re.I) else None


def _gazetteer():
    # Not cached here: geo.gazetteer() is, and geo.release() must let it go.
    from annuaire.reference.geo import gazetteer

    return gazetteer()


def content_field(values: Iterable[Any]) -> Match | None:
    """What a column holds, judged on its non-empty values (200 at most)."""
    sample = [v for v in values if v is not None and not (isinstance(v, str) and not v.strip())][:200]
    if len(sample) < 1:
        return None
    n = len(sample)
    texts = [_as_text(v) for v in sample]

    def share(pred) -> float:
        return sum(1 for v, t in zip(sample, texts, strict=True) if pred(v, t)) / n

    scores: list[tuple[float, str, str]] = []
    scores.append((share(lambda v, t: bool(_EMAIL.match(t))), "courriel", "d’adresses e-mail"))
    scores.append((share(lambda v, t: bool(_URL.match(t)) and "@" not in t), "site_web", "d’adresses web"))
    scores.append((share(lambda v, t: _phone_like(t)), "telephone", "de numéros de téléphone"))
    scores.append(
        (share(lambda v, t: isinstance(v, (date, datetime)) or bool(_DATE.match(t))), "mise_a_jour", "de dates")
    )
    scores.append(
        (
            share(lambda v, t: bool(_TIME.search(t)) or (bool(_DAYNAMES.search(t)) and bool(re.search(r"\d", t)))),
            "horaires",
            "d’horaires",
        )
    )
    scores.append((share(lambda v, t: bool(_STREET.match(t))), "adresse", "d’adresses (n° et voie)"))
    fives = [_five_digits(v) for v in sample]
    n5 = sum(1 for f in fives if f)
    if n5:
        g = _gazetteer()
        pc_hits = sum(1 for f in fives if f and g.by_postcode(f))
        insee_hits = sum(1 for f in fives if f and f in g.communes)
        zeros = sum(1 for f in fives if f and f.endswith("0"))
        if pc_hits > insee_hits or (pc_hits == insee_hits and zeros >= 0.6 * n5):
            scores.append((n5 / n, "code_postal", "de codes postaux"))
        else:
            scores.append((n5 / n, "code_insee", "de codes INSEE"))
    nums = [_number(v) for v in sample]
    if all(x is not None for x in nums):
        if all(41.0 <= x <= 51.5 for x in nums) and any(x != int(x) for x in nums):
            scores.append((1.0, "latitude", "de latitudes"))
        elif all(-5.5 <= x <= 10.0 for x in nums) and any(x != int(x) for x in nums):
            scores.append((1.0, "longitude", "de longitudes"))
    words = [t for t in texts if not re.search(r"\d", t) and len(t) <= 45]
    if words:
        g = _gazetteer()
        hits = sum(1 for t in words if g.find(t))
        scores.append((hits / n, "commune", "de noms de communes"))
        from annuaire.reference import taxonomy

        typ = sum(1 for t in words if taxonomy.resolve(t) is not None)
        scores.append((typ / n, "typologie", "de typologies de l’annexe 1"))
    best = max(scores, key=lambda s: s[0])
    if best[0] < 0.5:
        return None
    return Match(best[1], round(0.9 * best[0], 2), f"contenu : {percent(best[0])} {best[2]}")


def percent(x: float) -> str:
    """0.95 -> '95 %' (French spacing)."""
    return f"{round(x * 100)}\u00a0%"


def coordinates_fit(field: str, values: Iterable[Any]) -> bool:
    """Whether a latitude or longitude column holds degrees (not Lambert metres)."""
    nums = [_number(v) for v in values if v is not None and str(v).strip()][:200]
    nums = [x for x in nums if x is not None]
    if not nums:
        return True
    lo, hi = (-90.0, 90.0) if field == "latitude" else (-180.0, 180.0)
    return sum(1 for x in nums if lo <= x <= hi) >= 0.8 * len(nums)


# ---------------------------------------------------------------- choosing


@dataclass(frozen=True)
class Column:
    """One column of a sheet: what it is taken for, or why it is ignored."""

    index: int
    header: str
    field: str | None
    confidence: float
    reason: str

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def label(self) -> str:
        """'E (Téléphone)', the column as the user sees it."""
        return f"{self.letter} ({self.header})"


def choose_columns(
    header: Sequence[Any], rows: Sequence[Sequence[Any]] = (), overrides: Mapping[str, str | None] | None = None
) -> list[Column]:
    """Every non-empty column of the header row, mapped or ignored.

    ``rows`` are the data rows below the header (for the content);
    ``overrides`` maps a header key (:func:`header_key`) to a field, or to
    None to ignore the column."""
    overrides = overrides or {}
    candidates: list[Column] = []
    for i, h in enumerate(header):
        text = "" if h is None else _as_text(h)
        values = [r[i] for r in rows if i < len(r)]
        if not text:
            if not any(v is not None and str(v).strip() for v in values):
                continue
            text = f"colonne {column_letter(i)} sans en-tête"
        key = header_key(text)
        if key in overrides:
            f = overrides[key]
            candidates.append(
                Column(i, text, f, 1.0, "vos correspondances" if f else "ignorée selon vos correspondances")
            )
            continue
        by_name = match_header(h) if h is not None else None
        by_content = content_field(values)
        chosen = _combine(by_name, by_content, values)
        candidates.append(Column(i, text, chosen.field, chosen.confidence, chosen.reason))
    # Each field once, by its most confident column (the first on a tie).
    taken: dict[str, Column] = {}
    for c in sorted(candidates, key=lambda c: (-c.confidence, c.index)):
        if c.field and c.field not in taken:
            taken[c.field] = c
    out: list[Column] = []
    for c in candidates:
        if c.field and taken.get(c.field) is not c:
            winner = taken[c.field]
            what = LABELS.get(c.field, c.field)
            if c.reason.startswith("contenu"):
                # Only its content looked like the field: not a duplicate the user made.
                reason = f"{c.reason}, mais {what} est déjà lu dans la colonne {winner.label}"
            else:
                reason = f"en double : {what} est lu dans la colonne {winner.label}"
            out.append(Column(c.index, c.header, None, c.confidence, reason))
        else:
            out.append(c)
    return out


def _combine(by_name: Match | None, by_content: Match | None, values: Sequence[Any]) -> Match:
    if (
        by_name is not None
        and by_name.field in ("latitude", "longitude")
        and not coordinates_fit(by_name.field, values)
    ):
        return Match(
            None,
            by_name.confidence,
            "coordonnées qui ne sont pas des degrés (Lambert ?) : ignorées ; donnez la "
            "latitude et la longitude en degrés décimaux",
        )
    if by_name is not None and by_name.field is None:
        # 'Contact' holding e-mails is the e-mail; 'Fax' holding numbers is still a fax.
        if (
            by_content is not None
            and by_content.confidence >= 0.7
            and by_name.confidence < 0.9
            and by_content.field in ("courriel", "telephone", "site_web")
        ):
            return by_content
        return by_name
    if by_name is not None and by_content is not None:
        if by_name.field == by_content.field or (by_name.field in DAY_FIELDS and by_content.field == "horaires"):
            return Match(
                by_name.field,
                min(1.0, max(by_name.confidence, by_content.confidence) + 0.05),
                f"{by_name.reason} ; {by_content.reason}",
            )
        if (
            by_name.confidence < 1.0
            and by_content.confidence >= 0.7
            and by_content.field not in ("commune", "typologie", "adresse")
        ):
            return by_content
        return by_name
    if by_name is not None:
        return by_name
    if by_content is not None and by_content.confidence >= 0.55:
        return by_content
    return Match(None, 0.0, "nom de colonne inconnu et contenu non reconnu")


def map_columns(headers: Sequence[Any]) -> tuple[dict[int, str], list[str], list[str]]:
    """({column index: field}, unknown headers, duplicated headers), by name only."""
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for c in choose_columns(headers):
        if c.field:
            mapping[c.index] = c.field
        elif c.reason.startswith("en double"):
            duplicates.append(c.label)
        else:
            unknown.append(c.label)
    return mapping, unknown, duplicates
