"""Overlong fields are cut at a documented limit with a warning at the cell;
the engine then never sets an entry past the foot of its page."""

import pytest

from annuaire import pipeline
from annuaire.check.validate import MAX_LENGTH, MAX_LENGTH_DEFAULT, validate_rows
from annuaire.model import Origin, RawRow


def _row(**fields):
    base = {"nom": "Mairie de Riom", "typologie": "Mairie", "commune": "Riom"}
    base.update(fields)
    return RawRow(origin=Origin("services.csv", None, 3), fields=base, columns={k: k.capitalize() for k in base})


@pytest.mark.parametrize("field, attr", [("nom", "name"), ("description", "description"), ("adresse", "address")])
def test_overlong_field_is_cut_with_a_located_warning(field, attr):
    text = "Centre " + "intercommunal " * 2000  # 28,000 characters, spaces included
    res = validate_rows([_row(**{field: text})])
    (entry,) = res.entries
    limit = MAX_LENGTH.get(field, MAX_LENGTH_DEFAULT)
    printed = getattr(entry, attr)
    assert len(printed) <= limit and printed.endswith("…")
    assert not printed.endswith(" …")  # cut at a space, then the ellipsis
    (w,) = [i for i in res.issues if i.code == "texte-trop-long"]
    assert (w.row, w.column, w.severity) == (3, field.capitalize(), "warning")
    assert f"Texte de 28\u202f007 caractères, coupé à {limit}" in w.message


def test_one_megabyte_word_is_cut_too():
    res = validate_rows([_row(description="x" * (1 << 20))])
    (entry,) = res.entries
    assert len(entry.description) == MAX_LENGTH["description"]


@pytest.mark.parametrize("layout", ["a5", "gros-caracteres"])
def test_twenty_thousand_character_name_stays_on_the_page(tmp_path, layout):
    src = tmp_path / "services.csv"
    src.write_text(
        "Nom;Typologie;Commune;Description\n"
        f"Pharmacie {'A' + 'b' * 20_000};Pharmacie;Riom;{'Très ' * 400}\n"
        "Pharmacie du Marché;Pharmacie;Riom;\n",
        encoding="utf-8",
    )
    result = pipeline.build([src], pipeline.BuildOptions(theme="sante", layout=layout, out=tmp_path / "a.pdf"))
    assert result.entries == 2
    assert not [w for w in result.warnings if "dépasse" in w], result.warnings
    assert any(i.code == "texte-trop-long" and i.row == 2 for i in result.issues)
    # The preflight reads every line's position: none starts outside the page.
    assert result.preflight.check("texte-hors-format").passed, result.preflight.text_fr()
