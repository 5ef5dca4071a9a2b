"""The page log: every entry once, in order, headings kept, contents and indexes right."""

from __future__ import annotations

import re

from collections import defaultdict

import pytest
from conftest import columns, make_directory_for, make_entries

from annuaire.pdf.layout import load_layout
from annuaire.pdf import RenderOptions, render

HEADINGS = {"group", "subgroup", "typology", "typology-suite", "commune", "index-letter"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, small_directory):
    out = tmp_path_factory.mktemp("render") / "sante.pdf"
    result = render(small_directory, load_layout("a5"), out, RenderOptions())
    return small_directory, result, out


def test_every_entry_once_under_its_typology_in_order(rendered):
    d, result, _ = rendered
    log = result.page_log
    placed = [p for p in log if p.kind == "entry"]
    keys = [p.key for p in placed]
    assert sorted(keys) == sorted(e.key for e in d.entries())
    assert len(keys) == len(set(keys))
    # Document order = the order of group(): typology by typology, commune then name.
    assert keys == [e.key for e in d.entries()]
    current = None
    by_key = {e.key: e for e in d.entries()}
    for p in log:
        if p.kind in ("typology", "typology-suite"):
            current = p.key
        elif p.kind == "entry":
            assert by_key[p.key].typology == current


def test_pages_are_in_order_and_saddle_stitched(rendered):
    _, result, _ = rendered
    pages = [p.page for p in result.page_log]
    assert pages == sorted(pages)
    assert result.binding == "piquee"
    assert result.pages % 4 == 0
    assert result.page_log[0].kind == "cover" and result.page_log[-1].kind == "back-cover"
    # The emergency numbers once: inside the back cover, or facing the first
    # whole-page opener when they fill the front matter's odd page.
    urgence = [p.page for p in result.page_log if p.kind == "urgence"]
    first = min(p.page for p in result.page_log if p.kind in ("theme", "theme-head"))
    assert len(urgence) == 1 and urgence[0] in (result.pages - 1, first - 1)


def test_headings_never_end_a_column_and_suites_open_columns(rendered):
    _, result, _ = rendered
    suites = 0
    for (page, col), items in columns(result.page_log).items():
        assert items[-1].kind not in HEADINGS, (page, col, items[-1])
        if items[0].kind in ("entry",) and col == 1:
            pytest.fail(f"column {page}/{col} starts with an entry without its '(suite)' heading")
        if col > 1:
            # A later column of a page repeats no « (suite) »: the first names the section.
            assert all(p.kind != "typology-suite" for p in items), (page, col)
        for i, p in enumerate(items):
            if p.kind == "typology-suite":
                suites += 1
                assert i == 0
                assert p.text.endswith("(suite)")
                assert items[1].kind == "entry" or items[1].kind == "commune" and items[2].kind == "entry"
    assert suites > 0  # the fixture is big enough for a typology to continue


def test_contents_numbers_are_the_pages_of_the_headings(rendered):
    d, result, _ = rendered
    log = result.page_log
    first = {}
    for p in log:
        if p.kind in ("theme", "group", "typology"):
            first.setdefault((p.kind, p.key), p.page)
    toc = [p for p in log if p.kind == "toc"]
    n_typ = sum(len(g.typologies()) for th in d.themes for g in th.groups)
    n_grp = sum(len(th.groups) for th in d.themes)
    assert len(toc) == n_typ + n_grp + len(d.themes)
    for p in toc:
        label, number = p.text.split("\t")
        kind = "theme" if p.key == "sante" else ("typology" if p.key[:2] == "SA" and p.key[2:].isdigit() else "group")
        assert int(number) == first[(kind, p.key)], p
    # The contents come before the body.
    assert max(p.page for p in toc) < min(first.values())


def test_index_of_names_points_to_the_entries(rendered):
    d, result, _ = rendered
    log = result.page_log
    where = {p.key: p.page for p in log if p.kind == "entry"}
    names = [p for p in log if p.kind == "index-name"]
    assert sorted(p.key for p in names) == sorted(where)
    for p in names:
        assert p.text.split("\t")[1] == str(where[p.key])
    # Letter headers come before their names, in French order, and the index follows the body.
    assert min(p.page for p in names) > max(where.values())


