"""One pass over a page's content streams that collects what the checks need.

The walker interprets only the operators listed in :data:`OPERATORS`.  A
page's content is read by :mod:`.stream` (a compiled regular expression over
the decoded bytes, several times faster than building pikepdf objects) when
that reader is certain to give what pikepdf gives, else by
``pikepdf.parse_content_stream`` (which drops the other operators in C++);
forms, patterns and annotation appearances are always read by pikepdf.
Either way the instructions are ``(operator, operands)`` pairs.  The walker
tracks the parts of the graphics state that matter (CTM, fill colour space
and values, font size, text rendering mode, text matrix) and records, per
page, in a :class:`PageScan`:

* the smallest effective text size: ``Tf`` size × the vertical scale of
  Tm × CTM; invisible text (``3 Tr``, ``7 Tr``, e.g. an OCR layer) is
  ignored;
* text shown with its origin outside the TrimBox (more than
  :data:`TRIM_TOLERANCE_PT` beyond it): an overlong field drawn past the
  foot of the page, a line cut off by the trimming.  The origin is the
  start of the text line (``Tm``, moved by ``Td``/``TD``/``T*``/``'``/``"``
  and the leading ``TL``), under the CTM; glyph widths are not measured,
  so a line that starts inside and runs past the edge is not seen;
* RGB use: ``rg``/``RG``, ``cs``/``CS`` selecting an RGB space, RGB images
  (Indexed over RGB too), RGB shadings and transparency groups;
* DeviceGray use (accepted: it prints on the black plate; reported as info);
* every image placement with its effective resolution;
* the highest total ink (C+M+Y+K) of a *fill* painted inside the BleedBox.
  Strokes are ignored on purpose: crop and registration marks are strokes in
  registration colour (400 %) and are drawn outside the BleedBox; hairlines
  carry too little ink to matter for drying.  A filled path whose whole
  bounding box lies outside the BleedBox is ignored for the same reason.
  Text is filled with the fill colour, so it counts (its box is not computed).

Form XObjects (and tiling patterns, annotation appearances) are parsed once
per document and cached by object id; their instructions are re-interpreted
under each placement's CTM because sizes and resolutions depend on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pikepdf

from . import colour, stream

OPERATORS = "q Q cm BT Tf Tm Td TD T* TL Tr Tj TJ ' \" rg RG k K g G cs CS sc scn SC SCN Do sh BI ID EI m l c v y re f F f* B B* b b* S s n"
_FILLS = frozenset({"f", "F", "f*", "B", "B*", "b", "b*"})
_PATH_END = frozenset({"S", "s", "n"})
_SHOW = frozenset({"Tj", "TJ", "'", '"'})
_INVISIBLE_TEXT = frozenset({3, 7})
_FILLING_TEXT = frozenset({0, 2, 4, 6})
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_DEPTH = 12
# Operators interpreted per page, forms counted at each placement.  Cycles are
# guarded by _active, but fan-out is not: nine nested forms each drawing the
# next ten times make 10⁹ placements in 2.5 KB.  Real print pages stay far
# below (a dense A4 map: ~10⁵); past the cap the page is reported as not
# fully checked, and the check fails.
MAX_OPERATORS_PER_PAGE = 1_000_000
# Text may start this far outside the TrimBox (rounding of producers that
# place a line exactly on the edge); the bleed is 3 mm = 8.5 pt, so text
# there is caught.
TRIM_TOLERANCE_PT = 0.5


class _TooComplex(Exception):
    """The page's operator budget is spent."""


