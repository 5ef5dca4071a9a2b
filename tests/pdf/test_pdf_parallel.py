"""Pages drawn by two processes: the same file as one process writes, whatever happens to the second."""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from annuaire import pdf, pipeline

render_module = importlib.import_module("annuaire.pdf.render")

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
EDITION = date(2026, 11, 27)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a second process is forked on Linux only")


@pytest.fixture(scope="module")
def prepared():
    # The bundled sample data (real extracts): its health volume has ~150 pages.
    return pipeline.prepare(sorted(p for p in SAMPLE.iterdir() if p.suffix in (".xlsx", ".csv", ".ods")), today=EDITION)


class Spy:
    """What the parent did: pages it took from the second process, the progress it reported."""

    def __init__(self):
        self.injected: list[int] = []
        self.progress: list[tuple[int, int]] = []
        self.forked = 0
        self.given = 0  # pages given to the second process


@pytest.fixture
def build(prepared, tmp_path, monkeypatch):
    """build(jobs) -> (PDF bytes, Spy), with a low page threshold so the
    sample volume is split between two processes."""
    monkeypatch.setattr(render_module, "PARALLEL_MIN_PAGES", 10)

    def run(jobs: int, name: str = "x", **options):
        spy = Spy()
        with monkeypatch.context() as m:
            m.setattr(pipeline, "_cores", lambda: jobs)
            real_render = pdf.render

            def render(directory, layout, out, opts):
                inner = opts.progress

                def progress(done, total):
                    spy.progress.append((done, total))
                    if inner is not None:
                        inner(done, total)

                return real_render(directory, layout, out, dataclasses.replace(opts, progress=progress))

            m.setattr(pdf, "render", render)
            elsewhere = render_module.Painter.page_drawn_elsewhere

            def spying_elsewhere(painter, content):
                spy.injected.append(len(painter.c._doc.Pages.pages))
                elsewhere(painter, content)

            m.setattr(render_module.Painter, "page_drawn_elsewhere", spying_elsewhere)
            fork = render_module._Renderer._fork

            def spying_fork(self, *a):
                drawn = fork(self, *a)
                if drawn is not None:
                    spy.forked += 1
                    spy.given = drawn.given
                return drawn

            m.setattr(render_module._Renderer, "_fork", spying_fork)
            opts = dict(theme="sante", edition_date=EDITION, run_preflight=False)
            opts.update(options)
            result = pipeline.build_edition(prepared, pipeline.BuildOptions(out=tmp_path / f"{name}.pdf", **opts))
        return Path(result.out).read_bytes(), spy, result

    return run


def test_two_processes_write_the_bytes_one_writes(build):
    one, spy1, result = build(1, "one")
    two, spy2, _ = build(2, "two")
    assert spy1.forked == 0 and not spy1.injected
    # The second process really drew pages: a large part of the volume.
    assert spy2.forked == 1
    assert len(spy2.injected) == spy2.given > result.pages // 3
    assert one == two
    # Every page reported, in order, in both modes.
    assert spy1.progress == spy2.progress == [(i, result.pages) for i in range(1, result.pages + 1)]


def test_pages_with_a_character_without_its_code_are_drawn_by_the_parent(build, monkeypatch):
    # Without « ç » among the characters numbered in advance, the pages that
    # show one (« Français », « Façade »…) need a new code: the second process
    # leaves them to the parent, which draws them in order, and sends the
    # others; the file is the same.
    monkeypatch.setattr(render_module, "REPERTOIRE", render_module.REPERTOIRE.replace("ç", ""))
    one, _, _ = build(1, "one")
    two, spy, _ = build(2, "two")
    assert spy.forked == 1
    assert 0 < len(spy.injected) < spy.given
    assert one == two


def test_a_failing_second_process_leaves_every_page_to_the_parent(build, monkeypatch):
    one, _, result = build(1, "one")

    def fail(*a, **k):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(render_module._Renderer, "_draw_alone", fail)
    two, spy, _ = build(2, "two")
    assert spy.forked == 1 and not spy.injected
    assert one == two
    assert spy.progress == [(i, result.pages) for i in range(1, result.pages + 1)]


def test_a_second_process_that_dies_leaves_every_page_to_the_parent(build, monkeypatch):
    one, _, _ = build(1, "one")
    monkeypatch.setattr(render_module._Renderer, "_draw_alone", lambda *a, **k: os._exit(3))
    two, spy, _ = build(2, "two")
    assert spy.forked == 1 and not spy.injected
    assert one == two


def test_pages_sent_before_the_second_process_dies_are_kept(build, monkeypatch):
    one, _, _ = build(1, "one")
    alone = render_module._Renderer._draw_alone

    def die_midway(self, *args):
        for n, page in enumerate(alone(self, *args)):
            if n == 5:
                os._exit(3)
            yield page

    monkeypatch.setattr(render_module._Renderer, "_draw_alone", die_midway)
    two, spy, _ = build(2, "two")
    assert spy.forked == 1 and len(spy.injected) == 5
    assert one == two


def test_one_process_where_fork_is_missing(build, monkeypatch):
    one, _, _ = build(1, "one")
    monkeypatch.setattr(render_module, "_can_fork", lambda: False)
    two, spy, _ = build(2, "two")
    assert spy.forked == 0 and not spy.injected
    assert one == two


def test_the_file_drawn_by_two_processes_passes_the_preflight(build):
    _, spy, result = build(2, "two", run_preflight=True)
    assert spy.injected
    assert result.preflight is not None and result.preflight.passed
