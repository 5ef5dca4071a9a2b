"""The coverage report as a print-ready PDF (`annuaire couverture -o bilan.pdf`).

Drawn with the book's canvas conventions (:mod:`.canvas`, :class:`.draw.Painter`):
A4 trim with the layout's bleed, raw TrimBox/BleedBox, CMYK only, black text
overprinting, the layout's TrueType fonts embedded as subsets, reproducible
bytes (the report day stands for the creation date).  The result passes
``annuaire preflight``.

Pages: a summary (the accounting of the rows read, key figures); the table of
Annex 1 typologies (entries, communes served; a typology with no entry is
marked and listed again, as what to ask contributors for); communes without a
mairie; entries older than the period, by source; then, per chosen typology,
a map shaded by distance to the nearest service (with the services as dots and
the shares of the population beyond 5, 10 and 20 km), a map shaded by the
number of services per commune, and the communes farthest away.

Maps are drawn from the Lambert-93 outlines of :mod:`annuaire.coverage.outlines`
(grid north is true north at 3° E, within a degree over Auvergne), with a
legend, a scale bar and a north arrow; commune names are printed where the
name fits inside the commune's outline, plus the most populous communes
(with a white halo) when they do not collide with another name.  For a
territory with no outline (outside the four départements shipped), the map
pages say so and the tables are printed as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from reportlab.lib.rl_accel import fp_str

from annuaire import output
from annuaire.coverage import Access, Coverage, outlines
from annuaire.reference import taxonomy
from annuaire.text.french import date_fr, number_fr, plural

from .canvas import no_a85, open_canvas
from .draw import BLACK, MM, WHITE, Geometry, Painter
from .fonts import FontSet
from .layout import Cmyk, TextStyle, load_layout

TITLE = TextStyle("bold", 20, 24)
H1 = TextStyle("bold", 14, 18)
H2 = TextStyle("bold", 10.5, 14)
BODY = TextStyle("regular", 9, 12)
BOLD = TextStyle("bold", 9, 12)
SMALL = TextStyle("regular", 7.5, 9.5)
LABEL = TextStyle("regular", 6.5, 7.5)  # commune names on maps (preflight minimum: 6 pt)
LABEL_BIG = TextStyle("bold", 7, 8)

GREY = Cmyk(0, 0, 0, 0.55)
RULE = Cmyk(0, 0, 0, 0.3)
ZEBRA = Cmyk(0, 0, 0, 0.06)
BORDER = Cmyk(0, 0, 0, 0.5)  # commune borders on maps
CONTEXT = Cmyk(0, 0, 0, 0.08)  # communes around the territory
# Rows of typologies with no entry: a light tint behind black text (text
# stays 100 % K: small coloured type suffers from misregistration).
ALERT = Cmyk(0, 0.14, 0.07, 0)

# Distance classes (upper bound in km, label, colour); 0 = the commune has the service.
DIST_CLASSES: tuple[tuple[float, str, Cmyk], ...] = (
    (0.0, "dans la commune", Cmyk(0.5, 0.0, 0.45, 0.0)),
    (5.0, "moins de 5 km", Cmyk(0.0, 0.0, 0.3, 0.0)),
    (10.0, "de 5 à 10 km", Cmyk(0.0, 0.3, 0.6, 0.0)),
    (20.0, "de 10 à 20 km", Cmyk(0.0, 0.6, 0.85, 0.0)),
    (float("inf"), "plus de 20 km", Cmyk(0.1, 0.95, 0.9, 0.25)),
)
UNKNOWN = (None, "position inconnue", Cmyk(0, 0, 0, 0.2))
# Count classes (lowest count, label, colour).
COUNT_CLASSES: tuple[tuple[int, str, Cmyk], ...] = (
    (0, "aucun", WHITE),
    (1, "1", Cmyk(0.18, 0.05, 0.0, 0.0)),
    (2, "2 ou 3", Cmyk(0.4, 0.15, 0.0, 0.0)),
    (4, "4 à 9", Cmyk(0.7, 0.35, 0.0, 0.0)),
    (10, "10 et plus", Cmyk(1.0, 0.65, 0.0, 0.2)),
)
FARTHEST = 40
LONG_LIST = 40  # communes without mairie beyond which the list goes in three columns
ALL_NAMES = 80  # up to this many communes, every name is tried (with a halo where it does not fit)  # communes listed in the PDF after each distance map (all in the xlsx)


@dataclass(frozen=True)
class CoverageRender:
    pages: int
    warnings: tuple[str, ...]
    bleed_mm: float


def km_fr(km: float) -> str:
    return f"{km:.1f}".replace(".", ",") + "\u00a0km"


def pct_fr(x: float) -> str:
    return f"{100 * x:.1f}".replace(".", ",") + "\u00a0%"


def dist_class(km: float | None):
    if km is None:
        return UNKNOWN
    for bound, label, colour in DIST_CLASSES:
        if km <= bound:
            return bound, label, colour
    return DIST_CLASSES[-1]


def count_class(n: int):
    chosen = COUNT_CLASSES[0]
    for low, label, colour in COUNT_CLASSES:
        if n >= low:
            chosen = (low, label, colour)
    return chosen


class _Doc:
    """A page cursor: running head, folio, paragraphs and tables that break across pages."""

    def __init__(self, painter: Painter, geo: Geometry, head: str):
        self.p = painter
        self.g = geo
        self.head = head
        self.page = 0
        self.y = 0.0
        self.on_new_page: Callable[[], None] | None = None

    @property
    def x(self) -> float:
        return self.g.left(self.page)

    @property
    def width(self) -> float:
        return self.g.text_width

    def new_page(self) -> None:
        if self.page:
            self.p.end_page()
        self.p.begin_page()
        self.page += 1
        g = self.g
        self.p.text(self.x, g.height - 12 * MM, self.head, SMALL, GREY)
        self.p.hline(self.x, g.height - 13.5 * MM, self.width, 0.4, RULE)
        self.p.text(g.width / 2, 10 * MM, str(self.page), SMALL, BLACK, align="center")
        self.y = g.text_top
        if self.on_new_page:
            self.on_new_page()

    def room(self) -> float:
        return self.y - self.g.bottom

    def need(self, h: float) -> None:
        if self.room() < h:
            self.new_page()

    def wrap(self, text: str, style: TextStyle, width: float) -> list[str]:
        fonts = self.p.fonts
        text = fonts.clean(text)
        lines: list[str] = []
        cur = ""
        for word in text.split(" "):
            trial = f"{cur} {word}" if cur else word
            if cur and fonts.text_width(style.font, trial) * style.size > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        if cur:
            lines.append(cur)
        return lines or [""]

    def para(self, text: str, style: TextStyle = BODY, fill: Cmyk | None = None, after: float = 4.0) -> None:
        for line in self.wrap(text, style, self.width):
            self.need(style.leading)
            self.y -= style.leading
            self.p.text(self.x, self.y + (style.leading - style.size) * 0.5, line, style, fill)
        self.y -= after

    def heading(self, text: str, style: TextStyle = H1, keep: float = 60.0) -> None:
        self.need(style.leading + keep)
        self.y -= 4
        self.para(text, style, after=4)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        aligns: Sequence[str],
        styles: Sequence[TextStyle | None] | None = None,
        shades: Sequence[Cmyk | None] | None = None,
    ) -> None:
        """Rows of single-line cells (a cell too long is wrapped within its column);
        the header row is repeated at the top of each page."""
        total = sum(widths)
        scale = self.width / total
        widths = [w * scale for w in widths]
        lead = BODY.leading + 1

        def header() -> None:
            self.need(lead * 2)
            self.y -= lead
            x = self.x
            for h, w, a in zip(headers, widths, aligns):
                self._cell(x, w, self.y + 3, h, BOLD, None, a)
                x += w
            self.p.hline(self.x, self.y, self.width, 0.6, BLACK)

        header()
        for i, row in enumerate(rows):
            style = (styles[i] if styles else None) or BODY
            shade = shades[i] if shades else None
            cells = [self.wrap(str(v), style, w - 4) for v, w in zip(row, widths)]
            h = max(len(c) for c in cells) * style.leading + 1
            if self.room() < h:
                self.new_page()
                header()
            self.y -= h
            if shade is not None:
                self.p.rect(self.x, self.y, self.width, h, shade)
            elif i % 2 == 1:
                self.p.rect(self.x, self.y, self.width, h, ZEBRA)
            x = self.x
            for lines, w, a in zip(cells, widths, aligns):
                for k, line in enumerate(lines):
                    self._cell(x, w, self.y + h - (k + 1) * style.leading + 3, line, style, None, a)
                x += w
        self.y -= 6

    def column_list(self, items: Sequence[str], ncols: int, style: TextStyle = SMALL) -> None:
        """A long list flowed down ``ncols`` columns, page after page (French order kept)."""
        gutter = 12.0
        width = (self.width - (ncols - 1) * gutter) / ncols
        i = 0
        while i < len(items):
            rows = int(self.room() // style.leading)
            if rows < 3:
                self.new_page()
                continue
            top = self.y
            used = 0
            for col in range(ncols):
                chunk = items[i : i + rows]
                if not chunk:
                    break
                for k, text in enumerate(chunk):
                    line = self.wrap(text, style, width)[0]  # one line each: names fit at this size
                    self.p.text(self.x + col * (width + gutter), top - (k + 1) * style.leading + 2, line, style)
                used = max(used, len(chunk))
                i += len(chunk)
            self.y = top - used * style.leading
            if i < len(items):
                self.new_page()
        self.y -= 6

    def _cell(self, x, w, y, text, style, fill, align) -> None:
        if align == "right":
            self.p.text(x + w - 2, y, text, style, fill, align="right")
        else:
            self.p.text(x + 2, y, text, style, fill)


# ---------------------------------------------------------------- maps


class _Map:
    """Lambert-93 metres → page points inside a frame, keeping the aspect ratio."""

    def __init__(self, bounds, frame):
        minx, miny, maxx, maxy = bounds
        fx, fy, fw, fh = frame
        pad = 0.03
        w, h = (maxx - minx) or 1.0, (maxy - miny) or 1.0
        self.s = min(fw * (1 - 2 * pad) / w, fh * (1 - 2 * pad) / h)
        self.ox = fx + (fw - w * self.s) / 2 - minx * self.s
        self.oy = fy + (fh - h * self.s) / 2 - miny * self.s
        self.frame = frame
        # The frame in metres: communes around the territory that show through.
        self.world = (
            (fx - self.ox) / self.s,
            (fy - self.oy) / self.s,
            (fx + fw - self.ox) / self.s,
            (fy + fh - self.oy) / self.s,
        )

    def pt(self, x: float, y: float) -> tuple[float, float]:
        return self.ox + x * self.s, self.oy + y * self.s


def _path(m: _Map, outline: outlines.Outline) -> str:
    """The outline as path operators (two decimals: 1/100 pt is far below what prints)."""
    s, ox, oy = m.s, m.ox, m.oy
    ops = []
    for poly in outline.polygons:
        for ring in poly:
            x, y = ring[0]
            ops.append("%.2f %.2f m" % (ox + x * s, oy + y * s))
            ops.extend(["%.2f %.2f l" % (ox + x * s, oy + y * s) for x, y in ring[1:]])
            ops.append("h")
    return " ".join(ops)


def _circle(x: float, y: float, r: float) -> str:
    k = 0.5523 * r
    return (
        f"{fp_str(x + r, y)} m {fp_str(x + r, y + k, x + k, y + r, x, y + r)} c "
        f"{fp_str(x - k, y + r, x - r, y + k, x - r, y)} c {fp_str(x - r, y - k, x - k, y - r, x, y - r)} c "
        f"{fp_str(x + k, y - r, x + r, y - k, x + r, y)} c h"
    )


def _intersects(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


class _MapDrawer:
    def __init__(self, doc: _Doc, cov: Coverage):
        self.doc = doc
        self.p = doc.p
        self.cov = cov
        self.shapes = {p.insee: outlines.outline(p.insee) for p in cov.places}
        self.shapes = {k: v for k, v in self.shapes.items() if v is not None}
        xs0, ys0, xs1, ys1 = zip(*(o.bounds for o in self.shapes.values())) if self.shapes else ((0,), (0,), (1,), (1,))
        self.bounds = (min(xs0), min(ys0), max(xs1), max(ys1))
        self._shapes: dict[str, tuple] = {}

    def draw(self, frame, colour_of: Callable[[str], Cmyk], points: Sequence[tuple[float, float]] = ()) -> _Map:
        p, c = self.p, self.p.c
        m = _Map(self.bounds, frame)
        fx, fy, fw, fh = frame
        code = c._code
        code.append(f"q {fp_str(fx, fy, fw, fh)} re W n")
        # Context: the neighbouring communes, light grey, unshaded.
        wx0, wy0, wx1, wy1 = m.world
        for o in outlines.all_outlines():
            if o.insee in self.shapes:
                continue
            b = o.bounds
            if b[2] < wx0 or b[0] > wx1 or b[3] < wy0 or b[1] > wy1:
                continue
            path = _path(m, o)
            code.append(f"{p._fill_op(CONTEXT)} {path} f* 0 0 0 0 K 0.4 w {path} S")
        # Each commune filled and outlined by one path (B*): half the bytes of a fill then a border pass.
        code.append(f"{fp_str(BORDER.c, BORDER.m, BORDER.y, BORDER.k)} K 0.25 w 1 j")
        for insee, o in self.shapes.items():
            code.append(f"{p._fill_op(colour_of(insee))} {_path(m, o)} B*")
        if points:
            dots = " ".join(_circle(*m.pt(x, y), 1.3) for x, y in points)
            code.append(f"{p._fill_op(BLACK)} 0 0 0 0 K 0.5 w {dots} B")
        self._names(m)
        code.append("Q")
        code.append(f"{fp_str(0, 0, 0, 0.6)} K 0.5 w {fp_str(fx, fy, fw, fh)} re S")
        return m

    def _names(self, m: _Map) -> None:
        """Names inside their commune when they fit there.  Otherwise, with a
        white halo, the most populous communes of a large territory, or every
        commune of a small one (up to ``ALL_NAMES`` communes), moved above or
        below its point when the place is taken; a name that collides
        everywhere is left out."""
        import shapely

        fonts = self.p.fonts
        placed: list[tuple[float, float, float, float]] = []
        by_pop = sorted(
            (pl for pl in self.cov.places if pl.insee in self.shapes), key=lambda pl: (-(pl.population or 0), pl.insee)
        )
        bold = {pl.insee for pl in by_pop[: max(8, min(20, len(by_pop) // 40))]}
        halo_ok = {pl.insee for pl in by_pop} if len(by_pop) <= ALL_NAMES else bold
        fx, fy, fw, fh = m.frame
        for pl in by_pop:
            o = self.shapes.get(pl.insee)
            if o is None:
                continue
            style = LABEL_BIG if pl.insee in bold else LABEL
            name = fonts.clean(pl.name)
            w = fonts.text_width(style.font, name) * style.size
            h = style.size
            poly, inner = self._shape(o)
            cx, cy = m.pt(inner.x, inner.y)
            for k, (dx, dy) in enumerate(((0, 0), (0, h * 1.1), (0, -h * 1.1), (w * 0.6, 0), (-w * 0.6, 0))):
                box = (cx + dx - w / 2, cy + dy - h * 0.35, cx + dx + w / 2, cy + dy + h * 0.65)
                if box[0] < fx + 2 or box[2] > fx + fw - 2 or box[1] < fy + 2 or box[3] > fy + fh - 2:
                    continue
                if any(_intersects(box, q) for q in placed):
                    continue
                # The box in metres, inside the commune's outline?
                x0, y0 = (box[0] - m.ox) / m.s, (box[1] - m.oy) / m.s
                x1, y1 = (box[2] - m.ox) / m.s, (box[3] - m.oy) / m.s
                fits = poly.contains(shapely.box(x0, y0, x1, y1))
                if not fits and pl.insee not in halo_ok:
                    continue
                placed.append(box)
                self._label(cx + dx, box[1] + h * 0.35 - 0.2, name, style, halo=not fits)
                break

    def _shape(self, o: outlines.Outline):
        """The commune as a shapely polygon and a point inside it, made once for all the maps."""
        import shapely

        got = self._shapes.get(o.insee)
        if got is None:
            poly = shapely.MultiPolygon([(p[0], list(p[1:])) for p in o.polygons])
            shapely.prepare(poly)
            got = self._shapes[o.insee] = (poly, poly.point_on_surface())
        return got

    def _label(self, cx: float, y: float, name: str, style: TextStyle, halo: bool) -> None:
        p = self.p
        w = p.fonts.text_width(style.font, name) * style.size
        x = cx - w / 2
        fname = p.fonts.names[style.font]
        if halo:
            out = [f"q {p._fill_op(WHITE)} 0 0 0 0 K 1.6 w 1 j BT 2 Tr 1 0 0 1 {fp_str(x, y)} Tm"]
            p.encoder.show(out, fname, style.size, name, None)
            out.append("ET Q")
            p.c._code.append(" ".join(out))
        out = [p._fill_op(BLACK), "BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
        p.encoder.show(out, fname, style.size, name, None)
        out.append("ET")
        p.c._code.append(" ".join(out))


def _scale_bar(p: Painter, m: _Map, x: float, y: float) -> None:
    """A bar of a round length (1, 2 or 5 × 10ⁿ km) near a fifth of the frame."""
    target_m = m.frame[2] / 5 / m.s
    length = 1.0
    for base in (1, 2, 5, 10, 20, 50, 100, 200):
        if base * 1000 <= target_m:
            length = base
    seg = length * 1000 * m.s / 2
    p.rect(x, y, seg, 3, BLACK)
    p.rect(x + seg, y, seg, 3, WHITE)
    p.c._code.append(f"0 0 0 1 K 0.5 w {fp_str(x, y, 2 * seg, 3)} re S")
    p.text(x, y + 5, "0", SMALL)
    p.text(x + 2 * seg, y + 5, f"{length:g}\u00a0km", SMALL, align="center")


def _north(p: Painter, x: float, y: float) -> None:
    p.c._code.append(
        f"{p._fill_op(BLACK)} {fp_str(x, y + 16)} m {fp_str(x - 4, y + 4)} l {fp_str(x, y + 7)} l "
        f"{fp_str(x + 4, y + 4)} l h f"
    )
    p.text(x, y - 5, "N", BOLD, align="center")


def _legend_lines(p: Painter, items: Sequence[tuple[str, Cmyk, int]], width: float) -> list[list[tuple[str, Cmyk]]]:
    """The legend's swatches split into lines that fit the measure."""
    lines: list[list[tuple[str, Cmyk]]] = [[]]
    x = 0.0
    for label, colour, n in items:
        text = f"{label} ({number_fr(n)})"
        w = p.fonts.text_width("regular", p.fonts.clean(text)) * SMALL.size
        if lines[-1] and x + 13 + w > width:
            lines.append([])
            x = 0.0
        lines[-1].append((text, colour))
        x += 13 + w + 10
    return lines


