"""The preflight reads a long file's second half in a second process: same report."""

from __future__ import annotations

import pikepdf

import annuaire.preflight as preflight_module
from annuaire.preflight import preflight

import preflight_samples as samples
from preflight_readers import both_readers_agree  # noqa: F401 (autouse: both readers compared)


def _without_time(report) -> dict:
    data = report.as_dict()
    data.pop("seconds", None)
    return data


def test_second_process_reports_what_one_process_reports(tmp_path, monkeypatch):
    path = samples.make_pdf(tmp_path / "six.pdf", pages=6, text_pt=5.0)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        # An RGB fill on page 5 only: found by the second process, named by its page.
        pdf.pages[4].contents_add(pikepdf.Stream(pdf, b"q 1 0 0 rg 10 10 20 20 re f Q"), prepend=False)
        pdf.save(path)
    one = preflight(path, bleed_mm=3.0)
    monkeypatch.setattr(preflight_module, "PARALLEL_MIN_PAGES", 2)
    answers = []
    helper_result = preflight_module._helper_result
    monkeypatch.setattr(preflight_module, "_helper_result", lambda h: answers.append(helper_result(h)) or answers[-1])
    two = preflight(path, bleed_mm=3.0, jobs=2)
    assert [len(a) for a in answers] == [3]  # pages 4 to 6 were read by the helper
    assert _without_time(two) == _without_time(one)
    rgb = next(c for c in two.checks if c.code == "rvb")
    assert not rgb.passed and {f.page for f in rgb.errors} == {5}
    size = next(c for c in two.checks if c.code == "corps-texte")
    assert not size.passed and {f.page for f in size.errors} == set(range(1, 7))


def test_a_failing_helper_leaves_the_pages_to_this_process(tmp_path, monkeypatch):
    path = samples.make_pdf(tmp_path / "four.pdf", pages=4, rgb_fill=True)
    one = preflight(path, bleed_mm=3.0)
    monkeypatch.setattr(preflight_module, "PARALLEL_MIN_PAGES", 2)
    monkeypatch.setattr(preflight_module, "_start_helper", lambda *args: None)
    assert _without_time(preflight(path, bleed_mm=3.0, jobs=2)) == _without_time(one)
