"""The command line contract: outputs, JSON report, exit codes, no tracebacks."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from annuaire.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
CONTRIB = ROOT / "tests" / "fixtures" / "contributors"


def run(*args, cwd=None):
    runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_themes_json_shape():
    result = run("themes", "--json")
    assert result.exit_code == 0
    tree = json.loads(result.output)
    assert [t["slug"] for t in tree] == ["services-publics", "sante", "sports-loisirs", "enseignement", "vie-pratique"]
    counts = [sum(len(s["typologies"]) for g in t["groups"] for s in g["subgroups"]) for t in tree]
    assert counts == [88, 28, 27, 20, 12]
    first = tree[0]["groups"][0]["subgroups"][0]["typologies"][0]
    assert set(first) == {"code", "label", "print_label"}
    justice = next(g for g in tree[0]["groups"] if g["label"] == "Justice")
    assert None in [s["label"] for s in justice["subgroups"]]


def test_validate_reports_every_problem_with_its_cell_and_exit_1(tmp_path):
    report = tmp_path / "r.json"
    result = run("validate", SAMPLE / "mairie_riom_saisie.xlsx", "--report", report)
    assert result.exit_code == 1  # some rows are rejected
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {"rows_read", "printed", "rejected", "duplicates", "out_of_scope", "withdrawn", "issues"} <= set(data)
    assert data["rows_read"] == (
        data["printed"] + data["rejected"] + data["duplicates"] + data["out_of_scope"] + data["withdrawn"]
    )
    typo = next(i for i in data["issues"] if i["code"] == "typologie-inconnue")
    assert typo["file"] == "mairie_riom_saisie.xlsx" and typo["sheet"] and typo["row"] > 1
    assert typo["column"].startswith("B") and "Pharmacie" in typo["message"]
    assert "ERREUR" in result.output and "Pharmacei" in result.output


def test_validate_clean_file_exits_0(tmp_path):
    clean = tmp_path / "propre.csv"
    clean.write_text(
        "Nom;Typologie;Commune;Téléphone;Mise à jour\nMairie d’Allanche;Mairie;Allanche;04 71 20 41 44;01/10/2026\n",
        encoding="cp1252",
    )
    result = run("validate", clean, "--date", "2026-11-27")
    assert result.exit_code == 0, result.output
    assert "1 ligne lue" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "nulle-part.xlsx"),
        ("build", "--theme", "sante", "nulle-part.xlsx"),
        ("build", "--theme", "sport", str(SAMPLE)),
    ],
)
def test_unusable_input_exits_2_with_a_french_message(args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Erreur" in result.output


def test_not_a_spreadsheet_exits_2(tmp_path):
    fake = tmp_path / "services.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    result = CliRunner().invoke(main, ["validate", str(fake)])
    assert result.exit_code == 2 and "services.xlsx" in result.output


def test_build_writes_pdf_report_and_summary(tmp_path):
    out, report = tmp_path / "a.pdf", tmp_path / "a.json"
    result = run("build", "--theme", "vie-pratique", SAMPLE, "--out", out, "--report", report)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    data = json.loads(report.read_text(encoding="utf-8"))
    cover = out.with_name("a-couverture.pdf")
    if "Couverture (dos collé)" in result.output:
        # Perfect binding: the cover is a file of its own, the book an even count.
        assert cover.read_bytes().startswith(b"%PDF") and data["pages"] % 2 == 0
    else:
        # Saddle stitch: folded sheets of four pages, the covers inside the PDF.
        assert not cover.exists() and data["pages"] % 4 == 0 and data["pages"] <= 64
    assert data["pages"] > 4
    assert data["rows_read"] == (
        data["printed"] + data["rejected"] + data["duplicates"] + data["out_of_scope"] + data["withdrawn"]
    )
    assert "Annuaire écrit" in result.output and "conforme" in result.output
    assert data["preflight"]["passed"] is True


def test_modele_then_validate(tmp_path):
    path = tmp_path / "modele.xlsx"
    result = run("modele", "-o", path, "--territoire", "CC Hautes Terres", "--source", "CC Hautes Terres")
    assert result.exit_code == 0 and path.is_file()


def test_import_writes_a_contributor_workbook(tmp_path):
    src = next((ROOT / "tests" / "fixtures" / "national").glob("*gares*"), None)
    if src is None:
        pytest.skip("pas d'extrait SNCF dans tests/fixtures/national")
    out = tmp_path / "gares.xlsx"
    result = run("import", "gares", src, "-o", out)
    assert result.exit_code == 0, result.output
    again = run("validate", out)
    assert again.exit_code == 0, again.output


NATIONAL = ROOT / "tests" / "fixtures" / "national"


def test_import_refuses_a_file_of_another_format(tmp_path):
    # The SAE file given as FINESS: every line used to be rejected as broken JSON,
    # and a workbook with no entry was written with exit code 0.
    out = tmp_path / "x.xlsx"
    result = run("import", "finess", NATIONAL / "sae_2023_etablissements_sante_auvergne.csv", "-o", out)
    assert result.exit_code == 2
    assert "n’est pas au format « finess » : c’est un fichier « sae »" in result.output
    assert "annuaire import sae" in result.output and not out.exists()


def test_validate_lists_warnings_in_the_order_of_the_rows(tmp_path):
    f = tmp_path / "mairie.csv"
    f.write_text(
        "Nom;Typologie;Code postal;Commune;Téléphone;Mise à jour\n"
        "Mairie de Murat;Mairie;15300;Murat;04 71 20 03 80;\n"
        "Mairie de Dienne;Mairie;15300;Dienne;04 71 20 80 20 / 06 12 34 56 78;20/11/2026\n",
        encoding="utf-8",
    )
    result = run("validate", f, "--date", "2026-11-27")
    lines = [line for line in result.output.splitlines() if line.startswith("ATTENTION")]
    # the missing date of line 2 is found last (freshness) but printed first
    assert [("ligne 2" in line, "ligne 3" in line) for line in lines] == [(True, False), (False, True)]


def test_import_of_a_folder_says_it_is_a_folder(tmp_path):
    result = run("import", "finess", tmp_path, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "est un dossier" in result.output


def test_import_refuses_an_unknown_file(tmp_path):
    other = tmp_path / "hexasmal.csv"
    other.write_text(
        "#Code_commune_INSEE;Nom_de_la_commune;Code_postal;Libellé_d_acheminement\n15138;MURAT;15300;MURAT\n",
        encoding="utf-8",
    )
    result = run("import", "laposte", other, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "ni à aucun format connu" in result.output


def test_import_report_option_the_summary_points_to(tmp_path):
    report = tmp_path / "r.json"
    result = run(
        "import",
        "sae",
        NATIONAL / "sae_2023_etablissements_sante_auvergne.csv",
        "-o",
        tmp_path / "sae.xlsx",
        "--report",
        report,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows_read"] == (
        data["printed"] + data["rejected"] + data["duplicates"] + data["out_of_scope"] + data["withdrawn"]
    )
    assert data["rejected"] == sum(1 for i in data["issues"] if i["severity"] == "error" and i["row"])


@pytest.mark.parametrize(
    "command",
    [
        ["modele", "-o", "{dir}"],
        ["validate", str(CONTRIB), "--report", "{dir}"],
        ["build", "--theme", "vie-pratique", str(SAMPLE), "--territoire", "15138", "--out", "{dir}", "--sans-controle"],
    ],
)
def test_output_path_that_is_a_folder_is_a_french_error(tmp_path, command):
    folder = tmp_path / "sortie.xlsx"
    folder.mkdir()
    args = [a.replace("{dir}", str(folder)) for a in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"« {folder} » est un dossier" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_output_under_a_file_is_a_french_error(tmp_path):
    plain = tmp_path / "a.pdf"
    plain.write_text("x")
    result = CliRunner().invoke(main, ["modele", "-o", str(plain / "modele.xlsx")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(plain) in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(CONTRIB), "--periode-maj", "0"],
        ["batch", str(CONTRIB), "--par", "departement", "--jobs", "0"],
    ],
)
def test_out_of_range_numbers_are_usage_errors(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_output_into_a_closed_pipe_stops_quietly():
    """`annuaire validate … | head -1`: the reader goes away; no traceback and
    no « Erreur : … Broken pipe » on the terminal."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "annuaire", "validate", str(SAMPLE / "mairie_riom_saisie.xlsx")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # closed before the command writes anything
    _, err = proc.communicate(timeout=120)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "Broken pipe" not in text and "BrokenPipeError" not in text


