"""What is read, or not, is said: hidden sheets, files of a folder that
are not read."""

import openpyxl

from annuaire.load import read_paths

GOOD = "Nom;Typologie;Commune\nMairie;Mairie;Riom\n"


def test_hidden_and_very_hidden_sheets_are_read_and_said(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Services"
    wb.active.append(["Nom", "Typologie", "Commune"])
    wb.active.append(["Mairie de Riom", "Mairie", "Riom"])
    for title, state in (("Archives", "hidden"), ("Macro", "veryHidden")):
        ws = wb.create_sheet(title)
        ws.append(["Nom", "Typologie", "Commune"])
        ws.append([f"Pharmacie {title}", "Pharmacie", "Riom"])
        ws.append([f"Poste {title}", "Bureau de poste", "Riom"])
        ws.sheet_state = state
    p = tmp_path / "classeur.xlsx"
    wb.save(p)
    res = read_paths([p])
    assert {r.origin.sheet for r in res.rows} == {"Services", "Archives", "Macro"}
    said = {i.sheet: i for i in res.issues if i.code == "feuille-masquee"}
    assert set(said) == {"Archives", "Macro"}
    assert said["Archives"].row == 2 and said["Archives"].file == "classeur.xlsx"
    assert "Feuille « Archives » masquée : ses 2 ligne(s) sont lues et imprimées" in said["Archives"].message
    assert "Feuille « Macro » très masquée" in said["Macro"].message
    assert "macro" in said["Macro"].message


def test_files_of_a_folder_not_read_are_reported(tmp_path):
    (tmp_path / "a.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sous").mkdir()
    (tmp_path / "sous" / "Santé.xlsb").write_bytes(b"PK\x03\x04binary")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")  # Office lock file: not a file of the user
    res = read_paths([tmp_path])
    assert res.files == ("a.csv",)
    notes = [i for i in res.issues if i.code == "fichier-non-lu"]
    xlsb = [i for i in notes if i.file == "sous/Santé.xlsb"]
    assert len(xlsb) == 1 and "classeur Excel binaire (.xlsb)" in xlsb[0].message
    (others,) = [i for i in notes if i not in xlsb]
    assert "notes.pdf" in others.message and "~$a.xlsx" not in others.message
