"""Reading contributors' files: every format with its quirks, and row locations."""

from datetime import date, datetime
from pathlib import Path
import shutil

import openpyxl
import pytest

from annuaire.errors import UnusableInput
from annuaire.load import read_paths
from annuaire.load.headers import column_letter, field_for, find_header_row

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "contributors"
WORKBOOK = "Annuaire Riom Limagne"


def rows_by_number(result, sheet=None):
    return {r.origin.row: r for r in result.rows if r.origin.sheet == sheet}


# ------------------------------------------------------------------ workbooks


@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_workbook_made_by_libreoffice(ext):
    res = read_paths([FIX / f"{WORKBOOK}.{ext}"])
    assert res.files == (f"{WORKBOOK}.{ext}",)
    sante = rows_by_number(res, "Santé")
    # title row 1, blank row 2, header row 3; row 5 is empty inside the data and
    # rows 10–15 only carry formatting: none of them is a row read.
    assert sorted(sante) == [4, 6, 7, 8, 9]
    first = sante[4]
    assert first.origin.file == f"{WORKBOOK}.{ext}"
    assert first.fields["nom"] == "Pharmacie du Marché"
    assert first.fields["code_postal"] == 63200  # numbers stay numbers
    assert first.fields["telephone"] == 473385000
    assert first.fields["mise_a_jour"] in (date(2025, 3, 12), datetime(2025, 3, 12))
    assert first.fields["latitude"] == pytest.approx(45.8936)
    assert first.columns["telephone"] == "F (Tél.)"
    assert first.columns["typologie"] == "B (Typologie)"
    assert first.columns["mise_a_jour"] == "K (Mise à jour)"
    # hidden column J has an unknown header: not a field, only a warning
    assert "Note interne" not in str(first.fields)
    assert sante[6].fields["mise_a_jour"] == 45000  # a date typed as a serial number
    assert sante[7].fields["adresse"] == "Hôtel-Dieu\nboulevard Étienne-Clémentel"  # multi-line cell


@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_workbook_issues(ext):
    res = read_paths([FIX / f"{WORKBOOK}.{ext}"])
    by_code = {}
    for i in res.issues:
        by_code.setdefault(i.code, []).append(i)
    (unknown,) = by_code["colonnes-inconnues"]
    assert (unknown.sheet, unknown.row, unknown.severity) == ("Santé", 3, "warning")
    assert "J (Note interne)" in unknown.message
    # an instructions sheet ("Mode d'emploi", as in our template) and the hidden
    # list sheet are not contributions: skipped without a warning
    assert "Mode d'emploi" not in {i.sheet for i in by_code.get("feuille-sans-en-tete", ())}


def test_sheet_without_required_column_still_gives_its_rows():
    # 'Loisirs' has Typologie, Commune, Téléphone but no Nom: its rows are read
    # (validate rejects and counts them).
    res = read_paths([FIX / f"{WORKBOOK}.xlsx"])
    loisirs = rows_by_number(res, "Loisirs")
    assert sorted(loisirs) == [2, 3]
    assert "nom" not in loisirs[2].fields


def test_csv_converted_by_libreoffice_from_cp1252():
    res = read_paths([FIX / "cantal_communes_lo.xlsx"])
    rows = rows_by_number(res, "cantal_communes")
    assert sorted(rows) == [2, 3, 4, 5]
    assert rows[3].fields["nom"] == "Médiathèque du Bassin d'Aurillac"
    assert rows[3].fields["adresse"] == "Place des Carmes\nBâtiment B"
    assert rows[2].columns["commune"] == "E (Ville)"


# ------------------------------------------------------------------ text files


def test_csv_windows_1252_semicolon_crlf_multiline():
    res = read_paths([FIX / "cantal_communes.csv"])
    rows = rows_by_number(res)
    # the Médiathèque's address spans lines 3–4, so the next record starts on line 5
    assert sorted(rows) == [2, 3, 5, 6]
    assert rows[2].fields["nom"] == "Mairie d'Aurillac"
    assert rows[2].fields["description"] == "Accueil ; état civil"  # quoted separator
    assert rows[3].fields["nom"] == "Médiathèque du Bassin d'Aurillac"  # accents from cp1252
    assert rows[3].fields["adresse"].splitlines() == ["Place des Carmes", "Bâtiment B"]
    assert rows[5].fields["horaires"] == "Mo-Fr 12:00-14:00,17:00-20:00; Sa 10:00-18:00"
    assert rows[2].columns["telephone"] == "Tél"  # CSV: the header as written
    assert rows[2].fields["code_postal"] == "15000"  # CSV values are text
    assert rows[2].origin.sheet is None


