"""Result types of the preflight: findings, checks and the whole report.

A :class:`Finding` has a severity: ``"error"`` makes its check fail,
``"warning"`` and ``"info"`` are printed but never fail the preflight (a
saddle-stitched booklet above 64 pages, the absence of a PDF/X output intent,
the smallest text size found…).  ``Check.passed`` is stored (the contract asks
for a plain field) and is computed by :func:`make_check` from the severities,
so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Literal

Severity = Literal["error", "warning", "info"]

# How many findings per check the terminal report shows; the JSON has them all.
TEXT_LIMIT = 12


@dataclass(frozen=True)
class Finding:
    """One observation, on a page (1-based) or on the whole document (None)."""

    page: int | None
    message_fr: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, Any]:
        return {"page": self.page, "severity": self.severity, "message": self.message_fr}


@dataclass(frozen=True)
class Check:
    """One check: a stable code, a French title, its result and what it found."""

    code: str
    title_fr: str
    passed: bool
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title_fr,
            "passed": self.passed,
            "findings": [f.as_dict() for f in self.findings],
        }


def make_check(code: str, title_fr: str, findings: Iterable[Finding]) -> Check:
    """Build a check whose ``passed`` follows from its findings' severities."""
    found = tuple(findings)
    return Check(code, title_fr, not any(f.severity == "error" for f in found), found)


@dataclass(frozen=True)
class PreflightReport:
    """Everything the preflight found in one PDF."""

    path: str
    pages: int
    checks: tuple[Check, ...]
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def check(self, code: str) -> Check:
        """The check with this code (KeyError if there is none)."""
        for c in self.checks:
            if c.code == code:
                return c
        raise KeyError(code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "pages": self.pages,
            "passed": self.passed,
            "seconds": round(self.seconds, 3),
            "checks": [c.as_dict() for c in self.checks],
        }

    def text_fr(self, limit: int = TEXT_LIMIT) -> str:
        """French report for the terminal, at most ``limit`` findings per check."""
        lines = [f"Contrôle avant impression : {self.path} ({_pages_fr(self.pages)})"]
        for c in self.checks:
            mark = "OK    " if c.passed else "ÉCHEC "
            lines.append(f"  {mark}{c.title_fr}")
            runs = _runs(c.findings)
            for first, last, f in runs[:limit]:
                lines.append(f"          {_label(f, first, last)}{f.message_fr}")
            if len(runs) > limit:
                lines.append(f"          … et {len(runs) - limit} autre(s) constat(s) (voir le rapport JSON)")
        failed = [c for c in self.checks if not c.passed]
        if failed:
            lines.append(
                f"Résultat : NON CONFORME — {len(failed)} contrôle(s) en échec ({', '.join(c.code for c in failed)})."
            )
        else:
            lines.append("Résultat : conforme à tous les contrôles.")
        return "\n".join(lines)


_LABELS = {"error": "", "warning": "attention : ", "info": "info : "}


def _runs(findings) -> list[tuple[int | None, int | None, Finding]]:
    """Findings with the same message on consecutive pages folded into ranges,
    so a defect on every page of a 1,500-page book is one line."""
    runs: list[tuple[int | None, int | None, Finding]] = []
    for f in findings:
        if runs:
            first, last, prev = runs[-1]
            if (
                f.page is not None
                and last is not None
                and f.page == last + 1
                and f.message_fr == prev.message_fr
                and f.severity == prev.severity
            ):
                runs[-1] = (first, f.page, prev)
                continue
        runs.append((f.page, f.page, f))
    return runs


def _label(f: Finding, first: int | None, last: int | None) -> str:
    if first is None:
        where = ""
    elif first == last:
        where = f"page {first} : "
    else:
        where = f"pages {first} à {last} : "
    return where + _LABELS[f.severity]


def _pages_fr(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"
