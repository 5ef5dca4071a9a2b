"""Territories of an edition: a commune, an EPCI, a département or the region.

``resolve(text)`` turns what a user types after ``--territoire`` into a
:class:`Territory`: an INSEE code (old codes of merged communes included), a
SIREN, a département code, or a name typed loosely ('Le Puy en Velay',
'puy de dome', 'Hautes Terres', 'CC Hautes Terres').  A name that could mean
several territories is refused with the candidates and how to ask for each
one, never guessed: a directory printed for the wrong territory is worse than
a question.  ``editions(by)`` lists the territories of a region-wide batch.

Matching rules, in order:

1. codes: 2 digits = département, 5 = commune (INSEE, merged codes followed),
   9 = EPCI (SIREN);
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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Literal

from annuaire.text.collate import plain
from annuaire.errors import UnknownTerritory
from annuaire.reference.geo import DEPARTEMENTS, Commune, Epci, gazetteer, name_key

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
# Articles of département names, for « le département du Puy-de-Dôme ».
_DEPT_OF = {"03": "de l'Allier", "15": "du Cantal", "43": "de la Haute-Loire", "63": "du Puy-de-Dôme"}

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
    "region", "la region", "auvergne", "region auvergne", "toute la region", "tout",
    "ancienne region auvergne",
}
_LEADING = {"du", "de", "des", "d", "la", "le", "les", "l"}


def _words(text: str) -> tuple[str, ...]:
    """Words of a name for comparison: no accents, no case, punctuation and
    hyphens are separators, 'St'/'Ste' expanded."""
    s = plain(str(text))
    s = s.replace("œ", "oe").replace("æ", "ae")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    out = []
    for w in s.split():
        out.append({"st": "saint", "ste": "sainte"}.get(w, w))
    return tuple(out)


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
    g = gazetteer()
    if text in g.communes:
        return text
    return g.merged.get(text, text)


def place(entry: Any) -> str | None:
    """The current INSEE code of an entry (or of a bare code): its code with
    merges followed, else its commune name and postal code if they designate
    one commune; None when it cannot be placed."""
    if entry is None or isinstance(entry, str):
        return canonical_insee(entry)
    current = canonical_insee(getattr(entry, "insee", None))
    if current is None:
        name = getattr(entry, "commune", None)
        if name:
            found = gazetteer().find(name, getattr(entry, "postcode", None))
            if len(found) == 1:
                current = found[0].insee
    return current


@dataclass(frozen=True)
class Territory:
    """The area of an edition.

    ``insee`` holds the current INSEE codes of the member communes; for an EPCI
    it keeps members outside the bundled départements too (no data there).
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
        code when that is unambiguous; the region keeps it regardless."""
        current = place(entry)
        if current is None:
            return self.kind == "region"
        return current in self.insee

    @property
    def label(self) -> str:
        """French phrase for messages: 'la commune Thiers (63430)'."""
        if self.kind == "commune":
            return f"la commune {self.name} ({self.code})"
        if self.kind == "departement":
            return f"le département {_DEPT_OF.get(self.code, self.name)} ({self.code})"
        if self.kind == "region":
            return f"la région {self.name}"
        e = _epci_by_siren().get(self.code)
        head = _EPCI_KIND_LABELS.get(e.kind, "l'EPCI") if e else "l'EPCI"
        core = _epci_core(e.name) if e else self.name
        return f"{head} {core}"

    @property
    def query(self) -> str:
        """Text that resolves to exactly this territory (for --territoire)."""
        return "" if self.kind == "region" else self.code


# --------------------------------------------------------------------------
# Constructors


@lru_cache(maxsize=1)
def _epci_by_siren() -> dict[str, Epci]:
    return {e.siren: e for e in gazetteer().epcis}


@lru_cache(maxsize=1)
def _commune_slugs() -> dict[str, str]:
    """Slug of every commune; homonyms get their département ('beaulieu-cantal')."""
    g = gazetteer()
    base = {c.insee: slugify(c.name) for c in g.communes.values()}
    counts: dict[str, int] = {}
    for s in base.values():
        counts[s] = counts.get(s, 0) + 1
    out = {}
    for insee, s in base.items():
        if counts[s] > 1:
            s = f"{s}-{slugify(DEPARTEMENTS[g.communes[insee].departement])}"
        out[insee] = s
    return out


@lru_cache(maxsize=None)
def commune(insee: str) -> Territory:
    """The commune with this INSEE code (old codes of merged communes followed)."""
    c = gazetteer().by_insee(insee)
    if c is None:
        raise UnknownTerritory(
            f"Aucune commune de code INSEE « {insee} » dans les départements couverts "
            f"({', '.join(DEPARTEMENTS)}) : vérifiez le code."
        )
    return Territory("commune", c.insee, c.name, _commune_slugs()[c.insee], frozenset({c.insee}))


@lru_cache(maxsize=None)
def epci(siren: str) -> Territory:
    """The EPCI with this SIREN; ``insee`` lists all its members."""
    e = _epci_by_siren().get(str(siren).strip())
    if e is None:
        raise UnknownTerritory(
            f"Aucun EPCI de SIREN « {siren} » parmi les intercommunalités des départements "
            f"couverts : vérifiez le numéro ou donnez le nom de l'intercommunalité."
        )
    return Territory("epci", e.siren, expand_epci_name(e.name), slugify(e.name), frozenset(e.members))


@lru_cache(maxsize=None)
def departement(code: str) -> Territory:
    code = str(code).strip().zfill(2)
    if code not in DEPARTEMENTS:
        raise UnknownTerritory(
            f"Le département « {code} » n'est pas couvert : les données portent sur l'Allier (03), "
            f"le Cantal (15), la Haute-Loire (43) et le Puy-de-Dôme (63)."
        )
    members = frozenset(c.insee for c in gazetteer().communes.values() if c.departement == code)
    name = DEPARTEMENTS[code]
    return Territory("departement", code, name, slugify(name), members)


@lru_cache(maxsize=1)
def region() -> Territory:
    """The whole covered area: the four départements of the former Auvergne region."""
    return Territory("region", REGION_CODE, REGION_NAME, slugify(REGION_NAME),
                     frozenset(gazetteer().communes))


# --------------------------------------------------------------------------
# Resolution


@dataclass(frozen=True)
class _Candidate:
    territory: Territory
    ask: str  # what to type to get exactly this one
    strict: bool = False  # typed with the commune's own article ('Le Puy en Velay')
    display: bool = False  # typed as the commune's display name, article or not


def _commune_candidate(c: Commune, words: tuple[str, ...] = ()) -> _Candidate:
    homonyms = len(gazetteer().find(c.name)) > 1
    ask = c.insee if homonyms else f"commune {c.name}"
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
    return any(words[i:i + n] == part for i in range(len(words) - n + 1))


def _qualify(words: tuple[str, ...]) -> tuple[Kind | None, tuple[str, ...]]:
    for q, kind, strip in _QUALIFIERS:
        if words[: len(q)] == q and len(words) > len(q):
            return kind, words[len(q):] if strip else words
    return None, words


def _exact(words: tuple[str, ...], kinds: set[str]) -> list[_Candidate]:
    g = gazetteer()
    out: list[_Candidate] = []
    joined = "".join(words)
    if "commune" in kinds:
        key = name_key(" ".join(words))
        current = [c for c in g.communes.values() if name_key(c.name) == key]
        if not current and key in g.old_names:
            # A delegated or merged commune ('Mourjou'): its current commune.
            c = g.communes.get(g.old_names[key])
            current = [c] if c else []
        out += [_commune_candidate(c, words) for c in current]
    if "epci" in kinds:
        for e, keys, _ in _epci_keys():
            if any("".join(k) == joined for k in keys):
                out.append(_epci_candidate(e))
    if "departement" in kinds:
        for code, name in DEPARTEMENTS.items():
            if "".join(_words(name)) == joined:
                out.append(_dept_candidate(code))
    return out


def _partial(words: tuple[str, ...], kinds: set[str]) -> list[_Candidate]:
    g = gazetteer()
    out: list[_Candidate] = []
    if "commune" in kinds:
        for c in g.communes.values():
            if _contains_run(_words(c.name), words):
                out.append(_commune_candidate(c))
    if "epci" in kinds:
        for e, keys, _ in _epci_keys():
            if any(_contains_run(k, words) for k in keys):
                out.append(_epci_candidate(e))
    if "departement" in kinds:
        for code, name in DEPARTEMENTS.items():
            if _contains_run(_words(name), words):
                out.append(_dept_candidate(code))
    return out


def _named_after(words: tuple[str, ...]) -> list[_Candidate]:
    """EPCI whose name begins with these words ('Thiers' → CC Thiers Dore et Montagne)."""
    bare = _strip_leading(words)
    return [_epci_candidate(e) for e, _, core in _epci_keys()
            if core[: len(words)] == words or core[: len(bare)] == bare]


def _join_fr(items: list[str], last: str = "et") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _ambiguous(text: str, found: list[_Candidate]) -> UnknownTerritory:
    found = _unique(found)
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
    g = gazetteer()
    names: dict[str, _Candidate] = {}
    if "commune" in kinds:
        for c in g.communes.values():
            names.setdefault("".join(_strip_leading(_words(c.name))) + "#" + c.insee, _commune_candidate(c))
    if "epci" in kinds:
        for e, _, core in _epci_keys():
            names["".join(core) + "#" + e.siren] = _epci_candidate(e)
    if "departement" in kinds:
        for code, name in DEPARTEMENTS.items():
            names["".join(_words(name)) + "#" + code] = _dept_candidate(code)
    by_key: dict[str, list[_Candidate]] = {}
    for k, c in names.items():
        by_key.setdefault(k.split("#")[0], []).append(c)
    close = difflib.get_close_matches("".join(_strip_leading(words)), list(by_key), n=4, cutoff=0.75)
    hint = ""
    if close:
        sugg = [c.territory.label for k in close for c in by_key[k]]
        hint = f" Vouliez-vous dire : {_join_fr(sugg[:5])} ?"
    return UnknownTerritory(
        f"Territoire inconnu : « {text} ». Donnez une commune, une intercommunalité (EPCI) ou un "
        f"département de l'Allier, du Cantal, de la Haute-Loire ou du Puy-de-Dôme, par son nom "
        f"ou son code.{hint}"
    )


def resolve(text: str | None) -> Territory:
    """The territory a user means; raises UnknownTerritory (French message,
    candidates or suggestions) when it is unknown or ambiguous."""
    if isinstance(text, Territory):
        return text
    if text is None or not str(text).strip():
        return region()
    return _resolve(str(text).strip())


_NAME_AND_CODE = re.compile(r"(?:commune\s+)?(?P<name>.*?[^\W\d_].*?)[\s,]*\(?\s*(?P<code>\d{5}|\d{2})\s*\)?",
                            re.I)


def _commune_with_code(text: str) -> Territory | None:
    """'Murat 15300', 'Murat (15)', 'Murat, 15': a commune name followed by its
    postal code or département, the way people tell homonyms apart."""
    m = _NAME_AND_CODE.fullmatch(text.strip())
    if not m:
        return None
    code = m["code"]
    found = [c for c in gazetteer().find(m["name"].strip())
             if (c.departement == code if len(code) == 2 else code in c.postcodes or c.insee == code)]
    return commune(found[0].insee) if len(found) == 1 else None


@lru_cache(maxsize=512)
def _resolve(text: str) -> Territory:
    compact = re.sub(r"\s+", "", text)
    if re.fullmatch(r"\d{1,2}", compact):
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
    kind, words = _qualify(words)
    kinds = {kind} if kind else {"commune", "epci", "departement"}
    if kind == "departement" and re.fullmatch(r"\d{1,2}", "".join(words)):
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
    if len(found) == 1 and found[0].territory.kind == "commune" and kind is None \
            and not found[0].strict:
        rivals = _named_after(words)
        if rivals:
            raise _ambiguous(text, found + rivals)
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
        part = _unique(_partial(core, {"epci"}))
        if len(part) == 1:
            return part[0].territory
        if part:
            raise _ambiguous(text, part)
    raise _unknown(text, words, kinds)


_EPCI_KIND_WORDS = frozenset({
    "communaute", "communautes", "communes", "agglomeration", "agglo", "metropole",
    "cc", "ca", "de", "du", "des", "d", "la", "le", "les", "l",
})


# --------------------------------------------------------------------------
# Batches

_BY_ALIASES = {
    "commune": "commune", "communes": "commune",
    "epci": "epci", "intercommunalite": "epci", "intercommunalites": "epci",
    "departement": "departement", "departements": "departement", "dept": "departement",
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


def editions(by: str) -> tuple[Territory, ...]:
    """Every territory of a region-wide batch: by 'epci', 'departement',
    'commune' (or 'region', one edition).  In French alphabetical order of
    their names (départements by code), never depending on the data."""
    key = _BY_ALIASES.get(" ".join(_words(by or "")))
    if key == "commune":
        items = [commune(c) for c in gazetteer().communes]
    elif key == "epci":
        items = [epci(e.siren) for e in gazetteer().epcis]
    elif key == "departement":
        return tuple(departement(code) for code in sorted(DEPARTEMENTS))
    elif key == "region":
        return (region(),)
    else:
        raise UnknownTerritory(
            f"Découpage inconnu : « {by} ». Choisissez « epci », « departement » ou « commune »."
        )
    return tuple(sorted(items, key=_order))
