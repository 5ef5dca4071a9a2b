"""The coverage report (`annuaire couverture`): what an edition lacks before it is printed.

Pure data: :func:`analyse` turns the entries a build would print into a
frozen :class:`Coverage` (counts per Annex 1 typology, communes without a
mairie, old entries by source, distances to the nearest service per commune);
:mod:`.outlines` gives the commune outlines and points in Lambert-93.  The
drawing is in :mod:`annuaire.pdf.coverage`, the workbook in
:mod:`annuaire.workbooks.coverage`, the orchestration in
:func:`annuaire.pipeline.coverage`.
"""

from annuaire.coverage.analysis import (
    DEFAULT_TYPOLOGIES,
    MAIRIE,
    STALE_MONTHS,
    THRESHOLDS_KM,
    Access,
    CommuneAccess,
    Coverage,
    Place,
    Share,
    StaleEntry,
    StaleSource,
    TypologyCount,
    UnknownTypology,
    analyse,
    map_typologies,
)

__all__ = [
    "DEFAULT_TYPOLOGIES",
    "MAIRIE",
    "STALE_MONTHS",
    "THRESHOLDS_KM",
    "Access",
    "CommuneAccess",
    "Coverage",
    "Place",
    "Share",
    "StaleEntry",
    "StaleSource",
    "TypologyCount",
    "UnknownTypology",
    "analyse",
    "map_typologies",
]
