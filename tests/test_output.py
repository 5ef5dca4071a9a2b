"""Nothing destroyed: no output over an input, no half-written file, and a
French message naming the file when it cannot be written."""

import errno
import json
import os
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annuaire import output, report
from annuaire.cli import main
from annuaire.errors import OutputFailure, OverwritesInput

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
CSV_INPUT = SAMPLE / "enseignement_auvergne.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def workbook(tmp_path):
    """A contributor workbook (a copy: the test may try to destroy it)."""
    src = tmp_path / "saisie.xlsx"
    shutil.copy(SAMPLE / "mairie_riom_saisie.xlsx", src)
    return src


# -- an output that is an input ------------------------------------------------------------


def _link(kind, target: Path, where: Path) -> Path:
    if kind == "same":
        return target
    link = where / f"lien-{kind}{target.suffix}"
    (os.symlink if kind == "symlink" else os.link)(target, link)
    return link


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize(
    "command",
    [
        lambda src, out: ("build", "--theme", "sante", src, "--out", out),
        lambda src, out: ("build", "--theme", "sante", src, "--report", out),
        lambda src, out: ("validate", src, "--report", out),
        lambda src, out: ("validate", src, "--annote", out),
        lambda src, out: ("import", "finess", src, "-o", out),
        lambda src, out: ("import", "finess", src, "-o", src.parent / "x.xlsx", "--report", out),
        lambda src, out: ("export", src, "-o", out),
        lambda src, out: ("colonnes", src, "-o", out),
    ],
    ids=[
        "build-out",
        "build-report",
        "validate-report",
        "validate-annote",
        "import-o",
        "import-report",
        "export-o",
        "colonnes-o",
    ],
)
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(workbook, tmp_path, command, kind):
    out = _link(kind, workbook, tmp_path)
    before = workbook.read_bytes()
    result = run(*command(workbook, out))
    assert result.exit_code == 2, result.output
    assert "fichiers d’entrée" in result.output and "Traceback" not in result.output
    assert workbook.read_bytes() == before
    assert not (tmp_path / "x.xlsx").exists()


def test_an_output_that_a_folder_input_would_read_is_refused(tmp_path):
    folder = tmp_path / "saisies"
    folder.mkdir()
    shutil.copy(CSV_INPUT, folder / "ecoles.csv")
    before = (folder / "ecoles.csv").read_bytes()
    result = run("build", "--theme", "enseignement", folder, "--out", folder / "ecoles.csv")
    assert result.exit_code == 2 and "ecoles.csv" in result.output
    assert (folder / "ecoles.csv").read_bytes() == before


def test_the_layout_file_and_two_outputs_on_one_file_are_refused(tmp_path):
    layout = tmp_path / "maquette.toml"
    layout.write_text('[page]\nsize = "A5"\n', encoding="utf-8")
    result = run("build", "--theme", "vie-pratique", SAMPLE, "--layout", layout, "--report", layout)
    assert result.exit_code == 2 and layout.read_text(encoding="utf-8").startswith("[page]")
    same = tmp_path / "a.pdf"
    result = run("build", "--theme", "vie-pratique", SAMPLE, "--out", same, "--report", same)
    assert result.exit_code == 2 and "même fichier" in result.output and not same.exists()


def test_refuse_inputs_lets_distinct_files_through(tmp_path, workbook):
    output.refuse_inputs([("--out", tmp_path / "a.pdf"), ("--report", tmp_path / "a.json")], [workbook, None])
    with pytest.raises(OverwritesInput):
        output.refuse_inputs([("--out", workbook)], [tmp_path])


# -- atomic writes: a writer that dies half-way leaves the previous file whole -----------------------


def _half_then_die(real_path_arg: int = 1):
    """A stand-in writer: writes a few bytes at the destination it was given,
    then dies as a killed process would."""

    def writer(*args, **kwargs):
        target = args[real_path_arg]
        with open(os.fspath(target), "wb") as fh:
            fh.write(b"partial")
        raise KeyboardInterrupt

    return writer


def _entries():
    from annuaire import pipeline

    return pipeline.prepare([CSV_INPUT]).entries[:5]


def _write_pdf(path):
    from annuaire import pipeline

    pipeline.build([CSV_INPUT], pipeline.BuildOptions(theme="enseignement", out=path, run_preflight=False))


