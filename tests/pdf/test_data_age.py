"""The real age of the data is printed: the range of its dates on the guide
page, the date of each source in the colophon (issue 8 §2).

Built from real extracts: the 2016 service-public.fr file and the Riom
contributors' sheet (updated in 2024 and 2025), as a reader would check the
pages; the page log carries the guide's paragraph on dates and each credited
source's date line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from annuaire import pipeline
from annuaire.text.french import month_span_fr

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INPUTS = [
    FIXTURES / "national" / "dila_annuaire_services_publics_2016_auvergne.jsonl",
    FIXTURES / "contributors" / "Annuaire Riom Limagne.xlsx",
]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("age") / "age.pdf"
    options = pipeline.BuildOptions(theme="tout", out=out, edition_date=date(2026, 11, 27), run_preflight=False)
    return pipeline.build(INPUTS, options)


def test_guide_gives_the_edition_date_and_the_range_of_the_data(book):
    (guide,) = [plain(p.text) for p in book.page_log if p.kind == "guide"]
    assert guide.startswith("Cet annuaire a été édité le 27 novembre 2026. ")
    # The 2016 file is dated 19 February 2016; the newest Riom row 12 March 2025.
    assert "Ses informations proviennent de sources datées de février 2016 à mars 2025 ; " in guide
    assert "chaque service dont l’information a plus de deux ans porte l’année de ses données." in guide
    # Two Riom rows have no date: said, not hidden in the range.
    assert "La date des informations de 2 services n’est pas connue." in guide
    assert "datent du" not in guide  # the old sentence dated the data by the edition


def test_colophon_dates_each_source(book):
    credits = {p.key: plain(p.text).split("\t")[1] for p in book.page_log if p.kind == "credit"}
    assert credits == {
        "Annuaire de l’administration (DILA) 2016": "Données du 19 février 2016",
        "Annuaire Riom Limagne.xlsx": "Mises à jour du 5 novembre 2024 au 12 mars 2025",
    }


def test_a_recent_book_says_nothing_of_old_entries(tmp_path):
    out = tmp_path / "riom.pdf"
    options = pipeline.BuildOptions(theme="tout", out=out, edition_date=date(2025, 6, 1), run_preflight=False)
    result = pipeline.build(INPUTS[1:], options)
    (guide,) = [plain(p.text) for p in result.page_log if p.kind == "guide"]
    assert "sources datées de novembre 2024 à mars 2025." in guide
    assert "plus de deux ans" not in guide


def test_undated_sources_are_said_so(tmp_path):
    f = tmp_path / "mairies.csv"
    f.write_text("Nom;Typologie;Code postal;Commune\nMairie de Murat;Mairie;15300;Murat\n", encoding="utf-8")
    options = pipeline.BuildOptions(
        theme="services-publics", out=tmp_path / "m.pdf", edition_date=date(2026, 11, 27), run_preflight=False
    )
    result = pipeline.build([f], options)
    (guide,) = [plain(p.text) for p in result.page_log if p.kind == "guide"]
    assert "Ses sources ne précisent pas la date de leurs informations." in guide
    (credit,) = [plain(p.text) for p in result.page_log if p.kind == "credit"]
    assert credit.endswith("\tDate des données : non précisée")


@pytest.mark.parametrize(
    "first, last, text",
    [
        (date(2016, 3, 2), date(2026, 11, 6), "de mars 2016 à novembre 2026"),
        (date(2021, 4, 1), date(2021, 11, 6), "d’avril à novembre 2021"),
        (date(2016, 8, 19), date(2025, 10, 1), "d’août 2016 à octobre 2025"),
        (date(2025, 10, 1), date(2025, 10, 30), "d’octobre 2025"),
    ],
)
def test_month_span_is_french(first, last, text):
    assert plain(month_span_fr(first, last)) == text
