"""ANCT France services: the 2024 CSV list and the 2020 GeoJSON map data.

Opening hours come as one free-text column per weekday
("09:00 - 12:00 / 13:30 - 17:00"; no Sunday column; empty = closed in 2024,
"-" = closed in 2020, where hours also lack the leading zero: "8:30").
They are passed to validation as a dict {'lundi': …}, which it accepts.

Annex 1 (2008) has no France services typology: ``mappings/france-services.csv``
files them under 'Lieu d’accès public à Internet' (vie-pratique), the
closest fit, and every entry gets a description saying what the place does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    has_columns,
    head_text,
    header_fields,
    locate,
    place_fields,
    to_float,
)
from annuaire.errors import UnusableInput
from annuaire.model import Issue, RawRow
from annuaire.reference.sources import provider

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
DESCRIPTION = (
    "Espace France services : aide aux démarches administratives (impôts, "
    "retraite, santé, famille, emploi…) et accès libre à des ordinateurs."
)


def _hours(values: dict[str, str | None]) -> dict[str, str] | None:
    out = {}
    for day in DAYS:
        h = (values.get(day) or "").strip()
        if not h or h == "-" or re.search(r"non\s+communiqu", h, re.IGNORECASE):
            continue
        out[day] = re.sub(r"(?<!\d)(\d):(\d\d)", r"0\1:\2", h)  # '8:30' → '08:30'
    return out or None


def _name(name: str | None) -> str | None:
    """'Pontgibaud' (2020 map) → 'France services Pontgibaud': the reader
    must see what the place is."""
    n = re.sub(r"\s+", " ", name or "").strip()
    if not n:
        return None
    if re.search(r"france\s*services|msap|maison de services", n, re.IGNORECASE):
        return n
    return f"France services {n}"


def _description(comment: str | None, fmt: str | None) -> str:
    parts = [DESCRIPTION]
    if fmt and re.search(r"bus|itin", fmt, re.IGNORECASE):
        parts.append("Service itinérant : se renseigner sur les lieux de passage.")
    if comment and comment.strip():
        parts.append(comment.strip())
    return " ".join(parts)


class FranceServicesImporter(Importer):
    name = "france-services"
    title = "France services (ANCT), liste CSV 2024 ou carte GeoJSON 2020"
    provider_key = "france-services"

    def sniff(self, path) -> bool:
        if has_columns(path, ",", ("id_fs", "lib_fs", "h_lundi", "insee_com")):
            return True
        head = head_text(path, 4096)
        return head.lstrip().startswith("{") and '"FeatureCollection"' in head and '"lib_france_services"' in head

    def missing_columns(self, path) -> tuple[str, ...]:
        # The December 2022 list has no type_fs: its rows cannot be filed by
        # this reader's mapping table (Principal / Antenne).
        if head_text(path, 64).lstrip().startswith("{"):
            return ()
        cols = set(header_fields(path, ","))
        return tuple(c for c in ("type_fs",) if c not in cols)

    def read(self, path) -> Iterator[RawRow | Issue]:
        if head_text(path, 64).lstrip().startswith("{"):
            yield from self._read_geojson(path)
        else:
            yield from self._read_csv(path)

    def _read_csv(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ","):
            typology, issue = self.mapped(v.get("type_fs", ""), None, origin, "type_fs")
            if issue:
                yield issue
                continue
            lat, lon = to_float(v.get("latitude")), to_float(v.get("longitude"))
            commune = locate(v.get("insee_com"), v.get("lib_com"), v.get("code_postal"), lat, lon)
            fields = {
                "nom": _name(v.get("lib_fs")),
                "typologie": typology,
                "adresse": v.get("adresse"),
                "complement": v.get("complement_adresse"),
                **place_fields(commune, v.get("code_postal"), v.get("lib_com"), v.get("insee_com")),
                "telephone": v.get("telephone"),
                "courriel": v.get("mail"),
                "horaires": _hours({d: v.get(f"h_{d}") for d in DAYS}),
                "description": _description(v.get("commentaire"), v.get("format_fs")),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "lib_fs",
                    "typologie": "type_fs",
                    "adresse": "adresse",
                    "complement": "complement_adresse",
                    "code_postal": "code_postal",
                    "commune": "lib_com",
                    "code_insee": "insee_com",
                    "telephone": "telephone",
                    "courriel": "mail",
                    "horaires": "h_lundi … h_samedi",
                    "description": "commentaire",
                    "latitude": "latitude",
                    "longitude": "longitude",
                },
                ids=(("france_services", v.get("id_fs")),),
            )

    def _read_geojson(self, path) -> Iterator[RawRow | Issue]:
        # Row = feature number (1-based): the file is a single line.
        try:
            with open(path, encoding="utf-8-sig") as fh:
                data = json.load(fh)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise UnusableInput(
                f"{Path(path).name} : fichier GeoJSON illisible ({exc.__class__.__name__}, "
                f"{'caractère ' + str(exc.pos) if isinstance(exc, json.JSONDecodeError) else 'encodage'}) : "
                "fichier tronqué ou abîmé ? Téléchargez-le à nouveau."
            ) from None
        if not isinstance(data, dict):
            raise UnusableInput(f"{Path(path).name} : ce n’est pas une collection GeoJSON (FeatureCollection).")
        prov = provider("france-services-2020")
        for n, feat in enumerate(data.get("features") or (), start=1):
            p = feat.get("properties") or {}
            origin = self.origin(path, n)
            typology, issue = self.mapped(str(p.get("categorie") or ""), None, origin, "categorie")
            if issue:
                yield issue
                continue
            lat, lon = to_float(p.get("LATITUDE")), to_float(p.get("LONGITUDE"))
            insee = str(p.get("insee_com") or "").strip() or None
            cp = str(p.get("code_postal") or "").strip() or None
            if cp and cp.isdigit():
                cp = cp.zfill(5)
            commune = locate(insee.zfill(5) if insee and insee.isdigit() else insee, p.get("lib_com"), cp, lat, lon)
            fields = {
                "nom": _name(p.get("lib_france_services")),
                "typologie": typology,
                "adresse": p.get("ADRESSE"),
                "complement": p.get("COMPLEMENT.D.ADRESSE"),
                **place_fields(commune, cp, p.get("lib_com"), insee),
                "telephone": p.get("TELEPHONE"),
                "courriel": p.get("CONTACT.MAIL"),
                "horaires": _hours({d: p.get(f"h_{d}") for d in DAYS}),
                "description": _description(p.get("Commentaire.horaires"), p.get("FORMAT_FS") or p.get("ITINERANCE")),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "lib_france_services",
                    "typologie": "categorie",
                    "adresse": "ADRESSE",
                    "complement": "COMPLEMENT.D.ADRESSE",
                    "code_postal": "code_postal",
                    "commune": "lib_com",
                    "code_insee": "insee_com",
                    "telephone": "TELEPHONE",
                    "courriel": "CONTACT.MAIL",
                    "horaires": "h_lundi … h_samedi",
                    "latitude": "LATITUDE",
                    "longitude": "LONGITUDE",
                },
                ids=(("france_services_2020", p.get("MATRICULE")),),
                provider=prov,
            )
