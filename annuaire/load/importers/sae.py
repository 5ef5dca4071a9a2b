"""SAE 2023, bordereau ID (DREES): identification of health establishments.

ISO-8859-1 (Latin-1), ``;``, no quoting.  ``fi`` is the FINESS géographique
(the same number as in FINESS, so merge can fold the two), ``sir`` the
SIRET, ``cat`` the FINESS category (mapped with ``mappings/finess.csv``).
The address is split into ``NUMVOI``/``TYPVOI`` (abbreviated: R, AV, BD)/
``NOMVOI``; a few rows have only a lieu-dit or a postal box in ``BP``.
``LIBCOM`` is the routing line, often ``… CEDEX``, with a CEDEX code in
``CPO``: the commune comes from ``COMINSEE``.  No phone, no position.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from annuaire.load.importers.base import (
    Importer,
    code_text,
    drop_postal_box,
    has_columns,
    is_postal_box,
    locate,
    place_fields,
    smart_title,
    street,
)
from annuaire.load.importers.finess import clean_name, siret_kind
from annuaire.model import Issue, RawRow


class SaeImporter(Importer):
    name = "sae"
    title = "SAE 2023 (DREES) – établissements de santé, bordereau ID"
    provider_key = "sae"
    mapping_name = "finess"

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("bor", "fi", "rs", "cat", "COMINSEE", "NOMVOI"))

    def read(self, path) -> Iterator[RawRow | Issue]:
        records = list(self.records(path, ";", encoding="latin-1"))
        siret_count = Counter(code_text(v.get("sir")) for _, v in records)
        for origin, v in records:
            cat = code_text(v.get("cat"), 3) or ""
            typology, issue = self.mapped(cat, None, origin, "cat")
            if issue:
                yield issue
                continue
            insee = code_text(v.get("COMINSEE"), 5)
            cp = code_text(v.get("CPO"), 5)
            commune = locate(insee, v.get("NOMCOM"), cp)
            addr = street(v.get("NUMVOI"), v.get("TYPVOI"), v.get("NOMVOI"))
            bp = (v.get("BP") or "").strip()
            complement = None
            if bp:
                rest = drop_postal_box(bp) if is_postal_box(bp) or "BP" in bp.upper() else bp
                # 'BP 35 03103 MONTLUÇON CEDEX' leaves only routing words: drop them.
                if rest and not any(ch.isdigit() for ch in rest) and "CEDEX" not in rest.upper():
                    if addr:
                        complement = smart_title(rest)
                    else:
                        addr = smart_title(rest)
            fields = {
                "nom": clean_name(v.get("rs")),
                "typologie": typology,
                "adresse": addr,
                "complement": complement,
                **place_fields(commune, cp, smart_title(v.get("NOMCOM")), insee),
            }
            yield self.row(
                origin,
                fields,
                {
                    "nom": "rs",
                    "typologie": "cat",
                    "adresse": "NOMVOI",
                    "complement": "BP",
                    "code_postal": "CPO",
                    "commune": "NOMCOM",
                    "code_insee": "COMINSEE",
                },
                ids=(
                    ("finess", code_text(v.get("fi"), 9)),
                    (siret_kind(code_text(v.get("sir")), siret_count), code_text(v.get("sir"))),
                ),
            )
