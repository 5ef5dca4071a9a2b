"""SNCF Gares & Connexions passenger stations.

UTF-8 with BOM, ``;``; the position is one "lat, lon" string; nationally
some fields join several values with ``;`` inside quotes ("A;A",
"87271494;87001479").  Two ``Code commune`` values are pre-merger codes
(Pers 15150, Pontmort 63068): the gazetteer follows them when it knows
the merger, else validation reports the code.  ODbL data: the licence is
carried by the provider and printed in the colophon.
"""

from __future__ import annotations

from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    code_text,
    has_columns,
    latlon_pair,
    locate,
    place_fields,
)
from annuaire.load.importers.laposte import of
from annuaire.model import Issue, RawRow


class GaresImporter(Importer):
    name = "gares"
    title = "Gares de voyageurs (SNCF Gares & Connexions)"
    provider_key = "gares"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("Nom", "Trigramme", "Position géographique", "Code commune"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        for origin, v in self.records(path, ";"):
            segment = (v.get("Segment(s) DRG") or "").split(";")[0].strip()
            typology, issue = self.mapped(segment, None, origin, "Segment(s) DRG")
            if issue:
                yield issue
                continue
            lat, lon = latlon_pair(v.get("Position géographique"))
            insee = code_text(v.get("Code commune"), 5)
            commune = locate(insee, None, None, lat, lon)  # old codes: the position decides
            station = (v.get("Nom") or "").strip()
            uics = [u.strip() for u in (v.get("Code(s) UIC") or "").split(";") if u.strip()]
            fields = {
                "nom": f"Gare {of(station)}" if station else None,
                "typologie": typology,
                **place_fields(commune, None, None, insee),
                "latitude": lat,
                "longitude": lon,
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "Nom",
                    "typologie": "Segment(s) DRG",
                    "commune": "Code commune",
                    "code_insee": "Code commune",
                    "latitude": "Position géographique",
                    "longitude": "Position géographique",
                },
                ids=tuple(("uic", u) for u in uics) + (("sncf", v.get("Trigramme")),),
            )
