"""Ministère de la Culture datasets: public libraries, Musées de France
(Muséofile) and cinemas (CNC).

* ``bibliotheques`` — UTF-8 with BOM, ``;``; numeric codes as floats
  ('96.0'); names inconsistent ('Relais-lecture', 'Bibliotheque municipale',
  10 in capitals); ``cedex`` set for a few; 30 rows without coordinates.
  The category combines ``type_adresse`` (only 'Bâtiment ouvert' is a place
  the public visits) with what the name says (médiathèque or bibliothèque).
* ``musees`` — UTF-8 with BOM, ``;``, CRLF; no INSEE code and a ``Ville``
  that is not always the official name ('Moulins-sur-Allier'): the commune
  comes from name + postal code, else from the position.  URLs lack their
  scheme; phones come in every format (validation normalises them).
* ``cinemas`` — UTF-8 with BOM, ``;``, CRLF; counts as floats; names and
  addresses in capitals and abbreviated ('AV D ANGLETERRE').  Positions are
  passed as given: one (Rosières, 43165) is in the Vosges, and validation
  drops coordinates that are far from their commune.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from annuaire.reference.geo import name_key
from annuaire.load.importers.base import (
    Importer,
    code_text,
    expand_address,
    has_columns,
    latlon_pair,
    locate,
    place_fields,
    smart_title,
    to_float,
    to_int,
)
from annuaire.model import Issue, RawRow


def library_kind(*names: str | None) -> str:
    text = " ".join(n for n in names if n)
    return "médiathèque" if "mediatheque" in name_key(text) else "bibliothèque"


def library_name(name: str | None, commune_name: str | None) -> str | None:
    """A generic name ('Relais-lecture', 'Bibliotheque municipale') gets the
    commune so the printed entry says which one; capitals get French case."""
    n = (name or "").strip()
    if not n:
        return None
    if n.isupper():
        n = smart_title(n)
    n = re.sub(r"^Biblioth[eè]que\b", "Bibliothèque", n)
    n = re.sub(r"^M[eé]diath[eè]que\b", "Médiathèque", n)
    generic = name_key(n) in {
        name_key(x)
        for x in (
            "Relais-lecture",
            "Relais lecture",
            "Bibliothèque municipale",
            "Bibliothèque",
            "Médiathèque",
            "Médiathèque municipale",
            "Point lecture",
            "Bibliothèque intercommunale",
            "Médiathèque intercommunale",
        )
    }
    if generic and commune_name and name_key(commune_name) not in name_key(n):
        from annuaire.load.importers.laposte import of

        n = f"{n} {of(commune_name)}"
    return n


class BibliothequesImporter(Importer):
    name = "bibliotheques"
    title = "Bibliothèques publiques (ministère de la Culture)"
    provider_key = "bibliotheques"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("code_bib", "nom_de_l_etablissement", "code_insee_commune", "type_adresse"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            kind = library_kind(v.get("nom_de_l_etablissement"), v.get("libelle_2"))
            category = f"{(v.get('type_adresse') or 'Inconnue').strip()} / {kind}"
            typology, issue = self.mapped(category, None, origin, "type_adresse")
            if issue:
                yield issue
                continue
            lat, lon = to_float(v.get("latitude")), to_float(v.get("longitude"))
            cp = code_text(v.get("cp"), 5)
            commune = locate(code_text(v.get("code_insee_commune"), 5), v.get("ville"), cp, lat, lon)
            libelle2 = (v.get("libelle_2") or "").strip()
            complement = " – ".join(x for x in (libelle2, (v.get("complement") or "").strip()) if x)
            fields = {
                "nom": library_name(v.get("nom_de_l_etablissement"), commune.name if commune else v.get("ville")),
                "typologie": typology,
                "adresse": expand_address(v.get("adresse")) if re.search(r"\w", v.get("adresse") or "") else None,
                "complement": complement or None,
                **place_fields(commune, cp, v.get("ville"), v.get("code_insee_commune")),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "nom_de_l_etablissement",
                    "typologie": "type_adresse",
                    "adresse": "adresse",
                    "complement": "libelle_2",
                    "code_postal": "cp",
                    "commune": "ville",
                    "code_insee": "code_insee_commune",
                    "latitude": "latitude",
                    "longitude": "longitude",
                },
                ids=(("bib", code_text(v.get("code_bib"))),),
            )


def _url(value: str | None) -> str | None:
    u = (value or "").strip()
    if u and not re.match(r"(?i)^https?://", u):
        u = "https://" + u.lstrip("/")
    return u or None


def _museum_name(name: str | None) -> str | None:
    n = (name or "").strip()
    return n[:1].upper() + n[1:] if n else None  # 'musée Anne de Beaujeu' starts a line in print


def _themes(value: str | None) -> str | None:
    """'Archéologie,Arts décoratifs' → 'Collections : archéologie, arts décoratifs.'"""
    items = [x.strip().lower() for x in re.split(r"[,;]", value or "") if x.strip()]
    return f"Collections : {', '.join(items)}." if items else None


class MuseesImporter(Importer):
    name = "musees"
    title = "Musées de France – base Muséofile (ministère de la Culture)"
    provider_key = "musees"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("Identifiant", "Nom_officiel", "Ville", "Coordonnees", "Refmer"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            typology, issue = self.mapped("Musée de France", None, origin, "Identifiant")
            if issue:
                yield issue
                continue
            lat, lon = latlon_pair(v.get("Coordonnees"))
            cp = code_text(v.get("Code_postal"), 5)
            commune = locate(None, v.get("Ville"), cp, lat, lon)
            upd = None
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", (v.get("Date_de_mise_a_jour") or "").strip()):
                upd = date.fromisoformat(v["Date_de_mise_a_jour"].strip())
            fields = {
                "nom": _museum_name(v.get("Nom_officiel")),
                "typologie": typology,
                "adresse": v.get("Adresse"),
                "complement": v.get("Lieu"),
                **place_fields(commune, cp, v.get("Ville"), None),
                "telephone": v.get("Telephone"),
                "site_web": _url(v.get("URL")),
                "description": _themes(v.get("Domaine_thematique")),
                "latitude": lat,
                "longitude": lon,
                "mise_a_jour": upd,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "Nom_officiel",
                    "typologie": "Identifiant",
                    "adresse": "Adresse",
                    "complement": "Lieu",
                    "code_postal": "Code_postal",
                    "commune": "Ville",
                    "telephone": "Telephone",
                    "site_web": "URL",
                    "description": "Domaine_thematique",
                    "latitude": "Coordonnees",
                    "longitude": "Coordonnees",
                    "mise_a_jour": "Date_de_mise_a_jour",
                },
                ids=(("museofile", v.get("Identifiant")),),
            )


class CinemasImporter(Importer):
    name = "cinemas"
    title = "Établissements cinématographiques (CNC)"
    provider_key = "cinemas"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("N° auto", "nom", "code INSEE", "écrans", "fauteuils", "genre"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            genre = (v.get("genre") or "").strip()
            typology, issue = self.mapped(genre, None, origin, "genre")
            if issue:
                yield issue
                continue
            insee = code_text(v.get("code INSEE"), 5)
            # The INSEE code is reliable, the geocoding is not (see docstring):
            # the commune must not be guessed from the position.
            commune = locate(insee, v.get("commune"))
            screens, seats = to_int(v.get("écrans")), to_int(v.get("fauteuils"))
            bits = []
            if genre == "ITINERANT":
                bits.append("Cinéma itinérant : séances dans la salle indiquée.")
            if screens:
                bits.append(
                    f"{screens} écran{'s' if screens > 1 else ''}" + (f", {seats} fauteuils." if seats else ".")
                )
            if (v.get("label Art et Essai") or "").strip() or (v.get("AE") or "").strip().upper() == "OUI":
                bits.append("Classé Art et Essai.")
            fields = {
                "nom": smart_title(v.get("nom")),
                "typologie": typology,
                "adresse": expand_address(v.get("adresse")),
                **place_fields(commune, None, v.get("commune"), insee),
                "description": " ".join(bits) or None,
                "latitude": to_float(v.get("latitude")),
                "longitude": to_float(v.get("longitude")),
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "nom",
                    "typologie": "genre",
                    "adresse": "adresse",
                    "commune": "commune",
                    "code_insee": "code INSEE",
                    "description": "écrans",
                    "latitude": "latitude",
                    "longitude": "longitude",
                },
                ids=(("cnc", code_text(v.get("N° auto"))),),
            )
