"""Éducation nationale (DEPP) datasets: collèges, écoles, lycées.

* ``colleges`` — *Adresse et géolocalisation des établissements*: UTF-8
  with BOM, ``;``, 3-digit département codes, WGS84 and Lambert-93
  coordinates (WGS84 used), postal line ``localite_acheminement_uai``
  (the commune comes from ``code_commune``).
* ``ecoles`` / ``lycees`` — *Indices de position sociale*: upper-case names
  and communes without accents or hyphens, no address, no position; the
  UAI and the INSEE code are what identify a school.  The level of an
  école is read from its name (MATERNELLE / ELEMENTAIRE / PRIMAIRE); the
  type of a lycée is ``type_de_lycee`` (LEGT, LP, LPO).
Every row carries its UAI so merge can fold the same school from two files.
"""

from __future__ import annotations

import re
from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    code_text,
    has_columns,
    locate,
    place_fields,
    smart_title,
    to_float,
)
from annuaire.model import Issue, RawRow

SECTOR = {"public": "public", "privé": "privé", "prive": "privé", "privé sous contrat": "privé sous contrat"}


def _sector(value: str | None) -> str | None:
    s = (value or "").strip().lower()
    if not s:
        return None
    return "Établissement " + SECTOR.get(s, s) + "."


class CollegesImporter(Importer):
    name = "colleges"
    title = "Collèges – adresse et géolocalisation (Éducation nationale)"
    provider_key = "colleges"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("numero_uai", "appellation_officielle", "adresse_uai", "nature_uai"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            nature = code_text(v.get("nature_uai")) or ""
            typology, issue = self.mapped(nature, v.get("nature_uai_libe"), origin, "nature_uai")
            if issue:
                yield issue
                continue
            lat, lon = to_float(v.get("latitude")), to_float(v.get("longitude"))
            cp = code_text(v.get("code_postal_uai"), 5)
            commune = locate(code_text(v.get("code_commune"), 5), v.get("libelle_commune"), cp, lat, lon)
            complement = " – ".join(
                x.strip()
                for x in (v.get("lieu_dit_uai"), v.get("boite_postale_uai"))
                if x and x.strip() and not re.match(r"(?i)\s*(BP|CS)\b", x)
            )
            fields = {
                "nom": v.get("appellation_officielle") or smart_title(v.get("patronyme_uai")),
                "typologie": typology,
                "adresse": v.get("adresse_uai"),
                "complement": complement or None,
                **place_fields(commune, cp, v.get("libelle_commune"), v.get("code_commune")),
                "description": _sector(v.get("secteur_public_prive_libe")),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "appellation_officielle",
                    "typologie": "nature_uai",
                    "adresse": "adresse_uai",
                    "complement": "lieu_dit_uai",
                    "code_postal": "code_postal_uai",
                    "commune": "libelle_commune",
                    "code_insee": "code_commune",
                    "description": "secteur_public_prive_libe",
                    "latitude": "latitude",
                    "longitude": "longitude",
                },
                ids=(("uai", v.get("numero_uai")),),
            )


def school_level(name: str) -> str:
    n = (name or "").upper()
    if "MATERNELLE" in n:
        return "maternelle"
    if "ELEMENTAIRE" in n or "ÉLÉMENTAIRE" in n:
        return "elementaire"
    if "PRIMAIRE" in n:
        return "primaire"
    return "autre"


class EcolesImporter(Importer):
    name = "ecoles"
    title = "Écoles – indices de position sociale (Éducation nationale)"
    provider_key = "ecoles"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("UAI", "Nom de l'établissment", "Code INSEE de la commune"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            raw = v.get("Nom de l'établissment", "")
            typology, issue = self.mapped(school_level(raw), raw, origin, "Nom de l'établissment")
            if issue:
                yield issue
                continue
            commune = locate(code_text(v.get("Code INSEE de la commune"), 5), v.get("Nom de la commune"))
            name = smart_title(raw)
            if not re.search(r"(?i)\b(e|é)cole|groupe scolaire|\bRPI\b", name or ""):
                name = f"École {name}"  # 'YVES COPPENS': say what it is
            fields = {
                "nom": name,
                "typologie": typology,
                **place_fields(
                    commune, None, smart_title(v.get("Nom de la commune")), v.get("Code INSEE de la commune")
                ),
                "description": _sector(v.get("Secteur")),
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "Nom de l'établissment",
                    "typologie": "Nom de l'établissment",
                    "commune": "Nom de la commune",
                    "code_insee": "Code INSEE de la commune",
                    "description": "Secteur",
                },
                ids=(("uai", v.get("UAI")),),
            )


_SECOND = re.compile(r"\s+(?=LYCEE\b|LYCÉE\b|SECTION\b|SEP\b)")


def lycee_name(raw: str) -> tuple[str, str | None]:
    """'LYCEE POLYVALENT PAUL CONSTANS LYCEE DES METIERS …' →
    ('Lycée polyvalent Paul Constans', 'Lycée des métiers …'): the label
    after the first name is a description, not part of the name."""
    raw = re.sub(r"\s+", " ", raw or "").strip()
    parts = _SECOND.split(raw, maxsplit=1)
    name = smart_title(parts[0])
    rest = smart_title(parts[1]) if len(parts) > 1 else None
    return name, rest


class LyceesImporter(Importer):
    name = "lycees"
    title = "Lycées – indices de position sociale (Éducation nationale)"
    provider_key = "lycees"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("uai", "nom_de_l_etablissment", "type_de_lycee"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            kind = (v.get("type_de_lycee") or "").strip()
            typology, issue = self.mapped(kind, None, origin, "type_de_lycee")
            if issue:
                yield issue
                continue
            name, more = lycee_name(v.get("nom_de_l_etablissment", ""))
            commune = locate(code_text(v.get("code_insee_de_la_commune"), 5), v.get("nom_de_la_commune"))
            desc = " ".join(x for x in ((more + ".") if more else None, _sector(v.get("secteur"))) if x)
            fields = {
                "nom": name,
                "typologie": typology,
                **place_fields(
                    commune, None, smart_title(v.get("nom_de_la_commune")), v.get("code_insee_de_la_commune")
                ),
                "description": desc or None,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "nom_de_l_etablissment",
                    "typologie": "type_de_lycee",
                    "commune": "nom_de_la_commune",
                    "code_insee": "code_insee_de_la_commune",
                    "description": "secteur",
                },
                ids=(("uai", v.get("uai")),),
            )
