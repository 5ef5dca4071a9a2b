"""A national list in a regional edition: rows elsewhere in France are out of
scope (not errors), and none is attached to an Auvergne homonym."""

import json
from pathlib import Path

from annuaire import pipeline
from annuaire.editions import territory

NATIONAL = Path(__file__).resolve().parent / "fixtures" / "places" / "france_services_20240801_france.csv"
AUVERGNE = ("03", "15", "43", "63")


def _rows():
    import csv

    with NATIONAL.open(encoding="utf-8", newline="") as fh:
        return {n: r for n, r in enumerate(csv.DictReader(fh), start=2)}


def test_rows_outside_the_region_are_out_of_scope_not_errors():
    run = pipeline.check([NATIONAL])
    rows = _rows()
    outside = [n for n, r in rows.items() if r["insee_dep"] not in AUVERGNE]
    assert run.counts.rows_read == 18 and run.counts.balanced
    assert run.counts.rejected == 0
    assert run.counts.out_of_scope == len(outside) == 13
    assert run.counts.printed == 5
    (info,) = [i for i in run.issues if i.code == "hors-territoire"]
    assert info.severity == "info" and info.value == "13" and "Valserhône" in info.message
    assert not [i for i in run.issues if i.code.startswith("commune-")]


def test_no_row_is_attached_to_a_homonym_elsewhere():
    prepared = pipeline.prepare([NATIONAL])
    rows = _rows()
    for e in prepared.entries:
        r = rows[e.origins[0].row]
        # Every entry lies in the département the national list gives for it.
        assert e.insee.startswith(r["insee_dep"]), (e.name, e.insee, r["insee_dep"])
    # Saint-Agrève (Ardèche), next to the Haute-Loire, is not Le Chambon-sur-Lignon.
    (agreve,) = [e for e in prepared.entries if "Agrève" in e.name]
    assert (agreve.insee, agreve.commune) == ("07204", "Saint-Agrève")


def test_other_territories_of_france_take_their_rows(tmp_path):
    prepared = pipeline.prepare([NATIONAL])
    nievre = pipeline.select(prepared.entries, ["vie-pratique"], territory.resolve("Nièvre"))
    assert sorted(e.commune for e in nievre) == ["La Charité-sur-Loire", "Nevers"]
    aura = territory.resolve("Auvergne-Rhône-Alpes")
    assert aura.kind == "region" and len({c[:2] for c in aura.insee}) == 12
    report = tmp_path / "aura.json"
    result = pipeline.build_edition(
        prepared,
        pipeline.BuildOptions(
            theme="vie-pratique",
            territory="Auvergne-Rhône-Alpes",
            out=tmp_path / "aura.pdf",
            report=report,
            run_preflight=False,
        ),
    )
    # Ain (2), Allier (2), Ardèche (1), Puy-de-Dôme (3).
    assert result.counts.printed == 8 and result.counts.out_of_scope == 10 and result.counts.balanced
    data = json.loads(report.read_text(encoding="utf-8"))
    (info,) = [i for i in data["issues"] if i["code"] == "hors-territoire"]
    assert info["severity"] == "info" and "Auvergne-Rhône-Alpes" in info["message"]
    assert result.out.name == "aura.pdf" and result.territory == "Auvergne-Rhône-Alpes"
