"""Importers of national open datasets, chosen by content.

``detect(path)`` reads the start of a file (its header line, or the keys
of its first JSON object) and returns the importer that knows it, or None
for anything else (a contributor's spreadsheet).  The file name is never
used: people rename downloads.  ``load.read_paths`` calls ``detect`` first.

    >>> imp = detect("finess_fhir_20210108_auvergne.ndjson")
    >>> imp.name, imp.title
    ('finess', 'FINESS – établissements sanitaires et sociaux (FHIR)')
    >>> for item in imp.read(path): ...   # RawRow, or Issue for a rejected row

Each importer sets ``RawRow.provider`` (see ``annuaire.reference.sources``) and the
identifiers the dataset has (``('finess', …)``, ``('siret', …)``,
``('uai', …)``) so that merge can fold the same service from two sources.
A row whose category maps to no Annex 1 typology is replaced by one error
``categorie-non-prise-en-charge`` (see ``base.MappingTable``).
"""

from __future__ import annotations

from pathlib import Path

from annuaire.errors import UnusableInput
from annuaire.load.importers.base import UNMAPPED, Importer, MappingTable, mapping
from annuaire.load.importers.culture import BibliothequesImporter, CinemasImporter, MuseesImporter
from annuaire.load.importers.dila import Dila2016Importer, Dila2019Importer, Dila2025Importer
from annuaire.load.importers.education import CollegesImporter, EcolesImporter, LyceesImporter
from annuaire.load.importers.finess import FinessImporter
from annuaire.load.importers.france_services import FranceServicesImporter
from annuaire.load.importers.gares import GaresImporter
from annuaire.load.importers.gtfs import GtfsRoutesImporter, GtfsStopsImporter
from annuaire.load.importers.laposte import LaPosteImporter
from annuaire.load.importers.open_places import CovoiturageImporter, EsrImporter, JardinsImporter
from annuaire.load.importers.parcoursup import ParcoursupImporter
from annuaire.load.importers.sae import SaeImporter
from annuaire.load.importers.sae_services import SaePerinataliteImporter, SaeSmurSamuImporter, SaeUrgencesImporter

__all__ = ["FORMATS", "Importer", "MappingTable", "UNMAPPED", "detect", "get", "lookalike", "mapping"]

FORMATS: dict[str, Importer] = {
    imp.name: imp
    for imp in (
        FinessImporter(),
        SaeImporter(),
        Dila2016Importer(),
        Dila2019Importer(),
        Dila2025Importer(),
        FranceServicesImporter(),
        LaPosteImporter(),
        CollegesImporter(),
        EcolesImporter(),
        LyceesImporter(),
        BibliothequesImporter(),
        MuseesImporter(),
        CinemasImporter(),
        GaresImporter(),
        JardinsImporter(),
        EsrImporter(),
        CovoiturageImporter(),
        ParcoursupImporter(),
        SaeUrgencesImporter(),
        SaePerinataliteImporter(),
        SaeSmurSamuImporter(),
        GtfsStopsImporter(),
        GtfsRoutesImporter(),
    )
}


def detect(path: str | Path) -> Importer | None:
    """The importer whose format this file has, judged by its content; None
    for a file that looks like a known dataset but lacks its key columns
    (see :func:`lookalike`)."""
    p = Path(path)
    if not p.is_file():
        return None
    for imp in FORMATS.values():
        try:
            if imp.sniff(p) and not imp.missing_columns(p):
                return imp
        except (OSError, ValueError, UnicodeDecodeError):
            continue
    return None


def lookalike(path: str | Path) -> tuple[Importer, tuple[str, ...]] | None:
    """(importer, missing key columns) for a file that looks like a known
    dataset (another edition) without the columns its reader needs."""
    p = Path(path)
    if not p.is_file():
        return None
    for imp in FORMATS.values():
        try:
            if imp.sniff(p):
                missing = imp.missing_columns(p)
                if missing:
                    return imp, missing
        except (OSError, ValueError, UnicodeDecodeError):
            continue
    return None


def get(name: str) -> Importer:
    """The importer for a FORMAT given on the command line ('finess', …)."""
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise UnusableInput(f"Format de jeu de données inconnu : « {name} ». Formats connus : {known}.") from None
