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


def test_every_long_stage_says_how_far_it_is_when_not_on_a_terminal(tmp_path, monkeypatch):
    # Each stage made slow (a pause in reading, validating, merging, in each
    # page drawn and each page checked): the watcher says where the build is.
    import re
    import time
    from pathlib import Path

    from annuaire.pdf.draw import Painter
    from annuaire.preflight.content import Walker

    def slow(f, seconds):
        def wrapper(*args, **kwargs):
            time.sleep(seconds)
            return f(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(pipeline, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(pipeline.load, "read_paths", slow(pipeline.load.read_paths, 0.4))
    monkeypatch.setattr(pipeline.validate, "validate_rows", slow(pipeline.validate.validate_rows, 0.4))
    monkeypatch.setattr(pipeline.merge, "merge", slow(pipeline.merge.merge, 0.4))
    monkeypatch.setattr(Painter, "end_page", slow(Painter.end_page, 0.03))
    monkeypatch.setattr(Walker, "scan_page", slow(Walker.scan_page, 0.03))
    sample = Path(__file__).resolve().parents[1] / "sample_data"
    out = tmp_path / "sante.pdf"
    result = CliRunner().invoke(
        main, ["build", "--theme", "sante", "--territoire", "CC Hautes Terres", str(sample), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for stage in ("lecture", "validation", "doublons"):
        assert any(re.fullmatch(rf"{stage} : en cours depuis \d+ s", line) for line in lines), stage
    pages = re.compile(r"(mise en page et rendu|contrôle avant impression) : (\d+) / (\d+) pages \((\d+) %\)")
    seen = {m.group(1): m for m in map(pages.match, lines) if m}
    assert set(seen) == {"mise en page et rendu", "contrôle avant impression"}
    total = int(seen["contrôle avant impression"].group(3))
    assert total > 8 and all(int(m.group(3)) == total and 0 < int(m.group(2)) <= total for m in seen.values())


def test_a_stage_whose_count_is_complete_says_it_is_finishing(monkeypatch):
    # After the last page drawn the PDF is still being written: not « 100 % » for a minute.
    monkeypatch.setattr(pipeline.time, "monotonic", lambda: 1000.0)
    stage = pipeline._StageProgress()
    stage.enter("layout+render")
    stage.count(10, 40, "pages")
    monkeypatch.setattr(pipeline.time, "monotonic", lambda: 1020.0)
    stage.count(20, 40, "pages")
    assert stage.line(1020.0) == "mise en page et rendu : 20 / 40 pages (50 %), environ 40 s restantes"
    stage.count(40, 40, "pages")
    assert stage.line(1032.0) == "mise en page et rendu : 40 pages sur 40, finalisation depuis 12 s"
    stage.enter("preflight")
    assert stage.line(1050.0) == "contrôle avant impression : en cours depuis 30 s"
