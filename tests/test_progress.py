"""Large inputs say how far they are, also when the output is not a terminal."""

from click.testing import CliRunner

from annuaire import pipeline
from annuaire.cli import main


def test_validation_logs_progress_lines_when_not_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(pipeline, "PROGRESS_MIN_ROWS", 2000)
    src = tmp_path / "gros.csv"
    src.write_text(
        "Nom;Typologie;Commune\n" + "".join(f"Pharmacie n° {i};Pharmacie;Riom\n" for i in range(3000)), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(src)])
    assert "validation : 1\u202f000 / 3\u202f000 lignes (33 %)" in result.output
    assert "validation : 3\u202f000 / 3\u202f000 lignes (100 %)" in result.output
    assert "3\u202f000 lignes lues" in result.output


def test_small_inputs_stay_quiet(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_SECONDS", 0.0)
    src = tmp_path / "petit.csv"
    src.write_text(
        "Nom;Typologie;Commune\n" + "".join(f"Pharmacie n° {i};Pharmacie;Riom\n" for i in range(1500)), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["validate", str(src)])
    assert "validation :" not in result.output
