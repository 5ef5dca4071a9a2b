"""End-to-end speed and memory: a user's xlsx through the real CLI, beside a naive build.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_e2e.py                      # 20,000 rows, reference included
    .venv/bin/python benchmarks/bench_e2e.py 20000 100000 --reference-max 20000
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

Peak memory is the maximum resident size of that process alone (``os.wait4``).
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


def run(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd`` in a fresh process: wall seconds and that process's peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "exit": proc.returncode, "output": output[-2000:]}


def annuaire_cli() -> str:
    exe = Path(sys.executable).with_name("annuaire")
    return str(exe) if exe.exists() else "annuaire"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[20000])
    parser.add_argument(
        "--reference-max", type=int, default=20000, help="largest size for which the naive reference also runs"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--write-csv",
        nargs=2,
        metavar=("ROWS", "PATH"),
        help="write ROWS generated rows to PATH as a CSV (semicolons, UTF-8) and stop",
    )
    args = parser.parse_args()
    if args.write_csv:
        write_csv(int(args.write_csv[0]), Path(args.write_csv[1]))
        return
    env = dict(os.environ, SOURCE_DATE_EPOCH="1780000000")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            xlsx = tmp / f"annuaire-{n}.xlsx"
            write_xlsx(n, xlsx)
            report = tmp / f"report-{n}.json"
            r = run(
                [
                    annuaire_cli(),
                    "build",
                    "--theme",
                    "tout",
                    str(xlsx),
                    "--out",
                    str(tmp / f"a-{n}.pdf"),
                    "--report",
                    str(report),
                ],
                env,
            )
            stages = {}
            if report.exists():
                data = json.loads(report.read_text(encoding="utf-8"))
                stages = data.get("timings", {})
                r.update(pages=data.get("pages"), printed=data.get("printed"))
            r.update(engine="annuaire", rows=n, stages=stages)
            rows.append(r)
            line = (
                f"annuaire {n:>7} rows  {r['seconds']:7.2f} s  {r['peak_mb']:6.0f} MB  "
                f"exit {r['exit']}  pages {r.get('pages')}  " + "  ".join(f"{k} {v:.2f}" for k, v in stages.items())
            )
            print(line, flush=True)
            if r["exit"] not in (0, 1):
                print(r["output"])
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
                    f"naive    {n:>7} rows  {ref['seconds']:7.2f} s  {ref['peak_mb']:6.0f} MB  "
                    f"exit {ref['exit']}  pages {ref['pages']}  ratio {ref['seconds'] / r['seconds']:.1f}×",
                    flush=True,
                )
    if args.json:
        for r in rows:
            r.pop("output", None)
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