LEGEND_LINE = 13.0


def _legend_height(p: Painter, items, width: float, dots: str | None) -> float:
    return BOLD.leading + LEGEND_LINE * (len(_legend_lines(p, items, width)) + (1 if dots else 0)) + 6


def _legend(doc: _Doc, title: str, items: Sequence[tuple[str, Cmyk, int]], dots: str | None = None) -> None:
    p = doc.p
    doc.y -= BOLD.leading
    p.text(doc.x, doc.y, title, BOLD)
    for line in _legend_lines(p, items, doc.width):
        doc.y -= LEGEND_LINE
        x = doc.x
        for text, colour in line:
            p.rect(x, doc.y - 1, 10, 7, colour)
            p.c._code.append(f"0 0 0 0.5 K 0.25 w {fp_str(x, doc.y - 1, 10, 7)} re S")
            w = p.text(x + 13, doc.y, text, SMALL)
            x += 13 + w + 10
    if dots:
        doc.y -= LEGEND_LINE
        p.c._code.append(f"{p._fill_op(BLACK)} 0 0 0 0 K 0.5 w {_circle(doc.x + 5, doc.y + 2.5, 1.3)} B")
        p.text(doc.x + 13, doc.y, dots, SMALL)
    doc.y -= 6


def _below_map(doc: _Doc, items, dots: str | None) -> float:
    """Height of what goes under a map: legend and source line."""
    source = len(doc.wrap(SOURCE_LINE, SMALL, doc.width)) * SMALL.leading
    return 4 + _legend_height(doc.p, items, doc.width, dots) + source + 2


