"""The template's guide and the annotated copy's report are not contributions."""

import openpyxl

from annuaire import load

from annuaire.workbooks import template


def test_filled_template_reads_without_sheet_warnings(tmp_path):
    path = tmp_path / "modele.xlsx"
    template.write_template(path, territory="CC Hautes Terres")
    wb = openpyxl.load_workbook(path)
    ws = wb["Services"]
    ws.append([])  # keep the header where the template put it
    ws.cell(row=2, column=1, value="Mairie de Murat")
    ws.cell(row=2, column=2, value="Mairie")
    ws.cell(row=2, column=6, value="Murat")
    wb.save(path)
    result = load.read_paths([path])
    assert [r.fields["nom"] for r in result.rows] == ["Mairie de Murat"]
    assert not [i for i in result.issues if i.code == "feuille-sans-en-tete"]


def _contribution(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Services"
    ws.append(["Nom", "Typologie", "Code postal", "Commune"])
    ws.append(["Mairie de Murat", "Mairie", "15300", "Murat"])
    wb.save(path)
    return path


def test_annotated_copy_beside_its_source_in_a_folder_is_not_read_twice(tmp_path):
    from annuaire.workbooks import annotate

    src = _contribution(tmp_path / "murat.xlsx")
    annotate.annotate(src, [], tmp_path / "murat_rapport.xlsx")
    result = load.read_paths([tmp_path])
    # the copy holds the same rows: read, they were counted twice and merged as duplicates
    assert [(r.origin.file, r.fields["nom"]) for r in result.rows] == [("murat.xlsx", "Mairie de Murat")]
    (skipped,) = [i for i in result.issues if i.code == "classeur-annote-ignore"]
    assert skipped.file == "murat_rapport.xlsx" and "murat.xlsx" in skipped.message
    assert result.files == ("murat.xlsx",)


def test_annotated_copy_is_read_when_given_or_alone(tmp_path):
    from annuaire.workbooks import annotate

    (tmp_path / "src").mkdir()
    (tmp_path / "corrige").mkdir()
    src = _contribution(tmp_path / "src" / "murat.xlsx")
    copy = annotate.annotate(src, [], tmp_path / "corrige" / "murat_rapport.xlsx")
    # the contributor corrected the annotated copy itself and checks it again
    assert [r.fields["nom"] for r in load.read_paths([copy]).rows] == ["Mairie de Murat"]
    assert [r.fields["nom"] for r in load.read_paths([tmp_path / "corrige"]).rows] == ["Mairie de Murat"]
