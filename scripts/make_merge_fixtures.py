"""Rebuild tests/fixtures/merge/ from ../shared/data: the records of the merge labels.

``tests/check/merge_labels.csv`` lists real pairs of rows of the national
files, each record named by its file and one of its identifiers, with the
decision a person took (same service or not) and why.  This script copies,
byte for byte, every labelled record (and the few UNDECIDED rows below, for
the warnings) and the rows that compete with it (the
other rows of its typology and commune, when that block is small) from the
files in ../shared/data into tests/fixtures/merge/, under the same file
names, so that the merge test runs on the real rows in a clone without the
shared data.  Small files are copied whole.  FINESS and SAE rows that share a
SIRET are kept together (the importers read a shared SIRET differently).

Run: .venv/bin/python scripts/make_merge_fixtures.py
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data"
OUT = ROOT / "tests" / "fixtures" / "merge"
LABELS = ROOT / "tests" / "check" / "merge_labels.csv"

# Rows the labels leave out because no one can tell from the data whether they
# are one service, kept for the warnings they must raise: one library under
# two codes at one address, two permanences of one name at one address.
UNDECIDED = (
    ("bibliotheques_publiques_auvergne.csv", "bib:14646"),
    ("bibliotheques_publiques_auvergne.csv", "bib:11969"),
    ("dila_annuaire_services_publics_2016_auvergne.jsonl", "dila:permanence_juridique-03190-01"),
    ("dila_annuaire_services_publics_2016_auvergne.jsonl", "dila:permanence_juridique-03190-02"),
)

WHOLE_BELOW = 50_000  # bytes: smaller files are copied whole
BLOCK_MATES_UP_TO = 10  # rows of a (typology, commune) block copied with a labelled row


def csv_records(data: bytes, encoding: str, sep: str) -> tuple[bytes, dict[int, bytes]]:
    """Header line and {first physical line: raw bytes} of each record."""
    lines = data.splitlines(keepends=True)
    text = data.decode(encoding)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep)
    next(reader)
    start = reader.line_num
    out = {}
    for _ in reader:
        end = reader.line_num
        out[start + 1] = b"".join(lines[start:end])
        start = end
    return lines[0], out


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from annuaire import load
    from annuaire.check import validate

    labels = list(csv.DictReader(LABELS.open(encoding="utf-8")))
    names = sorted({r["file_a"] for r in labels} | {r["file_b"] for r in labels})
    loaded = load.read_paths([SRC / n for n in names])
    entries = validate.validate_rows(loaded.rows).entries

    by_key = {}
    for e in entries:
        o = e.origins[0]
        for k, v in e.ids:
            by_key[(o.file, f"{k}:{v}")] = e
    wanted = []
    keys = [(r[f"file_{side}"], r[f"id_{side}"]) for r in labels for side in "ab"]
    for k in keys + list(UNDECIDED):
        if k not in by_key:
            sys.exit(f"record not found: {k}")
        wanted.append(by_key[k])

    blocks = defaultdict(list)
    for e in entries:
        blocks[(e.typology, e.insee)].append(e)
    rows: dict[str, set[int]] = defaultdict(set)
    for e in wanted:
        block = blocks[(e.typology, e.insee)]
        for m in block if len(block) <= BLOCK_MATES_UP_TO else [e]:
            rows[m.origins[0].file].add(m.origins[0].row)
    # Rows that share a SIRET stay together: the importer tells an
    # establishment's own SIRET from a shared one by counting them.
    sirets = defaultdict(set)
    for e in entries:
        for k, v in e.ids:
            if k in ("siret", "siret-partage"):
                sirets[(e.origins[0].file, v)].add(e.origins[0].row)
    for e in list(wanted):
        for k, v in e.ids:
            if k in ("siret", "siret-partage"):
                rows[e.origins[0].file] |= sirets[(e.origins[0].file, v)]

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        if old.name != "README.md":
            old.unlink()
    for name in names:
        data = (SRC / name).read_bytes()
        if len(data) < WHOLE_BELOW or name.endswith(".geojson"):
            (OUT / name).write_bytes(data)
            print(f"{name}: whole file")
            continue
        chosen = sorted(rows[name])
        if name.endswith(".ndjson"):  # FINESS: the Organization line and its Location
            lines = data.splitlines(keepends=True)
            keep = []
            for n in chosen:
                keep.append(lines[n - 1])
                nxt = json.loads(lines[n]) if n < len(lines) else {}
                if nxt.get("resourceType") == "Location":
                    keep.append(lines[n])
            (OUT / name).write_bytes(b"".join(keep))
        elif name.endswith(".jsonl"):
            lines = data.splitlines(keepends=True)
            (OUT / name).write_bytes(b"".join(lines[n - 1] for n in chosen))
        else:
            encoding = "latin-1" if name.startswith("sae_") else "utf-8"
            first = data.split(b"\n", 1)[0]
            sep = ";" if first.count(b";") > first.count(b",") else ","
            head, recs = csv_records(data, encoding, sep)
            (OUT / name).write_bytes(head + b"".join(recs[n] for n in chosen))
        print(f"{name}: {len(chosen)} records")


if __name__ == "__main__":
    main()
