"""E-mail addresses and web sites."""

import pytest

from annuaire.check.normalise.web import normalise_email, normalise_url


@pytest.mark.parametrize(
    "raw, printed",
    [
        ("mairie@aurillac.fr", "mairie@aurillac.fr"),
        ("Contact@Pharmacie-Marche.FR", "Contact@pharmacie-marche.fr"),
        ("mailto:cpam@assurance-maladie.fr", "cpam@assurance-maladie.fr"),
        (" rsp@cc-paysdelapalisse.fr ", "rsp@cc-paysdelapalisse.fr"),
        ("franceservices.ledonjon@interco-abl.fr", "franceservices.ledonjon@interco-abl.fr"),
    ],
)
def test_email(raw, printed):
    assert normalise_email(raw) == (printed, ())


@pytest.mark.parametrize("raw", ["labo [at] biorom.fr", "labo(at)biorom(dot)fr", "labo arobase biorom.fr"])
def test_obfuscated_email_repaired_with_warning(raw):
    value, problems = normalise_email(raw)
    assert value == "labo@biorom.fr"
    assert problems[0].code == "courriel-masque" and problems[0].severity == "warning"


@pytest.mark.parametrize("raw", ["mairie.aurillac.fr", "mairie@", "jean dupont@orange", "@orange.fr"])
def test_invalid_email_dropped_with_warning(raw):
    value, problems = normalise_email(raw)
    assert value is None
    assert problems[-1].code == "courriel-invalide" and problems[-1].severity == "warning"
    assert "nom@domaine.fr" in problems[-1].message


def test_two_emails_keep_first():
    value, problems = normalise_email("a@mairie.fr ; b@mairie.fr")
    assert value == "a@mairie.fr" and problems[0].code == "courriel-multiple"


@pytest.mark.parametrize(
    "raw, printed",
    [
        ("https://www.pharmacie-marche.fr/", "www.pharmacie-marche.fr"),
        ("http://www.ameli.fr", "www.ameli.fr"),
        ("www.ameli.fr", "www.ameli.fr"),
        ("HTTPS://WWW.Aurillac.FR/culture/", "www.aurillac.fr/culture"),
        (
            "https://www.ch-moulins-yzeure.fr/annuaires/samu-smur/",
            "www.ch-moulins-yzeure.fr/annuaires/samu-smur",
        ),
        ("lepuyenvelay.fr/horaires?x=1", "lepuyenvelay.fr/horaires?x=1"),
    ],
)
def test_url(raw, printed):
    assert normalise_url(raw) == (printed, ())


@pytest.mark.parametrize("raw", ["voir facebook", "http://", "mairie@riom.fr", "ftp://example.fr", "www.exemple,fr"])
def test_invalid_url_dropped_with_warning(raw):
    value, problems = normalise_url(raw)
    assert value is None
    assert problems[0].code == "site-invalide" and problems[0].severity == "warning"
    assert "www.exemple.fr" in problems[0].message


def test_email_typed_in_capitals_is_printed_in_lower_case():
    assert normalise_email("MAIRIE.DIENNE@WANADOO.FR") == ("mairie.dienne@wanadoo.fr", ())
    assert normalise_email("Jean.Dupont@Murat.fr").value == "Jean.Dupont@murat.fr"  # mixed case kept
