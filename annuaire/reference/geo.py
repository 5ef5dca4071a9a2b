"""Communes, postal codes and EPCI of all France, from the bundled data.

The gazetteer answers the questions validation, importers and territory
filters ask, and it is the one place that places a row on a commune
(:meth:`Gazetteer.locate`): which commune has this INSEE code (old codes of
merged communes and municipal arrondissements followed), which communes match
a name as people type it ('ST FLOUR', 'saint-flour', 'Le Puy en Velay'), with
the postal code to choose between homonyms, and which postal codes a commune
has.

Data: the four départements of the historic Auvergne (03, 15, 43, 63) come
from the project's own files (COG 2024 with coordinates, La Poste's lines 5,
old communes seen in the datasets, EPCI outlines); the rest of France from the
compact tables ``scripts/make_france_gazetteer.py`` derives from the official
npm packages (``@etalab/decoupage-administratif``, ``codes-postaux``).  The
gazetteer is built once per process, on first use (about 35,000 communes).

Never the wrong town: a postal code only chooses among communes that bear the
name typed; it never makes a name designate a homonym of another
département.  When the postal code belongs to another département than the
only commune of that name, :class:`Placement` says so (``postcode_conflict``)
and the caller reports it on the cell.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str  # official display name, article included ('Le Puy-en-Velay')
    departement: str
    postcodes: tuple[str, ...]
    latitude: float | None
    longitude: float | None
    population: int | None


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str  # CC, CA, CU, METRO, MET69
    members: tuple[str, ...]  # INSEE codes


# The historic Auvergne region: the default edition and the sample data.
AUVERGNE = {"03": "Allier", "15": "Cantal", "43": "Haute-Loire", "63": "Puy-de-Dôme"}

_ARTICLES = ("le ", "la ", "les ", "l'")
_CEDEX = re.compile(r"[\s,]+cedex(?:\s*\d{1,2})?\s*$", re.I)
_LIGATURES = str.maketrans({"’": "'", "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
_SEPARATORS = re.compile(r"[-_/.,\s]+")
_SAINT = re.compile(r"\bste?\b")
_TRAILING_BRACKETS = re.compile(r"\s*\(.*\)$")


def name_key(text: str) -> str:
    """Comparison key for a commune name: no accents, no case, no hyphens,
    'St'/'Ste' expanded, leading article dropped, apostrophes unified."""
    s = str(text).translate(_LIGATURES)
    if not s.isascii():
        # Accents off; letters without an ASCII form are dropped (both sides
        # of a comparison go through here, so they stay consistent).
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = _SEPARATORS.sub(" ", s.lower()).strip()
    if "st" in s:
        s = _SAINT.sub(lambda m: "sainte" if m.group(0) == "ste" else "saint", s)
    for art in _ARTICLES:
        if s.startswith(art):
            s = s[len(art) :]
            break
    if s.endswith(")"):
        s = _TRAILING_BRACKETS.sub("", s)  # 'Puy-en-Velay (Le)'
    return s.replace("'", "").replace(" ", "")


def strip_cedex(name: str) -> str:
    """'AURILLAC CEDEX 9' → 'AURILLAC': a letterhead's routing line names the commune."""
    return _CEDEX.sub("", name).strip()


def _data(name: str):
    return resources.files("annuaire.data").joinpath(name)


def _gz_rows(name: str):
    with _data(name).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region: str
    region_name: str
    liaison: int = 0  # INSEE's type of name (TNCC): 0 'de', 1 "d'", 2 'du', 3 'de la', 4 'des', 5 "de l'"

    @property
    def of(self) -> str:
        """'du Cantal', "de l'Allier", 'de la Haute-Loire', 'des Landes', 'de Paris'."""
        articles = {1: "d’", 2: "du ", 3: "de la ", 4: "des ", 5: "de l’"}
        return articles.get(self.liaison, "de ") + self.name


