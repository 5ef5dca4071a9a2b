"""Every page the preflight tests scan is also scanned by the other reader.

The walker reads plain content streams with its own fast reader
(``annuaire.preflight.stream``) and anything else with pikepdf.  The
preflight test modules import the autouse fixture below (not a conftest.py:
tests/pdf/conftest.py is imported as ``conftest``), which makes every
hostile sample of these tests a check of that split:
each page the fast reader read is scanned again with pikepdf only, and the
two PageScans must be identical (``repr``, so that a float's sign and the
order of the findings count too).  test_stream.py checks that the samples
and the project's own files do go the fast way.
"""

from __future__ import annotations

import pytest

from annuaire.preflight import content


@pytest.fixture(autouse=True)
def both_readers_agree(monkeypatch):
    scan_page = content.Walker.scan_page

    def scanned_both_ways(self, page, resources, bleed, trim=None):
        fast_before = self.fast_pages
        scan = scan_page(self, page, resources, bleed, trim)
        if self.fast_pages > fast_before:  # else pikepdf read it: nothing to compare
            other = scan_page(content.Walker(self.max_ink, fast=False), page, resources, bleed, trim)
            assert repr(other) == repr(scan), f"the two readers disagree on {page}"
        return scan

    monkeypatch.setattr(content.Walker, "scan_page", scanned_both_ways)
    yield
