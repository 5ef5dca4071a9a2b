"""Exit codes and logging: a defect exits 3 with a short French message, its
traceback only in the log (--verbose); --quiet keeps errors only."""

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from annuaire import pipeline
from annuaire.cli import main

ROOT = Path(__file__).resolve().parents[1]
CSV_INPUT = ROOT / "sample_data" / "enseignement_auvergne.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _defect(*args, **kwargs):
    raise ZeroDivisionError("division by zero in a stage")


@pytest.mark.parametrize(
    "args",
    [
        ("validate", CSV_INPUT),
        ("build", "--theme", "enseignement", CSV_INPUT, "--sans-controle"),
    ],
)
def test_an_unexpected_error_exits_3_with_a_french_message_and_no_traceback(monkeypatch, args):
    monkeypatch.setattr(pipeline, "prepare", _defect)
    result = run(*args)
    assert result.exit_code == 3
    assert "Erreur inattendue (ZeroDivisionError)" in result.output
    assert "--verbose" in result.output and "Traceback" not in result.output


def test_verbose_puts_the_traceback_in_the_log(monkeypatch):
    monkeypatch.setattr(pipeline, "prepare", _defect)
    result = run("validate", CSV_INPUT, "--verbose")
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "_defect" in result.stderr
    # Before the command too: `annuaire -v validate …`.
    assert "Traceback" in run("-v", "validate", CSV_INPUT).stderr


def test_quiet_shows_errors_only_and_verbose_the_stages(tmp_path):
    out = tmp_path / "a.pdf"
    loud = run("build", "--theme", "enseignement", CSV_INPUT, "--out", out, "--sans-controle", "-v")
    assert loud.exit_code == 0, loud.output
    assert "DEBUG annuaire." in loud.stderr
    quiet = run("build", "--theme", "enseignement", CSV_INPUT, "--out", out, "--sans-controle", "-q")
    assert quiet.exit_code == 0 and "DEBUG" not in quiet.stderr
    assert logging.getLogger("annuaire").level == logging.ERROR


def test_usage_errors_stay_click_s_exit_2():
    result = run("build")  # --theme missing
    assert result.exit_code == 2 and "--theme" in result.output
