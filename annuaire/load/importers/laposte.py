"""La Poste points de contact: post offices, agences postales and relais.

CRLF, ``;``, UTF-8, text in upper case without accents.  The name of the
site is its postal label ('ARCHES AP', 'ARPAJON SUR CERE'); the directory
prints what the place is and where ('Agence postale communale d’Arches'),
with the commune's official spelling when the label is the commune.  The
phone is always 3631, the national number, which is kept: it is the one
the public is told to call.
"""

from __future__ import annotations

import re
from typing import Iterator

from annuaire.reference.geo import Commune, name_key
from annuaire.load.importers.base import (
    Importer,
    expand_address,
    has_columns,
    locate,
    place_fields,
    smart_title,
    to_float,
)
from annuaire.model import Issue, RawRow

KIND = {
    "Bureau de Poste": "Bureau de poste",
    "Agence postale communale": "Agence postale communale",
    "Agence postale intercommunale": "Agence postale intercommunale",
    "Relais poste commerçant": "Relais poste",
    "Relais poste urbain": "Relais poste",
}
_SUFFIX = re.compile(r"\s+(AP|APC|API|RP|RPC|BP|PPDC|PDC|CDIS)$")


def of(place: str) -> str:
    """French 'de' before a place name: d’Arches, du Puy, de Moulins."""
    low = place.lower()
    if low.startswith("le "):
        return "du " + place[3:]
    if low.startswith("les "):
        return "des " + place[4:]
    if place[:1].upper() in "AEIOUYÉÈÂÎH" and not low.startswith(("hau", "hu")):
        return "d’" + place
    return "de " + place


def site_name(label: str, kind: str, commune: Commune | None) -> str:
    base = _SUFFIX.sub("", (label or "").strip())
    if commune and name_key(base) == name_key(commune.name):
        place = commune.name
    else:
        place = smart_title(base)
    return f"{KIND.get(kind, kind)} {of(place)}"


class LaPosteImporter(Importer):
    name = "laposte"
    title = "La Poste – bureaux de poste, agences postales et relais poste"
    provider_key = "laposte"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("#Identifiant_du_site", "Libellé_du_site", "Caractéristique_du_site"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            kind = v.get("Caractéristique_du_site", "").strip()
            typology, issue = self.mapped(kind, None, origin, "Caractéristique_du_site")
            if issue:
                yield issue
                continue
            lat, lon = to_float(v.get("Latitude")), to_float(v.get("Longitude"))
            cp = v.get("Code_postal")
            commune = locate(v.get("Code_INSEE"), v.get("Localité"), cp, lat, lon)
            complement = " – ".join(
                expand_address(x) for x in (v.get("Complément_d_adresse"), v.get("Lieu_dit")) if x and x.strip()
            )
            if v.get("Précision_du_géocodage", "").startswith("Géocodé au centre"):
                # Only the commune centre is known: no point pretending otherwise.
                lat = lon = None
            fields = {
                "nom": site_name(v.get("Libellé_du_site", ""), kind, commune),
                "typologie": typology,
                "adresse": expand_address(v.get("Adresse")),
                "complement": complement or None,
                **place_fields(commune, cp, smart_title(v.get("Localité")), v.get("Code_INSEE")),
                "telephone": v.get("Numéro_de_téléphone"),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "Libellé_du_site",
                    "typologie": "Caractéristique_du_site",
                    "adresse": "Adresse",
                    "complement": "Complément_d_adresse",
                    "code_postal": "Code_postal",
                    "commune": "Localité",
                    "code_insee": "Code_INSEE",
                    "telephone": "Numéro_de_téléphone",
                    "latitude": "Latitude",
                    "longitude": "Longitude",
                },
                ids=(("laposte", v.get("#Identifiant_du_site")),),
            )
