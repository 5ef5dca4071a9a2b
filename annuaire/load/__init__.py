"""Reading the inputs: contributors' spreadsheets and national datasets.

``read_paths(paths) -> LoadResult`` takes files or folders (folders are read
recursively, files sorted, lock files ``~$…`` and hidden files skipped).
A national dataset is recognised by ``annuaire.load.importers.detect`` and
read by its importer; anything else is a contributor's spreadsheet (see
:mod:`annuaire.load.spreadsheet`).

Fatal conditions raise :class:`annuaire.errors.UnusableInput` with a French
message: a path that does not exist, a file that is not a spreadsheet, a file
in which no sheet has a header row.  Everything else is an :class:`Issue`.

A sheet that lacks a required column (Nom, Typologie, and Commune, Code INSEE
or Code postal) is still read: its rows go to ``validate``, which rejects
and counts them with one error per sheet, so the accounting stays whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from annuaire.errors import UnusableInput
from annuaire.load.importers import detect, lookalike
from annuaire.load.container import check_workbook
from annuaire.load.correspondences import NONE, Correspondences
from annuaire.load.spreadsheet import SUFFIXES, WORKBOOK_SUFFIXES, SheetMapping, read_file
from annuaire.model import Issue, RawRow


# National datasets come as JSON lines or GeoJSON too; in a folder they are read
# when an importer recognises them (see read_paths), never as spreadsheets.
DATASET_SUFFIXES = (".jsonl", ".ndjson", ".geojson", ".json")


@dataclass(frozen=True)
class LoadResult:
    rows: tuple[RawRow, ...]
    issues: tuple[Issue, ...]
    files: tuple[str, ...]
    # What each contributor sheet's columns were taken for (annuaire colonnes,
    # the « Correspondances » sheet of the annotated workbook).
    mappings: tuple[SheetMapping, ...] = ()


def _wanted(f: Path, root: Path) -> bool:
    """A spreadsheet of the folder, not a lock file nor a hidden file or folder."""
    rel = f.relative_to(root)
    return (
        f.is_file()
        and f.suffix.lower() in SUFFIXES + DATASET_SUFFIXES
        and not f.name.startswith("~$")  # Office lock file of an open workbook
        and not any(part.startswith(".") for part in rel.parts)  # .~lock…#, .git…
    )


# Spreadsheet formats we cannot read: each one found in a folder gets its own
# warning saying how to save it, so its rows are not lost without a word.
UNREADABLE_SPREADSHEETS = {
    ".xlsb": "classeur Excel binaire (.xlsb)",
    ".numbers": "classeur Numbers (Apple)",
    ".xltx": "modèle Excel (.xltx)",
    ".xltm": "modèle Excel (.xltm)",
    ".xlt": "modèle Excel (.xlt)",
    ".ots": "modèle LibreOffice (.ots)",
    ".fods": "classeur LibreOffice à plat (.fods)",
    ".sxc": "classeur OpenOffice 1 (.sxc)",
    ".wk1": "classeur Lotus",
    ".dbf": "table dBase",
}


def ignored_files(folder: Path) -> list[Issue]:
    """Warnings for the files of a folder that are not read: one per
    spreadsheet we cannot read, one listing the other files."""
    issues: list[Issue] = []
    others: list[str] = []
    for f in sorted(folder.rglob("*"), key=lambda f: str(f.relative_to(folder)).lower()):
        rel = f.relative_to(folder)
        if (
            not f.is_file()
            or f.name.startswith("~$")
            or any(part.startswith(".") for part in rel.parts)
            or _wanted(f, folder)
        ):
            continue
        kind = UNREADABLE_SPREADSHEETS.get(f.suffix.lower())
        if kind:
            issues.append(
                Issue(
                    severity="warning",
                    code="fichier-non-lu",
                    message=(
                        f"Fichier non lu : c’est un {kind}, format que l’annuaire ne sait pas lire ; "
                        "ses lignes ne sont pas comptées. Ouvrez-le et enregistrez-le au format "
                        ".xlsx, .ods ou .csv dans ce dossier."
                    ),
                    file=rel.as_posix(),
                )
            )
        else:
            others.append(rel.as_posix())
    if others:
        shown = ", ".join(others[:10]) + (f" et {len(others) - 10} autres" if len(others) > 10 else "")
        issues.append(
            Issue(
                severity="warning",
                code="fichier-non-lu",
                message=(
                    f"Fichiers du dossier non lus, ce ne sont pas des tableurs : {shown}. "
                    "Si l’un d’eux contient des services, enregistrez-le au format .xlsx, .ods ou .csv."
                ),
                file=folder.name or str(folder),
            )
        )
    return issues


def expand(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(path, name shown in messages) for every file to read, in order.

    A file given directly is shown by its base name; a file found in a
    folder by its path relative to that folder ('riom/sante.xlsx'), so two
    'communes.xlsx' in different folders stay distinct."""
    out: list[tuple[Path, str]] = []
    for given in paths:
        p = Path(given)
        if not p.exists():
            raise UnusableInput(
                f"{given} : fichier ou dossier introuvable. Vérifiez le chemin "
                "(les noms avec des espaces doivent être entre guillemets)."
            )
        if p.is_dir():
            found = sorted(
                (f for f in p.rglob("*") if _wanted(f, p)),
                key=lambda f: str(f.relative_to(p)).lower(),
            )
            if not found:
                raise UnusableInput(
                    f"{given} : ce dossier ne contient aucun tableur (.xlsx, .ods, .csv) ni jeu de "
                    "données national. Vérifiez le chemin, ou donnez les fichiers eux-mêmes."
                )
            out.extend((f, f.relative_to(p).as_posix()) for f in found)
        else:
            out.append((p, p.name))
    return out


