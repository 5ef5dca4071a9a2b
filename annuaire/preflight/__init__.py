"""Print preflight of any PDF, with pikepdf only (never reportlab).

``preflight(path, …)`` opens the file once, reads the page boxes and fonts
from the objects, makes one pass over each page's content streams (see
:mod:`.content`; with ``jobs=2`` a forked process opens the file again and
scans every other page of a long file) and returns a
:class:`PreflightReport` of ten checks:

========================  ===============================================
code                      what fails it
========================  ===============================================
``fichier``               a damaged or truncated file (qpdf had to
                          reconstruct it: a reader may not), no page found,
                          an encrypted file (PDF/X forbids encryption)
``polices``               a font not embedded (no FontFile/2/3, Type0
                          descendants and fonts of forms, patterns and
                          annotation appearances included) or a Type 3 font
``boites``                TrimBox or BleedBox missing (raw keys, not the
                          MediaBox defaults ``pdfinfo -box`` shows), not
                          nested Trim ⊂ Bleed ⊂ Media, different from page 1,
                          /Rotate, bleed ≠ ``bleed_mm`` ± 0.1 mm per side
``pagination``            saddle stitch (``binding='piquee'``) not a
                          multiple of 4 (above 64 pages: warning only)
``rvb``                   any RGB: rg/RG, cs/CS on DeviceRGB, CalRGB,
                          ICCBased N=3, Indexed over RGB, spot colours with
                          an RGB alternate, RGB images, shadings and
                          transparency groups.  DeviceGray is accepted (it
                          prints on K) and listed as info
``corps-texte``           shown text whose effective size (Tf × Tm × CTM)
                          is under ``min_text_pt``
``texte-hors-format``     shown text whose line starts outside the TrimBox
                          (± 0.5 pt): cut off by the trimming, or drawn
                          past the page (an overlong field)
``resolution-images``     an image placed below ``min_ppi``
``encrage``               a CMYK fill above ``max_ink`` % inside the
                          BleedBox (strokes ignored: registration marks)
``pdfx``                  a GTS_PDFX output intent that is incomplete; the
                          *absence* of any output intent is only info
========================  ===============================================

``contenu`` (only when there is something to say) fails on an unreadable
content stream or operator, and on a page whose analysis stopped after
``content.MAX_OPERATORS_PER_PAGE`` operators (forms counted at each
placement: nested forms drawn many times cannot hang the preflight).

Warnings and info findings never fail a check.  A file that cannot be read
as a PDF raises :class:`UnreadablePdf` (an :class:`AnnuaireError`).
"""

from __future__ import annotations

import itertools
import time
import unicodedata
from pathlib import Path
from typing import Callable

import pikepdf

from annuaire.errors import AnnuaireError
from . import checks
from .content import Walker
from .report import Check, Finding, PreflightReport, make_check

__all__ = ["preflight", "PreflightReport", "Check", "Finding", "UnreadablePdf"]


class UnreadablePdf(AnnuaireError, ValueError):
    """The file is missing, is not a PDF, or needs a password."""


