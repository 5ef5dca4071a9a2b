"""Territories of an edition: a commune, an EPCI, a département or a region.

``resolve(text)`` turns what a user types after ``--territoire`` into a
:class:`Territory`: an INSEE code (old codes of merged communes included), a
SIREN, a département code, or a name typed loosely ('Le Puy en Velay',
'puy de dome', 'Hautes Terres', 'CC Hautes Terres'), anywhere in France.  The
default is the historic Auvergne region (03, 15, 43, 63: the sample data and
the default edition); a region of today is given by its name
('Auvergne-Rhône-Alpes', 12 départements).  A name that could mean
several territories is refused with the candidates and how to ask for each
one, never guessed: a directory printed for the wrong territory is worse than
a question.  ``editions(by)`` lists the territories of a region-wide batch.

Matching rules, in order:

1. codes: 2 digits (or 2A, 2B, 971…) = département, 5 = commune (INSEE,
   merged codes followed), 9 = EPCI (SIREN); a name followed by a postal code
   or a département ('Saint-Palais 33820', 'Saint-Palais (33)') = that commune;
2. a leading kind word restricts the kinds: 'commune de …', 'ville de …',
   'département …', 'CC …', 'CA …', 'communauté de communes …', 'EPCI …';
3. exact names (accents, case, hyphens, 'St', the leading article and, for an
   EPCI, its 'CC'/'CA' prefix and 'du'/'de la' are not significant).  A single
   exact commune still loses its certainty when an EPCI is named after it
   ('Thiers' and 'CC Thiers Dore et Montagne', 'Saint-Flour' and 'CC de
   Saint-Flour'): the user is asked which one, unless the text carries the
   commune's own article ('Le Puy-en-Velay' is the commune, 'CA du
   Puy-en-Velay' the EPCI);
4. otherwise names that contain the text as whole words ('Massif du Sancy');
   one candidate is taken, several are listed;
5. otherwise the closest names are suggested.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Literal

from annuaire.text.collate import plain
from annuaire.errors import UnknownTerritory
from annuaire.reference.geo import AUVERGNE, Commune, Epci, departements, gazetteer
from annuaire.reference import geo

Kind = Literal["commune", "epci", "departement", "region"]

REGION_CODE = "83"  # INSEE code of the former Auvergne region (before 2016)
REGION_NAME = "Auvergne"

# Prefixes of EPCI names in the DGCL file and their readable form.
_EPCI_PREFIXES = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
}
_EPCI_KIND_LABELS = {
    "CC": "la communauté de communes",
    "CA": "la communauté d'agglomération",
    "CU": "la communauté urbaine",
    "METRO": "la métropole",
}

# Leading words that say which kind of territory is meant (normalised words).
_QUALIFIERS: tuple[tuple[tuple[str, ...], Kind, bool], ...] = (
    # (words, kind, strip the words before matching the name)
    (("communaute", "de", "communes"), "epci", False),
    (("communaute", "d", "agglomeration"), "epci", False),
    (("communaute", "urbaine"), "epci", False),
    (("intercommunalite",), "epci", True),
    (("epci",), "epci", True),
    (("cc",), "epci", False),
    (("ca",), "epci", False),
    (("cu",), "epci", False),
    (("commune", "de"), "commune", True),
    (("commune", "d"), "commune", True),
    (("commune",), "commune", True),
    (("ville", "de"), "commune", True),
    (("ville", "d"), "commune", True),
    (("ville",), "commune", True),
    (("departement", "de", "la"), "departement", True),
    (("departement", "de", "l"), "departement", True),
    (("departement", "du"), "departement", True),
    (("departement", "de"), "departement", True),
    (("departement",), "departement", True),
    (("dept",), "departement", True),
    (("dep",), "departement", True),
)
_REGION_TEXTS = {
    "region",
    "la region",
    "auvergne",
    "region auvergne",
    "toute la region",
    "tout",
    "ancienne region auvergne",
}
_LEADING = {"du", "de", "des", "d", "la", "le", "les", "l"}


_COMBINING = re.compile("[\u0300-\u036f]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SAINTS = {"st": "saint", "ste": "sainte"}


def _words(text: str) -> tuple[str, ...]:
    """Words of a name for comparison: no accents, no case, punctuation and
    hyphens are separators, 'St'/'Ste' expanded.  (Accents are taken off with
    one regular expression: this runs on the 35,000 names of France.)"""
    s = str(text)
    if not s.isascii():
        s = _COMBINING.sub("", unicodedata.normalize("NFKD", s))
    s = s.lower().replace("œ", "oe").replace("æ", "ae")
    return tuple(_SAINTS.get(w, w) for w in _NON_ALNUM.sub(" ", s).split())


def _strip_leading(words: tuple[str, ...]) -> tuple[str, ...]:
    """Drop a leading article or preposition: 'du Massif du Sancy' → 'Massif du Sancy'."""
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return words


def slugify(text: str) -> str:
    """File-name slug: 'CC Hautes Terres' → 'cc-hautes-terres'."""
    s = plain(str(text))
    s = s.replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def expand_epci_name(name: str) -> str:
    """'CC Hautes Terres' → 'Communauté de communes Hautes Terres' (other names unchanged)."""
    head, _, rest = name.partition(" ")
    if head in _EPCI_PREFIXES and rest:
        return f"{_EPCI_PREFIXES[head]} {rest}"
    return name


def _epci_core(name: str) -> str:
    head, _, rest = name.partition(" ")
    return rest if head in _EPCI_PREFIXES and rest else name


def canonical_insee(code: Any) -> str | None:
    """The current INSEE code for a code as found in data (old codes of merged
    communes are followed); unknown codes are returned as given (zero-padded)."""
    if code is None:
        return None
    text = str(code).strip()
    if not text:
        return None
    if text.isdigit():
        text = text.zfill(5)
    c = gazetteer().by_insee(text)
    return c.insee if c is not None else text


def place(entry: Any) -> str | None:
    """The current INSEE code of an entry (or of a bare code): its code with
    merges followed, else its commune name and postal code together if they
    designate one commune (:meth:`Gazetteer.locate`: a postal code of another
    département never picks a homonym); None when it cannot be placed."""
    if entry is None or isinstance(entry, str):
        return canonical_insee(entry)
    current = canonical_insee(getattr(entry, "insee", None))
    if current is None:
        name = getattr(entry, "commune", None)
        if name:
            found = gazetteer().locate(name=name, postcode=getattr(entry, "postcode", None))
            if found.commune is not None and not found.postcode_conflict:
                current = found.commune.insee
    return current


@dataclass(frozen=True)
class Territory:
    """The area of an edition.

    ``insee`` holds the current INSEE codes of the member communes.
    ``name`` is the display name printed on the cover."""

    kind: Kind
    code: str
    name: str
    slug: str
    insee: frozenset[str] = field(repr=False)

    def contains(self, entry: Any) -> bool:
        """Whether an entry (or a bare INSEE code) lies in this territory.

        Old codes of merged communes count for their current commune.  An
        entry without INSEE code is placed by its commune name and postal
        code when that is unambiguous; the default region keeps an entry
        that cannot be placed."""
        current = place(entry)
        if current is None:
            return self.is_default
        return current in self.insee

    @property
    def is_default(self) -> bool:
        """The edition's territory when none is given: the historic Auvergne."""
        return self.kind == "region" and self.code == REGION_CODE

    @property
    def label(self) -> str:
        """French phrase for messages: 'la commune Thiers (63430)'."""
        if self.kind == "commune":
            return f"la commune {self.name} ({self.code})"
        if self.kind == "departement":
            d = departements().get(self.code)
            return f"le département {d.of if d else self.name} ({self.code})"
        if self.kind == "region":
            return f"la région {self.name}"
        e = _epci_by_siren().get(self.code)
        head = _EPCI_KIND_LABELS.get(e.kind, "l'EPCI") if e else "l'EPCI"
        core = _epci_core(e.name) if e else self.name
        return f"{head} {core}"

    @property
    def query(self) -> str:
        """Text that resolves to exactly this territory (for --territoire)."""
        if self.kind == "region":
            return "" if self.is_default else self.name
        return self.code


