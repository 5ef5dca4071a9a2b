"""Write docs/codes.md, the users' list of issue codes, from annuaire/data/codes.csv.

Usage: .venv/bin/python scripts/write_codes_doc.py
"""

from pathlib import Path

from annuaire import codes

ROOT = Path(__file__).resolve().parents[1]


def render() -> str:
    lines = [
        "# Codes des messages",
        "",
        "Chaque message d’annuaire (terminal, rapport JSON, classeur annoté) porte un code stable. "
        "Une **erreur** écarte la ligne ; un **avertissement** la garde et signale ce qui a été fait.",
        "",
        "| code | gravité | signification |",
        "|---|---|---|",
    ]
    for c in sorted(codes.catalogue().values(), key=lambda c: c.code):
        lines.append(f"| `{c.code}` | {c.severity} | {c.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "codes.md").write_text(render(), encoding="utf-8")
