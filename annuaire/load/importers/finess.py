"""FINESS establishments as FHIR resources (``finess-fhir`` NDJSON).

One ``Organization`` line per établissement géographique, followed by its
``Location`` line (the position).  The converter kept the FINESS values
but the format is its own: the category is the ``CAT_ETAB`` coding of
``type``, the FINESS ET number the identifier of system
``urn:oid:1.2.250.1.71.4.2.2``, the SIRET the one of ``http://sirene.fr``; a SIRET that several establishments
share (a hospital and its EHPAD) is given as ``siret-partage`` so that
merge does not fold distinct places.

Quirks handled: CSV quote debris in names (EHPAD ""VILLA PAISIBLE"" in quotes),
the legal form in front of pharmacy names ('SELARL PHARMACIE MORIN'),
abbreviated street types ('16 R VOLTAIRE'), postal-box lines ('BP 609'),
and ``address.city`` being the routing line ('MOULINS CEDEX'): there is no
INSEE code, so the commune comes from the routing name when it names a
commune, else from the position.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    clean_quotes,
    expand_address,
    first_json_object,
    is_postal_box,
    locate,
    place_fields,
    read_json_lines,
    smart_title,
    strip_cedex,
    unreadable,
)
from annuaire.model import Issue, RawRow

CAT_ETAB = "http://finess.sante.gouv.fr/valuesets/CAT_ETAB"
FINESS_OID = "urn:oid:1.2.250.1.71.4.2.2"
SIRENE = "http://sirene.fr"

# Legal forms that open many FINESS names; the directory prints the
# establishment's name ('Pharmacie Morin'), not the company's.
_LEGAL = re.compile(r"^(?:SELARL|SELAS|SELAFA|SELURL|SELEURL|SARL|SAS|SASU|SNC|EURL|SCP|SPFPL|SA)\s+(?=\S)")


def clean_name(raw: str | None) -> str | None:
    name = clean_quotes(raw)
    if not name:
        return None
    name = _LEGAL.sub("", name).strip()
    return smart_title(name)


def siret_kind(siret: str | None, counts: Counter) -> str:
    """'siret' when the number belongs to this establishment only, else
    'siret-partage' (kept for reference, not an identity of the place)."""
    return "siret" if siret and counts[siret] == 1 else "siret-partage"


def category(org: dict) -> tuple[str | None, str | None]:
    for t in org.get("type") or ():
        for c in t.get("coding") or ():
            if c.get("system") == CAT_ETAB:
                return c.get("code"), c.get("display")
    return None, None


def identifiers(org: dict) -> tuple[str | None, str | None]:
    finess = siret = None
    for ident in org.get("identifier") or ():
        if ident.get("system") == FINESS_OID:
            finess = ident.get("value")
        elif ident.get("system") == SIRENE:
            siret = ident.get("value")
    if not finess and "-" in str(org.get("id", "")):
        finess = str(org["id"]).split("-")[1]
    return finess, siret


class FinessImporter(Importer):
    name = "finess"
    title = "FINESS – établissements sanitaires et sociaux (FHIR)"
    provider_key = "finess"

    def sniff(self, path) -> bool:
        obj = first_json_object(path)
        if not obj or obj.get("resourceType") not in ("Organization", "Location"):
            return False
        text = str(obj)
        return FINESS_OID in text or "finess" in text.lower()

    def read(self, path) -> Iterator[RawRow | Issue]:
        orgs: list[tuple[int, dict]] = []
        positions: dict[str, tuple[float, float]] = {}
        for n, obj in read_json_lines(path):
            if obj is None:
                yield unreadable(self.origin(path, n))
                continue
            kind = obj.get("resourceType")
            if kind == "Organization":
                orgs.append((n, obj))
            elif kind == "Location":
                ref = (obj.get("managingOrganization") or {}).get("reference", "")
                pos = obj.get("position") or {}
                if ref and pos.get("latitude") is not None:
                    positions[ref.split("/", 1)[-1]] = (pos["latitude"], pos["longitude"])
        # A SIRET shared by several FINESS establishments (a hospital and its EHPAD,
        # an association's homes) does not name one place: merge must not fold them.
        siret_count = Counter(identifiers(o)[1] for _, o in orgs)
        for n, org in orgs:
            origin = self.origin(path, n)
            code, label = category(org)
            typology, issue = self.mapped(code or "", label, origin, "type (CAT_ETAB)")
            if issue:
                yield issue
                continue
            finess, siret = identifiers(org)
            lat, lon = positions.get(org.get("id", ""), (None, None))
            addr = (org.get("address") or [{}])[0]
            lines = [l for l in (addr.get("line") or []) if l and l.strip()]
            visit = [l for l in lines if not is_postal_box(l)]
            city = addr.get("city")
            postcode = addr.get("postalCode")
            commune = locate(None, city, postcode, lat, lon)
            phones = [t.get("value") for t in org.get("telecom") or () if t.get("system") == "phone"]
            fields = {
                "nom": clean_name(org.get("name")),
                "typologie": typology,
                "adresse": expand_address(visit[0]) if visit else None,
                "complement": " – ".join(expand_address(l) for l in visit[1:]) or None,
                **place_fields(commune, postcode, smart_title(strip_cedex(city)), None),
                "telephone": phones[0] if phones else None,
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "name",
                    "typologie": "type (CAT_ETAB)",
                    "adresse": "address.line",
                    "code_postal": "address.postalCode",
                    "commune": "address.city",
                    "telephone": "telecom",
                    "latitude": "Location.position",
                    "longitude": "Location.position",
                },
                ids=(("finess", finess), (siret_kind(siret, siret_count), siret)),
                category=code or "",
            )
