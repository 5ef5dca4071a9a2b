"""Rows from all over France and from homonym communes: placed by INSEE code,
else by postal code and name together; never attached to a homonym."""

from pathlib import Path

from annuaire import load
from annuaire.check.validate import validate_rows

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "places"


def _run():
    loaded = load.read_paths([FIX / "lieux_france_homonymes.csv"])
    res = validate_rows(loaded.rows)
    by_row = {e.origins[0].row: e for e in res.entries}
    issues: dict[int, list] = {}
    for i in res.issues:
        issues.setdefault(i.row, []).append(i)
    return res, by_row, issues


def test_rows_elsewhere_in_france_are_placed_in_their_own_commune():
    res, by_row, _ = _run()
    placed = {row: (e.insee, e.commune, e.postcode) for row, e in by_row.items()}
    assert placed[2] == ("84089", "Pertuis", "84120")  # not « 84120 Le Pertuis » (Haute-Loire)
    assert placed[3] == ("26108", "Crest", "26400")  # not Le Crest (Puy-de-Dôme)
    assert placed[4] == ("33456", "Saint-Palais", "33820")  # Gironde, not « 03370 Saint-Palais »
    assert placed[5] == ("03249", "Saint-Palais", "03370")
    assert placed[6] == ("63126", "Le Crest", "63450")
    assert placed[7] == ("43150", "Le Pertuis", "43200")
    assert placed[8] == ("33063", "Bordeaux", "33000")
    assert placed[12] == ("75056", "Paris", "75018")
    # No row is attached to a commune of another département than its postal code's.
    for row, e in by_row.items():
        assert row == 9 or e.postcode[:2] == e.insee[:2], (row, e)
    assert len(res.entries) + res.rejected == 11


def test_postal_code_of_another_departement_is_reported_at_its_cell():
    _, by_row, issues = _run()
    # Riom with a Bordeaux postal code: Riom is the only one in France; the
    # code is reported at its cell, and Bordeaux is never taken.
    assert by_row[9].insee == "63300"
    (e,) = issues[9]
    assert e.code.startswith("code-postal") and e.column == "Code postal" and e.value == "33000"


def test_homonyms_without_postal_code_are_asked_for():
    _, by_row, issues = _run()
    assert 10 not in by_row
    (e,) = issues[10]
    assert e.code == "commune-ambigue" and e.column == "Commune"
    for pc in ("03370", "18110", "33820", "64120"):
        assert pc in e.message


def test_commune_unknown_in_all_france_gets_suggestions():
    _, by_row, issues = _run()
    assert 11 not in by_row
    (e,) = issues[11]
    assert e.code == "commune-inconnue" and "aucune commune de France" in e.message
    assert "« Bordeaux »" in e.message  # the commune of its postal code, first
