"""Opening hours: France services per-day columns, OSM opening_hours, typed text."""

import pytest

from annuaire.check.normalise.hours import normalise_hours

S = "\u00a0"


def lines(*texts):
    """Expected lines written with '~' for U+00A0."""
    return tuple(t.replace("~", S) for t in texts)


@pytest.mark.parametrize(
    "raw, printed",
    [
        # France Travail (OSM opening_hours)
        ("Mo-Fr 08:30-12:30", lines("Lundi au vendredi~: 8~h~30~– 12~h~30")),
        (
            "Mo-We 08:30-12:30; Th 08:30-11:30; Fr 08:30-12:30",
            lines("Lundi au mercredi~: 8~h~30~– 12~h~30", "Jeudi~: 8~h~30~– 11~h~30", "Vendredi~: 8~h~30~– 12~h~30"),
        ),
        (
            "Mo-Fr 08:30-12:30; Sa 09:00-12:00; PH off",
            lines("Lundi au vendredi~: 8~h~30~– 12~h~30", "Samedi~: 9~h~– 12~h"),
        ),
        # Service-Public annuaire (OSM with several intervals)
        (
            "Mo-Th 09:00-12:00,13:30-17:30; Fr 09:00-12:00,13:00-16:30",
            lines("Lundi au jeudi~: 9~h~– 12~h et 13~h~30~– 17~h~30", "Vendredi~: 9~h~– 12~h et 13~h~– 16~h~30"),
        ),
        ("Mo 14:00-18:00; Th 14:00-18:00", lines("Lundi~: 14~h~– 18~h", "Jeudi~: 14~h~– 18~h")),
        ("Tu-Th 09:00-17:00", lines("Mardi au jeudi~: 9~h~– 17~h")),
        ("Mo-Su 00:00-00:00", lines("Tous les jours~: 24~h/24")),
        ("24/7", lines("Tous les jours~: 24~h/24")),
        ("Mo,We 09:00-12:00", lines("Lundi~: 9~h~– 12~h", "Mercredi~: 9~h~– 12~h")),
        ("Sa-Su 10:00-18:00", lines("Samedi et dimanche~: 10~h~– 18~h")),
        # what people type
        (
            "du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h",
            lines("Lundi au vendredi~: 8~h~30~– 12~h et 13~h~30~– 17~h"),
        ),
        ("lun-ven 9h-12h", lines("Lundi au vendredi~: 9~h~– 12~h")),
        (
            "lun-ven 8h30-12h / 13h30-17h",
            lines("Lundi au vendredi~: 8~h~30~– 12~h et 13~h~30~– 17~h"),
        ),
        ("mar-sam 10h-18h", lines("Mardi au samedi~: 10~h~– 18~h")),
        (
            "Lundi au vendredi 9h-12h / 14h-17h, samedi 9h-12h",
            lines("Lundi au vendredi~: 9~h~– 12~h et 14~h~– 17~h", "Samedi~: 9~h~– 12~h"),
        ),
        (
            "lundi, mardi et jeudi : 9:00-12:00 ; samedi fermé",
            lines("Lundi et mardi~: 9~h~– 12~h", "Jeudi~: 9~h~– 12~h"),
        ),
        ("Le mercredi de 14 h à 18 h", lines("Mercredi~: 14~h~– 18~h")),
        ("Lundi au vendredi de 9h à midi", lines("Lundi au vendredi~: 9~h~– 12~h")),
        # Two ranges side by side, no 'et': '12h 14h' is two times, not 12:14
        ("lundi-vendredi 9h-12h 14h-17h", lines("Lundi au vendredi~: 9~h~– 12~h et 14~h~– 17~h")),
        ("lundi au vendredi 9:00-12:00 14:00-17:00", lines("Lundi au vendredi~: 9~h~– 12~h et 14~h~– 17~h")),
        ("lundi 9 h - 12 h 14 h - 17 h", lines("Lundi~: 9~h~– 12~h et 14~h~– 17~h")),
        (
            "Lun-Ven : 8h30-12h / 13h30-19h, Sam 9h-12h",
            lines("Lundi au vendredi~: 8~h~30~– 12~h et 13~h~30~– 19~h", "Samedi~: 9~h~– 12~h"),
        ),
        # Every day, and days closed named after the week they are taken from
        ("Tous les jours 7h-20h", lines("Tous les jours~: 7~h~– 20~h")),
        ("7j/7 de 8h à 20h", lines("Tous les jours~: 8~h~– 20~h")),
        (
            "lundi au samedi 9h-12h et 14h-18h, fermé jeudi",
            lines("Lundi au mercredi~: 9~h~– 12~h et 14~h~– 18~h", "Vendredi et samedi~: 9~h~– 12~h et 14~h~– 18~h"),
        ),
        (
            "lundi au vendredi 9h-12h fermé le mercredi",
            lines("Lundi et mardi~: 9~h~– 12~h", "Jeudi et vendredi~: 9~h~– 12~h"),
        ),
    ],
)
def test_text(raw, printed):
    assert normalise_hours(raw) == (printed, ())