def test_preflight_refuses_a_negative_bleed(tmp_path):
    import pikepdf

    pdf = tmp_path / "x.pdf"
    with pikepdf.new() as doc:
        doc.add_blank_page(page_size=(420, 595))
        doc.save(pdf)
    result = CliRunner().invoke(main, ["preflight", str(pdf), "--bleed", "-1"])
    assert result.exit_code == 2 and "-1" in result.output and "Traceback" not in result.output


def test_preflight_command_exit_codes(tmp_path):
    built = tmp_path / "v.pdf"
    assert run("build", "--theme", "vie-pratique", SAMPLE, "--out", built).exit_code == 0
    assert run("preflight", built, "--reliure", "piquee" if _pages(built) <= 64 else "collee").exit_code == 0
    broken = tmp_path / "x.pdf"
    broken.write_text("pas un pdf")
    result = CliRunner().invoke(main, ["preflight", str(broken)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def _pages(path):
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "annuaire", "themes", "--json"], capture_output=True, text=True, check=True
    ).stdout
    assert len(json.loads(out)) == 5


def test_build_with_printer_profile_crop_marks_and_5_mm_bleed(tmp_path):
    from preflight_samples import cmyk_icc

    icc = cmyk_icc()
    if icc is None:
        pytest.skip("aucun profil CMJN de Ghostscript (paquet ghostscript) pour l'essai PDF/X")
    out = tmp_path / "x.pdf"
    result = run(
        "build",
        "--theme",
        "sante",
        SAMPLE,
        "--territoire",
        "CC Hautes Terres",
        "--out",
        out,
        "--icc",
        icc,
        "--traits-de-coupe",
        "--fond-perdu",
        "5",
        "--reliure",
        "piquee",
    )
    assert result.exit_code == 0, result.output
    assert "pas de profil ICC" not in result.output
    from annuaire.preflight import preflight

    checked = preflight(out, bleed_mm=5, binding="piquee")
    assert checked.passed
    pdfx = checked.check("pdfx")
    assert pdfx.passed and not any("pas d’intention" in f.message_fr for f in pdfx.findings)


