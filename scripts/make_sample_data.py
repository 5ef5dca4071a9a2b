"""Rebuild sample_data/ from the project's shared open data (../shared/data).

Every entry of the sample files is a real record of a national dataset, read
by its importer (annuaire.load.importers), checked by annuaire.check.validate and
written back in the formats contributors use:

* ``sante_auvergne.xlsx`` — FINESS, SAE 2023 and the health pivots of the
  DILA annuaire (CLIC, MAIA…): one sheet per theme, as written by Excel;
* ``services_publics_auvergne.ods`` — the DILA annuaire (2016, with the 2025
  records, the 2019 EPCI and the France Travail agencies in place of the
  older ones),
  converted from xlsx by LibreOffice as an office suite writes it;
* ``enseignement_auvergne.csv`` — collèges, écoles and lycées, Windows-1252
  with ``;`` as French Excel saves "CSV (séparateur : point-virgule)";
* ``sports_loisirs_vie_pratique_auvergne.xlsx`` — libraries, museums,
  cinemas, post offices, stations and France services;
* ``mairie_riom_saisie.xlsx`` — a sheet shaped like a mairie's hand-made
  one (title rows, its own column names, a few typical mistakes that the
  validation report shows; listed in sample_data/README.md).

Run: ``make sample-data`` or ``.venv/bin/python scripts/make_sample_data.py``.
The shared folder is looked for in $ANNUAIRE_SHARED_DATA, then ../shared/data.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annuaire import taxonomy  # noqa: E402
from annuaire.workbooks.export import write_csv, write_entries  # noqa: E402
from annuaire.load.importers import detect  # noqa: E402
from annuaire.model import Entry, RawRow  # noqa: E402
from annuaire.check.validate import validate_rows  # noqa: E402

OUT = ROOT / "sample_data"
TODAY = date.today()
THEME_ORDER = [t.slug for t in taxonomy.themes()]
THEME_LABEL = {t.slug: t.label for t in taxonomy.themes()}


def shared_dir() -> Path:
    for cand in (os.environ.get("ANNUAIRE_SHARED_DATA"), ROOT.parent / "shared" / "data"):
        if cand and Path(cand).is_dir():
            return Path(cand)
    sys.exit(
        "Dossier des données partagées introuvable (../shared/data) : indiquez-le avec "
        "ANNUAIRE_SHARED_DATA=/chemin/vers/data. Les fichiers de sample_data/ déjà générés "
        "restent utilisables."
    )


@dataclasses.dataclass
class Stat:
    file: str
    importer: str
    rows: int = 0
    unmapped: int = 0
    rejected: int = 0
    kept: int = 0
    unmapped_categories: collections.Counter = dataclasses.field(default_factory=collections.Counter)


STATS: list[Stat] = []


def load(data: Path, name: str) -> list[Entry]:
    """Entries of one shared file, with its counts recorded for the README."""
    path = data / name
    imp = detect(path)
    if imp is None:
        sys.exit(f"{name} : format non reconnu")
    st = Stat(name, imp.name)
    rows = []
    for item in imp.read(path):
        if isinstance(item, RawRow):
            rows.append(item)
        elif item.severity == "error":
            st.unmapped += 1
            st.unmapped_categories[item.value] += 1
    st.rows = len(rows) + st.unmapped
    res = validate_rows(rows)
    st.rejected = res.rejected
    st.kept = len(res.entries)
    STATS.append(st)
    return list(res.entries)


def theme_of(e: Entry) -> str:
    return taxonomy.typology(e.typology).theme


def by_theme(entries) -> collections.Counter:
    return collections.Counter(theme_of(e) for e in entries)


# --------------------------------------------------------------------------- the mairie's sheet

MAIRIE_HEADERS = (
    "Nom",
    "Type",
    "Adresse",
    "CP",
    "Ville",
    "Tél.",
    "Mail",
    "Site internet",
    "Horaires d'ouverture",
    "Commentaire",
    "Source",
    "Mis à jour le",
)


def _plain(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ") if isinstance(text, str) else text


def mairie_sheet(entries: list[Entry], path: Path) -> list[dict]:
    """A hand-made looking sheet for Riom, with deliberate mistakes.
    Returns the list of mistakes (row, column, what, expected report)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wanted = (
        "SP04",
        "SP57",
        "SP59",
        "SP54",
        "SP79",
        "SP32",
        "SA02",
        "SA04",
        "SA19",
        "SA08",
        "SA07",
        "SL07",
        "SL08",
        "SL10",
        "SL11",
        "EN07",
        "EN08",
        "EN09",
        "EN06",
        "VP01",
        "VP05",
    )
    riom = [e for e in entries if e.insee == "63300" and e.typology in wanted]
    # A few of each kind, in the order a mairie would list them.
    picked: list[Entry] = []
    per = collections.Counter()
    for code in wanted:
        for e in riom:
            if e.typology == code and per[code] < (4 if code == "SA19" else 2):
                picked.append(e)
                per[code] += 1
    wb = Workbook()
    ws = wb.active
    ws.title = "Services Riom"
    ws["A1"] = "Ville de Riom – Annuaire des services au public"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Saisie : service communication – à vérifier avant envoi"
    ws["A2"].font = Font(italic=True)
    header_row = 4
    for col, h in enumerate(MAIRIE_HEADERS, start=1):
        ws.cell(row=header_row, column=col, value=h).font = Font(bold=True)
    widths = (40, 28, 34, 8, 18, 16, 30, 30, 40, 30, 26, 14)
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    # Which rows get a mistake: chosen by what they hold, not by position.
    used: set[int] = set()

    def pick(cond, after: int) -> int | None:
        # Spread down the sheet, as mistakes are in real life.
        for i, e in enumerate(picked):
            if i >= after and i not in used and cond(e):
                used.add(i)
                return i
        return None

    m_number = pick(lambda e: e.postcode, 1)
    m_dots = pick(lambda e: e.phone and len(_plain(e.phone)) == 14, 3)
    m_short_cp = pick(lambda e: e.postcode, 6)
    m_typo = pick(lambda e: e.typology == "SA19", 0)
    m_commune = pick(lambda e: True, 16)
    m_phone = pick(lambda e: e.phone and len(_plain(e.phone)) == 14, 12)
    m_nodate = pick(lambda e: True, 9)
    m_olddate = pick(lambda e: True, 20)
    # The service checked its lines three weeks ago (typed as text, as people do).
    checked = (TODAY - timedelta(days=21)).strftime("%d/%m/%Y")
    stale = (TODAY - timedelta(days=400)).strftime("%d/%m/%Y")

    mistakes: list[dict] = []
    r = header_row
    for i, e in enumerate(picked):
        r += 1
        t = taxonomy.typology(e.typology)
        values = [
            e.name,
            t.print_label,
            _plain(e.address),
            e.postcode,
            e.commune,
            _plain(e.phone),
            e.email,
            e.website,
            " ; ".join(_plain(h) for h in e.hours) or None,
            e.description,
            e.providers[0].name if e.providers else None,
            checked,
        ]
        if i == m_nodate:
            values[11] = None
            mistakes.append(
                dict(
                    row=r,
                    column="L (Mis à jour le)",
                    code="mise-a-jour-absente",
                    what="date de mise à jour non remplie",
                    report="avertissement `mise-a-jour-absente` (commande validate) ; la ligne est gardée",
                )
            )
        elif i == m_olddate:
            values[11] = stale
            mistakes.append(
                dict(
                    row=r,
                    column="L (Mis à jour le)",
                    code="mise-a-jour-ancienne",
                    what=f"dernière vérification il y a plus d’un an ({stale})",
                    report="avertissement `mise-a-jour-ancienne` (commande validate, période de "
                    "6 mois) ; la ligne est gardée",
                )
            )
        elif i == m_number:
            values[3] = int(values[3])  # typed as a number: Excel right-aligns it
            mistakes.append(
                dict(
                    row=r,
                    column="D (CP)",
                    code=None,
                    what=f"code postal saisi comme nombre ({values[3]})",
                    report="aucun message : le code est relu comme texte à 5 chiffres",
                )
            )
        elif i == m_dots:
            values[5] = _plain(e.phone).replace(" ", ".")
            mistakes.append(
                dict(
                    row=r,
                    column="F (Tél.)",
                    code=None,
                    what=f"téléphone avec des points ({values[5]})",
                    report="aucun message : imprimé avec des espaces (insécables) à la place des points",
                )
            )
        elif i == m_short_cp:
            values[3] = 6320  # a digit forgotten, typed as a number
            mistakes.append(
                dict(
                    row=r,
                    column="D (CP)",
                    code="code-postal-commune",
                    what="code postal incomplet saisi comme nombre (6320)",
                    report="avertissement `code-postal-commune` : 06320 n’est pas un code de Riom "
                    "(63200) ; la ligne est gardée",
                )
            )
        elif i == m_typo:
            values[1] = "Pharmacei"
            mistakes.append(
                dict(
                    row=r,
                    column="B (Type)",
                    code="typologie-inconnue",
                    what="typologie mal orthographiée (Pharmacei)",
                    report="erreur `typologie-inconnue` avec la suggestion « Pharmacie » ; la ligne est rejetée",
                )
            )
        elif i == m_commune:
            values[3] = None
            values[4] = None
            mistakes.append(
                dict(
                    row=r,
                    column="E (Ville)",
                    code="commune-manquante",
                    what="ni commune ni code postal",
                    report="erreur `commune-manquante` ; la ligne est rejetée",
                )
            )
        elif i == m_phone:
            values[5] = _plain(e.phone)[:-3]
            mistakes.append(
                dict(
                    row=r,
                    column="F (Tél.)",
                    code="telephone-longueur",
                    what=f"téléphone incomplet ({values[5]})",
                    report="erreur `telephone-longueur` (8 chiffres au lieu de 10) ; la ligne est rejetée",
                )
            )
        for col, v in enumerate(values, start=1):
            if v is not None:
                c = ws.cell(row=r, column=col, value=v)
                if col in (4, 6) and isinstance(v, str):
                    c.number_format = "@"
        if i == 12:
            r += 1  # an empty line left in the middle, as happens
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return mistakes


