"""Page layouts as TOML files merged over defaults.

A layout says everything about the printed page that is not content: trim
size, bleed, safe zone, mirrored margins, columns, fonts, type sizes and
leading, colours (CMYK only: the print shop's presses print four inks, and an
RGB value would be converted by someone else's guess), thumb tabs and the
page count above which the book is perfect-bound instead of saddle-stitched.

``load_layout('a5')`` reads ``layouts/a5.toml``; ``load_layout(path)`` reads
any file.  The file is deep-merged over :data:`DEFAULTS`, so a layout file
only states what differs.  An unknown key or a bad value raises
:class:`~annuaire.errors.UnknownLayout` with a French message naming the key:
a typo in a layout must not silently fall back to a default.

Lengths in the files are millimetres (page geometry) or points (type);
colours are ``[C, M, Y, K]`` percentages.  The dataclasses keep those units;
the PDF engine converts.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annuaire.errors import UnknownLayout

LAYOUT_DIR = Path(__file__).resolve().parent.parent / "layouts"

# Total area coverage accepted by the printers we know of on coated paper
# (see shared/reference/print-and-typography-facts.md §2).
MAX_INK = 300.0

STYLE_NAMES = (
    "body",  # address, phone, hours…
    "name",  # the entry's name (bold)
    "phone",  # the entry's phone number: the field looked for
    "description",
    "source",  # 'Source : … — mis à jour le …'
    "theme",  # theme opener title
    "group",  # group band heading
    "subgroup",
    "typology",
    "suite",  # 'Pharmacie (suite)'
    "commune",  # 'RIOM' above the first entry of each commune of a typology
    "running_head",
    "folio",
    "toc_title",
    "toc_theme",
    "toc_group",
    "toc_typology",
    "index_title",
    "index_letter",
    "index",
    "page_title",  # colophon, emergency numbers, notes, mode d'emploi
    "cover_title",
    "cover_subtitle",
    "tab",
)

DEFAULTS: dict[str, Any] = {
    "name": "a5",
    "description": "A5, deux colonnes",
    # measure: the longest line of single-column pages (contents, guide,
    # credits), mm; lines of 100 characters and more are hard to follow.
    "page": {"width": 148.0, "height": 210.0, "bleed": 3.0, "safe": 5.0, "measure": 125.0},
    "margins": {"inner": 15.0, "outer": 18.0, "top": 17.0, "bottom": 17.0},
    "columns": {"count": 2, "gutter": 5.0},
    "fonts": {
        "family": "atkinson-hyperlegible",
        "regular": "",
        "bold": "",
        "italic": "",
        "bold_italic": "",
    },
    "styles": {
        # A5 is set compact: a 9 pt body on 11 pt, one line per field where
        # the fields fit, so that a page holds twice the entries of a
        # database print-out without going below the 9 pt a reader of 75
        # still reads with glasses (Atkinson's large x-height helps).
        "body": {"font": "regular", "size": 9.0, "leading": 11.0},
        "name": {"font": "bold", "size": 9.5, "leading": 11.0},
        # The phone number, the field a reader looks for: bold.  Without a
        # size here it takes the body's size and leading.
        "phone": {"font": "bold"},
        "description": {"font": "italic", "size": 9.0, "leading": 11.0},
        # The source key raised after the name and « données de 2021 ».
        "source": {"font": "regular", "size": 7.0, "leading": 9.0},
        "theme": {"font": "bold", "size": 26.0, "leading": 31.0},
        # Six levels, each unlike the next: theme (opener), group (tinted
        # band), sub-group (bold italic), typology (largest bold, heavy rule),
        # commune (coloured capitals above the body), entry name (bold).
        "group": {"font": "bold", "size": 12.0, "leading": 15.0},
        "subgroup": {"font": "bold_italic", "size": 10.5, "leading": 13.0},
        "typology": {"font": "bold", "size": 13.0, "leading": 16.0},
        "suite": {"font": "bold_italic", "size": 9.0, "leading": 11.0},
        # Capitals in the section colour darkened, larger than the body and
        # the entry names: the key a reader looks for under a typology.
        "commune": {"font": "bold", "size": 10.5, "leading": 12.5},
        "running_head": {"font": "bold", "size": 8.5, "leading": 10.0},
        "folio": {"font": "bold", "size": 10.0, "leading": 12.0},
        "toc_title": {"font": "bold", "size": 20.0, "leading": 26.0},
        "toc_theme": {"font": "bold", "size": 12.5, "leading": 16.0},
        "toc_group": {"font": "bold", "size": 10.5, "leading": 14.0},
        "toc_typology": {"font": "regular", "size": 10.0, "leading": 13.0},
        "index_title": {"font": "bold", "size": 20.0, "leading": 26.0},
        "index_letter": {"font": "bold", "size": 14.0, "leading": 18.0},
        # Index lines are looked up, not read: a size below the body's, as
        # in any printed directory, keeps 2,000 names on a few pages.
        "index": {"font": "regular", "size": 8.5, "leading": 10.0},
        "page_title": {"font": "bold", "size": 20.0, "leading": 26.0},
        "cover_title": {"font": "bold", "size": 30.0, "leading": 36.0},
        "cover_subtitle": {"font": "bold", "size": 18.0, "leading": 23.0},
        "tab": {"font": "bold", "size": 8.5, "leading": 10.0},
    },
    "entry": {
        # Continuation lines (address, phone…) sit right of the name so the eye
        # finds the next name down the column; space between entries in
        # points.  None on the grid: the bold names flush left, the lines
        # under them indented, mark the entries as in a telephone directory,
        # and each commune has its band.
        "indent": 3.0,
        "space_after": 0.0,
        # Space above headings, in points.
        "space_before_typology": 10.0,
        "space_before_group": 14.0,
        "space_before_subgroup": 8.0,
        # A typology with this many entries starts at the top of a column,
        # with ``new_page_from`` at the top of a page.
        # (a new page costs half a page on average: only for the largest).
        "new_column_from": 30,
        "new_page_from": 1000,
        # An entry older than this (months before the edition) says so:
        # « données de 2021 » (once on the section's heading when its
        # entries share the date).
        "old_after_months": 24,
        # The body on a baseline grid of the body's leading: every line of
        # both columns (and of facing pages) on the same baselines; heading
        # heights and the spaces above are rounded up to whole lines, and
        # the space between entries is 0 or whole lines.
        "grid": True,
    },
    "colours": {
        # Body text is black ink only: no registration trouble on small type.
        "text": [0.0, 0.0, 0.0, 100.0],
        "default_theme": [100.0, 45.0, 0.0, 20.0],
        "themes": {
            "services-publics": [100.0, 60.0, 0.0, 20.0],
            "sante": [0.0, 90.0, 70.0, 15.0],
            "sports-loisirs": [80.0, 0.0, 100.0, 20.0],
            "enseignement": [60.0, 90.0, 0.0, 10.0],
            "vie-pratique": [0.0, 55.0, 100.0, 10.0],
        },
        # Group colours inside a single-theme directory (thumb tabs, bands).
        "groups": [
            [100.0, 60.0, 0.0, 20.0],
            [0.0, 90.0, 70.0, 15.0],
            [80.0, 0.0, 100.0, 20.0],
            [60.0, 90.0, 0.0, 10.0],
            [0.0, 55.0, 100.0, 10.0],
            [100.0, 0.0, 35.0, 25.0],
            [30.0, 70.0, 100.0, 20.0],
            # No grey: the Index tab is grey.  Ten colours, so that the ten
            # groups of « Services publics » each have their own.
            [0.0, 100.0, 30.0, 45.0],
            [70.0, 0.0, 15.0, 55.0],
            [35.0, 0.0, 85.0, 55.0],
        ],
        # The tint behind group bands, as a fraction of the colour.
        "band_tint": 0.18,
    },
    "tabs": {
        "enabled": True,
        "width": 12.0,  # from the trim edge into the page (plus the bleed)
        "height": 30.0,  # along the edge
        "min_height": 18.0,
        # A type of service with this many entries (pharmacies, mairies…) has
        # its own tab beside its section's, and starts on a new page.
        "own_from": 120,
        "labels": {},  # long label -> short label printed on the tab
    },
    # Page furniture, mm: the folio's baseline below the bottom margin (and at
    # least ``folio_min`` from the trim whatever the creep of a saddle-stitched
    # book), the running head's baseline above the top margin, the gap between
    # the folio and the running foot.
    "furniture": {"folio_drop": 9.0, "folio_min": 7.0, "head_rise": 4.5, "foot_gap": 4.0},
    # Colour bands as a fraction of the page height: front cover, back cover,
    # theme opener.
    "bands": {"cover": 0.52, "back_cover": 0.30, "opener": 0.38},
    # A theme gets a whole-page opener (colour band, its groups and their
    # pages) only when its body fills at least ``full_page_from`` pages; a
    # shorter one opens with a compact head (a band with its title and the key
    # to its sources) at the top of its first page: five full pages for five
    # sections of one page each would be a third of the book.
    "openers": {"full_page_from": 4},
    "hyphenation": {"enabled": True, "min_word": 6, "language": "fr_FR"},
    "binding": {"saddle_max_pages": 64},
    "index": {"names": True, "communes": True},
}

_FREE_MAPS = {("colours", "themes"), ("tabs", "labels")}


@dataclass(frozen=True)
class Cmyk:
    """A process colour as fractions 0–1 of each ink."""

    c: float
    m: float
    y: float
    k: float

    @property
    def total(self) -> float:
        """Total ink in per cent (the printer's TAC)."""
        return (self.c + self.m + self.y + self.k) * 100

    def tint(self, f: float) -> "Cmyk":
        return Cmyk(self.c * f, self.m * f, self.y * f, self.k * f)

    def contrast(self) -> float:
        """Contrast ratio against white paper (WCAG formula, naive CMYK → sRGB)."""

        def lin(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = ((1 - x) * (1 - self.k) for x in (self.c, self.m, self.y))
        lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
        return 1.05 / (lum + 0.05)

    def readable(self, ratio: float = 7.0) -> "Cmyk":
        """The colour darkened with black until text in it reaches ``ratio``
        against white, total ink kept ≤ MAX_INK (CMY reduced if needed)."""
        c = self
        while c.contrast() < ratio and c.k < 1.0:
            c = Cmyk(c.c, c.m, c.y, min(1.0, c.k + 0.05))
        excess = c.total - (MAX_INK - 10)
        if excess > 0:
            f = max(0.0, 1 - excess / max(1e-9, (c.c + c.m + c.y) * 100))
            c = Cmyk(c.c * f, c.m * f, c.y * f, c.k)
        return Cmyk(*(round(x, 3) for x in (c.c, c.m, c.y, c.k)))


@dataclass(frozen=True)
class TextStyle:
    font: str  # 'regular' | 'bold' | 'italic' | 'bold_italic'
    size: float  # points
    leading: float  # points


@dataclass(frozen=True)
class Fonts:
    family: str
    regular: str  # absolute paths to TrueType files
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True)
class Styles:
    body: TextStyle
    name: TextStyle
    phone: TextStyle
    description: TextStyle
    source: TextStyle
    theme: TextStyle
    group: TextStyle
    subgroup: TextStyle
    typology: TextStyle
    suite: TextStyle
    commune: TextStyle
    running_head: TextStyle
    folio: TextStyle
    toc_title: TextStyle
    toc_theme: TextStyle
    toc_group: TextStyle
    toc_typology: TextStyle
    index_title: TextStyle
    index_letter: TextStyle
    index: TextStyle
    page_title: TextStyle
    cover_title: TextStyle
    cover_subtitle: TextStyle
    tab: TextStyle


@dataclass(frozen=True)
class EntrySpacing:
    indent: float  # mm
    space_after: float  # pt
    space_before_typology: float
    space_before_group: float
    space_before_subgroup: float
    new_column_from: int
    new_page_from: int
    old_after_months: int
    grid: bool


@dataclass(frozen=True)
class Colours:
    text: Cmyk
    default_theme: Cmyk
    themes: tuple[tuple[str, Cmyk], ...]
    groups: tuple[Cmyk, ...]
    band_tint: float

    def theme(self, slug: str) -> Cmyk:
        return dict(self.themes).get(slug, self.default_theme)


@dataclass(frozen=True)
class Tabs:
    enabled: bool
    width: float  # mm
    height: float
    min_height: float
    own_from: int  # entries from which a type of service has its own tab
    labels: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Furniture:
    folio_drop: float  # mm
    folio_min: float
    head_rise: float
    foot_gap: float


@dataclass(frozen=True)
class Bands:
    cover: float  # fraction of the page height
    back_cover: float
    opener: float


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    width: float  # trim, mm
    height: float
    bleed: float  # mm, 0 allowed
    safe: float  # mm inside the trim where no text goes
    margin_inner: float
    margin_outer: float
    margin_top: float
    margin_bottom: float
    columns: int
    gutter: float  # mm
    fonts: Fonts
    styles: Styles
    entry: EntrySpacing
    colours: Colours
    tabs: Tabs
    hyphenate: bool
    hyphen_min_word: int
    hyphen_language: str
    saddle_max_pages: int
    index_names: bool
    index_communes: bool
    measure: float  # mm, longest line of single-column pages
    furniture: Furniture
    bands: Bands
    opener_full_page_from: int  # body pages from which a theme gets a whole-page opener

    @property
    def column_width(self) -> float:
        """Width of one column in mm."""
        inside = self.width - self.margin_inner - self.margin_outer
        return (inside - (self.columns - 1) * self.gutter) / self.columns


# ---------------------------------------------------------------- loading


def available() -> tuple[str, ...]:
    """Names of the layouts shipped in layouts/."""
    return tuple(sorted(p.stem for p in LAYOUT_DIR.glob("*.toml")))


def load_layout(name_or_path: str | Path = "a5") -> Layout:
    """The layout called ``name_or_path`` (a name in layouts/ or a file path).

    Raises :class:`UnknownLayout` with a French message when there is no such
    layout, the file is not valid TOML, a key is unknown or a value is wrong."""
    path = find(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UnknownLayout(f"Le fichier de mise en page {path.name} n’est pas un TOML valide : {exc}.") from exc
    except OSError as exc:
        raise UnknownLayout(f"Impossible de lire le fichier de mise en page {path} : {exc}.") from exc
    data.setdefault("name", path.stem)
    merged = _merge(DEFAULTS, data, ())
    return _build(merged, path.name)


def find(name_or_path: str | Path) -> Path:
    """The TOML file a layout name (``a5``) or path designates; UnknownLayout if none."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text:
        p = Path(text)
        if p.is_file():
            return p
        raise UnknownLayout(f"Fichier de mise en page introuvable : {text}.")
    p = LAYOUT_DIR / f"{text}.toml"
    if p.is_file():
        return p
    names = ", ".join(available()) or "aucune"
    raise UnknownLayout(
        f"Mise en page inconnue : « {text} ». Mises en page disponibles : {names} (ou le chemin d’un fichier .toml)."
    )


def _merge(base: dict, over: dict, where: tuple[str, ...]) -> dict:
    """Deep merge of ``over`` onto ``base``; unknown keys are errors."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        path = (*where, key)
        if where in _FREE_MAPS:
            out[key] = value
            continue
        if key not in base:
            known = ", ".join(sorted(base))
            raise UnknownLayout(
                f"Clé inconnue dans la mise en page : « {'.'.join(path)} ». Clés possibles ici : {known}."
            )
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise UnknownLayout(f"« {'.'.join(path)} » doit être une table TOML ([{'.'.join(path)}]).")
            out[key] = _merge(base[key], value, path)
        else:
            out[key] = value
    return out


def _num(d: dict, key: str, where: str, lo: float | None = None, hi: float | None = None) -> float:
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise UnknownLayout(f"« {where}.{key} » doit être un nombre (trouvé : {v!r}).")
    v = float(v)
    if lo is not None and v < lo:
        raise UnknownLayout(f"« {where}.{key} » vaut {v:g} : le minimum est {lo:g}.")
    if hi is not None and v > hi:
        raise UnknownLayout(f"« {where}.{key} » vaut {v:g} : le maximum est {hi:g}.")
    return v


def _bool(d: dict, key: str, where: str) -> bool:
    v = d[key]
    if not isinstance(v, bool):
        raise UnknownLayout(f"« {where}.{key} » doit valoir true ou false (trouvé : {v!r}).")
    return v


def _cmyk(value: Any, where: str) -> Cmyk:
    if (
        not isinstance(value, list)
        or len(value) != 4
        or any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in value)
    ):
        raise UnknownLayout(
            f"« {where} » doit être une couleur CMJN [C, M, J, N] en pourcentages (trouvé : {value!r}) ; "
            "les couleurs RVB ne sont pas acceptées pour l’impression."
        )
    if any(x < 0 or x > 100 for x in value):
        raise UnknownLayout(f"« {where} » : chaque encre est entre 0 et 100 % (trouvé : {value!r}).")
    if sum(value) > MAX_INK:
        raise UnknownLayout(
            f"« {where} » : encrage total {sum(value):g} % au-delà de {MAX_INK:g} % accepté par les imprimeurs."
        )
    return Cmyk(*(float(x) / 100 for x in value))


def _font_files(fonts: dict) -> Fonts:
    family = str(fonts["family"])
    files: dict[str, str] = {}
    builtin = _family_files(family) if family else {}
    for style in ("regular", "bold", "italic", "bold_italic"):
        given = str(fonts[style] or "")
        path = given or builtin.get(style, "")
        if not path:
            raise UnknownLayout(
                f"Police « {family} » inconnue : donnez le chemin des fichiers TrueType dans [fonts] "
                "(regular, bold, italic, bold_italic)."
            )
        p = Path(path).expanduser()
        if not p.is_file():
            raise UnknownLayout(f"Fichier de police introuvable pour fonts.{style} : {path}.")
        if p.suffix.lower() not in (".ttf", ".otf"):
            raise UnknownLayout(f"fonts.{style} doit être un fichier TrueType (.ttf) : {path}.")
        files[style] = str(p.resolve())
    return Fonts(family=family, **files)


def _family_files(family: str) -> dict[str, str]:
    """TrueType files of a font family shipped with the package.

    « atkinson-hyperlegible » is Atkinson Hyperlegible as derived by
    ``scripts/make_fonts.py`` (unslashed zero, narrow no-break space,
    superscript ᵉ ʳ; the script says why), in ``annuaire/data/fonts``."""
    key = family.lower().replace(" ", "-").replace("_", "-")
    if key in ("atkinson-hyperlegible", "atkinson-hyperlegible-annuaire"):
        d = Path(__file__).resolve().parent.parent / "data" / "fonts"
        return {
            "regular": str(d / "AtkinsonHyperlegibleAnnuaire-Regular.ttf"),
            "bold": str(d / "AtkinsonHyperlegibleAnnuaire-Bold.ttf"),
            "italic": str(d / "AtkinsonHyperlegibleAnnuaire-Italic.ttf"),
            "bold_italic": str(d / "AtkinsonHyperlegibleAnnuaire-BoldItalic.ttf"),
        }
    return {}


def _build(d: dict, source: str) -> Layout:
    page, margins, cols = d["page"], d["margins"], d["columns"]
    width = _num(page, "width", "page", 50, 1000)
    height = _num(page, "height", "page", 50, 1000)
    bleed = _num(page, "bleed", "page", 0, 10)
    safe = _num(page, "safe", "page", 3, 30)
    measure = _num(page, "measure", "page", 40, 1000)
    m = {k: _num(margins, k, "margins", 0, 100) for k in ("inner", "outer", "top", "bottom")}
    for k, v in m.items():
        if v < safe:
            raise UnknownLayout(
                f"« margins.{k} » ({v:g} mm) est plus petite que la zone de sécurité ({safe:g} mm) : "
                "le texte risquerait d’être coupé au massicot."
            )
    count = cols["count"]
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 4:
        raise UnknownLayout(f"« columns.count » doit être un entier de 1 à 4 (trouvé : {count!r}).")
    gutter = _num(cols, "gutter", "columns", 2, 30)

    styles: dict[str, TextStyle] = {}
    for sname in STYLE_NAMES:
        s = d["styles"][sname]
        if sname == "phone" and isinstance(s, dict):
            # Unset size and leading follow the body of the same layout.
            s = {**d["styles"]["body"], **s}
        if not isinstance(s, dict):
            raise UnknownLayout(f"« styles.{sname} » doit être une table.")
        unknown = set(s) - {"font", "size", "leading"}
        if unknown:
            raise UnknownLayout(f"Clé inconnue dans « styles.{sname} » : {', '.join(sorted(unknown))}.")
        font = s["font"]
        if font not in ("regular", "bold", "italic", "bold_italic"):
            raise UnknownLayout(
                f"« styles.{sname}.font » doit être regular, bold, italic ou bold_italic (trouvé : {font!r})."
            )
        # Printers refuse black text under 6 pt; the attribution line and tab
        # labels are small on purpose but stay legible.
        size = _num(s, "size", f"styles.{sname}", 7 if sname in ("source", "tab") else 6, 120)
        if sname == "tab" and size < 8:
            raise UnknownLayout("« styles.tab.size » : le texte en réserve des onglets doit faire au moins 8 pt.")
        leading = _num(s, "leading", f"styles.{sname}", size, size * 3)
        styles[sname] = TextStyle(font, size, leading)

    e = d["entry"]
    entry = EntrySpacing(
        indent=_num(e, "indent", "entry", 0, 20),
        space_after=_num(e, "space_after", "entry", 0, 50),
        space_before_typology=_num(e, "space_before_typology", "entry", 0, 50),
        space_before_group=_num(e, "space_before_group", "entry", 0, 50),
        space_before_subgroup=_num(e, "space_before_subgroup", "entry", 0, 50),
        new_column_from=int(_num(e, "new_column_from", "entry", 1, 100000)),
        new_page_from=int(_num(e, "new_page_from", "entry", 1, 100000)),
        old_after_months=int(_num(e, "old_after_months", "entry", 0, 1200)),
        grid=_bool(e, "grid", "entry"),
    )

    c = d["colours"]
    if not isinstance(c["themes"], dict):
        raise UnknownLayout("« colours.themes » doit être une table slug = [C, M, J, N].")
    if not isinstance(c["groups"], list) or not c["groups"]:
        raise UnknownLayout("« colours.groups » doit être une liste non vide de couleurs [C, M, J, N].")
    colours = Colours(
        text=_cmyk(c["text"], "colours.text"),
        default_theme=_cmyk(c["default_theme"], "colours.default_theme"),
        themes=tuple((str(k), _cmyk(v, f"colours.themes.{k}")) for k, v in c["themes"].items()),
        groups=tuple(_cmyk(v, f"colours.groups[{i}]") for i, v in enumerate(c["groups"])),
        band_tint=_num(c, "band_tint", "colours", 0, 1),
    )
    if (colours.text.c, colours.text.m, colours.text.y) != (0, 0, 0):
        raise UnknownLayout("« colours.text » : le texte courant s’imprime au noir seul [0, 0, 0, N].")

    t = d["tabs"]
    if not isinstance(t["enabled"], bool):
        raise UnknownLayout("« tabs.enabled » doit valoir true ou false.")
    if not isinstance(t["labels"], dict) or not all(isinstance(v, str) for v in t["labels"].values()):
        raise UnknownLayout("« tabs.labels » doit être une table « libellé long » = « libellé court ».")
    tabs = Tabs(
        enabled=t["enabled"],
        width=_num(t, "width", "tabs", safe + 4, 30),
        height=_num(t, "height", "tabs", 10, 200),
        min_height=_num(t, "min_height", "tabs", 10, 200),
        own_from=int(_num(t, "own_from", "tabs", 1, 1_000_000)),
        labels=tuple(t["labels"].items()),
    )
    if tabs.enabled and m["outer"] < tabs.width + 2:
        raise UnknownLayout(
            f"« margins.outer » ({m['outer']:g} mm) doit dépasser la largeur des onglets "
            f"({tabs.width:g} mm) d’au moins 2 mm."
        )

    h = d["hyphenation"]
    if not isinstance(h["enabled"], bool):
        raise UnknownLayout("« hyphenation.enabled » doit valoir true ou false.")
    min_word = h["min_word"]
    if isinstance(min_word, bool) or not isinstance(min_word, int) or min_word < 5:
        raise UnknownLayout("« hyphenation.min_word » doit être un entier ≥ 5.")
    b = d["binding"]
    smax = b["saddle_max_pages"]
    if isinstance(smax, bool) or not isinstance(smax, int) or smax < 4 or smax % 4:
        raise UnknownLayout("« binding.saddle_max_pages » doit être un multiple de 4 (par exemple 64).")
    ix = d["index"]
    for k in ("names", "communes"):
        if not isinstance(ix[k], bool):
            raise UnknownLayout(f"« index.{k} » doit valoir true ou false.")

    fu = d["furniture"]
    furniture = Furniture(
        folio_drop=_num(fu, "folio_drop", "furniture", 0, 30),
        folio_min=_num(fu, "folio_min", "furniture", 5, 30),
        head_rise=_num(fu, "head_rise", "furniture", 0, 30),
        foot_gap=_num(fu, "foot_gap", "furniture", 0, 30),
    )
    bd = d["bands"]
    bands = Bands(**{k: _num(bd, k, "bands", 0.1, 0.9) for k in ("cover", "back_cover", "opener")})
    full_from = d["openers"]["full_page_from"]
    if isinstance(full_from, bool) or not isinstance(full_from, int) or full_from < 1:
        raise UnknownLayout("« openers.full_page_from » doit être un entier ≥ 1 (pages de la partie).")

    layout = Layout(
        name=str(d["name"]),
        description=str(d["description"]),
        width=width,
        height=height,
        bleed=bleed,
        safe=safe,
        margin_inner=m["inner"],
        margin_outer=m["outer"],
        margin_top=m["top"],
        margin_bottom=m["bottom"],
        columns=count,
        gutter=gutter,
        fonts=_font_files(d["fonts"]),
        styles=Styles(**styles),
        entry=entry,
        colours=colours,
        tabs=tabs,
        hyphenate=h["enabled"],
        hyphen_min_word=min_word,
        hyphen_language=str(h["language"]),
        saddle_max_pages=smax,
        index_names=ix["names"],
        index_communes=ix["communes"],
        measure=measure,
        furniture=furniture,
        bands=bands,
        opener_full_page_from=full_from,
    )
    if layout.column_width < 35:
        raise UnknownLayout(
            f"Colonnes trop étroites ({layout.column_width:.1f} mm) dans {source} : "
            "réduisez le nombre de colonnes ou les marges."
        )
    if m["top"] < 12 or m["bottom"] < 12:
        # The running head and the folio live in these margins, folios at
        # least 6 mm from the trim because of creep in saddle-stitched books.
        raise UnknownLayout("Les marges haute et basse doivent faire au moins 12 mm (titre courant et folio).")
    return layout
