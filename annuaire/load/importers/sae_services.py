"""SAE 2023 (DREES), bordereaux URGENCES, PERINAT and SMURSAMU: what a
hospital offers, printed with the hospital's own entry, never as entries.

The three files (``../shared/data/SOURCES.md`` §26) are keyed by ``FI``, the
FINESS géographique of the site, with ``FI_EJ`` the FINESS juridique of its
legal body; ``RS`` is an abbreviated name.  No address, no position: each row
becomes a *supplement* (``RawRow.annotates = "finess"``) that
:mod:`annuaire.check.supplements` joins to the entry sharing its FINESS
géographique (from FINESS or the SAE bordereau ID), or, failing that, the
FINESS juridique when that number is the entry's own.  What each row says
(its category in ``mappings/sae-services.csv``, which holds the printed phrase):

* URGENCES: ``AUTGEN`` 1 = general emergency department, ``AUTPED`` 1 =
  paediatric, ``AUTSAIS`` 1 = seasonal only.  An authorised emergency unit
  receives patients at all hours (Code de la santé publique, art. R.6123-18),
  hence « Urgences 24 h/24 »; a seasonal one is said seasonal.
* PERINAT: ``AUTOR`` TYPE1 / TYPE2A / TYPE2B / TYPE3 = the maternity's level,
  CPPR = centre périnatal de proximité (consultations, no delivery); empty =
  no authorisation (nothing printed).
* SMURSAMU: ``SMUR`` 1 = mobile emergency unit, ``SAMU`` 1 = the
  département's SAMU (centre 15).
"""

from __future__ import annotations

import re
from typing import Iterator

from annuaire.load.importers.base import Importer, code_text, has_columns
from annuaire.load.importers.finess import clean_name
from annuaire.model import Issue, RawRow


def _yes(value: str | None) -> bool:
    return (value or "").strip() == "1"


def urgences(v: dict[str, str]) -> list[str]:
    """The category of ``mappings/sae-services.csv`` an URGENCES row is under."""
    general, paediatric = _yes(v.get("AUTGEN")), _yes(v.get("AUTPED"))
    if general and paediatric:
        return ["URGENCES AUTGEN AUTPED"]
    if general:
        return ["URGENCES AUTGEN"]
    if paediatric:
        return ["URGENCES AUTPED"]
    if _yes(v.get("AUTSAIS")):
        return ["URGENCES AUTSAIS"]
    return ["URGENCES AUTSU"] if _yes(v.get("AUTSU")) else []


def perinatalite(v: dict[str, str]) -> list[str]:
    level = (v.get("AUTOR") or "").strip().upper().replace(" ", "")
    return [f"PERINAT {level}"] if level else []


def smur_samu(v: dict[str, str]) -> list[str]:
    return [f"SMURSAMU {k}" for k in ("SAMU", "SMUR") if _yes(v.get(k))]


class _SaeServices(Importer):
    """One bordereau; subclasses say which columns identify it and what a row offers."""

    provider_key = "sae-services"
    mapping_name = "sae-services"
    columns: tuple[str, ...] = ()
    column: str = ""  # the column the printed service comes from, for messages

    def sniff(self, path) -> bool:
        return has_columns(path, ";", ("BOR", "FI", "RS", "FI_EJ", *self.columns))

    def services(self, v: dict[str, str]) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def read(self, path) -> Iterator[RawRow | Issue]:
        table = self.mapping
        for origin, v in self.records(path, ";", encoding="latin-1"):
            cats = self.services(v)
            unknown = [c for c in cats if not table.code(c)]
            if unknown:
                # A level the table does not know (a new reform): said, not guessed.
                yield table.issue(unknown[0], None, origin, self.column)
                continue
            fields = {"nom": clean_name(v.get("RS")), "typologie": "SA02"}
            yield self.row(
                origin,
                fields,
                {"nom": "RS", "typologie": "BOR"},
                ids=(("finess", code_text(v.get("FI"), 9)), ("finess_ej", code_text(v.get("FI_EJ"), 9))),
                # 'de type 2' stays on one line.
                services=[re.sub(r"\btype (\w)", "type\u00a0\\1", table.rows[c].label) for c in cats],
                annotates="finess",
            )


class SaeUrgencesImporter(_SaeServices):
    name = "sae-urgences"
    title = "SAE 2023 (DREES) – services d’urgences, bordereau URGENCES"
    columns = ("AUTGEN", "AUTPED")
    column = "AUTGEN"

    def services(self, v):
        return urgences(v)


class SaePerinataliteImporter(_SaeServices):
    name = "sae-perinatalite"
    title = "SAE 2023 (DREES) – maternités, bordereau PERINAT"
    columns = ("AUTOR", "ACCUN")
    column = "AUTOR"

    def services(self, v):
        return perinatalite(v)


class SaeSmurSamuImporter(_SaeServices):
    name = "sae-smur-samu"
    title = "SAE 2023 (DREES) – SMUR et SAMU, bordereau SMURSAMU"
    columns = ("SMUR", "SAMU")
    column = "SMUR"

    def services(self, v):
        return smur_samu(v)
