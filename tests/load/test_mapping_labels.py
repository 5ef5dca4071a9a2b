"""Mapping accuracy on a labelled sample of real records (issue: ≥ 99.5 % under the right typology).

``mapping_labels.csv`` holds 395 records of the national files of ../shared/data, each with
the typology a reader would look for it under, reviewed by hand: a stratified sample of
every typology of every file (note « échantillon relu ») and every record of the kinds the
editorial audit found misplaced (psychiatric sites filed as hospitals, greffes des
associations of sous-préfecture towns, the associations' MAIA, DDCS, SPIP, SNCF staff
health services). An empty expectation means the record must not be printed: its row is
rejected with a located reason.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from annuaire.load.importers import detect
from annuaire.model import Issue, RawRow

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
LABELS = list(csv.DictReader((HERE / "mapping_labels.csv").open(encoding="utf-8")))


def outcomes(name: str) -> dict[int, str]:
    """Row → typology code, or '' when the row is rejected by the mapping."""
    path = SHARED / name
    got: dict[int, str] = {}
    for item in detect(path).read(path):
        if isinstance(item, RawRow):
            got[item.origin.row] = item.fields["typologie"]
        elif isinstance(item, Issue) and item.code == "categorie-non-prise-en-charge":
            got[item.row] = ""
    return got


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data absent (the labels point into its files)")
def test_mapping_accuracy_on_the_labelled_sample():
    by_file = defaultdict(list)
    for lab in LABELS:
        by_file[lab["file"]].append(lab)
    assert len(LABELS) >= 300 and len(by_file) >= 15
    wrong = []
    for name, labels in by_file.items():
        got = outcomes(name)
        for lab in labels:
            actual = got.get(int(lab["row"]), "absent")
            if actual != lab["expected"]:
                wrong.append(f"{name}:{lab['row']} {lab['name']!r}: {actual!r} au lieu de {lab['expected']!r}")
    accuracy = 1 - len(wrong) / len(LABELS)
    assert accuracy >= 0.995, f"{accuracy:.2%}\n" + "\n".join(wrong)


def test_labels_name_only_typologies_of_annex_1():
    from annuaire.reference import taxonomy

    for lab in LABELS:
        if lab["expected"]:
            assert taxonomy.typology(lab["expected"]).code == lab["expected"]


def test_rules_refine_a_category_by_name_and_place():
    from annuaire.load.importers.base import refine

    assert refine("finess", "355", {"nom": "Hôpital de jour adultes L’Étrier"}) == "SA06"
    assert refine("finess", "355", {"nom": "CH de Moulins"}) is None  # the table's SA02 stands
    assert refine("finess", "359", {"nom": "Ctre Consult médico-psychol"}) == "SA06"
    assert refine("dila", "prefecture_greffe_associations", {"code_insee": "03185"}) == "SP02"  # Montluçon
    assert refine("dila", "prefecture_greffe_associations", {"code_insee": "03190"}) is None  # Moulins
