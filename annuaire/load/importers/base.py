"""Shared machinery of the national-dataset importers.

An importer turns one kind of national open-data file into
:class:`~annuaire.model.RawRow` objects in the contributor vocabulary
(``FIELDS``), so that validation treats a FINESS record and a mairie's
spreadsheet row the same way.  What is specific to a dataset lives in its
module; what every importer needs lives here:

* reading text files whatever their encoding (UTF-8 with or without BOM,
  Latin-1 for the SAE), with the physical line number of each CSV record;
* detection by content (the header line or the JSON keys), never by name;
* the reviewable mapping tables ``annuaire/data/mappings/<dataset>.csv``
  (dataset category → Annex 1 typology code); a category that maps nowhere
  yields one ``categorie-non-prise-en-charge`` error for the row, so it is
  counted as rejected and reported, never dropped silently;
* rules that refine a category by the name or the place of a record
  (``annuaire/data/mappings/regles.csv``: a CMP filed as a hospital site is
  psychiatry, a greffe des associations in a sous-préfecture town is the
  sous-préfecture's), applied after the table, first matching rule wins;
* small text helpers: ALL-CAPS names to French case, abbreviated street
  types (``R``, ``AV``, ``BD``) spelled out, CEDEX routing lines removed,
  the commune found from INSEE code, name, postal code or position.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from annuaire.reference.geo import Commune, gazetteer, name_key
from annuaire.model import Issue, Origin, Provider, RawRow
from annuaire.reference.sources import provider as _provider
from annuaire.text.typo import smart_title as _smart_title
from annuaire.text.collate import plain

UNMAPPED = "categorie-non-prise-en-charge"
SNIFF_BYTES = 65536


# --------------------------------------------------------------------------- files


def read_head(path: str | Path, size: int = SNIFF_BYTES) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def decode(data: bytes, encoding: str | None = None) -> str:
    """Text of a file: UTF-8 (BOM dropped) when it decodes, else the given
    fallback (the SAE is Latin-1; Windows tools write cp1252)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if encoding:
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def head_text(path: str | Path, size: int = SNIFF_BYTES) -> str:
    data = read_head(path, size)
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    # A cut in the middle of a multi-byte character must not make UTF-8 fail.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8", errors="replace")
        return data.decode("latin-1")


def header_fields(path: str | Path, sep: str) -> list[str]:
    """Column names of the first line (BOM and quotes removed)."""
    text = head_text(path, 8192)
    first = text.splitlines()[0] if text else ""
    try:
        return [c.strip() for c in next(csv.reader([first], delimiter=sep))]
    except (StopIteration, csv.Error):
        return []


def has_columns(path: str | Path, sep: str, required: Iterable[str]) -> bool:
    cols = set(header_fields(path, sep))
    return all(r in cols for r in required)


@dataclass(frozen=True)
class CsvRecord:
    line: int  # physical line where the record starts (header = line 1)
    values: dict[str, str]


csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))  # a stray quote must not stop the reader


