"""Region-wide batches: incremental builds, isolation of failures, parallel and
Dask runs giving the same bytes.

The input is a small real dataset (hospitals, France services, stations and
France Travail agencies of the four départements, about 280 entries).  Most
tests use a fake build (fast, deterministic bytes that depend on the entries
exactly as the real one does); the byte-for-byte comparisons also run the
real pipeline.build_edition.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from annuaire import pipeline

from annuaire.editions import batch
from annuaire.errors import AnnuaireError, LayoutFailure, UnknownTerritory, UnknownTheme
from annuaire.model import Counts

# The shared data sits beside the repository (../shared/data), as in CI.
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FILES = [
    "sae_2023_etablissements_sante_auvergne.csv",
    "france_services_20240801_auvergne.csv",
    "gares_voyageurs_sncf_auvergne.csv",
    "france_travail_annuaire_202508_auvergne.csv",
]
THEMES = ["sante", "vie-pratique", "services-publics"]

pytestmark = pytest.mark.skipif(
    not all((DATA / f).is_file() for f in FILES), reason="jeu de données partagé absent (../shared/data)"
)


@pytest.fixture(scope="module")
def prepared() -> pipeline.Prepared:
    p = pipeline.prepare([DATA / f for f in FILES])
    assert 250 <= len(p.entries) <= 400
    return p


def fake_build(prepared: pipeline.Prepared, options: pipeline.BuildOptions):
    """Selects like the real build; the 'PDF' is a hash of what it prints."""
    where = pipeline.territory.resolve(options.territory)
    chosen = pipeline.select(prepared.entries, pipeline.theme_slugs(options.theme), where)
    if not chosen:
        raise pipeline.EmptyEdition("aucune entrée")
    body = "\n".join(repr(e) for e in chosen).encode()
    Path(options.out).write_bytes(
        b"%PDF-1.7 fake\n"
        + hashlib.sha256(body).hexdigest().encode()
        + f"\n{options.theme} {where.name} {options.layout}\n".encode()
    )
    return pipeline.BuildResult(
        out=Path(options.out),
        counts=Counts(printed=len(chosen)),
        pages=1 + len(chosen) // 8,
        entries=len(chosen),
        issues=(),
        merges=(),
        page_log=(),
        preflight=None,
        seconds=0.0,
        territory=where.name,
    )


def failing_build(prepared, options):
    """Fails for two editions of the Cantal, in two different ways."""
    where = pipeline.territory.resolve(options.territory)
    if where.code == "15" and options.theme == "vie-pratique":
        raise RuntimeError("panne simulée")
    if where.code == "15" and options.theme == "sante":
        raise LayoutFailure("Une entrée est plus haute qu'une page : raccourcissez sa description.")
    return fake_build(prepared, options)


def run(prepared, out, by="departement", themes=THEMES, **kw):
    kw.setdefault("build", fake_build)
    kw.setdefault("jobs", 1)
    return batch.run_batch(prepared, by, themes, out_dir=out, **kw)


def status(result) -> dict[tuple[str, str], str]:
    return {(e.territory.code, e.theme): e.status for e in result.editions}


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.pdf"))}


def with_phone(prepared, predicate, phone="04 71 00 00 00"):
    """A copy of the input where the first entry matching predicate has a new phone."""
    entries = list(prepared.entries)
    i = next(i for i, e in enumerate(entries) if predicate(e))
    entries[i] = replace(entries[i], phone=phone)
    return replace(prepared, entries=tuple(entries)), entries[i]


# --------------------------------------------------------------------------
# Incremental builds


def test_first_run_builds_second_run_builds_nothing(prepared, tmp_path):
    first = run(prepared, tmp_path)
    assert len(first.editions) == 12 and not first.failed
    assert {e.status for e in first.editions} == {"built"}
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(e.out.name for e in first.editions)
    assert (tmp_path / "annuaire-sante-cantal.pdf").is_file()
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.glob("*.pdf")}

    second = run(prepared, tmp_path)
    assert {e.status for e in second.editions} == {"skipped"}
    assert not second.built
    assert {p: p.stat().st_mtime_ns for p in tmp_path.glob("*.pdf")} == mtimes
    # Entries and pages of a skipped edition come from the manifest.
    assert [(e.entries, e.pages) for e in second.editions] == [(e.entries, e.pages) for e in first.editions]
    assert not (tmp_path / batch._PARTIAL_DIR).exists()


def test_changed_entry_rebuilds_only_its_editions(prepared, tmp_path):
    run(prepared, tmp_path)
    changed, entry = with_phone(prepared, lambda e: e.insee == "15014" and e.typology.startswith("SA"))
    again = run(changed, tmp_path)
    assert {k for k, s in status(again).items() if s == "built"} == {("15", "sante")}
    # By EPCI: the CA du Bassin d'Aurillac, and only it.
    epci_dir = tmp_path / "epci"
    run(prepared, epci_dir, by="epci", themes=["sante"])
    again = run(changed, epci_dir, by="epci", themes=["sante"])
    assert [e.territory.code for e in again.built] == ["241500230"]
    assert all(e.status in ("skipped", "vide") for e in again.editions if e.territory.code != "241500230")


def test_entry_with_an_old_insee_code_counts_for_its_current_commune(prepared, tmp_path):
    # The station of Pers is coded 15150 (merged into Le Rouget-Pers, 15268).
    pers = [e for e in prepared.entries if e.insee in ("15150", "15268")]
    assert pers
    run(prepared, tmp_path, by="epci", themes=["vie-pratique"])
    changed, _ = with_phone(prepared, lambda e: e.insee in ("15150", "15268"))
    again = run(changed, tmp_path, by="epci", themes=["vie-pratique"])
    assert [e.territory.name for e in again.built] == ["Communauté de communes de la Châtaigneraie Cantalienne"]


def test_missing_or_modified_pdf_is_rebuilt(prepared, tmp_path):
    run(prepared, tmp_path)
    (tmp_path / "annuaire-sante-allier.pdf").unlink()
    with (tmp_path / "annuaire-vie-pratique-cantal.pdf").open("ab") as fh:
        fh.write(b"retouche")
    again = run(prepared, tmp_path)
    assert {k for k, s in status(again).items() if s == "built"} == {("03", "sante"), ("15", "vie-pratique")}
    assert run(prepared, tmp_path).built == ()


def test_code_layout_or_options_change_rebuilds_everything(prepared, tmp_path, monkeypatch):
    layout = tmp_path / "maquette.toml"
    shutil.copy(Path(pipeline.__file__).resolve().parent / "layouts" / "a5.toml", layout)
    out = tmp_path / "out"
    run(prepared, out, layout=layout)
    assert run(prepared, out, layout=layout).built == ()
    layout.write_text(layout.read_text(encoding="utf-8") + "\n# retouche\n", encoding="utf-8")
    assert len(run(prepared, out, layout=layout).built) == 12
    monkeypatch.setattr(batch, "code_version", lambda fresh=False: "une autre version")
    assert len(run(prepared, out, layout=layout).built) == 12
    assert run(prepared, out, layout=layout).built == ()
    opts = pipeline.BuildOptions(crop_marks=True)
    assert len(run(prepared, out, layout=layout, options=opts).built) == 12
    assert len(run(prepared, out, layout=layout, force=True, options=opts).built) == 12


def test_manifest_is_valid_json_and_a_broken_one_rebuilds(prepared, tmp_path):
    run(prepared, tmp_path)
    data = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert data["format"] == batch.MANIFEST_FORMAT
    rec = data["editions"]["annuaire-sante-puy-de-dome.pdf"]
    assert rec["territory"] == "63" and rec["theme"] == "sante" and len(rec["key"]) == 64
    assert not list(tmp_path.glob(".manifest-*"))  # no temporary file left
    (tmp_path / "manifest.json").write_text("{ pas du json", encoding="utf-8")
    assert len(run(prepared, tmp_path).built) == 12


def test_code_version_covers_the_package():
    v = batch.code_version()
    assert len(v) == 64 and v == batch.code_version()


# --------------------------------------------------------------------------
# Empty editions and failures


def test_empty_editions_are_listed_not_built(prepared, tmp_path):
    result = run(prepared, tmp_path, by="epci", themes=["sante"])
    empty = result.empty
    assert empty and all(e.entries == 0 for e in empty)
    assert not any(e.out.exists() for e in empty)
    assert len(result.editions) == 46
    table = result.table_fr()
    assert "vide" in table and "construite" in table


def test_stale_pdf_of_an_edition_now_empty_is_removed(prepared, tmp_path):
    run(prepared, tmp_path, themes=["services-publics"])
    pdf = tmp_path / "annuaire-services-publics-cantal.pdf"
    assert pdf.is_file()
    kept = replace(prepared, entries=tuple(e for e in prepared.entries if not (e.insee or "").startswith("15")))
    again = run(kept, tmp_path, themes=["services-publics"])
    assert status(again)[("15", "services-publics")] == "vide"
    assert not pdf.exists()
    gone = next(e for e in again.editions if e.territory.code == "15")
    assert "supprimée" in gone.message


def test_one_failing_edition_does_not_stop_the_batch(prepared, tmp_path):
    result = run(prepared, tmp_path, build=failing_build, jobs=2)
    failed = {(e.territory.code, e.theme): e for e in result.failed}
    assert set(failed) == {("15", "vie-pratique"), ("15", "sante")}
    assert len(result.built) == 10
    assert "panne simulée" in failed[("15", "vie-pratique")].message
    assert "erreur inattendue" in failed[("15", "vie-pratique")].message
    assert failed[("15", "sante")].message.startswith("Une entrée est plus haute")
    assert "Traceback" not in result.table_fr()
    assert "Échec — Cantal, sante : Une entrée est plus haute" in result.table_fr()
    assert not (tmp_path / "annuaire-sante-cantal.pdf").exists()
    # The next run retries the failed editions only.
    again = run(prepared, tmp_path, build=fake_build)
    assert {k for k, s in status(again).items() if s == "built"} == set(failed)


def test_fatal_problems_raise_before_building(prepared, tmp_path):
    with pytest.raises(UnknownTheme):
        run(prepared, tmp_path, themes=["sante", "cuisine"])
    with pytest.raises(UnknownTerritory):
        run(prepared, tmp_path, by="canton")
    with pytest.raises(AnnuaireError):
        run(prepared, tmp_path, layout="n-existe-pas")
    assert not list(tmp_path.glob("*.pdf"))


def test_progress_reaches_the_total(prepared, tmp_path):
    seen = []
    run(prepared, tmp_path, progress=lambda done, total: seen.append((done, total)), jobs=2)
    assert seen[-1] == (12, 12)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_counts_are_the_batch_accounting(prepared, tmp_path):
    result = run(prepared, tmp_path)
    e = result.built[0]
    counts = e.result.counts
    assert counts.printed == e.entries and counts.rows_read == prepared.rows_read
    assert counts.balanced


def test_summary_says_what_the_editions_were_cut_from(tmp_path):
    """Rejected rows are in no edition: the batch summary must say so."""
    src = tmp_path / "mairie.csv"
    src.write_text(
        "Nom;Typologie;Code postal;Commune\n"
        "Pharmacie du Centre;Pharmacie;15300;Murat\n"
        "Pharmacie de la Gare;Pharmacei;15300;Murat\n",
        encoding="utf-8",
    )
    result = run(pipeline.prepare([src]), tmp_path / "out", themes=["sante"])
    assert (result.rows_read, result.entries, result.rejected) == (2, 1, 1)
    last = result.table_fr().splitlines()[-1]
    assert last == (
        "Données : 2 lignes lues, 1 entrée, 0 doublon fusionné, 1 ligne rejetée "
        "(dans aucune édition ; détail : annuaire validate)."
    )
    assert result.as_dict()["rejected"] == 1


# --------------------------------------------------------------------------
# Parallel, real build, Dask


def test_jobs_2_equals_jobs_1_fake(prepared, tmp_path):
    one = run(prepared, tmp_path / "1", jobs=1)
    two = run(prepared, tmp_path / "2", jobs=2)
    assert digests(tmp_path / "1") == digests(tmp_path / "2")
    assert [(e.out.name, e.status, e.entries, e.pages) for e in one.editions] == [
        (e.out.name, e.status, e.entries, e.pages) for e in two.editions
    ]


REAL = pipeline.BuildOptions(run_preflight=False)  # the preflight does not change the bytes


def test_real_build_jobs_2_equals_jobs_1(prepared, tmp_path):
    one = run(prepared, tmp_path / "1", build=pipeline.build_edition, options=REAL, jobs=1)
    two = run(prepared, tmp_path / "2", build=pipeline.build_edition, options=REAL, jobs=2)
    assert not one.failed and not two.failed, one.table_fr()
    assert len(one.built) == 12
    d1, d2 = digests(tmp_path / "1"), digests(tmp_path / "2")
    assert d1 == d2 and len(d1) == 12
    assert all(p.read_bytes().startswith(b"%PDF") for p in (tmp_path / "1").glob("*.pdf"))
    # The batch prints the same bytes as a single build of the same edition.
    single = pipeline.build_edition(
        prepared, replace(REAL, theme="sante", territory="Cantal", out=tmp_path / "seul.pdf")
    )
    assert single.out.read_bytes() == (tmp_path / "1" / "annuaire-sante-cantal.pdf").read_bytes()
    # And an unchanged second run builds nothing.
    assert run(prepared, tmp_path / "2", build=pipeline.build_edition, options=REAL, jobs=2).built == ()


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip(
        "distributed", reason="Dask distributed n'est pas installé (pip install 'annuaire[dask]')"
    )
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    try:
        yield cluster
    finally:
        cluster.close()


def test_dask_gives_the_same_bytes(prepared, tmp_path, dask_cluster):
    build = pipeline.build_edition  # the real engine: Dask must give the bytes a local run gives
    local = run(prepared, tmp_path / "local", build=build, options=REAL, jobs=2)
    remote = run(prepared, tmp_path / "dask", build=build, options=REAL, scheduler=dask_cluster.scheduler_address)
    assert not remote.failed, remote.table_fr()
    assert len(remote.built) == 12 and remote.scheduler == dask_cluster.scheduler_address
    assert digests(tmp_path / "local") == digests(tmp_path / "dask")
    assert [(e.out.name, e.entries, e.pages) for e in local.editions] == [
        (e.out.name, e.entries, e.pages) for e in remote.editions
    ]
    assert all(e.result.out.parent == tmp_path / "dask" for e in remote.built)
    # The manifest written from Dask results makes the next local run skip everything.
    assert run(prepared, tmp_path / "dask", build=build, options=REAL, jobs=2).built == ()


def test_dask_failure_is_isolated(prepared, tmp_path, dask_cluster):
    import cloudpickle

    me = sys.modules[__name__]  # pickled by value: workers need not import the tests
    cloudpickle.register_pickle_by_value(me)
    try:
        result = run(prepared, tmp_path, build=me.failing_build, scheduler=dask_cluster.scheduler_address)
    finally:
        cloudpickle.unregister_pickle_by_value(me)
    assert {(e.territory.code, e.theme) for e in result.failed} == {("15", "vie-pratique"), ("15", "sante")}
    assert len(result.built) == 10


def test_unreachable_scheduler_is_a_french_error(prepared, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", "2s")
    with pytest.raises(AnnuaireError, match="Impossible de joindre l'ordonnanceur Dask"):
        run(prepared, tmp_path, scheduler="tcp://127.0.0.1:9")


def test_without_dask_the_error_says_how_to_install(prepared, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(AnnuaireError, match=r"pip install 'annuaire\[dask\]'"):
        run(prepared, tmp_path, scheduler="tcp://127.0.0.1:8786")


def test_failed_rebuild_leaves_the_previous_pdf_intact(prepared, tmp_path):
    run(prepared, tmp_path, themes=["sante"])
    pdf = tmp_path / "annuaire-sante-cantal.pdf"
    before = pdf.read_bytes()

    def half_written(prep, options):
        Path(options.out).write_bytes(b"%PDF-1.7 tronqu")
        raise RuntimeError("disque plein")

    changed, _ = with_phone(prepared, lambda e: e.insee == "15014" and e.typology.startswith("SA"))
    result = run(changed, tmp_path, themes=["sante"], build=half_written)
    assert status(result)[("15", "sante")] == "failed"
    assert pdf.read_bytes() == before  # written under a temporary name, never renamed
    assert not (tmp_path / batch._PARTIAL_DIR).exists()
    # Not recorded: the next run builds it.
    assert [e.territory.code for e in run(changed, tmp_path, themes=["sante"]).built] == ["15"]


def test_interrupted_batch_keeps_what_it_built(prepared, tmp_path):
    calls = []

    def interrupted(prep, options):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(options.out)
        return fake_build(prep, options)

    with pytest.raises(KeyboardInterrupt):
        run(prepared, tmp_path, build=interrupted)
    assert len(read := batch.read_manifest(tmp_path)) == 3 and all(Path(p).name in read for p in calls)
    again = run(prepared, tmp_path)
    assert len(again.skipped) == 3 and len(again.built) == 9
