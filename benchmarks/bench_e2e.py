"""End-to-end speed and memory: a user's xlsx through the real CLI, beside a naive build.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_e2e.py                      # 20,000 rows, reference included
    .venv/bin/python benchmarks/bench_e2e.py 20000 100000 --reference-max 20000
    .venv/bin/python benchmarks/bench_e2e.py 20000 --one-process   # also `build --jobs 1`
    .venv/bin/python benchmarks/bench_e2e.py --write-csv 200000 big.csv   # only write the rows, as CSV

For each size it writes an xlsx as a contributor's office suite would (ten text
columns: name, typology, address, postal code, commune, phone, e-mail, web site,
free-text hours, description; 30 typologies spread over the five themes; real
Puy-de-Dôme communes weighted by population), then, each in a fresh process:

- ``annuaire``: ``annuaire build --theme tout big.xlsx --out … --report …`` exactly
  as a user runs it (read, validate, merge, select, lay out and render, preflight);
  the stage times come from the report's ``timings``;
- ``naive``: ``benchmarks/naive_reference.py``, which reads the same xlsx with
  openpyxl and builds the same entries with ReportLab platypus ``multiBuild``, a
  ``TableOfContents`` and a ``SimpleIndex`` (no validation, no merge, no preflight).

Two peak-memory figures per run:

- ``max RSS`` (``os.wait4``'s ``ru_maxrss``): the largest resident size reached by
  *one* process, the CLI or any child it reaped (Linux reports the maximum over
  the process and its waited-for descendants, not their sum).  A forked child
  that shares the parent's pages counts them as its own, a second process that
  does not is simply left out: with two processes at work this figure says
  little about what the machine had to hold.  It also starts from the size of
  the process that started the run (Linux keeps the peak across ``exec``):
  the xlsx is written by another process, so this one stays small (~15 MB).
- ``tree PSS``: the peak, sampled every ``SAMPLE_SECONDS``, of the *sum* over the
  CLI process and all its live descendants of their proportional set size
  (``Pss`` in ``/proc/PID/smaps_rollup``): a page shared by n processes (the
  copy-on-write pages of a fork, the shared libraries) counts 1/n in each, so
  the sum counts every page once.  That is the memory the run needs.  A peak
  shorter than the sampling interval can be missed; file pages shared with
  processes outside the run (the Python binary and libraries of another
  Python program) are divided with them too, so a busy machine shows a few MB
  less; Linux only (elsewhere the column shows « – »).  The line also says when
  the peak was sampled (seconds after the start, about 1 s of imports before
  the first stage): with the stage times, which stage holds it.

The ratio is naive seconds / annuaire seconds on the same rows in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STREETS = [
    "rue de la République",
    "avenue de la Gare",
    "place de l'Église",
    "rue Pasteur",
    "boulevard Gambetta",
    "chemin des Écoliers",
    "rue du Docteur Roux",
    "allée des Tilleuls",
    "route de Clermont",
    "rue Jean Jaurès",
    "impasse des Lilas",
    "rue Saint-Exupéry",
]
SURNAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
]
WORDS = (
    "accueil information orientation accompagnement consultation soins prévention rendez-vous "
    "permanence public familles personnes âgées enfants jeunes handicap aide domicile dossier "
    "démarches administratives santé social écoute conseil professionnels équipe"
).split()
HOURS = [
    "du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h",
    "lundi, mercredi et vendredi 9h-12h",
    "Mardi et jeudi : 14h - 18h",
    "du lundi au samedi de 9h à 19h",
    "sur rendez-vous",
]
HEADER = [
    "Nom",
    "Typologie",
    "Adresse",
    "Code postal",
    "Commune",
    "Téléphone",
    "Courriel",
    "Site web",
    "Horaires",
    "Description",
]


def typologies() -> list[str]:
    """Six typologies of each theme (30), by their printed label."""
    from annuaire.reference import taxonomy

    chosen = []
    for theme in taxonomy.themes():
        labels = [t.print_label for g in theme.groups for s in g.subgroups for t in s.typologies]
        chosen += labels[:: max(1, len(labels) // 6)][:6]
    return chosen


def generate(n: int, seed: int = 1):
    """The header, then ``n`` rows of a contributor's table (same rows for the same seed)."""
    from annuaire.reference.geo import gazetteer

    rng = random.Random(seed)
    communes = sorted((c for c in gazetteer().communes.values() if c.insee.startswith("63")), key=lambda c: c.insee)
    weights = [max(c.population or 1, 50) for c in communes]
    picks = rng.choices(communes, weights=weights, k=n)
    labels = typologies()
    yield HEADER
    for i, c in enumerate(picks):
        label = rng.choice(labels)
        words = " ".join(rng.choice(WORDS) for _ in range(22))
        yield [
            f"{label} {rng.choice(SURNAMES)} {i}",
            label,
            f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            c.postcodes[0],
            c.name,
            "04 73 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3)),
            f"contact{i}@exemple-{c.insee}.fr",
            f"www.exemple-{c.insee}.fr/services/{i}",
            rng.choice(HOURS),
            (words[:150].rsplit(" ", 1)[0] + ".").capitalize(),
        ]


