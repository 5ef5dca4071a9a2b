"""The naive reference of the end-to-end benchmark: xlsx → platypus multiBuild.

``python benchmarks/naive_reference.py IN.xlsx OUT.pdf`` reads the rows with openpyxl
(no validation, no merge), sorts them by typology, commune and name, and builds an A5
two-column document with ReportLab platypus: a ``TableOfContents`` of typologies, one
``KeepTogether`` per entry, and a ``SimpleIndex`` of names, with ``multiBuild`` (the
straightforward way to get page numbers right). It prints the page count.
"""

from __future__ import annotations

import sys
from xml.sax.saxutils import escape


def build(rows: list[tuple[str, ...]], out: str) -> int:
    """The platypus reference on rows (name, typology, address, postal code, commune,
    phone, e-mail, web site, hours, description), sorted here; returns the page count.
    Shared by this script (end to end, from an xlsx) and bench_build.py (entries in memory)."""
    import fontpkg_atkinson_hyperlegible as fp
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Frame, KeepTogether, PageTemplate, Paragraph
    from reportlab.platypus.doctemplate import BaseDocTemplate
    from reportlab.platypus.tableofcontents import SimpleIndex, TableOfContents

    files = fp.ROOT / "files"
    pdfmetrics.registerFont(TTFont("AH", str(files / "AtkinsonHyperlegible-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("AH-B", str(files / "AtkinsonHyperlegible-Bold.ttf")))
    rows = sorted(rows, key=lambda r: (r[1], r[4], r[0]))
    body = ParagraphStyle("b", fontName="AH", fontSize=9, leading=11)
    name = ParagraphStyle("n", parent=body, fontName="AH-B")
    head = ParagraphStyle("h", parent=body, fontName="AH-B", fontSize=12, leading=15, keepWithNext=1)

    class Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):
            if getattr(flowable, "toc_level", None) is not None:
                self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))

    doc = Doc(str(out), pagesize=A5, initialFontName="AH")
    w, h = A5
    gutter = 5 * mm
    col = (w - 30 * mm - gutter) / 2
    frames = [
        Frame(15 * mm, 15 * mm, col, h - 30 * mm, id="l"),
        Frame(15 * mm + col + gutter, 15 * mm, col, h - 30 * mm, id="r"),
    ]
    doc.addPageTemplates([PageTemplate(id="p", frames=frames)])
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("t", parent=body)]
    index = SimpleIndex(style=[ParagraphStyle("i", parent=body)], headers=True)
    story = [toc]
    current = None
    for nom, typ, adr, cp, commune, tel, mail, web, hours, desc in rows:
        if typ != current:
            current = typ
            p = Paragraph(escape(typ), head)
            p.toc_level = 0
            story.append(p)
        lines = [
            Paragraph(f'<index item="{escape(nom)}"/>{escape(nom)}', name),
            Paragraph(escape(f"{adr}, {cp} {commune}"), body),
            Paragraph(escape(f"Tél. {tel} — {mail}"), body),
            Paragraph(escape(web), body),
        ]
        lines += [Paragraph(escape(x), body) for x in hours.splitlines() if x]
        lines.append(Paragraph(escape(desc), body))
        story.append(KeepTogether(lines))
    story.append(index)
    doc.multiBuild(story, canvasmaker=index.getCanvasMaker(), maxPasses=10)
    return doc.page


def main(src: str, out: str) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(src, read_only=True).active
    rows = [tuple("" if v is None else str(v) for v in r) for r in ws.iter_rows(min_row=2, values_only=True)]
    print(build(rows, out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