# --------------------------------------------------------------------------
# Constructors


def release() -> None:
    """Let the gazetteer go with everything this module keeps from it
    (territories, EPCI, commune words): a build calls it once its entries are
    selected.  The next question builds them again."""
    for cached in (
        _epci_by_siren,
        commune,
        epci,
        departement,
        region,
        region_of_today,
        _epci_keys,
        _commune_words,
        _resolve,
    ):
        cached.cache_clear()
    geo.release()


@lru_cache(maxsize=1)
def _epci_by_siren() -> dict[str, Epci]:
    return {e.siren: e for e in gazetteer().epcis}


def _commune_slug(c: Commune) -> str:
    """Slug of a commune's file names.  Homonyms get their département
    ('beaulieu-cantal'): within Auvergne as before (file names of the
    region's editions do not change), anywhere in France for the others."""
    s = slugify(c.name)
    auvergne = c.departement in AUVERGNE
    # Same slug implies same name key: the homonyms are among find()'s answers.
    same = [
        x
        for x in gazetteer().find(c.name)
        if x.insee != c.insee and (not auvergne or x.departement in AUVERGNE) and slugify(x.name) == s
    ]
    if same:
        d = departements().get(c.departement)
        s = f"{s}-{slugify(d.name if d else c.departement)}"
    return s


