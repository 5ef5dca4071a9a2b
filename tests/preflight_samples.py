"""Small PDFs made to have exactly one print defect, for the preflight tests.

``make_pdf(path, **defects)`` draws a clean A5 page (trim 148 × 210 mm,
3 mm bleed, embedded TrueType font, CMYK only, 9 pt text, one 300 ppi CMYK
image) with ReportLab, then lets a keyword break one thing.  Images are added
afterwards with pikepdf so their colour space and pixel size are exact.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
from reportlab.lib.colors import CMYKColor
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import fontpkg_atkinson_hyperlegible as atkinson

TRIM = (148 * mm, 210 * mm)
BLEED = 3 * mm
FONT = "Atkinson"
CMYK_ICC_CANDIDATES = (
    "/usr/share/color/icc/ghostscript/default_cmyk.icc",
    "/usr/share/ghostscript/10.00.0/iccprofiles/default_cmyk.icc",
)


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(atkinson.ROOT / "files" / "AtkinsonHyperlegible-Regular.ttf")))


def cmyk_icc() -> Path | None:
    """Ghostscript's CMYK profile, or None when Ghostscript's profiles are absent."""
    for candidate in CMYK_ICC_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    found = sorted(Path("/usr/share").glob("**/default_cmyk.icc"))
    return found[0] if found else None


def make_pdf(
    path,
    *,
    pages: int = 1,
    helvetica: bool = False,
    rgb_fill: bool = False,
    text_pt: float = 9.0,
    scaled_text: bool = False,
    ink: tuple[float, float, float, float] | None = None,
    trimbox: bool = True,
    bleed_mm: float = 3.0,
    image: str | None = "cmyk",  # 'cmyk', 'rgb', 'indexed-rgb' or None
    image_px: int = 300,
    image_inches: float = 1.0,
    crop_marks: bool = False,
    gray_text: bool = False,
    overflow_lines: int = 0,
) -> Path:
    """Write a sample PDF with the given defects; returns its path."""
    _register_font()
    path = Path(path)
    border = 36.0 if crop_marks else 0.0
    bleed = bleed_mm * mm
    # Page = trim + bleed (+ mark area): the recommended way, no ReportLab scaling.
    width, height = TRIM[0] + 2 * BLEED + 2 * border, TRIM[1] + 2 * BLEED + 2 * border
    c = canvas.Canvas(
        str(path),
        pagesize=(width, height),
        invariant=1,
        initialFontName="Helvetica" if helvetica else FONT,
        initialFontSize=9,
    )
    x0, y0 = border + BLEED, border + BLEED  # trim origin
    for n in range(pages):
        if trimbox:
            c.setTrimBox((x0, y0, x0 + TRIM[0], y0 + TRIM[1]))
        c.setBleedBox((x0 - bleed, y0 - bleed, x0 + TRIM[0] + bleed, y0 + TRIM[1] + bleed))
        _draw_page(
            c,
            x0,
            y0,
            n,
            rgb_fill=rgb_fill,
            text_pt=text_pt,
            scaled_text=scaled_text,
            ink=ink,
            helvetica=helvetica,
            gray_text=gray_text,
        )
        if crop_marks:
            _marks(c, x0, y0)
        if overflow_lines and n == pages - 1:
            _overflow(c, x0, y0, overflow_lines)
        c.showPage()
    c.save()
    if image:
        add_image(path, image, image_px, image_inches)
    return path


def _draw_page(c, x0, y0, n, *, rgb_fill, text_pt, scaled_text, ink, helvetica, gray_text):
    # A background reaching into the bleed, as real covers do.
    c.setFillColor(CMYKColor(0.1, 0, 0, 0))
    c.rect(x0 - BLEED, y0 + TRIM[1] - 30 * mm, TRIM[0] + 2 * BLEED, 30 * mm + BLEED, stroke=0, fill=1)
    if rgb_fill:
        c.setFillColorRGB(1, 0, 0)
        c.rect(x0 + 20 * mm, y0 + 20 * mm, 20 * mm, 20 * mm, stroke=0, fill=1)
    if ink:
        c.setFillColor(CMYKColor(*ink))
        c.rect(x0 + 50 * mm, y0 + 20 * mm, 20 * mm, 20 * mm, stroke=0, fill=1)
    if gray_text:
        c.setFillGray(0.5)
    else:
        c.setFillColor(CMYKColor(0, 0, 0, 1))
    font = "Helvetica" if helvetica else FONT
    c.setFont(font, text_pt)
    c.drawString(x0 + 15 * mm, y0 + 150 * mm, f"Page {n + 1} — Mairie de Riom, 04 73 38 99 99")
    if scaled_text:
        c.saveState()
        c.translate(x0 + 15 * mm, y0 + 140 * mm)
        c.scale(0.5, 0.5)
        c.setFont(font, 10)
        c.drawString(0, 0, "Texte de 10 pt réduit de moitié")
        c.restoreState()


OVERFLOW_TOP = 40 * mm  # above the trim's foot
OVERFLOW_LEADING = 11.0


def _overflow(c, x0, y0, lines):
    # An overlong name set as one text object (Tm, TL, then T* between the
    # lines, as ReportLab writes it) that runs on past the foot of the page.
    t = c.beginText(x0 + 15 * mm, y0 + OVERFLOW_TOP)
    t.setFont(FONT, 9, leading=OVERFLOW_LEADING)
    for i in range(lines):
        t.textLine(f"Association intercommunale de la vallée, ligne {i + 1}")
    c.drawText(t)


def _marks(c, x0, y0):
    # Registration-colour crop marks outside the BleedBox, as strokes and,
    # for a harder case, as thin filled rectangles.
    c.saveState()
    c.setStrokeColor(CMYKColor(1, 1, 1, 1))
    c.setFillColor(CMYKColor(1, 1, 1, 1))
    c.setLineWidth(0.25)
    c.line(x0 - 20 * mm / 2.83, y0, x0 - BLEED - 1, y0)
    c.rect(x0 - 10 * mm, y0 - 0.1, 5 * mm, 0.2, stroke=0, fill=1)
    c.restoreState()


def add_image(path: Path, kind: str, px: int, inches: float) -> None:
    """Place a ``px`` × ``px`` image ``inches`` wide on every page (ppi = px / inches)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        image = _image_stream(pdf, kind, px)
        size = inches * 72
        for page in pdf.pages:
            page.add_resource(image, pikepdf.Name.XObject, pikepdf.Name("/ImSample"))
            bleed = [float(v) for v in page.obj.get("/BleedBox", page.obj.MediaBox)]
            x, y = bleed[0] + 40 * mm, bleed[1] + 60 * mm
            page.contents_add(
                pdf.make_stream(f"q {size:.3f} 0 0 {size:.3f} {x:.3f} {y:.3f} cm /ImSample Do Q".encode())
            )
        pdf.save(path, deterministic_id=True)


