"""Registry of the providers of national datasets, credited in print.

``data/sources.csv`` holds one row per dataset: the name printed in each
entry's attribution line ('FINESS (DREES)'), the dataset title, its licence,
the date of the data and the publisher's page.  Importers take their
:class:`~annuaire.model.Provider` from here with :func:`provider`; a
contributor sheet whose *Source* column names a known provider gets the
licence and date back through :func:`lookup`, so the colophon can credit it.

Dates are the state of the data, not the day we copied it: the extraction
date when the publisher gives one, else the latest date we can vouch for
(the commit that stored the file) — see ../shared/data/SOURCES.md.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import lru_cache
from importlib import resources

from annuaire.text.collate import plain
from annuaire.model import Provider


def _key(text: str) -> str:
    """Comparison key: no accents, no case, apostrophes and dashes unified,
    so 'Annuaire de l'administration (DILA)' finds the curly-quoted name."""
    s = plain(str(text))
    s = re.sub(r"[’'`´]", "'", s)
    s = re.sub(r"[‐-―-]", "-", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip(" .")


@lru_cache(maxsize=1)
def _registry() -> dict[str, Provider]:
    out: dict[str, Provider] = {}
    path = resources.files("annuaire.data").joinpath("sources.csv")
    with path.open("rb") as raw:
        text = raw.read().decode("utf-8")
    for r in csv.DictReader(io.StringIO(text, newline="")):
        out[r["key"]] = Provider(
            name=r["name"],
            licence=r["licence"] or None,
            date=date.fromisoformat(r["date"]) if r["date"] else None,
            url=r["url"] or None,
            dataset=r["dataset"] or None,
        )
    return out


def keys() -> tuple[str, ...]:
    """Keys of every registered dataset, in file order."""
    return tuple(_registry())


def providers() -> tuple[Provider, ...]:
    return tuple(_registry().values())


def provider(key: str) -> Provider:
    """The provider registered under ``key`` ('finess', 'dila-2025', …);
    KeyError if the key is unknown (a programming error, not a user one)."""
    return _registry()[key]


def lookup(name: object) -> Provider | None:
    """The provider whose printed name (or key) matches ``name``, ignoring
    case, accents and apostrophe style; None for any other source (a mairie,
    an association), which is then credited by name only."""
    if name is None:
        return None
    k = _key(str(name))
    return _by_key().get(k) if k else None


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Provider]:
    """Comparison key of each provider's name and registry key → provider
    (the first in file order on a clash): ``lookup`` runs once per row."""
    out: dict[str, Provider] = {}
    for key, p in _registry().items():
        out.setdefault(_key(p.name), p)
        out.setdefault(_key(key), p)
    return out
