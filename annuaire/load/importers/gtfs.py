"""GTFS feeds of urban networks (T2C, Clermont Auvergne Métropole): not one
entry per stop, but per commune served one entry « Réseau T2C » with the
network's contact and the stops in that commune, and the network's lines in the
entry of the commune where it has its seat.

A GTFS stop has a position and a name, no commune (``../shared/data/SOURCES.md``
§22): the commune is the one whose outline contains the stop
(:func:`annuaire.reference.contours.commune_at`), else the nearest commune
centre.  ``stops.txt`` does not name its network: the reader looks in the same
folder for the feed's ``routes.txt`` (recognised by its columns, whatever its
name) and takes the network from its ``agency_id`` in
``mappings/gtfs-reseaux.csv`` (name, phone, site, seat, source to credit).  The
snapshot has no ``stop_times.txt``, so which line stops where is unknown: the
lines are listed once, with the network's seat, never guessed per commune.

Accounting: every stop (points and stations) and every line is a row read;
the rows of one commune carry one identifier (``('gtfs', 'agency:INSEE')``) and
the same fields, so merge folds them into the commune's entry (counted as
merged); the lines fold into the seat's entry.  A commune outside the edition's
territory is out of scope with everything folded into it.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    commune_of_point,
    has_columns,
    header_fields,
    place_fields,
    to_float,
)
from annuaire.model import Issue, Origin, RawRow
from annuaire.reference.geo import Commune, gazetteer, name_key
from annuaire.reference.sources import provider
from annuaire.text.collate import sort_key

STOP_COLUMNS = ("stop_id", "stop_name", "stop_lat", "stop_lon")
ROUTE_COLUMNS = ("route_id", "agency_id", "route_short_name", "route_type")
UNKNOWN_NETWORK = "reseau-gtfs-inconnu"
# A commune's stops are named up to this many, else counted.
MAX_NAMED = 15


@dataclass(frozen=True)
class Network:
    agency: str
    name: str  # printed name of the entries: 'Réseau T2C'
    phone: str | None
    website: str | None
    seat: str  # INSEE code of the commune that gets the list of lines
    source: str  # key in sources.csv


@lru_cache(maxsize=1)
def networks() -> dict[str, Network]:
    """``mappings/gtfs-reseaux.csv``: the networks known by their ``agency_id``."""
    path = resources.files("annuaire.data").joinpath("mappings", "gtfs-reseaux.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            r["agency_id"]: Network(
                r["agency_id"], r["nom"], r["telephone"] or None, r["site_web"] or None, r["siege_insee"], r["source"]
            )
            for r in csv.DictReader(fh)
        }


def _routes_files(folder: Path) -> list[Path]:
    out = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in (".txt", ".csv") and has_columns(p, ",", ROUTE_COLUMNS):
            out.append(p)
    return out


def _agencies(path: Path) -> set[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {(r.get("agency_id") or "").strip() for r in csv.DictReader(fh)}


def stop_commune(lat: float, lon: float) -> Commune | None:
    """The commune containing the stop, else (outside the outlines) the nearest centre."""
    return commune_of_point(lat, lon)


_CAPS = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’-]+$")


def short_stop_name(name: str, commune: Commune) -> str:
    """'CEYRAT Mairie' in Ceyrat → 'Mairie', 'LES MARTRES D'ARTIÈRE École' →
    'École': a leading commune name says nothing more in a commune's entry.
    Its own commune's name in any case; another commune's only in capitals or
    as one hyphenated word ('Clermont-Ferrand Lycée Virlogeux'): a plain word
    in title case may be a place ('Croix St Guillaume')."""
    own = name_key(commune.name)
    g = gazetteer()
    words = name.split()
    cut = True
    while cut:  # 'Châteaugay CHÂTEAUGAY Malalittes': as many times as it is said
        cut = False
        for k in range(min(5, len(words) - 1), 0, -1):
            head = " ".join(words[:k])
            if name_key(head) == own or (
                (all(_CAPS.match(w) for w in words[:k]) or (k == 1 and "-" in head))
                and len(head) > 3
                and g.find(head, None)
            ):
                words, cut = words[k:], True
                break
    return " ".join(words)


def _stop_key(name: str) -> str:
    """Spellings of one stop ('Biopôle 2', 'BIOPOLE 2', 'Biopole 2') share a key."""
    return name_key(name.replace(".", " "))


def _shout(name: str) -> tuple[int, int]:
    # Fewer capitals first, then more accented letters ('Biopôle 2' over 'Biopole 2').
    return sum(c.isupper() for c in name), -sum(not c.isascii() for c in name)


def _names(names: set[str]) -> list[str]:
    """One spelling per stop, the least shouted one, in French order."""
    best: dict[str, str] = {}
    for n in sorted(names):
        k = _stop_key(n)
        if k not in best or _shout(n) < _shout(best[k]):
            best[k] = n
    return sorted(best.values(), key=sort_key)


def _compact(names: list[str]) -> str:
    """'E1, E2, …, E7' → 'E1 à E7': runs of one prefix with consecutive numbers."""
    out: list[str] = []
    run: list[tuple[str, int, str]] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(f"{run[0][2]} à {run[-1][2]}")
        else:
            out.extend(r[2] for r in run)
        run.clear()

    for n in names:
        m = re.fullmatch(r"([A-Za-z]*)(\d+)", n)
        if m and run and m.group(1) == run[-1][0] and int(m.group(2)) == run[-1][1] + 1:
            run.append((m.group(1), int(m.group(2)), n))
            continue
        flush()
        if m:
            run.append((m.group(1), int(m.group(2)), n))
        else:
            out.append(n)
    flush()
    return ", ".join(out)


class GtfsStopsImporter(Importer):
    name = "gtfs-arrets"
    title = "GTFS – arrêts d’un réseau de transport urbain (stops.txt)"
    provider_key = "t2c"
    mapping_name = "gtfs"

    def sniff(self, path) -> bool:
        cols = header_fields(path, ",")
        return all(c in cols for c in STOP_COLUMNS) and "location_type" in cols

    def _network(self, path: Path) -> Network | None:
        known = networks()
        found = {a for f in _routes_files(path.parent) for a in _agencies(f) if a in known}
        return known[found.pop()] if len(found) == 1 else None

    def read(self, path) -> Iterator[RawRow | Issue]:
        path = Path(path)
        records = list(self.records(path, ","))
        network = self._network(path)
        if network is None:
            for origin, _ in records:
                yield Issue.at(
                    "error",
                    UNKNOWN_NETWORK,
                    "Arrêt d’un réseau inconnu : ce fichier d’arrêts GTFS ne dit pas de quel réseau il est. "
                    "Placez le fichier des lignes du même flux (routes.txt) dans le même dossier ; si son "
                    "agency_id n’est pas dans annuaire/data/mappings/gtfs-reseaux.csv, ajoutez-y le réseau "
                    "(nom, téléphone, site, commune du siège).",
                    origin,
                    "stop_id",
                )
            return
        code, issue = self.mapped("arret", None, Origin(path.name, None, 1), "location_type")
        placed: list[tuple[Origin, Commune | None, str]] = []
        names: dict[str, set[str]] = defaultdict(set)
        for origin, v in records:
            lat, lon = to_float(v.get("stop_lat")), to_float(v.get("stop_lon"))
            commune = stop_commune(lat, lon) if lat is not None and lon is not None else None
            stop = (v.get("stop_name") or "").strip()
            placed.append((origin, commune, stop))
            if commune is not None and stop:
                names[commune.insee].add(short_stop_name(stop, commune))
        prov = provider(network.source)
        for origin, commune, stop in placed:
            if issue is not None:
                yield Issue.at(issue.severity, issue.code, issue.message, origin, issue.column, issue.value)
                continue
            if commune is None:
                yield Issue.at(
                    "error",
                    "arret-sans-position",
                    f"Arrêt « {stop} » sans position lisible (stop_lat, stop_lon) : sa commune est inconnue, "
                    "il n’est pas repris. Corrigez la position dans le flux GTFS.",
                    origin,
                    "stop_lat",
                )
                continue
            listed = _names(names[commune.insee])
            n = len(listed)
            count = f"{n} arrêt{'s' if n > 1 else ''}"
            service = f"{count} : {', '.join(listed)}" if n <= MAX_NAMED else f"{count} dans la commune"
            fields = _network_fields(network, code, place_fields(commune, None, None, None))
            yield self.row(
                origin,
                fields,
                {"nom": "stop_name", "typologie": "location_type", "latitude": "stop_lat", "longitude": "stop_lon"},
                ids=(("gtfs", f"{network.agency}:{commune.insee}"),),
                provider=prov,
                services=[service],
                rough_place=True,
            )


class GtfsRoutesImporter(Importer):
    name = "gtfs-lignes"
    title = "GTFS – lignes d’un réseau de transport urbain (routes.txt)"
    provider_key = "t2c"
    mapping_name = "gtfs"

    def sniff(self, path) -> bool:
        return has_columns(path, ",", ROUTE_COLUMNS)

    def read(self, path) -> Iterator[RawRow | Issue]:
        records = list(self.records(path, ","))
        known = networks()
        lines: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for i, (_, v) in enumerate(records):
            order = to_float(v.get("route_sort_order"))
            lines[(v.get("agency_id") or "").strip()].append(
                (int(order) if order is not None else i, (v.get("route_short_name") or "").strip())
            )
        for origin, v in records:
            agency = (v.get("agency_id") or "").strip()
            network = known.get(agency)
            if network is None:
                yield Issue.at(
                    "error",
                    UNKNOWN_NETWORK,
                    f"Ligne d’un réseau inconnu (agency_id {agency}) : ajoutez le réseau à "
                    "annuaire/data/mappings/gtfs-reseaux.csv (nom, téléphone, site, commune du siège).",
                    origin,
                    "agency_id",
                    agency,
                )
                continue
            code, issue = self.mapped(f"route_type {(v.get('route_type') or '').strip()}", None, origin, "route_type")
            if issue is not None:
                yield issue
                continue
            seat = gazetteer().by_insee(network.seat)
            ordered = [n for _, n in sorted(lines[agency]) if n]
            fields = _network_fields(network, code, place_fields(seat, None, None, network.seat))
            yield self.row(
                origin,
                fields,
                {"nom": "route_short_name", "typologie": "route_type"},
                ids=(("gtfs", f"{network.agency}:{network.seat}"),),
                provider=provider(network.source),
                services=[f"{len(ordered)} lignes : {_compact(ordered)}"],
            )


def _network_fields(network, code: str, place: dict) -> dict:
    """The row of a network's entry in one commune: its name, contact and ``place``."""
    return {"nom": network.name, "typologie": code, **place, "telephone": network.phone, "site_web": network.website}
