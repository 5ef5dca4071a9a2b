"""Annex 1 of the convention as data: themes, groups, sub-groups, typologies.

The tree lives in ``annuaire/data/annexe1.csv`` (one row per typology, in the
annex order) and is loaded once.  Each typology keeps the convention's label
exactly as the annex spells it (``label``) and the name a directory prints
today (``print_label``: accents on capitals, current names such as
« France Travail » for the ANPE).  Codes are the theme prefix plus a two-digit
ordinal in annex order (``SP01``–``SP88``, ``SA01``–``SA28``, ``SL01``–``SL27``,
``EN01``–``EN20``, ``VP01``–``VP12``); they never change once released.

:func:`resolve` maps what contributors type in their spreadsheets (code,
label, printed label, abbreviation, old name, plural) to one typology,
ignoring case, accents, punctuation and spaces.  One label appears twice in
the annex (« Centre des impôts fonciers et cadastre », SP29 and SP50): a
label alone then resolves to the first one, and only the code reaches the
second.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from annuaire.errors import UnknownTheme
from annuaire.text.collate import plain

# Printed theme labels, in annex order; the slug is what the command line uses.
THEME_LABELS: dict[str, str] = {
    "services-publics": "Services publics",
    "sante": "Action sociale et santé",
    "sports-loisirs": "Sports et loisirs",
    "enseignement": "Enseignement et éducation",
    "vie-pratique": "Vie pratique",
}

THEME_PREFIXES: dict[str, str] = {
    "services-publics": "SP",
    "sante": "SA",
    "sports-loisirs": "SL",
    "enseignement": "EN",
    "vie-pratique": "VP",
}

CODE_RE = re.compile(r"^(SP|SA|SL|EN|VP)\d{2}$")
_CODE_BESIDE = re.compile(
    r"^\s*((?:SP|SA|SL|EN|VP)\d{2})\s*[-–—:.]\s*\S|\(\s*((?:SP|SA|SL|EN|VP)\d{2})\s*\)\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Typology:
    code: str
    label: str  # the convention's label, spelled as in Annex 1
    print_label: str  # the name printed today
    aliases: tuple[str, ...]
    theme: str  # slug
    group: str  # printed group label ('Établissements sanitaires et sociaux')
    subgroup: str | None


@dataclass(frozen=True)
class Subgroup:
    label: str | None  # None where typologies sit directly under the group
    typologies: tuple[Typology, ...]


@dataclass(frozen=True)
class Group:
    label: str
    subgroups: tuple[Subgroup, ...]


@dataclass(frozen=True)
class Theme:
    slug: str
    label: str
    groups: tuple[Group, ...]

    def typologies(self) -> tuple[Typology, ...]:
        """Every typology of the theme, in annex order."""
        return tuple(t for g in self.groups for s in g.subgroups for t in s.typologies)


def key(text: object) -> str:
    """Matching key: no case, no accents, no punctuation, no spaces.

    'Sous-préfecture', 'SOUS PREFECTURE' and 'sous préfecture.' share one key;
    œ and æ are spelled out because NFKD does not decompose them."""
    if type(text) is str:
        return _key(text)  # a few labels, on every row: remembered
    return _key(str(text))


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return "".join(c for c in plain(text) if c.isalnum())


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", plain(text)) if w]


@dataclass(frozen=True)
class _Data:
    themes: tuple[Theme, ...]
    by_code: dict[str, Typology]
    by_key: dict[str, Typology]


@lru_cache(maxsize=1)
def _data() -> _Data:
    text = resources.files("annuaire.data").joinpath("annexe1.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    typologies: list[Typology] = []
    for row in rows:
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        typologies.append(
            Typology(
                code=row["code"],
                label=row["label"],
                print_label=row["print_label"],
                aliases=aliases,
                theme=row["theme"],
                group=row["group"],
                subgroup=row["subgroup"] or None,
            )
        )

    themes_: list[Theme] = []
    for slug, label in THEME_LABELS.items():
        groups: list[Group] = []
        members = [t for t in typologies if t.theme == slug]
        # Group consecutive rows: the CSV is in annex order, so a group or
        # sub-group is a run of rows sharing its label.
        for glabel in dict.fromkeys(t.group for t in members):
            in_group = [t for t in members if t.group == glabel]
            subs = [
                Subgroup(slabel, tuple(t for t in in_group if t.subgroup == slabel))
                for slabel in dict.fromkeys(t.subgroup for t in in_group)
            ]
            groups.append(Group(glabel, tuple(subs)))
        themes_.append(Theme(slug, label, tuple(groups)))

    by_code = {t.code: t for t in typologies}
    # Precedence: code, then convention label, then printed label, then
    # aliases; within a level the first typology in annex order wins, which
    # is what sends the duplicated label to SP29 rather than SP50.
    by_key: dict[str, Typology] = {}
    for level in (
        lambda t: [t.code],
        lambda t: [t.label],
        lambda t: [t.print_label],
        lambda t: list(t.aliases),
    ):
        for t in typologies:
            for name in level(t):
                by_key.setdefault(key(name), t)
    return _Data(tuple(themes_), by_code, by_key)


def themes() -> tuple[Theme, ...]:
    """The five themes of Annex 1, in annex order."""
    return _data().themes


def theme_slugs() -> tuple[str, ...]:
    return tuple(THEME_LABELS)


def theme(slug: str) -> Theme:
    """The theme with this slug; raises :class:`UnknownTheme` with a French message."""
    for t in _data().themes:
        if t.slug == slug:
            return t
    # Forgive case, accents and spaces before complaining ('Santé', 'vie pratique').
    wanted = key(slug)
    for t in _data().themes:
        if key(t.slug) == wanted or key(t.label) == wanted:
            return t
    valid = ", ".join(theme_slugs())
    close = difflib.get_close_matches(str(slug).lower(), theme_slugs(), n=1, cutoff=0.0)
    hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
    raise UnknownTheme(f"Thème inconnu : « {slug} ». Thèmes possibles : {valid}.{hint}")


def typology(code: str) -> Typology:
    """The typology with this code ('SA19'); KeyError if there is none."""
    return _data().by_code[code]


def all_typologies() -> tuple[Typology, ...]:
    """Every typology, in annex order."""
    return tuple(_data().by_code.values())


def resolve(text: object) -> Typology | None:
    """The typology named by a code, label, printed label or alias, or None.

    Case-, accent-, punctuation- and space-insensitive: 'pharmacie',
    'PHARMACIE ', 'Ecole maternelle' and 'sa19' all resolve."""
    if text is None:
        return None
    k = key(text)
    if not k:
        return None
    found = _data().by_key.get(k)
    if found is None:
        # A code written beside the label, as drop-down lists and exports
        # do: 'Centre des impôts foncier et cadastre (SP50)', 'SA19 - Pharmacie'.
        # The code decides; it is the only way to reach SP50.
        m = _CODE_BESIDE.search(str(text))
        if m:
            found = _data().by_code.get((m.group(1) or m.group(2)).upper())
    return found


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(key, print label, words) for every name a typology answers to."""
    out = []
    for t in all_typologies():
        for name in (t.label, t.print_label, *t.aliases):
            out.append((key(name), t.print_label, tuple(_words(name))))
    return tuple(out)


