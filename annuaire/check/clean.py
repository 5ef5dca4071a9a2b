"""Raw database text cleaned before it reaches the page.

National datasets carry the marks of the systems they come from: Windows-1252
characters inside UTF-8 (U+0092 for ’), spreadsheet error values (#NOM?,
#N/A), FINESS's truncated names ('SCE AIDE MENAG.DOM.PERSONNES AGEES') and
street-type codes ('45 AV Charles Dupuy', '6 R B DU PAVE'), capitals that
lost their accents ('rue de la Republique'), a dangling ' -' where a CS
postal box was cut off, a street written twice ('Cours Monthyon Cours
Monthyon').  Each function here is pure and returns the cleaned text and
the French notes of what it changed; :mod:`annuaire.check.validate` turns
the notes into warnings located at the cell.

The rules live in reviewable tables (``annuaire/data/nettoyage/``):

* ``voies.csv`` — street-type codes of FINESS and FANTOIR (``RTE`` → route);
* ``abreviations.csv`` — name abbreviations as regular expressions, with the
  field they apply to (``nom``, ``adresse`` or ``tous``);
* ``mots_accentues.csv`` — common words of names and streets whose accents
  capitals lost (``Republique`` → ``République``);
* ``sigles.csv`` — acronyms kept in capitals when a name is re-cased
  (read by :mod:`annuaire.text.typo`);
* ``prenoms.txt`` — common first names, to tell a person's e-mail address
  (``prenom.nom@…``) from a service's.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

_DIR = "nettoyage"


def _table(name: str) -> list[dict[str, str]]:
    path = resources.files("annuaire.data").joinpath(_DIR, name)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Cleaned(NamedTuple):
    """The cleaned text (None when nothing is left) and what was done (French)."""

    value: str | None
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- encoding

_C1 = re.compile("[\u0080-\u009f]")


def _cp1252(ch: str) -> str:
    try:
        return bytes([ord(ch)]).decode("cp1252")
    except UnicodeDecodeError:
        return ""  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined, a control character


def decode_c1(text: str) -> Cleaned:
    """Windows-1252 characters stored as C1 controls in UTF-8 text: the 2019
    service-public.fr CSV has U+0092 for ’ and U+009C for œ."""
    if not _C1.search(text):
        return Cleaned(text)
    fixed = _C1.sub(lambda m: _cp1252(m.group(0)), text)
    return Cleaned(
        fixed, (f"caractères Windows-1252 enregistrés comme caractères de contrôle : décodés (« {fixed.strip()} »)",)
    )


# --------------------------------------------------------------------------- spreadsheet errors

_ERROR_VALUE = re.compile(
    r"^\s*#\s*(?:NOM|NAME|N/?A|REF|VALEUR|VALUE|DIV/?0|NULL|NUL|NUM|NOMBRE|CHAMP|FIELD|CALC|SPILL|"
    r"DÉBORDEMENT|DEBORDEMENT|ERREUR|ERROR|GETTING_DATA|BLOCKED|CONNECT|UNKNOWN|BUSY)"
    r"\s*[?!]?\s*$",
    re.IGNORECASE,
)


def is_spreadsheet_error(value: object) -> bool:
    """True for a spreadsheet's error value (#NOM?, #Name ?, #N/A, #REF!, #VALEUR!, #DIV/0!…)."""
    return isinstance(value, str) and bool(_ERROR_VALUE.match(value.replace("\u00a0", " ")))


# --------------------------------------------------------------------------- tables


@lru_cache(maxsize=None)
def street_types() -> dict[str, str]:
    return {r["code"].strip(): r["libelle"].strip() for r in _table("voies.csv")}


def _abbreviation_pattern(motif: str) -> str:
    # A motif ending with its dot may be glued to the next word ('Menag.Dom.').
    return r"(?<![\w’'-])(?:" + motif + r")(?:(?<=\.)|(?![\w-]))"


@lru_cache(maxsize=None)
def _abbreviations() -> tuple[tuple[re.Pattern, str, str], ...]:
    out = []
    for r in _table("abreviations.csv"):
        out.append((re.compile(_abbreviation_pattern(r["motif"]), re.IGNORECASE), r["forme"], r["champ"]))
    return tuple(out)


@lru_cache(maxsize=None)
def _any_abbreviation(field: str) -> re.Pattern:
    """One pattern matching wherever one of the field's abbreviations does: a
    text it does not match is left as it is without trying them one by one."""
    motifs = [r["motif"] for r in _table("abreviations.csv") if r["champ"] in ("tous", field)]
    # The motifs in one group between the guards of _abbreviation_pattern (the
    # engine backtracks into the group, so it matches where any one of them does).
    return re.compile(_abbreviation_pattern("|".join(f"(?:{m})" for m in motifs) or r"(?!)"), re.IGNORECASE)


@lru_cache(maxsize=None)
def _accents() -> dict[str, str]:
    return {r["sans_accent"].lower(): r["avec_accent"] for r in _table("mots_accentues.csv")}