def mult(m1, m2):
    """m1 × m2 for PDF matrices (row-vector convention: ``cm`` does M × CTM)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


@dataclass
class ImageUse:
    name: str
    width: int
    height: int
    ppi: float  # smallest of the horizontal and vertical effective resolutions


@dataclass
class PageScan:
    """What one page uses (mutable, internal to the preflight)."""

    min_text: float | None = None
    rgb: dict[str, None] = field(default_factory=dict)  # ordered set of French descriptions
    gray: bool = False
    images: dict[str, ImageUse] = field(default_factory=dict)  # lowest ppi per image
    max_ink: float = 0.0
    ink_colour: tuple[float, ...] | None = None
    errors: list[str] = field(default_factory=list)
    outside_trim: int = 0  # text lines shown with their origin outside the TrimBox
    outside_at: tuple[float, float] | None = None  # the first one, in points from the TrimBox's lower left


@dataclass(frozen=True)
class _Image:
    width: int
    height: int
    kind: str


class _State:
    __slots__ = ("ctm", "fill_kind", "fill_ink", "font_size", "render", "tm", "leading")

    def __init__(self):
        self.ctm = _IDENTITY
        self.fill_kind = "gray"
        self.fill_ink = 0.0  # C+M+Y+K of the fill colour in %, 0 when not CMYK
        self.font_size = 0.0
        self.render = 0
        # The text line matrix: where the current line starts (Tm sets it, Td,
        # TD, T*, ' and " move it); glyph advances are not tracked.
        self.tm = _IDENTITY
        self.leading = 0.0

    def copy(self) -> "_State":
        s = _State.__new__(_State)
        s.ctm, s.fill_kind, s.fill_ink = self.ctm, self.fill_kind, self.fill_ink
        s.font_size, s.render, s.tm, s.leading = self.font_size, self.render, self.tm, self.leading
        return s


class Walker:
    """Interprets content streams of one document; :meth:`scan_page` per page."""

    def __init__(self, max_ink: float = 300.0, fast: bool = True):
        self.max_ink = max_ink
        self._forms: dict[tuple[int, int], list] = {}
        self._images: dict[tuple[int, int], _Image] = {}
        self._active: set[tuple[int, int]] = set()  # forms being interpreted
        self.fast = fast
        self._reader = stream.Reader()
        # Page content streams read by the fast reader, and by pikepdf.
        self.fast_pages = 0
        self.pikepdf_pages = 0

    # -- public ----------------------------------------------------------------

    def scan_page(self, page: pikepdf.Page, resources, bleed, trim=None) -> PageScan:
        """Walk the page content, its forms and its printable annotations;
        text starting outside ``trim`` (x0, y0, x1, y1 in points) is counted."""
        scan = PageScan()
        self._scan, self._bleed = scan, bleed
        t = TRIM_TOLERANCE_PT
        self._trim = None if trim is None else (trim[0] - t, trim[1] - t, trim[2] + t, trim[3] + t)
        self._trim_origin = None if trim is None else (trim[0], trim[1])
        self._ops = 0
        self._group(page.obj, "page")
        instructions = _fast_page(page.obj, self._reader) if self.fast else None
        if instructions is not None:
            self.fast_pages += 1
        else:
            self.pikepdf_pages += 1
            try:
                instructions = _pairs(pikepdf.parse_content_stream(page, OPERATORS))
            except pikepdf.PdfError as exc:
                scan.errors.append(f"flux de contenu illisible ({exc})")
                instructions = []
        try:
            self._run(instructions, resources, _State(), 0)
            self._annotations(page.obj)
        except _TooComplex:
            self._active.clear()
            scan.errors.append(
                f"analyse arrêtée après {MAX_OPERATORS_PER_PAGE:,} opérateurs".replace(",", "\u202f")
                + " (objets graphiques imbriqués et répétés) : la page n’a pas pu être vérifiée en entier, "
                "et un RIP risque de s’y arrêter aussi ; aplatissez-la ou simplifiez ses objets"
            )
        return scan

    # -- interpreter -----------------------------------------------------------

    def _run(self, instructions, res, st: _State, depth: int) -> None:
        self._ops += len(instructions)
        if self._ops > MAX_OPERATORS_PER_PAGE:
            raise _TooComplex
        stack: list[_State] = []
        path_box: list[float] | None = None  # [xmin, ymin, xmax, ymax] of the current path
        hot = st.fill_ink > self.max_ink  # only then is the path geometry worth tracking
        scan = self._scan
        trim = self._trim
        remaining = iter(instructions)
        while True:
            # One malformed operator (wrong operand count or type) must not
            # hide the rest of the page: note it and resume after it.
            try:
                # Ordered by how often a directory's pages use them.
                for op, operands in remaining:
                    if op == "Tm":
                        st.tm = operands if operands.__class__ is tuple else tuple(map(float, operands))
                    elif op in _SHOW:
                        if op == "'" or op == '"':  # move to the next line first
                            st.tm = _next_line(st.tm, st.leading)
                        if st.render not in _INVISIBLE_TEXT and st.font_size:
                            if trim is not None:
                                # The line's origin outside the TrimBox: cut off by
                                # the trimming, or drawn past the page.
                                a, b, c, d, e, f = st.ctm
                                x, y = st.tm[4], st.tm[5]
                                px, py = a * x + c * y + e, b * x + d * y + f
                                if px < trim[0] or px > trim[2] or py < trim[1] or py > trim[3]:
                                    scan.outside_trim += 1
                                    if scan.outside_at is None:
                                        scan.outside_at = (px - self._trim_origin[0], py - self._trim_origin[1])
                            # Height of the glyph em after Tm × CTM: image of the unit vertical vector.
                            _, _, tc, td = st.tm[:4]
                            a, b, c, d = st.ctm[:4]
                            size = st.font_size * math.hypot(tc * a + td * c, tc * b + td * d)
                            if scan.min_text is None or size < scan.min_text:
                                scan.min_text = size
                            if hot and st.render in _FILLING_TEXT:
                                self._ink(st, None)
                    elif op == "Tf":
                        st.font_size = abs(float(operands[1]))
                    elif op in _PATH_OPS:
                        if hot:
                            path_box = _extend(path_box, op, operands, st.ctm)
                    elif op in _FILLS:
                        if hot:
                            self._ink(st, path_box)
                        path_box = None
                    elif op in _PATH_END:
                        path_box = None
                    elif op == "q":
                        stack.append(st.copy())
                    elif op == "Q":
                        if stack:
                            st = stack.pop()
                            hot = st.fill_ink > self.max_ink
                    elif op == "cm":
                        st.ctm = mult(_floats(operands), st.ctm)
                    elif op == "BT":
                        st.tm = _IDENTITY
                    elif op == "Td" or op == "TD":
                        tx, ty = _floats(operands)
                        if op == "TD":
                            st.leading = -ty
                        a, b, c, d, e, f = st.tm
                        st.tm = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)
                    elif op == "T*":
                        st.tm = _next_line(st.tm, st.leading)
                    elif op == "TL":
                        st.leading = float(operands[0])
                    elif op == "Tr":
                        st.render = int(operands[0])
                    elif op in ("rg", "RG"):
                        what = "remplissage" if op == "rg" else "contour"
                        values = _values(operands)
                        hint = ", noir RVB : deviendrait un noir quadri" if values == "0 0 0" else ""
                        scan.rgb[f"{what} RVB {values} ({op}{hint})"] = None
                        if op == "rg":
                            st.fill_kind, st.fill_ink, hot = "rgb", 0.0, False
                    elif op in ("k", "K"):
                        if op == "k":
                            st.fill_kind = "cmyk"
                            st.fill_ink = _ink_of(operands)
                            hot = st.fill_ink > self.max_ink
                    elif op in ("g", "G"):
                        scan.gray = True
                        if op == "g":
                            st.fill_kind, st.fill_ink, hot = "gray", 0.0, False
                    elif op in ("cs", "CS"):
                        kind = colour.kind(operands[0], res)
                        self._note_kind(kind, f"espace couleur {_name(operands[0])} ({op})")
                        if op == "cs":
                            st.fill_kind, st.fill_ink, hot = kind, 0.0, False
                    elif op in ("sc", "scn"):
                        if st.fill_kind == "cmyk" and len(operands) == 4:
                            st.fill_ink = _ink_of(operands)
                            hot = st.fill_ink > self.max_ink
                        elif st.fill_kind == "pattern" and operands:
                            self._pattern(operands[-1], res, depth)
                    elif op == "Do":
                        self._do(operands[0], res, st, depth)
                    elif op == "INLINE IMAGE":
                        self._inline_image(operands[0], res, st)
                    elif op == "sh":
                        self._shading(operands[0], res)
                return
            except (ValueError, TypeError, IndexError, KeyError, pikepdf.PdfError) as exc:
                message = f"opérateur invalide ignoré ({type(exc).__name__})"
                if message not in scan.errors:
                    scan.errors.append(message)

    def _ink(self, st: _State, box) -> None:
        if box is not None and self._bleed is not None and _outside(box, self._bleed):
            return
        if st.fill_ink > self._scan.max_ink:
            self._scan.max_ink = st.fill_ink

    def _note_kind(self, kind: str, what: str) -> None:
        if kind in colour.RGB_KINDS:
            self._scan.rgb[what + (" (ton direct sur RVB)" if kind == "spot-rgb" else "")] = None
        elif kind == "gray":
            self._scan.gray = True

    # -- XObjects ----------------------------------------------------------------

    def _do(self, name, res, st: _State, depth: int) -> None:
        xobjects = res.get("/XObject") if res is not None else None
        if xobjects is None or name not in xobjects:
            return
        xobj = xobjects[name]
        subtype = xobj.get("/Subtype")
        if subtype == "/Image":
            self._image(_name(name), xobj, res, st)
        elif subtype == "/Form":
            self._form(xobj, st, res, depth)

    def _form(self, xobj, st: _State, parent_res, depth: int, matrix=None) -> None:
        key = xobj.objgen
        if depth >= _MAX_DEPTH or key in self._active:
            return  # a form drawing itself (directly or not) would never end
        instructions = self._parsed(xobj)
        self._group(xobj, "objet")
        inner = st.copy()
        m = matrix if matrix is not None else _floats(xobj.get("/Matrix", _IDENTITY))
        inner.ctm = mult(m, st.ctm)
        res = xobj.get("/Resources", parent_res)
        if key != (0, 0):
            self._active.add(key)
        try:
            self._run(instructions, res, inner, depth + 1)
        finally:
            self._active.discard(key)

    def _parsed(self, stream) -> list:
        key = stream.objgen
        if key != (0, 0) and key in self._forms:
            return self._forms[key]
        try:
            instructions = _pairs(pikepdf.parse_content_stream(stream, OPERATORS))
        except pikepdf.PdfError as exc:
            self._scan.errors.append(f"objet graphique illisible ({exc})")
            instructions = []
        if key != (0, 0):
            self._forms[key] = instructions
        return instructions

    def _image(self, name: str, xobj, res, st: _State) -> None:
        info = self._images.get(xobj.objgen)
        if info is None:
            if xobj.get("/ImageMask", False):
                kind = "mask"  # painted with the fill colour, already checked
            else:
                # JPEG 2000 without /ColorSpace carries its own space: "other".
                kind = colour.kind(xobj.get("/ColorSpace"), res)
            info = _Image(int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0)), kind)
            if xobj.objgen != (0, 0):
                self._images[xobj.objgen] = info
        self._place(name, info, st)

    def _inline_image(self, iimage, res, st: _State) -> None:
        kind = "mask" if iimage.image_mask else colour.kind(iimage.obj.get("/ColorSpace", iimage.obj.get("/CS")), res)
        self._place("(image en ligne)", _Image(int(iimage.width), int(iimage.height), kind), st)

    def _place(self, name: str, info: _Image, st: _State) -> None:
        if info.kind in colour.RGB_KINDS:
            self._scan.rgb[f"image RVB {name} ({info.width} × {info.height} px)"] = None
        elif info.kind == "gray":
            self._scan.gray = True
        a, b, c, d = st.ctm[:4]
        w_pt, h_pt = math.hypot(a, b), math.hypot(c, d)
        if w_pt <= 0 or h_pt <= 0 or not info.width or not info.height:
            return
        ppi = min(info.width * 72.0 / w_pt, info.height * 72.0 / h_pt)
        known = self._scan.images.get(name)
        if known is None or ppi < known.ppi:
            self._scan.images[name] = ImageUse(name, info.width, info.height, ppi)

    # -- patterns, shadings, groups, annotations -----------------------------------------

    def _pattern(self, name, res, depth: int) -> None:
        patterns = res.get("/Pattern") if res is not None else None
        if patterns is None or not isinstance(name, pikepdf.Name) or name not in patterns:
            return
        pattern = patterns[name]
        if pattern.get("/PatternType") == 2:
            self._shading_kind(pattern.get("/Shading"), res)
        elif isinstance(pattern, pikepdf.Stream):
            # A tiling pattern is a small content stream; its cell is drawn in
            # pattern space (its Matrix over the page's default space, not the CTM).
            self._form(pattern, _State(), res, depth, _floats(pattern.get("/Matrix", _IDENTITY)))

    def _shading(self, name, res) -> None:
        shadings = res.get("/Shading") if res is not None else None
        if shadings is not None and name in shadings:
            self._shading_kind(shadings[name], res)

    def _shading_kind(self, shading, res) -> None:
        if shading is not None:
            self._note_kind(colour.kind(shading.get("/ColorSpace"), res), "dégradé (shading)")

    def _group(self, obj, where: str) -> None:
        group = obj.get("/Group")
        if group is not None and group.get("/S") == "/Transparency" and "/CS" in group:
            if colour.kind(group.CS, None) in colour.RGB_KINDS:
                self._scan.rgb[f"groupe de transparence RVB ({where})"] = None

    def _annotations(self, page_obj) -> None:
        for annot in page_obj.get("/Annots", ()):
            flags = int(annot.get("/F", 0))
            if not flags & 4 or flags & 2:  # not printable, or hidden
                continue
            ap = annot.get("/AP")
            normal = ap.get("/N") if ap is not None else None
            if not isinstance(normal, pikepdf.Stream) or "/Rect" not in annot:
                continue  # appearance states (dicts) are left out: rarely printed
            st = _State()
            self._form(normal, st, None, 1, _annotation_matrix(normal, annot.Rect))


# -- small helpers ---------------------------------------------------------------

_PATH_OPS = frozenset({"m", "l", "c", "v", "y", "re"})


def _pairs(parsed) -> list[tuple[str, list]]:
    """pikepdf's instructions as the walker reads them: (operator, operands)."""
    return [(str(ins.operator), ins.operands) for ins in parsed]