def test_index_of_communes_lists_the_right_pages(rendered):
    d, result, _ = rendered
    log = result.page_log
    pages = defaultdict(set)
    by_key = {e.key: e for e in d.entries()}
    for p in log:
        if p.kind == "entry":
            e = by_key[p.key]
            pages[(e.commune, e.typology)].add(p.page)
    labels = {t.typology.print_label: t.typology.code for th in d.themes for g in th.groups for t in g.typologies()}
    lines = [p for p in log if p.kind == "index-commune"]
    seen = set()
    for p in lines:
        commune, run = p.text.split("\t")
        # « Riom\tPharmacie 12, 15 · Médecin généraliste 7 »: run in after the commune.
        for item in run.split(" · "):
            label, ref = re.fullmatch(r"(.*)\u00a0(\d[\d, –]*)", item).groups()
            got = set()
            for part in ref.split(", "):
                if "–" in part:
                    a, b = part.split("–")
                    got |= set(range(int(a), int(b) + 1))
                else:
                    got.add(int(part))
            key = (commune, labels[label])
            assert got == pages[key], (key, got)
            seen.add(key)
    assert seen == set(pages)


def test_colophon_credits_every_provider(rendered):
    d, result, _ = rendered
    credits = [p for p in result.page_log if p.kind == "credit"]
    assert {p.key for p in credits} == {c.name for c in d.providers}


def test_a4_three_columns_and_multi_theme(tmp_path):
    from datetime import date

    from annuaire.model import Entry

    entries = make_entries(4) + [
        Entry(key="sl1", name="Médiathèque Georges-Sand", typology="SL08", commune="Riom", postcode="63200"),
        Entry(key="sl2", name="Piscine Béatrice-Hess", typology="SL01", commune="Riom", postcode="63200"),
    ]
    from dataclasses import replace

    d = make_directory_for(entries, ("sante", "sports-loisirs"))
    layout = load_layout("a4")
    result = render(d, layout, tmp_path / "a4.pdf", RenderOptions())
    log = result.page_log
    assert {p.column for p in log if p.kind == "entry"} <= {1, 2, 3}
    assert sorted(p.key for p in log if p.kind == "entry") == sorted(e.key for e in entries)
    # Two themes of a page each: no whole-page opener, a compact head at the
    # top of each theme's first page, above its first group, with no blank
    # page anywhere before the indexes.
    assert not [p for p in log if p.kind == "theme"]
    heads = [p for p in log if p.kind == "theme-head"]
    assert [p.key for p in heads] == ["sante", "sports-loisirs"]
    for h in heads:
        assert [p.kind for p in log if p.page == h.page and p.column][0] == "group"
    assert not [p for p in log if p.kind == "notes" and p.page < heads[-1].page]
    # Themes as long as the layout's threshold get whole-page openers, alone
    # on right-hand pages.
    full = render(d, replace(layout, opener_full_page_from=1), tmp_path / "a4-full.pdf", RenderOptions())
    themes = [p for p in full.page_log if p.kind == "theme"]
    assert [p.key for p in themes] == ["sante", "sports-loisirs"]
    assert all(p.page % 2 == 1 for p in themes)
    assert all([q.kind for q in full.page_log if q.page == p.page and q.kind != "tab"] == ["theme"] for p in themes)
    assert not [p for p in full.page_log if p.kind == "theme-head"]
    _ = date


def test_one_column_index_numbers_align_with_its_labels(tmp_path, small_directory):
    """In gros-caracteres (one column), index lines are set at the column width:
    their page numbers must be drawn at that width too, not over the labels."""
    import re
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    from annuaire.pdf.layout import load_layout
    from annuaire.pdf import render

    layout = load_layout("gros-caracteres")
    out = tmp_path / "g.pdf"
    res = render(small_directory, layout, out)
    page = next(p.page for p in res.page_log if p.kind == "index-name")
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = [
        (float(a), float(b), float(c), float(d), w)
        for a, b, c, d, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html
        )
    ]
    mm = 72 / 25.4
    left = (layout.margin_inner if page % 2 else layout.margin_outer) * mm + layout.bleed * mm
    right = left + layout.column_width * mm
    lines: dict[int, list] = {}
    for x0, y0, x1, y1, w in words:
        if x0 > right + 5 * mm or x1 < left - 5 * mm:
            continue  # the thumb tab's label, in the outer margin
        lines.setdefault(round(y1), []).append((x0, x1, w))
    numbers = 0
    for ws in lines.values():
        ws.sort()
        for (a0, a1, _), (b0, b1, _) in zip(ws, ws[1:]):
            assert b0 >= a1 - 0.5, ws  # nothing drawn over anything else
        x0, x1, w = ws[-1]
        assert x1 <= right + 0.5, ws
        if w.isdigit() and len(ws) > 1:
            numbers += 1
            assert abs(x1 - right) < 1.0, ws  # page numbers flush with the column's right edge
    assert numbers >= 5


