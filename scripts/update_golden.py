"""Rebuild the golden page logs in tests/golden/ after an intended layout change."""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import golden_cases as golden  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    for name in sorted(golden.CASES):
        data = golden.snapshot(golden.build(name, Path(tmp) / f"{name}.pdf"))
        golden.save(name, data)
        print(f"{name}: {data['pages']} pages, {len(data['page_log'])} placements")
