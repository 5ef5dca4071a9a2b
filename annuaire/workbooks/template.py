"""The contributor workbook (`annuaire modele`): a spreadsheet a mairie fills in.

``write_template(path, territory=None, source=None, today=None)`` writes an
.xlsx that opens in Excel and LibreOffice with no training:

* sheet « Services » (first and active): the French headers in the order of
  :data:`annuaire.model.FIELDS`, header row frozen, drop-down lists for
  Typologie (the 175 typologies of Annex 1, exact printed labels in annex
  order, i.e. sorted by theme then group) and Commune (the communes of the
  territory, official names, French order), input messages on every column,
  text format on Code postal, Code INSEE and Téléphone so leading zeros
  survive, a date format on Mise à jour, and a formula that fills Code INSEE
  from the commune picked in the list (homonyms of the region excepted);
* sheet « Mode d’emploi »: what goes in each column, with one example (the
  mairie of a commune of the territory) written down the page, so it has no
  header row and the loader never reads it as data;
* sheet « Listes », hidden and protected: the values of the drop-down lists,
  reached through the defined names ``Typologies`` and ``Communes``.

When ``source`` is given, the Source column of the first rows holds a formula
that shows it as soon as something is typed on the row: a prefilled value
would turn every unused row into a row of data (a row with only a Source
is not blank for the loader), while the formula's cached value stays empty
on unused rows.  Excel and LibreOffice compute it when the file is saved.

The typology list uses the printed label, which :func:`annuaire.reference.taxonomy.resolve`
maps back to its typology.  The one label Annex 1 has twice (« Centre des
impôts foncier et cadastre », SP29 under Logement and SP50 under Économie)
resolves to SP29; SP50 is listed with its code in brackets (``… (SP50)``),
which the list builder checks resolves back, or else leaves out.

``territory`` is an EPCI (name or SIREN), a département (code or name) or a
commune (INSEE code or name), resolved by :func:`annuaire.editions.territory.resolve`;
an unknown territory raises :class:`annuaire.errors.UnknownTerritory` with
suggestions.  Without a territory the Commune list holds every commune of
the region's four départements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from annuaire import output
from annuaire.load import headers as load_headers
from annuaire.workbooks import cells
from annuaire.reference import geo
from annuaire.text.collate import plain, sort_key
from annuaire.model import FIELDS

SERVICES_SHEET = "Services"
GUIDE_SHEET = "Mode d’emploi"
LISTS_SHEET = "Listes"
# Sheets this module writes that hold no data: a loader may skip them silently.
NON_DATA_SHEETS = (GUIDE_SHEET, LISTS_SHEET)

# Rows of the Services sheet that get formats, drop-downs, hints and the
# Source formula.  Beyond them the column formats still apply (column styles).
DATA_ROWS = 500

# Headers in FIELDS order: the loader's own list (annuaire.load.headers), so
# that what the template writes is what the loader matches.
HEADERS: dict[str, str] = load_headers.HEADERS

REQUIRED = ("nom", "typologie", "commune")

WIDTHS = {
    "nom": 34,
    "typologie": 38,
    "adresse": 30,
    "complement": 22,
    "code_postal": 11,
    "commune": 24,
    "code_insee": 11,
    "telephone": 16,
    "courriel": 28,
    "site_web": 26,
    "horaires": 44,
    "description": 44,
    "latitude": 11,
    "longitude": 11,
    "source": 24,
    "mise_a_jour": 13,
}
TEXT_FIELDS = ("code_postal", "code_insee", "telephone")
DATE_FORMAT = "DD/MM/YYYY"

# Input messages: Excel caps the title at 32 characters and the text at 255.
HINTS: dict[str, tuple[str, str]] = {
    "nom": (
        "Nom (obligatoire)",
        "Le nom tel qu’il doit être imprimé : « Mairie de Murat », « Pharmacie du Centre ». "
        "Majuscule au début seulement, pas tout en capitales.",
    ),
    "typologie": (
        "Typologie (obligatoire)",
        "Choisissez dans la liste (flèche à droite de la cellule). Elle suit l’annexe 1 : "
        "services publics, santé, sports et loisirs, enseignement, vie pratique. "
        "Liste complète : feuille « Mode d’emploi ».",
    ),
    "adresse": (
        "Adresse",
        "Numéro et voie : « 2 place de l’Hôtel de ville ». Le code postal et la commune vont dans leurs colonnes.",
    ),
    "complement": (
        "Complément d’adresse",
        "Facultatif. Bâtiment, étage, lieu-dit, boîte postale : « Bâtiment B, 1er étage ».",
    ),
    "code_postal": (
        "Code postal",
        "5 chiffres : 15300. La cellule est au format texte : le zéro de tête (03000) est conservé.",
    ),
    "commune": (
        "Commune (obligatoire)",
        "Choisissez la commune dans la liste (communes du territoire, noms officiels). "
        "Une commune hors liste est acceptée après confirmation.",
    ),
    "code_insee": (
        "Code INSEE",
        "Rempli tout seul quand la commune est choisie dans la liste. Sinon, code "
        "officiel de la commune, 5 chiffres (15138 pour Murat) ; ce n’est pas le code postal.",
    ),
    "telephone": (
        "Téléphone",
        "Dix chiffres : 04 65 71 20 00. Un seul numéro par cellule. Format texte : le 0 de tête est conservé.",
    ),
    "courriel": ("Courriel", "Une seule adresse : accueil@mairie-murat.fr"),
    "site_web": ("Site web", "Adresse du site : www.mairie-murat.fr (avec ou sans https://)."),
    "horaires": (
        "Horaires d’ouverture",
        "Jours puis heures : « Lundi au vendredi : 8h30-12h, 13h30-17h ; samedi : 9h-12h ». "
        "Voir le mode d’emploi pour les formes acceptées.",
    ),
    "description": (
        "Description",
        "Facultatif. Une ou deux phrases : services rendus, public, accès. Elle est imprimée sous le nom.",
    ),
    "latitude": ("Latitude", "Facultatif. Degrés décimaux : 45,1105. Laissez vide si vous ne la connaissez pas."),
    "longitude": ("Longitude", "Facultatif. Degrés décimaux : 2,8675. Laissez vide si vous ne la connaissez pas."),
    "source": ("Source", "Structure qui fournit l’information, imprimée dans « Source : … » (« Mairie de Murat »)."),
    "mise_a_jour": (
        "Date de mise à jour",
        "Date de la dernière vérification de la ligne : 12/03/2025. À refaire tous les six mois (convention).",
    ),
}

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
THIN = Side(style="thin", color="9BA7B4")
WRAP = Alignment(wrap_text=True, vertical="top")

# Telephone numbers ARCEP reserves for fiction (04 65 71 xx xx): the example
# looks real without pointing at anybody's line.
EXAMPLE_PHONE = "04 65 71 20 00"


# ---------------------------------------------------------------- territory


@dataclass(frozen=True)
class Area:
    """The territory of a template: what its Commune list offers."""

    kind: str  # 'region', 'epci', 'departement', 'commune'
    code: str | None
    name: str
    communes: tuple[geo.Commune, ...]


@dataclass(frozen=True)
class TemplateInfo:
    """What :func:`write_template` wrote, for the command line to report."""

    path: Path
    territory: str
    communes: tuple[str, ...]
    typologies: tuple[str, ...]


def _plain(text: str) -> str:
    s = plain(str(text)).replace("’", "'")
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def _communes_of(codes: Iterable[str]) -> tuple[geo.Commune, ...]:
    g = geo.gazetteer()
    found: dict[str, geo.Commune] = {}
    for code in codes:
        c = g.by_insee(code)
        if c is not None:  # members outside the bundled départements have no entry
            found[c.insee] = c
    return tuple(found.values())


def resolve_area(text: str | None) -> Area:
    """The territory of the template, resolved by :func:`annuaire.editions.territory.resolve`
    (EPCI name or SIREN, département, commune name or INSEE code; None is the
    whole region).  Raises :class:`UnknownTerritory` with suggestions."""
    from annuaire.editions import territory as territories

    if text is not None and not str(text).strip():
        text = None
    t = territories.resolve(text)
    return Area(kind=t.kind, code=t.code, name=t.name, communes=_communes_of(sorted(t.insee)))


# ---------------------------------------------------------------- lists


def typology_choices() -> list[tuple[str, object]]:
    """(label shown in the drop-down, Typology), in annex order.

    The printed label when it resolves back to its own typology; otherwise
    the label with the code in brackets, kept only if that resolves too."""
    from annuaire.reference import taxonomy

    out: list[tuple[str, object]] = []
    for th in taxonomy.themes():
        for g in th.groups:
            for s in g.subgroups:
                for t in s.typologies:
                    for label in (t.print_label, f"{t.print_label} ({t.code})"):
                        found = taxonomy.resolve(label)
                        if found is not None and found.code == t.code:
                            out.append((label, t))
                            break
    return out


def commune_choices(area: Area) -> list[str]:
    """Official names of the territory's communes, French order, no repeats
    (homonyms of different départements share a name; the postal code tells
    them apart in validation)."""
    return sorted({c.name for c in area.communes}, key=sort_key)


def insee_by_name(area: Area) -> dict[str, str]:
    """INSEE code of each commune name that names one commune of the territory.

    Homonyms (two Chazelles in the region) get no code: the formula of the
    Code INSEE column then stays empty and the postal code tells them apart."""
    by_name: dict[str, list[str]] = {}
    for c in area.communes:
        by_name.setdefault(c.name, []).append(c.insee)
    return {name: codes[0] for name, codes in by_name.items() if len(codes) == 1}


# ---------------------------------------------------------------- example


def _of(name: str) -> str:
    """'de Murat', 'du Puy-en-Velay', 'des Ancizes-Comps', 'de La Chapelle…'."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1].lower() in "aeiouyéèêâîôh":
        return "d’" + name
    return "de " + name


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _plain(name)).strip("-")


