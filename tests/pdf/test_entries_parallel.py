"""The body's entry blocks built in two processes give the book one process gives.

Same PDF bytes, same page log, same warnings in the same order, the same
characters reported missing; and when the second process fails, this one
builds its half itself."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace

import pytest

from annuaire import pipeline
from annuaire.pdf import entries
from annuaire.pdf.blocks import Typesetter
from annuaire.pdf.layout import load_layout
from annuaire.pdf.render import RenderOptions, render
from golden_cases import GOLDEN, build, snapshot
from conftest import make_directory_for, make_entries

CJK = "\u6f22"  # in no print font: printed « ? » and reported
LONG_WORD = "Anticonstitutionnellement" * 4  # wider than a column: cut, with a warning


def _directory():
    """A book whose last entries (built by the second process) warn and lack
    characters, around a commune heading that warns too (built by this one)."""
    es = make_entries(per_typology=30)
    # The last commune of the last typology: a name too long for a column.
    moved = [e for th in make_directory_for(es).themes for e in th.entries()][-5].key
    es = [replace(e, commune="Volvic" + LONG_WORD.lower()) if e.key == moved else e for e in es]
    book = [e for th in make_directory_for(es).themes for e in th.entries()]
    assert book[-1].key == moved
    # Too tall for a column (shortened, with a warning), and short.
    odd = {book[-1].key: 60, book[-2].key: 1}
    es = [
        replace(e, description=f"Accueil {CJK} {LONG_WORD} " + "Permanences et consultations. " * odd[e.key])
        if e.key in odd
        else e
        for e in es
    ]
    return make_directory_for(es)


def _render(tmp_path, name, jobs):
    out = tmp_path / f"{name}.pdf"
    got = render(_directory(), load_layout("a5"), out, RenderOptions(jobs=jobs))
    return hashlib.sha256(out.read_bytes()).hexdigest(), got


def _spy(monkeypatch):
    """Records in this process which way the blocks came: packed by the child or not."""
    seen = []
    unpack = entries._unpack

    def spy(ts, todo, start, packed):
        seen.append((start, len(todo)))
        return unpack(ts, todo, start, packed)

    monkeypatch.setattr(entries, "_unpack", spy)
    return seen


def test_two_processes_give_the_same_pdf_log_and_warnings(tmp_path, monkeypatch):
    sha1, one = _render(tmp_path, "one", 1)
    monkeypatch.setattr(entries, "PARALLEL_MIN_ENTRIES", 2)
    seen = _spy(monkeypatch)
    sha2, two = _render(tmp_path, "two", 2)
    assert seen == [(86, 180)]  # the second half came from the child
    assert sha2 == sha1
    assert two.page_log == one.page_log
    assert two.warnings == one.warnings
    # The child's half said what it had to, in the one-process order.
    said = [w for w in two.warnings if "Fiche trop longue" in w or "Mot trop long" in w]
    # The next-to-last entry's, the commune heading's (built here), the last entry's.
    assert "« Anticonstitutionnellement" in said[0] and "CLIC" in said[0]
    assert "« VOLVICANTI" in said[1]
    assert "Fiche trop longue" in said[4]
    assert any(f"U+{ord(CJK):04X}" in w for w in two.warnings)


def test_blocks_from_the_child_equal_blocks_built_here(monkeypatch):
    from annuaire.pdf import compose
    from annuaire.pdf.render import _Renderer

    made = []
    original = compose._entry_blocks

    def keep(*args):
        for b in original(*args):
            made.append(b)
            yield b

    monkeypatch.setattr(compose, "_entry_blocks", keep)

    def blocks(jobs):
        made.clear()
        r = _Renderer(_directory(), load_layout("a5"), RenderOptions(jobs=jobs))
        r.composer.body()
        return list(made), r.breaker.warnings, r.fonts.missing

    b1, w1, m1 = blocks(1)
    monkeypatch.setattr(entries, "PARALLEL_MIN_ENTRIES", 2)
    seen = _spy(monkeypatch)
    b2, w2, m2 = blocks(2)
    assert seen
    assert w2 == w1 and m2 == m1 == {CJK}
    assert len(b2) == len(b1) > 100
    for x, y in zip(b1, b2):
        for slot in x.__slots__:
            if slot != "parent":
                assert getattr(x, slot) == getattr(y, slot), (x, slot)
        assert (x.parent.kind, x.parent.key) == (y.parent.kind, y.parent.key)
    # Formats stay shared: one tuple per distinct format in the whole body.
    fmts = {}
    for b in b2:
        for fmt, _ in b.lines:
            assert fmts.setdefault(fmt, fmt) is fmt


def test_a_real_build_is_the_same_on_two_cores(tmp_path, monkeypatch):
    """The golden A5 book through the whole pipeline, its entry blocks in two processes."""
    monkeypatch.setattr(entries, "PARALLEL_MIN_ENTRIES", 2)
    seen = _spy(monkeypatch)
    monkeypatch.setattr(pipeline, "_cores", lambda: 2)
    two = build("riom-sante-a5", tmp_path / "two.pdf")
    assert seen
    monkeypatch.setattr(pipeline, "_cores", lambda: 1)
    one = build("riom-sante-a5", tmp_path / "one.pdf")
    assert snapshot(two) == snapshot(one)
    assert two.warnings == one.warnings
    golden = json.loads((GOLDEN / "riom-sante-a5.pagelog.json").read_text(encoding="utf-8"))
    assert snapshot(two)["page_log"] == golden["page_log"]


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_child_leaves_its_half_to_this_process(tmp_path, monkeypatch, how):
    sha1, one = _render(tmp_path, "one", 1)
    here = os.getpid()
    entry = Typesetter.entry

    def failing(self, *args, **kw):
        if os.getpid() != here:
            (tmp_path / "child-tried").touch()
            if how == "dies":
                os._exit(3)
            raise RuntimeError("child failed")
        return entry(self, *args, **kw)

    monkeypatch.setattr(Typesetter, "entry", failing)
    monkeypatch.setattr(entries, "PARALLEL_MIN_ENTRIES", 2)
    seen = _spy(monkeypatch)
    sha2, two = _render(tmp_path, "two", 2)
    assert (tmp_path / "child-tried").exists() and seen == []  # the child started, nothing came from it
    assert sha2 == sha1
    assert two.page_log == one.page_log
    assert two.warnings == one.warnings
