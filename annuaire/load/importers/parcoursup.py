"""Parcoursup formations (MESR-SIES, ``fr-esr-parcoursup``): lycées with BTS
and classes préparatoires, lycées agricoles, IUT and university sites, nursing
and social-work schools, écoles d'ingénieurs, of commerce and of art.

The circulating copy (``../shared/data/SOURCES.md`` §24) keeps 6 columns:
status, UAI, establishment, region, filière and ``"lat, lon"``; accents and
apostrophes were stripped (``Lycee``, ``d Architecture``) and a few lines
occur twice verbatim.  There is no address, phone or commune.

One row per *formation*, so the reader works per *establishment* (UAI):

* every row of one UAI gets the same fields, the establishment's typology and
  the compact list of its formations (``RawRow.services``: « BTS : Banque,
  Tourisme », « Licence (73 formations) »), so merge folds them into one entry
  (same file, same UAI: one record) and the verbatim duplicates with them;
* the UAI is the merge key with the Éducation nationale and MESR files, which
  give the address and phone that this file lacks;
* the typology: each filière maps through ``mappings/parcoursup.csv``, refined
  by the establishment's name (``regles.csv``: lycées agricoles, BTS of private
  schools, a university's health courses); the establishment takes the typology
  most of its formations give (ties: Annex 1 order);
* the commune comes from the position (the commune outline that contains it:
  the file names no commune); a merge prefers the commune of a file that
  names it (``Entry.rough_place``); accents of the common words are put back
  (``nettoyage/mots_accentues.csv``) and lost apostrophes restored
  (``d Architecture`` → ``d’Architecture``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Iterator

from annuaire.load.importers.base import Importer, commune_of_point, has_columns, latlon_pair, place_fields, refine
from annuaire.reference import taxonomy
from annuaire.model import Issue, Origin, RawRow

UAI = "Code UAI de l etablissement"
NAME = "etablissement"
FILIERE = "Filiere de formation"
GPS = "Coordonnées GPS de la formation"

# A kind of formation lists its specialities up to this many, else their number.
MAX_LISTED = 6
# Trailing words that say how, not what ('Entierement en distanciel').
_MANNER = re.compile(r"(?i)^(entierement en distanciel|1ere annee commune|bac general|formation bac \+ 5)$")


def _levels(filiere: str) -> list[str]:
    """'BTS   Services   Comptabilite et gestion' → ['BTS', 'Services', 'Comptabilite et gestion']."""
    return [p.strip() for p in re.split(r"\s{3,}", filiere or "") if p.strip()]


def category(filiere: str) -> str:
    """The kind of formation, the key of ``mappings/parcoursup.csv``: the
    first level, with the agricultural BTS told apart ('BTS Agricole')."""
    levels = _levels(filiere)
    if not levels:
        return ""
    if levels[0] == "BTS" and len(levels) > 1 and levels[1] == "Agricole":
        return "BTS Agricole"
    return levels[0]


def speciality(filiere: str) -> str | None:
    """What the formation is in: 'Comptabilité et gestion' for a BTS (its
    domain skipped), 'PCSI' for a CPGE, None when the file says no more."""
    levels = _levels(filiere)
    skip = 2 if levels[:1] == ["BTS"] else 1
    rest = [p for p in levels[skip:] if not _MANNER.match(p)]
    return plain_text(rest[0]) if rest else None


@lru_cache(maxsize=1)
def _accents() -> dict[str, str]:
    """``nettoyage/mots_accentues_formations.csv``: the words of this file's
    names and formations whose accents were stripped."""
    path = resources.files("annuaire.data").joinpath("nettoyage", "mots_accentues_formations.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["sans_accent"].lower(): r["avec_accent"] for r in csv.DictReader(fh)}


def restore_accents(text: str) -> str:
    table = _accents()

    def repl(m: re.Match) -> str:
        w = m.group(0)
        full = table.get(w.lower())
        if full is None:
            return w
        return full if w[:1].isupper() else full[:1].lower() + full[1:]

    return re.sub(r"[^\W\d_]+", repl, text)


def plain_text(text: str) -> str:
    """Accents of common words and lost apostrophes put back:
    'Ecole d ingenieurs' → 'École d’ingénieurs'."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b([dlDL]) (?=[aeiouyhéèêAEIOUYHÉ])", "\\1’", text)
    text = re.sub(r"\b([dlDL])'", "\\1’", text)
    return restore_accents(text)