def _fast_page(page_obj, reader: stream.Reader) -> list | None:
    """The page's instructions read by :mod:`.stream`, or None: pikepdf reads
    them (an unusual /Contents, a filter that fails, a stream the fast reader
    is not certain of).  The streams of a /Contents array are joined by a
    newline, as qpdf joins them (an instruction may span two of them)."""
    if "/Contents" not in page_obj:
        return []
    contents = page_obj.Contents
    try:
        if isinstance(contents, pikepdf.Stream):
            data = contents.read_bytes()
        elif isinstance(contents, pikepdf.Array) and all(isinstance(c, pikepdf.Stream) for c in contents):
            data = b"\n".join(c.read_bytes() for c in contents)
        else:
            return None
    except pikepdf.PdfError:
        return None
    return reader.instructions(data)


def _floats(values) -> tuple[float, ...]:
    # A tuple holds floats already (the fast reader's operands, _IDENTITY);
    # pikepdf's operands and arrays are converted.
    return values if values.__class__ is tuple else tuple(map(float, values))


def _name(obj) -> str:
    return str(obj) if isinstance(obj, pikepdf.Name) else "(tableau)"


def _values(operands) -> str:
    return " ".join(f"{float(v):g}" for v in operands)


def _ink_of(operands) -> float:
    return 100.0 * sum(float(v) for v in operands)