def _map_frame(doc: _Doc, height_for_text: float, bounds) -> tuple[float, float, float, float]:
    """The map's frame: the full measure, and no taller than the territory
    needs (a wide EPCI leaves the legend under its map, not at the page foot)."""
    room = doc.y - doc.g.bottom - height_for_text
    h = min(room, _wanted(doc, bounds))
    return (doc.x, doc.y - h, doc.width, h)


def _wanted(doc: _Doc, bounds) -> float:
    """The frame height that holds the territory at the full measure."""
    w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
    return doc.width * (h / w if w else 1.0) * 1.1 + 30


SOURCE_LINE = (
    "Contours des communes : IGN ADMIN EXPRESS COG 2018 (Licence Ouverte), simplifiés ; "
    "population : INSEE, recensement 2021 ; projection Lambert-93."
)


def _distance_page(doc: _Doc, drawer: _MapDrawer, a: Access) -> None:
    doc.new_page()
    doc.para(f"Accès : {a.label}", H1, after=2)
    doc.para(
        f"Distance à vol d’oiseau du centre de chaque commune (centroïde de son contour) au service le plus proche "
        f"({plural(a.services_used, 'service localisé', 'services localisés')}, dans le territoire ou autour ; "
        "0 km quand la commune en a un, comme pour la « distance d’accès » de l’Insee).",
        SMALL,
        after=4,
    )
    _missing_outlines(doc, drawer.cov)
    shares = "  ·  ".join(
        f"à plus de {s.km}\u00a0km : {number_fr(s.population)}\u00a0hab. ({pct_fr(s.share(a.population))})"
        for s in a.shares
    )
    doc.para(shares, BOLD, after=4)
    classes = [dist_class(c.distance_km) for c in a.communes]
    colours = {c.place.insee: cl[2] for c, cl in zip(a.communes, classes)}
    items = [(label, colour, sum(1 for cl in classes if cl[1] == label)) for _, label, colour in DIST_CLASSES]
    unknown = sum(1 for cl in classes if cl is UNKNOWN)
    if unknown:
        items.append((UNKNOWN[1], UNKNOWN[2], unknown))
    dots = f"{a.label} (position du service)"
    frame = _map_frame(doc, _below_map(doc, items, dots), drawer.bounds)
    m = drawer.draw(frame, lambda insee: colours.get(insee, UNKNOWN[2]), a.points)
    _scale_bar(doc.p, m, frame[0] + 8, frame[1] + 8)
    _north(doc.p, frame[0] + frame[2] - 14, frame[1] + frame[3] - 26)
    doc.y = frame[1] - 4
    _legend(doc, "Distance au service le plus proche (nombre de communes)", items, dots=dots)
    doc.para(SOURCE_LINE, SMALL, GREY, after=0)


