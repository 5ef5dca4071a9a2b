"""Tests of French typography: french(), upper_fr(), smart_title()."""

from __future__ import annotations

import pytest

from annuaire.reference import taxonomy
from annuaire.text.typo import NBSP, french, smart_title, upper_fr

N = NBSP


@pytest.mark.parametrize(
    "raw, printed",
    [
        # non-breaking space before high punctuation
        ("Horaires: lundi", f"Horaires{N}: lundi"),
        ("Horaires : lundi", f"Horaires{N}: lundi"),
        ("Fermé le lundi ; ouvert le mardi", f"Fermé le lundi{N}; ouvert le mardi"),
        ("Bienvenue!", f"Bienvenue{N}!"),
        ("Quoi ?!", f"Quoi{N}?!"),
        ("Une question?", f"Une question{N}?"),
        # times and URLs keep their colon
        ("de 12:30 à 14:00", "de 12:30 à 14:00"),
        ("Voir http://www.riom.fr/", "Voir http://www.riom.fr/"),
        # odd spaces
        ("Tél.\u202f: 04\u202f73\u202f31", f"Tél.{N}: 04{N}73{N}31"),
        ("a\u2007b", f"a{N}b"),
        ("a\t\tb   c\u2009d", "a b c d"),
        ("  Mairie  ", "Mairie"),
        ("Mai\u200brie", "Mairie"),
        ("a \u00a0 b", f"a{N}b"),
        # apostrophes and quotes
        ("l'école d'aujourd'hui", "l’école d’aujourd’hui"),
        ('la salle "Jean Moulin"', f"la salle «{N}Jean Moulin{N}»"),
        ("« Les Cèdres »", f"«{N}Les Cèdres{N}»"),
        ("«Les Cèdres»", f"«{N}Les Cèdres{N}»"),
        ("“Les Cèdres”", f"«{N}Les Cèdres{N}»"),
        ('un écran de 27"', 'un écran de 27"'),  # unpaired: left alone
        ('"EHPAD ""LES CEDRES"""', f"EHPAD «{N}LES CEDRES{N}»"),  # CSV residue
        # numbers
        ("n° 12", f"n°{N}12"),
        ("N°12 rue Blatin", f"N°{N}12 rue Blatin"),
        ("8h30 - 12h", f"8{N}h{N}30 - 12{N}h"),
        ("8 h 30", f"8{N}h{N}30"),
        ("24h/24", f"24{N}h/24"),
        ("à 3 km du bourg", f"à 3{N}km du bourg"),
        ("250 m²", f"250{N}m²"),
        ("1 500 habitants", f"1{N}500 habitants"),
        ("12 000 000", f"12{N}000{N}000"),
        ("20% de réduction, 5€", f"20{N}% de réduction, 5{N}€"),
        # ellipsis
        ("Et ainsi de suite...", "Et ainsi de suite…"),
        ("", ""),
    ],
)
def test_french(raw, printed):
    assert french(raw) == printed


@pytest.mark.parametrize(
    "text",
    [
        "mairie@riom.fr",
        "contact.mairie@ville-riom.fr",
        "https://www.service-public.fr/particuliers/vosdroits/F1234?lang=fr&x=a:b",
        "http://example.org/l'ecole...html",
        "www.auvergne.fr",
        "mairie-riom.fr",
    ],
)
def test_urls_and_emails_untouched(text):
    assert french(text) == text
    assert french(f"Courriel : {text}") == f"Courriel{N}: {text}"


def test_trailing_punctuation_is_not_part_of_the_url():
    assert french("Voir www.riom.fr. Merci!") == f"Voir www.riom.fr. Merci{N}!"
    assert french("(voir www.riom.fr)") == "(voir www.riom.fr)"


@pytest.mark.parametrize(
    "text",
    [
        'Horaires: lundi 8h30-12h, 14h-17h30 ; "fermé" le dimanche!',
        "Tél.\u202f: 04\u202f73 ; courriel : a@b.fr ; site : https://a.fr/x?y=1",
        "l'été... « déjà » n° 3, 1 500 m², 20 %",
        '"EHPAD ""SAINT PAUL"""',
        "Quoi ?! Vraiment ?",
    ],
)
def test_french_is_idempotent(text):
    once = french(text)
    assert french(once) == once


