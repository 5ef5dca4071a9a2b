"""Stale records withdrawn, renamed institutions printed under today's name.

Runs after :mod:`annuaire.check.merge`, on the merged entries.

**Supersession.**  Successive editions (millésimes) of one dataset replace
each other: service-public.fr 2016 → 2019 → 2025, France services 2020 →
2024, Pôle emploi in service-public.fr 2016 → France Travail 2025.  The
lineages are the reviewable table ``annuaire/data/millesimes.csv`` (provider
key of ``sources.csv`` → lineage).  Where a newer edition *covers* a typology
in a département, an entry made only of older editions' records of that
typology and département, which the newer one does not contain (no record of
it was merged into the entry), is **withdrawn**: the service closed, moved or
was renamed.  It is reported (``entree-retiree``, one warning per row, with
the newer source) and counted in ``Counts.withdrawn``, never silently dropped.

Coverage is judged per typology *and* département, and an edition covers
them only when it has at least ``COVERAGE`` (half) as many entries there as
the fullest older edition, and at least ``MIN_COVER`` (two): the 2019 extraction has one TGI for the whole
region and the 2025 file is a sample of 17 rows, so neither may withdraw
what they simply do not list.  An entry that another, non-lineage source
also gives (FINESS, a contributor's sheet) is kept.

**Dissolved EPCI.**  The bundled EPCI reference (``epci.json``, Etalab
découpage administratif) is the authority on the intercommunalités that exist
today: an EPCI entry (typology SP07) that is none of them — by SIREN, or by
name with its seat among the EPCI's member communes — is withdrawn as
dissolved (``epci-dissoute``).

**Renamings.**  Institutions renamed by law since the data was published
(``annuaire/data/renommages.csv``: pattern, today's name, date, legal text)
are printed under today's name when the entry's data predate the change; each
renaming is reported (``nom-actualise``, severity ``info``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Iterable

from annuaire.check.normalise.dates import format_date
from annuaire.model import Entry, Issue
from annuaire.reference import sources, taxonomy
from annuaire.reference.geo import gazetteer
from annuaire.text.collate import plain

COVERAGE = 0.5
# Fewer entries than this in a cell never cover it: one record is no evidence
# that an edition lists a typology everywhere in a département.
MIN_COVER = 2
EPCI_TYPOLOGY = "SP07"
_DEPARTEMENTS = {"03": "l’Allier", "15": "le Cantal", "43": "la Haute-Loire", "63": "le Puy-de-Dôme"}


@dataclass(frozen=True)
class SupersedeResult:
    entries: tuple[Entry, ...]  # still printed
    withdrawn: tuple[Entry, ...]
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class Renaming:
    pattern: re.Pattern
    new: str
    since: date
    text: str


def _table(name: str) -> list[dict[str, str]]:
    with resources.files("annuaire.data").joinpath(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=None)
def lineages() -> dict[str, str]:
    """Provider key → lineage (millesimes.csv)."""
    return {r["source"].strip(): r["lignee"].strip() for r in _table("millesimes.csv")}


@lru_cache(maxsize=None)
def renamings() -> tuple[Renaming, ...]:
    return tuple(
        Renaming(re.compile(r["motif"], re.IGNORECASE), r["nouveau"], date.fromisoformat(r["date"]), r["texte"])
        for r in _table("renommages.csv")
    )


@lru_cache(maxsize=None)
def _key_of_name() -> dict[str, str]:
    return {sources.provider(k).name: k for k in sources.keys()}


def _editions(e: Entry) -> list[tuple[str, date]]:
    """(provider key, date of the data) of the entry's lineage editions."""
    out = []
    for p in e.providers:
        key = _key_of_name().get(p.name)
        if key in lineages() and p.date is not None:
            out.append((key, p.date))
    return out


def _outside_lineages(e: Entry) -> bool:
    """Some provider of the entry is not a lineage edition (FINESS, a contributor)."""
    return any(_key_of_name().get(p.name) not in lineages() for p in e.providers)


def _dept(e: Entry) -> str:
    return (e.insee or "")[:2]


def _where(e: Entry) -> str:
    return _DEPARTEMENTS.get(_dept(e), f"le département {_dept(e)}")


def _withdrawn_issues(e: Entry, code: str, message: str) -> list[Issue]:
    return [Issue.at("warning", code, message, o, column=None, value=e.name) for o in e.origins]


