"""The PDF engine: a :class:`~annuaire.editions.group.Directory` and a layout in, a print-ready PDF out.

Only this package imports ReportLab.  Public API::

    render(directory, layout, out_path, options=RenderOptions()) -> RenderResult

``RenderResult.page_log`` lists what was placed where (see :class:`Placement`):
tests and the preflight read it instead of pixels.

How it works (one pass, no platypus — see ``render.py`` and its parts ``compose``, ``book``, ``furniture``, ``canvas``): entries
become blocks of lines measured with cached word widths; blocks are stacked
into columns; page numbers are assigned once the body is paginated, the
contents (with a fixed-width number column, so its length does not depend on
the numbers) and the indexes are then laid out, and everything is drawn
directly on the canvas.
"""

from annuaire.pdf.render import Placement, RenderOptions, RenderResult, paper_thickness, render, spine_width

__all__ = [
    "Placement",
    "RenderOptions",
    "RenderResult",
    "paper_thickness",
    "render",
    "spine_width",
]
