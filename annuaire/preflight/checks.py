"""The checks, one function each, turning what was read into a :class:`Check`.

Box, font and PDF/X checks read the PDF objects directly; colour, text size,
resolution and ink checks read the per-page :class:`~.content.PageScan`
results of the single content pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import pikepdf

from .content import PageScan
from .report import Check, Finding, make_check

PT_PER_MM = 72.0 / 25.4
BOX_TOLERANCE_PT = 0.01  # rounding noise of producers that write mm → pt
BLEED_TOLERANCE_MM = 0.1
# Saddle stitching: beyond 64 pages (covers included) of 80–90 g paper a stapled
# booklet no longer closes flat and its middle pages creep out past the trim; print
# shops then ask for perfect binding. 64 is also the engine's default switch
# (layout key binding.saddle_max_pages).
SADDLE_STITCH_MAX = 64
# 6 pt set by TeX is 5.98 PostScript points: a printer does not see 0.02 pt.
TEXT_TOLERANCE_PT = 0.05

# Trim sizes worth naming in the report (mm, portrait).
_FORMATS = {
    (210, 297): "A4",
    (148, 210): "A5",
    (105, 148): "A6",
    (99, 210): "DL",
    (170, 240): "17 × 24",
    (160, 240): "16 × 24",
    (150, 210): "15 × 21",
    (120, 176): "B6 (JIS)",
    (176, 250): "B5",
}

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageBoxes:
    """Raw boxes of one page, in points (UserUnit applied); None when absent."""

    media: Rect | None
    trim: Rect | None
    bleed: Rect | None
    rotate: int
    inherited: tuple[str, ...]  # TrimBox/BleedBox found only on a /Pages ancestor


# -- reading ------------------------------------------------------------------------


def _inherited(obj, key: str):
    """``(value, from_ancestor)`` looking up the /Parent chain (loops guarded)."""
    node, seen, depth = obj, set(), 0
    while node is not None and depth < 64:
        if key in node:
            return node[key], depth > 0
        gen = node.objgen
        if gen != (0, 0):
            if gen in seen:
                break
            seen.add(gen)
        node = node.get("/Parent")
        depth += 1
    return None, False


def _rect(value, unit: float) -> Rect | None:
    if value is None:
        return None
    try:
        x0, y0, x1, y1 = (float(v) * unit for v in value)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def read_boxes(page_obj) -> PageBoxes:
    """Boxes of a page as written: TrimBox/BleedBox are *not* defaulted to
    MediaBox (unlike ``pdfinfo -box``), but an ancestor's value is taken and
    flagged, since some producers put them on the /Pages node."""
    unit = float(page_obj.get("/UserUnit", 1.0))
    media, _ = _inherited(page_obj, "/MediaBox")
    trim, trim_up = _inherited(page_obj, "/TrimBox")
    bleed, bleed_up = _inherited(page_obj, "/BleedBox")
    rotate, _ = _inherited(page_obj, "/Rotate")
    up = tuple(k for k, flag in (("TrimBox", trim_up), ("BleedBox", bleed_up)) if flag)
    return PageBoxes(_rect(media, unit), _rect(trim, unit), _rect(bleed, unit), int(rotate or 0) % 360, up)


# -- formatting -----------------------------------------------------------------------


def mm(pt: float) -> float:
    return pt / PT_PER_MM


def fr_num(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _size_fr(r: Rect) -> str:
    w, h = mm(r[2] - r[0]), mm(r[3] - r[1])
    name = _FORMATS.get((round(min(w, h)), round(max(w, h))))
    suffix = f" ({name}{', paysage' if w > h else ''})" if name else ""
    return f"{fr_num(w)} × {fr_num(h)} mm{suffix}"


def _contains(outer: Rect, inner: Rect) -> bool:
    t = BOX_TOLERANCE_PT
    return (
        inner[0] >= outer[0] - t and inner[1] >= outer[1] - t and inner[2] <= outer[2] + t and inner[3] <= outer[3] + t
    )


def _same(r1: Rect | None, r2: Rect | None) -> bool:
    if r1 is None or r2 is None:
        return r1 is r2
    return all(abs(a - b) <= BOX_TOLERANCE_PT for a, b in zip(r1, r2))


def _per_page(pages: Sequence[int], total: int, message: str, severity="error") -> list[Finding]:
    """One finding per page, or a single one when every page has the problem."""
    if total > 1 and len(pages) == total:
        return [Finding(None, f"{message} (toutes les pages)", severity)]
    return [Finding(p, message, severity) for p in pages]


# -- 0. the file itself -----------------------------------------------------------------


def check_file(pdf: pikepdf.Pdf, pages: int) -> Check:
    """A file that qpdf could only read by reconstructing it (truncated,
    damaged cross-reference table), one with no page, or an encrypted one,
    is not fit to print, whatever the other checks found in what was left."""
    findings = []
    warnings = [w.split(": ", 1)[-1] for w in pdf.get_warnings()]
    if warnings:
        shown = " ; ".join(dict.fromkeys(warnings[:3]))
        findings.append(
            Finding(
                None,
                f"fichier endommagé ou tronqué ({shown}{' …' if len(warnings) > 3 else ''}) : "
                "un lecteur ou un RIP peut le refuser ou perdre des pages ; "
                "reprenez le fichier complet (nouvel export ou nouveau transfert)",
            )
        )
    if pages == 0:
        findings.append(Finding(None, "aucune page trouvée dans le fichier"))
    if pdf.is_encrypted:
        findings.append(
            Finding(None, "fichier chiffré (protégé) : interdit en PDF/X ; demandez une version sans protection")
        )
    return make_check("fichier", "Fichier complet et lisible", findings)


# -- 1. fonts ---------------------------------------------------------------------------


def _font_problem(font) -> tuple[str, str] | None:
    """(name, French problem) for a font that is not embedded or is Type 3."""
    subtype = str(font.get("/Subtype", ""))
    name = str(font.get("/BaseFont", font.get("/Name", "?"))).lstrip("/")
    if subtype == "/Type3":
        return name, "police de type 3 (glyphes dessinés, refusée par les flux d’impression)"
    target = font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return name, "police composite sans police descendante"
        target = descendants[0]
    descriptor = target.get("/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return name, "police non incorporée"
    return None


def _font_dicts(resources, seen: set, depth: int = 0) -> Iterable:
    """Fonts of a resource dictionary and of the forms/patterns/annotations under it."""
    if resources is None or depth > 12:
        return
    key = resources.objgen
    if key != (0, 0):
        if key in seen:
            return
        seen.add(key)
    for font in (resources.get("/Font") or {}).values():
        yield font
        if font.get("/Subtype") == "/Type3":
            yield from _font_dicts(font.get("/Resources"), seen, depth + 1)
    for group in ("/XObject", "/Pattern"):
        for xobj in (resources.get(group) or {}).values():
            if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") != "/Image":
                if xobj.objgen != (0, 0):
                    if ("stream", xobj.objgen) in seen:
                        continue  # forms shared or drawing each other: once is enough
                    seen.add(("stream", xobj.objgen))
                yield from _font_dicts(xobj.get("/Resources"), seen, depth + 1)


def _annotation_resources(page_obj) -> Iterable:
    for annot in page_obj.get("/Annots", ()):
        ap = annot.get("/AP")
        normal = ap.get("/N") if ap is not None else None
        if isinstance(normal, pikepdf.Stream):
            yield normal.get("/Resources")


def check_fonts(pdf: pikepdf.Pdf, page_resources: Sequence) -> Check:
    """Every font in the resources counts, used or not, as with pdffonts and
    printers' preflight: ReportLab's unembedded Helvetica leak is such a font."""
    problems: dict[tuple[int, int] | int, tuple[str, str, list[int]]] = {}
    verdicts: dict[tuple[int, int], tuple[str, str] | None] = {}
    for number, (page, resources) in enumerate(zip(pdf.pages, page_resources), start=1):
        seen: set = set()
        sources = [resources, *_annotation_resources(page.obj)]
        for res in sources:
            for font in _font_dicts(res, seen):
                key = font.objgen if font.objgen != (0, 0) else id(font)
                if key not in verdicts:
                    verdicts[key] = _font_problem(font)
                problem = verdicts[key]
                if problem is None:
                    continue
                entry = problems.setdefault(key, (problem[0], problem[1], []))
                if not entry[2] or entry[2][-1] != number:
                    entry[2].append(number)
    findings = []
    for name, problem, pages in problems.values():
        findings.append(Finding(pages[0], f"« {name} » : {problem} — {_where(pages, len(pdf.pages))}"))
    return make_check("polices", "Polices incorporées, pas de Type 3", findings)


def _where(pages: list[int], total: int) -> str:
    if len(pages) == total and total > 1:
        return "toutes les pages"
    shown = ", ".join(str(p) for p in pages[:8])
    more = f" et {len(pages) - 8} autre(s)" if len(pages) > 8 else ""
    return ("page " if len(pages) == 1 else "pages ") + shown + more


# -- 2. boxes -----------------------------------------------------------------------------


def check_boxes(boxes: Sequence[PageBoxes], bleed_mm: float | None) -> Check:
    findings: list[Finding] = []
    total = len(boxes)
    for key, label in (("trim", "TrimBox (format fini) absente"), ("bleed", "BleedBox (fond perdu) absente")):
        missing = [i for i, b in enumerate(boxes, 1) if getattr(b, key) is None]
        findings += _per_page(missing, total, label)
    for i, b in enumerate(boxes, 1):
        findings += _page_box_findings(i, b, bleed_mm)
    findings += _uniformity(boxes)
    first = next((b for b in boxes if b.trim is not None), None)
    if first is not None:
        findings.append(Finding(None, f"format fini {_size_fr(first.trim)}{_bleed_fr(first)}", "info"))
    return make_check("boites", "Boîtes TrimBox/BleedBox (format fini et fond perdu)", findings)


def _page_box_findings(i: int, b: PageBoxes, bleed_mm: float | None) -> list[Finding]:
    out = []
    for key in b.inherited:
        out.append(
            Finding(
                i,
                f"{key} héritée du nœud /Pages, pas écrite sur la page : certains logiciels d’imposition l’ignorent",
                "warning",
            )
        )
    if b.rotate:
        out.append(Finding(i, f"page tournée (/Rotate {b.rotate}) : à éviter, l’imprimeur attend des pages droites"))
    if b.media is None:
        out.append(Finding(i, "MediaBox absente"))
        return out
    if b.bleed is not None and not _contains(b.media, b.bleed):
        out.append(Finding(i, "BleedBox déborde de la MediaBox"))
    if b.trim is not None:
        outer = b.bleed if b.bleed is not None else b.media
        if not _contains(outer, b.trim):
            out.append(Finding(i, f"TrimBox déborde de la {'BleedBox' if b.bleed is not None else 'MediaBox'}"))
    if bleed_mm is not None and b.trim is not None and b.bleed is not None:
        out += _bleed_findings(i, b, bleed_mm)
    return out


_SIDES = ("à gauche", "en bas", "à droite", "en haut")


def _margins_mm(b: PageBoxes) -> tuple[float, float, float, float]:
    t, bl = b.trim, b.bleed
    return (mm(t[0] - bl[0]), mm(t[1] - bl[1]), mm(bl[2] - t[2]), mm(bl[3] - t[3]))


def _bleed_findings(i: int, b: PageBoxes, bleed_mm: float) -> list[Finding]:
    wrong = [
        f"{fr_num(m)} mm {side}" for m, side in zip(_margins_mm(b), _SIDES) if abs(m - bleed_mm) > BLEED_TOLERANCE_MM
    ]
    if not wrong:
        return []
    return [Finding(i, f"fond perdu de {', '.join(wrong)} au lieu de {fr_num(bleed_mm)} mm")]


def _bleed_fr(b: PageBoxes) -> str:
    if b.bleed is None:
        return ""
    margins = _margins_mm(b)
    if max(margins) - min(margins) <= BLEED_TOLERANCE_MM:
        return f", fond perdu {fr_num(margins[0])} mm"
    return ", fond perdu inégal (" + ", ".join(f"{fr_num(m)} mm {s}" for m, s in zip(margins, _SIDES)) + ")"


def _uniformity(boxes: Sequence[PageBoxes]) -> list[Finding]:
    if not boxes:
        return []
    ref = boxes[0]
    out = []
    for i, b in enumerate(boxes[1:], start=2):
        differs = [
            name
            for name, r1, r2 in (
                ("TrimBox", ref.trim, b.trim),
                ("BleedBox", ref.bleed, b.bleed),
                ("MediaBox", ref.media, b.media),
            )
            if r1 is not None and r2 is not None and not _same(r1, r2)
        ]
        if differs:
            out.append(Finding(i, f"{', '.join(differs)} différente(s) de celle(s) de la page 1"))
    return out


# -- 3. page count ------------------------------------------------------------------------

BINDINGS = {"piquee": "piquee", "piquée": "piquee", "collee": "collee", "collée": "collee"}


def check_page_count(pages: int, binding: str | None) -> Check:
    findings = []
    if binding == "piquee":
        if pages % 4:
            findings.append(
                Finding(
                    None,
                    f"{_pages(pages)} : une brochure piquée à cheval demande un multiple de 4 "
                    f"(ajouter {4 - pages % 4} page(s) blanche(s) ou en retirer {pages % 4})",
                )
            )
        if pages > SADDLE_STITCH_MAX:
            findings.append(
                Finding(
                    None,
                    f"{_pages(pages)} : au-delà de {SADDLE_STITCH_MAX} pages (papier 80–90 g), "
                    "une brochure piquée à cheval ne se ferme plus à plat et ses pages centrales "
                    "débordent de la coupe : faites-la relier en dos carré collé "
                    "(annuaire build --reliure collee)",
                )
            )
    findings.append(Finding(None, f"{_pages(pages)}, reliure : {_BINDING_FR[binding]}", "info"))
    return make_check("pagination", "Nombre de pages", findings)


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"


_BINDING_FR = {
    None: "non précisée",
    "piquee": "piquée à cheval",
    "collee": "dos carré collé (pas de règle de multiple)",
}


# -- 4. RGB ------------------------------------------------------------------------------------


def check_rgb(scans: Sequence[PageScan]) -> Check:
    findings = []
    gray_pages = []
    for i, scan in enumerate(scans, 1):
        if scan.rgb:
            findings.append(Finding(i, "RVB : " + " ; ".join(scan.rgb)))
        if scan.gray:
            gray_pages.append(i)
    if gray_pages:
        findings.append(
            Finding(
                None,
                f"niveaux de gris (DeviceGray) acceptés, imprimés sur la plaque noire — {_where(gray_pages, len(scans))}",
                "info",
            )
        )
    return make_check("rvb", "Pas de couleurs RVB (CMJN ou gris uniquement)", findings)


# -- 5. text size ------------------------------------------------------------------------------


def check_text_size(scans: Sequence[PageScan], min_text_pt: float) -> Check:
    findings = []
    smallest: tuple[float, int] | None = None
    for i, scan in enumerate(scans, 1):
        size = scan.min_text
        if size is None:
            continue
        if smallest is None or size < smallest[0] - 1e-6:
            smallest = (size, i)
        if size < min_text_pt - TEXT_TOLERANCE_PT:
            findings.append(Finding(i, f"texte de {fr_num(size, 2)} pt, sous le minimum de {fr_num(min_text_pt)} pt"))
    if smallest is None:
        findings.append(Finding(None, "aucun texte trouvé", "info"))
    else:
        findings.append(Finding(smallest[1], f"plus petit corps du document : {fr_num(smallest[0], 2)} pt", "info"))
    return make_check("corps-texte", f"Corps de texte ≥ {fr_num(min_text_pt)} pt", findings)


# -- 5b. text inside the trim ------------------------------------------------------------------


def check_text_inside(scans: Sequence[PageScan]) -> Check:
    findings = []
    for i, scan in enumerate(scans, 1):
        if scan.outside_trim:
            x, y = scan.outside_at or (0.0, 0.0)
            findings.append(
                Finding(
                    i,
                    f"{scan.outside_trim} ligne(s) de texte commencent hors du format fini, la première à "
                    f"x = {fr_num(mm(x))} mm, y = {fr_num(mm(y))} mm du coin inférieur gauche de la TrimBox : "
                    "texte coupé au massicot ou dessiné hors de la page (champ trop long ?) ; "
                    "ramenez-le dans la page",
                )
            )
    return make_check("texte-hors-format", "Texte à l’intérieur du format fini (TrimBox)", findings)


# -- 6. images -------------------------------------------------------------------------------------


def check_images(scans: Sequence[PageScan], min_ppi: int) -> Check:
    findings = []
    count = 0
    for i, scan in enumerate(scans, 1):
        for use in scan.images.values():
            count += 1
            if use.ppi < min_ppi - 0.5:
                findings.append(
                    Finding(
                        i,
                        f"image {use.name} ({use.width} × {use.height} px) à {use.ppi:.0f} ppi "
                        f"à sa taille d’impression, minimum {min_ppi} ppi",
                    )
                )
    findings.append(Finding(None, f"{count} placement(s) d’image examiné(s)", "info"))
    return make_check("resolution-images", f"Résolution des images ≥ {min_ppi} ppi", findings)


# -- 7. total ink ------------------------------------------------------------------------------


def check_ink(scans: Sequence[PageScan], max_ink: float) -> Check:
    findings = [
        Finding(i, f"aplat à {scan.max_ink:.0f} % d’encrage total (C+M+J+N), maximum {max_ink:.0f} %")
        for i, scan in enumerate(scans, 1)
        if scan.max_ink > max_ink + 0.05
    ]
    findings.append(
        Finding(
            None,
            "aplats vectoriels CMJN seulement ; contours (traits de coupe en repérage) "
            "et objets hors BleedBox ignorés ; images non mesurées",
            "info",
        )
    )
    return make_check("encrage", f"Encrage total des aplats ≤ {max_ink:.0f} %", findings)


# -- 8. PDF/X ------------------------------------------------------------------------------------

_XMP_PDFX = re.compile(rb"GTS_PDFXVersion\s*(?:=\s*[\"']([^\"']*)|>\s*([^<]*)<)")
_XMP_TRAPPED = re.compile(rb"pdf:Trapped\s*(?:=\s*[\"']([^\"']*)|>\s*([^<]*)<)")


def _xmp_value(pattern: re.Pattern, xmp: bytes) -> str | None:
    m = pattern.search(xmp)
    if not m:
        return None
    return (m.group(1) or m.group(2) or b"").decode("utf-8", "replace").strip() or None


def _xmp(pdf: pikepdf.Pdf) -> bytes:
    meta = pdf.Root.get("/Metadata")
    try:
        return meta.read_bytes() if isinstance(meta, pikepdf.Stream) else b""
    except pikepdf.PdfError:
        return b""


def check_pdfx(pdf: pikepdf.Pdf) -> Check:
    title = "Identification PDF/X (intention de sortie)"
    intents = [oi for oi in pdf.Root.get("/OutputIntents", ()) if oi.get("/S") == "/GTS_PDFX"]
    if not intents:
        return make_check(
            "pdfx",
            title,
            [
                Finding(
                    None,
                    "pas d’intention de sortie PDF/X : le fichier n’est pas déclaré PDF/X "
                    "(simple information, n’empêche pas la conformité ; à ajouter si l’imprimeur exige du PDF/X)",
                    "info",
                )
            ],
        )
    findings = _intent_findings(intents[0])
    if len(intents) > 1:
        findings.append(Finding(None, f"{len(intents)} intentions de sortie GTS_PDFX : une seule est permise"))
    findings += _pdfx_keys(pdf)
    return make_check("pdfx", title, findings)


def _intent_findings(oi) -> list[Finding]:
    out = []
    ident = str(oi.get("/OutputConditionIdentifier", "")).strip()
    if not ident:
        out.append(Finding(None, "OutputConditionIdentifier absent de l’intention de sortie"))
    profile = oi.get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        out.append(Finding(None, "profil ICC (DestOutputProfile) absent de l’intention de sortie"))
    else:
        n = int(profile.get("/N", 0))
        head = b""
        try:
            head = profile.read_bytes()[:40]
        except pikepdf.PdfError:
            pass
        if n != 4 or head[16:20] != b"CMYK":
            out.append(Finding(None, f"le profil de sortie n’est pas un profil CMJN (N = {n})"))
        if head[36:40] != b"acsp":
            out.append(Finding(None, "le profil de sortie n’est pas un fichier ICC valide"))
    info = str(oi.get("/Info", "") or oi.get("/OutputCondition", "")).strip()
    out.append(Finding(None, f"intention de sortie : {ident or '?'}{' — ' + info if info else ''}", "info"))
    return out


def _pdfx_keys(pdf: pikepdf.Pdf) -> list[Finding]:
    out = []
    info = pdf.trailer.get("/Info") or {}
    xmp = _xmp(pdf)
    in_xmp = _xmp_value(_XMP_PDFX, xmp)
    in_info = str(info["/GTS_PDFXVersion"]) if "/GTS_PDFXVersion" in info else None
    version = in_xmp or in_info
    if version is None:
        out.append(Finding(None, "version PDF/X non déclarée (GTS_PDFXVersion absent de Info et de XMP)"))
    else:
        out.append(Finding(None, f"déclaré {version}", "info"))
        if in_xmp and in_info and in_xmp != in_info:
            out.append(Finding(None, f"GTS_PDFXVersion diffère entre XMP ({in_xmp}) et Info ({in_info})", "warning"))
        if version.startswith("PDF/X-4") and pdf.pdf_version < "1.6":
            out.append(Finding(None, f"PDF {pdf.pdf_version} : PDF/X-4 demande la version 1.6 au moins"))
    trapped = str(info.get("/Trapped", "")).lstrip("/") or _xmp_value(_XMP_TRAPPED, xmp)
    if trapped not in ("True", "False"):
        out.append(Finding(None, "clé /Trapped absente ou invalide (True ou False attendu)"))
    if "/ID" not in pdf.trailer:
        out.append(Finding(None, "identifiant de fichier /ID absent"))
    if pdf.is_encrypted:
        out.append(Finding(None, "fichier chiffré : interdit en PDF/X"))
    return out