def example_row(area: Area, source: str | None, today: date, mairie_label: str) -> dict[str, str]:
    """The example: the mairie of the territory's most populous commune."""
    communes = sorted(area.communes, key=lambda c: -(c.population or 0))
    c = communes[0] if communes else geo.gazetteer().by_insee("63113")
    name = f"Mairie {_of(c.name)}"
    slug = _slug(c.name)
    fmt = lambda x: f"{x:.4f}".replace(".", ",") if x is not None else ""  # noqa: E731
    return {
        "nom": name,
        "typologie": mairie_label,
        "adresse": "Place de l’Hôtel de ville",
        "complement": "BP 12",
        "code_postal": c.postcodes[0] if c.postcodes else "",
        "commune": c.name,
        "code_insee": c.insee,
        "telephone": EXAMPLE_PHONE,
        "courriel": f"accueil@mairie-{slug}.fr",
        "site_web": f"www.mairie-{slug}.fr",
        "horaires": "Lundi au vendredi : 8h30-12h, 13h30-17h ; samedi : 9h-12h",
        "description": "Accueil, état civil, urbanisme, listes électorales. "
        "Accès de plain-pied pour les personnes à mobilité réduite.",
        "latitude": fmt(c.latitude),
        "longitude": fmt(c.longitude),
        "source": source or name,
        "mise_a_jour": today.strftime("%d/%m/%Y"),
    }