def write_xlsx(n: int, path: Path, seed: int = 1) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Annuaire")
    for row in generate(n, seed):
        ws.append(row)
    wb.save(path)


def write_csv(n: int, path: Path, seed: int = 1) -> None:
    """The same rows as :func:`write_xlsx`, as a UTF-8 CSV with semicolons (a French export)."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(generate(n, seed))


SAMPLE_SECONDS = 0.05


def _children(pid: int) -> list[int]:
    """The direct children of ``pid`` (every thread's ``children`` list)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                found += [int(c) for c in fh.read().split()]
        except OSError:
            pass  # the thread or the process ended meanwhile
    return found


def _tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants."""
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += _children(p)
    return tree


def _pss_kb(pid: int) -> int:
    """Proportional set size of one process in kB (0 once it has ended)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process tree until ``stop()``; ``peak_mb``
    is the largest sum seen (None where /proc has no smaps_rollup)."""

    def __init__(self, pid: int, every: float = SAMPLE_SECONDS) -> None:
        super().__init__(name="tree-pss", daemon=True)
        self.pid, self.every = pid, every
        self.peak_kb = 0
        self.peak_at = 0.0  # seconds after the start when the peak was sampled
        self.most_processes = 0
        self.available = os.path.exists(f"/proc/{os.getpid()}/smaps_rollup")
        self._done = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while self.available and not self._done.is_set():
            pids = _tree(self.pid)
            total = sum(_pss_kb(p) for p in pids)
            if total > self.peak_kb:
                self.peak_kb, self.peak_at = total, time.perf_counter() - started
            self.most_processes = max(self.most_processes, len(pids))
            self._done.wait(self.every)

    def stop(self) -> None:
        self._done.set()
        self.join()

    @property
    def peak_mb(self) -> float | None:
        return self.peak_kb / 1024 if self.available else None


def run(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd`` in a fresh process: wall seconds, wait4's max RSS (``peak_mb``:
    the largest single process of the tree) and the peak of the tree's summed
    PSS (``tree_pss_mb``)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    # The output is read while the process runs (a full pipe would block it);
    # wait4 after EOF: the process is still a zombie until then, so the
    # sampler never looks at a reused pid.
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "tree_pss_mb": sampler.peak_mb,
        "tree_pss_at_s": sampler.peak_at,
        "processes": sampler.most_processes,
        "exit": proc.returncode,
        "output": output[-2000:],
    }


def _mb(value: float | None) -> str:
    return f"{value:6.0f} MB" if value is not None else "     – MB"


def annuaire_cli() -> str:
    exe = Path(sys.executable).with_name("annuaire")
    return str(exe) if exe.exists() else "annuaire"


def annuaire(n: int, xlsx: Path, tmp: Path, env: dict, jobs: int | None = None) -> dict:
    """``annuaire build --theme tout`` on ``xlsx`` as a user runs it (with
    ``--jobs`` when given); prints its line and returns its figures."""
    report = tmp / f"report-{n}.json"
    cmd = [annuaire_cli(), "build", "--theme", "tout", str(xlsx), "--out", str(tmp / f"a-{n}.pdf"), "--report"]
    cmd += [str(report)] + (["--jobs", str(jobs)] if jobs else [])
    r = run(cmd, env)
    stages = {}
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        stages = data.get("timings", {})
        r.update(pages=data.get("pages"), printed=data.get("printed"))
        report.unlink()
    name = "annuaire" if jobs is None else f"annuaire --jobs {jobs}"
    r.update(engine=name, rows=n, stages=stages)
    print(
        f"{name} {n:>7} rows  {r['seconds']:7.2f} s  max RSS {_mb(r['peak_mb'])}  "
        f"tree PSS {_mb(r['tree_pss_mb'])} at {r['tree_pss_at_s']:.1f} s ({r['processes']} proc.)  "
        f"exit {r['exit']}  pages {r.get('pages')}  " + "  ".join(f"{k} {v:.2f}" for k, v in stages.items()),
        flush=True,
    )
    if r["exit"] not in (0, 1):
        print(r["output"])
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[20000])
    parser.add_argument(
        "--reference-max", type=int, default=20000, help="largest size for which the naive reference also runs"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--one-process",
        action="store_true",
        help="also run `annuaire build --jobs 1` (one process: slower, the least memory) on each size",
    )
    parser.add_argument(
        "--write-csv",
        nargs=2,
        metavar=("ROWS", "PATH"),
        help="write ROWS generated rows to PATH as a CSV (semicolons, UTF-8) and stop",
    )
    parser.add_argument("--write-xlsx", nargs=2, metavar=("ROWS", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_csv:
        write_csv(int(args.write_csv[0]), Path(args.write_csv[1]))
        return
    if args.write_xlsx:
        write_xlsx(int(args.write_xlsx[0]), Path(args.write_xlsx[1]))
        return
    env = dict(os.environ, SOURCE_DATE_EPOCH="1780000000")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            xlsx = tmp / f"annuaire-{n}.xlsx"
            # Written by another process: Linux carries a process's peak RSS
            # over to the programs it starts (wait4 would report at least this
            # process's size), so this one stays small.
            subprocess.run([sys.executable, __file__, "--write-xlsx", str(n), str(xlsx)], check=True)
            r = annuaire(n, xlsx, tmp, env)
            rows.append(r)
            one = annuaire(n, xlsx, tmp, env, jobs=1) if args.one_process else None
            if one is not None:
                rows.append(one)
            if n <= args.reference_max:
                ref = run(
                    [
                        sys.executable,
                        str(ROOT / "benchmarks" / "naive_reference.py"),
                        str(xlsx),
                        str(tmp / f"naive-{n}.pdf"),
                    ],
                    env,
                )
                ref.update(engine="naive", rows=n)
                try:
                    ref["pages"] = int(ref["output"].strip().splitlines()[-1])
                except (ValueError, IndexError):
                    ref["pages"] = None
                rows.append(ref)
                print(
                    f"naive    {n:>7} rows  {ref['seconds']:7.2f} s  max RSS {_mb(ref['peak_mb'])}  "
                    f"tree PSS {_mb(ref['tree_pss_mb'])} ({ref['processes']} proc.)  "
                    f"exit {ref['exit']}  pages {ref['pages']}  ratio {ref['seconds'] / r['seconds']:.1f}×"
                    + (f" (--jobs 1: {ref['seconds'] / one['seconds']:.1f}×)" if one is not None else ""),
                    flush=True,
                )
    if args.json:
        for r in rows:
            r.pop("output", None)
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
