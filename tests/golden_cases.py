"""The golden cases: small fixed inputs whose page log (and PDF hash) are committed.

A change to the layout that moves anything shows up as a diff of
``tests/golden/*.pagelog.json``; when the change is wanted, rebuild them with
``.venv/bin/python scripts/update_golden.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
CONTRIB = HERE / "fixtures" / "contributors"

CASES = {
    # name: (inputs, build options)
    "riom-sante-a5": (
        [CONTRIB / "Annuaire Riom Limagne.xlsx", CONTRIB / "cantal_communes.csv"],
        dict(theme="tout", layout="a5"),
    ),
    "riom-sante-gros-caracteres": (
        [CONTRIB / "Annuaire Riom Limagne.xlsx"],
        dict(theme="tout", layout="gros-caracteres"),
    ),
}
EDITION = date(2026, 11, 27)


def build(name: str, out: Path):
    from annuaire import pipeline

    inputs, options = CASES[name]
    return pipeline.build(inputs, pipeline.BuildOptions(out=out, edition_date=EDITION, run_preflight=False, **options))


def snapshot(result) -> dict:
    import reportlab

    return {
        "pages": result.pages,
        "reportlab": reportlab.Version,
        "sha256": hashlib.sha256(Path(result.out).read_bytes()).hexdigest(),
        "page_log": [[p.page, p.column, p.kind, p.key, p.text] for p in result.page_log],
    }


def path_of(name: str) -> Path:
    return GOLDEN / f"{name}.pagelog.json"


def load(name: str) -> dict:
    return json.loads(path_of(name).read_text(encoding="utf-8"))


def save(name: str, data: dict) -> None:
    path_of(name).write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
