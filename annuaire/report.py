"""The JSON report (a contract other tools rely on) and the French summaries.

JSON shape::

    {"rows_read", "printed", "rejected", "duplicates", "out_of_scope", "withdrawn",
     "pages" (build only), "timings" (build only: seconds per stage), "issues": [{"severity", "code", "file", "sheet",
     "row", "column", "value", "message"}], "merges": [...],
     "anciennes" (build and validate): {"months", "reference_date", "count", "sources": [{"source",
     "count", "entries": [{"file", "sheet", "row", "name", "typology", "typology_label", "commune",
     "date", "source", "rows": [{"file", "sheet", "row"}, ...]}]}]}}

``anciennes`` lists the printed entries whose information is older than the
threshold (``--anciennete-max``, 24 months by default) at the reference date
(the edition date for build, ``--date`` or today for validate), grouped by
source, for an editor to check before printing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from annuaire.check.freshness import OldEntry
from annuaire.model import Counts, Issue, Merge
from annuaire.text import french

NNBSP = "\u202f"  # thousands separator in terminal output (not printed in PDFs)


def report_dict(
    counts: Counts,
    issues: Sequence[Issue],
    merges: Sequence[Merge] = (),
    pages: int | None = None,
    preflight: dict | None = None,
    timings: Sequence[tuple[str, float]] = (),
    old: dict | None = None,
) -> dict:
    data: dict = {
        "rows_read": counts.rows_read,
        "printed": counts.printed,
        "rejected": counts.rejected,
        "duplicates": counts.duplicates,
        "out_of_scope": counts.out_of_scope,
        "withdrawn": counts.withdrawn,
    }
    if pages is not None:
        data["pages"] = pages
    data["issues"] = [i.as_dict() for i in issues]
    if preflight is not None:
        data["preflight"] = preflight
    if timings:
        # Wall seconds per stage (read, validate, merge, select, layout+render,
        # preflight): what benchmarks/bench_e2e.py reads.
        data["timings"] = {stage: round(seconds, 3) for stage, seconds in timings}
    if old is not None:
        data["anciennes"] = old
    data["merges"] = [
        {
            "kept": m.kept,
            "reason": m.reason,
            "rows": [{"file": o.file, "sheet": o.sheet, "row": o.row} for o in m.merged],
        }
        for m in merges
    ]
    return data


def write_report(path: Path, data: dict) -> None:
    """Write the JSON report atomically (see :mod:`annuaire.output`)."""
    from annuaire import output

    output.write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def n(value: int) -> str:
    """French thousands on the terminal: 12 345 (narrow no-break space)."""
    return french.number_fr(value, NNBSP)


def plural(count: int, one: str, many: str) -> str:
    return french.plural(count, one, many, NNBSP)


def counts_fr(counts: Counts) -> str:
    return (
        f"{plural(counts.rows_read, 'ligne lue', 'lignes lues')} : "
        f"{plural(counts.printed, 'imprimée', 'imprimées')}, "
        f"{plural(counts.rejected, 'rejetée', 'rejetées')}, "
        f"{plural(counts.duplicates, 'doublon fusionné', 'doublons fusionnés')}, "
        f"{n(counts.out_of_scope)} hors thème ou hors territoire, "
        f"{plural(counts.withdrawn, 'retirée', 'retirées')} (remplacée{'s' if counts.withdrawn > 1 else ''} "
        "par une édition plus récente de leur source, ou EPCI dissoute)."
    )


def issues_fr(issues: Iterable[Issue], limit: int | None = None) -> list[str]:
    """One line per issue: 'ERREUR  fichier, feuille, ligne, colonne : message'."""
    lines = []
    for k, issue in enumerate(issues):
        if limit is not None and k >= limit:
            break
        tag = {"error": "ERREUR   ", "info": "INFO     "}.get(issue.severity, "ATTENTION")
        where = issue.location()
        lines.append(f"{tag} {where} : {issue.message}" if where else f"{tag} {issue.message}")
    return lines


def issue_totals_fr(issues: Sequence[Issue]) -> str:
    errors = sum(1 for i in issues if i.severity == "error")
    infos = sum(1 for i in issues if i.severity == "info")
    warnings = len(issues) - errors - infos
    text = f"{plural(errors, 'erreur', 'erreurs')}, {plural(warnings, 'avertissement', 'avertissements')}"
    return text + (f", {plural(infos, 'information', 'informations')}." if infos else ".")


def _by_source(old: Sequence[OldEntry]) -> dict[str, list[OldEntry]]:
    groups: dict[str, list[OldEntry]] = {}
    for o in old:
        groups.setdefault(o.source, []).append(o)
    # The biggest sources first: that is where the checking starts.
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def old_entries_dict(old: Sequence[OldEntry], months: int, reference: date) -> dict:
    """The ``anciennes`` part of the JSON report."""
    from annuaire.reference import taxonomy

    def item(o: OldEntry) -> dict:
        first = o.origins[0] if o.origins else None
        try:
            label = taxonomy.typology(o.typology).print_label
        except KeyError:
            label = o.typology
        return {
            "file": first.file if first else None,
            "sheet": first.sheet if first else None,
            "row": first.row if first else None,
            "name": o.name,
            "typology": o.typology,
            "typology_label": label,
            "commune": o.commune,
            "date": o.date.isoformat(),
            "source": o.source,
            "rows": [{"file": r.file, "sheet": r.sheet, "row": r.row} for r in o.origins],
        }

    return {
        "months": months,
        "reference_date": reference.isoformat(),
        "count": len(old),
        "sources": [
            {"source": source, "count": len(items), "entries": [item(o) for o in items]}
            for source, items in _by_source(old).items()
        ],
    }


def old_entries_fr(
    old: Sequence[OldEntry], months: int, reference: date, per_source: int = 3, printed: bool = True
) -> list[str]:
    """The console summary: the count, then per source its count and its first entries.

    ``printed`` False (validate): the entries are those an edition would print."""
    from annuaire.text.french import date_fr, years_fr

    def day(d: date) -> str:
        return date_fr(d, keep_year=True).replace("\u00a0", " ")

    def label(code: str) -> str:
        from annuaire.reference import taxonomy

        try:
            return taxonomy.typology(code).print_label
        except KeyError:
            return code

    one, many = ("fiche imprimée a", "fiches imprimées ont") if printed else ("fiche a", "fiches ont")
    if not old:
        none = "Aucune fiche imprimée n’a" if printed else "Aucune fiche n’a"
        return [f"{none} d’informations de plus de {years_fr(months)} (au {day(reference)})."]
    lines = [
        f"{plural(len(old), one, many)} des informations de plus de "
        f"{years_fr(months)} (au {day(reference)}), à vérifier avant impression :"
    ]
    for source, items in _by_source(old).items():
        lines.append(f"  {source} : {n(len(items))}")
        for o in items[:per_source]:
            where = o.origins[0].describe() if o.origins else ""
            lines.append(f"    {where} : {o.name} — {label(o.typology)}, {o.commune}, {day(o.date)}")
        if len(items) > per_source:
            lines.append(f"    … et {n(len(items) - per_source)} autres (liste complète : rapport JSON, « anciennes »)")
    return lines
