"""Preflight speed on a built directory: wall and CPU seconds, one and two processes.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_e2e.py ...     # or any build, e.g.:
    .venv/bin/annuaire build --theme tout big.xlsx --out /tmp/big.pdf --sans-controle
    .venv/bin/python benchmarks/bench_preflight.py /tmp/big.pdf [--rounds 3] [--pikepdf]

For ``jobs=1`` and ``jobs=2`` it runs ``preflight(path, bleed_mm=3, jobs=…)``
``--rounds`` times in this process and prints, per round, the wall time and
the user CPU seconds of this process and of its children (the forked helper),
then the best round of each.  CPU seconds are the fair figure on a busy
machine.  ``--pikepdf`` also times ``jobs=1`` with every page read by
pikepdf (the fast reader turned off; the walker is otherwise today's) and
checks that all the reports are the same.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annuaire.preflight import content, preflight  # noqa: E402


def _cpu() -> tuple[float, float]:
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_utime,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime,
    )


def run(path: Path, jobs: int, rounds: int, label: str) -> dict:
    best = None
    report = None
    for _ in range(rounds):
        before = _cpu()
        started = time.perf_counter()
        report = preflight(path, bleed_mm=3, jobs=jobs)
        wall = time.perf_counter() - started
        after = _cpu()
        own, children = after[0] - before[0], after[1] - before[1]
        print(f"{label} jobs={jobs}: wall {wall:.2f} s, user CPU {own:.2f} s + children {children:.2f} s")
        if best is None or wall < best[0]:
            best = (wall, own, children)
    assert best is not None and report is not None
    print(f"{label} jobs={jobs} best: wall {best[0]:.2f} s, user CPU {best[1] + best[2]:.2f} s, {report.pages} pages")
    data = report.as_dict()
    data.pop("seconds", None)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pikepdf", action="store_true", help="also time pikepdf alone and compare the reports")
    args = parser.parse_args()
    reports = [run(args.pdf, jobs, args.rounds, "fast reader") for jobs in (1, 2)]
    if args.pikepdf:
        content._fast_page = lambda page_obj, reader: None  # every page read by pikepdf
        reports += [run(args.pdf, 1, args.rounds, "pikepdf only")]
    same = all(r == reports[0] for r in reports)
    print("same reports" if same else "REPORTS DIFFER")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
