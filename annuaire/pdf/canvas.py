"""Setting up a ReportLab canvas the same way for the book and its cover.

Both files are written reproducibly (``invariant=1``, dates from the
edition, not the clock), compressed, CMYK only, without ASCII85 (binary
streams are smaller and faster to write).
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import zlib

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream, PDFZCompress
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


def compress_last_page(c: Canvas) -> None:
    """Compress the page just shown, now rather than when the file is saved.

    ReportLab keeps every page's operators as text until ``save()`` (about
    30 MB for a book of 3,700 pages, the largest part of the memory peak);
    compressed at once they take a fifth of that.  The bytes written are the
    same: the same ``zlib.compress`` call ReportLab makes at save time, and
    the filter declared the way it declares it (``Filter`` then ``Length``)."""
    page = c._doc.Pages.pages[-1]
    code = page.stream
    if not code or page.Contents or not page.compression or rl_config.useA85:
        return
    if isinstance(code, str):
        code = code.encode("utf8")
    page.Contents = _stream(zlib.compress(code))
    page.stream = None


def compressed_content(c: Canvas) -> bytes | None:
    """The compressed content of the page just shown and compressed by
    :func:`compress_last_page`, or None when it was not (left to ReportLab)."""
    page = c._doc.Pages.pages[-1]
    stream = page.Contents
    if page.stream is not None or not isinstance(stream, PDFStream) or not isinstance(stream.content, bytes):
        return None
    return stream.content


def set_last_page_content(c: Canvas, content: bytes) -> None:
    """Give the page just shown the content ``content``, compressed by
    :func:`compress_last_page` for the same page on another canvas (a
    forked process drew it): the file is then the same as if it had been
    drawn here.  What was drawn on this canvas for the page is dropped."""
    page = c._doc.Pages.pages[-1]
    page.Contents = _stream(content)
    page.stream = None


def _stream(content: bytes) -> PDFStream:
    stream = PDFStream(content=content, filters=[PDFZCompress])
    stream.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
    stream.__Comment__ = "page stream"
    return stream