def _missing_outlines(doc: _Doc, cov: Coverage) -> None:
    n = len(cov.without_outline)
    if n:
        doc.para(
            f"{plural(n, 'commune du territoire n’a', 'communes du territoire n’ont')} pas de contour dans le paquet "
            "(seuls l’Allier, le Cantal, la Haute-Loire et le Puy-de-Dôme en ont) : absentes de la carte, "
            "elles restent dans les tableaux ; les parts de population ne portent que sur les communes situées.",
            SMALL,
            after=4,
        )


def _count_page(doc: _Doc, drawer: _MapDrawer, a: Access) -> None:
    # Under the distance map of a wide territory when it fits there whole.
    needed = H1.leading + BOLD.leading + 12 + _wanted(doc, drawer.bounds) + 110
    if doc.room() < needed:
        doc.new_page()
    else:
        doc.y -= 16
    doc.para(f"Nombre de services par commune : {a.label}", H1, after=2)
    with_one = sum(1 for c in a.communes if c.services)
    doc.para(
        f"{plural(a.services_inside, 'service', 'services')} dans le territoire ; "
        f"{plural(with_one, 'commune en a', 'communes en ont')} au moins un, "
        f"{plural(len(a.communes) - with_one, 'n’en a', 'n’en ont')} aucun.",
        BOLD,
        after=4,
    )
    counts = {c.place.insee: c.services for c in a.communes}
    items = [
        (label, colour, sum(1 for n in counts.values() if count_class(n)[0] == low))
        for low, label, colour in COUNT_CLASSES
    ]
    frame = _map_frame(doc, _below_map(doc, items, None), drawer.bounds)
    m = drawer.draw(frame, lambda insee: count_class(counts.get(insee, 0))[2])
    _scale_bar(doc.p, m, frame[0] + 8, frame[1] + 8)
    _north(doc.p, frame[0] + frame[2] - 14, frame[1] + frame[3] - 26)
    doc.y = frame[1] - 4
    _legend(doc, "Nombre de services dans la commune (nombre de communes)", items)
    doc.para(SOURCE_LINE, SMALL, GREY, after=0)