def preflight(
    path,
    bleed_mm: float | None = None,
    binding: str | None = None,
    min_text_pt: float = 6.0,
    min_ppi: int = 300,
    max_ink: float = 300.0,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> PreflightReport:
    """Run every print check on the PDF at ``path``.

    ``binding`` is ``'piquee'`` (saddle stitch), ``'collee'`` (perfect
    binding) or None; accented spellings are accepted.  ``progress(done,
    pages)`` is called after each page's content is examined.  ``jobs=2``
    reads every other page of a long file in a forked process (see _scan)."""
    started = time.perf_counter()
    binding_key = _binding(binding)
    pdf, mapped = _open(path)
    with pdf:
        boxes = [checks.read_boxes(p.obj) for p in pdf.pages]
        resources = [_resources(p.obj) for p in pdf.pages]
        # A helper reads the document as this process opened it: only if it is
        # mapped in memory (through a file handle both would move one offset).
        helper = _Helper.start(pdf, boxes, resources, max_ink) if jobs > 1 and mapped else None
        scans = _scan(pdf, boxes, resources, max_ink, progress, helper)
        found = (
            checks.check_fonts(pdf, resources),
            checks.check_boxes(boxes, bleed_mm),
            checks.check_page_count(len(pdf.pages), binding_key),
            checks.check_rgb(scans),
            checks.check_text_size(scans, min_text_pt),
            checks.check_text_inside(scans),
            checks.check_images(scans, min_ppi),
            checks.check_ink(scans, max_ink),
            checks.check_pdfx(pdf),
        )
        found += _unreadable_streams(scans)
        pages = len(pdf.pages)
        # Last: qpdf's warnings include the objects it had to recover while
        # the checks above read them.
        found = (checks.check_file(pdf, pages),) + found
    return PreflightReport(str(path), pages, found, time.perf_counter() - started)


def _binding(binding: str | None) -> str | None:
    if binding is None:
        return None
    key = unicodedata.normalize("NFC", binding.strip().lower())
    if key not in checks.BINDINGS:
        raise ValueError(
            f"Reliure inconnue « {binding} » : utiliser « piquee » (piqûre à cheval) ou « collee » (dos carré collé)."
        )
    return checks.BINDINGS[key]


def _open(path) -> tuple[pikepdf.Pdf, bool]:
    """The document, and whether it is mapped in memory rather than read
    through a file handle (a forked helper may then read it, see _Helper)."""
    p = Path(path)
    if not p.is_file():
        raise UnreadablePdf(f"Fichier PDF introuvable : {p}. Vérifier le chemin.")
    try:
        try:
            return pikepdf.open(p, access_mode=pikepdf.AccessMode.mmap_only), True
        except (ValueError, OSError):  # not mappable (empty, a special file…): read through a handle
            return pikepdf.open(p), False
    except pikepdf.PasswordError:
        raise UnreadablePdf(f"{p.name} est protégé par un mot de passe : fournir une version non chiffrée.") from None
    except pikepdf.PdfError as exc:
        raise UnreadablePdf(f"{p.name} n’est pas un PDF lisible ({exc}).") from None


def _resources(page_obj):
    value, _ = checks._inherited(page_obj, "/Resources")
    return value


# Below this many pages a second process (a fork, the file opened again,
# the scans sent back: about 0.1 s) costs more than it saves.
PARALLEL_MIN_PAGES = 400


def _scan(pdf, boxes, resources, max_ink, progress=None, helper=None):
    """One PageScan per page.  With a ``helper`` (see _Helper), the even
    pages are scanned by a second process while this one scans the odd ones
    (alternate pages: the index's pages, heavier than the body's, are shared
    too): the same scans, on two cores.  (A form whose content cannot be
    parsed is then reported on the first page of each process that draws it;
    the build's own files have none.)"""
    pages = len(boxes)
    if helper is None:
        return _scan_range(pdf, boxes, resources, max_ink, 0, pages, progress)
    odd = _scan_range(pdf, boxes, resources, max_ink, 0, pages, progress, step=2)
    even = helper.result()
    if even is None or len(even) != pages // 2:
        even = _scan_range(pdf, boxes, resources, max_ink, 1, pages, progress, step=2)  # the helper failed
    elif progress is not None:
        progress(pages, pages)
    scans: list = [None] * pages
    scans[0::2], scans[1::2] = odd, even
    return scans


def _scan_range(pdf, boxes, resources, max_ink, start: int, stop: int, progress=None, step: int = 1):
    """Pages start, start + step… before stop."""
    walker = Walker(max_ink=max_ink)
    scans = []
    total = len(boxes)
    # Iterated, not indexed: pdf.pages[i] costs time in proportion to the page count.
    for i, page in zip(range(start, stop, step), itertools.islice(pdf.pages, start, stop, step)):
        box = boxes[i]
        # Fills entirely outside the BleedBox (marks) do not count for ink.
        # Text starting outside the TrimBox (the page without one) is cut off or drawn past the page.
        scans.append(walker.scan_page(page, resources[i], box.bleed, box.trim or box.media))
        if progress is not None:
            progress(i + 1, total)
    return scans


# What the forked helper reads: set just before the fork, inherited without copying.
_SHARED: tuple = ()


class _Helper:
    """A forked process scanning the even pages of the file (Linux only: a
    fork shares the loaded code, where a fresh interpreter would import it
    all again; elsewhere, or if the fork fails, this process scans them).

    It reads the document this process opened (mapped in memory: each
    process reads it at its own offset), its pages, boxes and resources as
    they were read here: opening it again would cost the time and the memory
    (some 25 MB for 4,000 pages) of a second copy of qpdf's objects."""

    def __init__(self, pool, future):
        self._pool, self._future = pool, future

    @classmethod
    def start(cls, pdf: pikepdf.Pdf, boxes: list, resources: list, max_ink: float) -> "_Helper | None":
        global _SHARED
        pages = len(boxes)
        if pages < PARALLEL_MIN_PAGES or not _can_fork():
            return None
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _SHARED = (pdf, boxes, resources, max_ink)
        try:
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            return cls(pool, pool.submit(_scan_shared))
        except OSError:  # no process to be had
            return None
        finally:
            _SHARED = ()  # the fork happened in submit: the helper has its copy

    def result(self) -> list | None:
        """The helper's scans, or None if it failed."""
        try:
            return self._future.result()
        # Whatever stopped it (killed, out of memory, an unreadable page), this
        # process scans the pages again: a real error is raised there.
        except Exception:
            return None
        finally:
            self._pool.shutdown()


def _can_fork() -> bool:
    import multiprocessing
    import sys

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _scan_shared() -> list:
    """In the helper: the scans of the even pages of the document inherited."""
    pdf, boxes, resources, max_ink = _SHARED
    return _scan_range(pdf, boxes, resources, max_ink, 1, len(boxes), step=2)


def _unreadable_streams(scans) -> tuple[Check, ...]:
    findings = [Finding(i, msg) for i, s in enumerate(scans, 1) for msg in s.errors]
    if not findings:
        return ()
    return (make_check("contenu", "Flux de contenu lisibles", findings),)
