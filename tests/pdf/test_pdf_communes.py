"""Commune headings inside a typology: « RIOM » above the first entry of each commune, one entry or many."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import columns, make_directory_for, make_entries

from annuaire.pdf.layout import Cmyk, load_layout
from annuaire.pdf import RenderOptions, render


def _entries():
    """Pharmacies: many in Riom (they run over a column), a few elsewhere;
    doctors all in one commune (no heading); homonym communes for nurses."""
    base = make_entries(1, codes=("SA19",))[0]
    out = []
    for i in range(26):
        out.append(
            replace(
                base, key=f"riom{i:02d}", name=f"Pharmacie {i:02d}", commune="Riom", insee="63300", postcode="63200"
            )
        )
    for i, (c, insee) in enumerate((("Volvic", "63470"), ("Ennezat", "63148"), ("Cébazat", "63063"))):
        out.append(replace(base, key=f"p{i}", name=f"Pharmacie de {c}", commune=c, insee=insee))
    for i in range(3):
        out.append(
            replace(base, key=f"dr{i}", name=f"Dr Médecin {i}", typology="SA17", commune="Volvic", insee="63470")
        )
    out.append(
        replace(
            base, key="n1", name="Infirmiers Saint-Saturnin", typology="SA20", commune="Saint-Saturnin", insee="15196"
        )
    )
    out.append(
        replace(base, key="n2", name="Infirmiers du Puy", typology="SA20", commune="Saint-Saturnin", insee="63396")
    )
    for i, c in enumerate(("Riom", "Volvic", "Ennezat")):  # the names say their commune: no heading
        out.append(replace(base, key=f"clic{i}", name=f"CLIC de {c}", typology="SA24", commune=c, insee=f"6300{i}"))
    return out


@pytest.fixture(scope="module", params=["a5", "a4", "gros-caracteres"])
def built(request, tmp_path_factory):
    d = make_directory_for(_entries())
    out = tmp_path_factory.mktemp("communes") / f"{request.param}.pdf"
    return d, render(d, load_layout(request.param), out, RenderOptions())


def test_each_commune_heading_sits_above_its_first_entry_in_the_column(built):
    d, result = built
    by_key = {e.key: e for e in d.entries()}
    for (page, col), items in columns(result.page_log).items():
        seen = set()
        for i, p in enumerate(items):
            if p.kind != "commune":
                continue
            assert p.key not in seen, (page, col, p)  # at most one per commune per column
            seen.add(p.key)
            nxt = items[i + 1]  # never last in its column
            assert nxt.kind == "entry", (page, col, p, nxt)
            code, label = p.key.split("|")
            e = by_key[nxt.key]
            assert e.typology == code and label.startswith(e.commune) and p.text == label


def test_every_commune_change_is_marked_and_continued_columns_repeat_it(built):
    d, result = built
    by_key = {e.key: e for e in d.entries()}
    log = [p for p in result.page_log if p.column]
    prev_entry = None
    cols_with_entry = set()
    repeats = 0
    alone_seen = False
    for i, p in enumerate(log):
        if p.kind != "entry":
            continue
        e = by_key[p.key]
        before = log[i - 1]
        first_in_col = (p.page, p.column) not in cols_with_entry
        cols_with_entry.add((p.page, p.column))
        new_commune = prev_entry is None or (prev_entry.typology, prev_entry.commune, prev_entry.insee) != (
            e.typology,
            e.commune,
            e.insee,
        )
        nxt = next((q for q in log[i + 1 :] if q.kind == "entry"), None)
        alone = new_commune and (
            nxt is None
            or (by_key[nxt.key].typology, by_key[nxt.key].commune, by_key[nxt.key].insee)
            != (e.typology, e.commune, e.insee)
        )
        if e.typology in ("SA19", "SA20") and (new_commune or first_in_col):
            # Every change of commune has its heading, a commune of one
            # entry too (« Pharmacie de Volvic » after Riom's pharmacies
            # must not read as one more in Riom).
            alone_seen = alone_seen or alone
            assert before.kind == "commune" and before.key.startswith(e.typology + "|"), (p, before)
            assert (before.page, before.column) == (p.page, p.column)
            if not new_commune:
                repeats += 1
                if p.column == 1:
                    assert log[i - 2].kind == "typology-suite"  # « Pharmacie (suite) » then « RIOM »
                else:
                    # A later column of the page: « RIOM » only, the typology
                    # is named at the head of the column beside it.
                    assert (log[i - 2].page, log[i - 2].column) == (p.page, p.column - 1)
        else:
            assert before.kind != "commune", (p, before)
        prev_entry = e
    assert not any(p.kind == "commune" and p.key.startswith("SA17|") for p in log)  # one commune: no heading
    assert not any(p.kind == "commune" and p.key.startswith("SA24|") for p in log)  # « CLIC de Riom »: no heading
    assert repeats >= 1  # Riom's 26 pharmacies run over a column in every layout
    assert alone_seen


def test_homonym_communes_are_told_apart():
    d = make_directory_for(_entries())
    sa20 = [t for g in d.themes[0].groups for t in g.typologies() if t.typology.code == "SA20"][0]
    assert [r.label for r in sa20.communes()] == ["Saint-Saturnin (15)", "Saint-Saturnin (63)"]


def test_commune_colour_is_readable_and_within_ink_limits():
    for layout in ("a5", "a4", "gros-caracteres"):
        lay = load_layout(layout)
        assert lay.styles.commune.size >= 8
        for c in lay.colours.groups + tuple(v for _, v in lay.colours.themes):
            r = c.readable()
            assert r.contrast() >= 7.0 and r.total <= 300
            assert (r.c, r.m, r.y) == (c.c, c.m, c.y) and r.k >= c.k  # same hue, darker
    light = Cmyk(0.0, 0.0, 1.0, 0.0).readable()
    assert light.contrast() >= 7.0
    heavy = Cmyk(1.0, 1.0, 1.0, 0.0).readable()
    assert heavy.total <= 300 and heavy.contrast() >= 7.0