def _supersede(entries: list[Entry]) -> tuple[list[Entry], list[Entry], list[Issue]]:
    # Entries per (lineage, typology, département, edition).
    count: dict[tuple[str, str, str], dict[tuple[str, date], int]] = {}
    for e in entries:
        for key, when in set(_editions(e)):
            cell = count.setdefault((lineages()[key], e.typology, _dept(e)), {})
            cell[(key, when)] = cell.get((key, when), 0) + 1
    # The newest edition that covers each cell (see COVERAGE).
    covering: dict[tuple[str, str, str], tuple[str, date, int]] = {}
    for cell, editions in count.items():
        ordered = sorted(editions.items(), key=lambda kv: kv[0][1])
        for i in range(len(ordered) - 1, 0, -1):
            (key, when), n = ordered[i]
            fullest = max(m for _, m in ordered[:i])
            if n >= max(MIN_COVER, COVERAGE * fullest):
                covering[cell] = (key, when, n)
                break
    kept, withdrawn, issues = [], [], []
    for e in entries:
        eds = _editions(e)
        if not eds or _outside_lineages(e):
            kept.append(e)
            continue
        lineage = lineages()[eds[0][0]]
        cover = covering.get((lineage, e.typology, _dept(e)))
        newest = max(when for _, when in eds)
        if cover is None or newest >= cover[1]:
            kept.append(e)
            continue
        newer = sources.provider(cover[0])
        label = taxonomy.typology(e.typology).print_label
        olds = ", ".join(sorted({sources.provider(k).name for k, _ in eds}))
        withdrawn.append(e)
        issues += _withdrawn_issues(
            e,
            "entree-retiree",
            (
                f"Entrée retirée : « {e.name} » ({e.commune}) vient de {olds}, remplacé par {newer.name} "
                f"(données du {_date(cover[1])}), qui donne {cover[2]} « {label} » dans {_where(e)} "
                "mais plus celle-ci : service fermé, déplacé ou renommé. Si le service existe encore, "
                "ajoutez-le dans un tableur avec ses coordonnées à jour."
            ),
        )
    return kept, withdrawn, issues


_KIND = re.compile(
    r"\b(communaute|communautes|communes|commune|d|de|du|des|la|le|les|l|et|agglomeration|agglo|"
    r"metropole|cc|ca|cu)\b"
)


def epci_key(name: str) -> str:
    """An EPCI's distinctive words: 'Communauté de communes - Pays de Salers'
    and 'CC du Pays de Salers' → 'pays salers'."""
    name = re.sub(r"\([^)]*\)", " ", name)  # '(API)'
    words = _KIND.sub(" ", re.sub(r"[^a-z0-9]+", " ", plain(name).lower()))
    return " ".join(words.split())


def current_epci(e: Entry):
    """The EPCI of the reference that the entry is, or None."""
    epcis = gazetteer().epcis
    sirens = {v[:9] for k, v in e.ids if k in ("siret", "siren") and v}
    for x in epcis:
        if x.siren in sirens:
            return x
    key = epci_key(e.name)
    if not key:
        return None
    from rapidfuzz import fuzz

    for x in epcis:
        ref = epci_key(x.name)
        if not ref:
            continue
        seat_ok = e.insee in x.members
        # Not a subset test: 'Sancy Artense' (dissolved) is not 'Dômes Sancy Artense'.
        if seat_ok and (key == ref or fuzz.token_sort_ratio(key, ref) >= 90):
            return x
    return None


def _dissolved(entries: list[Entry]) -> tuple[list[Entry], list[Entry], list[Issue]]:
    kept, withdrawn, issues = [], [], []
    for e in entries:
        if e.typology != EPCI_TYPOLOGY or current_epci(e) is not None:
            kept.append(e)
            continue
        withdrawn.append(e)
        issues += _withdrawn_issues(
            e,
            "epci-dissoute",
            (
                f"Entrée retirée : « {e.name} » ({e.commune}) n’est pas une intercommunalité existante "
                "selon le référentiel des EPCI (découpage administratif Etalab, annuaire/data/epci.json) : "
                "elle a été dissoute ou fusionnée (la plupart en 2017). L’intercommunalité d’aujourd’hui "
                "est imprimée si une source la donne ; sinon ajoutez-la dans un tableur."
            ),
        )
    return kept, withdrawn, issues


def _data_date(e: Entry) -> date | None:
    dates = [p.date for p in e.providers if p.date]
    if e.updated:
        dates.append(e.updated)
    return max(dates) if dates else None


def _date(d: date) -> str:
    return format_date(d).replace("\u00a0", " ")  # messages go to terminals and cell comments


def _match_case(old: str, new: str) -> str:
    return new[:1].lower() + new[1:] if old[:1].islower() else new


def rename(e: Entry) -> tuple[Entry, list[Issue]]:
    """The entry under today's name (renommages.csv) and one info issue per renaming."""
    when = _data_date(e)
    name, issues = e.name, []
    for r in renamings():
        if when is not None and when >= r.since:
            continue
        new_name = r.pattern.sub(lambda m, r=r: _match_case(m.group(0), m.expand(r.new)), name)
        if new_name != name:
            issues.append(
                Issue.at(
                    "info",
                    "nom-actualise",
                    f"« {name} » est imprimé sous son nom actuel « {new_name} » : changement du "
                    f"{_date(r.since)} ({r.text}), postérieur aux données ({_date(when) if when else 'sans date'}).",
                    e.origins[0] if e.origins else None,
                    column=None,
                    value=name,
                )
            )
            name = new_name
    return (replace(e, name=name) if name != e.name else e), issues


def supersede(entries: Iterable[Entry]) -> SupersedeResult:
    """Withdraw superseded and dissolved entries; rename the others."""
    kept, gone, issues = _supersede(list(entries))
    # Renamed before the EPCI check: 'Clermont Communauté' is Clermont Auvergne Métropole.
    renamed = []
    for e in kept:
        e2, found = rename(e)
        renamed.append(e2)
        issues += found
    kept, dissolved, found = _dissolved(renamed)
    issues += found
    return SupersedeResult(tuple(kept), tuple(gone + dissolved), tuple(issues))


__all__ = ["SupersedeResult", "supersede", "rename", "current_epci", "epci_key", "lineages", "renamings", "COVERAGE"]