# ---------------------------------------------------------------- guide text

# The forms the guide promises; tests check that the normalisers accept them.
HOURS_EXAMPLES = (
    "Lundi au vendredi : 8h30-12h, 13h30-17h ; samedi : 9h-12h",
    "du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h",
    "lun-ven 9h-12h",
    "lundi, mardi et jeudi : 9:00-12:00 ; samedi fermé",
)
DATE_EXAMPLES = ("12/03/2025", "12-03-25", "2025-03-12", "12 mars 2025", "03/2025", "mars 2025")

COLUMN_HELP: dict[str, str] = {
    "nom": "Le nom du service tel qu’il sera imprimé. Majuscule au début seulement, "
    "pas tout en capitales ; pas de sigle seul (écrivez le nom, le sigle entre parenthèses).",
    "typologie": "Le type de service, à choisir dans la liste déroulante (les 175 typologies de "
    "l’annexe 1, rangées par thème puis par groupe : voir la liste en bas de cette "
    "feuille). C’est elle qui place le service dans le bon annuaire et la bonne rubrique.",
    "adresse": "Numéro et voie, sans le code postal ni la commune.",
    "complement": "Bâtiment, étage, lieu-dit, boîte postale. Facultatif.",
    "code_postal": "5 chiffres. La colonne est au format texte : 03000 garde son zéro.",
    "commune": "La commune où se trouve le service, à choisir dans la liste (noms officiels des "
    "communes du territoire). Une commune d’ailleurs est acceptée après confirmation.",
    "code_insee": "Le code officiel de la commune (5 chiffres), différent du code postal. Il se remplit "
    "tout seul quand la commune est choisie dans la liste ; vous pouvez le taper. Il départage "
    "les communes de même nom.",
    "telephone": "Dix chiffres, avec ou sans espaces ou points : 04 65 71 20 00, 04.65.71.20.00. "
    "Un seul numéro par cellule (seul le premier est imprimé). Numéros courts acceptés (3939).",
    "courriel": "Une seule adresse, écrite en entier avec @.",
    "site_web": "L’adresse du site, avec ou sans https:// (imprimée sans).",
    "horaires": "Les jours puis les heures, un groupe de jours par partie, parties séparées par « ; ». "
    "Formes acceptées : " + ", ".join(f"« {h} »" for h in HOURS_EXAMPLES) + ". Un texte qui "
    "n’est pas reconnu (« sur rendez-vous », « sauf le 1er lundi ») est imprimé tel quel, "
    "avec un avertissement.",
    "description": "Une ou deux phrases : services rendus, public accueilli, accès. Facultatif.",
    "latitude": "Position en degrés décimaux (45,1105), pour la carte. Facultatif : sans elle, "
    "le service est placé sur sa commune.",
    "longitude": "Position en degrés décimaux (2,8675). Facultatif, comme la latitude.",
    "source": "La structure qui fournit l’information ; elle est imprimée sous chaque service "
    "(« Source : Mairie de Murat — mis à jour le 12 mars 2025 »).",
    "mise_a_jour": "La date à laquelle la ligne a été vérifiée. Formes acceptées : "
    + ", ".join(DATE_EXAMPLES)
    + " (ces deux dernières : le 1er du mois).",
}