# --------------------------------------------------------------------------- ODS


def to_ods(xlsx: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit(
            "LibreOffice (soffice) est nécessaire pour écrire le fichier .ods : "
            "apt-get install -y libreoffice-calc-nogui"
        )
    with tempfile.TemporaryDirectory() as profile:
        # A private profile: another soffice running on the machine must not interfere.
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "ods",
                "--outdir",
                str(out_dir),
                str(xlsx),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=300,
        )
    ods = out_dir / (xlsx.stem + ".ods")
    if not ods.is_file():
        sys.exit(f"LibreOffice n’a pas produit {ods.name}")
    return ods


# --------------------------------------------------------------------------- main


def main() -> None:
    data = shared_dir()
    OUT.mkdir(exist_ok=True)
    files: dict[str, list[Entry]] = {}

    # Santé: FINESS, SAE (same establishments: merge folds them by FINESS number),
    # and the DILA pivots that Annex 1 files under santé.
    finess = load(data, "finess_fhir_20210108_auvergne.ndjson")
    sae = load(data, "sae_2023_etablissements_sante_auvergne.csv")
    dila16 = load(data, "dila_annuaire_services_publics_2016_auvergne.jsonl")
    sante_dila = [e for e in dila16 if theme_of(e) == "sante"]
    files["sante_auvergne.xlsx"] = finess + sae + sante_dila

    # Services publics: DILA 2016 for the pivots nobody published since, with the
    # 2025 records taking the place of the 2016 ones for the same service and commune,
    # and every France Travail agency (08/2025) instead of the 2016 Pôle emploi list.
    dila25 = load(data, "annuaire_services_publics_202508_auvergne_sample.csv")
    ft = load(data, "france_travail_annuaire_202508_auvergne.csv")
    # The EPCI of 2016 predate the 2017 reform: those of the 2019 extraction replace them.
    dila19 = load(data, "dada_annuaire_administration_2019_auvergne.csv")
    newer = {(e.typology, e.insee) for e in dila25 + ft}
    epci19 = [e for e in dila19 if e.typology == "SP07" and (e.typology, e.insee) not in newer]
    newer |= {(e.typology, e.insee) for e in epci19}
    old = [
        e
        for e in dila16
        if theme_of(e) != "sante" and e.typology not in ("SP32", "SP07") and (e.typology, e.insee) not in newer
    ]
    files["services_publics_auvergne.ods"] = old + epci19 + dila25 + ft

    # Enseignement
    ens = (
        load(data, "colleges_geoloc_auvergne.csv")
        + load(data, "ecoles_ips_2021_2022_auvergne.csv")
        + load(data, "lycees_ips_2021_2022_auvergne.csv")
    )
    files["enseignement_auvergne.csv"] = ens

    # Sports et loisirs, vie pratique
    slvp = (
        load(data, "bibliotheques_publiques_auvergne.csv")
        + load(data, "musees_de_france_museofile_auvergne.csv")
        + load(data, "cinemas_cnc_2022_auvergne.csv")
        + load(data, "laposte_points_de_contact_auvergne.csv")
        + load(data, "gares_voyageurs_sncf_auvergne.csv")
        + load(data, "france_services_20240801_auvergne.csv")
    )
    files["sports_loisirs_vie_pratique_auvergne.xlsx"] = slvp

    sheet_names = {
        "sante": "Santé",
        "services-publics": "Services publics",
        "sports-loisirs": "Sports et loisirs",
        "enseignement": "Enseignement",
        "vie-pratique": "Vie pratique",
    }
    for old_file in OUT.glob("*"):
        if old_file.suffix in (".xlsx", ".ods", ".csv"):
            old_file.unlink()
    write_entries(files["sante_auvergne.xlsx"], OUT / "sante_auvergne.xlsx", sheet_names=sheet_names)
    write_entries(
        files["sports_loisirs_vie_pratique_auvergne.xlsx"],
        OUT / "sports_loisirs_vie_pratique_auvergne.xlsx",
        sheet_names=sheet_names,
    )
    write_csv(files["enseignement_auvergne.csv"], OUT / "enseignement_auvergne.csv")
    with tempfile.TemporaryDirectory() as tmp:
        x = write_entries(
            files["services_publics_auvergne.ods"],
            Path(tmp) / "services_publics_auvergne.xlsx",
            sheet_names=sheet_names,
        )
        to_ods(x, OUT)

    everything = [e for es in files.values() for e in es]
    mistakes = mairie_sheet(everything, OUT / "mairie_riom_saisie.xlsx")
    check_mairie(OUT / "mairie_riom_saisie.xlsx", mistakes)

    # Counts, for the README and the terminal.
    per_file = {name: by_theme(es) for name, es in files.items()}
    total = by_theme(everything)
    write_readme(per_file, total, mistakes)
    print("Fichiers écrits dans sample_data/ :")
    for f in sorted(OUT.iterdir()):
        print(f"  {f.name:45} {f.stat().st_size / 1024:8.0f} Ko")
    print("Entrées par thème :", ", ".join(f"{THEME_LABEL[t]} {total[t]}" for t in THEME_ORDER))


