"""The JSON report (a contract other tools rely on) and the French summaries.

JSON shape::

    {"rows_read", "printed", "rejected", "duplicates", "out_of_scope", "withdrawn",
     "pages" (build only), "timings" (build only: seconds per stage), "issues": [{"severity", "code", "file", "sheet",
     "row", "column", "value", "message"}], "merges": [...]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Sequence

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
