"""The table of services merged since Annex 1 (annuaire/data/fusions.csv) is
reviewable: each row names its date and legal text, and points inside a theme."""

from __future__ import annotations

import re
from datetime import date

from annuaire.reference import taxonomy


def test_every_merger_is_dated_and_grounded_in_a_legal_text():
    rows = taxonomy.fusions()
    assert len(rows) >= 11
    for f in rows:
        assert date.fromisoformat(f.since) <= date(2024, 1, 1)
        assert re.search(r"(décret|loi) n° \d{4}-\d+ du \d+", f.text), f
        assert f.see and f.comment
        assert taxonomy.typology(f.old).theme == taxonomy.typology(f.new).theme


def test_merged_into():
    assert taxonomy.merged_into("SP19") == "SP28"  # DDAF → DDT
    assert taxonomy.merged_into("SP23") == "SP25"  # DRIRE → DREAL
    assert taxonomy.merged_into("SP33") == "SP32"  # Assedic → France Travail
    assert taxonomy.merged_into("SP55") == "SP22"  # DDCCRF → DDPP
    # Today's services themselves, and a typology that was never merged.
    assert taxonomy.merged_into("SP28") is None
    assert taxonomy.merged_into("SP08") is None  # tribunaux de proximité: still their own places
    assert taxonomy.merged_into("SA19") is None