def test_every_thumb_tab_has_its_word_and_colour():
    """Services publics has ten groups: eleven tabs (with Index), each with its
    word (too many for one run down the A5 edge at the height their words
    need: they step down it twice, never level with the tab before or after),
    none grey but Index."""
    from dataclasses import replace

    from annuaire.reference import taxonomy
    from annuaire.pdf.layout import load_layout
    from annuaire.pdf.furniture import INDEX_TAB, sections_of
    from conftest import make_directory_for, make_entries

    base = make_entries(1, codes=("SA19",))[0]
    th = taxonomy.theme("services-publics")
    entries = [
        replace(base, key=f"k{i}", typology=g.subgroups[0].typologies[0].code, name=f"Service {i}")
        for i, g in enumerate(th.groups)
    ]
    d = make_directory_for(entries, themes=("services-publics",))
    r = sections_of(d, load_layout("a5"))
    assert len(r.sections) == len(th.groups) + 1 >= 11
    h, per_edge = r.tab_geometry()
    assert h >= 10 * 72 / 25.4
    slots = [r.slot(i) for i in range(len(r.sections))]
    assert all(a != b for a, b in zip(slots, slots[1:]))
    assert len(set(slots[:per_edge])) == per_edge
    assert not any(ch.isdigit() for t in r.tab_labels for ch in t)
    st = load_layout("a5").styles.tab
    assert all(r.fonts.text_width(st.font, t) * st.size <= h - 4 * 72 / 25.4 for t in r.tab_labels)
    colours = [s.colour for s in r.sections]
    assert len(set(colours)) == len(colours)
    assert all(c.k < 0.6 or (c.c, c.m, c.y) != (0, 0, 0) for c in colours[:-1]) and colours[-1] == INDEX_TAB


def test_index_of_names_does_not_repeat_a_commune_the_name_ends_with():
    from annuaire.pdf.compose import names_commune as _names_commune

    assert _names_commune("Mairie de Riom", "Riom")
    assert _names_commune("Mairie d’Aurillac", "Aurillac")
    assert _names_commune("Mairie - Champs-sur-Tarentaine-Marchal", "Champs-sur-Tarentaine-Marchal")
    assert _names_commune("Bibliothèque de CÉBAZAT", "Cébazat")
    assert not _names_commune("Mairie de Saint-Christophe", "Saint-Christophe-en-Bourbonnais")
    assert not _names_commune("Relais de Tarentaine-Marchal", "Marchal")
    assert not _names_commune("Pharmacie du Marché", "Riom")