def _farthest(doc: _Doc, a: Access) -> None:
    far = sorted((c for c in a.communes if c.distance_km), key=lambda c: -(c.distance_km or 0))[:FARTHEST]
    if not far:
        return
    doc.heading(f"{a.label} : les communes les plus éloignées", H2)
    total = sum(1 for c in a.communes if c.distance_km)
    if total > len(far):
        doc.para(
            f"Les {len(far)} plus éloignées sur {number_fr(total)} communes sans ce service ; "
            "toutes les communes figurent dans la feuille « Distances » du classeur (-o bilan.xlsx).",
            SMALL,
        )
    doc.table(
        ("Commune", "Population", "Distance", "Service le plus proche"),
        [
            (
                c.place.name,
                number_fr(c.place.population or 0),
                km_fr(c.distance_km or 0) + (" *" if c.near_edge else ""),
                c.nearest or "",
            )
            for c in far
        ],
        (3, 1.2, 1.3, 5),
        ("left", "right", "right", "left"),
    )
    if any(c.near_edge for c in far):
        doc.para(
            "* Commune plus proche de la limite des contours connus (l’Auvergne) que du service trouvé : un service "
            "situé au-delà, dans des fichiers non lus, peut être plus proche.",
            SMALL,
        )


def render_coverage(cov: Coverage, out: Path, layout_name: str = "a4", icc: Path | None = None) -> CoverageRender:
    """Write the report to ``out``; with ``icc`` (the printer's CMYK profile) it
    is identified as PDF/X-4 like a book (:mod:`.pdfx`)."""
    layout = load_layout(layout_name)
    fonts = FontSet(layout.fonts)
    geo = Geometry.of(layout, layout.bleed, False)
    themes = ", ".join(taxonomy.theme(s).label for s in cov.themes)
    warnings: list[str] = []
    with no_a85(), output.replacing(out) as tmp:
        c = open_canvas(
            tmp,
            geo.page_size,
            fonts,
            cov.today,
            title=f"Bilan de couverture — {cov.territory}",
            author="annuaire",
            subject=themes,
        )
        painter = Painter(c, geo, fonts, layout)
        doc = _Doc(painter, geo, f"Bilan de couverture — {cov.territory} — {date_fr(cov.today)}")
        _summary(doc, cov, themes)
        _typologies(doc, cov)
        _mairies(doc, cov)
        _stale(doc, cov)
        if cov.has_outlines:
            drawer = _MapDrawer(doc, cov)
            for a in cov.access:
                _distance_page(doc, drawer, a)
                _count_page(doc, drawer, a)
                _farthest(doc, a)
            if cov.without_outline:
                warnings.append(f"{len(cov.without_outline)} communes sans contour : non dessinées sur les cartes")
        else:
            doc.new_page()
            doc.para("Cartes", H1)
            doc.para(
                "Pas de contours de communes pour ce territoire : le paquet ne contient que ceux de l’Allier, du "
                "Cantal, de la Haute-Loire et du Puy-de-Dôme. Les tableaux ci-dessus et le classeur restent "
                "complets ; les distances sont calculées quand les communes ont une position connue.",
            )
            warnings.append("territoire sans contours de communes : cartes non dessinées")
            for a in cov.access:
                _farthest(doc, a)
        painter.end_page()
        c.save()
    if icc is not None:
        from .pdfx import add_output_intent

        add_output_intent(out, out, icc, title=f"Bilan de couverture — {cov.territory}")
    return CoverageRender(doc.page, tuple(warnings), layout.bleed)


