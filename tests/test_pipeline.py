"""The orchestrator: what `annuaire validate` gathers from the stages."""

from datetime import date

from annuaire import pipeline


def test_unreadable_update_date_is_not_also_reported_missing(tmp_path):
    f = tmp_path / "mairie.csv"
    f.write_text(
        "Nom;Typologie;Code postal;Commune;Mise à jour\n"
        "Mairie de Murat;Mairie;15300;Murat;01/13/2026\n"
        "Mairie de Dienne;Mairie;15300;Dienne;\n",
        encoding="utf-8",
    )
    run = pipeline.check([f], today=date(2026, 11, 27))
    by_row = {}
    for i in run.issues:
        by_row.setdefault(i.row, []).append(i.code)
    assert by_row[2] == ["date-invalide"]  # said once, at its cell
    assert by_row[3] == ["mise-a-jour-absente"]  # really empty: still reported
    assert run.counts.printed == 2 and run.counts.balanced


def test_build_report_gives_the_time_of_each_stage(tmp_path):
    """The end-to-end benchmark reads these figures from the JSON report."""
    import json

    f = tmp_path / "mairie.csv"
    f.write_text(
        "Nom;Typologie;Code postal;Commune;Téléphone\n"
        "Mairie de Murat;Mairie;15300;Murat;04 71 20 03 80\n"
        "Mairie de Dienne;Mairie;15300;Dienne;04 71 20 80 60\n",
        encoding="utf-8",
    )
    report = tmp_path / "r.json"
    result = pipeline.build([f], pipeline.BuildOptions(theme="services-publics", out=tmp_path / "a.pdf", report=report))
    stages = [name for name, _ in result.timings]
    assert stages == ["read", "validate", "merge", "supersede", "select", "layout+render", "preflight"]
    assert all(seconds >= 0 for _, seconds in result.timings)
    assert list(json.loads(report.read_text(encoding="utf-8"))["timings"]) == stages


def test_a_single_build_lets_the_gazetteer_go_once_its_entries_are_selected(tmp_path, monkeypatch):
    """The gazetteer of all France (~25 MB) is of no use to the layout: a large
    single build lets it go after selecting, and prints the same bytes."""
    import gc
    import weakref
    from dataclasses import replace

    from annuaire.reference import geo

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    f = tmp_path / "mairies.csv"
    f.write_text(
        "Nom;Typologie;Code postal;Commune;Téléphone\n"
        "Mairie de Murat;Mairie;15300;Murat;04 71 20 03 80\n"
        "Mairie de Dienne;Mairie;15300;Dienne;04 71 20 80 60\n"
        "Mairie de Bourges;Mairie;18000;Bourges;02 48 57 80 00\n",  # outside the territory
        encoding="utf-8",
    )
    (tmp_path / "kept").mkdir()
    (tmp_path / "released").mkdir()
    options = pipeline.BuildOptions(theme="services-publics", out=tmp_path / "kept" / "a.pdf")
    kept = pipeline.build([f], options)
    assert geo.gazetteer.cache_info().currsize == 1  # a small build keeps it for the next one
    gazetteer = weakref.ref(geo.gazetteer())

    monkeypatch.setattr(pipeline, "RELEASE_MIN_ENTRIES", 0)
    released = pipeline.build([f], replace(options, out=tmp_path / "released" / "a.pdf"))
    gc.collect()
    assert gazetteer() is None  # nothing kept it alive
    assert geo.gazetteer.cache_info().currsize == 0  # and nothing after the selection built it again
    assert released.counts == kept.counts and released.counts.out_of_scope == 1
    assert released.page_log == kept.page_log
    assert (tmp_path / "released" / "a.pdf").read_bytes() == (tmp_path / "kept" / "a.pdf").read_bytes()
