"""The edition file: who publishes and prints a directory (legal mentions, cover identity).

A printed publication in France carries, by the loi du 29 juillet 1881 sur la
liberté de la presse (art. 3) and the Code du patrimoine (dépôt légal), the
name and address of the printer, the publisher, the directeur de la
publication and the date of the dépôt légal.  These come from a small TOML
file given with ``annuaire build --edition edition.toml`` (a documented
example: ``docs/edition-exemple.toml``)::

    [editeur]
    nom = "Communauté de communes Riom Limagne et Volcans"
    adresse = "5 mail Jost Pasquier, 63200 Riom"
    logo = "logo.png"            # optional PNG or JPEG, relative to this file

    directeur_publication = "Frank Durand, président"
    depot_legal = "décembre 2026"

    [imprimeur]
    nom = "Imprimerie Exemple"
    adresse = "12 rue des Presses, 63000 Clermont-Ferrand"

:func:`missing` lists, in French, the mentions that are absent: the build
warns about each, and the colophon prints the ones present.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from annuaire.errors import UnusableInput

KEYS = {"editeur": ("nom", "adresse", "logo"), "imprimeur": ("nom", "adresse")}
TOP = ("directeur_publication", "depot_legal", "editeur", "imprimeur")


@dataclass(frozen=True)
class Edition:
    publisher: str | None = None
    publisher_address: str | None = None
    logo: Path | None = None  # an image file for the cover
    director: str | None = None  # directeur de la publication
    legal_deposit: str | None = None  # « décembre 2026 »
    printer: str | None = None
    printer_address: str | None = None

    def mentions(self) -> tuple[tuple[str, str], ...]:
        """(label, text) of the legal mentions present, in the colophon's order."""
        out = []
        if self.publisher:
            out.append(("Éditeur", ", ".join(p for p in (self.publisher, self.publisher_address) if p)))
        if self.director:
            out.append(("Directeur de la publication", self.director))
        if self.printer:
            out.append(("Imprimeur", ", ".join(p for p in (self.printer, self.printer_address) if p)))
        if self.legal_deposit:
            out.append(("Dépôt légal", self.legal_deposit))
        return tuple(out)


def missing(edition: Edition | None) -> list[str]:
    """French warnings for each legal mention (loi du 29 juillet 1881, art. 3) that is absent."""
    e = edition or Edition()
    law = "mention obligatoire (loi du 29 juillet 1881, art. 3)"
    out = []
    if not e.publisher:
        out.append(f"Éditeur absent : {law}. Donnez [editeur] nom et adresse dans le fichier d’édition (--edition).")
    elif not e.publisher_address:
        out.append("Adresse de l’éditeur absente : ajoutez [editeur] adresse dans le fichier d’édition.")
    if not e.director:
        out.append(f"Directeur de la publication absent : {law}. Ajoutez directeur_publication au fichier d’édition.")
    if not e.printer or not e.printer_address:
        out.append(
            f"Nom et adresse de l’imprimeur absents : {law}. Ajoutez [imprimeur] nom et adresse au fichier d’édition."
        )
    if not e.legal_deposit:
        out.append(
            "Date du dépôt légal absente : ajoutez depot_legal (par exemple « décembre 2026 ») au fichier d’édition."
        )
    return out


LOGO_FORMATS = ("PNG", "JPEG")


def check_logo(path: Path, where: str) -> None:
    """:class:`UnusableInput` naming ``where`` unless ``path`` is a PNG or JPEG
    image that decodes.  The cover embeds it converted to CMYK (print inks),
    so any colour mode is accepted; a vector logo (SVG, PDF, EPS) must be
    exported first."""
    from PIL import Image, UnidentifiedImageError

    fix = "Exportez le logo en PNG ou JPEG, de préférence à 300 ppi à sa taille imprimée (4 à 5 cm de large)."
    try:
        with Image.open(path) as im:
            fmt = im.format
            if fmt in LOGO_FORMATS:
                im.load()
    except Image.DecompressionBombError as exc:
        raise UnusableInput(f"Logo refusé, {where} : image démesurée ({exc}). {fix}") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        kind = path.suffix.lower().lstrip(".").upper()
        what = (
            f"un fichier {kind} n’est pas pris en charge"
            if kind in ("SVG", "PDF", "EPS", "AI")
            else "ce n’est pas une image PNG ou JPEG lisible"
        )
        raise UnusableInput(f"Logo illisible, {where} : {what}. {fix}") from exc
    if fmt not in LOGO_FORMATS:
        raise UnusableInput(f"Logo au format {fmt}, {where} : seuls PNG et JPEG sont acceptés. {fix}")


def load_edition(path: str | Path) -> Edition:
    """Read an edition file; :class:`UnusableInput` with a French message for an unreadable
    file, an unknown key or a logo that does not exist or is not a readable PNG or JPEG."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UnusableInput(f"Fichier d’édition illisible : {path} ({exc.strerror or exc}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UnusableInput(f"Le fichier d’édition {path.name} n’est pas un TOML valide : {exc}.") from exc
    for k in data:
        if k not in TOP:
            raise UnusableInput(
                f"Clé inconnue dans le fichier d’édition {path.name} : « {k} ». Clés possibles : {', '.join(TOP)}."
            )
    for table, keys in KEYS.items():
        sub = data.get(table, {})
        if not isinstance(sub, dict):
            raise UnusableInput(f"« {table} » doit être une table TOML ([{table}]) dans {path.name}.")
        for k in sub:
            if k not in keys:
                raise UnusableInput(
                    f"Clé inconnue dans [{table}] du fichier d’édition {path.name} : « {k} ». "
                    f"Clés possibles : {', '.join(keys)}."
                )

    def text(v, where: str) -> str | None:
        if v is None:
            return None
        if not isinstance(v, str):
            raise UnusableInput(f"« {where} » doit être un texte entre guillemets dans {path.name}.")
        return v.strip() or None

    ed, pr = data.get("editeur", {}), data.get("imprimeur", {})
    logo = text(ed.get("logo"), "editeur.logo")
    logo_path = None
    if logo:
        logo_path = (path.parent / logo).resolve()
        if not logo_path.is_file():
            raise UnusableInput(f"Logo introuvable : {logo} (chemin relatif au fichier d’édition {path.name}).")
        check_logo(logo_path, f"« editeur.logo = {logo} » du fichier d’édition {path.name}")
    return Edition(
        publisher=text(ed.get("nom"), "editeur.nom"),
        publisher_address=text(ed.get("adresse"), "editeur.adresse"),
        logo=logo_path,
        director=text(data.get("directeur_publication"), "directeur_publication"),
        legal_deposit=text(data.get("depot_legal"), "depot_legal"),
        printer=text(pr.get("nom"), "imprimeur.nom"),
        printer_address=text(pr.get("adresse"), "imprimeur.adresse"),
    )
