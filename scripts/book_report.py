"""What a typographer counts in a built directory: density, sizes, break defects.

Usage (from the repository root)::

    .venv/bin/python scripts/book_report.py output/annuaire-sante.pdf
    .venv/bin/python scripts/book_report.py FILE.pdf --json report.json

Works on any PDF (it does not need the page log): the text, with its size,
weight and position, comes from poppler's ``pdftohtml -xml`` (Debian package
poppler-utils, which ``make test`` installs).  Lines are taken in the order
the PDF draws them, which for annuaire's books is column by column, top to
bottom; pieces drawn one after the other on the same line (a change of
weight or colour) are one line.

It prints, in French:

- pages, pages holding entries, entries, and entries per page (over the
  whole book, and the median over the pages holding entries).  An entry is
  recognised as a run of bold lines of one size, flush left, followed by an
  indented line (its address, phone…), outside the pages with dot leaders
  (contents, indexes); the colophon's credits, set the same way, add a few;
- the body size (the size of the line under the entries' names) and the
  smallest size printed anywhere (the text of the cover's spine excepted:
  its size follows the spine's width);
- the count of each break defect: a line starting with « @ », « . » or « - »;
  a postal code alone at a line's end; an article left after a postal code
  (« 63710 Le / Vernet »); a split time range (« 13 h 30 – / 17 h 30 »); a
  lone guillemet; straight apostrophes; lines ending in « - » after a space.
  With ``--examples`` it shows a few of each.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ZOOM = 3  # pdftohtml's largest zoom: sizes to a third of a point
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})

_TIME = r"\d{1,2} ?h(?: ?\d{2})?"
DEFECTS = {
    "ligne commençant par « @ »": lambda t, prev: t.startswith("@"),
    "ligne commençant par « . »": lambda t, prev: t.startswith(".") and not t.startswith("..."),
    "ligne commençant par « - »": lambda t, prev: t.startswith("-"),
    "code postal seul en fin de ligne": lambda t, prev: re.search(r"(?:^|\s)\d{5}$", t) is not None,
    "article séparé de sa commune": lambda t, prev: re.search(r"(?:^|\s)\d{5} (?:Le|La|Les|LE|LA|LES)$", t) is not None,
    "plage horaire coupée": lambda t, prev: (
        re.search(_TIME + r",? ?[–—-]$", t) is not None
        or re.search(_TIME + r" (?:à|au)$", t) is not None
        or (re.match(r"^[–—-] ?" + _TIME, t) is not None and re.search(_TIME + r"$", prev) is not None)
    ),
    "guillemet isolé": lambda t, prev: t.endswith("«") or t.startswith("»"),
    "ligne finissant par « - »": lambda t, prev: t.endswith(" -"),
}


@dataclass
class Line:
    page: int
    top: float
    left: float
    size: float  # points
    bold: bool
    italic: bool
    text: str
    right: float = 0.0


def read_lines(pdf: Path) -> tuple[int, list[Line]]:
    """Every text line of ``pdf`` in drawing order, with its size and weight."""
    if shutil.which("pdftohtml") is None:
        raise SystemExit("pdftohtml introuvable : installez poppler-utils (apt-get install poppler-utils).")
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-q", "-zoom", str(ZOOM), "-stdout", str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    root = ET.fromstring(xml)
    lines: list[Line] = []
    sizes: dict[str, float] = {}
    pages = 0
    for page in root.iter("page"):
        pages += 1
        number = int(page.get("number"))
        for el in page:
            if el.tag == "fontspec":
                sizes[el.get("id")] = round(float(el.get("size")) / ZOOM * 2) / 2
            elif el.tag == "text":
                text = "".join(el.itertext()).translate(SPACES).strip()
                if not text:
                    continue
                tags = {e.tag for e in el.iter()}
                if "b" in tags:
                    # Bold throughout, or only in part (« Abrest » in bold, then its pages)?
                    in_bold = "".join(t for b in el.iter("b") for t in b.itertext())
                    if len(in_bold.translate(SPACES).strip()) < len(text) - 1:
                        tags.discard("b")
                top, left = float(el.get("top")) / ZOOM, float(el.get("left")) / ZOOM
                right = left + float(el.get("width")) / ZOOM
                size = sizes.get(el.get("font"), 0.0)
                prev = lines[-1] if lines else None
                if (
                    prev is not None
                    and prev.page == number
                    and abs(top - prev.top) <= 0.3 * max(size, prev.size)
                    and -1.0 <= left - prev.right <= 3 * size
                ):
                    # Another piece of the same line (a change of weight or
                    # colour: « Tél. » then the number in bold).
                    prev.text += (" " if left - prev.right > 0.15 * size else "") + text
                    prev.right = right
                    if size >= 0.9 * prev.size:  # (a raised key after a name does not count)
                        prev.bold = prev.bold and "b" in tags  # bold only if bold throughout
                    continue
                lines.append(Line(number, top, left, size, "b" in tags, "i" in tags, text, right))
    return pages, lines


LEADER = re.compile(r"^(?:\. ?){2,}$")


def reference_pages(lines: list[Line]) -> set[int]:
    """Pages of the contents and the indexes: their lines end in dot leaders."""
    c = Counter(ln.page for ln in lines if LEADER.match(ln.text))
    return {p for p, n in c.items() if n >= 3}


def entries(lines: list[Line], skip: set[int]) -> list[tuple[Line, Line]]:
    """(first line of the name, first line under it) of every entry: a run
    of bold lines of one size, flush left, then an indented line no larger
    (a heading is followed by another heading, or by a name flush left)."""
    out: list[tuple[Line, Line]] = []
    i, n = 0, len(lines)
    while i < n:
        ln = lines[i]
        if ln.page not in skip and ln.bold and not ln.italic:
            j = i + 1
            while (
                j < n
                and lines[j].page == ln.page
                and lines[j].bold
                and not lines[j].italic
                and lines[j].size == ln.size
                and abs(lines[j].left - ln.left) < 0.5
            ):
                j += 1
            last = lines[j - 1]
            while j < n and lines[j].page == ln.page and lines[j].top < last.top + 0.5 * ln.size:
                j += 1  # on the name's line: its raised source key
            if j < n:
                nxt = lines[j]
                if (
                    nxt.page == ln.page
                    # Indented as an entry's address (3 mm and more), not
                    # as a commune's name set in its band (2 pt in).
                    and 3.0 < nxt.left - ln.left < 30
                    and 0 < nxt.top - last.top < 2.5 * ln.size
                    and not nxt.italic
                    and nxt.size <= ln.size
                ):
                    out.append((ln, nxt))
            i = j
            continue
        i += 1
    return out


def body_size(found: list[tuple[Line, Line]], lines: list[Line]) -> float:
    """The size of the first line under the entries' names (their address),
    or else the most used size of regular text."""
    c = Counter(under.size for _, under in found if not under.bold)
    if not c:
        c = Counter()
        for ln in lines:
            if not ln.bold and not ln.italic:
                c[ln.size] += len(ln.text)
    return c.most_common(1)[0][0] if c else 0.0


def report(pdf: Path) -> dict:
    pages, lines = read_lines(pdf)
    skip = reference_pages(lines)
    found = entries(lines, skip)
    body = body_size(found, lines)
    per_page = Counter(name.page for name, _ in found)
    count = len(found)
    defects: dict[str, list[str]] = {k: [] for k in DEFECTS}
    prev = ""
    for ln in lines:
        if LEADER.match(ln.text):
            continue  # dot leaders of the contents and indexes
        for name, test in DEFECTS.items():
            if test(ln.text, prev):
                defects[name].append(f"p. {ln.page} : {prev!r} / {ln.text!r}")
        prev = ln.text
    apostrophes = [f"p. {ln.page} : {ln.text!r}" for ln in lines if "'" in ln.text]
    smallest = min(lines, key=lambda ln: ln.size) if lines else None
    return {
        "file": str(pdf),
        "pages": pages,
        "pages_with_entries": len(per_page),
        "entries": count,
        "entries_per_page": round(count / pages, 2) if pages else 0.0,
        "median_entries_per_body_page": statistics.median(per_page.values()) if per_page else 0,
        "body_size": body,
        "smallest_size": smallest.size if smallest else 0.0,
        "smallest_text": f"p. {smallest.page} : {smallest.text!r}" if smallest else "",
        "sizes": dict(sorted(Counter(ln.size for ln in lines).items())),
        "defects": {k: len(v) for k, v in defects.items()}
        | {"apostrophes droites": sum(ln.text.count("'") for ln in lines)},
        "examples": {k: v[:5] for k, v in defects.items() if v}
        | ({"apostrophes droites": apostrophes[:5]} if apostrophes else {}),
    }


def text_fr(r: dict, examples: bool) -> str:
    out = [
        f"{r['file']}",
        f"  pages : {r['pages']} (dont {r['pages_with_entries']} avec des fiches)",
        f"  fiches : {r['entries']}, soit {r['entries_per_page']:.2f} par page sur tout le livre "
        f"(médiane {r['median_entries_per_body_page']:g} par page de fiches)",
        f"  corps du texte : {r['body_size']:g} pt ; plus petit corps : {r['smallest_size']:g} pt ({r['smallest_text']})",
        "  défauts de coupure et de typographie :",
    ]
    for name, count in r["defects"].items():
        out.append(f"    {count:6d}  {name}")
        if examples:
            out.extend(f"            {x}" for x in r["examples"].get(name, []))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path, nargs="+")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--examples", action="store_true", help="show a few lines of each defect")
    args = parser.parse_args(argv)
    reports = [report(p) for p in args.pdf]
    for r in reports:
        print(text_fr(r, args.examples))
    if args.json:
        args.json.write_text(json.dumps(reports if len(reports) > 1 else reports[0], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