def read_csv(path: str | Path, sep: str, encoding: str | None = None) -> Iterator[CsvRecord]:
    """Records of a delimited file with their physical line numbers, whatever
    the line endings (CRLF in La Poste, Muséofile, CNC) and quoted newlines."""
    text = decode(Path(path).read_bytes(), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        row = {h: (values[i] if i < len(values) else "") for i, h in enumerate(header)}
        yield CsvRecord(line, row)


def read_json_lines(path: str | Path) -> Iterator[tuple[int, dict | None]]:
    """(line number, object) per non-empty line; None for a line that is not
    a JSON object (a truncated download), which the importer reports."""
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except ValueError:
                    obj = None
                yield n, obj if isinstance(obj, dict) else None


def unreadable(origin: Origin) -> Issue:
    """The error for a JSON line that cannot be read: the row is rejected."""
    return Issue.at(
        "error",
        "ligne-illisible",
        "Ligne illisible (JSON incomplet ou abîmé, fichier tronqué ?) : elle n’est pas "
        "reprise. Téléchargez à nouveau le fichier.",
        origin,
    )


def first_json_object(path: str | Path) -> dict | None:
    """The first JSON-lines object, for sniffing (None if not JSON lines)."""
    text = head_text(path)
    line = text.split("\n", 1)[0].strip()
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


# --------------------------------------------------------------------------- mapping tables


@dataclass(frozen=True)
class MappingRow:
    category: str
    label: str
    typology: str | None
    comment: str


class MappingTable:
    """``annuaire/data/mappings/<dataset>.csv``: category → typology code."""

    def __init__(self, dataset: str):
        self.dataset = dataset
        self.filename = f"annuaire/data/mappings/{dataset}.csv"
        self.rows: dict[str, MappingRow] = {}
        path = resources.files("annuaire.data").joinpath("mappings", f"{dataset}.csv")
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["dataset"] != dataset:
                    raise ValueError(f"{self.filename}: dataset {r['dataset']!r}")
                self.rows[r["category"]] = MappingRow(
                    r["category"], r["label"], (r["typology"] or "").strip() or None, r["comment"]
                )

    def code(self, category: str) -> str | None:
        row = self.rows.get(category)
        return row.typology if row else None

    def issue(self, category: str, label: str | None, origin: Origin, column: str) -> Issue:
        """The error that rejects a row whose category maps nowhere."""
        shown = f"« {category} »" + (f" ({label})" if label and label != category else "")
        row = self.rows.get(category)
        if row is None:
            why = "est absente de la table de correspondance"
        else:
            why = "n’a pas de typologie de l’annexe 1 dans la table de correspondance"
            if row.comment:
                why += f" ({row.comment})"
        return Issue.at(
            "error",
            UNMAPPED,
            f"Catégorie {shown} : elle {why}. La ligne n’est pas reprise. Pour l’imprimer, "
            f"indiquez un code de typologie dans {self.filename}.",
            origin,
            column,
            category,
        )


@dataclass(frozen=True)
class Rule:
    """A refinement of a category: when ``field`` of the record matches
    ``pattern`` (a regular expression on the text folded to lower case without
    accents), the record goes under ``typology`` instead of the table's."""

    categories: frozenset[str]
    field: str  # 'nom' or 'code_insee'
    pattern: re.Pattern
    typology: str
    comment: str

    def matches(self, category: str, fields: Mapping[str, Any]) -> bool:
        if category not in self.categories:
            return False
        value = fields.get(self.field)
        return bool(value) and self.pattern.search(plain(str(value))) is not None


@lru_cache(maxsize=None)
def rules(dataset: str) -> tuple[Rule, ...]:
    """The rules of ``dataset`` in file order (``annuaire/data/mappings/regles.csv``)."""
    path = resources.files("annuaire.data").joinpath("mappings", "regles.csv")
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["dataset"] != dataset:
                continue
            if r["field"] not in ("nom", "code_insee"):
                raise ValueError(f"annuaire/data/mappings/regles.csv: champ {r['field']!r}")
            out.append(
                Rule(
                    frozenset(c.strip() for c in r["categories"].split("|")),
                    r["field"],
                    re.compile(r["pattern"]),
                    r["typology"].strip(),
                    r["comment"],
                )
            )
    return tuple(out)


def refine(dataset: str, category: str, fields: Mapping[str, Any]) -> str | None:
    """The typology a rule gives this record, or None when no rule applies."""
    for rule in rules(dataset):
        if rule.matches(category, fields):
            return rule.typology
    return None


@lru_cache(maxsize=None)
def mapping(dataset: str) -> MappingTable:
    return MappingTable(dataset)


# --------------------------------------------------------------------------- the importer class


class Importer:
    """One kind of national dataset.  Subclasses set ``name`` (the FORMAT of
    the command line), ``title`` (French), ``provider_key`` (sources.csv),
    ``mapping_name`` (mappings/*.csv) and implement ``sniff`` and ``read``."""

    name: str = ""
    title: str = ""
    provider_key: str = ""
    mapping_name: str = ""

    @property
    def provider(self) -> Provider:
        return _provider(self.provider_key)

    @property
    def mapping(self) -> MappingTable:
        return mapping(self.mapping_name or self.name)

    def sniff(self, path: str | Path) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def read(self, path: str | Path) -> Iterator[RawRow | Issue]:  # pragma: no cover
        raise NotImplementedError

    def missing_columns(self, path: str | Path) -> tuple[str, ...]:
        """Key columns this reader needs that a file it recognises lacks (a
        newer or older edition of the dataset): such a file is not forced
        through it.  None missing by default."""
        return ()

    def __repr__(self) -> str:
        return f"<Importer {self.name}>"

    # helpers for subclasses
    def origin(self, path: str | Path, row: int) -> Origin:
        return Origin(file=Path(path).name, sheet=None, row=row)

    def records(
        self, path: str | Path, sep: str, encoding: str | None = None
    ) -> Iterator[tuple[Origin, dict[str, str]]]:
        """(origin, values) of each record of a delimited file (see :func:`read_csv`)."""
        for rec in read_csv(path, sep, encoding):
            yield self.origin(path, rec.line), rec.values

    def row(
        self,
        origin: Origin,
        fields: Mapping[str, Any],
        columns: Mapping[str, str],
        ids: Iterable[tuple[str, str]] = (),
        provider: Provider | None = None,
        category: str | None = None,
        services: Iterable[str] = (),
        annotates: str | None = None,
        rough_place: bool = False,
    ) -> RawRow:
        """A RawRow with every canonical field present (None when empty), the
        provider credited and its name in *source* so exports keep it.

        ``category`` is the dataset's own category of the record: the rules of
        ``regles.csv`` may then refine the typology from the name or the place."""
        from annuaire.model import FIELDS

        if category is not None and fields.get("typologie"):
            refined = refine(self.mapping_name or self.name, category, fields)
            if refined:
                fields = {**fields, "typologie": refined}

        prov = provider or self.provider
        out: dict[str, Any] = {f: None for f in FIELDS}
        for k, v in fields.items():
            if k not in out:
                raise KeyError(k)
            if isinstance(v, str):
                v = v.strip() or None
            out[k] = v
        for k in ("latitude", "longitude"):
            # FINESS has 14+ decimals of converted Lambert: 7 (about 1 cm) say it all,
            # and survive a round trip through a spreadsheet.
            if isinstance(out[k], float):
                out[k] = round(out[k], 7)
        out["source"] = out["source"] or prov.name
        if out["mise_a_jour"] is None:
            out["mise_a_jour"] = prov.date
        return RawRow(
            origin=origin,
            fields=out,
            columns={k: v for k, v in columns.items() if v},
            provider=prov,
            ids=tuple((k, str(v)) for k, v in ids if v not in (None, "")),
            services=tuple(s for s in services if s),
            annotates=annotates,
            rough_place=rough_place,
        )

    def mapped(self, category: str, label: str | None, origin: Origin, column: str) -> tuple[str | None, Issue | None]:
        """(typology code, None) or (None, the rejecting issue)."""
        code = self.mapping.code(category)
        if code:
            return code, None
        return None, self.mapping.issue(category, label, origin, column)


# --------------------------------------------------------------------------- text helpers


def smart_title(text: str | None) -> str | None:
    """French case for an ALL-CAPS name (annuaire.text.typo); mixed case is kept."""
    if not text:
        return text
    return _smart_title(text)


STREET_TYPES = {
    "R": "rue",
    "RUE": "rue",
    "AV": "avenue",
    "AVE": "avenue",
    "BD": "boulevard",
    "BLD": "boulevard",
    "BVD": "boulevard",
    "PL": "place",
    "RTE": "route",
    "CHE": "chemin",
    "CHEM": "chemin",
    "CH": "chemin",
    "ALL": "allée",
    "IMP": "impasse",
    "QUA": "quai",
    "QU": "quai",
    "CRS": "cours",
    "FG": "faubourg",
    "FBG": "faubourg",
    "SQ": "square",
    "PASS": "passage",
    "PAS": "passage",
    "RES": "résidence",
    "LD": "lieu-dit",
    "LOT": "lotissement",
    "HAM": "hameau",
    "MTE": "montée",
    "ZA": "ZA",
    "ZI": "ZI",
    "ZAC": "ZAC",
    "CITE": "cité",
    "CTRE": "centre",
    "PROM": "promenade",
    "ESP": "esplanade",
    "PRV": "parvis",
    "VLA": "villa",
    "TRA": "traverse",
    "SEN": "sentier",
    "CAR": "carrefour",
    "RPT": "rond-point",
    "VOIE": "voie",
    "DOM": "domaine",
    "CHS": "chaussée",
    "AVENUE": "avenue",
    "BOULEVARD": "boulevard",
    "PLACE": "place",
    "ROUTE": "route",
    "CHEMIN": "chemin",
    "ALLEE": "allée",
    "ALLEES": "allées",
    "IMPASSE": "impasse",
    "QUAI": "quai",
    "COURS": "cours",
    "FAUBOURG": "faubourg",
    "SQUARE": "square",
    "PASSAGE": "passage",
    "RESIDENCE": "résidence",
    "LOTISSEMENT": "lotissement",
    "HAMEAU": "hameau",
    "MONTEE": "montée",
    "PROMENADE": "promenade",
    "ESPLANADE": "esplanade",
    "PARVIS": "parvis",
    "SENTIER": "sentier",
    "TRAVERSE": "traverse",
    "CARREFOUR": "carrefour",
    "GRANDE": "Grande",
    "GRAND": "Grand",
}
# After a street type, these open the name in lower case: 'rue du Parc', 'avenue d’Angleterre'.
_LOWER_START = re.compile(r"^(Du|De|Des|D’|D')(?=\s|[A-ZÉÈÂÎÔ])")


def street(number: str | None, kind: str | None, name: str | None) -> str | None:
    """'16', 'R', 'VOLTAIRE' → '16 rue Voltaire' (SAE/FINESS abbreviations)."""
    kind = (kind or "").strip()
    name = (name or "").strip()
    if not name and not kind:
        return None
    kind_full = STREET_TYPES.get(kind.upper(), kind.lower() if kind.isupper() else kind)
    body = smart_title(name) if name else ""
    if kind_full and body:
        body = _LOWER_START.sub(lambda m: m.group(1).lower(), body)
    parts = [p for p in ((number or "").strip(), kind_full, body) if p]
    return " ".join(parts) or None


_LEADING_TYPE = re.compile(r"^(\d+\s*(?:BIS|TER|B|T)?,?\s+)?([A-Z]+)\s+(?=\S)")


def expand_address(line: str | None) -> str | None:
    """An upper-case one-line address with an abbreviated street type
    ('16 R VOLTAIRE', 'AV D ANGLETERRE') in French case ('16 rue Voltaire')."""
    if not line:
        return None
    line = re.sub(r"\s+", " ", line).strip()
    if any(c.islower() for c in line):
        return line
    m = _LEADING_TYPE.match(line)
    if m and m.group(2) in STREET_TYPES:
        number = (m.group(1) or "").strip().lower()
        rest = line[m.end() :]
        rest = re.sub(r"^D (?=[AEIOUYH])", "D'", rest)  # 'AV D ANGLETERRE' → d'Angleterre
        return street(number, m.group(2), rest)
    return smart_title(line)


_CEDEX = re.compile(r"\s*\bCEDEX\b(\s*\d+)?\s*$", re.IGNORECASE)


def strip_cedex(locality: str | None) -> str | None:
    """'MOULINS CEDEX 1' → 'MOULINS' (the routing line is not the commune)."""
    if not locality:
        return locality
    return _CEDEX.sub("", locality).strip() or None


def has_cedex(text: str | None) -> bool:
    return bool(text and re.search(r"\bCEDEX\b", text, re.IGNORECASE))


_POSTAL_BOX = re.compile(r"^\s*(BP|B\.P\.|CS|TSA|SP|CEDEX)\b\.?\s*\d*", re.IGNORECASE)


def is_postal_box(line: str | None) -> bool:
    """'BP 609', 'CS 40429': part of the mail address, not of the place."""
    return bool(line and _POSTAL_BOX.match(line))


def drop_postal_box(text: str | None) -> str | None:
    """'51 boulevard Saint-Exupéry CS 30110' → '51 boulevard Saint-Exupéry'."""
    if not text:
        return text
    out = re.sub(r"\s*\b(?:BP|B\.P\.|CS|TSA)\s*\d+\b", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", out).strip(" ,") or None


_TAIL = re.compile(r"^(?P<street>.*?)[\s,]*\b(?P<cp>\d{4,5})\s+(?P<city>[^\d]+?)\s*$")


def split_postal_tail(text: str | None) -> tuple[str | None, str | None, str | None]:
    """'47 rue du 8-Mai 63500 Issoire' → ('47 rue du 8-Mai', '63500', 'Issoire').
    The last postal-code-looking number wins ('rue du 8-Mai' is not one)."""
    if not text:
        return None, None, None
    text = re.sub(r"\s+", " ", text).strip()
    m = _TAIL.match(text)
    if not m:
        return text, None, None
    return (m.group("street").strip(" ,") or None, m.group("cp"), m.group("city").strip() or None)


def clean_quotes(text: str | None) -> str | None:
    """CSV quote debris from the FINESS conversion (a name such as
    EHPAD ""VILLA PAISIBLE"" wrapped in more quotes) → 'EHPAD VILLA PAISIBLE'.
    FINESS names never contain real quotes."""
    if not text:
        return text
    return re.sub(r"\s+", " ", text.replace('"', " ")).strip() or None


def code_text(value: Any, width: int = 0) -> str | None:
    """'96.0' → '96'; keeps leading zeros of strings; pads to ``width``."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    if width and s.isdigit():
        s = s.zfill(width)
    return s


def to_float(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        f = float(str(value).replace(",", ".").strip())
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def to_int(value: Any) -> int | None:
    f = to_float(value)
    return int(f) if f is not None and f.is_integer() else None


def latlon_pair(text: str | None) -> tuple[float | None, float | None]:
    """'45.585925, 2.742025' → (45.585925, 2.742025)."""
    if not text:
        return None, None
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 2:
        return None, None
    return to_float(parts[0]), to_float(parts[1])


# --------------------------------------------------------------------------- communes


def _distance2(c: Commune, lat: float, lon: float) -> float:
    if c.latitude is None or c.longitude is None:
        return float("inf")
    return (c.latitude - lat) ** 2 + ((c.longitude - lon) * math.cos(math.radians(lat))) ** 2


def nearest_commune(
    lat: float, lon: float, among: Iterable[Commune] | None = None, max_km: float = 12.0
) -> Commune | None:
    """The commune whose centre is closest to a point, within ``max_km``:
    a proxy for the commune containing it when a dataset has no INSEE code."""
    pool = list(among) if among is not None else list(gazetteer().communes.values())
    if not pool:
        return None
    best = min(pool, key=lambda c: _distance2(c, lat, lon))
    d = math.sqrt(_distance2(best, lat, lon)) * 111.2
    return best if d <= max_km else None


def commune_of_point(lat: float, lon: float) -> Commune | None:
    """The commune whose outline contains the point (see
    :mod:`annuaire.reference.contours`), else, outside the outlines shipped,
    the nearest commune centre: for datasets with a position and no commune."""
    from annuaire.reference.contours import commune_at

    insee = commune_at(lat, lon)
    if insee is not None:
        c = gazetteer().by_insee(insee)
        if c is not None:
            return c
    return nearest_commune(lat, lon)


def locate(
    insee: str | None = None,
    name: str | None = None,
    postcode: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> Commune | None:
    """The commune of a record, from the most reliable clue it has, through
    the gazetteer's one locator (:meth:`Gazetteer.locate`): INSEE code (old
    codes of merged communes followed), then the name and postal code
    together (a CEDEX routing line stripped), then the position.

    A postal code of another département than the commune named does not
    place the record (validation reports it), and a postal code alone is used
    only when the record names no commune: a name that is not found never
    falls back on whatever commune bears the code."""
    g = gazetteer()
    if insee:
        placed = g.locate(insee=insee)
        if placed.commune is not None:
            return placed.commune
    if name:
        placed = g.locate(name=name, postcode=postcode)
        c = placed.commune
        if c is not None and not placed.postcode_conflict:
            # A CEDEX line names the sorting office's town; when the position is
            # far from it, the position tells where the place is.
            if (
                has_cedex(name)
                and lat is not None
                and lon is not None
                and math.sqrt(_distance2(c, lat, lon)) * 111.2 > 15
            ):
                return nearest_commune(lat, lon) or c
            return c
        if placed.candidates and lat is not None and lon is not None:
            return nearest_commune(lat, lon, placed.candidates, max_km=50)
        if c is not None or placed.candidates:
            return None
    if lat is not None and lon is not None:
        pool = None
        if postcode and len(postcode) == 5:
            # Only the communes of the code's département: a point near a
            # border must not land in the neighbouring one.
            pool = g.in_departements(g.postcode_departements(postcode)) or None
        c = nearest_commune(lat, lon, pool)
        if c:
            return c
    if postcode and not name:
        placed = g.locate(postcode=postcode)
        if placed.commune is not None:
            return placed.commune
    return None


def same_commune(name: str | None, commune: Commune | None) -> bool:
    return bool(name and commune and name_key(strip_cedex(name) or "") == name_key(commune.name))


def same_place(name: str | None, postcode: str | None, commune: Commune | None) -> bool:
    """True when a locality line names this commune, or one of its former or
    delegated communes ('Celles' for Neussargues en Pinatelle)."""
    if same_commune(name, commune):
        return True
    if not (name and commune):
        return False
    return any(c.insee == commune.insee for c in gazetteer().find(strip_cedex(name) or name, postcode))


def commune_postcode(commune: Commune | None, given: str | None) -> str | None:
    """The postal code to print for the place: the given one when it belongs
    to the commune; the commune's own code when the given one is a CEDEX or
    special code and the commune has a single code; else the given one
    (validation warns)."""
    if commune is None:
        return given
    if given and given in commune.postcodes:
        return given
    if len(commune.postcodes) == 1:
        return commune.postcodes[0]
    return given


def place_fields(
    commune: Commune | None, postcode: str | None, name: str | None, insee: str | None
) -> dict[str, str | None]:
    """``code_postal``, ``commune`` and ``code_insee`` of a record: the
    gazetteer's when the commune was found (the postal code chosen by
    :func:`commune_postcode`), else the values as the dataset gives them."""
    if commune is None:
        return {"code_postal": postcode, "commune": name, "code_insee": insee}
    return {"code_postal": commune_postcode(commune, postcode), "commune": commune.name, "code_insee": commune.insee}
