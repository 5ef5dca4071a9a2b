"""Speed of the merge stage alone, on real national files or a generated workbook.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_merge.py ../shared/data/*.csv ../shared/data/*.jsonl …
    .venv/bin/python benchmarks/bench_merge.py --rows 20000 --rows 100000
    .venv/bin/python benchmarks/bench_merge.py --rows 20000 --against 6b6199b

It reads and validates the inputs once (the files given, or the xlsx that
``bench_e2e.py`` writes for N rows: 30 typologies, Puy-de-Dôme communes), then
times ``merge`` in CPU seconds (best of --repeat), with the rows merged, the
warnings and the name comparisons made.  ``--against REV`` also times the
``annuaire/check/merge.py`` of that git revision on the same entries, for a
before/after figure in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def module_at(rev: str):
    """annuaire/check/merge.py as it was at a git revision."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:annuaire/check/merge.py"], check=True, capture_output=True, text=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / f"merge_{rev}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"merge_{rev}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def time_merge(module, entries, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        if hasattr(module, "name_key") and hasattr(module.name_key, "cache_clear"):
            module.name_key.cache_clear()
        started = time.process_time()
        result = module.merge(entries)
        best = min(best, time.process_time() - started)
    return best, result


def main() -> None:
    from annuaire import load
    from annuaire.check import merge, validate

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--rows", type=int, action="append", default=[])
    ap.add_argument("--against", help="git revision whose merge is timed too")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    inputs: list[tuple[str, list[Path]]] = []
    if args.paths:
        inputs.append((f"{len(args.paths)} fichiers", args.paths))
    tmp = Path(tempfile.mkdtemp())
    for n in args.rows:
        from bench_e2e import write_xlsx

        path = tmp / f"rows-{n}.xlsx"
        write_xlsx(n, path)
        inputs.append((f"{n} lignes générées", [path]))
    modules = [("actuel", merge)] + ([(args.against, module_at(args.against))] if args.against else [])

    print(
        f"{'données':<22} {'version':<10} {'entrées':>8} {'CPU s':>7} {'fusionnées':>10} "
        f"{'alertes':>8} {'comparaisons':>13}"
    )
    for label, paths in inputs:
        entries = validate.validate_rows(load.read_paths(paths).rows).entries
        for name, module in modules:
            seconds, result = time_merge(module, entries, args.repeat)
            comparisons = getattr(result, "comparisons", None)
            print(
                f"{label:<22} {name:<10} {len(entries):>8} {seconds:>7.2f} "
                f"{result.duplicates:>10} {len(result.issues):>8} "
                f"{comparisons if comparisons is not None else '—':>13}"
            )


if __name__ == "__main__":
    main()