@lru_cache(maxsize=None)
def commune(insee: str) -> Territory:
    """The commune with this INSEE code (old codes of merged communes followed)."""
    c = gazetteer().by_insee(insee)
    if c is None:
        raise UnknownTerritory(
            f"Aucune commune de France n’a le code INSEE « {insee} » : vérifiez le code "
            f"(5 caractères, par exemple 63113 ; 2A004 en Corse)."
        )
    return Territory("commune", c.insee, c.name, _commune_slug(c), frozenset({c.insee}))


@lru_cache(maxsize=None)
def epci(siren: str) -> Territory:
    """The EPCI with this SIREN; ``insee`` lists all its members."""
    e = _epci_by_siren().get(str(siren).strip())
    if e is None:
        raise UnknownTerritory(
            f"Aucun EPCI de SIREN « {siren} » parmi les intercommunalités de France : "
            f"vérifiez le numéro ou donnez le nom de l'intercommunalité."
        )
    return Territory("epci", e.siren, expand_epci_name(e.name), slugify(e.name), frozenset(e.members))


def _dept_code(code: str) -> str:
    code = str(code).strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


@lru_cache(maxsize=None)
def departement(code: str) -> Territory:
    code = _dept_code(code)
    d = departements().get(code)
    if d is None:
        raise UnknownTerritory(
            f"Le département « {code} » n'existe pas : donnez son numéro (01 à 95, 2A, 2B, 971 à 976) ou son nom."
        )
    members = frozenset(c.insee for c in gazetteer().in_departements({code}))
    return Territory("departement", code, d.name, slugify(d.name), members)


@lru_cache(maxsize=1)
def region() -> Territory:
    """The default territory: the four départements of the former Auvergne region."""
    return Territory(
        "region",
        REGION_CODE,
        REGION_NAME,
        slugify(REGION_NAME),
        frozenset(c.insee for c in gazetteer().in_departements(AUVERGNE)),
    )


def _regions() -> dict[str, str]:
    """Regions of today: INSEE code -> name."""
    return {d.region: d.region_name for d in departements().values() if d.region_name}


@lru_cache(maxsize=None)
def region_of_today(code: str) -> Territory:
    """A region of today by its INSEE code ('84' = Auvergne-Rhône-Alpes)."""
    name = _regions().get(str(code))
    if name is None:
        raise UnknownTerritory(f"Aucune région de code « {code} ».")
    depts = {d.code for d in departements().values() if d.region == str(code)}
    return Territory(
        "region", str(code), name, slugify(name), frozenset(c.insee for c in gazetteer().in_departements(depts))
    )


# --------------------------------------------------------------------------
# Resolution


@dataclass(frozen=True)
class _Candidate:
    territory: Territory
    ask: str  # what to type to get exactly this one
    strict: bool = False  # typed with the commune's own article ('Le Puy en Velay')
    display: bool = False  # typed as the commune's display name, article or not


def _ask_commune(c: Commune) -> str:
    """What to type to get exactly this commune: its name; with its
    département ('Saint-Palais (33)') when other communes bear the name, with
    its postal code when that is not enough, else its INSEE code."""
    g = gazetteer()
    homonyms = g.find(c.name)
    if len(homonyms) <= 1:
        return f"commune {c.name}"
    if sum(1 for h in homonyms if h.departement == c.departement) == 1:
        return f"{c.name} ({c.departement})"
    for pc in c.postcodes:
        if len(g.find(c.name, pc)) == 1:
            return f"{c.name} {pc}"
    return c.insee


