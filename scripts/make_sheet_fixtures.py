"""Rebuild tests/fixtures/sheets/: spreadsheets shaped like the ones public
bodies already keep, made from real records of ../shared/data.

Every row is a real place of a national dataset; only the shape is the
contributor's (their own column names, categories, title rows, hours per
weekday, an address in one cell):

* ``region_lieux_numeriques.csv`` — a region's export of digital-inclusion
  places: ``;``, Windows-1252, CRLF; headers « Nom du lieu ou de la
  structure * », « Type Structure », ``adresse_code_postal``,
  ``adresse_commune``, « Adresse e-mail de contact de la structure »,
  « Coord. X »/« Coord. Y », « Dernière MAJ »; its own categories, some
  cells with two (« Espace Public Numérique, Médiathèque »).  Libraries of
  the Culture ministry's list and France services of the 2024 list.
* ``musees_cinemas_adresse.xlsx`` — a hand-made workbook (title rows, a
  blank row) whose « Adresse » cells hold « … 03350 Cérilly »; the Commune
  column is filled on every other row only.  Musées de France and CNC cinemas.
* ``france_services_horaires.xlsx`` (and ``.ods`` when LibreOffice is
  installed) — a département's list with one column per weekday
  (« Lundi » … « Samedi », hours as people type them: « 9h-12h / 13h30-17h »)
  and no typology column.  France services 2024.
* ``france_services_2022.csv`` — the national France services list in the
  shape of its December 2022 edition: the 2024 columns without
  ``type_fs``, ``format_fs``, ``groupe_fs`` and ``labellisation_fs``.

Run: ``.venv/bin/python scripts/make_sheet_fixtures.py``.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "tests" / "fixtures" / "sheets"
sys.path.insert(0, str(ROOT))

from annuaire.reference.geo import gazetteer  # noqa: E402

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")


def _rows(name: str, sep: str) -> list[dict[str, str]]:
    text = (SHARED / name).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=sep))


def _human_hours(text: str) -> str:
    """'09:00 - 12:00 / 13:30 - 17:00' as people type it: '9h-12h / 13h30-17h'."""

    def t(m: re.Match) -> str:
        h, mm = int(m.group(1)), m.group(2)
        return f"{h}h" + ("" if mm == "00" else mm)

    out = re.sub(r"(\d{1,2}):(\d\d)", t, text or "")
    return out.replace(" - ", "-")


def region_csv() -> Path:
    libs = _rows("bibliotheques_publiques_auvergne.csv", ";")
    fs = _rows("france_services_20240801_auvergne.csv", ",")
    header = [
        "Nom du lieu ou de la structure *",
        "Type Structure",
        "Adresse",
        "adresse_code_postal",
        "adresse_commune",
        "Téléphone",
        "Adresse e-mail de contact de la structure",
        "Site internet",
        "Coord. X",
        "Coord. Y",
        "Dernière MAJ",
        "Services proposés",
    ]
    out: list[list[str]] = []
    # Every 30th library: médiathèques and bibliothèques of the four départements.
    for i, r in enumerate(libs[::30]):
        name = r["nom_de_l_etablissement"]
        kind = "Médiathèque" if "diath" in name.lower() else "Bibliothèque"
        if i % 4 == 1 and kind == "Médiathèque":
            kind = "Espace Public Numérique, Médiathèque"
        elif i % 7 == 3:
            kind = "Point lecture"
        out.append(
            [
                name,
                kind,
                r["adresse"],
                r["cp"],
                r["ville"],
                "",
                "",
                "",
                r["longitude"],
                r["latitude"],
                "15/03/2024",
                "Prêt de livres, accès internet",
            ]
        )
    for i, r in enumerate(fs[::8]):
        kind = ("Maison France Services", "France services", "Tiers-lieu numérique")[i % 3]
        out.append(
            [
                r["lib_fs"],
                kind,
                r["adresse"],
                r["code_postal"],
                r["lib_com"],
                r["telephone"],
                r["mail"],
                "",
                r["longitude"],
                r["latitude"],
                "02/09/2024",
                "Aide aux démarches en ligne",
            ]
        )
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(header)
    w.writerows(out)
    path = OUT / "region_lieux_numeriques.csv"
    path.write_bytes(buf.getvalue().encode("cp1252", errors="replace"))
    return path


def musees_xlsx() -> Path:
    from openpyxl import Workbook

    g = gazetteer()
    wb = Workbook()
    ws = wb.active
    ws.title = "Équipements"
    ws.append(["Équipements culturels — liste tenue par le service culture"])
    ws.append(["Mise à jour : mars 2025"])
    ws.append([])
    ws.append(["Nom de l'équipement", "Catégorie", "Adresse", "Commune", "Tél.", "Site"])
    n = 0
    for r in _rows("musees_de_france_museofile_auvergne.csv", ";")[:12]:
        cell = f"{r['Adresse']} {r['Code_postal']} {r['Ville']}"
        ws.append(
            [r["Nom_officiel"], "Musée", cell, r["Ville"] if n % 2 else None, r["Telephone"] or None, r["URL"] or None]
        )
        n += 1
    for r in _rows("cinemas_cnc_2022_auvergne.csv", ";")[:12]:
        c = g.by_insee(r["code INSEE"])
        if c is None or not c.postcodes:
            continue
        cell = f"{r['adresse'].title()}\n{c.postcodes[0]} {r['commune']}"
        ws.append([r["nom"].title(), "Cinéma", cell, r["commune"] if n % 2 else None, None, None])
        n += 1
    path = OUT / "musees_cinemas_adresse.xlsx"
    wb.save(path)
    return path


def france_services_xlsx() -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "France services"
    ws.append(["Liste des France services du département — horaires d'ouverture"])
    ws.append([])
    ws.append(["Structure", "Adresse", "CP", "Ville", "Téléphone", "Mail", *[d.capitalize() for d in DAYS]])
    for r in _rows("france_services_20240801_auvergne.csv", ","):
        if r["insee_dep"] != "43":
            continue
        ws.append(
            [
                r["lib_fs"],
                r["adresse"],
                r["code_postal"],
                r["lib_com"],
                r["telephone"],
                r["mail"],
                *[(_human_hours(r[f"h_{d}"]) or "Fermé") for d in DAYS],
            ]
        )
    path = OUT / "france_services_horaires.xlsx"
    wb.save(path)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--convert-to",
                    "ods",
                    "--outdir",
                    str(OUT),
                    str(path),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
    return path


def france_services_2022() -> Path:
    src = (SHARED / "france_services_20240801_auvergne.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(src, newline="")))
    drop = {"type_fs", "format_fs", "groupe_fs", "labellisation_fs"}
    keep = [i for i, h in enumerate(rows[0]) if h not in drop]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    for r in rows:
        w.writerow([r[i] for i in keep])
    path = OUT / "france_services_2022.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for make in (region_csv, musees_xlsx, france_services_xlsx, france_services_2022):
        print(make())


if __name__ == "__main__":
    main()
