"""Plain data passed between the pipeline stages.

Every stage takes and returns these frozen dataclasses; no stage reaches back
into another one.  The flow is::

    load      -> RawRow            (one per spreadsheet or dataset row)
    validate  -> Entry | rejected  (normalised, checked)
    merge     -> Entry             (duplicates across sources folded)
    group     -> Directory         (theme > group > sub-group > typology)
    layout    -> PageLog + PDF     (annuaire.pdf)

Problems are data too: every check yields :class:`Issue` objects that carry
their location (file, sheet, row, column) and a French message.

The classes made by the tens of thousands in a run (rows, entries, their
origins and providers, issues) have ``__slots__``: no dictionary per instance
(a 20,000-row build holds each of them for its whole length).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Mapping

Severity = Literal["error", "warning", "info"]  # info: a change reported, nothing to fix


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a row was read: the row number is the one Excel or LibreOffice
    shows (1-based, header included), or the line number for CSV/JSON lines."""

    file: str
    sheet: str | None
    row: int

    def describe(self) -> str:
        """French location, e.g. « communes.xlsx, feuille Santé, ligne 12 »."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"feuille « {self.sheet} »")
        parts.append(f"ligne {self.row}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Provider:
    """The structure or dataset that provides entries, credited in print.

    ``name`` is what the entry's attribution line prints ('FINESS (DREES)',
    'Mairie de Riom'); ``licence`` and ``date`` feed the colophon."""

    name: str
    licence: str | None = None
    date: date | None = None
    url: str | None = None
    dataset: str | None = None  # longer title of the dataset, for the colophon


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row as read, before any check.

    ``fields`` maps canonical field names (see ``FIELDS``) to the raw cell
    value (str, int, float, datetime, date or None).  ``columns`` maps the
    same names to the column as the user sees it, e.g. "E (Téléphone)", so
    messages can point at the cell.  Importers of national datasets also
    fill ``provider`` and ``ids`` (("siret", "…"), ("finess", "…"), ("uai", "…"))."""

    origin: Origin
    fields: Mapping[str, Any]
    columns: Mapping[str, str] = field(default_factory=dict)
    provider: Provider | None = None
    ids: tuple[tuple[str, str], ...] = ()
    # What the row says the service offers, printed as one short line
    # (« Urgences 24 h/24 », « BTS Comptabilité et gestion »): see Entry.services.
    services: tuple[str, ...] = ()
    # A supplement row (SAE urgences, périnatalité, SMUR/SAMU) is never an entry
    # of its own: it annotates the entry that shares its identifier of this
    # scheme ('finess'), or is reported when none does (annuaire.check.supplements).
    annotates: str | None = None
    # The commune was derived from the position alone (the dataset names none):
    # a merge takes the commune of a source that names it (see Entry.rough_place).
    rough_place: bool = False


# Canonical field names, in the order the template and readers use them.
FIELDS: tuple[str, ...] = (
    "nom",
    "typologie",
    "adresse",
    "complement",
    "code_postal",
    "commune",
    "code_insee",
    "telephone",
    "courriel",
    "site_web",
    "horaires",
    "description",
    "latitude",
    "longitude",
    "source",
    "mise_a_jour",
)


@dataclass(frozen=True, slots=True)
class Entry:
    """A validated, normalised directory entry, ready to print.

    Text fields hold print-ready French text (non-breaking spaces already in
    place).  ``origins`` lists every row the entry was built from (several
    after a merge); ``providers`` every structure to credit."""

    key: str  # stable identifier, unique in a run
    name: str
    typology: str  # typology code, see annuaire.reference.taxonomy
    commune: str  # official display name ('Le Puy-en-Velay')
    insee: str | None = None
    address: str | None = None
    address2: str | None = None
    postcode: str | None = None
    phone: str | None = None  # formatted '04 73 31 20 00' (NBSP inside)
    email: str | None = None
    website: str | None = None
    hours: tuple[str, ...] = ()  # printed lines, e.g. 'Lundi au vendredi : 8 h 30 – 12 h'
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    updated: date | None = None
    providers: tuple[Provider, ...] = ()
    origins: tuple[Origin, ...] = ()
    ids: tuple[tuple[str, str], ...] = ()
    # The postal code is a CEDEX code (a sorting office's, not the commune's):
    # printed '63003 Clermont-Ferrand Cedex'.  Set after merge from the
    # printed code (annuaire.check.clean.mark_cedex).
    cedex: bool = False
    # After a merge: which source gave each printed field, and its date
    # (field name, provider name, date), for `annuaire export`.
    field_sources: tuple[tuple[str, str, date | None], ...] = ()
    # Services offered, each a short printed phrase, gathered from every
    # source of the entry ('Urgences 24 h/24', 'Maternité de type 2', 'SMUR',
    # 'BTS : Comptabilité et gestion, Banque'); merge keeps them all, in order.
    services: tuple[str, ...] = ()
    # The commune was derived from a position only (Parcoursup, GPS stops): a
    # merge prefers the commune of a source that gives an address or a code.
    rough_place: bool = False


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in the input: an error rejects the row, a warning keeps it."""

    severity: Severity
    code: str  # stable, machine-readable: 'typologie-inconnue', 'telephone-invalide', …
    message: str  # French, says what is wrong and what to do
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    @classmethod
    def at(
        cls,
        severity: Severity,
        code: str,
        message: str,
        origin: Origin | None,
        column: str | None = None,
        value: Any = None,
    ) -> "Issue":
        return cls(
            severity=severity,
            code=code,
            message=message,
            file=origin.file if origin else None,
            sheet=origin.sheet if origin else None,
            row=origin.row if origin else None,
            column=column,
            value=None if value is None else str(value),
        )

    def location(self) -> str:
        """French location for terminal output."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"feuille « {self.sheet} »")
        if self.row is not None:
            parts.append(f"ligne {self.row}")
        if self.column:
            parts.append(f"colonne {self.column}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Merge:
    """Rows folded into one entry because they describe the same service."""

    kept: str  # key of the resulting entry
    merged: tuple[Origin, ...]  # every row folded in, kept one first
    reason: str  # French: 'même SIRET 123…', 'même nom, commune et typologie'


@dataclass(frozen=True)
class Counts:
    """The accounting identity:
    rows_read == printed + rejected + duplicates + out_of_scope + withdrawn.

    ``withdrawn``: entries superseded by a newer edition of their dataset or
    EPCI dissolved (annuaire.check.supersede), reported, not printed."""

    rows_read: int = 0
    printed: int = 0
    rejected: int = 0
    duplicates: int = 0
    out_of_scope: int = 0
    withdrawn: int = 0

    @property
    def balanced(self) -> bool:
        return self.rows_read == (self.printed + self.rejected + self.duplicates + self.out_of_scope + self.withdrawn)
