"""Service-Public.fr local annuaire (DILA): three shapes of the same data.

* ``dila-2016`` — JSON lines from cquest/annuaire-services-publics (February
  2016, every pivot).  ``writeAddress`` is the *postal* address (the CAF
  "accueil de Montluçon" has a Moulins CEDEX one); the address that was
  geocoded (``geo.address_searched``) is the place itself, so it wins when
  it lies in the record's commune.  Only DILA's own coordinates are used:
  the ``geo`` sub-object is BAN data under ODbL.
* ``dila-2019`` — the madada CSV (OKFN France): address, postal code and
  commune packed in ``notes`` ("Adresse : voie,CP,commune | Tél : … | Fax :
  …"); the Allier postal codes lost their leading zero; the INSEE code is
  in ``#id`` (``<pivot>-<INSEE>-<nn>``) and repeated at the end of ``name``.
* ``dila-2025`` — the OSM-style CSV of nlehuby/sepuqu (08/2025) with
  ``opening_hours`` in OSM syntax, also used for its France Travail file
  (same columns minus phone, website, e-mail and SIRET).

The pivot (``type`` / ``tag_string`` / ``categorie``) is mapped to Annex 1
by ``mappings/dila.csv``, shared by the three.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    commune_postcode,
    drop_postal_box,
    first_json_object,
    has_columns,
    is_postal_box,
    locate,
    place_fields,
    read_json_lines,
    same_commune,
    same_place,
    split_postal_tail,
    strip_cedex,
    to_float,
    unreadable,
)
from annuaire.model import Issue, RawRow

_ID = re.compile(r"^(?P<pivot>[a-z_]+)-(?P<insee>\d[0-9AB]\d{3})-(?P<n>\d+)$")


def _insee_from_id(value: str | None) -> str | None:
    m = _ID.match(value or "")
    return m.group("insee") if m else None


def _name_2019(name: str) -> str:
    """'Mairie - Ally 15003-01' → 'Mairie - Ally'."""
    return re.sub(r"\s+\d[0-9AB]\d{3}-\d+\s*$", "", name or "").strip()


class Dila2016Importer(Importer):
    name = "dila-2016"
    title = "Annuaire de l’administration (DILA), export JSON de février 2016"
    provider_key = "dila-2016"
    mapping_name = "dila"

    def sniff(self, path) -> bool:
        obj = first_json_object(path)
        return (
            bool(obj) and {"codeinsee", "type", "nom"} <= set(obj) and ("writeAddress" in obj or "editeursource" in obj)
        )

    def read(self, path) -> Iterator[RawRow | Issue]:
        for n, o in read_json_lines(path):
            origin = self.origin(path, n)
            if o is None:
                yield unreadable(origin)
                continue
            pivot = o.get("type") or ""
            typology, issue = self.mapped(pivot, None, origin, "type")
            if issue:
                yield issue
                continue
            insee = o.get("codeinsee")
            lat, lon = to_float(o.get("latitude")), to_float(o.get("longitude"))
            wa = o.get("writeAddress") or {}
            commune = locate(insee, strip_cedex(wa.get("addressLocality")), wa.get("postalCode"), lat, lon)
            street = complement = None
            postcode = wa.get("postalCode")
            geo = o.get("geo") or {}
            searched = geo.get("address_searched")
            s_street, s_cp, s_city = split_postal_tail(searched)
            if (
                s_street
                and s_city
                and commune
                and (same_place(s_city, s_cp, commune) or geo.get("insee_comm") == commune.insee)
            ):
                # The geocoded address is the place itself (see module docstring).
                street, postcode = drop_postal_box(s_street), s_cp or postcode
            else:
                lines = [l for l in wa.get("streetAddress") or () if l and not is_postal_box(l)]
                if commune is None or same_place(wa.get("addressLocality"), wa.get("postalCode"), commune):
                    street = lines[0] if lines else None
                    complement = " – ".join(lines[1:]) or None
                # else: the only address is a mail address in another commune: none printed.
            if commune and postcode and (postcode not in commune.postcodes):
                postcode = commune_postcode(commune, postcode)
            websites = list(o.get("website") or [])
            email = o.get("contact_email")
            if email and "@" not in email:
                # A contact-form URL filed as the e-mail: it is a web address.
                if re.match(r"(?i)^(https?://|www\.)", email.strip()) and not websites:
                    websites.append(email.strip())
                email = None
            fields = {
                "nom": o.get("nom"),
                "typologie": typology,
                "adresse": street,
                "complement": complement,
                "code_postal": postcode,
                "commune": commune.name if commune else strip_cedex(wa.get("addressLocality")),
                "code_insee": commune.insee if commune else insee,
                "telephone": o.get("contact_phone"),
                "courriel": email,
                "site_web": websites[0] if websites else None,
                "description": o.get("commentaire"),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "nom",
                    "typologie": "type",
                    "adresse": "writeAddress.streetAddress",
                    "code_postal": "writeAddress.postalCode",
                    "commune": "codeinsee",
                    "code_insee": "codeinsee",
                    "telephone": "contact_phone",
                    "courriel": "contact_email",
                    "site_web": "website",
                    "description": "commentaire",
                    "latitude": "latitude",
                    "longitude": "longitude",
                },
                ids=(("dila", o.get("id")),),
                category=pivot,
            )


_NOTES = re.compile(r"Adresse\s*:\s*(?P<addr>[^|]*)")
_TEL = re.compile(r"T[ée]l\s*:\s*(?P<tel>[^|]*)")


def parse_notes(notes: str) -> tuple[str | None, str | None, str | None, str | None]:
    """'Adresse : Le Bourg, 3460, Aubigny | Tél : 04 … | Fax : …'
    → ('Le Bourg', '03460', 'Aubigny', '04 …').  The postal code is the last
    comma-separated part made of 4-5 digits; a 4-digit one lost its zero."""
    street = cp = city = tel = None
    m = _NOTES.search(notes or "")
    if m:
        parts = [p.strip() for p in m.group("addr").split(",")]
        idx = max((i for i, p in enumerate(parts) if re.fullmatch(r"\d{4,5}", p)), default=None)
        if idx is not None:
            cp = parts[idx].zfill(5)
            street = ", ".join(p for p in parts[:idx] if p) or None
            city = ", ".join(p for p in parts[idx + 1 :] if p) or None
        else:
            street = ", ".join(p for p in parts if p) or None
    t = _TEL.search(notes or "")
    if t:
        tel = t.group("tel").strip() or None
    return street, cp, city, tel


def split_phone(text: str | None) -> tuple[str | None, str | None]:
    """'04 70 02 52 70 / appeler le 17 en cas d'urgence' → the number, and
    the words after it as a note (gendarmerie rows carry this advice)."""
    if not text:
        return None, None
    m = re.match(r"^\s*(\+?[\d .\u00a0-]{4,}\d)\s*(?:[/,;–-]\s*)?(.*)$", text)
    if not m or not m.group(2).strip():
        return text, None
    note = m.group(2).strip()
    return m.group(1).strip(), note[:1].upper() + note[1:] + ("" if note.endswith(".") else ".")


class Dila2019Importer(Importer):
    name = "dila-2019"
    title = "Annuaire de l’administration (DILA), extraction madada de 2019"
    provider_key = "dila-2019"
    mapping_name = "dila"

    def sniff(self, path) -> bool:
        return has_columns(path, ",", ("#id", "name", "request_email", "notes", "tag_string"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ","):
            typology, issue = self.mapped(v.get("tag_string", "").strip(), None, origin, "tag_string")
            if issue:
                yield issue
                continue
            street, cp, city, tel = parse_notes(v.get("notes", ""))
            tel, note = split_phone(tel)
            insee = _insee_from_id(v.get("#id"))
            commune = locate(insee, city, cp)
            fields = {
                "nom": _name_2019(v.get("name", "")),
                "typologie": typology,
                "adresse": drop_postal_box(street) if street and not is_postal_box(street) else None,
                **place_fields(commune, cp, strip_cedex(city), insee),
                "telephone": tel,
                "courriel": v.get("request_email"),
                "site_web": v.get("home_page"),
                "description": note,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "name",
                    "typologie": "tag_string",
                    "adresse": "notes",
                    "code_postal": "notes",
                    "commune": "notes",
                    "code_insee": "#id",
                    "telephone": "notes",
                    "courriel": "request_email",
                    "site_web": "home_page",
                },
                ids=(("dila", v.get("#id")),),
                category=v.get("tag_string", "").strip(),
            )


class Dila2025Importer(Importer):
    name = "dila-2025"
    title = "Annuaire de l’administration (DILA), export OSM d’août 2025 (services publics, France Travail)"
    provider_key = "dila-2025"
    mapping_name = "dila"

    def sniff(self, path) -> bool:
        return has_columns(path, ",", ("categorie", "official_name", "address_txt", "opening_hours", "insee"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ","):
            typology, issue = self.mapped(v.get("categorie", "").strip(), None, origin, "categorie")
            if issue:
                yield issue
                continue
            lat, lon = to_float(v.get("latitude")), to_float(v.get("longitude"))
            street, cp, city = split_postal_tail(v.get("address_txt"))
            commune = locate(v.get("insee"), city, cp, lat, lon)
            if city and commune and not same_commune(city, commune):
                # The INSEE code can be the commune the service covers, not where it
                # is (CIO Moulins-Yzeure: 03254 with an address in Yzeure): the
                # address tells where to go.
                at = locate(None, city, cp, lat, lon)
                if at and at.insee != commune.insee:
                    yield Issue.at(
                        "warning",
                        "commune-adresse",
                        f"Le code INSEE {v.get('insee')} ({commune.name}) ne correspond pas à la "
                        f"commune de l’adresse ({at.name}) : la commune de l’adresse est retenue.",
                        origin,
                        "insee",
                        v.get("insee"),
                    )
                    commune = at
            upd = None
            m = re.fullmatch(r"(\d{2})/(\d{4})", (v.get("millesime") or "").strip())
            if m:
                upd = date(int(m.group(2)), int(m.group(1)), 1)
            fields = {
                "nom": v.get("official_name"),
                "typologie": typology,
                "adresse": drop_postal_box(street),
                **place_fields(commune, cp, strip_cedex(city), v.get("insee")),
                "telephone": v.get("contact:phone"),
                "courriel": v.get("contact:email"),
                "site_web": v.get("contact:website"),
                "horaires": v.get("opening_hours"),
                "latitude": lat,
                "longitude": lon,
                "mise_a_jour": upd,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "official_name",
                    "typologie": "categorie",
                    "adresse": "address_txt",
                    "code_postal": "address_txt",
                    "commune": "address_txt",
                    "code_insee": "insee",
                    "telephone": "contact:phone",
                    "courriel": "contact:email",
                    "site_web": "contact:website",
                    "horaires": "opening_hours",
                    "latitude": "latitude",
                    "longitude": "longitude",
                },
                ids=(("siret", v.get("ref:FR:SIRET")), ("dila", v.get("id"))),
                category=v.get("categorie", "").strip(),
            )
