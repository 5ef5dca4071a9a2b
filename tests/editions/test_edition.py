"""The edition file: legal mentions of a printed publication, read from TOML, checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annuaire.editions.edition import Edition, load_edition, missing
from annuaire.errors import UnusableInput

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "edition-exemple.toml"


def test_the_documented_example_has_every_legal_mention():
    ed = load_edition(EXAMPLE)
    assert missing(ed) == []
    labels = [label for label, _ in ed.mentions()]
    assert labels == ["Éditeur", "Directeur de la publication", "Imprimeur", "Dépôt légal"]
    assert dict(ed.mentions())["Imprimeur"] == "Imprimerie Exemple, 12 rue des Presses, 63100 Clermont-Ferrand"


def test_each_missing_mention_is_named_in_french():
    got = missing(None)
    assert len(got) == 4
    assert any("Éditeur absent" in w and "29 juillet 1881" in w for w in got)
    assert any("Directeur de la publication" in w for w in got)
    assert any("imprimeur" in w for w in got)
    assert any("dépôt légal" in w for w in got)
    assert (
        len(missing(Edition(publisher="CC Exemple", publisher_address="Riom", director="X", legal_deposit="2026"))) == 1
    )  # the printer only


def test_unknown_key_and_missing_logo_are_refused(tmp_path):
    f = tmp_path / "e.toml"
    f.write_text('directeur = "X"\n', encoding="utf-8")
    with pytest.raises(UnusableInput, match="directeur"):
        load_edition(f)
    f.write_text('[editeur]\nnom = "X"\nlogo = "absent.png"\n', encoding="utf-8")
    with pytest.raises(UnusableInput, match="Logo introuvable"):
        load_edition(f)
    shutil.copy(EXAMPLE, tmp_path / "ok.toml")
    assert load_edition(tmp_path / "ok.toml").publisher == "Communauté de communes Exemple"


def test_a_logo_that_is_not_a_png_or_jpeg_is_refused_with_its_key(tmp_path):
    from PIL import Image

    f = tmp_path / "e.toml"
    f.write_text('[editeur]\nnom = "X"\nlogo = "logo.png"\n', encoding="utf-8")
    (tmp_path / "logo.png").write_text("pas une image", encoding="utf-8")
    with pytest.raises(
        UnusableInput, match=r"Logo illisible, « editeur\.logo = logo\.png » du fichier d’édition e\.toml"
    ):
        load_edition(f)
    f.write_text('[editeur]\nnom = "X"\nlogo = "logo.svg"\n', encoding="utf-8")
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    with pytest.raises(UnusableInput, match="un fichier SVG n’est pas pris en charge.*PNG ou JPEG"):
        load_edition(f)
    Image.new("RGB", (20, 10), (200, 0, 0)).save(tmp_path / "logo.gif")
    f.write_text('[editeur]\nnom = "X"\nlogo = "logo.gif"\n', encoding="utf-8")
    with pytest.raises(UnusableInput, match="Logo au format GIF"):
        load_edition(f)
    Image.new("RGBA", (20, 10), (200, 0, 0, 128)).save(tmp_path / "logo.png")
    f.write_text('[editeur]\nnom = "X"\nlogo = "logo.png"\n', encoding="utf-8")
    assert load_edition(f).logo == (tmp_path / "logo.png").resolve()