def establishment_name(raw: str) -> str:
    """'I.U.T Clermont Auvergne   site de Moulins' → 'I.U.T Clermont Auvergne, site de Moulins'."""
    parts = [plain_text(p) for p in re.split(r"\s{3,}", raw or "") if p.strip()]
    return ", ".join(parts)


class ParcoursupImporter(Importer):
    name = "parcoursup"
    title = "Parcoursup – formations de l’enseignement supérieur (MESR)"
    provider_key = "parcoursup"

    def sniff(self, path) -> bool:
        return has_columns(path, ",", (UAI, NAME, FILIERE))

    def missing_columns(self, path) -> tuple[str, ...]:
        return () if has_columns(path, ",", (GPS,)) else (GPS,)

    def read(self, path) -> Iterator[RawRow | Issue]:
        records = list(self.records(path, ","))
        # Per establishment: its rows' typologies and formations, in file order.
        kinds: dict[str, Counter] = {}
        formations: dict[str, dict[str, list[str]]] = {}
        # The place of the establishment: its first formation's (the university's
        # formations are spread over its campuses; one entry has one place).
        where: dict[str, str] = {}
        rejected: dict[int, Issue] = {}
        for origin, v in records:
            uai = (v.get(UAI) or "").strip().upper()
            cat = category(v.get(FILIERE, ""))
            code, issue = self.mapped(cat, None, origin, FILIERE)
            if issue is not None:
                rejected[origin.row] = issue
                continue
            where.setdefault(uai, v.get(GPS) or "")
            name = establishment_name(v.get(NAME, ""))
            code = refine(self.name, cat, {"nom": name}) or code
            kinds.setdefault(uai, Counter())[code] += 1
            listed = formations.setdefault(uai, {}).setdefault(cat, [])
            spec = speciality(v.get(FILIERE, ""))
            if spec and spec not in listed:
                listed.append(spec)
            elif not spec and "" not in listed:
                listed.append("")
        for origin, v in records:
            if origin.row in rejected:
                yield rejected[origin.row]
                continue
            uai = (v.get(UAI) or "").strip().upper()
            yield self._row(origin, v, uai, kinds[uai], formations[uai], where[uai])

    def _row(self, origin: Origin, v: dict[str, str], uai: str, kinds: Counter, formations, gps: str) -> RawRow:
        order = {t.code: i for i, t in enumerate(taxonomy.all_typologies())}
        typology = min(kinds, key=lambda c: (-kinds[c], order.get(c, 999)))
        lat, lon = latlon_pair(gps)
        commune = commune_of_point(lat, lon) if lat is not None and lon is not None else None
        fields = {
            "nom": establishment_name(v.get(NAME, "")),
            "typologie": typology,
            **place_fields(commune, None, None, None),
            "latitude": lat,
            "longitude": lon,
        }
        return self.row(
            origin,
            fields,
            {"nom": NAME, "typologie": FILIERE, "latitude": GPS, "longitude": GPS},
            ids=(("uai", uai),),
            services=self._services(formations),
            rough_place=True,
        )

    def _services(self, formations: dict[str, list[str]]) -> list[str]:
        """One phrase per kind of formation, in the mapping table's order:
        'BTS : Banque, Tourisme', 'Licence (73 formations)'."""
        table = list(self.mapping.rows)
        out = []
        for cat in sorted(formations, key=lambda c: table.index(c) if c in table else len(table)):
            label = self.mapping.rows[cat].label if cat in self.mapping.rows else cat
            specs = [s for s in formations[cat] if s]
            if not specs:
                out.append(label)
            elif len(specs) > MAX_LISTED:
                out.append(f"{label} ({len(specs)} formations)")
            else:
                out.append(f"{label} : {' ; '.join(specs)}")
        return out
