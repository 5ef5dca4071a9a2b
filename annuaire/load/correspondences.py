"""The contributor's own correspondences: columns, categories, whole sheets.

A mairie's file rarely speaks our vocabulary.  What it means is said once,
in a small file given with ``--correspondances`` and kept for the next
edition:

* a TOML file (``annuaire colonnes FICHIER -o correspondances.toml`` writes
  one, filled with what was found, for the user to check)::

      typologie = "Médiathèque"        # every row of the file (optional)
      source = "Mairie de Riom"        # credited when there is no Source column

      [colonnes]                       # your header = our field ("" = ignore it)
      "Lieu" = "Nom"
      "Coord. X" = ""

      [categories]                     # your category = Annex 1 typology (label or code)
      "EPN" = "Lieu d’accès public à Internet"
      "Tiers-lieu" = ""                # not printed: leave empty or remove

      [feuilles."Bibliothèques"]       # per sheet
      typologie = "Bibliothèque"

* or a workbook (.xlsx/.ods) holding a « Correspondances » sheet — the one
  the annotated workbook of ``annuaire validate --annote`` starts with,
  corrected by the user in its « Notre champ » and « Typologie » columns.

Categories are matched to Annex 1 through its labels and aliases
(:func:`annuaire.reference.taxonomy.resolve`), then the user's table; a cell
with several categories ('Espace Public Numérique, Médiathèque') is filed
under the **first** one that is known, with a warning naming the others
(one row read is one entry: the accounting stays whole).  Proposals for
unknown categories come from a fuzzy match (rapidfuzz) with their
confidence; they are shown, never applied silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from annuaire.errors import UnusableInput
from annuaire.load.headers import DAY_FIELDS, LABELS, VARIANTS, WEEKDAYS, header_key
from annuaire.reference import taxonomy

IGNORE_WORDS = {"", "ignorer", "ignoree", "ignore", "aucun", "aucune", "non", "rien", "-"}
SHEET_TITLE = "Correspondances"
# Multi-valued cells: a category list separated by these (never ' et ',
# which Annex 1 labels contain).
_SPLIT = re.compile(r"\s*[,;/|+\n]\s*")


@dataclass(frozen=True)
class SheetHints:
    typology: str | None = None  # typology code for every row of the sheet
    source: str | None = None


@dataclass(frozen=True)
class Correspondences:
    columns: Mapping[str, str | None] = field(default_factory=dict)  # header key -> field / None
    categories: Mapping[str, str | None] = field(default_factory=dict)  # category key -> code / None
    sheets: Mapping[str, SheetHints] = field(default_factory=dict)  # sheet key -> hints
    typology: str | None = None  # --typologie: code for every row of every file
    source: str | None = None  # --source
    origin: str | None = None  # file the correspondences came from

    def for_sheet(self, sheet: str | None) -> SheetHints:
        h = self.sheets.get(header_key(sheet or ""), SheetHints())
        return SheetHints(h.typology or self.typology, h.source or self.source)

    def with_options(self, typology: str | None = None, source: str | None = None) -> "Correspondences":
        """Command-line options over the file's values."""
        return Correspondences(
            self.columns,
            self.categories,
            self.sheets,
            typology_code(typology, "--typologie") if typology else self.typology,
            source or self.source,
            self.origin,
        )


NONE = Correspondences()


# ---------------------------------------------------------------- fields and typologies


@lru_cache(maxsize=1)
def _field_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for f, label in LABELS.items():
        names.setdefault(header_key(label), f)
        names.setdefault(header_key(f), f)
    for f, variants in VARIANTS.items():
        for v in variants:
            names.setdefault(header_key(v), f)
    for d, f in zip(WEEKDAYS, DAY_FIELDS, strict=True):
        for v in (d, f"horaires {d}", f"h_{d}"):
            names.setdefault(header_key(v), f)
    return names


def field_named(text: Any, where: str) -> str | None:
    """Our field named in a correspondence ('Nom', 'code_postal', 'Lundi'),
    None for « ignorer »/empty; UnusableInput with the list when unknown."""
    t = "" if text is None else str(text).strip()
    key = header_key(t)
    if key in {header_key(w) for w in IGNORE_WORDS}:
        return None
    f = _field_names().get(key)
    if f is None:
        known = ", ".join(dict.fromkeys(LABELS[x] for x in LABELS if ":" not in x))
        raise UnusableInput(
            f"{where} : champ « {t} » inconnu. Champs possibles : {known}, Lundi … Dimanche "
            "(horaires du jour), ou laissez vide pour ignorer la colonne."
        )
    return f


def typology_code(text: Any, where: str) -> str | None:
    """Annex 1 code named by a label, alias or code; None when empty;
    UnusableInput with suggestions when unknown."""
    t = "" if text is None else str(text).strip()
    if header_key(t) in {header_key(w) for w in IGNORE_WORDS}:
        return None
    found = taxonomy.resolve(t)
    if found is None:
        sugg = [label for label, _ in propose(t, 3)] or taxonomy.suggest(t, 3)
        hint = (" Vouliez-vous dire " + " ou ".join(f"« {s} »" for s in sugg) + " ?") if sugg else ""
        raise UnusableInput(
            f"{where} : typologie « {t} » inconnue de l’annexe 1.{hint} La liste complète : annuaire themes."
        )
    return found.code