def suggest(text: object, n: int = 3) -> list[str]:
    """Closest printed labels, for « vouliez-vous dire … ? » messages.

    Two passes: spelling (difflib on matching keys, so 'Pharmacei' finds
    'Pharmacie'), then words (a name whose words all appear in the text, so
    'pharmacie de garde' finds 'Pharmacie').  Best first, no duplicates."""
    if text is None or n <= 0:
        return []
    k = key(text)
    if not k:
        return []
    found = resolve(text)
    scored: dict[str, float] = {}
    if found is not None:
        scored[found.print_label] = 2.0
    by_key = _data().by_key
    # Codes are left out of spelling matches: 'SA19' is one letter from
    # 'SA18', which says nothing about what the user meant.
    pool = [name for name in by_key if not CODE_RE.match(name.upper())]
    cutoff = 0.85 if found is not None else 0.75
    for match in difflib.get_close_matches(k, pool, n=n * 4, cutoff=cutoff):
        label = by_key[match].print_label
        score = difflib.SequenceMatcher(None, k, match).ratio()
        scored[label] = max(scored.get(label, 0.0), score)
    words = set(_words(str(text)))
    significant = {w for w in words if len(w) > 2}
    if significant:
        for _, label, name_words in _names():
            nw = {w for w in name_words if len(w) > 2}
            if nw and nw <= words:
                # The more of the text the name covers, the better.
                score = 0.5 + 0.4 * len(nw) / len(significant)
                scored[label] = max(scored.get(label, 0.0), score)
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
    return [label for label, _ in ranked[:n]]


def as_json() -> list[dict]:
    """The tree as plain data, the shape of ``annuaire themes --json``."""
    return [
        {
            "slug": th.slug,
            "label": th.label,
            "groups": [
                {
                    "label": g.label,
                    "subgroups": [
                        {
                            "label": s.label,
                            "typologies": [
                                {"code": t.code, "label": t.label, "print_label": t.print_label} for t in s.typologies
                            ],
                        }
                        for s in g.subgroups
                    ],
                }
                for g in th.groups
            ],
        }
        for th in themes()
    ]


@dataclass(frozen=True)
class Fusion:
    """A 2008 service of Annex 1 merged since into today's service.

    ``old`` is the annex typology, ``new`` the one today's service prints
    under (the same code when the old typology itself now carries today's
    service: the DDE's carries the DDT); ``see`` is the old name as the
    contents print it in its « voir » line (« DDE (équipement) »)."""

    old: str
    see: str
    new: str
    since: str  # ISO date of the change
    text: str  # the legal text
    comment: str


@lru_cache(maxsize=1)
def fusions() -> tuple[Fusion, ...]:
    """The merged services, from ``annuaire/data/fusions.csv`` (reviewable: date and legal text)."""
    text = resources.files("annuaire.data").joinpath("fusions.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    out = tuple(Fusion(r["ancien"], r["renvoi"], r["nouveau"], r["date"], r["texte"], r["commentaire"]) for r in rows)
    for f in out:
        typology(f.old), typology(f.new)  # a typo in the table fails loudly, at once
        if typology(f.old).theme != typology(f.new).theme:
            raise ValueError(f"fusions.csv : {f.old} et {f.new} ne sont pas du même thème")
    return out


def merged_into(code: str) -> str | None:
    """The typology today's service prints under, when ``code``'s service was merged into another."""
    for f in fusions():
        if f.old == code and f.new != code:
            return f.new
    return None