def test_colophon_gives_licence_and_date_of_every_source(tmp_path, small_directory):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    from annuaire.pdf.layout import load_layout
    from annuaire.pdf import render

    out = tmp_path / "c.pdf"
    res = render(small_directory, load_layout("a5"), out)
    pages = sorted({p.page for p in res.page_log if p.kind in ("colophon", "credit")})
    text = subprocess.run(
        ["pdftotext", "-f", str(pages[0]), "-l", str(pages[-1]), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\u00a0", " ")
    # FINESS has all; « Mairie de Riom » gave no licence: said, not hidden.
    assert "Licence : Licence Ouverte 2.0" in text and "Données du 7 janvier 2021" in text
    riom = text[text.index("Mairie de Riom") :].split("services dans cet annuaire")[0]
    assert "Licence : non précisée" in riom
    assert text.count("Licence :") == len(small_directory.providers)
    assert text.count("Données du") + text.count("Date des données") == len(small_directory.providers)


def test_running_heads_name_first_and_last_commune_of_the_page(tmp_path, small_directory):
    """Dictionary heads: each body page's head names the type of service and
    the communes of its first and last entries, as printed at the page's top."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    from annuaire.pdf.layout import load_layout
    from annuaire.pdf import render

    layout = load_layout("a5")
    layout = type(layout)(
        **{**layout.__dict__, "tabs": type(layout.tabs)(**{**layout.tabs.__dict__, "enabled": False})}
    )
    out = tmp_path / "h.pdf"
    res = render(small_directory, layout, out)
    by_key = {e.key: e for e in small_directory.entries()}
    label = {
        t.typology.code: t.typology.print_label
        for th in small_directory.themes
        for g in th.groups
        for t in g.typologies()
    }
    heads = {p.page: p.text for p in res.page_log if p.kind == "running-head"}
    pages = sorted({p.page for p in res.page_log if p.kind == "entry"})
    assert pages and set(pages) == set(heads)
    for page in pages:
        entries = [by_key[p.key] for p in res.page_log if p.kind == "entry" and p.page == page]
        first, last = entries[0], entries[-1]
        head = heads[page]
        assert head.startswith(label[first.typology]) or head.startswith(first.commune), (page, head)
        assert first.commune in head and head.endswith(last.commune), (page, head)
        printed = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[0]
        assert printed.replace("\u00a0", " ") == head.replace("\u00a0", " "), (page, printed, head)


def test_cover_display_lines_are_balanced(tmp_path, small_directory):
    """« Communauté d’agglomération Riom Limagne et / Volcans » would leave one
    word alone: display lines are balanced, no line much shorter than the others."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    from annuaire.pdf.layout import load_layout
    from annuaire.pdf import render

    out = tmp_path / "b.pdf"
    render(small_directory, load_layout("a5"), out)
    lines = [
        ln.strip()
        for ln in subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        if ln.strip()
    ]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Communauté"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("Édition du"))
    got = lines[start:end]
    assert " ".join(got).replace("\u00a0", " ") == small_directory.territory
    assert len(got) >= 2 and all(len(ln.split()) >= 2 for ln in got), got


def test_tab_on_an_opener_has_a_white_edge_on_the_band(tmp_path):
    """On a theme opener the tab lies on the band, often of its own colour: a
    white keyline keeps its shape visible."""
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing")
    from PIL import Image

    from annuaire.pdf.furniture import TAB_KEYLINE, sections_of

    entries = make_entries(2) + [
        __import__("dataclasses").replace(make_entries(1)[0], key="sl1", name="Piscine", typology="SL01"),
    ]
    d = make_directory_for(entries, ("sante", "sports-loisirs"))
    # Whole-page openers even for these one-page themes.
    layout = __import__("dataclasses").replace(load_layout("a5"), opener_full_page_from=1)
    out = tmp_path / "o.pdf"
    res = render(d, layout, out, RenderOptions())
    opener = next(p.page for p in res.page_log if p.kind == "theme")
    assert opener % 2 == 1
    r = sections_of(d, layout)
    h, _ = r.tab_geometry()
    g = r.geo
    dpi = 288
    s = dpi / 72
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", str(opener), "-l", str(opener), str(out), str(tmp_path / "o")],
        check=True,
    )
    im = Image.open(next(tmp_path.glob("o-*.png"))).convert("RGB")
    y_mid = g.height - g.top - h / 2  # the first tab, in trim coordinates (y up)
    x_edge = g.width - layout.tabs.width * 72 / 25.4  # its inner edge
    px = lambda x, y: im.getpixel((round((g.bleed + x) * s), round((g.bleed + g.height - y) * s)))  # noqa: E731
    band = px(x_edge - 8, y_mid)
    tab = px(x_edge + 4, y_mid)
    edge = px(x_edge - TAB_KEYLINE / 2, y_mid)
    assert min(band) < 200 and min(tab) < 200  # both coloured (the band is behind the first tab)
    assert min(edge) > 235, (band, edge, tab)  # white between them


def test_colophon_prints_the_legal_mentions_and_no_conversion_handle(tmp_path):
    import shutil
    import subprocess
    from dataclasses import replace
    from pathlib import Path

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    from annuaire.editions.edition import load_edition
    from annuaire.pdf import render
    from conftest import make_directory_for, make_entries

    d = make_directory_for(make_entries(4))
    prov = replace(d.providers[0], dataset="Annuaire (février 2016, conversion cquest/annuaire-services-publics)")
    ed = load_edition(Path(__file__).resolve().parents[2] / "docs" / "edition-exemple.toml")
    d = replace(d, providers=(prov,) + d.providers[1:], edition=ed)
    out = tmp_path / "m.pdf"
    res = render(d, load_layout("a5"), out)
    legal = [p for p in res.page_log if p.kind == "legal"]
    assert [p.key for p in legal][1:] == ["Éditeur", "Directeur de la publication", "Imprimeur", "Dépôt légal"]
    pages = sorted({p.page for p in res.page_log if p.kind in ("colophon", "credit", "legal")})
    text = subprocess.run(
        ["pdftotext", "-f", str(pages[0]), "-l", str(pages[-1]), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\u00a0", " ")
    assert "Imprimeur : Imprimerie Exemple, 12 rue des Presses" in text.replace("\n", " ")
    assert "cquest" not in text and "conversion" not in text
    assert "A — " + d.providers[0].name in text  # the key of each source, explained


def test_opener_explains_the_source_keys_and_entries_carry_them(tmp_path, small_directory):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing")
    from annuaire.pdf import render

    out = tmp_path / "k.pdf"
    res = render(small_directory, load_layout("a5"), out)
    opener = next(p.page for p in res.page_log if p.kind == "theme")
    text = subprocess.run(
        ["pdftotext", "-f", str(opener), "-l", str(opener), str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\u00a0", " ")
    assert "Sources (lettre après chaque nom) : A " + small_directory.providers[0].name in " ".join(text.split())


def test_a_theme_has_the_same_colour_alone_and_in_the_whole_volume():
    """Santé is the same colour in `sante` and in `tout`; the opener's band is its first tab's colour."""
    from dataclasses import replace

    from annuaire.pdf.furniture import sections_of
    from conftest import make_directory_for, make_entries

    entries = make_entries(3) + [replace(make_entries(1)[0], key="sl1", name="Piscine", typology="SL01")]
    alone = sections_of(make_directory_for(make_entries(3)), load_layout("a5"))
    both = sections_of(make_directory_for(entries, ("sante", "sports-loisirs")), load_layout("a4"))
    assert alone.theme_colour[0] == both.theme_colour[0] == alone.cover_colour()
    assert alone.sections[0].colour == alone.theme_colour[0]  # first tab = opener band
    assert len({s.colour for s in alone.sections}) == len(alone.sections)


@pytest.mark.parametrize("name", ["a5", "a4", "gros-caracteres"])
def test_front_matter_has_no_blank_page(tmp_path, small_directory, name):
    """Between the contents and the first theme no « Notes » page: a whole-page
    opener that needs a right-hand page has the emergency numbers facing it
    (and the guide says where they are); a compact head needs no gap."""
    import shutil
    import subprocess
    from dataclasses import replace

    for full_from in (1, 1000):
        layout = replace(load_layout(name), opener_full_page_from=full_from)
        out = tmp_path / f"{name}-{full_from}.pdf"
        res = render(small_directory, layout, out)
        log = res.page_log
        kind = "theme" if full_from == 1 else "theme-head"
        first = min(p.page for p in log if p.kind in ("theme", "theme-head"))
        assert next(p.kind for p in log if p.page == first) == kind
        front = [p.kind for p in log if p.page < first and p.column == 0]
        assert "notes" not in front, (name, full_from, front)
        urgence = [p.page for p in log if p.kind == "urgence"]
        assert len(urgence) == 1
        if kind == "theme":
            assert first % 2 == 1
        if urgence[0] < first and shutil.which("pdftotext"):
            guide = next(p.page for p in log if p.kind == "guide")
            text = subprocess.run(
                ["pdftotext", "-f", str(guide), "-l", str(guide), str(out), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            said = " ".join(text.replace("\u00a0", " ").split())
            assert f"Les numéros d’urgence sont page {urgence[0]}." in said


def test_colophon_names_the_modified_face_and_its_licence(tmp_path, small_directory):
    """The face shipped is a modified Atkinson Hyperlegible: the colophon says
    so, under its own name, with its copyright and licence (SIL OFL 1.1)."""
    from pathlib import Path

    from annuaire.pdf.fonts import name_records

    layout = load_layout("a5")
    res = render(small_directory, layout, tmp_path / "f.pdf")
    font = [p for p in res.page_log if p.kind == "font"]
    assert len(font) == 1
    said = font[0].text
    assert said.startswith("Texte composé en Atkinson Hyperlegible Annuaire : une version modifiée")
    assert "zéro sans barre" in said and "Braille Institute" in said
    assert "©\u00a02020 Braille Institute of America, Inc." in said  # the sign stays with its year
    assert "SIL Open Font License, version 1.1" in said
    # The modified files carry another family name than the original; the
    # original's licence reserves no font name (that would forbid even the
    # original name, and the OFL.txt shipped beside the files would say so).
    names = name_records(layout.fonts.regular)
    assert names[1] == "Atkinson Hyperlegible Annuaire" and "SIL Open Font License" in names[13]
    ofl = (Path(layout.fonts.regular).parent / "OFL.txt").read_text(encoding="utf-8")
    head = ofl.split("This Font Software is licensed", 1)[0]
    assert "Braille Institute" in head and "Reserved Font Name" not in head


def test_large_print_has_no_text_under_14_pt_cover_included(tmp_path, small_directory):
    """Every text run of the large-print book and of its cover spread is at
    least 14 pt; a spine too thin for 14 pt carries no text and the build
    says so, where the A5 book of the same spine has its title there."""
    from dataclasses import replace

    from annuaire.editions.edition import load_edition
    from annuaire.preflight import preflight
    from pathlib import Path

    ed = load_edition(Path(__file__).resolve().parents[2] / "docs" / "edition-exemple.toml")
    d = replace(small_directory, edition=ed)
    out = tmp_path / "gc.pdf"
    # 1 mm paper: a spine of half the page count in mm, about 10 mm: wide
    # enough for text in A5 (8 pt and up), too thin for 14 pt.
    res = render(d, load_layout("gros-caracteres"), out, RenderOptions(binding="collee", paper="1.0"))
    assert 8 <= res.spine_mm < 14
    for pdf in (out, res.cover):
        got = next(c for c in preflight(pdf, min_text_pt=14).checks if c.code == "corps-texte")
        assert got.passed, (pdf, got.findings)
    spine = f"{res.spine_mm:.1f}".replace(".", ",")
    assert any(f"Dos de {spine} mm trop étroit pour un texte d’au moins 14 pt" in w for w in res.warnings)
    # A thicker book: its spine holds 14 pt, and has its title.
    big = replace(make_directory_for(make_entries(16)), edition=ed)
    wide = render(big, load_layout("gros-caracteres"), tmp_path / "w.pdf", RenderOptions(binding="collee", paper="1.0"))
    assert wide.spine_mm >= 14.2 and not any("Dos de" in w for w in wide.warnings)
    got = next(c for c in preflight(wide.cover, min_text_pt=14).checks if c.code == "corps-texte")
    assert got.passed, got.findings
    assert _text(wide.cover).count(big.territory) >= 2  # back cover and spine (and front)


def _text(pdf) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.replace("\u00a0", " ").split())


@pytest.mark.parametrize("binding", ["piquee", "collee"])
def test_logo_on_the_cover_in_cmyk_passes_the_preflight(tmp_path, small_directory, binding):
    """The edition's logo (an RGB PNG with transparency) is on the front cover
    (page 1, or the cover spread of a perfect-bound book), embedded in CMYK
    at 300 ppi or more: the print checks pass."""
    from dataclasses import replace

    import pikepdf
    from PIL import Image

    from annuaire.editions.edition import Edition
    from annuaire.preflight import preflight

    logo = tmp_path / "logo.png"
    im = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    im.paste((20, 60, 160, 255), (40, 40, 560, 200))
    im.paste((0, 0, 0, 255), (100, 90, 500, 150))
    im.save(logo)
    d = replace(small_directory, edition=Edition(publisher="CC Exemple", logo=logo))
    out = tmp_path / "l.pdf"
    res = render(d, load_layout("a5"), out, RenderOptions(binding=binding))
    where = res.cover if binding == "collee" else out
    with pikepdf.open(where) as pdf:
        images = [(i, x) for i, page in enumerate(pdf.pages, 1) for x in page.get_images().values()]
        assert [i for i, _ in images] == [1]
        x = images[0][1]
        assert x.ColorSpace == "/DeviceCMYK" and (int(x.Width), int(x.Height)) == (600, 240)
        cmyk = pikepdf.PdfImage(x).as_pil_image()
        # Black prints on the black plate alone; the transparent corner is paper.
        assert cmyk.getpixel((300, 120)) == (0, 0, 0, 255)
        assert cmyk.getpixel((5, 5)) == (0, 0, 0, 0)
    report = preflight(where, min_ppi=300)
    res_check = report.check("resolution-images")
    assert report.check("rvb").passed and res_check.passed
    assert any("1 placement" in f.message_fr for f in res_check.findings)
    assert report.passed, [c for c in report.checks if not c.passed]


@pytest.mark.parametrize("name", ["a5", "a4", "gros-caracteres"])
def test_big_type_of_service_has_its_own_tab_beside_its_section(tmp_path, name):
    """Pharmacies (as many entries as the layout's tabs.own_from) get a tab of
    their own on the pages that hold them, in the place after their
    section's tab; every tab is a word, each word always in the same place."""
    from dataclasses import replace

    others = ("SA01", "SA04", "SA17", "SA20", "SA24")
    entries = make_entries(2, codes=others) + make_entries(8, codes=("SA19",))
    d = make_directory_for(entries)
    layout = load_layout(name)
    # As in the shipped layouts, a type of service with its own tab starts a page.
    layout = replace(layout, tabs=replace(layout.tabs, own_from=8), entry=replace(layout.entry, new_page_from=8))
    res = render(d, layout, tmp_path / "t.pdf")
    log = res.page_log
    tabs = defaultdict(list)
    for p in log:
        if p.kind == "tab":
            tabs[p.page].append((int(p.key), p.text))
    assert tabs and all(t.replace(" ", "").replace(",", "").isalpha() for v in tabs.values() for _, t in v)
    place = {}
    for v in tabs.values():
        for slot, word in v:
            assert place.setdefault(word, slot) == slot, (word, slot)
    pharmacy_pages = {p.page for p in log if p.kind == "entry" and p.key.startswith("SA19")}
    body_pages = {p.page for p in log if p.kind == "entry"}
    assert pharmacy_pages
    for page in body_pages:
        words = [w for _, w in tabs[page]]
        if page in pharmacy_pages:
            assert words == ["Professionnels", "Pharmacies"], (page, words)
            assert place["Pharmacies"] == place["Professionnels"] + 1
        else:
            assert "Pharmacies" not in words and len(words) == 1, (page, words)
    index_pages = {p.page for p in log if p.kind in ("index-name", "index-commune")}
    assert all([w for _, w in tabs[p]] == ["Index"] for p in index_pages)


@pytest.mark.parametrize("name", ["a5", "a4", "gros-caracteres"])
def test_emergency_numbers_page_has_no_overlap_and_stays_above_the_folio(tmp_path, small_directory, name):
    """The nine numbers fill the large-print page: « 116 117 » once ran into
    « Médecin de garde » and « 3919 » into the folio.  Every word of the page
    must stand clear of every other, and each number keeps its label."""
    import shutil
    import subprocess
    from annuaire.pdf.pages import EMERGENCY

    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is installed by make test"
    out = tmp_path / f"{name}.pdf"
    res = render(small_directory, load_layout(name), out)
    [page] = [p.page for p in res.page_log if p.kind == "urgence"]
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in found]
    assert len(words) > 50
    text = " ".join(w[4] for w in words)
    for num, label, _ in EMERGENCY:
        assert label.split()[0] in text, (name, num, label)
    clash = [
        (a[4], b[4])
        for i, a in enumerate(words)
        for b in words[i + 1 :]
        if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
    ]
    assert not clash, (name, clash)