def _communes_count(n: int) -> str:
    return "une commune" if n == 1 else f"{n} communes"


def _guide_paragraphs(area: Area, typology_count: int) -> list[tuple[str, list[str]]]:
    return [
        (
            "Comment remplir",
            [
                f"Une ligne par service ouvert au public (lieu d’accueil, permanence, équipement) dans la "
                f"feuille « {SERVICES_SHEET} ». Ne modifiez pas la première ligne : les titres de colonnes "
                "servent à lire le fichier.",
                "Les colonnes Nom, Typologie et Commune sont obligatoires (titres en orange) : une ligne "
                "sans elles n’est pas imprimée. Les autres sont imprimées quand elles sont remplies.",
                "Cliquez sur une cellule : une bulle rappelle ce qu’elle attend. Typologie et Commune "
                "ont une liste déroulante (flèche à droite de la cellule).",
                "Vous pouvez copier-coller depuis un autre tableau (collage spécial, valeurs seules, pour "
                "garder les listes déroulantes), trier ou filtrer les lignes ; n’ajoutez pas de ligne de "
                "titre au-dessus des en-têtes.",
                "Enregistrez au format .xlsx (Excel) ou .ods (LibreOffice), sans changer le nom des colonnes.",
            ],
        ),
        (
            "Mise à jour tous les six mois",
            [
                "La convention prévoit une mise à jour semestrielle : tous les six mois, relisez chaque "
                "ligne, corrigez ce qui a changé (horaires, téléphone, adresse) et mettez la date du jour "
                "dans la colonne « Mise à jour ».",
                "Une ligne dont la date a plus de six mois, ou qui n’a pas de date, est signalée lors "
                "de la vérification.",
            ],
        ),
        (
            "Vérifier le fichier avant de l’envoyer",
            [
                "Commande : annuaire validate services.xlsx --annote rapport.xlsx",
                "Elle lit le fichier comme pour l’impression et écrit rapport.xlsx : une copie de votre "
                "classeur où chaque cellule à revoir est colorée, avec un commentaire qui dit quoi corriger, "
                "et une feuille « Rapport » en tête qui compte les lignes et liste les problèmes.",
                "Rouge : erreur, la ligne ne sera pas imprimée tant qu’elle n’est pas corrigée. "
                "Jaune : avertissement, la ligne est imprimée mais mérite d’être vérifiée.",
                "Corrigez votre fichier (pas le rapport), puis relancez la vérification.",
            ],
        ),
        (
            f"Territoire : {area.name}",
            [
                f"La liste des communes propose {_communes_count(len(commune_choices(area)))} ; "
                f"la liste des typologies en propose {typology_count}.",
            ],
        ),
    ]


