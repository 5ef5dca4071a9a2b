"""`validate --annote` on a workbook whose parts the loader ignores but
openpyxl must read to copy it (comments): refused cleanly, exit 2."""

import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment

from annuaire.cli import main

_LOL = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 2 else "") + ";") * 10}">' for k in range(2, 10))
    + ']><comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<authors><author>&lol9;</author></authors><commentList/></comments>"
)


def _workbook_with_comment(path, comment_xml):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Services"
    ws.append(["Nom", "Typologie", "Commune"])
    ws.append(["Mairie de Riom", "Mairie", "Riom"])
    ws["A2"].comment = Comment("à vérifier", "secrétariat")
    plain = path.with_name("plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as zi, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = comment_xml if info.filename.startswith("xl/comments") else zi.read(info)
            zo.writestr(info, data)
    return path


@pytest.mark.parametrize(
    "comment_xml", [_LOL, "<comments><authors><author>x</auth"], ids=["entity-expansion", "malformed"]
)
def test_annote_refuses_unreadable_part(tmp_path, comment_xml):
    src = _workbook_with_comment(tmp_path / "services.xlsx", comment_xml)
    out = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(main, ["validate", str(src), "--annote", str(out)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "services.xlsx : le classeur a été vérifié" in result.output
    assert "ne peut pas être recopié pour l’annoter" in result.output
    assert "1 ligne lue" in result.output  # the check itself was done and shown
    assert not out.exists()
