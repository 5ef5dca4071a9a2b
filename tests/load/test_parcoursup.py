"""Parcoursup formations (issue 11 §1): one entry per establishment (UAI), its
formations listed compactly, the typology of higher or secondary education it
belongs to, merged by UAI with the Éducation nationale and MESR files."""

from pathlib import Path

from annuaire import pipeline
from annuaire.load.importers import detect
from annuaire.model import RawRow

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "national"
PARCOURSUP = FIX / "parcoursup_formations_auvergne.csv"


def by_uai():
    imp = detect(PARCOURSUP)
    items = list(imp.read(PARCOURSUP))
    rows = [i for i in items if isinstance(i, RawRow)]
    out: dict[str, list[RawRow]] = {}
    for r in rows:
        out.setdefault(dict(r.ids)["uai"], []).append(r)
    return imp, items, out


def test_every_formation_row_is_read_and_rows_of_one_establishment_agree():
    imp, items, est = by_uai()
    assert imp.name == "parcoursup"
    assert len(items) == 115 and all(isinstance(i, RawRow) for i in items)
    assert len(est) == 10
    for rows in est.values():
        # Same name, typology, place and formations: merge folds them into one entry.
        assert len({(r.fields["nom"], r.fields["typologie"], r.fields["commune"], r.services) for r in rows}) == 1


def test_typologies_of_annex_1_by_filiere_and_name():
    _, _, est = by_uai()
    typ = {uai: rows[0].fields["typologie"] for uai, rows in est.items()}
    assert typ["0630018C"] == "EN14"  # Lycée Blaise-Pascal, CPGE
    assert typ["0030026M"] == "EN14"  # Lycée Paul-Constans, BTS and CPGE
    assert typ["0030094L"] == "EN10"  # LEGTPA du Bourbonnais: lycée agricole
    assert typ["0031060L"] == "EN12"  # IUT site de Moulins
    assert typ["0030877M"] == "EN04"  # IFSI: formation des personnels sanitaires et sociaux
    assert typ["0632084Y"] == "EN12"  # Université Clermont Auvergne (licences, and two D.E.)
    assert typ["0631382K"] == "EN12"  # UFR de médecine: orthophonie, orthoptie, still a university
    assert typ["0030935A"] == "EN13"  # ES Vichy: BTS taught by a school that is no lycée
    assert typ["0631287G"] == "EN13"  # École nationale supérieure d'architecture


def test_formations_listed_compactly_with_their_accents_back():
    _, _, est = by_uai()
    blaise = est["0630018C"][0]
    assert blaise.fields["nom"] == "Lycée Blaise Pascal"
    assert blaise.services == ("CPGE : PCSI ; Lettres ; MPSI ; ECG ; BCPST",)
    sidoine = est["0630020E"][0].services
    assert sidoine[0] == "BTS (8 formations)" and sidoine[1:] == ("CPGE : ECT", "DCG")
    assert est["0031060L"][0].services == ("BUT : Techniques de commercialisation",)
    assert est["0031060L"][0].fields["nom"] == "I.U.T Clermont Auvergne, site de Moulins"
    assert est["0030094L"][0].services[0].startswith("BTSA : Analyse, conduite et stratégie de l’entreprise agricole")
    assert est["0631287G"][0].fields["nom"] == "École Nationale Supérieure d’Architecture de Clermont Ferrand"


def test_one_entry_per_establishment_merged_by_uai_with_the_education_files():
    prepared = pipeline.prepare(
        [PARCOURSUP, FIX / "lycees_ips_2021_2022_auvergne.csv", FIX / "esr_principaux_etablissements_auvergne.csv"]
    )
    # Every row read is printed, rejected, merged or withdrawn.
    assert prepared.rows_read == 115 + 8 + 2
    assert prepared.rows_read == len(prepared.entries) + prepared.rejected + prepared.duplicates + prepared.withdrawn
    from_parcoursup = [e for e in prepared.entries if any(p.name == "Parcoursup (MESR)" for p in e.providers)]
    assert len(from_parcoursup) == 10  # 115 formations, 10 establishments
    by_name = {e.name: e for e in from_parcoursup}
    constans = next(e for e in from_parcoursup if ("uai", "0030026M") in e.ids)
    # The lycée of the IPS file and of Parcoursup is one entry: under « Lycée (BTS,
    # classes préparatoires…) », placed by the IPS file's INSEE code, with its formations.
    assert constans.typology == "EN14" and constans.commune == "Montluçon" and constans.insee == "03185"
    assert {p.name for p in constans.providers} == {"Parcoursup (MESR)", "Éducation nationale (DEPP) – IPS des lycées"}
    assert "CPGE\u00a0: PTSI" in constans.services
    uca = by_name["Université Clermont Auvergne"]
    assert uca.address == "49 boulevard François Mitterrand" and uca.commune == "Clermont-Ferrand"
    assert uca.services[0] == "Licence (32 formations)"
    # The two identical CPGE ECG lines of Blaise-Pascal are folded with the others.
    blaise = next(m for m in prepared.merges if m.kept == by_name["Lycée Blaise Pascal"].key)
    assert len(blaise.merged) == 8 and "UAI 0630018C" in blaise.reason
