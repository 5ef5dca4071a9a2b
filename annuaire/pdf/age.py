"""How old the printed information is, in the words the book prints.

The edition date says when the book was made, not how recent its
information is: a volume made today may print records of 2016 beside a sheet
updated last week.  The guide page gives the range of the dates of the
information (:func:`guide_text`), the colophon the date of each source
(:func:`credit_date`); the body marks each entry older than the layout's
``entry.old_after_months`` (:mod:`annuaire.pdf.compose`), with the same rule
as :func:`months_old`.
"""

from __future__ import annotations

from datetime import date

from annuaire.editions.group import Directory, ProviderCredit, entry_date
from annuaire.text.french import NBSP, date_fr, month_span_fr, number_fr, years_fr


def months_old(when: date, edition: date) -> int:
    """Whole calendar months from ``when`` to ``edition`` (as the body counts them)."""
    return (edition.year - when.year) * 12 + edition.month - when.month


def guide_text(d: Directory, old_after_months: int) -> str:
    """The guide page's paragraph on dates: the edition, then the range of the
    dates of the information and what marks the old entries."""
    first, last, undated = d.data_span()
    parts = [f"Cet annuaire a été édité le {date_fr(d.edition_date, keep_year=True)}."]
    if first is None or last is None:
        parts.append("Ses sources ne précisent pas la date de leurs informations.")
    else:
        text = f"Ses informations proviennent de sources datées {month_span_fr(first, last)}"
        old = any(
            (when := entry_date(e)) is not None and months_old(when, d.edition_date) > old_after_months
            for e in d.entries()
        )
        if old:
            text += (
                f"{NBSP}; chaque service dont l’information a plus de {years_fr(old_after_months)} "
                "porte l’année de ses données"
            )
        parts.append(text + ".")
        if undated:
            n = number_fr(undated)
            parts.append(f"La date des informations de {n} service{'s' if undated > 1 else ''} n’est pas connue.")
    parts.append(f"Horaires et numéros changent{NBSP}: avant de vous déplacer, téléphonez pour vérifier.")
    return " ".join(parts)


def credit_date(p: ProviderCredit) -> str:
    """The date line of a source in the colophon: the dataset's own date
    (its millésime), else the span of its entries' updates, else « non précisée »."""
    if p.date:
        return f"Données du {date_fr(p.date, keep_year=True)}"
    if p.oldest and p.newest:
        if p.oldest == p.newest:
            return f"Mise à jour le {date_fr(p.newest, keep_year=True)}"
        return f"Mises à jour du {date_fr(p.oldest, keep_year=True)} au {date_fr(p.newest, keep_year=True)}"
    return f"Date des données{NBSP}: non précisée"
