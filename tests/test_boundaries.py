"""The package's boundaries: ReportLab only in annuaire/pdf/, click only in cli.py."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "annuaire"


def importers_of(module: str):
    pattern = re.compile(rf"^\s*(import|from)\s+{module}\b", re.M)
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                  if pattern.search(p.read_text(encoding="utf-8")))


def test_reportlab_only_in_pdf():
    assert [p for p in importers_of("reportlab") if not p.startswith("pdf/")] == []


def test_click_only_in_cli():
    assert importers_of("click") == ["cli.py"]


def test_every_module_has_a_docstring():
    import ast

    missing = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
               if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert missing == []
