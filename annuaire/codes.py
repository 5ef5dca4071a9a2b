"""The catalogue of issue codes: every code the package can emit, with what it means.

``annuaire/data/codes.csv`` lists each stable code (``typologie-inconnue``,
``telephone-invalide``…) with its usual severity and a French description for users
(``docs/codes.md`` is written from it by ``scripts/write_codes_doc.py``).
``emitted_codes()`` finds, in the package's own source, every code passed to an
``Issue``, ``Issue.at``, a normaliser's ``Problem`` or any function whose parameter is
called ``code``, so that a test keeps the catalogue and the code in step.
"""

from __future__ import annotations

import ast
import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # 'erreur', 'avertissement', 'information' or 'variable'
    description: str


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Code]:
    path = resources.files("annuaire.data").joinpath("codes.csv")
    with path.open("rb") as raw:
        rows = csv.DictReader(io.StringIO(raw.read().decode("utf-8"), newline=""))
        return {r["code"]: Code(r["code"], r["gravite"], r["description"]) for r in rows}


def _constants(tree: ast.Module) -> dict[str, str]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _code_arg(node: ast.Call, positions: dict[str, int]) -> ast.expr | None:
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    if name not in positions:
        return None
    arg = next((k.value for k in node.keywords if k.arg == "code"), None)
    if arg is None and len(node.args) > positions[name]:
        arg = node.args[positions[name]]
    return arg


def _code_positions(trees: dict[Path, ast.Module]) -> dict[str, int]:
    """Callable name → position of its ``code`` argument: the constructors of
    issues and problems, and every helper that forwards its own ``code``
    parameter to one of them (found until no new helper appears)."""
    positions = {"Issue": 1, "at": 1, "Problem": 1}
    functions = [
        node
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    changed = True
    while changed:
        changed = False
        for fn in functions:
            names = [a.arg for a in fn.args.posonlyargs + fn.args.args]
            if "code" not in names or fn.name in positions:
                continue
            forwards = False
            for n in ast.walk(fn):
                arg = _code_arg(n, positions) if isinstance(n, ast.Call) else None
                forwards = forwards or (isinstance(arg, ast.Name) and arg.id == "code")
            if forwards:
                i = names.index("code") - (1 if names[0] in ("self", "cls") else 0)
                positions[fn.name] = i
                changed = True
    return positions


def emitted_codes(package: Path = PACKAGE) -> tuple[set[str], list[str]]:
    """(codes found, places where a code is computed and could not be read)."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in package.rglob("*.py")}
    positions = _code_positions(trees)
    found: set[str] = set()
    dynamic: list[str] = []
    imported: dict[str, str] = {}
    for tree in trees.values():
        imported.update(_constants(tree))
    for path, tree in trees.items():
        consts = {**imported, **_constants(tree)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            arg = _code_arg(node, positions)
            if arg is None or (isinstance(arg, ast.Name) and arg.id == "code"):
                continue  # a helper forwarding its parameter: its callers are read
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.Name) and arg.id in consts:
                found.add(consts[arg.id])
            elif (
                isinstance(arg, ast.IfExp)
                and isinstance(arg.body, ast.Constant)
                and isinstance(arg.orelse, ast.Constant)
            ):
                found.update((str(arg.body.value), str(arg.orelse.value)))
            elif isinstance(arg, (ast.JoinedStr, ast.BinOp)):
                # A code built at run time cannot be checked against the catalogue.
                dynamic.append(f"{path.relative_to(package)}:{node.lineno}")
            # else: a value forwarded from a Problem (p.code) or an unrelated
            # call that shares a helper's name: nothing to read here.
    return found, dynamic