def _next_line(tm, leading: float):
    """Tm after T*: the start of the line moved down by the leading, in text space."""
    a, b, c, d, e, f = tm
    return (a, b, c, d, e - leading * c, f - leading * d)


def _extend(box, op: str, operands, ctm):
    values = [float(v) for v in operands]
    if op == "re":
        x, y, w, h = values
        points = ((x, y), (x + w, y), (x, y + h), (x + w, y + h))
    else:
        points = tuple(zip(values[0::2], values[1::2]))
    a, b, c, d, e, f = ctm
    for x, y in points:
        px, py = a * x + c * y + e, b * x + d * y + f
        if box is None:
            box = [px, py, px, py]
        else:
            box[0], box[1] = min(box[0], px), min(box[1], py)
            box[2], box[3] = max(box[2], px), max(box[3], py)
    return box


def _outside(box, bleed) -> bool:
    return box[2] <= bleed[0] or box[0] >= bleed[2] or box[3] <= bleed[1] or box[1] >= bleed[3]


def _annotation_matrix(form, rect):
    """Matrix mapping an appearance stream onto its annotation rectangle (PDF 32000 §12.5.5)."""
    m = _floats(form.get("/Matrix", _IDENTITY))
    bbox = _floats(form.get("/BBox", rect))
    xs, ys = [], []
    for x, y in ((bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    r = _floats(rect)
    sx = (abs(r[2] - r[0]) / (max(xs) - min(xs))) if max(xs) > min(xs) else 1.0
    sy = (abs(r[3] - r[1]) / (max(ys) - min(ys))) if max(ys) > min(ys) else 1.0
    fit = (sx, 0.0, 0.0, sy, min(r[0], r[2]) - sx * min(xs), min(r[1], r[3]) - sy * min(ys))
    return mult(m, fit)
