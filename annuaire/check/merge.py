"""Find and fold duplicates across sources: one service, one entry.

Two rows are one service only when the evidence says so:

1. **A shared identifier** decides first: FINESS géographique, UAI, code_bib,
   Muséofile, CNC, UIC, La Poste, France services (the 2020 MATRICULE and the
   2024 ``id_fs`` are one numbering), the service-public.fr id
   (``<pivot>-<INSEE>-<nn>``, stable from the 2016 file to the 2019 one),
   SIRET of the establishment.  Identifiers are ranked, strongest first: a
   match on a stronger one overrides a disagreement on a weaker one (the SAE
   and FINESS rows of a hospital share the FINESS géographique but not the
   SIRET, which is often the legal entity's), while a disagreement on a
   stronger one forbids the join (two FINESS numbers are two places, even at
   one address with one phone).
   A service-public.fr id shared by a 2016 and a 2019 row joins them only
   when something else agrees (name, address or phone): the lineage was
   renumbered in places, and it never forbids a join.
2. **Without a shared identifier, the names** must designate the same service,
   in the same typology and commune, after normalisation (case, accents,
   articles, punctuation, the commune's own name, designations renamed by
   law such as MSAP → France services, Pôle emploi → France Travail): equal
   names, or near-identical ones that carry the same distinguishing words
   (Nord-Est ≠ Nord-Ouest, annexe, 2 ≠ 1…), or a name that only adds neutral
   words to the other ('Brigade de proximité de gendarmerie' / 'Brigade de
   gendarmerie') when the phone agrees, or the address agrees and the phone
   does not contradict it (numbers of sources more than two years apart do
   not).  A shared phone or address alone never merges: one palais de
   justice houses the tribunal and the CIVI, one centre des finances
   publiques four SIE.  When a row could join several, the one whose address
   and phone agree best wins.
3. **Two rows of one file** are never joined unless they are the same record
   (same identifier of the file; for rows without one, the same name,
   address and phone).  Rows of one compilation sheet that declare different
   sources (a Source column saying FINESS on one row, SAE on another) count
   as rows of different files.

Merged rows are folded: the most recent values win field by field, and every
origin and provider is kept so the attribution credits all sources.  Name
matches that were refused although the rows could be the same service are
reported as warnings naming both rows.

Cost: identifiers are joined through a dictionary; names are compared only
inside a block (typology, commune) and, inside it, only with the rows that
share a distinctive word or sort next to them, so the number of comparisons
grows linearly with the rows even when 3,000 pharmacies share one commune.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from datetime import date
from typing import Iterable

from rapidfuzz import fuzz

from annuaire.model import Entry, Issue, Merge, Origin
from annuaire.text.collate import plain

# Identifier schemes, strongest first.  FINESS juridique, SIREN and a SIRET
# shared by several FINESS sites ('siret-partage') name a legal body with many
# sites, so they are absent.
_SCHEMES = (
    "finess",
    "uai",
    "bib",
    "museofile",
    "cnc",
    "uic",
    "sncf",
    "laposte",
    "france_services",
    "dila",
    "dila-2025",
    "siret",
    "gtfs",
)
_RANK = {s: i for i, s in enumerate(_SCHEMES)}
_LABEL = {
    "finess": "FINESS",
    "uai": "UAI",
    "bib": "code_bib",
    "museofile": "Muséofile",
    "cnc": "CNC",
    "uic": "UIC",
    "sncf": "SNCF",
    "laposte": "La Poste",
    "france_services": "France services",
    "dila": "service-public.fr",
    "dila-2025": "service-public.fr",
    "siret": "SIRET",
    "gtfs": "réseau et commune (GTFS)",
}
# The 2020 France services list numbers its sites as the 2024 one does.
_ALIASES = {"france_services_2020": "france_services"}
# service-public.fr ids of 2016 and 2019 ('mairie-15003-01') form one lineage;
# the 2025 file uses UUIDs, another namespace that must not contradict them.
_DILA_PIVOT = re.compile(r"^[a-z0-9_]+-\d[0-9ab]\d{3}-\d+$", re.IGNORECASE)
# That lineage is evidence when two rows share an id and something else
# agrees, never against a join: it was renumbered when communes merged
# (Neussargues-Moissac's mairie is 'mairie-15141-01' in 2016, '-02' in 2019).
_LINEAGE = {"dila", "dila-2025"}

# Words that do not tell two services apart ('Mairie d'Ally' = 'Mairie - Ally').
_STOP = {
    "de",
    "d",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "et",
    "a",
    "au",
    "aux",
    "en",
    "sur",
    "pour",
    "par",
    "s",
}

# Designations that name the same kind of service, the left one spelled out
# or renamed since (applied to the normalised words, whole words only).
_SYNONYMS = (
    ("maison services public", "france services"),
    ("msap", "france services"),
    ("maison france services", "france services"),
    ("espace france services", "france services"),
    ("pole emploi", "france travail"),
    ("point information local dedie personnes agees", "clic"),
    ("centre local information coordination", "clic"),
    ("centre protection maternelle infantile", "pmi"),
    ("protection maternelle infantile", "pmi"),
    ("centre information orientation", "cio"),
    ("caisse allocations familiales", "caf"),
    ("caisse primaire assurance maladie", "cpam"),
)
_SYNONYM_RES = tuple((a.split()[0], re.compile(rf"\b{a}\b"), b) for a, b in _SYNONYMS)

# Words that tell two services of one name apart: a second mairie, a desk of
# the CAF, the four SIE of one building, a bus beside its fixed site.
_QUALIFIERS = {
    "annexe",
    "deleguee",
    "delegue",
    "antenne",
    "accueil",
    "permanence",
    "bus",
    "itinerant",
    "itinerante",
    "mobile",
    "siege",
    "secondaire",
    "site",
    "nord",
    "sud",
    "est",
    "ouest",
    "i",
    "ii",
    "iii",
    "iv",
    "bis",
    "ter",
    "adultes",
    "enfants",
    "adolescents",
    "maternelle",
    "elementaire",
    "primaire",
    "public",
    "publique",
    "prive",
    "privee",
}

# Names are compared with rows that share one of their two rarest words,
# when that word is in at most _POSTING names of the block, and with the
# _WINDOW names sorted next to them: bounded work per row.
_POSTING = 24
_RAREST = 2
_WINDOW = 3
_SAME_NAME_LINKS = 8
_NEAR = 90  # token_sort_ratio (0–100) of two names said near-identical
_WARN = 80  # lower bound of names close enough to be worth a warning

# Fields merged "most recent first"; the rest (key, typology…) come from the newest entry.
_MERGED_FIELDS = (
    "address",
    "address2",
    "postcode",
    "phone",
    "email",
    "website",
    "hours",
    "description",
    "latitude",
    "longitude",
)


@dataclass(frozen=True)
class MergeResult:
    entries: tuple[Entry, ...]
    merges: tuple[Merge, ...]
    issues: tuple[Issue, ...]
    comparisons: int = 0  # pairs of names compared (the cost of step 2)

    @property
    def duplicates(self) -> int:
        """Rows folded into another entry (each merge keeps one of its rows)."""
        return sum(len(m.merged) - 1 for m in self.merges)


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _words(text: str | None) -> list[str]:
    text = text or ""
    # ASCII text has nothing to fold but case: skip the Unicode decomposition.
    s = text.lower() if text.isascii() else plain(text)
    return _NON_ALNUM.sub(" ", s).split()


@lru_cache(maxsize=65536)
def name_key(name: str | None) -> str:
    """Name without case, accents, punctuation or small words."""
    return " ".join(w for w in _words(name) if w not in _STOP)


def address_key(address: str | None) -> str:
    # Without spaces: '73 rue La Fayette' = '73 rue Lafayette'.
    return name_key(address).replace(" ", "")


def phone_key(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    # Short or shared numbers (3631 for every post office) prove nothing.
    return digits if len(digits) >= 10 else ""


def core_words(name: str | None, commune: str | None = None) -> tuple[str, ...]:
    """The words that designate the service inside its commune.

    The name key, with designations renamed by law made one, the commune's
    own name removed (it is the block already: 'Mairie - Ally' and 'Mairie
    d'Ally' are both 'mairie') and repeated words dropped ('Centre
    d'information et d'orientation (CIO)' is 'cio')."""
    key = name_key(name)
    for word, pattern, canonical in _SYNONYM_RES:
        if word in key:  # cheap test first: few names hold a designation
            key = pattern.sub(canonical, key)
    commune_key = name_key(commune)
    if commune_key and f" {commune_key} " in f" {key} ":
        key = f" {key} ".replace(f" {commune_key} ", " ", 1)
    out: list[str] = []
    for w in key.split():
        if w not in out:
            out.append(w)
    return tuple(out)


def identifiers(entry: Entry) -> tuple[tuple[str, str], ...]:
    """The entry's identifiers under the schemes that identify one service."""
    out = []
    for scheme, value in entry.ids:
        if not value:
            continue
        scheme = _ALIASES.get(scheme, scheme)
        if scheme == "dila" and not _DILA_PIVOT.match(value):
            scheme = "dila-2025"
        if scheme in _RANK and (scheme, value) not in out:
            out.append((scheme, value))
    return tuple(out)


class _Row:
    """What the comparisons need of one entry, computed when first needed:
    most rows are alone in their block and never compared."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.ids = identifiers(entry)
        # One "file" for rule 3 is one file *and* one declared source: a
        # compilation sheet whose Source column gives FINESS on one row and
        # SAE on the next holds rows of two datasets, which may be joined.
        source = entry.providers[0].name if entry.providers else ""
        self.file = (entry.origins[0].file if entry.origins else entry.key, source)
        self.date = entry.updated

    @cached_property
    def core(self) -> tuple[str, ...]:
        return core_words(self.entry.name, self.entry.commune)

    @cached_property
    def core_text(self) -> str:
        return " ".join(self.core)

    @cached_property
    def marks(self) -> frozenset[str]:
        """Qualifiers and numbers of the name."""
        return frozenset(w for w in self.core if w in _QUALIFIERS or w.isdigit())

    @cached_property
    def address(self) -> str:
        return address_key(self.entry.address)

    @cached_property
    def phone(self) -> str:
        return phone_key(self.entry.phone)

    @cached_property
    def record(self) -> tuple:
        """What makes two rows of one file the same record: the file's own
        identifiers (a SIRET may be the legal body's, shared by two
        services), or for a row without any, its name, address and phone."""
        own = tuple(i for i in self.ids if i[0] != "siret")
        return own or (("ligne", name_key(self.entry.name), self.address, self.phone),)


class _Clusters:
    """Union-find over entry indexes that refuses joins the evidence forbids.

    Each cluster knows its identifiers by scheme and, for each file, the
    records it holds: two clusters that disagree on an identifier, or that
    hold two different records of one file, stay apart.  That knowledge is
    built for a row only when it first takes part in a join."""

    def __init__(self, rows: list[_Row]) -> None:
        self.rows = rows
        self.parent = list(range(len(rows)))
        self.reasons: dict[int, list[str]] = {}
        self.state: dict[int, tuple[dict[str, set[str]], dict[str, set]]] = {}
        self.size: dict[int, int] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _state(self, root: int) -> tuple[dict[str, set[str]], dict[str, set]]:
        if root not in self.state:
            r = self.rows[root]
            ids: dict[str, set[str]] = {}
            for scheme, value in r.ids:
                ids.setdefault(scheme, set()).add(value)
            self.state[root] = (ids, {r.file: set(r.record)})
        return self.state[root]

    def obstacle(self, a: int, b: int, by: str | None = None) -> tuple[str, str] | None:
        """Why the clusters of a and b may not be joined, or None: ('id' or
        'file', the reason in French).

        ``by`` is the scheme of the identifier they share: disagreements on
        weaker schemes do not count then."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        (ia, fa), (ib, fb) = self._state(ra), self._state(rb)
        for scheme in ia.keys() & ib.keys():
            if scheme in _LINEAGE or (by is not None and _RANK[scheme] > _RANK[by]):
                continue
            if not ia[scheme] & ib[scheme]:
                return "id", f"identifiants {_LABEL[scheme]} différents"
        for f in fa.keys() & fb.keys():
            if not fa[f] & fb[f]:
                return "file", "deux lignes distinctes du même fichier"
        return None

    def union(self, a: int, b: int, why: str, by: str | None = None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.obstacle(ra, rb, by) is not None:
            return False
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        big, small = self._state(lo), self.state.pop(hi)
        if self.size.get(hi, 1) > self.size.get(lo, 1):
            # The smaller cluster is copied into the larger: linear overall.
            big, small = small, big
        self.state[lo] = big
        self.size[lo] = self.size.get(lo, 1) + self.size.pop(hi, 1)
        for scheme, values in small[0].items():
            big[0].setdefault(scheme, set()).update(values)
        for f, records in small[1].items():
            big[1].setdefault(f, set()).update(records)
        reasons = self.reasons.setdefault(lo, [])
        for r in self.reasons.pop(hi, []) + [why]:
            if r not in reasons:
                reasons.append(r)
        return True


def _recency(e: Entry) -> tuple:
    # Newest first; undated entries last; ties keep input order (stable sort).
    return (e.updated is None, -(e.updated or date.min).toordinal())


def _fold(group: list[Entry]) -> Entry:
    ordered = sorted(group, key=_recency)
    newest = ordered[0]
    values = {}
    given_by = []
    for name in _MERGED_FIELDS:
        for e in ordered:
            v = getattr(e, name)
            if v not in (None, "", ()):
                values[name] = v
                source = e.providers[0] if e.providers else None
                given_by.append(
                    (
                        name,
                        source.name if source else e.origins[0].file if e.origins else "",
                        e.updated or (source.date if source else None),
                    )
                )
                break
    # The place comes with the street address: the commune of the newest
    # source that gives one, else of the newest that names its commune; a
    # commune guessed from a position (Parcoursup) never moves the entry.
    placed = next((e for e in ordered if e.address), None) or next((e for e in ordered if not e.rough_place), newest)
    if placed is not newest:
        # The postal code goes with the commune: another source's may be of the
        # commune it guessed ('63170' for a lycée of Clermont-Ferrand).
        values["commune"], values["insee"], values["postcode"] = placed.commune, placed.insee, placed.postcode
    values["rough_place"] = placed.rough_place
    providers, origins, ids, services = [], [], [], []
    for e in group:  # input order, so the first source read is credited first
        providers += [p for p in e.providers if p not in providers]
        origins += [o for o in e.origins if o not in origins]
        ids += [i for i in e.ids if i not in ids]
        # Every source's services are kept: each says something the others may not.
        services += [s for s in e.services if s not in services]
    return replace(
        newest,
        key=group[0].key,
        providers=tuple(providers),
        origins=tuple(origins),
        ids=tuple(ids),
        services=tuple(services),
        field_sources=tuple(given_by),
        **values,
    )


@dataclass(frozen=True)
class _Pair:
    """Two rows of one block whose names were compared."""

    a: int
    b: int
    tier: int  # 0 same name, 1 near-identical, 2 compatible + contact, 3 warning only
    address: bool  # same address
    phone: bool  # same phone
    contradict: int  # address and phone that differ
    score: float
    differ: int = 0  # address and phone that differ, whatever the sources' dates

    @property
    def agree(self) -> int:
        return self.address + self.phone

    def order(self) -> tuple:
        return (self.tier, -self.agree, self.contradict, -self.score, self.a, self.b)


def _same_address(u: str, v: str) -> bool:
    """One address says less than the other, not something else: 'Rue
    Picasso' / '12 rue Picasso', 'Centre des finances publiques 8 rue du
    Bief' / '8 rue du Bief', 'Bureau de poste - Place de la Croix' / '17
    place de la Croix'."""
    if u == v:
        return True
    for a, b in ((u, v), (_NUMBERS.sub("", u), _NUMBERS.sub("", v))):
        short, long_ = sorted((a, b), key=len)
        if len(short) >= 8 and (long_.endswith(short) or long_.startswith(short)):
            return True
    return False


_NUMBERS = re.compile(r"\d+(bis|ter)?")
# Phone numbers change: two numbers of sources this far apart in time do not
# say that the services differ, only that one of them moved on.
_PHONE_ERA = 730  # days


def _contact(x: _Row, y: _Row) -> tuple[bool, bool, int, int]:
    """(same address, same phone, how many of the two contradict each other,
    how many differ): a phone of a source years older differs without
    contradicting."""
    address = bool(x.address and y.address and _same_address(x.address, y.address))
    phone = bool(x.phone and x.phone == y.phone)
    other_address = bool(x.address and y.address) and not address
    other_phone = bool(x.phone and y.phone) and not phone
    apart = x.date is not None and y.date is not None and abs((x.date - y.date).days) > _PHONE_ERA
    return address, phone, other_address + (other_phone and not apart), other_address + other_phone


def _compatible(x: _Row, y: _Row) -> bool:
    """One name only adds neutral words to the other ('Brigade de
    gendarmerie' / 'Brigade de proximité de gendarmerie'); a mairie
    déléguée is what the mairie of a merged commune became."""
    sx, sy = set(x.core), set(y.core)
    small, big = (sx, sy) if len(sx) <= len(sy) else (sy, sx)
    if not small <= big:
        return False
    extra = big - small
    if extra <= {"deleguee", "delegue"} and len(small) > 1:
        return True
    return not any(w in _QUALIFIERS or w.isdigit() for w in extra)


def _judge(a: int, b: int, x: _Row, y: _Row) -> _Pair | None:
    """How far the names of x and y designate one service (None: not at all)."""
    if not (x.core and y.core):
        return None
    address, phone, contradict, differ = _contact(x, y)
    if x.core_text == y.core_text:
        return _Pair(a, b, 0, address, phone, contradict, 100.0, differ)
    score = fuzz.token_sort_ratio(x.core_text, y.core_text)
    if score >= _NEAR and x.marks == y.marks:
        return _Pair(a, b, 1, address, phone, contradict, score, differ)
    # A phone is the service's own; an address may be a whole building's.
    if _compatible(x, y) and (phone or (address and not contradict)):
        return _Pair(a, b, 2, address, phone, contradict, score, differ)
    if score >= _WARN and x.marks == y.marks and (address or phone) and not contradict:
        return _Pair(a, b, 3, address, phone, contradict, score, differ)
    return None


def _corroborated(x: _Row, y: _Row) -> bool:
    """A service-public.fr id shared by a 2016 and a 2019 row is trusted when
    something else agrees: the lineage was sometimes renumbered (Trésorerie
    de Clermont-Ferrand – Banlieue in 2016, … CHU in 2019, one id)."""
    address, phone, _, _ = _contact(x, y)
    return address or phone or _compatible(x, y) or fuzz.token_sort_ratio(x.core_text, y.core_text) >= _WARN


def _candidates(members: list[int], rows: list[_Row]) -> set[tuple[int, int]]:
    """Pairs of one block worth comparing; at most a constant number per row."""
    pairs: set[tuple[int, int]] = set()

    def add(i: int, j: int) -> None:
        if i != j:
            pairs.add((i, j) if i < j else (j, i))

    same: dict[str, list[int]] = {}
    for i in members:
        if rows[i].core_text:
            same.setdefault(rows[i].core_text, []).append(i)
    for group in same.values():
        # Each row meets a few earlier rows of its name: enough to reach a
        # row of another file even when some earlier ones are of its own.
        for pos, i in enumerate(group):
            for j in group[max(0, pos - _SAME_NAME_LINKS) : pos]:
                add(i, j)

    postings: dict[str, list[int]] = {}
    for i in members:
        for w in rows[i].core:
            postings.setdefault(w, []).append(i)
    for i in members:
        rare = sorted(rows[i].core, key=lambda w: (len(postings[w]), w))[:_RAREST]
        for w in rare:
            if len(postings[w]) <= _POSTING:
                for j in postings[w]:
                    add(i, j)

    ordered = sorted((rows[i].core_text, i) for i in members if rows[i].core_text)
    for pos, (_, i) in enumerate(ordered):
        for _, j in ordered[pos + 1 : pos + 1 + _WINDOW]:
            add(i, j)
    return pairs


_WHY = {
    0: "même typologie, commune et nom",
    1: "même typologie et commune, noms presque identiques",
    2: "même typologie et commune, nom compatible et même adresse ou téléphone",
}


def merge(entries: Iterable[Entry]) -> MergeResult:
    # Hundreds of thousands of small tuples and sets, in no reference cycle:
    # the cyclic collector would rescan them over and over (a third of the
    # time at 20,000 entries); reference counting still frees everything.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _merge(entries)
    finally:
        if enabled:
            gc.enable()


def _merge(entries: Iterable[Entry]) -> MergeResult:
    items = list(entries)
    rows = [_Row(e) for e in items]
    clusters = _Clusters(rows)

    # 1. Shared identifiers, strongest scheme first.
    first: dict[tuple[str, str], int] = {}
    by_scheme: list[tuple[int, str, str, int]] = []
    for i, r in enumerate(rows):
        for scheme, value in r.ids:
            k = (scheme, value)
            if k in first:
                by_scheme.append((_RANK[scheme], scheme, value, i))
            else:
                first[k] = i
    for _, scheme, value, i in sorted(by_scheme):
        j = first[(scheme, value)]
        if scheme in _LINEAGE and not _corroborated(rows[i], rows[j]):
            continue
        clusters.union(j, i, f"même identifiant {_LABEL[scheme]} {value}", by=scheme)

    # 2. Names, inside a block of one typology and commune.
    blocks: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(items):
        blocks.setdefault((e.typology, e.insee or plain(e.commune or "")), []).append(i)
    judged: list[_Pair] = []
    comparisons = 0
    for members in blocks.values():
        if len(members) < 2:
            continue
        for a, b in sorted(_candidates(members, rows)):
            comparisons += 1
            pair = _judge(a, b, rows[a], rows[b])
            if pair is not None:
                judged.append(pair)
    judged.sort(key=_Pair.order)
    warn: list[tuple[_Pair, str]] = []
    for pair in judged:
        if pair.tier == 3:
            continue
        if not clusters.union(pair.a, pair.b, _WHY[pair.tier]):
            obstacle = clusters.obstacle(pair.a, pair.b)
            if obstacle and _worth_warning(pair, obstacle[0]):
                warn.append((pair, obstacle[1]))
    for pair in judged:
        # Close names, one address or phone, nothing against a join: a person decides.
        if pair.tier == 3 and clusters.obstacle(pair.a, pair.b) is None:
            warn.append((pair, ""))

    # 3. Fold each cluster into one entry.
    members_of: dict[int, list[int]] = {}
    for i in range(len(items)):
        members_of.setdefault(clusters.find(i), []).append(i)
    out: list[Entry] = []
    merges: list[Merge] = []
    for root, members in sorted(members_of.items()):
        if len(members) == 1:
            out.append(items[members[0]])
            continue
        group = [items[i] for i in members]
        folded = _fold(group)
        out.append(folded)
        merges.append(
            Merge(
                kept=folded.key,
                merged=tuple(o for e in group for o in e.origins),
                reason=" ; ".join(clusters.reasons.get(root, ["doublon"])),
            )
        )

    # 4. Warnings: rows that may be one service, left apart.
    issues: list[Issue] = []
    warned: set[tuple[int, int]] = set()
    for pair, why in warn:
        a, b = sorted((pair.a, pair.b), key=lambda i: _where_key(items[i]))
        if clusters.find(a) == clusters.find(b) or (a, b) in warned:
            continue
        warned.add((a, b))
        issues.append(_warning(items[a], items[b], pair, why))
    issues.sort(key=lambda i: (i.file or "", i.sheet or "", i.row or 0, i.message))
    return MergeResult(tuple(out), tuple(merges), tuple(issues), comparisons)


def _worth_warning(pair: _Pair, obstacle: str) -> bool:
    """Whether a name match that was refused may still be one service.

    Two identifiers of one scheme are the publisher saying 'two places' (a
    CMP and a CATTP of one hospital, two 'Service d'aide aux personnes'):
    only the same name at the same address is worth a look then.  Two rows
    of one file with the same or nearly the same name are, unless both their
    address and their phone differ (two commissariats of one city)."""
    if obstacle == "id":
        return pair.tier == 0 and pair.address and not pair.differ
    return pair.tier <= 1 and pair.differ < 2


def _where_key(e: Entry) -> tuple:
    o = e.origins[0] if e.origins else Origin(e.key, None, 0)
    return (o.file, o.sheet or "", o.row)


def _where(e: Entry) -> str:
    return e.origins[0].describe() if e.origins else e.key


def _warning(ea: Entry, eb: Entry, pair: _Pair, obstacle: str) -> Issue:
    names = "portent le même nom" if pair.tier == 0 else "ont des noms très proches"
    evidence = []
    if pair.address:
        evidence.append("la même adresse")
    if pair.phone:
        evidence.append("le même téléphone")
    because = f" et ont {' et '.join(evidence)}" if evidence else ""
    kept_apart = (
        f"Elles restent séparées ({obstacle})."
        if obstacle
        else "Elles restent séparées : les noms ne suffisent pas à dire qu’il s’agit du même service."
    )
    return Issue.at(
        "warning",
        "doublon-possible",
        f"« {eb.name} » ({_where(eb)}) et « {ea.name} » ({_where(ea)}) {names}{because}, "
        f"dans la même typologie et la même commune ({eb.commune}). {kept_apart} "
        "S’il s’agit du même service, supprimez une des deux lignes ; sinon, précisez les noms "
        "pour les distinguer.",
        eb.origins[0] if eb.origins else None,
        column="Nom",
        value=eb.name,
    )