def _commune_candidate(c: Commune, words: tuple[str, ...] = ()) -> _Candidate:
    ask = _ask_commune(c)
    display = _words(c.name) == words
    strict = display and len(words) > 1 and words[0] in _LEADING
    return _Candidate(commune(c.insee), ask, strict, display)


def _epci_candidate(e: Epci) -> _Candidate:
    return _Candidate(epci(e.siren), e.name)


def _dept_candidate(code: str) -> _Candidate:
    return _Candidate(departement(code), code)


@lru_cache(maxsize=1)
def _epci_keys() -> tuple[tuple[Epci, tuple[tuple[str, ...], ...], tuple[str, ...]], ...]:
    """Per EPCI: the word sequences that name it exactly, and its core words
    without leading preposition (used for partial and 'named after' matches)."""
    out = []
    for e in gazetteer().epcis:
        core = _words(_epci_core(e.name))
        bare = _strip_leading(core)
        keys = {_words(e.name), _words(expand_epci_name(e.name)), core, bare}
        out.append((e, tuple(keys), bare))
    return tuple(out)


def _contains_run(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def _qualify(words: tuple[str, ...]) -> tuple[Kind | None, tuple[str, ...]]:
    for q, kind, strip in _QUALIFIERS:
        if words[: len(q)] == q and len(words) > len(q):
            return kind, words[len(q) :] if strip else words
    return None, words


def _exact(words: tuple[str, ...], kinds: set[str]) -> list[_Candidate]:
    g = gazetteer()
    out: list[_Candidate] = []
    joined = "".join(words)
    if "commune" in kinds:
        # Its own name, else a delegated or merged commune ('Mourjou'): its current commune.
        out += [_commune_candidate(c, words) for c in g.find(" ".join(words))]
    if "epci" in kinds:
        for e, keys, _ in _epci_keys():
            if any("".join(k) == joined for k in keys):
                out.append(_epci_candidate(e))
    if "departement" in kinds:
        for d in departements().values():
            if "".join(_words(d.name)) == joined:
                out.append(_dept_candidate(d.code))
    return out


@lru_cache(maxsize=1)
def _commune_words() -> tuple[tuple[Commune, tuple[str, ...]], ...]:
    return tuple((c, _words(c.name)) for c in gazetteer().communes.values())


def _partial(words: tuple[str, ...], kinds: set[str]) -> list[_Candidate]:
    out: list[_Candidate] = []
    if "commune" in kinds:
        for c, cw in _commune_words():
            if _contains_run(cw, words):
                out.append(_commune_candidate(c))
    if "epci" in kinds:
        for e, keys, _ in _epci_keys():
            if any(_contains_run(k, words) for k in keys):
                out.append(_epci_candidate(e))
    if "departement" in kinds:
        for d in departements().values():
            if _contains_run(_words(d.name), words):
                out.append(_dept_candidate(d.code))
    return out


def _named_after(words: tuple[str, ...]) -> list[_Candidate]:
    """EPCI whose name begins with these words ('Thiers' → CC Thiers Dore et Montagne)."""
    bare = _strip_leading(words)
    return [
        _epci_candidate(e) for e, _, core in _epci_keys() if core[: len(words)] == words or core[: len(bare)] == bare
    ]


def _join_fr(items: list[str], last: str = "et") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _in_default(c: _Candidate) -> bool:
    """Whether a candidate lies (at least partly) in the default region."""
    return not c.territory.insee.isdisjoint(region().insee)


def _ambiguous(text: str, found: list[_Candidate]) -> UnknownTerritory:
    # Those of the default region first: they are the ones shown when many.
    found = sorted(_unique(found), key=lambda c: not _in_default(c))
    shown = found[:8]
    more = len(found) - len(shown)
    labels = [c.territory.label for c in shown]
    if more:
        labels.append(f"{more} autre{'s' if more > 1 else ''}")
    asks = [f"« {c.ask} »" for c in shown]
    return UnknownTerritory(
        f"« {text} » désigne {_join_fr(labels)} : précisez {_join_fr(asks, 'ou')}"
        f" (un code INSEE de commune, un SIREN d'EPCI ou un numéro de département convient aussi)."
    )


def _unique(found: Iterable[_Candidate]) -> list[_Candidate]:
    seen: dict[tuple[str, str], _Candidate] = {}
    for c in found:
        seen.setdefault((c.territory.kind, c.territory.code), c)
    return list(seen.values())


def _unknown(text: str, words: tuple[str, ...], kinds: set[str]) -> UnknownTerritory:
    # Keys first, candidates only for the closest ones: there are 35,000 communes.
    by_key: dict[str, list[Any]] = {}
    if "commune" in kinds:
        for c, cw in _commune_words():
            by_key.setdefault("".join(_strip_leading(cw)), []).append(c)
    if "epci" in kinds:
        for e, _, core in _epci_keys():
            by_key.setdefault("".join(core), []).append(e)
    if "departement" in kinds:
        for d in departements().values():
            by_key.setdefault("".join(_words(d.name)), []).append(d)
    close = difflib.get_close_matches("".join(_strip_leading(words)), list(by_key), n=4, cutoff=0.75)
    hint = ""
    if close:
        sugg = []
        for k in close:
            for x in by_key[k]:
                if isinstance(x, Commune):
                    sugg.append(_commune_candidate(x).territory.label)
                elif isinstance(x, Epci):
                    sugg.append(_epci_candidate(x).territory.label)
                else:
                    sugg.append(_dept_candidate(x.code).territory.label)
        hint = f" Vouliez-vous dire : {_join_fr(sugg[:5])} ?"
    return UnknownTerritory(
        f"Territoire inconnu : « {text} ». Donnez une commune, une intercommunalité (EPCI), un "
        f"département ou une région de France, par son nom ou son code.{hint}"
    )


def resolve(text: str | None) -> Territory:
    """The territory a user means; raises UnknownTerritory (French message,
    candidates or suggestions) when it is unknown or ambiguous."""
    if isinstance(text, Territory):
        return text
    if text is None or not str(text).strip():
        return region()
    return _resolve(str(text).strip())


_NAME_AND_CODE = re.compile(
    r"(?:commune\s+)?(?P<name>.*?[^\W\d_].*?)[\s,]*\(?\s*(?P<code>\d{5}|9[78]\d|\d{2}|2[AB])\s*\)?", re.I
)


def _commune_with_code(text: str) -> Territory | None:
    """'Murat 15300', 'Murat (15)', 'Murat, 15': a commune name followed by its
    postal code or département, the way people tell homonyms apart."""
    m = _NAME_AND_CODE.fullmatch(text.strip())
    if not m:
        return None
    code = m["code"].upper()
    found = [
        c
        for c in gazetteer().find(m["name"].strip())
        if (c.departement == code if len(code) in (2, 3) else code in c.postcodes or c.insee == code)
    ]
    return commune(found[0].insee) if len(found) == 1 else None


@lru_cache(maxsize=512)
def _resolve(text: str) -> Territory:
    compact = re.sub(r"\s+", "", text)
    if re.fullmatch(r"\d{1,2}|2[AB]|9[78]\d", compact, flags=re.I):
        return departement(compact)
    if re.fullmatch(r"\d{5}|2[AB]\d{3}", compact, flags=re.I):
        return commune(compact.upper())
    if re.fullmatch(r"\d{9}", compact):
        return epci(compact)
    qualified = _commune_with_code(text)
    if qualified is not None:
        return qualified
    words = _words(text)
    if not words:
        raise _unknown(text, words, {"commune", "epci", "departement"})
    if " ".join(words) in _REGION_TEXTS:
        return region()
    today = _region_of_today(words)
    if today is not None:
        return today
    kind, words = _qualify(words)
    kinds = {kind} if kind else {"commune", "epci", "departement"}
    if kind == "departement" and re.fullmatch(r"\d{1,2}|2[ab]|9[78]\d", "".join(words)):
        return departement("".join(words))
    if kind == "commune" and re.fullmatch(r"\d{5}", "".join(words)):
        return commune("".join(words))

    found = _unique(_exact(words, kinds))
    communes = [c for c in found if c.territory.kind == "commune"]
    if len(communes) > 1:
        # Homonyms: 'Le Monestier' typed with its article is not 'Monestier'.
        strict = [c for c in communes if c.display]
        if len(strict) == 1:
            found = [c for c in found if c.territory.kind != "commune"] + strict
            communes = strict
    if len(found) == 1 and found[0].territory.kind == "commune" and kind is None and not found[0].strict:
        rivals = _named_after(words)
        if rivals:
            raise _ambiguous(text, found + rivals)
    if found and not any(_in_default(c) for c in found) and sum(len(w) for w in words) >= 3:
        # 'Clermont' names four communes elsewhere in France, and in Auvergne
        # Clermont-Ferrand and its métropole: the user is asked which.
        near = [c for c in _partial(words, kinds) if _in_default(c)]
        if near:
            raise _ambiguous(text, found + near)
    if len(found) == 1:
        return found[0].territory
    if found:
        raise _ambiguous(text, found)

    # No exact name: whole words inside a name; a lone candidate is clear enough.
    if sum(len(w) for w in words) >= 3:
        part = _unique(_partial(words, kinds))
        if len(part) == 1:
            return part[0].territory
        if part:
            raise _ambiguous(text, part)
    # 'Saint-Flour Communauté', 'Clermont Métropole': an EPCI called by its
    # place and a kind word in another order than the official name.
    core = tuple(w for w in words if w not in _EPCI_KIND_WORDS)
    if "epci" in kinds and core and core != words and sum(len(w) for w in core) >= 3:
        # Its whole name first ('Hautes Terres Communauté' is CC Hautes Terres,
        # not CC des Hautes Terres de l'Aubrac).
        whole = [_epci_candidate(e) for e, _, bare in _epci_keys() if bare == _strip_leading(core)]
        if len(whole) == 1:
            return whole[0].territory
        part = _unique(_partial(core, {"epci"}))
        if len(part) == 1:
            return part[0].territory
        if part:
            raise _ambiguous(text, part)
    raise _unknown(text, words, kinds)


def _region_of_today(words: tuple[str, ...]) -> Territory | None:
    """'Auvergne-Rhône-Alpes', 'région Occitanie', 'AURA'."""
    if words[:1] == ("region",) and len(words) > 1:
        words = words[1:]
    joined = "".join(words)
    if joined == "aura":
        return region_of_today("84")
    for code, name in _regions().items():
        if "".join(_words(name)) == joined:
            return region_of_today(code)
    return None


_EPCI_KIND_WORDS = frozenset(
    {
        "communaute",
        "communautes",
        "communes",
        "agglomeration",
        "agglo",
        "metropole",
        "cc",
        "ca",
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
    }
)


# --------------------------------------------------------------------------
# Batches

_BY_ALIASES = {
    "commune": "commune",
    "communes": "commune",
    "epci": "epci",
    "intercommunalite": "epci",
    "intercommunalites": "epci",
    "departement": "departement",
    "departements": "departement",
    "dept": "departement",
    "region": "region",
}


def _order(t: Territory) -> tuple:
    """French alphabetical order of the name people know: an EPCI without its
    'CC'/'CA' and 'du'/'de la' ('Massif du Sancy' under M)."""
    from annuaire.text.collate import sort_key

    if t.kind == "epci":
        e = _epci_by_siren()[t.code]
        core = _epci_core(e.name)
        words = core.split(" ")
        while len(words) > 1 and _words(words[0]) and _words(words[0])[0] in _LEADING:
            words = words[1:]
        core = " ".join(words)
        if core.lower().startswith(("l'", "l’", "d'", "d’")):
            core = core[2:]
        return (sort_key(core), t.code)
    return (sort_key(t.name), t.code)


def editions(by: str, within: Territory | None = None) -> tuple[Territory, ...]:
    """Every territory of a batch over ``within`` (the default region, the
    historic Auvergne, when None): by 'epci', 'departement', 'commune' (or
    'region', one edition).  In French alphabetical order of their names
    (départements by code), never depending on the data.  An EPCI belongs to
    the batch when one of its members lies in ``within``."""
    where = within or region()
    key = _BY_ALIASES.get(" ".join(_words(by or "")))
    g = gazetteer()
    if key == "commune":
        items = [commune(c) for c in g.communes if c in where.insee]
    elif key == "epci":
        items = [epci(e.siren) for e in g.epcis if not where.insee.isdisjoint(e.members)]
    elif key == "departement":
        codes = {g.communes[c].departement for c in where.insee if c in g.communes}
        return tuple(departement(code) for code in sorted(codes))
    elif key == "region":
        return (where,)
    else:
        raise UnknownTerritory(f"Découpage inconnu : « {by} ». Choisissez « epci », « departement » ou « commune ».")
    return tuple(sorted(items, key=_order))
