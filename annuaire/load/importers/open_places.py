"""Three small national lists of places: labelled gardens, main higher-education
institutions, car-sharing areas and park-and-ride car parks.

* ``jardins``: Ministère de la Culture, *Liste des jardins remarquables* (``;``):
  numeric codes lost their leading zero in circulating copies (postal code
  ``3460``, INSEE ``3009``): they are padded back to five digits; the commune is
  taken from ``identifiant_deps`` (``JARD_03316_0001``) when it disagrees with
  ``code_insee`` (the Balaine arboretum), since the garden's own identifier names
  the commune of the garden; web sites come as a JSON-like list.
* ``esr``: MESR, *Principaux établissements d'enseignement supérieur* (``;``,
  UTF-8 with BOM): universities and grandes écoles with UAI and SIRET (merge keys).
* ``covoiturage``: *Base nationale des lieux de covoiturage* (BNLC, ``,``, ODbL):
  some rows carry a postal code in ``insee`` (``03330``): the commune is then found
  from the name and the position, never from that code alone.
"""

from __future__ import annotations

import json
import re
from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    code_text,
    has_columns,
    latlon_pair,
    locate,
    place_fields,
    smart_title,
    to_float,
)
from annuaire.model import Issue, RawRow


def _links(text: str | None) -> list[str]:
    """'["http://a", "http://b"]' → ['http://a', 'http://b'] (a plain URL is kept)."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return [text.strip()]
    return [str(v).strip() for v in value if str(v).strip()] if isinstance(value, list) else []


class JardinsImporter(Importer):
    name = "jardins"
    title = "Jardins remarquables (ministère de la Culture)"
    provider_key = "jardins"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("nom_du_jardin", "identifiant_deps", "code_insee"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            typology, issue = self.mapped("jardin remarquable", None, origin, "types")
            if issue:
                yield issue
                continue
            lat, lon = to_float(v.get("latitude")), to_float(v.get("longitude"))
            own = re.match(r"JARD_(\d{5})_", v.get("identifiant_deps") or "")
            insee = own.group(1) if own else code_text(v.get("code_insee"), 5)
            postcode = code_text(v.get("code_postal"), 5)
            commune = locate(insee, v.get("commune"), postcode, lat, lon)
            links = _links(v.get("site_internet_et_autres_liens"))
            fields = {
                "nom": v.get("nom_du_jardin"),
                "typologie": typology,
                "adresse": v.get("numero_et_libelle_de_la_voie"),
                "complement": v.get("complement_d_adresse"),
                **place_fields(commune, postcode, v.get("commune"), insee),
                "site_web": links[0] if links else None,
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "nom_du_jardin",
                    "typologie": "types",
                    "adresse": "numero_et_libelle_de_la_voie",
                    "complement": "complement_d_adresse",
                    "code_postal": "code_postal",
                    "commune": "commune",
                    "code_insee": "code_insee",
                    "site_web": "site_internet_et_autres_liens",
                    "latitude": "latitude",
                    "longitude": "longitude",
                },
                ids=(("jardin", v.get("identifiant_deps")),),
            )


class EsrImporter(Importer):
    name = "esr"
    title = "Principaux établissements d’enseignement supérieur (MESR)"
    provider_key = "esr"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("uai - identifiant", "type d'établissement", "libellé"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            kind = (v.get("type d'établissement") or "").strip()
            typology, issue = self.mapped(kind, None, origin, "type d'établissement")
            if issue:
                yield issue
                continue
            lat, lon = latlon_pair(v.get("géolocalisation"))
            insee = code_text(v.get("Code commune"), 5)
            postcode = code_text(v.get("Code postal"), 5)
            commune = locate(insee, v.get("Commune"), postcode, lat, lon)
            fields = {
                "nom": v.get("libellé"),
                "typologie": typology,
                "adresse": v.get("Adresse"),
                "complement": v.get("Lieu dit"),
                **place_fields(commune, postcode, v.get("Commune"), insee),
                "telephone": v.get("Numéro de téléphone"),
                "site_web": v.get("site internet"),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "libellé",
                    "typologie": "type d'établissement",
                    "adresse": "Adresse",
                    "complement": "Lieu dit",
                    "code_postal": "Code postal",
                    "commune": "Commune",
                    "code_insee": "Code commune",
                    "telephone": "Numéro de téléphone",
                    "site_web": "site internet",
                    "latitude": "géolocalisation",
                    "longitude": "géolocalisation",
                },
                ids=(("uai", v.get("uai - identifiant")), ("siret", v.get("siret"))),
                category=kind,
            )


class CovoiturageImporter(Importer):
    name = "covoiturage"
    title = "Lieux de covoiturage et parkings relais (BNLC)"
    provider_key = "bnlc"

    def sniff(self, path) -> bool:
        return has_columns(path, ",", ("id_lieu", "nom_lieu", "Xlong", "Ylat"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ","):
            kind = (v.get("type") or "").strip()
            typology, issue = self.mapped(kind, None, origin, "type")
            if issue:
                yield issue
                continue
            lat, lon = to_float(v.get("Ylat")), to_float(v.get("Xlong"))
            given = code_text(v.get("insee"), 5)
            # Some rows carry the postal code in the INSEE column: an INSEE code is
            # believed only when the gazetteer knows it and the place is near it.
            commune = locate(given, None, None, lat, lon)
            if (
                commune is not None
                and given
                and commune.latitude is not None
                and lat is not None
                and abs(commune.latitude - lat) + abs(commune.longitude - lon) > 0.3
            ):
                commune = locate(None, smart_title(v.get("com_lieu")), given, lat, lon)
            places = v.get("nbre_pl")
            fields = {
                "nom": v.get("nom_lieu"),
                "typologie": typology,
                "adresse": v.get("ad_lieu"),
                **place_fields(commune, None, smart_title(v.get("com_lieu")), given),
                "description": f"{places} places" if places and places.strip().isdigit() else None,
                "mise_a_jour": v.get("date_maj"),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "nom_lieu",
                    "typologie": "type",
                    "adresse": "ad_lieu",
                    "commune": "com_lieu",
                    "code_insee": "insee",
                    "description": "nbre_pl",
                    "mise_a_jour": "date_maj",
                    "latitude": "Ylat",
                    "longitude": "Xlong",
                },
                ids=(("bnlc", v.get("id_lieu")),),
                category=kind,
            )
