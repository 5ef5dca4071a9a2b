"""The package's boundaries: ReportLab only in annuaire/pdf/, click only in cli.py."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "annuaire"


def importers_of(module: str):
    pattern = re.compile(rf"^\s*(import|from)\s+{module}\b", re.M)
    return sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    )


def test_reportlab_only_in_pdf():
    assert [p for p in importers_of("reportlab") if not p.startswith("pdf/")] == []


def test_click_only_in_cli():
    assert importers_of("click") == ["cli.py"]


def test_every_module_has_a_docstring():
    import ast

    missing = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []


def test_import_contracts_hold():
    """The contracts declared in pyproject.toml (layers without cycles, ReportLab only in
    annuaire.pdf, click only in annuaire.cli), checked by import-linter on the real graph."""
    import shutil
    import subprocess
    import sys

    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is part of the test extra (make install)"
    done = subprocess.run([exe], cwd=PACKAGE.parent, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "0 broken" in done.stdout
