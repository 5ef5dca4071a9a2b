"""`annuaire modele --territoire` for a territory anywhere in France."""

from datetime import date

import openpyxl

from annuaire.workbooks.template import write_template


def test_template_for_a_commune_elsewhere_in_france(tmp_path):
    out = tmp_path / "modele.xlsx"
    info = write_template(out, territory="Saint-Palais (33)", today=date(2026, 11, 27))
    assert info.communes == ("Saint-Palais",)
    wb = openpyxl.load_workbook(out)
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    # The example row is the Gironde commune's, not the Allier homonym's.
    assert "33820" in cells and "03370" not in cells


def test_template_for_an_epci_elsewhere_in_france(tmp_path):
    info = write_template(tmp_path / "modele.xlsx", territory="Bordeaux Métropole", today=date(2026, 11, 27))
    assert "Bordeaux" in info.communes and "Mérignac" in info.communes and len(info.communes) == 28