def test_csv_utf8_bom_comma_title_line():
    res = read_paths([FIX / "haute_loire_bom.csv"])
    rows = rows_by_number(res)
    assert sorted(rows) == [3, 4, 5]  # line 1 is a title, line 2 the header
    assert rows[3].fields["nom"] == "Mairie du Puy-en-Velay"  # no BOM left in the first header
    assert rows[3].columns["nom"] == "Nom de la structure"
    assert rows[4].fields["adresse"] == "8 avenue André-Soulier, BP 1"
    assert rows[4].fields["typologie"] == "Caisse primaire d’assurance maladie (CPAM)"


def test_tab_separated_and_trailing_empty_record():
    res = read_paths([FIX / "allier.tsv"])
    rows = rows_by_number(res)
    assert sorted(rows) == [2, 3, 4]  # line 5 has only tabs
    assert rows[2].fields["code_postal"] == "3000"  # kept as given; normalise repairs it
    assert rows[4].fields["telephone"] == "+33  809 401 401"
    assert rows[4].columns["latitude"] == "Lat"


def test_csv_header_line_is_line_one(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(
        "Nom;Typologie;Commune\r\nMairie;Mairie;Riom\r\n\r\nÉcole;École élémentaire;Riom\r\n", encoding="utf-8"
    )
    rows = rows_by_number(read_paths([p]))
    assert sorted(rows) == [2, 4]  # the empty line 3 is not a row


# ------------------------------------------------------------------ folders


def test_folder_read_recursively_sorted_without_lock_and_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".cache").mkdir()
    good = "Nom;Typologie;Commune\nMairie;Mairie;Riom\n"
    (tmp_path / "b" / "z.csv").write_text(good, encoding="utf-8")
    (tmp_path / "a.csv").write_text(good, encoding="utf-8")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / ".~lock.a.csv#").write_text("lock")
    (tmp_path / ".cache" / "c.csv").write_text(good, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    res = read_paths([tmp_path])
    assert res.files == ("a.csv", "b/z.csv")
    assert [r.origin.file for r in res.rows] == ["a.csv", "b/z.csv"]


def test_whole_fixture_folder():
    res = read_paths([FIX])
    assert len(res.files) == 6
    assert len(res.rows) == 28


# ------------------------------------------------------------------ fatal


def test_missing_path(tmp_path):
    with pytest.raises(UnusableInput, match="introuvable"):
        read_paths([tmp_path / "absent.xlsx"])


def test_pdf_renamed_xlsx(tmp_path):
    p = tmp_path / "annuaire.xlsx"
    p.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with pytest.raises(UnusableInput, match="annuaire.xlsx.*n’est pas un classeur mais un document PDF"):
        read_paths([p])


def test_wrong_extension(tmp_path):
    p = tmp_path / "annuaire.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(UnusableInput, match="n’est pas un tableur"):
        read_paths([p])


def test_binary_renamed_csv(tmp_path):
    p = tmp_path / "annuaire.csv"
    p.write_bytes(b"%PDF-1.4\x00\x01")
    with pytest.raises(UnusableInput, match="pas un fichier texte CSV"):
        read_paths([p])


def test_workbook_without_any_header_row(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Feuil1"
    wb.active["A1"] = "Liste des services"
    wb.active["A2"] = "Mairie de Riom"
    p = tmp_path / "sans_entete.xlsx"
    wb.save(p)
    with pytest.raises(UnusableInput, match="aucune ligne d’en-tête.*Feuil1"):
        read_paths([p])


def test_csv_without_header_row(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Mairie;Riom\nÉcole;Riom\n", encoding="utf-8")
    with pytest.raises(UnusableInput, match="x.csv"):
        read_paths([p])


# ------------------------------------------------------------------ headers


@pytest.mark.parametrize(
    "header, field",
    [
        ("Nom", "nom"),
        ("NOM DE LA STRUCTURE", "nom"),
        ("Raison sociale", "nom"),
        ("Libellé", "nom"),
        ("Intitulé", "nom"),
        ("Établissement", "nom"),
        ("Type", "typologie"),
        ("Catégorie", "typologie"),
        ("type de service", "typologie"),
        ("N° et voie", "adresse"),
        ("Adresse postale", "adresse"),
        ("Rue", "adresse"),
        ("Complément d’adresse", "complement"),
        ("Lieu-dit", "complement"),
        ("BP", "complement"),
        ("CP", "code_postal"),
        ("Code postal", "code_postal"),
        ("Ville", "commune"),
        ("Localité", "commune"),
        ("INSEE", "code_insee"),
        ("Code commune", "code_insee"),
        ("Tél.", "telephone"),
        ("TEL", "telephone"),
        ("Numéro de téléphone", "telephone"),
        ("E-mail", "courriel"),
        ("Mél", "courriel"),
        ("Adresse électronique", "courriel"),
        ("URL", "site_web"),
        ("Site internet", "site_web"),
        ("Heures d'ouverture", "horaires"),
        ("Horaires d’ouverture", "horaires"),
        ("Présentation", "description"),
        ("Lng", "longitude"),
        ("Lat", "latitude"),
        ("Fournisseur", "source"),
        ("Date MAJ", "mise_a_jour"),
        ("Dernière mise à jour", "mise_a_jour"),
        ("Couleur préférée", None),
        ("", None),
        (None, None),
    ],
)
def test_header_variants(header, field):
    assert field_for(header) == field


def test_header_row_needs_nom_or_typologie():
    rows = [["Annuaire"], [], ["Commune", "Téléphone"], ["Nom", "Commune"]]
    assert find_header_row(rows) == 3


def test_column_letters():
    assert [column_letter(i) for i in (0, 4, 25, 26, 27, 701, 702)] == ["A", "E", "Z", "AA", "AB", "ZZ", "AAA"]


# ------------------------------------------------------------------ speed


def test_twenty_thousand_rows_read_whole(tmp_path):
    # Speed is measured by benchmarks/bench_e2e.py, not here: this checks every row arrives.
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Données")
    ws.append(["Nom", "Typologie", "Adresse", "Code postal", "Commune", "Téléphone", "Horaires"])
    for i in range(20000):
        ws.append(
            [
                f"Service {i}",
                "Mairie",
                f"{i} rue de la Paix",
                63000,
                "Clermont-Ferrand",
                473000000 + i,
                "lun-ven 9h-12h",
            ]
        )
    p = tmp_path / "gros.xlsx"
    wb.save(p)
    res = read_paths([p])
    assert len(res.rows) == 20000
    assert res.rows[-1].origin.row == 20001


def test_header_without_data_warns(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Santé"
    ws.append(["Nom", "Typologie", "Commune"])
    ws2 = wb.create_sheet("Sport")
    ws2.append(["Nom", "Typologie", "Commune"])
    ws2.append(["Piscine Béatrice-Hess", "Piscine", "Riom"])
    p = tmp_path / "x.xlsx"
    wb.save(p)
    res = read_paths([p])
    assert len(res.rows) == 1 and res.rows[0].origin == res.rows[0].origin.__class__("x.xlsx", "Sport", 2)
    (w,) = [i for i in res.issues if i.code == "feuille-vide"]
    assert (w.sheet, w.row) == ("Santé", 1)


# ------------------------------------------------------------------ merged cells


def _merged_workbook(path):
    """Two rows sharing a merged Commune cell (F2:F3), as people lay them out."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Services"
    ws.append(["Nom", "Typologie", "Adresse", "Code postal", "Téléphone", "Commune"])
    ws.append(["Crèche Les Petits Loups", "Crèche", "Rue de la Tour", 15160, "04 71 20 40 40", "Allanche"])
    ws.append(["Agence postale communale", "Agence postale", "Le bourg", 15160, "04 71 20 41 41", None])
    ws.append(["Annuaire de la commune (titre fusionné)", None, None, None, None, None])
    ws.merge_cells("F2:F3")
    ws.merge_cells("A4:C4")  # a horizontal merge: not copied across columns
    wb.save(path)
    return path


def test_vertically_merged_cell_gives_its_value_to_every_row(tmp_path):
    res = read_paths([_merged_workbook(tmp_path / "merged.xlsx")])
    rows = rows_by_number(res, "Services")
    assert rows[2].fields["commune"] == "Allanche"
    assert rows[3].fields["commune"] == "Allanche"
    assert rows[4].fields["typologie"] is None and rows[4].fields["adresse"] is None


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("ext", ["ods", "xlsx"])
def test_merged_cell_in_a_workbook_written_by_libreoffice(tmp_path, ext):
    import subprocess

    (tmp_path / "src").mkdir()
    src = _merged_workbook(tmp_path / "src" / "merged.xlsx")
    out = tmp_path / "out"
    target = "ods" if ext == "ods" else "xlsx:Calc MS Excel 2007 XML"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    res = read_paths([out / f"merged.{ext}"])
    rows = rows_by_number(res, "Services")
    assert rows[3].fields["commune"] == "Allanche"
    assert rows[4].fields["adresse"] is None


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_xls_text_formulas_are_not_rows_nor_zeros(tmp_path):
    """A filled template saved as Excel 97-2003: calamine reads its text formulas
    (Code INSEE, Source) as 0; the empty formula rows were each a rejected row."""
    import subprocess

    from annuaire.workbooks import template

    (tmp_path / "src").mkdir()
    src = tmp_path / "src" / "modele.xlsx"
    template.write_template(src, territory="CC Hautes Terres", source="Mairie de Murat")
    wb = openpyxl.load_workbook(src)
    ws = wb["Services"]
    for col, value in ((1, "Mairie de Murat"), (2, "Mairie"), (5, "15300"), (6, "Murat")):
        ws.cell(row=2, column=col, value=value)
    wb.save(src)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path / "out"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    res = read_paths([tmp_path / "out" / "modele.xls"])
    assert [r.origin.row for r in res.rows] == [2]
    (row,) = res.rows
    assert 0 not in row.fields.values()
    assert row.fields["source"] in (None, "Mairie de Murat")
    (warning,) = [i for i in res.issues if i.code == "xls-formules"]
    assert warning.sheet == "Services" and ".xlsx" in warning.message


def test_empty_folder_is_unusable_input(tmp_path):
    # Pointing at the wrong folder used to give "0 ligne lue" and exit code 0.
    (tmp_path / "vide").mkdir()
    (tmp_path / "vide" / "notes.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(UnusableInput, match="ce dossier ne contient aucun tableur"):
        read_paths([tmp_path / "vide"])


def test_empty_csv_says_it_is_empty(tmp_path):
    (tmp_path / "export.csv").write_bytes(b"")
    with pytest.raises(UnusableInput, match="export.csv : le fichier est vide"):
        read_paths([tmp_path / "export.csv"])


def test_unclosed_quote_that_swallows_rows_is_reported(tmp_path):
    f = tmp_path / "mairie.csv"
    f.write_text(
        'Nom;Typologie;Commune\nMairie;Mairie;"Dienne\nMairie 2;Mairie;Dienne\nMairie 3;Mairie;Dienne\n',
        encoding="utf-8",
    )
    res = read_paths([f])
    (issue,) = [i for i in res.issues if i.code == "guillemet-non-ferme"]
    assert issue.row == 2 and "les lignes 3 à 4" in issue.message


def test_multiline_address_is_not_an_unclosed_quote(tmp_path):
    f = tmp_path / "adresses.csv"
    f.write_text(
        'Nom;Typologie;Adresse;Commune\n"Hôtel-Dieu";Hôpital;"Bâtiment A\nboulevard Clémentel; 2e étage";Riom\n',
        encoding="utf-8",
    )
    res = read_paths([f])
    assert not [i for i in res.issues if i.code == "guillemet-non-ferme"]
    assert res.rows[0].fields["adresse"] == "Bâtiment A\nboulevard Clémentel; 2e étage"


def test_stray_quote_before_a_big_file_is_not_a_traceback(tmp_path):
    f = tmp_path / "gros.csv"
    body = "".join(f"Service {n};Mairie;Dienne\n" for n in range(8000))  # > 128 KiB
    f.write_text('Nom;Typologie;Commune\n"Mairie;Mairie;Dienne\n' + body, encoding="utf-8")
    res = read_paths([f])
    assert [i.code for i in res.issues if i.code == "guillemet-non-ferme"] == ["guillemet-non-ferme"]


def test_excel_unicode_text_utf16_tab_separated(tmp_path):
    # Excel « Enregistrer sous > Texte Unicode (*.txt) »: UTF-16 LE with a BOM, tabs.
    f = tmp_path / "services.txt"
    f.write_bytes(
        "Nom\tTypologie\tCode postal\tCommune\r\nMairie de Dienne\tMairie\t15300\tDienne\r\n".encode("utf-16")
    )
    res = read_paths([f])
    (row,) = res.rows
    assert row.origin.row == 2 and row.fields["nom"] == "Mairie de Dienne"
    assert row.fields["commune"] == "Dienne"
