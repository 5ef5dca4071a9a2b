"""The preflight reads every other page of a long file in a forked process: same report."""

from __future__ import annotations

import os

import pikepdf

import annuaire.preflight as preflight_module
from annuaire.preflight import preflight

import preflight_samples as samples
from preflight_readers import both_readers_agree  # noqa: F401 (autouse: both readers compared)

PARENT = os.getpid()
SCAN_SHARED = preflight_module._scan_shared


def _scan_elsewhere(*args):
    assert os.getpid() != PARENT, "the helper ran in the parent process"
    return SCAN_SHARED(*args)


def _fails(*args):
    raise RuntimeError("the helper failed")


def _dies(*args):
    os._exit(3)  # killed: the pool is broken


def _without_time(report) -> dict:
    data = report.as_dict()
    data.pop("seconds", None)
    return data


def test_second_process_reports_what_one_process_reports(tmp_path, monkeypatch):
    path = samples.make_pdf(tmp_path / "six.pdf", pages=6, text_pt=5.0)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        # An RGB fill on page 6 only: found by the second process, named by its page.
        pdf.pages[5].contents_add(pikepdf.Stream(pdf, b"q 1 0 0 rg 10 10 20 20 re f Q"), prepend=False)
        pdf.save(path)
    one = preflight(path, bleed_mm=3.0)
    monkeypatch.setattr(preflight_module, "PARALLEL_MIN_PAGES", 2)
    monkeypatch.setattr(preflight_module, "_scan_shared", _scan_elsewhere)
    answers = []
    result = preflight_module._Helper.result
    monkeypatch.setattr(preflight_module._Helper, "result", lambda h: answers.append(result(h)) or answers[-1])
    two = preflight(path, bleed_mm=3.0, jobs=2)
    assert [len(a) for a in answers] == [3]  # pages 2, 4 and 6 were read by the helper
    assert preflight_module._SHARED == ()  # the parent keeps no reference to the document
    assert _without_time(two) == _without_time(one)
    rgb = next(c for c in two.checks if c.code == "rvb")
    assert not rgb.passed and {f.page for f in rgb.errors} == {6}
    size = next(c for c in two.checks if c.code == "corps-texte")
    assert not size.passed and {f.page for f in size.errors} == set(range(1, 7))


def test_a_failing_helper_leaves_the_pages_to_this_process(tmp_path, monkeypatch):
    path = samples.make_pdf(tmp_path / "four.pdf", pages=4, rgb_fill=True)
    one = preflight(path, bleed_mm=3.0)
    monkeypatch.setattr(preflight_module, "PARALLEL_MIN_PAGES", 2)
    for failure in (_fails, _dies):
        monkeypatch.setattr(preflight_module, "_scan_shared", failure)
        assert _without_time(preflight(path, bleed_mm=3.0, jobs=2)) == _without_time(one)
    monkeypatch.setattr(preflight_module, "_can_fork", lambda: False)  # not Linux: one process
    with pikepdf.open(path) as pdf:
        assert preflight_module._Helper.start(pdf, [None] * 4, [None] * 4, 300.0) is None
    assert _without_time(preflight(path, bleed_mm=3.0, jobs=2)) == _without_time(one)


def test_a_file_read_through_a_handle_is_scanned_by_one_process(tmp_path, monkeypatch):
    """Mapping refused (a special file system…): the file is read through a
    handle, whose offset a forked helper would move under this process's
    feet: no helper then, and the same report."""
    path = samples.make_pdf(tmp_path / "four.pdf", pages=4, rgb_fill=True)
    one = preflight(path, bleed_mm=3.0)
    monkeypatch.setattr(preflight_module, "PARALLEL_MIN_PAGES", 2)
    real_open = pikepdf.open

    def no_mapping(p, **kw):
        if kw.get("access_mode") == pikepdf.AccessMode.mmap_only:
            raise OSError("mmap refused")
        return real_open(p, **kw)

    monkeypatch.setattr(preflight_module.pikepdf, "open", no_mapping)
    started = []
    monkeypatch.setattr(preflight_module._Helper, "start", lambda *a: started.append(a))
    assert _without_time(preflight(path, bleed_mm=3.0, jobs=2)) == _without_time(one)
    assert started == []