def test_print_labels_are_already_typeset():
    # Printed labels of Annex 1 carry their typography; french() leaves them be.
    for t in taxonomy.all_typologies():
        assert french(t.print_label) == t.print_label, t.code
    for th in taxonomy.themes():
        for g in th.groups:
            assert french(g.label) == g.label
            for s in g.subgroups:
                assert s.label is None or french(s.label) == s.label


def test_upper_fr_keeps_accents():
    assert upper_fr("École") == "ÉCOLE"
    assert upper_fr("cœur") == "CŒUR"
    assert upper_fr("Châtel-Guyon") == "CHÂTEL-GUYON"
    assert upper_fr("e\u0301cole") == "ÉCOLE"  # decomposed accent
    assert upper_fr("") == ""


@pytest.mark.parametrize(
    "raw, printed",
    [
        # écoles (ecoles_ips)
        ("ECOLE ELEMENTAIRE PUBLIQUE", "École élémentaire publique"),
        ("ECOLE ELEMENTAIRE", "École élémentaire"),
        ("ECOLE PRIMAIRE JULES FERRY", "École primaire Jules Ferry"),
        ("ECOLE ELEMENTAIRE PRIVEE SAINTE JEANNE D ARC", "École élémentaire privée Sainte Jeanne d’Arc"),
        ("ECOLE ELEMENTAIRE PRIVEE LE SACRE COEUR", "École élémentaire privée Le Sacré Cœur"),
        ("ECOLE ELEMENTAIRE PRIVEE LA PRESENTATION", "École élémentaire privée La Présentation"),
        ("ECOLE ELEMENTAIRE JACQUES PREVERT", "École élémentaire Jacques Prévert"),
        ("COLLEGE JEAN DE LA FONTAINE", "Collège Jean de la Fontaine"),
        # FINESS names
        ("CH DE NERIS LES BAINS", "CH de Néris les Bains"),
        ("CENTRE HOSPITALIER DE ST FLOUR", "Centre hospitalier de St Flour"),
        ("EHPAD LES MARINIERS", "EHPAD Les Mariniers"),
        ("EHPAD RESIDENCE LES 2 VOLCANS", "EHPAD Résidence Les 2 Volcans"),
        ("SSIAD DES COMBRAILLES ST-GERVAIS", "SSIAD des Combrailles St-Gervais"),
        ("CHS D'YZEURE", "CHS d’Yzeure"),
        ("PHARMACIE ROUSSEAU-PENNEROUX", "Pharmacie Rousseau-Penneroux"),
        ("PHARMACIE DE LA GARE", "Pharmacie de la Gare"),
        ("PHARMACIE DE L'EGLISE", "Pharmacie de l’Église"),
        ("PHARMACIE FONTAINE", "Pharmacie Fontaine"),
        ("EHPAD LE CHATEAU", "EHPAD Le Château"),
        ("SALLE DES FETES", "Salle des fêtes"),
        ("SELARL PHARMACIE SABOURIN", "SELARL Pharmacie Sabourin"),
        ("LBM SYNLAB AUVERGNE AUBIÈRES", "LBM Synlab Auvergne Aubières"),
        ("MAISON DE REPOS LES GENETS", "Maison de repos Les Genêts"),
        ("MAISON D'ENFANTS LA RENOUEE", "Maison d’enfants La Renouée"),
        ("EQUIPE MOBILE TSA ADULTE ADAPEI 63", "Équipe mobile TSA adulte ADAPEI 63"),
        ("FOYER DEPARTEMENTAL DE L'ENFANCE", "Foyer départemental de l’enfance"),
        ("ECOLE D'AIDES-SOIGNANTS", "École d’aides-soignants"),
        ("CENTRE MEDICO-SOCIAL", "Centre médico-social"),
        ("AIDE A DOMICILE", "Aide à domicile"),
        ("SAAD DU CCAS DE ROYAT", "SAAD du CCAS de Royat"),
        ("A.E.M.O.(A.D.S.E.A.)", "A.E.M.O.(A.D.S.E.A.)"),
        ("CENTRE HOSPITALIER JEAN XXIII", "Centre hospitalier Jean XXIII"),
        ("EHPAD", "EHPAD"),
        # bibliothèques
        ("MEDIATHEQUE FERME MODELE", "Médiathèque Ferme Modele"),
        ("MAIRIE DE CHARNAT", "Mairie de Charnat"),
        ("43 - BIBLIOTHEQUE DEPARTEMENTALE DE PRET", "43 - Bibliothèque départementale de prêt"),
        ("63 - MEDIATHEQUE DEPARTEMENTALE DU PUY DE DOME", "63 - Médiathèque départementale du Puy de Dôme"),
        # places
        ("SAINT-ELOY-LES-MINES", "Saint-Éloy-les-Mines"),
        ("LES CEDRES", "Les Cèdres"),
        ("L'ESCALE", "L’Escale"),
    ],
)
def test_smart_title(raw, printed):
    assert smart_title(raw) == printed


