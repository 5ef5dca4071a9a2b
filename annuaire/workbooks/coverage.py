"""The coverage report as a workbook (`annuaire couverture -o bilan.xlsx`).

The same tables as the PDF, one sheet each: « Typologies » (entries and
communes per Annex 1 typology), « Mairies manquantes », « Données anciennes »
(every entry older than the period, with its source and the row it was read
from), « Distances » (per commune and chosen typology: services in the
commune, distance to the nearest one, which one) and « Population éloignée »
(shares beyond 5, 10 and 20 km).  Values are numbers or text, never formulas:
every string cell is stored as text (see :mod:`.cells`), so a service named
« =… » by a contributor stays a name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annuaire import output
from annuaire.coverage import Coverage
from annuaire.reference import taxonomy

from .cells import as_text


def sheets(cov: Coverage) -> list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
    """(sheet name, headers, rows) of every table, in order."""
    typ = (
        "Typologies",
        ("Code", "Typologie", "Thème", "Groupe", "Entrées", "Communes desservies"),
        [(t.code, t.label, taxonomy.theme(t.theme).label, t.group, t.entries, t.communes) for t in cov.typologies],
    )
    mairies = (
        "Mairies manquantes",
        ("Code INSEE", "Commune", "Population"),
        [(p.insee, p.name, p.population) for p in cov.missing_mairies],
    )
    stale = (
        "Données anciennes",
        ("Source", "Nom", "Code typologie", "Typologie", "Commune", "Mise à jour", "Ligne lue"),
        [
            (s.source, e.name, e.typology, taxonomy.typology(e.typology).print_label, e.commune, e.updated, e.origin)
            for s in cov.stale
            for e in s.entries
        ],
    )
    dist_rows = []
    for a in cov.access:
        for c in a.communes:
            km = round(c.distance_km, 2) if c.distance_km is not None else None
            edge = "oui" if c.near_edge else None
            dist_rows.append(
                (a.code, a.label, c.place.insee, c.place.name, c.place.population, c.services, km, c.nearest, edge)
            )
    dist = (
        "Distances",
        (
            "Code typologie",
            "Typologie",
            "Code INSEE",
            "Commune",
            "Population",
            "Services dans la commune",
            "Distance au plus proche (km)",
            "Service le plus proche",
            "Limite des données plus proche que ce service",
        ),
        dist_rows,
    )
    shares = (
        "Population éloignée",
        (
            "Code typologie",
            "Typologie",
            "Au-delà de (km)",
            "Communes",
            "Population",
            "Population des communes situées",
            "Part de la population",
        ),
        [
            (a.code, a.label, s.km, s.communes, s.population, a.population, round(s.share(a.population), 4))
            for a in cov.access
            for s in a.shares
        ],
    )
    return [typ, mairies, stale, dist, shares]


def write_coverage(cov: Coverage, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in sheets(cov):
        ws = wb.create_sheet(name)
        for col, h in enumerate(headers, start=1):
            ws.cell(row=1, column=col, value=h).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(col)].width = 14 if len(h) < 12 else 30
        for r, row in enumerate(rows, start=2):
            for col, v in enumerate(row, start=1):
                if v is None:
                    continue
                cell = ws.cell(row=r, column=col, value=v)
                if isinstance(v, str):
                    as_text(cell)
                    cell.number_format = "@"
                elif name == "Population éloignée" and col == 7:
                    cell.number_format = "0.0 %"
                elif hasattr(v, "isoformat"):
                    cell.number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    with output.replacing(path) as tmp:
        wb.save(tmp)
    return path