def test_validate_annote_writes_the_annotated_workbook(tmp_path):
    out = tmp_path / "rapport.xlsx"
    result = run("validate", SAMPLE / "mairie_riom_saisie.xlsx", "--annote", out)
    assert result.exit_code == 1 and out.is_file()
    import openpyxl

    wb = openpyxl.load_workbook(out)
    # First how the columns were read (to correct and reuse), then the report.
    assert wb.sheetnames[:2] == ["Correspondances", "Rapport"]
    assert "Classeur annoté : " + str(out) in result.output
    comments = [c.comment.text for ws in wb.worksheets[2:] for row in ws.iter_rows() for c in row if c.comment]
    assert any("Pharmacie" in text for text in comments)


def test_build_several_themes_in_one_volume(tmp_path):
    report = tmp_path / "r.json"
    result = run(
        "build",
        "--theme",
        "enseignement,sante",
        SAMPLE,
        "--territoire",
        "CC Hautes Terres",
        "--out",
        tmp_path / "v.pdf",
        "--report",
        report,
    )
    assert result.exit_code == 0, result.output
    from annuaire import pipeline

    assert pipeline.theme_slugs("enseignement, sante") == ("sante", "enseignement")
    assert pipeline.default_output("sante-enseignement").name == "annuaire-sante-enseignement.pdf"


def test_saddle_stitch_refused_beyond_its_page_limit(tmp_path):
    result = run("build", "--theme", "sante", SAMPLE, "--reliure", "piquee", "-o", tmp_path / "a.pdf")
    assert result.exit_code == 2
    assert "Reliure piquée à cheval impossible" in result.output and "--reliure collee" in result.output
    assert not (tmp_path / "a.pdf").exists()


# Forks of this process while a test counts them (os.fork and multiprocessing's
# fork context both pass through these hooks).
_FORKS = {"counting": False, "n": 0}
os.register_at_fork(before=lambda: _FORKS.__setitem__("n", _FORKS["n"] + _FORKS["counting"]))


def test_build_jobs_1_uses_one_process_and_writes_the_same_bytes(tmp_path, monkeypatch):
    """--jobs 1 is the low-memory choice: no stage starts a second process,
    and the PDF is the one two processes write."""
    import importlib

    from annuaire import pipeline, preflight
    from annuaire.check import validate
    from annuaire.pdf import entries

    render = importlib.import_module("annuaire.pdf.render")  # the module, not pdf.render()

    # Every stage's second process started even for the small sample.
    monkeypatch.setattr(validate, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(entries, "PARALLEL_MIN_ENTRIES", 1)
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(preflight, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(pipeline, "_cores", lambda: 2)
    forks = {}
    for jobs in ("2", "1"):
        _FORKS.update(counting=True, n=0)
        try:
            result = run(
                "build",
                "--theme",
                "vie-pratique",
                SAMPLE,
                "--out",
                tmp_path / f"{jobs}.pdf",
                "--jobs",
                jobs,
                "--date",
                "2026-11-27",
            )
        finally:
            _FORKS["counting"] = False
        assert result.exit_code == 0, result.output
        assert "conforme à tous les contrôles" in result.output
        forks[jobs] = _FORKS["n"]
    assert forks["2"] >= 4  # validation, entry blocks, drawing, preflight
    assert forks["1"] == 0
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()