def test_france_services_columns():
    # France services 2024 (Lapalisse): one column per weekday, '-' or empty for closed.
    raw = {
        "h_lundi": "10:00 - 12:00",
        "h_mardi": "08:00 - 12:00 / 13:30 - 17:30",
        "h_mercredi": "10:00 - 12:00",
        "h_jeudi": "08:00 - 12:30 / 13:30 - 17:30",
        "h_vendredi": "08:00 - 12:00 / 13:30 - 16:30",
        "h_samedi": None,
    }
    assert normalise_hours(raw) == (
        lines(
            "Lundi~: 10~h~– 12~h",
            "Mardi~: 8~h~– 12~h et 13~h~30~– 17~h~30",
            "Mercredi~: 10~h~– 12~h",
            "Jeudi~: 8~h~– 12~h~30 et 13~h~30~– 17~h~30",
            "Vendredi~: 8~h~– 12~h et 13~h~30~– 16~h~30",
        ),
        (),
    )


def test_france_services_same_hours_grouped():
    day = "09:30 - 12:30 / 13:30 - 15:30"
    raw = {"lundi": day, "mardi": day, "mercredi": day, "jeudi": day, "vendredi": day, "samedi": "-"}
    assert normalise_hours(raw) == (lines("Lundi au vendredi~: 9~h~30~– 12~h~30 et 13~h~30~– 15~h~30"), ())


def test_a_morning_typed_twice_prints_once():
    # France services 2024, the Ébreuil bus: « 09:00 - 12:00 / 09:00 - 12:00 » on Wednesday.
    raw = {"h_lundi": "9:00 - 12:00 / 13:30 - 17:00", "h_mercredi": "9:00 - 12:00 / 9:00 - 12:00"}
    assert normalise_hours(raw) == (lines("Lundi~: 9~h~– 12~h et 13~h~30~– 17~h", "Mercredi~: 9~h~– 12~h"), ())


def test_per_day_without_separator_in_day_text():
    assert normalise_hours({"Mo": "8:30 - 12:30", "Tu": "-"}) == (lines("Lundi~: 8~h~30~– 12~h~30"), ())


@pytest.mark.parametrize("raw", [None, "", {}, {"h_lundi": None, "h_mardi": ""}])
def test_blank(raw):
    assert normalise_hours(raw) == ((), ())


def test_times_never_break():
    (line,) = normalise_hours("Mo-Fr 08:30-12:30")[0]
    times = line.split(": ", 1)[1]
    # the only breakable space is after the en dash
    assert times.count(" ") == 1 and times.index(" ") == times.index("–") + 1


@pytest.mark.parametrize(
    "raw",
    [
        "Uniquement sur rendez-vous les mercredis et vendredis après-midi",
        "un samedi matin par mois",
        "lundi au vendredi sauf mercredi 9h-12h",
        "8:30 - 12:30",  # no day: cannot be guessed
    ],
)
def test_unrecognised_kept_as_typed(raw):
    value, problems = normalise_hours(raw)
    assert len(value) == 1 and value[0].replace(S, " ").replace("\u202f", " ").startswith(raw.split(" ")[0])
    assert [p.code for p in problems] == ["horaires-non-reconnus"]
    assert problems[0].severity == "warning"
    assert "du lundi au vendredi" in problems[0].message


def test_france_services_odd_day_printed_as_typed_others_parsed():
    # France services 2020: one day's text is not a timetable.
    day = "09:00 - 12:00 / 14:00 - 18:00"
    raw = {
        "lundi": day,
        "mardi": day,
        "mercredi": day,
        "jeudi": day,
        "vendredi": "09:00 - 12:00",
        "samedi": "1er samedi du mois : 09:00 - 12:00",
    }
    value, problems = normalise_hours(raw)
    assert value[:2] == lines("Lundi au jeudi~: 9~h~– 12~h et 14~h~– 18~h", "Vendredi~: 9~h~– 12~h")
    assert value[2].startswith(f"Samedi{S}: 1er samedi du mois")
    assert [p.code for p in problems] == ["horaires-non-reconnus"]
    assert "samedi" in problems[0].message


def test_osm_public_holidays_in_a_day_list():
    assert normalise_hours("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; Su,PH off") == (
        lines("Lundi au vendredi~: 9~h~– 12~h et 14~h~– 17~h", "Samedi~: 9~h~– 12~h"),
        (),
    )


@pytest.mark.parametrize(
    "raw", ["fermé jeudi", "tous les jours sauf lundi 9h-12h", "juillet-août tous les jours 14h-19h"]
)
def test_closed_days_without_a_week_stay_as_typed(raw):
    assert normalise_hours(raw).problems[0].code == "horaires-non-reconnus"