# ---------------------------------------------------------------- writing


def _services_sheet(ws, source: str | None) -> None:
    ws.title = SERVICES_SHEET
    last = DATA_ROWS + 1
    text_cols = [FIELDS.index(f) + 1 for f in TEXT_FIELDS]
    date_col = FIELDS.index("mise_a_jour") + 1
    for i, f in enumerate(FIELDS, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=HEADERS[f])
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if f in REQUIRED else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(bottom=THIN, right=THIN)
        dim = ws.column_dimensions[letter]
        dim.width = WIDTHS[f]
        # Column styles: the format holds for rows typed past DATA_ROWS too.
        if i in text_cols:
            dim.number_format = "@"
        elif i == date_col:
            dim.number_format = DATE_FORMAT
    ws.row_dimensions[1].height = 32
    # Cell formats on the data rows: what Excel and LibreOffice apply when
    # a value is typed or pasted (a column style alone is not always honoured).
    for r in range(2, last + 1):
        for i in text_cols:
            ws.cell(row=r, column=i).number_format = "@"
        ws.cell(row=r, column=date_col).number_format = DATE_FORMAT
        ws.cell(row=r, column=FIELDS.index("horaires") + 1).alignment = Alignment(wrap_text=True)
        ws.cell(row=r, column=FIELDS.index("description") + 1).alignment = Alignment(wrap_text=True)
    # Code INSEE looked up from the commune chosen in the list: it tells
    # apart the communes that share a name in the region (Chazelles,
    # Saint-Saturnin…), which would otherwise need the postal code.  Typing a
    # code replaces the formula; an empty cached result is a blank cell.
    insee_col = FIELDS.index("code_insee") + 1
    commune_letter = get_column_letter(FIELDS.index("commune") + 1)
    for r in range(2, last + 1):
        ws.cell(
            row=r,
            column=insee_col,
            value=f'=IF(${commune_letter}{r}="","",IFERROR(VLOOKUP(${commune_letter}{r},CommunesInsee,2,FALSE),""))',
        )
    if source:
        src_col = FIELDS.index("source") + 1
        before = get_column_letter(src_col - 1)
        quoted = '"' + source.replace('"', '""') + '"'
        for r in range(2, last + 1):
            # Shown once the row has content; blank (cached "") on unused rows.
            # LEN, not COUNTA: COUNTA counts the Code INSEE formula even when empty.
            ws.cell(row=r, column=src_col, value=f'=IF(SUMPRODUCT(LEN($A{r}:${before}{r}))=0,"",{quoted})')
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FIELDS))}{last}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    def col(f: str) -> str:
        letter = get_column_letter(FIELDS.index(f) + 1)
        return f"{letter}2:{letter}{last}"

    for f in FIELDS:
        title, prompt = HINTS[f]
        assert len(title) <= 32 and len(prompt) <= 255, f
        if f == "typologie":
            dv = _warning_check(
                "Typologie hors liste",
                "Cette typologie n’est pas dans la liste de l’annexe 1. "
                "Choisissez-la dans la liste déroulante : une typologie "
                "inconnue empêche l’impression de la ligne.",
                type="list",
                formula1="Typologies",
            )
        elif f == "commune":
            dv = _warning_check(
                "Commune hors liste",
                "Cette commune n’est pas dans la liste du territoire. "
                "Vérifiez l’orthographe (nom officiel) ; confirmez si le "
                "service est bien situé hors du territoire.",
                type="list",
                formula1="Communes",
            )
        elif f in ("code_postal", "code_insee"):
            dv = _warning_check(
                "Cinq chiffres attendus",
                "Un code postal ou un code INSEE a 5 chiffres (03000, 15138).",
                type="textLength",
                operator="equal",
                formula1="5",
            )
        elif f == "mise_a_jour":
            dv = _warning_check(
                "Date attendue",
                "Tapez la date sous la forme 12/03/2025.",
                type="date",
                operator="between",
                formula1="36526",
                formula2="73050",
            )
        else:
            dv = DataValidation(allow_blank=True)
        dv.showInputMessage = True
        dv.promptTitle = title
        dv.prompt = prompt
        dv.add(col(f))
        ws.add_data_validation(dv)