@lru_cache(maxsize=1)
def _typology_names() -> tuple[list[str], list[str]]:
    names: list[str] = []
    codes: list[str] = []
    for t in taxonomy.all_typologies():
        for n in dict.fromkeys((t.label, t.print_label, *t.aliases)):
            names.append(n)
            codes.append(t.code)
    return names, codes


@lru_cache(maxsize=1)
def _processed_names() -> tuple[str, ...]:
    from rapidfuzz import utils

    return tuple(utils.default_process(n) for n in _typology_names()[0])


def propose(text: Any, n: int = 1) -> list[tuple[str, float]]:
    """Closest Annex 1 print labels for a category, with a confidence 0–1.

    The mean of three rapidfuzz scores: whole spelling (ratio), shared words
    (token_set_ratio) and best part (WRatio); any one alone favours long
    labels or single words ('Club de foot' is not the 'OT')."""
    from rapidfuzz import fuzz, utils

    q = utils.default_process(str(text or ""))
    if not q:
        return []
    _, codes = _typology_names()
    out: dict[str, float] = {}
    for i, name in enumerate(_processed_names()):
        score = (fuzz.ratio(q, name) + fuzz.token_set_ratio(q, name) + fuzz.WRatio(q, name)) / 300
        label = taxonomy.typology(codes[i]).print_label
        out[label] = max(out.get(label, 0.0), round(score, 2))
    ranked = sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(label, s) for label, s in ranked[:n] if s >= 0.6]


@dataclass(frozen=True)
class CategoryMatch:
    """How one category cell of a contributor's file is filed."""

    code: str | None  # typology code, or None when unknown
    how: str  # 'annexe 1', 'vos correspondances', 'première de la liste', 'inconnue'
    others: tuple[str, ...] = ()  # further categories of a multi-valued cell
    proposal: str | None = None  # closest print label, for unknown ones
    confidence: float = 0.0


def match_category(value: Any, table: Mapping[str, str | None]) -> CategoryMatch:
    """The typology of a category cell: user's table, Annex 1, then the parts
    of a multi-valued cell; else unknown with a proposal."""
    text = str(value).strip()

    def one(part: str) -> tuple[str | None, str] | None:
        k = taxonomy.key(part)
        if k in table:
            return table[k], "vos correspondances"
        t = taxonomy.resolve(part)
        return (t.code, "annexe 1") if t is not None else None

    whole = one(text)
    if whole is not None and whole[0] is not None:
        return CategoryMatch(whole[0], whole[1], confidence=1.0)
    if whole is not None:  # the user's table says: not printed
        return CategoryMatch(None, "vos correspondances : non imprimée")
    parts = [p for p in _SPLIT.split(text) if p.strip()]
    if len(parts) > 1:
        found = [(p, one(p)) for p in parts]
        known = [(p, r[0]) for p, r in found if r is not None and r[0] is not None]
        if known:
            first = known[0]
            return CategoryMatch(
                first[1], "première de la liste", others=tuple(p for p in parts if p != first[0]), confidence=0.9
            )
    best = propose(text, 1)
    return CategoryMatch(
        None, "inconnue", proposal=best[0][0] if best else None, confidence=best[0][1] if best else 0.0
    )


# ---------------------------------------------------------------- reading


def read(path: str | Path) -> Correspondences:
    """Correspondences from a .toml file or a workbook's « Correspondances » sheet."""
    p = Path(path)
    if not p.is_file():
        raise UnusableInput(f"{path} : fichier de correspondances introuvable.")
    if p.suffix.lower() == ".toml":
        return _read_toml(p)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xls"):
        return _read_workbook(p)
    raise UnusableInput(
        f"{p.name} : un fichier de correspondances est un .toml (annuaire colonnes … -o "
        "correspondances.toml) ou le classeur annoté (.xlsx) avec sa feuille « Correspondances »."
    )


def _read_toml(p: Path) -> Correspondences:
    import tomllib

    try:
        data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UnusableInput(
            f"{p.name} : fichier de correspondances illisible ({exc}). "
            'Chaque ligne s’écrit "Votre colonne" = "Notre champ".'
        ) from None
    columns = {
        header_key(k): field_named(v, f"{p.name}, [colonnes] « {k} »") for k, v in (data.get("colonnes") or {}).items()
    }
    categories = {
        taxonomy.key(k): typology_code(v, f"{p.name}, [categories] « {k} »")
        for k, v in (data.get("categories") or data.get("catégories") or {}).items()
    }
    sheets = {}
    for name, spec in (data.get("feuilles") or {}).items():
        spec = spec or {}
        sheets[header_key(name)] = SheetHints(
            typology_code(spec.get("typologie"), f"{p.name}, feuille « {name} »") if spec.get("typologie") else None,
            (spec.get("source") or None),
        )
    typ = data.get("typologie")
    return Correspondences(
        columns,
        categories,
        sheets,
        typology_code(typ, f"{p.name}, typologie") if typ else None,
        data.get("source") or None,
        p.name,
    )


