"""The catalogue of issue codes (annuaire/data/codes.csv) and the code stay in step."""

from annuaire import codes


def test_every_emitted_code_is_in_the_catalogue():
    found, dynamic = codes.emitted_codes()
    assert dynamic == [], "a code built at run time cannot be catalogued"
    missing = sorted(found - set(codes.catalogue()))
    assert missing == [], f"codes émis absents de annuaire/data/codes.csv : {missing}"


def test_the_catalogue_lists_no_code_that_is_never_emitted():
    found, _ = codes.emitted_codes()
    stale = sorted(set(codes.catalogue()) - found)
    assert stale == [], f"codes du catalogue jamais émis : {stale}"


def test_each_entry_says_what_it_means_in_french():
    for entry in codes.catalogue().values():
        assert entry.severity in ("erreur", "avertissement", "information", "variable"), entry
        assert len(entry.description) > 20 and entry.description.endswith((".", "»", ")")), entry


def test_the_extractor_finds_codes_passed_through_helpers(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        'UNMAPPED = "categorie-x"\n'
        "def warn(row, code, message):\n    return Issue.at('warning', code, message, row)\n"
        "def f(row):\n    warn(row, 'code-par-aide', 'm')\n    Issue.at('error', UNMAPPED, 'm', row)\n"
        "    Problem('warning', 'probleme-y', 'm')\n    Issue(severity='error', code=f'dyn-{row}', message='')\n",
        encoding="utf-8",
    )
    found, dynamic = codes.emitted_codes(pkg)
    assert found == {"categorie-x", "code-par-aide", "probleme-y"}
    assert dynamic == ["m.py:8"]


def test_the_users_list_is_written_from_the_catalogue():
    import runpy
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    render = runpy.run_path(str(root / "scripts" / "write_codes_doc.py"))["render"]
    assert (root / "docs" / "codes.md").read_text(encoding="utf-8") == render(), (
        "docs/codes.md is stale: run scripts/write_codes_doc.py"
    )