def _warning_check(title: str, message: str, **rule: str) -> DataValidation:
    """A cell check that only warns: the contributor may confirm an unusual
    value (a service just outside the territory) rather than be blocked."""
    return DataValidation(
        allow_blank=True, errorStyle="warning", showErrorMessage=True, errorTitle=title, error=message, **rule
    )


def _lists_sheet(wb: Workbook, typologies: list[str], communes: list[str], area: Area) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    # No header row on purpose: the loader must never take this sheet for data.
    for r, label in enumerate(typologies, start=1):
        ws.cell(row=r, column=1, value=label)
    codes = insee_by_name(area)
    for r, name in enumerate(communes, start=1):
        ws.cell(row=r, column=2, value=name)
        if name in codes:
            ws.cell(row=r, column=3, value=codes[name]).number_format = "@"
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 30
    ref = quote_sheetname(LISTS_SHEET)
    wb.defined_names["Typologies"] = DefinedName("Typologies", attr_text=f"{ref}!$A$1:$A${max(len(typologies), 1)}")
    wb.defined_names["Communes"] = DefinedName("Communes", attr_text=f"{ref}!$B$1:$B${max(len(communes), 1)}")
    wb.defined_names["CommunesInsee"] = DefinedName("CommunesInsee", attr_text=f"{ref}!$B$1:$C${max(len(communes), 1)}")
    ws.sheet_state = "hidden"
    ws.protection.sheet = True  # no password: an administrator may still unprotect it


