"""Setting up a ReportLab canvas the same way for the book and its cover.

Both files are written reproducibly (``invariant=1``, dates from the
edition, not the clock), compressed, CMYK only, without ASCII85 (binary
streams are smaller and faster to write).
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from annuaire.pdf.fonts import FontSet

CREATOR = "annuaire (annuaires papier des services publics)"


@contextlib.contextmanager
def no_a85():
    """ASCII85 costs time and size for nothing in a binary PDF; ReportLab only has a global switch."""
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


def open_canvas(
    path: Path,
    size: tuple[float, float],
    fonts: FontSet,
    edition: date,
    *,
    title: str,
    author: str,
    subject: str | None = None,
    font_size: float | None = None,
) -> Canvas:
    """A canvas for ``path`` with the document information set; call inside :func:`no_a85`."""
    kw = {} if font_size is None else {"initialFontSize": font_size}
    c = Canvas(
        str(path),
        pagesize=size,
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.names["regular"],
        enforceColorSpace="cmyk",
        **kw,
    )
    stamp = edition.strftime("D:%Y%m%d000000+00'00'")
    c.setDateFormatter(lambda *a: stamp)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator(CREATOR)
    if subject is not None:
        c.setSubject(subject)
    return c