@lru_cache(maxsize=1)
def departements() -> dict[str, Departement]:
    """Every département of France by code ('03', '2A', '974'), with its région."""
    out = {}
    with _data("departements.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out[r["code"]] = Departement(r["code"], r["nom"], r["region"], r["region_nom"], int(r["liaison"] or 0))
    return out


@dataclass(frozen=True)
class Placement:
    """Where a row lies, and how it was found.

    ``by``: 'insee' (its code), 'ancien-insee' (an old code of a merged
    commune), 'nom' (the name alone), 'nom+code-postal' (name and postal code
    together), 'code-postal' (the postal code alone, which has one commune),
    '' when not placed.  ``candidates``: the communes the row could mean when
    it is ambiguous (``commune`` is then None).  ``postcode_conflict``: the
    postal code belongs to another département than the commune named."""

    commune: Commune | None
    by: str = ""
    candidates: tuple[Commune, ...] = ()
    postcode_conflict: bool = False


# Distinct (INSEE code, name, postal code) questions remembered by locate.
_PLACED_MAX = 16384


class Gazetteer:
    """Lookups over the communes of France."""

    def __init__(self) -> None:
        self.communes: dict[str, Commune] = {}
        self.merged: dict[str, str] = {}  # old INSEE code -> current INSEE code
        self.merged_names: dict[str, str] = {}  # old INSEE code -> old name
        self.arrondissements: dict[str, str] = {}  # Paris/Lyon/Marseille arrondissement -> commune
        self._aliases: dict[str, list[str]] = {}  # name key of another name -> INSEE codes
        self._load_auvergne()
        self._load_france()
        self._by_key: dict[str, list[Commune]] = {}
        self._by_postcode: dict[str, list[Commune]] = {}
        self._placed: dict[tuple, Placement] = {}  # see locate
        for c in self.communes.values():
            self._by_key.setdefault(name_key(c.name), []).append(c)
            for pc in c.postcodes:
                self._by_postcode.setdefault(pc, []).append(c)

    # -- loading

    def _alias(self, name: str, insee: str) -> None:
        codes = self._aliases.setdefault(name_key(name), [])
        if insee not in codes:
            codes.append(insee)

    def _load_auvergne(self) -> None:
        by_insee: dict[str, dict] = {}
        with _data("communes.csv").open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                c = by_insee.setdefault(r["insee"], {**r, "postcodes": []})
                if r["code_postal"] and r["code_postal"] not in c["postcodes"]:
                    c["postcodes"].append(r["code_postal"])
        # La Poste adds postal codes that the INSEE file does not list (delegated communes).
        routing: dict[str, set[str]] = {}
        with _data("codes_postaux.csv").open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh, delimiter=";"):
                insee = r["code_commune_insee"]
                routing.setdefault(insee, set()).add(r["code_postal"])
                if r["ligne_5"]:
                    self._alias(r["ligne_5"], insee)
        for insee, r in by_insee.items():
            pcs = list(r["postcodes"])
            pcs += [pc for pc in sorted(routing.get(insee, ())) if pc not in pcs]
            self.communes[insee] = Commune(
                insee=insee,
                name=r["nom"],
                departement=r["departement"],
                postcodes=tuple(pcs),
                latitude=float(r["latitude"]) if r["latitude"] else None,
                longitude=float(r["longitude"]) if r["longitude"] else None,
                population=int(float(r["population"])) if r["population"] else None,
            )
        path = _data("communes_anciennes.csv")
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    self.merged[r["ancien_insee"]] = r["insee"]
                    self.merged_names[r["ancien_insee"]] = r["ancien_nom"]
                    self._alias(r["ancien_nom"], r["insee"])

    def _load_france(self) -> None:
        for r in _gz_rows("france_communes.csv.gz"):
            self.communes[r["insee"]] = Commune(
                insee=r["insee"],
                name=r["nom"],
                departement=r["departement"],
                postcodes=tuple(r["codes_postaux"].split()),
                latitude=None,
                longitude=None,
                population=int(r["population"]) if r["population"] else None,
            )
        for r in _gz_rows("france_noms.csv.gz"):
            insee, code, name = r["insee"], r["code"], r["nom"]
            if r["kind"] == "arrondissement":
                self.arrondissements[code] = insee
                # 'Paris 18e Arrondissement' is written 'Paris 18', 'PARIS 18E', 'Lyon 3ème'.
                m = re.match(r"(.+?) (\d+)", name)
                if m:
                    for suffix in ("", "e", "eme", "er", "ème"):
                        self._alias(f"{m[1]} {m[2]}{suffix}", insee)
                self._alias(name, insee)
                continue
            if code and code not in self.communes:
                self.merged.setdefault(code, insee)
                if name:
                    self.merged_names.setdefault(code, name)
            if name:
                self._alias(name, insee)

    # -- lookups

    def by_insee(self, code: str) -> Commune | None:
        """The commune with this INSEE code, following merges of old codes and
        municipal arrondissements (75118 → Paris)."""
        code = str(code).strip().upper().zfill(5)
        c = self.communes.get(code)
        if c is None:
            current = self.merged.get(code) or self.arrondissements.get(code)
            c = self.communes.get(current) if current else None
        return c

    def is_old_code(self, code: str) -> bool:
        """A code of a former commune, merged since (not an arrondissement)."""
        code = str(code).strip().upper().zfill(5)
        return code not in self.communes and code in self.merged

    def postcode_departements(self, postcode: str) -> frozenset[str]:
        """The départements a postal code serves: those of its communes, else
        (a CEDEX or special code) the one its first digits name."""
        pc = str(postcode).strip()
        owners = self._by_postcode.get(pc)
        if owners:
            return frozenset(c.departement for c in owners)
        if pc.startswith("20"):
            return frozenset({"2A", "2B"})
        if pc[:2] in ("97", "98"):
            return frozenset({pc[:3]})
        return frozenset({pc[:2]})

    def find(self, name: str, postcode: str | None = None) -> list[Commune]:
        """Communes matching a name as typed.

        The postal code chooses among them (there are several Saint-Palais,
        Pertuis and Le Pertuis…): those having the code, else those of its
        département; former and delegated communes of that name are tried
        before giving up.  It never replaces the name: when no commune of the
        name fits the code, every commune of the name is returned, and the
        caller reports the code (see :meth:`locate`)."""
        key = name_key(name)
        exact = list(self._by_key.get(key, ()))
        aliases = [self.communes[i] for i in self._aliases.get(key, ()) if i in self.communes]
        aliases = [c for c in aliases if c not in exact]
        if postcode:
            pc = str(postcode).strip()
            depts = self.postcode_departements(pc)
            for pool in (exact, aliases):
                having = [c for c in pool if pc in c.postcodes]
                if having:
                    return having
            for pool in (exact, aliases):
                near = [c for c in pool if c.departement in depts]
                if near:
                    return near
        return exact or aliases

    def by_postcode(self, postcode: str) -> list[Commune]:
        return list(self._by_postcode.get(str(postcode).strip(), ()))

    def locate(self, insee: str | None = None, name: str | None = None, postcode: str | None = None) -> Placement:
        """The commune of a row: by its INSEE code, else by its name and postal
        code together, else by a postal code that has one commune.

        A name with several communes that the postal code does not settle is
        ambiguous (``candidates``); a postal code of another département than
        the only commune of the name is flagged, never used to pick a
        homonym.  Rows name the same few communes again and again: the
        placement (immutable) is remembered for each distinct question."""
        question = (insee, name, postcode)
        placed = self._placed.get(question)
        if placed is None:
            if len(self._placed) >= _PLACED_MAX:
                self._placed.clear()  # bounded: a long run keeps only recent questions
            placed = self._placed[question] = self._locate(insee, name, postcode)
        return placed

    def _locate(self, insee: str | None, name: str | None, postcode: str | None) -> Placement:
        if insee:
            code = str(insee).strip().upper()
            if re.fullmatch(r"\d[0-9AB]\d{3}", code):
                c = self.by_insee(code)
                if c is not None:
                    return Placement(c, "ancien-insee" if self.is_old_code(code) else "insee")
        if name and str(name).strip():
            text = str(name).strip()
            found = self.find(text, postcode)
            if not found and _CEDEX.search(text):
                found = self.find(strip_cedex(text), postcode)
            if len(found) == 1:
                c = found[0]
                conflict = (
                    postcode is not None
                    and postcode not in c.postcodes
                    and c.departement not in self.postcode_departements(postcode)
                )
                by = "nom+code-postal" if postcode and not conflict else "nom"
                return Placement(c, by, postcode_conflict=conflict)
            return Placement(None, "", tuple(found))
        if postcode:
            found = self.by_postcode(postcode)
            if len(found) == 1:
                return Placement(found[0], "code-postal")
            return Placement(None, "", tuple(found))
        return Placement(None)

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest commune names, for 'vouliez-vous dire … ?' messages; a name
        borne by several communes comes with their départements.  Among close
        names, those of the historic Auvergne (the project's home and default
        edition) come first: 'Rion' is Riom before Rions (Gironde)."""
        import difflib

        keys = difflib.get_close_matches(name_key(name), list(self._by_key), n=n + 30, cutoff=0.75)
        keys.sort(key=lambda k: not any(c.departement in AUVERGNE for c in self._by_key[k]))
        out = []
        for k in keys[:n]:
            same = self._by_key[k]
            if len(same) == 1:
                out.append(same[0].name)
            else:
                out += [f"{c.name} ({c.departement})" for c in same[:3]]
        return out[: max(n, 3)]

    def in_departements(self, codes) -> list[Commune]:
        wanted = set(codes)
        return [c for c in self.communes.values() if c.departement in wanted]

    @property
    def epcis(self) -> tuple[Epci, ...]:
        return _epcis()


@lru_cache(maxsize=1)
def _epcis() -> tuple[Epci, ...]:
    with _data("epci.json").open(encoding="utf-8") as fh:
        raw = json.load(fh)
    out = [
        Epci(siren=e["code"], name=e["nom"], kind=e["type"], members=tuple(m["code"] for m in e["membres"]))
        for e in raw
    ]
    out += [
        Epci(siren=r["siren"], name=r["nom"], kind=r["type"], members=tuple(r["membres"].split()))
        for r in _gz_rows("france_epci.csv.gz")
    ]
    return tuple(out)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared, lazily built gazetteer (once per process, and again after
    :func:`release`)."""
    return Gazetteer()


def release() -> None:
    """Let the gazetteer and the EPCI list go (about 25 MB for the communes
    of all France): a build no longer needs them once its entries are placed
    and selected.  The next use builds them again."""
    gazetteer.cache_clear()
    _epcis.cache_clear()