@pytest.mark.parametrize(
    "text",
    [
        "Médiathèque d'Avermes",
        "Collège Pierre Galery",
        "Bibliotheque de St Julien Molhesabate",
        "EHPAD Les Cèdres",
        "",
        "12",
    ],
)
def test_smart_title_leaves_mixed_case_alone(text):
    assert smart_title(text) == text


def test_smart_title_is_idempotent():
    for raw in ("ECOLE ELEMENTAIRE PUBLIQUE", "CH DE NERIS LES BAINS", "EHPAD"):
        once = smart_title(raw)
        assert smart_title(once) == once


# ---------------------------------------------------------------------------
# finish(): the last pass on every printed string, whatever its source

from annuaire.text.typo import NNBSP, finish  # noqa: E402

F = NNBSP


@pytest.mark.parametrize(
    "raw, printed",
    [
        # reference data arrives with straight apostrophes
        ("Bourbon-l'Archambault", "Bourbon-l’Archambault"),
        ("BEAUREGARD-L'ÉVÊQUE", "BEAUREGARD-L’ÉVÊQUE"),
        ("Communauté d'agglomération Riom Limagne et Volcans", "Communauté d’agglomération Riom Limagne et Volcans"),
        # the separator in names is a spaced en dash; none left dangling
        ("HAD 63 - Service HAD", "HAD 63 – Service HAD"),
        ("S.A.J. - ( A.N.E.F. ) -", "S.A.J. – ( A.N.E.F. )"),
        ("- Accueil", "– Accueil"),
        # hyphens of words and dates stay
        ("Saint-Germain-des-Fossés", "Saint-Germain-des-Fossés"),
        ("rendez-vous 2026-01-05", "rendez-vous 2026-01-05"),
        # narrow no-break spaces before ; : ! ? and inside « »
        (f"Tél.{N}: 04", f"Tél.{F}: 04"),
        ("Horaires : lundi ; mardi", f"Horaires{F}: lundi{F}; mardi"),
        ("Attention!", f"Attention{F}!"),
        (f"«{N}Les Cèdres{N}»", f"«{F}Les Cèdres{F}»"),
        ("«Bonjour»", f"«{F}Bonjour{F}»"),
        ("de 12:30 à 14:00", "de 12:30 à 14:00"),
        # superscript ordinals
        ("1er mars 2026", "1ᵉʳ mars 2026"),
        ("1re classe, 2e étage, XIXe siècle, 3ème rang", "1ʳᵉ classe, 2ᵉ étage, XIXᵉ siècle, 3ᵉ rang"),
        ("lot 12e3, 2eme", "lot 12e3, 2ᵉ"),
        # addresses are never touched
        # (the final « ! » is the sentence's, not the URL's)
        ("contact@l'hopital.fr - https://a.fr/x?y=1!", f"contact@l'hopital.fr – https://a.fr/x?y=1{F}!"),
    ],
)
def test_finish(raw, printed):
    assert finish(raw) == printed
    assert finish(printed) == printed  # idempotent


def test_finish_with_a_face_lacking_the_narrow_space():
    assert finish("Horaires : « lundi »", narrow=N) == f"Horaires{N}: «{N}lundi{N}»"
