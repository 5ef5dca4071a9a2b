"""Exceptions for fatal conditions only.

Row-level problems are :class:`annuaire.model.Issue` data, never exceptions.
These are raised when a run cannot go on at all; ``cli.py`` turns them into
a French message and exit code 2.  Every message is French and says what to do.
"""


class AnnuaireError(Exception):
    """Base class: ``str(exc)`` is a French message for the user."""


class UnusableInput(AnnuaireError):
    """A path that is missing, not a spreadsheet, or has no header row."""


class NoHeaderRow(UnusableInput):
    """A readable spreadsheet in which no sheet has a header row.

    ``file`` is the file as shown in messages; ``sheets`` the sheet names
    looked at.  ``annuaire validate`` still writes its report and the
    annotated workbook (which explains what to do) before exiting."""

    def __init__(self, message: str, file: str, sheets: tuple[str | None, ...] = ()) -> None:
        super().__init__(message)
        self.file = file
        self.sheets = sheets


class UnknownTheme(AnnuaireError):
    """A theme slug that Annex 1 does not have."""


class UnknownLayout(AnnuaireError):
    """A layout name with no file in layouts/, or a layout file that is invalid."""


class UnknownTerritory(AnnuaireError):
    """A territory (commune, EPCI, département) that cannot be found or is ambiguous."""


class LayoutFailure(AnnuaireError):
    """Something that cannot be laid out (an entry taller than a page)."""


class OverwritesInput(AnnuaireError):
    """An output path that is one of the inputs (or two outputs that are one file)."""


class OutputFailure(AnnuaireError):
    """An output file that cannot be written (folder missing or protected, disk full)."""
