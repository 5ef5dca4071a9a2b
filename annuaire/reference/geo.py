"""Communes, postal codes and EPCI of the territory, from the bundled data.

The gazetteer answers the questions validation and territory filters ask:
which commune has this INSEE code (old codes of merged communes included),
which communes match a name as people type it ('ST FLOUR', 'saint-flour',
'Le Puy en Velay'), and which postal codes a commune has.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from annuaire.text.collate import plain


@dataclass(frozen=True)
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
    kind: str  # CC, CA, CU, METRO
    members: tuple[str, ...]  # INSEE codes (members outside the bundled départements included)


DEPARTEMENTS = {"03": "Allier", "15": "Cantal", "43": "Haute-Loire", "63": "Puy-de-Dôme"}

_ARTICLES = ("le ", "la ", "les ", "l'")


def name_key(text: str) -> str:
    """Comparison key for a commune name: no accents, no case, no hyphens,
    'St'/'Ste' expanded, leading article dropped, apostrophes unified."""
    s = plain(str(text))
    s = s.replace("’", "'").replace("œ", "oe").replace("æ", "ae")
    s = re.sub(r"[-_/.,]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\bste\b", "sainte", s)
    s = re.sub(r"\bst\b", "saint", s)
    for art in _ARTICLES:
        if s.startswith(art):
            s = s[len(art):]
            break
    s = re.sub(r"\s*\(.*\)$", "", s)  # 'Puy-en-Velay (Le)'
    return s.replace("'", " ").replace(" ", "")


def _data(name: str):
    return resources.files("annuaire.data").joinpath(name)


class Gazetteer:
    """Lookups over the communes of the bundled départements."""

    def __init__(self) -> None:
        by_insee: dict[str, dict] = {}
        with _data("communes.csv").open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                c = by_insee.setdefault(r["insee"], {**r, "postcodes": []})
                if r["code_postal"] and r["code_postal"] not in c["postcodes"]:
                    c["postcodes"].append(r["code_postal"])
        # La Poste adds postal codes that the INSEE file does not list (delegated communes).
        routing: dict[str, set[str]] = {}
        self.old_names: dict[str, str] = {}  # name key of a delegated/old commune -> INSEE
        with _data("codes_postaux.csv").open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh, delimiter=";"):
                insee = r["code_commune_insee"]
                routing.setdefault(insee, set()).add(r["code_postal"])
                if r["ligne_5"]:
                    self.old_names.setdefault(name_key(r["ligne_5"]), insee)
        self.communes: dict[str, Commune] = {}
        for insee, r in by_insee.items():
            pcs = list(r["postcodes"])
            for pc in sorted(routing.get(insee, ())):
                if pc not in pcs:
                    pcs.append(pc)
            self.communes[insee] = Commune(
                insee=insee,
                name=r["nom"],
                departement=r["departement"],
                postcodes=tuple(pcs),
                latitude=float(r["latitude"]) if r["latitude"] else None,
                longitude=float(r["longitude"]) if r["longitude"] else None,
                population=int(float(r["population"])) if r["population"] else None,
            )
        self._by_key: dict[str, list[Commune]] = {}
        for c in self.communes.values():
            self._by_key.setdefault(name_key(c.name), []).append(c)
        self._by_postcode: dict[str, list[Commune]] = {}
        for c in self.communes.values():
            for pc in c.postcodes:
                self._by_postcode.setdefault(pc, []).append(c)
        self.merged: dict[str, str] = {}  # old INSEE code -> current INSEE code
        self.merged_names: dict[str, str] = {}  # old INSEE code -> old name
        path = _data("communes_anciennes.csv")
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    self.merged[r["ancien_insee"]] = r["insee"]
                    self.merged_names[r["ancien_insee"]] = r["ancien_nom"]
                    self.old_names.setdefault(name_key(r["ancien_nom"]), r["insee"])

    def by_insee(self, code: str) -> Commune | None:
        """The commune with this INSEE code, following merges of old codes."""
        code = str(code).strip().zfill(5)
        c = self.communes.get(code)
        if c is None and code in self.merged:
            c = self.communes.get(self.merged[code])
        return c

    def find(self, name: str, postcode: str | None = None) -> list[Commune]:
        """Communes matching a name as typed; the postal code breaks ties
        (there are several Saint-Pal, Beaulieu…)."""
        key = name_key(name)
        found = list(self._by_key.get(key, ()))
        if not found and key in self.old_names:
            c = self.communes.get(self.old_names[key])
            found = [c] if c else []
        if postcode and len(found) > 1:
            narrowed = [c for c in found if postcode in c.postcodes]
            if narrowed:
                found = narrowed
        return found

    def by_postcode(self, postcode: str) -> list[Commune]:
        return list(self._by_postcode.get(str(postcode).strip(), ()))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest commune names, for 'vouliez-vous dire … ?' messages."""
        import difflib

        keys = difflib.get_close_matches(name_key(name), list(self._by_key), n=n, cutoff=0.75)
        return [self._by_key[k][0].name for k in keys]

    @property
    def epcis(self) -> tuple[Epci, ...]:
        return _epcis()


@lru_cache(maxsize=1)
def _epcis() -> tuple[Epci, ...]:
    with _data("epci.json").open(encoding="utf-8") as fh:
        raw = json.load(fh)
    return tuple(
        Epci(
            siren=e["code"],
            name=e["nom"],
            kind=e["type"],
            members=tuple(m["code"] for m in e["membres"]),
        )
        for e in raw
    )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared, lazily built gazetteer."""
    return Gazetteer()