@lru_cache(maxsize=None)
def first_names() -> frozenset[str]:
    path = resources.files("annuaire.data").joinpath(_DIR, "prenoms.txt")
    return frozenset(
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=None)
def acronyms() -> frozenset[str]:
    return frozenset(r["sigle"].strip().upper() for r in _table("sigles.csv"))


# --------------------------------------------------------------------------- words


def _same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word[:1].lower() + word[1:]


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def restore_accents(text: str) -> str:
    """'rue de la Republique' → 'rue de la République': the common words of
    names and streets whose accents capitals lost (mots_accentues.csv)."""
    table = _accents()
    # Most texts have none of these words: finding the words is cheaper than
    # calling repl on each of them.
    if not any(
        w.lower() in table or ("-" in w and any(p.lower() in table for p in w.split("-"))) for w in _WORD.findall(text)
    ):
        return text

    def repl(m: re.Match) -> str:
        w = m.group(0)
        full = table.get(w.lower())
        if full is None:
            # A compound ('Hotel-de-Ville', 'Sous-prefecture'): word by word.
            if "-" in w:
                return "-".join(_fix_word(p, table) for p in w.split("-"))
            return w
        return _same_case(w, full)

    return _WORD.sub(repl, text)


def _fix_word(w: str, table: dict[str, str]) -> str:
    full = table.get(w.lower())
    return _same_case(w, full) if full else w


