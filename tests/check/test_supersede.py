"""Successive editions of a dataset, dissolved EPCI and renamed institutions,
on verbatim records of ../shared/data (tests/fixtures/supersede/, rebuilt by
scripts/make_supersede_fixtures.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annuaire import pipeline
from annuaire.check import supersede
from annuaire.model import Counts, Entry, Origin, Provider
from annuaire.reference import sources

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "supersede"


@pytest.fixture(scope="module")
def prepared():
    return pipeline.prepare(sorted(FIXTURES.iterdir()))


def _names(prepared):
    return {e.name for e in prepared.entries}


def _issues(prepared, code):
    return [i for i in prepared.issues if i.code == code]


def test_accounting_identity_counts_withdrawn(prepared):
    counts = Counts(
        rows_read=prepared.rows_read,
        printed=len(prepared.entries),
        rejected=prepared.rejected,
        duplicates=prepared.duplicates,
        withdrawn=prepared.withdrawn,
    )
    assert prepared.rows_read == 29
    assert prepared.withdrawn == 4
    assert counts.balanced


def test_pole_emploi_agency_that_france_travail_no_longer_lists_is_withdrawn(prepared):
    names = _names(prepared)
    assert "Pôle emploi de Cusset" not in names and "France Travail de Cusset" not in names
    assert {"France Travail - Moulins", "France Travail - Vichy", "France Travail - Varennes-sur-Allier"} <= names
    [issue] = [i for i in _issues(prepared, "entree-retiree") if i.value == "Pôle emploi de Cusset"]
    assert (issue.file, issue.row) == ("dila_annuaire_services_publics_2016_auvergne.jsonl", 1)
    assert "Annuaire de l’administration (DILA)" in issue.message and "août 2025" in issue.message
    assert "l’Allier" in issue.message


def test_msap_that_did_not_become_france_services_is_withdrawn(prepared):
    assert "Maison de services au public - Salers" not in _names(prepared)
    assert "France services La Poste de Vic-sur-Cère" in _names(prepared)
    [issue] = [i for i in _issues(prepared, "entree-retiree") if "Salers" in i.value]
    assert "France services (ANCT)" in issue.message


def test_partial_coverage_withdraws_nothing(prepared):
    """The 2019 extraction has one TGI for the region: the 2016 CIVI and the
    tribunal pour enfants of the Puy-de-Dôme stay."""
    names = _names(prepared)
    assert "Commission d’indemnisation des victimes d’infractions de Riom" in names
    assert "Tribunal pour enfants de Clermont-Ferrand" in names


def test_tgi_printed_under_todays_name_and_reported(prepared):
    assert "Tribunal judiciaire de Clermont-Ferrand" in _names(prepared)
    [issue] = [i for i in _issues(prepared, "nom-actualise") if "grande instance" in i.value]
    assert issue.severity == "info"
    assert "loi n° 2019-222" in issue.message and "1er janvier 2020" in issue.message


def test_dissolved_epci_withdrawn_current_ones_kept(prepared):
    names = _names(prepared)
    assert "Communauté de communes Sancy Artense" not in names
    assert "Communauté de communes - Dômes Sancy Artense" in names
    assert "Communauté de communes - Pays de Salers" in names
    assert "Clermont Auvergne Métropole" in names  # Clermont Communauté, renamed
    found = {(i.value, i.row) for i in _issues(prepared, "epci-dissoute")}
    assert found == {("Communauté de communes Sancy Artense", 11), ("Communauté de communes du Pays de Massiac", 6)}


def _entry(name, typology, insee, provider_key, row):
    prov = sources.provider(provider_key)
    return Entry(
        key=f"{provider_key}#{row}",
        name=name,
        typology=typology,
        commune="x",
        insee=insee,
        providers=(prov,),
        origins=(Origin(provider_key, None, row),),
    )


def test_a_sample_of_a_newer_edition_does_not_withdraw_what_it_omits():
    # 3 mairies of the Allier in a 2025 sample against 10 in 2019: no coverage.
    old = [_entry(f"Mairie - Commune {i}", "SP04", f"03{i:03d}", "dila-2019", i) for i in range(10)]
    new = [_entry(f"Mairie - Autre {i}", "SP04", f"03{i + 100:03d}", "dila-2025", i) for i in range(3)]
    result = supersede.supersede(old + new)
    assert not result.withdrawn and len(result.entries) == 13


def test_entry_that_another_source_still_gives_is_kept():
    old = _entry("CLIC de Moulins", "SA24", "03190", "dila-2016", 1)
    old = replace(old, providers=old.providers + (Provider(name="Mairie de Moulins"),))
    newer = [_entry(f"CLIC {i}", "SA24", "03190", "dila-2019", i) for i in range(2)]
    result = supersede.supersede([old] + newer)
    assert not result.withdrawn


@pytest.mark.parametrize(
    "name",
    [
        "Communauté de communes - Pays de Salers",
        "CC du Pays de Salers",
        "Communauté - Hautes Terres",
    ],
)
def test_epci_names_match_the_reference(name):
    insee = "15219" if "Salers" in name else "15138"  # Salers; Murat
    e = Entry(key="k", name=name, typology="SP07", commune="x", insee=insee)
    assert supersede.current_epci(e) is not None
