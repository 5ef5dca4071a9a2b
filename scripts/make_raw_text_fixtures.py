"""Rebuild tests/fixtures/raw_text/: verbatim lines of ../shared/data that carry
raw database text (Windows-1252 control characters, spreadsheet error values,
street-type codes, truncated FINESS names, CS boxes, nominative e-mails, CEDEX
codes, a postal code of another département), for tests/check/test_clean.py.

Each file keeps the source's header line and whole records copied byte for
byte; a record is chosen when its line contains one of the strings below.
Run: .venv/bin/python scripts/make_raw_text_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data"
OUT = ROOT / "tests" / "fixtures" / "raw_text"

PICKS = {
    "dada_annuaire_administration_2019_auvergne.csv": (
        b"Beauregard-l",
        b"(CIO) - Montlu",
        b"19-Mars-01962, 15290",
        b"- CS 20005",
        b"veronique.soussan@",
        b"Cours Monthyon",
    ),
    "bibliotheques_publiques_auvergne.csv": (b";#NAME?;", b"de la Republique"),
    "finess_fhir_20210108_auvergne.ndjson": (
        b'"45 AV Charles Dupuy"',
        b'"28 AV B DE LA GARE"',
        b'"6 R B DU PAVE"',
        b"MENAG.DOM",
        b'"AEMO ARPFE"',
        b"(DITEP) SDRE",
        b"MAL DE LATTRE",
        b'"RTE DE MOULINS"',
    ),
    "dila_annuaire_services_publics_2016_auvergne.jsonl": (
        b"73000",
        b"corinne.soumann@",
        b'"63033"',
    ),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, needles in PICKS.items():
        lines = (SRC / name).read_bytes().splitlines(keepends=True)
        header = [] if name.endswith(("jsonl", "ndjson")) else lines[:1]
        # At most two records per string, in file order.
        picked = set()
        for n in needles:
            picked.update([i for i, l in enumerate(lines) if i >= len(header) and n in l][:2])
        body = [lines[i] for i in sorted(picked)]
        (OUT / name).write_bytes(b"".join(header + body))
        print(name, len(body))


if __name__ == "__main__":
    main()
