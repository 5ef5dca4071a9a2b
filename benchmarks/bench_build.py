"""Build speed and memory on generated entries located on the real communes.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_build.py                 # 2,000 and 20,000 entries
    .venv/bin/python benchmarks/bench_build.py 2000 20000 50000 --reference-max 20000

For each size it generates N entries (realistic names, addresses, phones, e-mails,
web sites, opening hours and a ~150-character description) spread over the 1,284
communes of the bundled gazetteer in proportion to population, then measures in a
fresh child process each:

- ``annuaire``: group + layout + render of the default layout (A5, two columns),
  contents and both indexes included (the preflight is not included);
- ``platypus``: the reference, a plain ReportLab ``multiBuild`` of the same entries
  with a ``TableOfContents`` and a ``SimpleIndex`` (up to --reference-max entries,
  since it takes about 2 minutes for 20,000).

It prints seconds, entries per second, pages and peak memory (max RSS of the child)
as a table, and writes them as JSON with --json FILE.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # naive_reference

from annuaire.reference.geo import gazetteer  # noqa: E402
from annuaire.model import Entry, Origin, Provider  # noqa: E402
from bench_e2e import SURNAMES  # noqa: E402  (one list of names for both benchmarks)

STREETS = [
    "rue de la République",
    "avenue de la Gare",
    "place de l’Église",
    "rue Pasteur",
    "boulevard Gambetta",
    "chemin des Écoliers",
    "rue du Docteur-Roux",
    "allée des Tilleuls",
    "route de Clermont",
    "rue Jean-Jaurès",
    "impasse des Lilas",
    "rue Saint-Exupéry",
]
WORDS = (
    "accueil information orientation accompagnement consultation soins prévention rendez-vous "
    "permanence public familles personnes âgées enfants jeunes handicap aide domicile dossier "
    "démarches administratives santé social écoute conseil professionnels équipe"
).split()
HOURS = (
    ("Lundi au vendredi : 8\u00a0h\u00a030 – 12\u00a0h et 13\u00a0h\u00a030 – 17\u00a0h",),
    ("Lundi au vendredi : 9\u00a0h – 12\u00a0h", "Samedi : 9\u00a0h – 12\u00a0h"),
    ("Mardi et jeudi : 14\u00a0h – 18\u00a0h",),
)
SANTE = {
    "SA19": "Pharmacie",
    "SA17": "Cabinet médical",
    "SA20": "Cabinet infirmier",
    "SA04": "Résidence",
    "SA08": "Laboratoire",
    "SA02": "Centre hospitalier",
    "SA07": "Centre de santé",
    "SA22": "Cabinet de kinésithérapie",
}
PROVIDER = Provider("Jeu d’essai généré", licence="Licence Ouverte / Etalab 2.0", date=date(2026, 6, 30))


def generate(n: int, seed: int = 1) -> list[Entry]:
    rng = random.Random(seed)
    communes = sorted(gazetteer().communes.values(), key=lambda c: c.insee)
    weights = [max(c.population or 1, 50) for c in communes]
    picks = rng.choices(communes, weights=weights, k=n)
    codes = sorted(SANTE)
    entries = []
    for i, c in enumerate(picks):
        code = rng.choice(codes)
        surname = rng.choice(SURNAMES[:12])
        name = f"{SANTE[code]} {surname} {i}"
        words = " ".join(rng.choice(WORDS) for _ in range(22))
        entries.append(
            Entry(
                key=f"gen-{i}",
                name=name,
                typology=code,
                commune=c.name,
                insee=c.insee,
                address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                postcode=c.postcodes[0],
                phone="04\u00a073\u00a0" + "\u00a0".join(f"{rng.randint(0, 99):02d}" for _ in range(3)),
                email=f"contact{i}@exemple-{c.insee}.fr",
                website=f"www.exemple-{c.insee}.fr/services/{i}",
                hours=rng.choice(HOURS),
                description=(words[:150].rsplit(" ", 1)[0] + ".").capitalize(),
                updated=date(2026, rng.randint(1, 6), rng.randint(1, 28)),
                providers=(PROVIDER,),
                origins=(Origin("generated", None, i + 2),),
            )
        )
    return entries


def run_annuaire(n: int, out: Path) -> dict:
    from annuaire import pdf
    from annuaire.editions import group
    from annuaire.pdf import layout

    entries = generate(n)
    started = time.perf_counter()
    slugs = ("sante",)
    directory = group.make_directory(
        entries, slugs, title="Action sociale et santé", territory="Auvergne", edition_date=date(2026, 7, 1)
    )
    rendered = pdf.render(directory, layout.load_layout("a5"), out, pdf.RenderOptions())
    return {"seconds": time.perf_counter() - started, "pages": rendered.pages}


def run_platypus(n: int, out: Path) -> dict:
    """The reference: what a straightforward platypus build costs (naive_reference.build)."""
    from naive_reference import build

    rows = [
        (
            e.name,
            SANTE[e.typology],
            e.address,
            e.postcode,
            e.commune,
            e.phone,
            e.email,
            e.website,
            "\n".join(e.hours),
            e.description,
        )
        for e in generate(n)
    ]
    started = time.perf_counter()
    pages = build(rows, str(out))
    return {"seconds": time.perf_counter() - started, "pages": pages}


def _child(fn, n, out, queue):
    try:
        result = fn(n, out)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except Exception as exc:  # report it instead of leaving the parent waiting
        result = {"error": f"{exc.__class__.__name__}: {exc}"}
    queue.put(result)


def measure(fn, n: int) -> dict:
    ctx = mp.get_context("spawn")  # a fresh interpreter: peak memory is this run's only
    queue = ctx.Queue()
    with tempfile.TemporaryDirectory() as tmp:
        proc = ctx.Process(target=_child, args=(fn, n, Path(tmp) / "out.pdf", queue))
        proc.start()
        result = queue.get()
        proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 20000])
    parser.add_argument(
        "--reference-max", type=int, default=2000, help="largest size for which the platypus reference also runs"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        engines = [("annuaire", run_annuaire)]
        if n <= args.reference_max:
            engines.append(("platypus multiBuild", run_platypus))
        for label, fn in engines:
            r = measure(fn, n)
            if "error" in r:
                print(f"{label:20} {n:>7} entries  failed: {r['error']}", flush=True)
                continue
            r.update(engine=label, entries=n, per_second=n / r["seconds"])
            rows.append(r)
            print(
                f"{label:20} {n:>7} entries  {r['seconds']:7.2f} s  {r['per_second']:8.0f} entries/s  "
                f"{r['pages']:5} pages  {r['peak_mb']:7.0f} MB",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
