"""Build the printing face from Atkinson Hyperlegible: annuaire/data/fonts/.

Usage (from the repository root, after ``make install``)::

    .venv/bin/python scripts/make_fonts.py            # writes annuaire/data/fonts/*.ttf
    .venv/bin/python scripts/make_fonts.py --out DIR  # elsewhere (the tests compare)

Why a derived face and not another one
--------------------------------------
Atkinson Hyperlegible (Braille Institute, SIL Open Font License 1.1, no
reserved font name) is drawn for low-vision readers: letters that are told
apart by their shapes (I l 1, O 0, b d p q), open counters, a large x-height.
No other face on the package index is built for that public (Luciole,
Tiresias, APHont are not there), and the general faces that are (Fira Sans,
Noto Sans, Lexend…) lose exactly what makes Atkinson right for a reader of 75.
Three things stand in the way of French directory setting, and each is
fixed here, in the font, so the engine keeps measuring and drawing plain
Unicode text:

- the zero is slashed: in isolated codes that tells it from the O, but in
  dates and phone numbers (« 04 70 20 00 00 », « 2026 ») a row of crossed
  ovals reads badly.  The zero is redrawn unslashed: its counter is the
  outer contour scaled to the inner box of the original counter, so the
  stroke keeps the original weights; the zero stays narrower than the O;
- there is no narrow no-break space (U+202F), which French typography wants
  before ; : ! ? and inside « »: an empty glyph is added, 160/1000 em wide
  (about half the word space, the printer's « espace fine »);
- there are no superscript letters for « 1ᵉʳ », « 2ᵉ », « 1ʳᵉ »: ᵉ (U+1D49)
  and ʳ (U+02B3) are added, the e and r drawn at 62 % and raised so their
  tops meet the capitals' height.

The derived family is named « Atkinson Hyperlegible Annuaire » (a modified
version says so), keeps the OFL (copied beside the files), and is rebuilt
byte for byte the same from the same source files (fontTools with fixed
timestamps).  fontTools is only needed to run this script.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.reverseContourPen import ReverseContourPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "annuaire" / "data" / "fonts"
STYLES = {"Regular": "Regular", "Bold": "Bold", "Italic": "Italic", "BoldItalic": "Bold Italic"}
FAMILY = "Atkinson Hyperlegible Annuaire"
NNBSP_WIDTH = 160  # units per 1000 em
SUP_SCALE = 0.62


def _contours(glyph_set, name: str) -> list[list[tuple]]:
    rec = RecordingPen()
    glyph_set[name].draw(rec)
    out: list[list[tuple]] = []
    cur: list[tuple] = []
    for op in rec.value:
        cur.append(op)
        if op[0] in ("closePath", "endPath"):
            out.append(cur)
            cur = []
    return out


def _bbox(contour: list[tuple]) -> tuple[float, float, float, float]:
    pts = [p for _, args in contour for p in args]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _replay(contour: list[tuple], pen) -> None:
    for op, args in contour:
        getattr(pen, op)(*args)


def unslashed_zero(font: TTFont, name: str) -> None:
    """Redraw ``name`` (a slashed zero: an outer contour and two half
    counters) as an outer contour and one whole counter."""
    gs = font.getGlyphSet()
    contours = _contours(gs, name)
    if len(contours) != 3:
        raise SystemExit(f"{name}: {len(contours)} contours, expected 3 (outer and two half counters)")
    areas = [(b[2] - b[0]) * (b[3] - b[1]) for b in map(_bbox, contours)]
    outer = contours[areas.index(max(areas))]
    inner = [c for c in contours if c is not outer]
    ox0, oy0, ox1, oy1 = _bbox(outer)
    boxes = [_bbox(c) for c in inner]
    ix0, iy0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    ix1, iy1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    sx, sy = (ix1 - ix0) / (ox1 - ox0), (iy1 - iy0) / (oy1 - oy0)
    # Maps the outer box onto the inner box.
    t = (sx, 0, 0, sy, ix0 - ox0 * sx, iy0 - oy0 * sy)
    pen = TTGlyphPen(gs)
    _replay(outer, pen)
    _replay(outer, TransformPen(ReverseContourPen(pen), t))
    font["glyf"][name] = pen.glyph()


def _add_glyph(font: TTFont, name: str, glyph, advance: int, lsb: int, codepoint: int) -> None:
    order = font.getGlyphOrder()
    if name not in order:
        font.setGlyphOrder(order + [name])
    font["glyf"][name] = glyph
    font["hmtx"][name] = (advance, lsb)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[codepoint] = name


def superscript(font: TTFont, base: str, name: str, codepoint: int) -> None:
    gs = font.getGlyphSet()
    cap = font["OS/2"].sCapHeight
    xh = font["OS/2"].sxHeight
    adv, lsb = font["hmtx"][base]
    dy = cap - SUP_SCALE * xh
    pen = TTGlyphPen(gs)
    gs[base].draw(TransformPen(pen, (SUP_SCALE, 0, 0, SUP_SCALE, 0, dy)))
    glyph = pen.glyph()
    glyph.recalcBounds(font["glyf"])
    _add_glyph(font, name, glyph, round(adv * SUP_SCALE) + 20, getattr(glyph, "xMin", 0), codepoint)


def narrow_nbsp(font: TTFont) -> None:
    pen = TTGlyphPen(font.getGlyphSet())
    _add_glyph(font, "uni202F", pen.glyph(), NNBSP_WIDTH, 0, 0x202F)


def rename(font: TTFont, style: str) -> None:
    ps = FAMILY.replace(" ", "") + "-" + style.replace(" ", "")
    names = font["name"]
    for rec in list(names.names):
        if rec.nameID in (1, 3, 4, 6, 16):
            names.removeNames(nameID=rec.nameID)
    ribbi = style in ("Regular", "Bold", "Italic", "Bold Italic")
    names.setName(FAMILY if ribbi else FAMILY, 1, 3, 1, 0x409)
    names.setName(f"{FAMILY} {style}", 4, 3, 1, 0x409)
    names.setName(ps, 6, 3, 1, 0x409)
    names.setName(f"{ps};annuaire", 3, 3, 1, 0x409)
    names.setName(
        "Atkinson Hyperlegible modified for annuaire: unslashed zero, U+202F, superscript e and r.", 10, 3, 1, 0x409
    )


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, style in STYLES.items():
        src = source_dir / f"AtkinsonHyperlegible-{suffix}.ttf"
        font = TTFont(src, recalcTimestamp=False)
        # (« zero.tf », the tabular figure, is a composite of « zero »: it
        # follows.)
        unslashed_zero(font, "zero")
        narrow_nbsp(font)
        superscript(font, "e", "uni1D49", 0x1D49)
        superscript(font, "r", "uni02B3", 0x02B3)
        rename(font, style)
        dst = out_dir / f"AtkinsonHyperlegibleAnnuaire-{suffix}.ttf"
        font.save(dst)
        written.append(dst)
    shutil.copyfile(source_dir.parent / "LICENSE", out_dir / "OFL.txt")
    return written


def main() -> None:
    import fontpkg_atkinson_hyperlegible as pkg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    for p in build(Path(pkg.ROOT) / "files", args.out):
        print(p)


if __name__ == "__main__":
    main()