def _summary(doc: _Doc, cov: Coverage, themes: str) -> None:
    doc.new_page()
    doc.y -= 10
    doc.para("Bilan de couverture", TITLE, after=2)
    doc.para(cov.territory, H1, after=2)
    doc.para(f"Thèmes : {themes}. Bilan établi le {date_fr(cov.today)}.", BODY, GREY, after=10)
    c = cov.counts
    doc.para(
        f"{plural(c.rows_read, 'ligne lue', 'lignes lues')} : {plural(c.printed, 'entrée imprimée', 'entrées imprimées')} "
        f"dans cette édition, {plural(c.rejected, 'rejetée', 'rejetées')}, "
        f"{plural(c.duplicates, 'doublon fusionné', 'doublons fusionnés')}, {number_fr(c.out_of_scope)} hors thème ou "
        f"hors territoire, {plural(c.withdrawn, 'retirée', 'retirées')} (remplacées par une édition plus récente).",
        BODY,
    )
    with_entries = sum(1 for t in cov.typologies if t.entries)
    lines = [
        f"Typologies de l’annexe 1 représentées : {with_entries} sur {len(cov.typologies)} ; "
        f"{plural(len(cov.empty_typologies), 'typologie', 'typologies')} sans aucune entrée : à demander aux "
        "contributeurs, quand le service existe dans le territoire.",
        f"Communes du territoire : {number_fr(len(cov.places))} ; sans entrée « Mairie » : "
        f"{number_fr(len(cov.missing_mairies))}.",
        f"Entrées dont les données ont plus de {cov.stale_months} mois : {number_fr(cov.stale_count)} sur "
        f"{number_fr(c.printed)}, de {plural(len(cov.stale), 'source', 'sources')}.",
    ]
    for a in cov.access:
        s = "; ".join(f"{s.km}\u00a0km : {pct_fr(s.share(a.population))}" for s in a.shares)
        lines.append(f"{a.label} : part de la population à plus de {s}.")
    doc.heading("En bref", H2)
    for line in lines:
        doc.para("– " + line, BODY, after=3)


