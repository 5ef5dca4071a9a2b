"""validate_rows on two cores gives what one core gives, in the same order."""

from datetime import date
from pathlib import Path

from annuaire.check import validate
from annuaire.check.validate import validate_rows
from annuaire.load import read_paths
from annuaire.model import Origin, RawRow

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "contributors"
TODAY = date(2026, 1, 1)


def test_two_processes_give_the_same_entries_and_issues(monkeypatch):
    rows = read_paths([FIX]).rows
    one = validate_rows(rows, today=TODAY)
    monkeypatch.setattr(validate, "PARALLEL_MIN_ROWS", 2)
    two = validate_rows(rows, today=TODAY, jobs=2)
    assert two.entries == one.entries
    assert two.issues == one.issues
    assert two.rejected == one.rejected == 7
    assert len(two.entries) + two.rejected == len(rows)


def test_a_sheet_missing_a_column_is_reported_once_across_the_halves(monkeypatch):
    def raw(n, **fields):
        return RawRow(origin=Origin("a.xlsx", "Santé", n), fields=fields, columns={f: f for f in fields})

    good = {"nom": "Pharmacie du Marché", "typologie": "Pharmacie", "commune": "Riom"}
    rows = [raw(2, **good), raw(3, typologie="Pharmacie", commune="Riom"), raw(4, typologie="Mairie", commune="Riom")]
    rows.append(raw(5, **good))
    monkeypatch.setattr(validate, "PARALLEL_MIN_ROWS", 2)
    res = validate_rows(rows, today=TODAY, jobs=2)  # split after the second row: one missing row in each half
    (issue,) = [i for i in res.issues if i.code == "colonne-obligatoire-manquante"]
    assert "2 ligne(s) (lignes 3 à 4)" in issue.message and issue.row == 3
    assert res.rejected == 2 and [e.origins[0].row for e in res.entries] == [2, 5]
