"""The template's guide and the annotated copy's report are not contributions."""

import openpyxl

from annuaire import load, template


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