def _image_stream(pdf: pikepdf.Pdf, kind: str, px: int) -> pikepdf.Stream:
    if kind == "cmyk":
        data, cs = bytes([0, 40, 80, 10]) * (px * px), pikepdf.Name.DeviceCMYK
    elif kind == "rgb":
        data, cs = bytes([200, 30, 30]) * (px * px), pikepdf.Name.DeviceRGB
    elif kind == "indexed-rgb":
        data = bytes([0, 1]) * (px * px // 2) + bytes(px * px % 2)
        cs = pikepdf.Array(
            [pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 1, pikepdf.String(bytes([255, 0, 0, 0, 0, 255]))]
        )
    else:
        raise ValueError(kind)
    stream = pdf.make_stream(zlib.compress(data))
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    stream.Width = stream.Height = px
    stream.ColorSpace, stream.BitsPerComponent = cs, 8
    stream.Filter = pikepdf.Name.FlateDecode
    return stream


def remove_trimbox(path: Path, page_index: int | None = None) -> None:
    """Drop TrimBox from one page (or all) after the fact."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for i, page in enumerate(pdf.pages):
            if page_index is None or i == page_index:
                del page.obj["/TrimBox"]
        pdf.save(path, deterministic_id=True)


def make_type3(path) -> Path:
    """A one-page PDF whose only font is a Type 3 font drawing a square glyph."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    glyph = pdf.make_stream(b"1000 0 0 0 750 750 d1 0 0 750 750 re f")
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type3,
            FontBBox=[0, 0, 750, 750],
            FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
            CharProcs=pikepdf.Dictionary(square=glyph),
            Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=[65, pikepdf.Name.square]),
            FirstChar=65,
            LastChar=65,
            Widths=[1000],
            Resources=pikepdf.Dictionary(),
        )
    )
    page.add_resource(font, pikepdf.Name.Font, pikepdf.Name("/T3"))
    page.obj.Contents = pdf.make_stream(b"0 0 0 1 k BT /T3 12 Tf 20 100 Td (AAA) Tj ET")
    page.obj.TrimBox = page.obj.BleedBox = page.obj.MediaBox
    pdf.save(path, deterministic_id=True)
    return Path(path)


def make_long(path, pages: int) -> Path:
    """A directory-like A5 book (two columns of entries, CMYK, embedded
    fonts, coloured header band) of about ``pages`` pages, for timing."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer

    _register_font()
    path = Path(path)
    width, height = TRIM
    doc = BaseDocTemplate(
        str(path),
        pagesize=(width + 2 * BLEED, height + 2 * BLEED),
        invariant=1,
        initialFontName=FONT,
        trimBox=(BLEED, BLEED, BLEED + width, BLEED + height),
        bleedBox=(0, 0, width + 2 * BLEED, height + 2 * BLEED),
    )
    column = (width - 30 * mm) / 2
    frames = [Frame(BLEED + 12 * mm + i * (column + 6 * mm), BLEED + 15 * mm, column, height - 30 * mm) for i in (0, 1)]

    def band(c, d):
        c.saveState()
        c.setFillColor(CMYKColor(0.8, 0.2, 0, 0))
        c.rect(0, height + 2 * BLEED - 12 * mm, width + 2 * BLEED, 12 * mm, stroke=0, fill=1)
        c.setFillColor(CMYKColor(0, 0, 0, 1))
        c.setFont(FONT, 8)
        c.drawCentredString(BLEED + width / 2, BLEED + 8 * mm, str(d.page))
        c.restoreState()

    doc.addPageTemplates([PageTemplate("p", frames, onPage=band)])
    black = CMYKColor(0, 0, 0, 1)
    name = ParagraphStyle("n", fontName=FONT, fontSize=9, leading=11, textColor=CMYKColor(0.9, 0.3, 0, 0.1))
    body = ParagraphStyle("b", fontName=FONT, fontSize=7.5, leading=9, textColor=black)
    story = []
    for i in range(pages * 14):  # about fourteen entries per page
        story.append(
            KeepTogether(
                [
                    Paragraph(f"Mairie de Saint-Quelquechose n° {i}", name),
                    Paragraph(
                        f"12, rue de la République<br/>63200 Riom<br/>Tél. 04 73 38 99 {i % 100:02d}<br/>"
                        f"mairie{i}@exemple.fr<br/>Lundi au vendredi : 8 h 30 – 12 h / 13 h 30 – 17 h",
                        body,
                    ),
                    Spacer(1, 4),
                ]
            )
        )
    doc.build(story)
    return path