def _starts_segment(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in "-–—(«:/"


def expand_abbreviations(text: str, field: str) -> str:
    """The abbreviations of abreviations.csv spelled out ('Sce aide Menag.Dom.'
    → 'Service aide ménagère à domicile'); ``field`` is 'nom' or 'adresse'."""
    if _any_abbreviation(field).search(text) is None:
        return _SPACE_RUN.sub(" ", text) if "  " in text or "\u00a0" in text else text
    for pattern, form, where in _abbreviations():
        if where not in ("tous", field):
            continue

        def repl(m: re.Match, form=form) -> str:
            out = form
            if _starts_segment(m.string, m.start()):
                out = out[:1].upper() + out[1:]
            # 'Menag.Dom.Personnes': the dots stood for spaces.
            nxt = m.string[m.end() : m.end() + 1]
            if nxt and nxt.isalpha():
                out += " "
            return out

        text = pattern.sub(repl, text)
    return _SPACE_RUN.sub(" ", text)


_SPACE_RUN = re.compile(r"[ \u00a0]{2,}")


# --------------------------------------------------------------------------- addresses

_NUMBER = r"\d+(?:\s*-\s*\d+)?"
_REPEAT = {"B": "bis", "T": "ter", "Q": "quater", "BIS": "bis", "TER": "ter", "QUATER": "quater"}
# '45 AV Charles Dupuy', '6 R B DU PAVE', 'RTE de Moulins', '28 AV B de la Gare':
# number, street-type code in capitals, bis/ter letter, the rest.
_STREET = re.compile(
    r"^(?P<num>" + _NUMBER + r"\s*(?:BIS|TER|B|T)?\s*,?\s+)?(?P<code>[A-Z]{1,10})\s+"
    r"(?:(?P<rep>B|T|Q|BIS|TER|QUATER)\s+)?(?P<rest>\S.*)$"
)
_LOWER_START = re.compile(r"^(Du|De|Des|D’|D'|La|Le|Les|L’|L')(?=[\s’']|[A-ZÉÈÂÎÔ])")


_FULL_REPEAT = re.compile(r"^(?P<num>\d+)\s+(?P<kind>[^\W\d_]+(?:-[^\W\d_]+)?)\s+(?P<rep>[BTQ])\s+(?=[^\W\d_])")


def _repeat_after_type(text: str) -> str:
    """'6 rue B du Pavé' (bis letter left after the street type) → '6 bis rue du Pavé'."""
    m = _FULL_REPEAT.match(text)
    if not m or m.group("kind").lower() not in {v.lower() for v in street_types().values()}:
        return text
    return f"{m.group('num')} {_REPEAT[m.group('rep')]} {m.group('kind')} " + text[m.end() :]


def expand_street_code(text: str) -> str:
    """A street-type code at the start of an address spelled out, whatever the
    case of the rest: '45 AV Charles Dupuy' → '45 avenue Charles Dupuy',
    '6 R B du Pavé' → '6 bis rue du Pavé'."""
    m = _STREET.match(text)
    if not m:
        return _repeat_after_type(text)
    code = m.group("code")
    kinds = street_types()
    if code not in kinds:
        return _repeat_after_type(text)
    rest = m.group("rest")
    if code == "R" and not rest[:1].isalpha():
        return text  # 'R 12': not a street
    num = (m.group("num") or "").strip().rstrip(",")
    rep = _REPEAT.get(m.group("rep") or "", "")
    rest = _LOWER_START.sub(lambda x: x.group(1).lower(), rest)
    return " ".join(p for p in (num, rep, kinds[code], rest) if p)


_BOX = re.compile(r"\s*[-–,]?\s*\b(?:BP|B\.P\.|CS|TSA|SP)\s*\d+\b", re.IGNORECASE)
_TRAILING = re.compile(r"[\s\u00a0]*[-–—,;/]+[\s\u00a0]*$")
_LEADING = re.compile(r"^[\s\u00a0]*[-–—,;/]+[\s\u00a0]*")


def strip_dangling(text: str) -> str:
    """No separator left hanging at either end ('1 rue de la Mairie -')."""
    prev = None
    while prev != text:
        prev = text
        text = _TRAILING.sub("", text)
        text = _LEADING.sub("", text)
    return text


_SEPARATOR = re.compile(r"\s*,\s*|\s+[-–]\s+")
_SPACES = re.compile(r"[ \u00a0]+")
_DIGIT = re.compile(r"\d")
_PADDED_YEAR = re.compile(r"(?<=-)0(1[89]\d\d|20\d\d)\b")


def collapse_repeats(text: str) -> str:
    """'Cours Monthyon Cours Monthyon' → 'Cours Monthyon' (a line written twice,
    with or without a separator between)."""
    core = _SEPARATOR.sub(" ", text).split()
    if len(core) >= 2 and len(core) % 2 == 0 and any(c.isalpha() for c in text):
        half = len(core) // 2
        if [w.lower() for w in core[:half]] == [w.lower() for w in core[half:]]:
            return " ".join(core[:half])
    return text


def clean_address(text: str | None) -> Cleaned:
    """An address line as printed: postal boxes out, no dangling separator,
    no repeated line, street-type codes and abbreviations spelled out,
    accents restored."""
    if not text:
        return Cleaned(text)
    notes = []
    out = _SPACES.sub(" ", text).strip()
    boxed = _BOX.sub("", out) if _DIGIT.search(out) else out  # a box has its number
    if boxed != out:
        notes.append("boîte postale ou CS retirée (adresse de courrier, pas du lieu)")
        out = boxed
    dangling = strip_dangling(out)
    if dangling != out:
        notes.append("séparateur en fin de ligne retiré")
        out = dangling
    once = collapse_repeats(out)
    if once != out:
        notes.append("ligne répétée deux fois, gardée une fois")
        out = once
    # '19-Mars-01962' in the 2019 file: a year padded like a postal code.
    if "-0" in out:
        out = _PADDED_YEAR.sub(r"\1", out)
    expanded = expand_street_code(out)
    if expanded != out:
        notes.append("type de voie abrégé écrit en entier")
        out = expanded
    out = expand_abbreviations(out, "adresse")
    out = restore_accents(out)
    return Cleaned(out or None, tuple(notes))


def clean_name(text: str | None) -> str | None:
    """A name as printed: abbreviations spelled out, accents restored."""
    if not text:
        return text
    out = expand_abbreviations(text, "nom")
    out = restore_accents(out)
    return strip_dangling(out) or None


# --------------------------------------------------------------------------- e-mail

_PERSONAL = re.compile(r"^(?P<first>[a-z]+(?:-[a-z]+)?)[._](?P<last>[a-z]+(?:-[a-z]+)*)(?:\d+)?@", re.I)
# Local parts that name a function, not a person, even after a first name
# that is also a place ('saint-…'), a saint or a commune ('marie.mairie').
_GENERIC = frozenset(
    "mairie commune accueil contact secretariat secretaire direction service services info infos "
    "communaute cc agglo bibliotheque mediatheque ecole college lycee cio ccas cias france franceservices "
    "administration courrier poste".split()
)


def personal_email(address: str | None) -> bool:
    """True for a named person's address (prenom.nom@…): a first name of
    prenoms.txt, a separator, a name that is not a function word."""
    if not address:
        return False
    m = _PERSONAL.match(address.strip())
    if not m:
        return False
    first, last = m.group("first").lower(), m.group("last").lower()
    return first in first_names() and last not in _GENERIC and first not in _GENERIC


# --------------------------------------------------------------------------- CEDEX


def mark_cedex(entries):
    """Entries whose printed postal code is a CEDEX code of their département
    (no commune has it) marked so the place line reads '… Cedex'."""
    from dataclasses import replace

    from annuaire.reference.geo import gazetteer

    g = gazetteer()
    out = []
    for e in entries:
        code = e.postcode
        cedex = bool(
            code
            and e.insee
            and (c := g.by_insee(e.insee)) is not None
            and code not in c.postcodes
            and code[:2] == c.departement[:2]
            and not g.by_postcode(code)
        )
        out.append(replace(e, cedex=cedex) if cedex != e.cedex else e)
    return tuple(out)


__all__ = [
    "mark_cedex",
    "Cleaned",
    "decode_c1",
    "is_spreadsheet_error",
    "street_types",
    "restore_accents",
    "expand_abbreviations",
    "expand_street_code",
    "strip_dangling",
    "collapse_repeats",
    "clean_address",
    "clean_name",
    "personal_email",
    "first_names",
    "acronyms",
]
