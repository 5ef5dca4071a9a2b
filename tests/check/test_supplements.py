"""SAE urgences, périnatalité and SMUR/SAMU (issue 11 §1): printed with the
hospital's entry, joined on the FINESS géographique, never entries of their own;
rows that annotate no hospital are reported, and the accounting holds."""

import re
import subprocess
from pathlib import Path

from annuaire import pipeline
from annuaire.load.importers import detect
from annuaire.model import RawRow

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "national"
SUPPLEMENTS = [
    FIX / "sae_2023_urgences_auvergne.csv",
    FIX / "sae_2023_perinatalite_auvergne.csv",
    FIX / "sae_2023_smur_samu_auvergne.csv",
]
BASE = [FIX / "finess_fhir_20210108_auvergne.ndjson", FIX / "sae_2023_etablissements_sante_auvergne.csv"]


def test_each_bordereau_is_detected_and_says_what_the_hospital_offers():
    got = {}
    for path in SUPPLEMENTS:
        imp = detect(path)
        rows = [r for r in imp.read(path) if isinstance(r, RawRow)]
        assert all(r.annotates == "finess" for r in rows)
        got[imp.name] = {dict(r.ids)["finess"]: r.services for r in rows}
    assert set(got) == {"sae-urgences", "sae-perinatalite", "sae-smur-samu"}
    assert len(got["sae-urgences"]) == 15 and len(got["sae-perinatalite"]) == 15 and len(got["sae-smur-samu"]) == 13
    assert got["sae-urgences"]["030000061"] == ("Urgences 24 h/24",)
    assert got["sae-urgences"]["630781268"] == ("Urgences pédiatriques 24 h/24",)  # Hôpital Estaing: AUTPED only
    assert got["sae-perinatalite"]["630781268"] == ("Maternité de type\u00a03",)
    assert got["sae-perinatalite"]["150000164"] == ("Centre périnatal de proximité (sans accouchement)",)
    assert got["sae-perinatalite"]["030781116"] == ()  # Saint-François: no delivery authorised, nothing said
    assert got["sae-smur-samu"]["030000061"] == ("SAMU (centre 15)", "SMUR")
    assert got["sae-smur-samu"]["030000079"] == ("SMUR",)


def test_printed_with_the_hospital_and_counted_as_merged_into_it():
    prepared = pipeline.prepare(SUPPLEMENTS + BASE)
    assert prepared.rows_read == len(prepared.entries) + prepared.rejected + prepared.duplicates + prepared.withdrawn
    moulins = next(e for e in prepared.entries if ("finess", "030000061") in e.ids)
    assert moulins.services == ("Urgences 24\u00a0h/24", "Maternité de type\u00a02", "SAMU (centre 15)", "SMUR")
    assert "SAE (DREES) – urgences, maternités, SMUR et SAMU" in {p.name for p in moulins.providers}
    merge = next(m for m in prepared.merges if m.kept == moulins.key)
    files = [o.file for o in merge.merged]
    for f in SUPPLEMENTS:
        assert f.name in files
    assert "même FINESS géographique 030000061" in merge.reason
    # No supplement became an entry of its own.
    assert not [e for e in prepared.entries if any(o.file.startswith("sae_2023_urgences") for o in e.origins[:1])]


def test_rows_whose_hospital_is_not_read_are_rejected_at_their_row():
    alone = pipeline.prepare(SUPPLEMENTS)
    assert (alone.rows_read, len(alone.entries), alone.rejected, alone.duplicates) == (43, 0, 43, 0)
    with_base = pipeline.prepare(SUPPLEMENTS + BASE)
    missing = [i for i in with_base.issues if i.code == "complement-sans-etablissement"]
    # 12 of the 43 rows are hospitals of the FINESS / SAE ID extracts; the others are reported one by one.
    assert len(missing) == 43 - 12
    first = min(missing, key=lambda i: (i.file, i.row))
    assert first.severity == "error" and first.column == "FI" and first.row >= 2
    assert "Ajoutez le fichier FINESS ou la SAE (bordereau ID)" in first.message
    base_only = pipeline.prepare(BASE)
    assert with_base.rejected == base_only.rejected + 31
    assert with_base.duplicates == base_only.duplicates + 12


def test_the_line_is_printed_in_the_hospital_entry(tmp_path):
    out = tmp_path / "sante.pdf"
    result = pipeline.build(SUPPLEMENTS + BASE, pipeline.BuildOptions(theme="sante", out=out, run_preflight=False))
    assert result.counts.balanced
    page = next(p.page for p in result.page_log if p.kind == "entry" and p.text == "CH de Moulins")
    text = subprocess.run(
        ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Read back from the page, whatever the line breaks: the hospital's services after its name.
    flat = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    after = flat[flat.index("CH de Moulins") :]
    assert "Urgences 24 h/24 · Maternité de type 2 · SAMU (centre 15) · SMUR" in after[:400]