def check_mairie(path: Path, mistakes: list[dict]) -> None:
    """The README promises what the report shows: make sure it does."""
    from annuaire.load import read_paths

    loaded = read_paths([path])
    res = validate_rows(loaded.rows)
    from annuaire.check.freshness import stale_issues

    fresh = stale_issues(res.entries, TODAY)
    found = {(i.row, i.code) for i in list(loaded.issues) + list(res.issues) + list(fresh)}
    expected = {(m["row"], m["code"]) for m in mistakes if m["code"]}
    if found != expected:
        sys.exit(f"mairie_riom_saisie.xlsx : rapport inattendu {sorted(found)} au lieu de {sorted(expected)}")


def write_readme(per_file, total, mistakes) -> None:
    lines = []
    add = lines.append
    add("# Données d’exemple")
    add("")
    add("Fichiers prêts à l’emploi pour essayer `annuaire` sans rien préparer :")
    add("")
    add("```sh")
    add("annuaire validate sample_data/                      # le rapport des problèmes")
    add('annuaire build --theme sante --territoire "commune Riom"   # lit sample_data/ par défaut')
    add('make annuaire THEME=sante TERRITOIRE="commune Riom"')
    add("```")
    add("")
    add(
        "Chaque ligne est un **enregistrement réel** d’un jeu de données public national "
        "(ancienne région Auvergne : Allier, Cantal, Haute-Loire, Puy-de-Dôme), lu par les "
        "importateurs d’`annuaire`, vérifié, puis réécrit dans les formats qu’utilisent les "
        "contributeurs. Rien n’a été inventé, sauf les erreurs volontaires du fichier de la "
        "mairie (voir plus bas). Fichiers régénérés par `make sample-data` "
        "(`scripts/make_sample_data.py`) à partir du dossier partagé `../shared/data`."
    )
    add("")
    add("## Les fichiers")
    add("")
    add("| fichier | format | contenu | entrées par thème |")
    add("|---|---|---|---|")
    desc = {
        "sante_auvergne.xlsx": (
            "Excel (.xlsx), une feuille par thème",
            "FINESS (établissements sanitaires et sociaux), SAE 2023 (hôpitaux et cliniques ; "
            "mêmes établissements que FINESS : la fusion des doublons les regroupe par n° FINESS), "
            "CLIC, MAIA et plateformes de répit de l’annuaire DILA",
        ),
        "services_publics_auvergne.ods": (
            "LibreOffice (.ods), converti par LibreOffice",
            "annuaire de l’administration (DILA) : mairies, gendarmeries, trésoreries, CAF, "
            "CPAM, PMI… (2016 ; les enregistrements de 2025 remplacent ceux de 2016 "
            "pour le même service dans la même commune) ; EPCI de 2019 (après la "
            "réforme de 2017) ; agences France Travail (08/2025)",
        ),
        "enseignement_auvergne.csv": (
            "CSV Windows-1252, séparateur « ; » (Excel français)",
            "collèges (adresse et position), écoles et lycées (Éducation nationale)",
        ),
        "sports_loisirs_vie_pratique_auvergne.xlsx": (
            "Excel (.xlsx), une feuille par thème",
            "bibliothèques, musées de France, cinémas ; bureaux et agences de poste, gares, France services",
        ),
    }
    for name, (fmt, what) in desc.items():
        counts = ", ".join(f"{THEME_LABEL[t]} : {per_file[name][t]}" for t in THEME_ORDER if per_file[name][t])
        add(f"| `{name}` | {fmt} | {what} | {counts} |")
    add(
        "| `mairie_riom_saisie.xlsx` | Excel (.xlsx) fait main | une feuille « comme une mairie la tient » : "
        "lignes de titre au-dessus de l’en-tête, noms de colonnes à elle (Type, CP, Ville, Tél., Mail…), "
        "une ligne vide, et des erreurs volontaires (ci-dessous). Les services sont réels (Riom) et "
        "figurent aussi dans les autres fichiers : la fusion des doublons les regroupe. | — |"
    )
    add("")
    add("Total : " + ", ".join(f"{THEME_LABEL[t]} {total[t]}" for t in THEME_ORDER) + " entrées.")
    add("")
    add(
        "France services : l’annexe 1 (2008) n’a pas de typologie pour eux ; ils sont classés en "
        "« Lieu d’accès public à Internet » (Vie pratique > Communiquer), la plus proche, avec une "
        "description qui dit ce qu’ils font. Voir `annuaire/data/mappings/france-services.csv`."
    )
    add("")
    add("## Les erreurs volontaires de `mairie_riom_saisie.xlsx`")
    add("")
    add("Ce que montre le rapport de `annuaire validate sample_data/mairie_riom_saisie.xlsx` :")
    add("")
    add("| ligne | colonne | erreur saisie | ce que dit le rapport |")
    add("|---|---|---|---|")
    for m in mistakes:
        add(f"| {m['row']} | {m['column']} | {m['what']} | {m['report']} |")
    add("")
    add(
        "Les lignes 1 et 2 sont un titre et une remarque ; l’en-tête est à la ligne 4 (le "
        "chargeur le trouve seul). Une ligne vide est laissée au milieu du tableau. Les dates de "
        f"vérification sont relatives au jour de génération ({TODAY:%d/%m/%Y}) : avec le temps, "
        "`annuaire validate` les trouvera toutes anciennes. Les autres fichiers portent la date "
        "de leurs données sources (2016 à 2025) : `annuaire validate` les signale comme anciennes, "
        "à juste titre."
    )
    add("")
    add("## Ce que le passage par les importateurs a laissé de côté")
    add("")
    add(
        "Les catégories sans typologie dans l’annexe 1 ne sont pas reprises ; chaque ligne "
        "concernée est signalée (`categorie-non-prise-en-charge`), jamais ignorée en silence. "
        "Pour les imprimer, indiquez un code dans la table `annuaire/data/mappings/<jeu>.csv`."
    )
    add("")
    add(
        "| fichier source | format | lignes lues | catégorie non prise en charge | rejetées à la validation | entrées |"
    )
    add("|---|---|---|---|---|---|")
    for st in STATS:
        cats = ", ".join(f"{c} ({n})" for c, n in st.unmapped_categories.most_common()) or "—"
        add(f"| `{st.file}` | {st.importer} | {st.rows} | {st.unmapped} : {cats} | {st.rejected} | {st.kept} |")
    add("")
    add(
        "Non utilisés ici : l’annuaire DILA de 2019 (`dila-2019`), sauf ses EPCI (mêmes services "
        "que 2016, sans CAF ni CPAM) ; la carte France services de 2020 (remplacée par la liste de 2024)."
    )
    add("")
    add("## Sources et licences")
    add("")
    add("| source (telle qu’imprimée) | jeu de données | licence | date des données |")
    add("|---|---|---|---|")
    from annuaire.reference.sources import provider

    used = [
        "finess",
        "sae",
        "dila-2016",
        "dila-2025",
        "colleges",
        "ecoles",
        "lycees",
        "bibliotheques",
        "musees",
        "cinemas",
        "laposte",
        "gares",
        "france-services",
    ]
    for key in used:
        p = provider(key)
        add(f"| {p.name} | {p.dataset} ([page]({p.url})) | {p.licence} | {p.date:%d/%m/%Y} |")
    add("")
    add(
        "Licence Ouverte / Etalab 2.0 : réutilisation libre, en citant la source et la date "
        "(ce que fait la ligne « Source : … — mis à jour le … » de chaque entrée et le colophon). "
        "Les gares (SNCF) sont sous **ODbL 1.0** : une base dérivée doit rester sous ODbL ; "
        "l’attribution figure dans le colophon. Les coordonnées `geo` (BAN, ODbL) de l’annuaire "
        "DILA 2016 ne sont pas utilisées : seules celles de la DILA le sont."
    )
    add("")
    add(
        "Les enregistrements ont l’âge de leur source (FINESS de janvier 2021, annuaire DILA de "
        "2016 : des trésoreries ont fermé depuis). Ce sont des "
        "données d’exemple, pas un annuaire à imprimer tel quel."
    )
    add("")
    (OUT / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