WRITERS = {
    "json-report": ("pathlib.Path.write_text", 0, lambda p: report.write_report(p, {"rows_read": 1}), ".json"),
    "xlsx-export": (
        "openpyxl.workbook.workbook.Workbook.save",
        1,
        lambda p: __import__("annuaire.workbooks.export", fromlist=["x"]).write_entries(_entries(), p),
        ".xlsx",
    ),
    "xlsx-template": (
        "openpyxl.workbook.workbook.Workbook.save",
        1,
        lambda p: __import__("annuaire.workbooks.template", fromlist=["x"]).write_template(p),
        ".xlsx",
    ),
    "xlsx-annotated": (
        "openpyxl.workbook.workbook.Workbook.save",
        1,
        lambda p: __import__("annuaire.workbooks.annotate", fromlist=["x"]).annotate(
            SAMPLE / "mairie_riom_saisie.xlsx", [], p
        ),
        ".xlsx",
    ),
    "pdf": ("reportlab.pdfbase.pdfdoc.PDFDocument.SaveToFile", 1, _write_pdf, ".pdf"),
    "manifest": (
        "json.dump",
        1,
        lambda p: __import__("annuaire.editions.batch", fromlist=["x"]).write_manifest(p.parent, {}),
        ".json",
    ),
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_write_that_dies_half_way_leaves_the_previous_file_whole(tmp_path, monkeypatch, name):
    target, arg, write, suffix = WRITERS[name]
    path = tmp_path / ("manifest.json" if name == "manifest" else f"sortie{suffix}")
    previous = b"previous version, complete"
    path.write_bytes(previous)
    if name == "manifest":

        def dump(obj, fh, **kw):
            fh.write("{partial")
            raise KeyboardInterrupt

        monkeypatch.setattr(json, "dump", dump)
    else:
        monkeypatch.setattr(target, _half_then_die(arg))
    with pytest.raises(KeyboardInterrupt):
        write(path)
    assert path.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_csv_export_that_dies_half_way_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    from annuaire.workbooks import export

    path = tmp_path / "annuaire.csv"
    path.write_bytes(b"previous")

    class Dying:
        def __init__(self, fh, **kw):
            self.fh = fh

        def writerow(self, row):
            self.fh.write("partial")
            raise KeyboardInterrupt

    monkeypatch.setattr(export.csv, "writer", Dying)
    with pytest.raises(KeyboardInterrupt):
        export.write_csv(_entries(), path)
    assert path.read_bytes() == b"previous"


CHILD = r"""
import sys, time
import reportlab.pdfbase.pdfdoc as pdfdoc

def slow_save(self, filename, canvas):
    # Half of a PDF reaches the disk, then the process is killed.
    with open(filename, "wb") as fh:
        fh.write(b"%PDF-1.4\n% half of a book")
        fh.flush()
        print("writing", flush=True)
        time.sleep(120)

pdfdoc.PDFDocument.SaveToFile = slow_save
from annuaire.cli import main
main(sys.argv[1:])
"""


def test_a_build_killed_while_writing_leaves_the_previous_pdf_whole(tmp_path):
    out = tmp_path / "annuaire.pdf"
    result = run("build", "--theme", "enseignement", CSV_INPUT, "--out", out, "--sans-controle")
    assert result.exit_code == 0, result.output
    previous = out.read_bytes()
    first_run = set(tmp_path.iterdir())  # the book and, if perfect-bound, its cover
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            "build",
            "--theme",
            "enseignement",
            str(CSV_INPUT),
            "--out",
            str(out),
            "--sans-controle",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 120)
        assert ready and child.stdout.readline().strip() == "writing", child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert out.read_bytes() == previous  # the book of the previous run, complete
    leftovers = [p.name for p in set(tmp_path.iterdir()) - first_run]
    assert leftovers
    assert all(p.startswith(".") for p in leftovers)  # hidden: never read as input, never shown


def test_writing_through_a_symbolic_link_keeps_the_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    output.write_text(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        path = output.write_text(tmp_path / "r.json", "{}")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644


# -- outputs that cannot be written ----------------------------------------------------------------


def test_an_unwritable_output_path_names_the_file(tmp_path):
    result = run("build", "--theme", "enseignement", CSV_INPUT, "--out", "/proc/x.pdf", "--sans-controle")
    assert result.exit_code == 2, result.output
    assert "/proc/x.pdf" in result.output and "Traceback" not in result.output
    result = run("validate", CSV_INPUT, "--report", "/proc/x.json")
    assert result.exit_code == 2 and "/proc/x.json" in result.output


def test_a_full_disk_names_the_file(tmp_path, monkeypatch):
    import reportlab.pdfbase.pdfdoc as pdfdoc

    def full(self, filename, canvas):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdfdoc.PDFDocument, "SaveToFile", full)
    out = tmp_path / "annuaire.pdf"
    result = run("build", "--theme", "enseignement", CSV_INPUT, "--out", out, "--sans-controle")
    assert result.exit_code == 2, result.output
    assert "disque plein" in result.output and str(out) in result.output
    assert list(tmp_path.iterdir()) == []


def test_dev_full_is_a_full_disk_and_is_not_replaced():
    with pytest.raises(OutputFailure, match="disque plein"):
        output.write_text("/dev/full", "x" * 10000)
    assert Path("/dev/full").is_char_device()