def _guide_sheet(wb: Workbook, area: Area, example: dict[str, str], choices: list[tuple[str, object]]) -> None:
    from annuaire.reference import taxonomy

    ws = wb.create_sheet(GUIDE_SHEET)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 80
    ws.column_dimensions["D"].width = 44
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    r = 1
    ws.cell(row=r, column=1, value=f"Annuaire des services — mode d’emploi du modèle ({area.name})").font = TITLE_FONT
    r += 2
    for heading, lines in _guide_paragraphs(area, len(choices)):
        ws.cell(row=r, column=1, value=heading).font = Font(bold=True, size=12)
        r += 1
        for line in lines:
            c = ws.cell(row=r, column=1, value=line)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
            c.alignment = WRAP
            ws.row_dimensions[r].height = 15 * (1 + len(line) // 150)
            r += 1
        r += 1
    # Column by column, the example written down the page: a row here never
    # holds two column names, so the loader never sees a header row.
    ws.cell(row=r, column=1, value="Les colonnes, une par une").font = Font(bold=True, size=12)
    r += 1
    ws.cell(row=r, column=1, value="Colonne").font = BOLD
    ws.cell(row=r, column=2, value="À remplir").font = BOLD
    ws.cell(row=r, column=3, value="Ce qu’elle contient").font = BOLD
    ws.cell(row=r, column=4, value=f"Exemple : {example['nom']} (exemple fictif, à ne pas recopier)").font = BOLD
    for col in range(1, 5):
        ws.cell(row=r, column=col).fill = HEADER_FILL
    r += 1
    for f in FIELDS:
        ws.cell(row=r, column=1, value=f"{get_column_letter(FIELDS.index(f) + 1)} — {HEADERS[f]}").font = BOLD
        ws.cell(row=r, column=2, value="obligatoire" if f in REQUIRED else "si connu")
        ws.cell(row=r, column=3, value=COLUMN_HELP[f]).alignment = WRAP
        ex = ws.cell(row=r, column=4, value=example[f])
        ex.alignment = WRAP
        ex.font = Font(italic=True, color="555555")
        ex.number_format = "@"
        if f in REQUIRED:
            ws.cell(row=r, column=1).fill = REQUIRED_FILL
        ws.row_dimensions[r].height = 15 * max(1 + len(COLUMN_HELP[f]) // 85, 1 + len(example[f]) // 45)
        for col in range(1, 5):
            ws.cell(row=r, column=col).border = Border(bottom=THIN)
            ws.cell(row=r, column=col).alignment = WRAP
        r += 1
    r += 1
    ws.cell(row=r, column=1, value=f"Les {len(choices)} typologies de la liste, par thème").font = Font(
        bold=True, size=12
    )
    r += 1
    ws.cell(row=r, column=1, value="Groupe").font = BOLD
    ws.cell(row=r, column=3, value="À choisir dans la liste déroulante").font = BOLD
    ws.cell(row=r, column=2, value="Code").font = BOLD
    r += 1
    labels = {t.code: label for label, t in choices}
    for th in taxonomy.themes():
        c = ws.cell(row=r, column=1, value=th.label)
        c.font = Font(bold=True, size=11, color="1F4E79")
        r += 1
        for g in th.groups:
            for s in g.subgroups:
                group = g.label + (f" › {s.label}" if s.label else "")
                for t in s.typologies:
                    if t.code not in labels:
                        continue
                    ws.cell(row=r, column=1, value=group).alignment = WRAP
                    ws.cell(row=r, column=2, value=t.code)
                    ws.cell(row=r, column=3, value=labels[t.code])
                    r += 1


def write_template(
    path: str | Path, territory: str | None = None, source: str | None = None, today: date | None = None
) -> TemplateInfo:
    """Write the contributor workbook to ``path`` (.xlsx); returns what it holds.

    Raises :class:`annuaire.errors.UnknownTerritory` for an unknown territory and
    :class:`annuaire.errors.AnnuaireError` for a name that does not end in .xlsx."""
    from annuaire.reference import taxonomy
    from annuaire.errors import AnnuaireError

    if Path(path).suffix.lower() != ".xlsx":
        raise AnnuaireError(
            f"{path} : le modèle est un classeur Excel ; donnez un nom en .xlsx "
            "(LibreOffice l’ouvre aussi et peut l’enregistrer en .ods)."
        )
    area = resolve_area(territory)
    source = source.strip() if source and source.strip() else None
    today = today or date.today()
    choices = typology_choices()
    typologies = [label for label, _ in choices]
    communes = commune_choices(area)
    mairie = taxonomy.resolve("Mairie")
    mairie_label = next((label for label, t in choices if mairie and t.code == mairie.code), "Mairie")

    wb = Workbook()
    _services_sheet(wb.active, source)
    _guide_sheet(wb, area, example_row(area, source, today, mairie_label), choices)
    _lists_sheet(wb, typologies, communes, area)
    wb.active = 0
    # The guide and lists hold text only (the example row repeats --source):
    # no value there may become a formula.  The Services sheet keeps its own
    # formulas (Code INSEE lookup, Source), where --source is a quoted literal.
    cells.sheets_as_text(ws for ws in wb.worksheets if ws.title != SERVICES_SHEET)
    props = wb.properties
    props.title = f"Annuaire des services — modèle de saisie ({area.name})"
    props.subject = area.name
    props.creator = "annuaire"
    props.keywords = "annuaire modèle"
    props.description = f"Territoire : {area.name}" + (f" ; source : {source}" if source else "")
    path = Path(path)
    with output.replacing(path) as tmp:
        wb.save(tmp)
    return TemplateInfo(path=path, territory=area.name, communes=tuple(communes), typologies=tuple(typologies))


__all__ = [
    "write_template",
    "resolve_area",
    "typology_choices",
    "commune_choices",
    "TemplateInfo",
    "Area",
    "HEADERS",
    "SERVICES_SHEET",
    "GUIDE_SHEET",
    "LISTS_SHEET",
    "NON_DATA_SHEETS",
]
