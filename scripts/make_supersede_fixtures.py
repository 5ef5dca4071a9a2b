"""Rebuild tests/fixtures/supersede/: verbatim records of ../shared/data for the
tests of annuaire.check.supersede (successive editions of one dataset,
dissolved EPCI, renamed institutions).

Records are picked by the line where they start in the source file (the row
number the reports give); the header line and the bytes of each record are
copied as they are.  Run: .venv/bin/python scripts/make_supersede_fixtures.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data"
OUT = ROOT / "tests" / "fixtures" / "supersede"

PICKS = {
    # Pôle emploi agencies of the Allier (2016); CIVI, tribunal pour enfants and
    # TGI of the Puy-de-Dôme (2016); EPCI: Pays de Massiac (dissolved 2017),
    # Pays de Salers, Clermont Communauté (now a métropole), Sancy Artense
    # (dissolved) and Dômes Sancy Artense.
    "dila_annuaire_services_publics_2016_auvergne.jsonl": (
        467,
        468,
        469,
        470,
        471,
        1390,
        1391,
        2078,
        2079,
        558,
        567,
        1434,
        1442,
        1455,
    ),
    # The same agencies as France Travail (2025), without Cusset.
    "france_travail_annuaire_202508_auvergne.csv": (4, 6, 13, 16, 22),
    # The only TGI of the 2019 extraction; MSAP of the Cantal; two EPCI.
    "dada_annuaire_administration_2019_auvergne.csv": (1736, 819, 829, 830, 831, 598, 1215),
    # France services of 2024 that the MSAP above became (Salers did not).
    "france_services_20240801_auvergne.csv": (68, 41, 16),
}


def csv_records(data: bytes) -> tuple[bytes, dict[int, bytes]]:
    """Header line and {starting line: raw bytes} of each record."""
    lines = data.splitlines(keepends=True)
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    start, out = reader.line_num, {}
    for _ in reader:
        end = reader.line_num
        out[start + 1] = b"".join(lines[start:end])
        start = end
    return lines[0], out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in PICKS.items():
        data = (SRC / name).read_bytes()
        if name.endswith("jsonl"):
            lines = data.splitlines(keepends=True)
            body = [lines[n - 1] for n in sorted(rows)]
            (OUT / name).write_bytes(b"".join(body))
        else:
            header, records = csv_records(data)
            (OUT / name).write_bytes(header + b"".join(records[n] for n in sorted(rows)))
        print(name, len(rows))


if __name__ == "__main__":
    main()
