"""A contributor's rows filed under a merged 2008 typology print under
today's service, and merge with the same service filed under it."""

from __future__ import annotations

from annuaire import pipeline


def test_ddaf_row_joins_the_ddt(tmp_path):
    f = tmp_path / "etat.csv"
    f.write_text(
        "Nom;Typologie;Adresse;Code postal;Commune;Téléphone\n"
        "Direction départementale des territoires du Cantal;DDAF;22 rue du 139e RI;15000;Aurillac;04 63 27 66 00\n"
        "Direction départementale des territoires du Cantal;DDT;22 rue du 139e RI;15000;Aurillac;04 63 27 66 00\n"
        "Assedic d’Aurillac;Assedic;4 rue Paul Doumer;15000;Aurillac;\n",
        encoding="utf-8",
    )
    prepared = pipeline.prepare([f])
    assert sorted(e.typology for e in prepared.entries) == ["SP28", "SP32"]
    assert prepared.duplicates == 1  # one service, filed under both names
    infos = sorted((i.row, i.value) for i in prepared.issues if i.code == "typologie-fusionnee")
    assert infos == [(2, "1"), (4, "1")]