def _typologies(doc: _Doc, cov: Coverage) -> None:
    doc.heading("Entrées par typologie de l’annexe 1", H1)
    doc.para(
        "Nombre d’entrées que l’édition imprimerait dans le territoire et nombre de communes qui en ont au moins une. "
        "Sur fond rose et en gras, les typologies sans aucune entrée.",
        SMALL,
    )
    for slug in cov.themes:
        rows = [t for t in cov.typologies if t.theme == slug]
        doc.heading(taxonomy.theme(slug).label, H2)
        doc.table(
            ("Code", "Typologie", "Entrées", "Communes"),
            [(t.code, t.label, number_fr(t.entries), number_fr(t.communes)) for t in rows],
            (1, 7, 1.3, 1.3),
            ("left", "left", "right", "right"),
            styles=[BOLD if not t.entries else None for t in rows],
            shades=[ALERT if not t.entries else None for t in rows],
        )
    empty = cov.empty_typologies
    doc.heading("À demander aux contributeurs", H1)
    if not empty:
        doc.para("Chaque typologie des thèmes a au moins une entrée.")
        return
    doc.para(
        f"{plural(len(empty), 'typologie n’a', 'typologies n’ont')} aucune entrée dans le territoire. Quand ces "
        "services y existent, demandez-les aux contributeurs (mairies, EPCI, organismes) :",
        BODY,
    )
    for slug in cov.themes:
        labels = [t.label for t in empty if t.theme == slug]
        if labels:
            doc.para(f"{taxonomy.theme(slug).label} ({len(labels)}) : " + " ; ".join(labels) + ".", BODY)


