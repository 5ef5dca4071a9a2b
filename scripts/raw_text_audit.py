"""Count the raw database text left on the pages of a built directory.

    .venv/bin/python scripts/raw_text_audit.py output/annuaire-tout.pdf [--examples 3]

The PDF is read as a reader would see it (``pdftotext``, poppler-utils); each
kind of raw text is counted and a few examples shown:

* ``replacement`` — '?' glued between letters (a character the font lacks,
  or a Windows-1252 control character printed as '?'), and U+FFFD;
* ``c1`` — characters U+0080–U+009F;
* ``error_values`` — spreadsheet error values (#NOM?, #Name ?, #N/A, #REF!…);
* ``street_codes`` — a FINESS street-type code in capitals before a word
  ('RTE de Moulins', '45 AV Charles Dupuy', '6 R B du Pavé');
* ``dangling_dash`` — an address line ending with ' -' or ' –' just above the
  postal-code line;
* ``doubled_lines`` — a line that is the same words twice ('Cours Monthyon
  Cours Monthyon');
* ``bare_cedex`` — a postal-code line whose code belongs to no commune (a
  CEDEX code) printed without 'Cedex'.

Exit status 0 when every count is zero, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annuaire.check.clean import street_types  # noqa: E402
from annuaire.reference.geo import gazetteer  # noqa: E402
from annuaire.text.typo import ACRONYMS  # noqa: E402

ERROR_VALUE = re.compile(r"#\s?(?:NOM|NAME|N/A|REF|VALEUR|VALUE|DIV/0|NULL|NUM)\s?[?!]?", re.I)


def counts(text: str) -> dict[str, list[str]]:
    lines = text.splitlines()
    # Codes that are also acronyms of names (CHS: centre hospitalier spécialisé) are not counted.
    codes = "|".join(sorted((re.escape(c) for c in street_types() if c not in ACRONYMS), key=len, reverse=True))
    street = re.compile(r"^(?:\d+\S*\s+)?(?:" + codes + r")\s+(?:[BTQ]\s+)?[A-Za-zÀ-ÿ’']")
    known = {pc for c in gazetteer().communes.values() for pc in c.postcodes}
    # The postal line, alone or after the address on the same line ('…, 63003 Clermont-Ferrand').
    place = re.compile(r"(?:^|,\s)(\d{5}) ([^\d,]+)$")
    found: dict[str, list[str]] = {
        k: []
        for k in ("replacement", "c1", "error_values", "street_codes", "dangling_dash", "doubled_lines", "bare_cedex")
    }
    for m in re.finditer(r"\S*(?:[^\W\d_]\?[^\W\d_]|\ufffd)\S*", text):
        if "/" in m.group(0) or "=" in m.group(0):
            continue  # a web address's query string ('spip.php?article29')
        found["replacement"].append(m.group(0))
    for m in re.finditer(r".{0,20}[\u0080-\u009f].{0,20}", text):
        found["c1"].append(m.group(0))
    for m in ERROR_VALUE.finditer(text):
        found["error_values"].append(text[max(0, m.start() - 20) : m.end() + 5])
    for i, line in enumerate(lines):
        s = line.strip()
        if street.match(s):
            found["street_codes"].append(s)
        if re.search(r"\s[-–],?\s\d{5}\s", s) or (
            re.search(r"\s[-–]$", s) and i + 1 < len(lines) and place.search(lines[i + 1].strip())
        ):
            found["dangling_dash"].append(s)
        words = re.sub(r"\s*,\s*|\s+[-–]\s+", " ", s).split()
        if (
            len(words) >= 4
            and len(words) % 2 == 0
            and [w.lower() for w in words[: len(words) // 2]] == [w.lower() for w in words[len(words) // 2 :]]
        ):
            found["doubled_lines"].append(s)
        m = place.search(s)
        if (
            m
            and m.group(1) not in known
            and m.group(1)[:2] in ("03", "15", "43", "63")
            and not re.search(r"\bcedex\b", s, re.I)
        ):
            found["bare_cedex"].append(s)
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    text = subprocess.run(["pdftotext", args.pdf, "-"], capture_output=True, text=True, check=True).stdout
    found = counts(text)
    if args.json:
        print(json.dumps({k: len(v) for k, v in found.items()}))
    else:
        for k, v in found.items():
            print(f"{k:15} {len(v):6}  " + " | ".join(repr(x) for x in v[: args.examples]))
    return 0 if not any(found.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