def _read_workbook(p: Path) -> Correspondences:
    import python_calamine

    from annuaire.load.container import check_workbook

    check_workbook(p, p.name)  # before the reader: a file claiming a huge sheet aborts it
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(p))
    except (
        python_calamine.CalamineError,
        python_calamine.XmlError,
        python_calamine.ZipError,
        python_calamine.PasswordError,
        ValueError,
        OSError,
    ) as exc:
        raise UnusableInput(f"{p.name} : classeur illisible ({type(exc).__name__}).") from None
    name = next((n for n in wb.sheet_names if n.strip().lower().startswith("correspondances")), None)
    if name is None:
        raise UnusableInput(
            f"{p.name} : pas de feuille « Correspondances ». Donnez le classeur annoté écrit par "
            "annuaire validate --annote (sa première feuille), ou un fichier .toml."
        )
    rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    columns: dict[str, str | None] = {}
    categories: dict[str, str | None] = {}
    sheets: dict[str, SheetHints] = {}
    section = None
    for r, cells in enumerate(rows, start=1):
        cells = [("" if c is None else str(c).strip()) for c in cells] + [""] * 6
        first = header_key(cells[0])
        if first == "feuille" and header_key(cells[1]) == "votrecolonne":
            section = "colonnes"
            continue
        if first == "votrecategorie":
            section = "categories"
            continue
        if first == "feuille" and header_key(cells[1]).startswith("typologie"):
            section = "feuilles"
            continue
        if not any(cells[:3]):
            section = None if section != "colonnes" else section
            continue
        where = f"{p.name}, feuille « {name} », ligne {r}"
        if section == "colonnes" and cells[1]:
            header = re.sub(r"^[A-Z]{1,3} \((.*)\)$", r"\1", cells[1])
            columns[header_key(header)] = field_named(cells[2], where)
        elif section == "categories" and cells[0]:
            categories[taxonomy.key(cells[0])] = typology_code(cells[2], where)
        elif section == "feuilles" and cells[0]:
            sheets[header_key(cells[0])] = SheetHints(
                typology_code(cells[1], where) if cells[1] else None, cells[2] or None
            )
    return Correspondences(columns, categories, sheets, None, None, p.name)


# ---------------------------------------------------------------- writing


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_toml(sheets, path: str | Path, source: str | None = None) -> Path:
    """A correspondences file for what was found in ``sheets``
    (:class:`annuaire.load.spreadsheet.SheetMapping`), for the user to check."""
    out = Path(path)
    lines = [
        "# Correspondances pour annuaire : vérifiez, corrigez, puis relancez avec",
        f"#   annuaire validate VOTRE_FICHIER --correspondances {out.name}",
        "# « Notre champ » possibles : "
        + ", ".join(LABELS[f] for f in LABELS if ":" not in f)
        + ", Lundi … Dimanche ;",
        '# "" = colonne ignorée.',
        "",
    ]
    if source:
        lines += [f"source = {_q(source)}", ""]
    lines.append("[colonnes]")
    seen: set[str] = set()
    for s in sheets:
        for c in s.columns:
            k = header_key(c.header)
            if k in seen:
                continue
            seen.add(k)
            target = LABELS.get(c.field, "") if c.field else ""
            note = f"  # {c.reason}" + (f" ({c.confidence:.0%})".replace("%", " %") if c.field else "")
            lines.append(f"{_q(c.header)} = {_q(target)}{note}")
    cats = [(s, cat) for s in sheets for cat in s.categories if cat.match.how != "annexe 1"]
    if cats:
        lines += [
            "",
            "[categories]",
            '# Votre catégorie = typologie de l’annexe 1 (annuaire themes) ; "" = non imprimée.',
        ]
        done: set[str] = set()
        for _, cat in cats:
            k = taxonomy.key(cat.value)
            if k in done:
                continue
            done.add(k)
            m = cat.match
            if m.code:
                lines.append(
                    f"{_q(cat.value)} = {_q(taxonomy.typology(m.code).print_label)}  # {cat.rows} ligne(s), {m.how}"
                )
            elif m.proposal and m.confidence >= 0.9:
                lines.append(
                    f"{_q(cat.value)} = {_q(m.proposal)}  # {cat.rows} ligne(s), proposition "
                    f"à vérifier ({m.confidence:.0%})".replace("%", " %")
                )
            else:
                prop = f", proposition : {m.proposal} ({m.confidence:.0%})".replace("%", " %") if m.proposal else ""
                lines.append(f'{_q(cat.value)} = ""  # {cat.rows} ligne(s), à compléter{prop}')
    names = [s for s in sheets if s.sheet]
    if len(names) > 1:
        lines += ["", "# Une typologie pour toute une feuille :"]
        for s in names:
            lines += [f"# [feuilles.{_q(s.sheet)}]", '# typologie = ""']
    from annuaire import output

    output.write_text(out, "\n".join(lines) + "\n")
    return out