def _mairies(doc: _Doc, cov: Coverage) -> None:
    doc.heading("Communes sans entrée « Mairie »", H1)
    missing = cov.missing_mairies
    if not missing:
        doc.para(f"Chacune des {number_fr(len(cov.places))} communes a une entrée « Mairie ».")
        return
    doc.para(
        f"Toute commune a une mairie : {plural(len(missing), 'commune n’a', 'communes n’ont')} pas d’entrée "
        "« Mairie » dans les fichiers lus (tous thèmes confondus). Ce sont des lacunes des données.",
        BODY,
    )
    if len(missing) <= LONG_LIST:
        doc.table(
            ("Code INSEE", "Commune", "Population"),
            [(p.insee, p.name, number_fr(p.population or 0)) for p in missing],
            (1.3, 5, 1.5),
            ("left", "left", "right"),
        )
    else:
        doc.column_list([f"{p.name} ({p.insee})" for p in missing], 3)


def _stale(doc: _Doc, cov: Coverage) -> None:
    doc.heading(f"Données de plus de {cov.stale_months} mois, par source", H1)
    if not cov.stale:
        doc.para(f"Aucune entrée n’a de données de plus de {cov.stale_months} mois.")
        return
    doc.para(
        f"{plural(cov.stale_count, 'entrée', 'entrées')} de l’édition ont une date de mise à jour antérieure "
        f"de plus de {cov.stale_months} mois au {date_fr(cov.today)}. La liste complète, entrée par entrée, est "
        "dans la feuille « Données anciennes » du classeur (-o bilan.xlsx).",
        BODY,
    )
    doc.table(
        ("Source ou contributeur", "Entrées", "La plus ancienne", "La plus récente"),
        [(s.source, number_fr(len(s.entries)), date_fr(s.oldest, True), date_fr(s.newest, True)) for s in cov.stale],
        (5, 1.2, 2, 2),
        ("left", "right", "right", "right"),
    )
