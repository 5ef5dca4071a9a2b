"""Golden cases: what lands on which page and column does not move by accident."""

import pytest

import golden_cases as golden


@pytest.mark.parametrize("name", sorted(golden.CASES))
def test_page_log_is_unchanged(name, tmp_path):
    expected = golden.load(name)
    got = golden.snapshot(golden.build(name, tmp_path / f"{name}.pdf"))
    assert got["pages"] == expected["pages"]
    assert got["page_log"] == expected["page_log"], (
        "the layout moved: if intended, run scripts/update_golden.py and say why in the commit"
    )
    if got["reportlab"] != expected["reportlab"]:
        pytest.skip(
            f"PDF bytes recorded with ReportLab {expected['reportlab']}, "
            f"installed {got['reportlab']}: hash not compared"
        )
    assert got["sha256"] == expected["sha256"]
