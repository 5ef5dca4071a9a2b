"""Hand-made directories for the PDF engine tests (real communes, plausible services)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from annuaire.editions.group import make_directory
from annuaire.model import Entry, Provider

NB = "\u00a0"


def columns(log):
    """The page log's placements by (page, column), in page order; whole-page ones left out."""
    cols = defaultdict(list)
    for p in log:
        if p.column:
            cols[(p.page, p.column)].append(p)
    return dict(sorted(cols.items()))


FINESS = Provider(
    "FINESS (DREES)",
    licence="Licence Ouverte 2.0",
    date=date(2021, 1, 7),
    url="https://www.data.gouv.fr/fr/datasets/finess-extraction-du-fichier-des-etablissements/",
    dataset="Fichier national des établissements sanitaires et sociaux",
)
DILA = Provider("Service-Public.fr (DILA)", licence="Licence Ouverte 2.0", date=date(2024, 3, 1))
RIOM = Provider("Mairie de Riom", date=date(2025, 9, 15))

COMMUNES = [
    ("63200", "Riom"),
    ("63460", "Combronde"),
    ("63720", "Ennezat"),
    ("63140", "Châtel-Guyon"),
    ("63530", "Volvic"),
    ("63118", "Cébazat"),
    ("15600", "Saint-Étienne-de-Maurs"),
    ("63260", "Aigueperse"),
]
STREETS = ["rue de la République", "place Jean-Jaurès", "avenue Victor-Hugo", "rue des Écoles", "boulevard Desaix"]
NAMES = {
    "SA19": [
        "Pharmacie du Marché",
        "Pharmacie des Volcans",
        "Pharmacie de la Gare",
        "Grande Pharmacie",
        "Pharmacie Pasteur",
    ],
    "SA17": ["Dr Martin Claire", "Dr Bernard Paul", "Maison de santé pluriprofessionnelle", "Dr Lefèvre Anne"],
    "SA20": ["Cabinet infirmier du Centre", "Soins à domicile Limagne", "Cabinet infirmier des Tilleuls"],
    "SA04": ["Résidence Les Jardins d’Ennezat", "EHPAD Sainte-Marie", "Service de soins infirmiers à domicile"],
    "SA01": ["Centre antipoison de Lyon"],
    "SA24": ["CLIC Riom Limagne Volcans"],
}


def phone(i: int) -> str:
    return NB.join(["04", "73", f"{10 + i % 90:02d}", f"{(i * 7) % 100:02d}", f"{(i * 13) % 100:02d}"])


def make_entries(per_typology: int = 6, codes=("SA01", "SA04", "SA17", "SA19", "SA20", "SA24")) -> list[Entry]:
    out = []
    i = 0
    for code in codes:
        names = NAMES[code]
        for k in range(per_typology):
            pc, commune = COMMUNES[(i * 3 + k) % len(COMMUNES)]
            name = names[k % len(names)] + ("" if k < len(names) else f" {k // len(names) + 1}")
            out.append(
                Entry(
                    key=f"{code}-{k}",
                    name=name,
                    typology=code,
                    commune=commune,
                    postcode=pc,
                    address=f"{3 + (i * 5) % 60} {STREETS[i % len(STREETS)]}",
                    phone=phone(i),
                    email=f"contact{i}@exemple-{pc}.fr" if i % 3 else None,
                    website=f"https://www.{commune.lower().replace(' ', '')}.fr" if i % 4 == 0 else None,
                    hours=(
                        f"Lundi au vendredi{NB}: 8{NB}h{NB}30 – 12{NB}h, 14{NB}h – 18{NB}h",
                        f"Samedi{NB}: 9{NB}h – 12{NB}h",
                    )
                    if i % 2
                    else (),
                    description="Accueil sans rendez-vous, accessible aux personnes à mobilité réduite."
                    if i % 5 == 0
                    else None,
                    updated=date(2025, 1 + i % 12, 1 + i % 27),
                    providers=((FINESS, DILA, RIOM)[i % 3],),
                )
            )
            i += 1
    return out


def make_directory_for(entries, themes=("sante",)):
    return make_directory(
        entries,
        themes,
        territory="Communauté d’agglomération Riom Limagne et Volcans",
        edition_date=date(2026, 11, 27),
        publisher="Riom Limagne et Volcans",
    )


@pytest.fixture(scope="module")
def small_directory():
    return make_directory_for(make_entries())
