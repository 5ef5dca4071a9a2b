"""Services of Annex 1 merged since 2008 print once, under today's service,
and the contents send the reader from the old name to it (issue 8 §4).

Real records of the 2016 service-public.fr file: the DDT of the four
départements, the DREAL's unités territoriales (filed under the DRIRE of
Annex 1), the DDPP/DDCSPP, two Pôle emploi agencies, a TGI and a tribunal
d'instance (both part of the tribunal judiciaire since 2020)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from annuaire import pipeline

DILA = (
    Path(__file__).resolve().parents[1] / "fixtures" / "fusions" / "dila_annuaire_services_publics_2016_auvergne.jsonl"
)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("voir") / "sp.pdf"
    options = pipeline.BuildOptions(
        theme="services-publics", out=out, edition_date=date(2026, 11, 27), run_preflight=False
    )
    return pipeline.build([DILA], options)


def toc(book):
    return [(p.kind, p.key, p.text.replace("\u00a0", " ")) for p in book.page_log if p.kind in ("toc", "toc-voir")]


def heading_page(book, code):
    (page,) = [p.page for p in book.page_log if p.kind == "typology" and p.key == code]
    return page


def test_merged_services_print_once_under_todays_typology(book):
    printed = {p.key for p in book.page_log if p.kind == "typology"}
    assert {"SP22", "SP25", "SP28", "SP32"} <= printed
    assert not printed & {"SP19", "SP23", "SP33", "SP55", "SP86"}  # no 2008 heading left
    # The three DREAL unités territoriales are under the DREAL, not lost.
    assert book.counts.printed == 15 and book.counts.balanced
    (info,) = [i for i in book.issues if i.code == "typologie-fusionnee"]
    assert info.severity == "info" and info.value == "3" and info.row == 3
    assert (
        "3 lignes de typologie « Direction régionale de l'industrie, de la recherche et de l'environnement (DRIRE) »"
        in (info.message)
    )
    assert "décret n° 2009-235 du 27 février 2009" in info.message


def test_contents_send_each_old_name_to_todays_service(book):
    lines = toc(book)
    see = {key: text for kind, key, text in lines if kind == "toc-voir"}
    ddt, dreal, ddpp, ft = (heading_page(book, c) for c in ("SP28", "SP25", "SP22", "SP32"))
    ti, tj = heading_page(book, "SP08"), heading_page(book, "SP09")
    assert see == {
        "SP08": f"Tribunal d’instance : voir Tribunal de proximité\t{ti}",
        "SP09": f"Tribunal de grande instance (TGI) : voir Tribunal judiciaire\t{tj}",
        "SP19": f"DDAF (agriculture et forêt) : voir Direction départementale des territoires (DDT ou DDTM)\t{ddt}",
        "SP28": f"DDE (équipement) : voir Direction départementale des territoires (DDT ou DDTM)\t{ddt}",
        "SP86": f"Affaires maritimes : voir Direction départementale des territoires (DDT ou DDTM)\t{ddt}",
        "SP23": "DRIRE (industrie et environnement) : voir Direction régionale de l’environnement, de "
        f"l’aménagement et du logement (DREAL)\t{dreal}",
        "SP25": "DIREN (environnement) : voir Direction régionale de l’environnement, de l’aménagement et du "
        f"logement (DREAL)\t{dreal}",
        "SP22": "DDSV (services vétérinaires) : voir Direction départementale de la protection des populations "
        f"(DDPP ou DDETSPP)\t{ddpp}",
        "SP55": "DDCCRF (répression des fraudes) : voir Direction départementale de la protection des "
        f"populations (DDPP ou DDETSPP)\t{ddpp}",
        "SP32": f"ANPE, Pôle emploi : voir France Travail (agence)\t{ft}",
        "SP33": f"Assedic : voir France Travail (agence)\t{ft}",
    }
    order = [key for _, key, _ in lines]
    justice = order[order.index("Justice") : order.index("Environnement, agriculture")]
    assert justice == ["Justice", "SP08", "SP08", "SP09", "SP09"]
    # In Annex 1 order inside its group (DDAF before the DDPP, DRIRE before the DREAL);
    # the old name of today's service just after it; the DDCCRF, whose group
    # (Économie et finances) is not printed, after the DDPP it joined.
    env = order[order.index("Environnement, agriculture") : order.index("Logement, transport")]
    assert env == ["Environnement, agriculture", "SP19", "SP22", "SP22", "SP55", "SP23", "SP25", "SP25"]
    kinds = [k for k, key, _ in lines if key == "SP22"]
    assert kinds == ["toc", "toc-voir"]
    log = order[order.index("Logement, transport") :]
    assert log[:4] == ["Logement, transport", "SP28", "SP28", "SP86"]
    assert order[order.index("Travail, emploi et formation") :][:4] == [
        "Travail, emploi et formation",
        "SP32",
        "SP32",
        "SP33",
    ]


def test_no_see_line_without_todays_service(tmp_path):
    """A santé edition has no merged service: no « voir » line."""
    f = tmp_path / "pharma.csv"
    f.write_text("Nom;Typologie;Code postal;Commune\nPharmacie du Centre;Pharmacie;15300;Murat\n", encoding="utf-8")
    result = pipeline.build(
        [f], pipeline.BuildOptions(theme="sante", out=tmp_path / "s.pdf", edition_date=date(2026, 11, 27))
    )
    assert not [p for p in result.page_log if p.kind == "toc-voir"]
