"""The edition is dated the day it is made, not by the newest date in the data.

A contributor's sheet updated last week must not make a book of 2016 records
say « Édition du » last week: the edition date is ``--date``, else
SOURCE_DATE_EPOCH (reproducible builds), else the day of the build; the
cover, the colophon and the PDF metadata all print it.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pikepdf
from click.testing import CliRunner

from annuaire import pipeline
from annuaire.cli import main

MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def french(d: date) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]} {d.year}"


def sheet(tmp_path):
    """Two mairies: one checked on 6 November 2026, one not since March 2016."""
    f = tmp_path / "mairies.csv"
    f.write_text(
        "Nom;Typologie;Code postal;Commune;Téléphone;Mise à jour\n"
        "Mairie de Murat;Mairie;15300;Murat;04 71 20 03 80;06/11/2026\n"
        "Mairie de Dienne;Mairie;15300;Dienne;04 71 20 80 60;15/03/2016\n",
        encoding="utf-8",
    )
    return f


def build(tmp_path, **kw):
    out = tmp_path / "a.pdf"
    result = pipeline.build(
        [sheet(tmp_path)], pipeline.BuildOptions(theme="services-publics", out=out, run_preflight=False, **kw)
    )
    colophon = [
        p.text.replace("\u00a0", " ")
        for p in result.page_log
        if p.kind == "colophon" and p.text.startswith("Édition du")
    ]
    with pikepdf.open(out) as pdf:
        subject = str(pdf.docinfo["/Subject"])
    return colophon, subject


def test_default_is_the_day_of_the_build(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    colophon, subject = build(tmp_path)
    today = date.today()
    assert len(colophon) == 1 and colophon[0].startswith(f"Édition du {french(today)}")
    assert subject.endswith(f"édition du {today.isoformat()}")
    if today != date(2026, 11, 6):
        assert "6 novembre 2026" not in colophon[0]  # the newest date of the data is not the edition's


def test_source_date_epoch_keeps_the_build_reproducible(tmp_path, monkeypatch):
    stamp = int(datetime(2025, 3, 31, 12, tzinfo=timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(stamp))
    colophon, subject = build(tmp_path)
    assert colophon[0].startswith("Édition du 31 mars 2025")
    assert subject.endswith("édition du 2025-03-31")


def test_given_date_wins_over_the_epoch_and_the_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    colophon, subject = build(tmp_path, edition_date=date(2026, 1, 1))
    assert colophon[0].startswith("Édition du 1er janvier 2026")
    assert pipeline.edition_date(None, today=date(2027, 2, 3)) == date(1970, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pipeline.edition_date(None, today=date(2027, 2, 3)) == date(2027, 2, 3)
    assert pipeline.edition_date(date(2026, 5, 4), today=date(2027, 2, 3)) == date(2026, 5, 4)


def test_batch_dates_every_edition_with_its_date_option(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["batch", str(sheet(tmp_path)), "--par", "commune", "--theme", "services-publics"]
        + ["--out-dir", str(out), "--jobs", "1", "--date", "2026-03-31"],
    )
    assert result.exit_code == 0, result.output
    pdfs = sorted(p for p in out.glob("*.pdf") if not p.stem.endswith("couverture"))
    assert len(pdfs) == 2
    for p in pdfs:
        with pikepdf.open(p) as pdf:
            assert str(pdf.docinfo["/Subject"]).endswith("édition du 2026-03-31"), p.name