def read_paths(paths: Iterable[str | Path], hints: Correspondences = NONE) -> LoadResult:
    """Every row of every file, with the issues found while reading.

    ``hints`` are the user's correspondences and options (``--typologie``,
    ``--source``, ``--correspondances``) for contributors' sheets."""
    rows: list[RawRow] = []
    mappings: list[SheetMapping] = []
    issues: list[Issue] = []
    files: list[str] = []
    paths = list(paths)
    given_files = {Path(p) for p in paths if Path(p).is_file()}
    found = expand(paths)
    for given in paths:
        if Path(given).is_dir():
            issues.extend(ignored_files(Path(given)))
    names = {Path(display).name for _, display in found}
    for path, display in found:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            # Before any reader opens it: the Rust reader aborts the process on
            # a file that claims a huge sheet (see annuaire.load.container).
            cell_errors = check_workbook(path, display)
        else:
            cell_errors = {}
        if path not in given_files:
            source = _annotated_source(path)
            if source and source != path.name and source in names:
                issues.append(
                    Issue(
                        severity="warning",
                        code="classeur-annote-ignore",
                        message=(
                            f"Copie annotée de {source} (annuaire validate --annote) : "
                            f"ignorée, ses lignes sont celles de {source}. "
                            f"Corrigez {source}, ou retirez {source} du dossier si c’est la copie "
                            "annotée que vous avez corrigée."
                        ),
                        file=display,
                    )
                )
                continue
        importer = detect(path)
        if importer is None:
            near = lookalike(path)
            if near is not None:
                imp, missing = near
                issues.append(
                    Issue(
                        severity="warning",
                        code="jeu-national-incomplet",
                        message=(
                            f"Ce fichier ressemble au jeu de données « {imp.title} » mais il lui manque "
                            f"{'la colonne' if len(missing) == 1 else 'les colonnes'} "
                            f"{', '.join(missing)} (autre édition du fichier ?) : il est lu comme un "
                            "tableau de contributeur, colonne par colonne. Vérifiez la correspondance "
                            "des colonnes (annuaire colonnes) et donnez la typologie si elle manque "
                            "(--typologie « France services »)."
                        ),
                        file=display,
                    )
                )
        if importer is None and path.suffix.lower() in DATASET_SUFFIXES:
            if Path(path) in given_files:
                raise UnusableInput(
                    f"{display} : ce fichier JSON n’est pas un jeu de données connu. Formats "
                    "reconnus : voir « annuaire import --help », ou fournissez un tableur."
                )
            continue  # some other JSON in a folder (settings…): not ours to read
        if importer is not None:
            for item in importer.read(path):
                (issues if isinstance(item, Issue) else rows).append(item)
        else:
            r, i, m = read_file(path, display, hints, cell_errors)
            rows.extend(r)
            issues.extend(i)
            mappings.extend(m)
        files.append(display)
    return LoadResult(rows=tuple(rows), issues=tuple(issues), files=tuple(files), mappings=tuple(mappings))


_ANNOTATED_TITLE = "Rapport de vérification — "


def _annotated_source(path: Path) -> str | None:
    """The file an annotated copy was made from (its « Rapport » sheet names
    it, see annuaire.workbooks.annotate), or None for any other file."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        return None
    try:
        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            if not name.strip().lower().startswith("rapport"):
                continue
            for row in wb.get_sheet_by_name(name).iter_rows():
                first = row[0] if row else None
                if isinstance(first, str) and first.startswith(_ANNOTATED_TITLE):
                    return first[len(_ANNOTATED_TITLE) :].strip() or None
                break
    except (
        python_calamine.CalamineError,
        python_calamine.XmlError,
        python_calamine.ZipError,
        python_calamine.PasswordError,
        ValueError,
        OSError,
    ):
        return None  # unreadable files are reported when they are read
    return None


__all__ = ["LoadResult", "read_paths", "expand"]
