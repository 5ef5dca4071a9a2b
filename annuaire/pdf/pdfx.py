"""PDF/X-4 identification: output intent, XMP and Info keys, with pikepdf.

ReportLab writes no output intent, no GTS keys and no XMP (see the facts
file, §3).  :func:`add_output_intent` adds them to a finished PDF whose
content is already print-ready (CMYK or grey, fonts embedded, boxes set —
check that with :func:`annuaire.preflight.preflight`; nothing here converts
colours):

* ``/OutputIntents`` with one ``/GTS_PDFX`` intent: ``DestOutputProfile``
  (the printer's CMYK ICC profile, ``/N 4``), ``OutputConditionIdentifier``
  (e.g. ``FOGRA39``), ``RegistryName`` ``http://www.color.org``, ``Info``;
  other intents (PDF/A…) are kept, a previous GTS_PDFX one is replaced;
* Info: ``/GTS_PDFXVersion``, ``/Trapped /False``, ``/Title`` and
  ``/ModDate`` (= ``/CreationDate``);
* an XMP packet written from Info: ``pdfxid:GTS_PDFXVersion``,
  ``pdf:Trapped``, ``dc:title``, xmp dates, ``xmpMM`` ids (required by
  PDF/X-4).  Any previous XMP packet is replaced, not merged;
* PDF version ≥ 1.6, no encryption, a TrimBox on every page (a TrimBox or
  BleedBox found only on a /Pages ancestor is copied onto the pages, since
  those keys are not inheritable; a page with none at all is refused).

Output is reproducible: every date comes from the document's
``/CreationDate`` (else ``SOURCE_DATE_EPOCH``, else 2000-01-01, ReportLab's
``invariant`` date), XMP ids are hashes of the input, and the file is saved
with ``deterministic_id=True``: same input + same profile → same bytes.

ECI profiles (FOGRA39…) may not be redistributed, so the user brings the
printer's profile; a profile that is not an ICC CMYK output profile raises
:class:`InvalidIccProfile`.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import uuid
import zlib
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf

from annuaire import output
from annuaire.errors import AnnuaireError
from annuaire.preflight.checks import read_boxes

__all__ = [
    "add_output_intent",
    "read_icc",
    "IccProfile",
    "PdfxError",
    "InvalidIccProfile",
    "MissingTrimBox",
    "SUPPORTED_VERSIONS",
]

SUPPORTED_VERSIONS = ("PDF/X-4",)
REGISTRY = "http://www.color.org"
_FALLBACK_DATE = "D:20000101000000+00'00'"  # ReportLab's invariant=1 date


class PdfxError(AnnuaireError, ValueError):
    """PDF/X identification cannot be added; the message says why, in French."""


class InvalidIccProfile(PdfxError):
    """The file is not an ICC profile, or not a CMYK one (N ≠ 4)."""


class MissingTrimBox(PdfxError):
    """Some pages have no TrimBox (PDF/X requires one on every page)."""


# -- ICC -------------------------------------------------------------------------------


class IccProfile:
    """The bytes of an ICC profile and what its header says."""

    def __init__(self, data: bytes, colour_space: str, device_class: str, description: str | None):
        self.data = data
        self.colour_space = colour_space  # 'CMYK', 'RGB ', 'GRAY'…
        self.device_class = device_class  # 'prtr' for an output profile
        self.description = description


def read_icc(icc_path) -> IccProfile:
    """Read and validate a CMYK output profile; raises :class:`InvalidIccProfile`."""
    path = Path(icc_path)
    if not path.is_file():
        raise InvalidIccProfile(
            f"Profil ICC introuvable : {path}. Fournir le profil CMJN de l’imprimeur (ex. FOGRA39)."
        )
    data = path.read_bytes()
    if len(data) < 132 or data[36:40] != b"acsp":
        raise InvalidIccProfile(f"{path.name} n’est pas un profil ICC (signature « acsp » absente).")
    declared = struct.unpack(">I", data[:4])[0]
    if declared > len(data):
        raise InvalidIccProfile(f"{path.name} est tronqué : {len(data)} octets au lieu de {declared}.")
    space = data[16:20].decode("latin-1")
    if space != "CMYK":
        raise InvalidIccProfile(
            f"{path.name} est un profil {space.strip()} et non CMJN : l’intention de sortie PDF/X "
            "demande le profil CMJN de l’imprimeur (4 composantes, ex. ISO Coated v2 / FOGRA39)."
        )
    device_class = data[12:16].decode("latin-1")
    if device_class != "prtr":
        raise InvalidIccProfile(
            f"{path.name} n’est pas un profil de sortie (classe « {device_class} » au lieu de « prtr ») : "
            "fournir le profil d’impression de l’imprimeur."
        )
    return IccProfile(data, space, device_class, _icc_description(data))


def _icc_description(data: bytes) -> str | None:
    """The 'desc' tag text (v2 textDescriptionType or v4 multiLocalizedUnicode)."""
    try:
        (count,) = struct.unpack(">I", data[128:132])
        for i in range(min(count, 200)):
            sig, offset, size = struct.unpack(">4sII", data[132 + 12 * i : 144 + 12 * i])
            if sig != b"desc":
                continue
            tag = data[offset : offset + size]
            if tag[:4] == b"desc":
                (n,) = struct.unpack(">I", tag[8:12])
                return tag[12 : 12 + n].rstrip(b"\0").decode("latin-1").strip() or None
            if tag[:4] == b"mluc":
                length, start = struct.unpack(">II", tag[20:28])
                return tag[start : start + length].decode("utf-16-be").rstrip("\0").strip() or None
    except (struct.error, UnicodeDecodeError):
        return None
    return None


# -- main --------------------------------------------------------------------------------


def add_output_intent(
    src,
    dst,
    icc_path,
    condition: str = "FOGRA39",
    info: str | None = None,
    title: str | None = None,
    version: str = "PDF/X-4",
) -> Path:
    """Write ``dst``: ``src`` identified as PDF/X-4 for the CMYK ``icc_path``.

    ``condition`` is the OutputConditionIdentifier (the printing condition's
    name in the ICC registry: 'FOGRA39', 'FOGRA51', 'FOGRA52'…); ``info``
    defaults to the profile's description.  ``dst`` may be ``src``."""
    if version not in SUPPORTED_VERSIONS:
        raise PdfxError(f"Version PDF/X « {version} » non prise en charge : seule PDF/X-4 l’est.")
    if not condition or not condition.strip():
        raise PdfxError("Condition de sortie vide : indiquer l’identifiant du registre ICC (ex. FOGRA39).")
    profile = read_icc(icc_path)
    src, dst = Path(src), Path(dst)
    source_bytes = _read_source(src)
    with _open(src) as pdf:
        _require_trimbox(pdf, src.name)
        created = _creation_date(pdf)
        doc_title = title or _info_text(pdf, "/Title") or src.stem
        _set_output_intent(pdf, profile, condition.strip(), info or profile.description or condition.strip())
        _set_info(pdf, version, doc_title, created)
        digest = hashlib.sha256(
            source_bytes + profile.data + repr((condition, info, title, version)).encode()
        ).hexdigest()
        _set_xmp(pdf, version, doc_title, created, digest)
        with output.replacing(dst) as tmp:
            pdf.save(
                tmp,
                min_version="1.6",
                encryption=False,
                deterministic_id=True,
                fix_metadata_version=False,
            )
    return dst


def _read_source(src: Path) -> bytes:
    if not src.is_file():
        raise PdfxError(f"PDF introuvable : {src}.")
    return src.read_bytes()


def _open(src: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(src, allow_overwriting_input=True)
    except pikepdf.PasswordError:
        raise PdfxError(f"{src.name} est protégé par un mot de passe : PDF/X interdit le chiffrement.") from None
    except pikepdf.PdfError as exc:
        raise PdfxError(f"{src.name} n’est pas un PDF lisible ({exc}).") from None


def _require_trimbox(pdf: pikepdf.Pdf, name: str) -> None:
    missing, outside = [], []
    for number, page in enumerate(pdf.pages, start=1):
        boxes = read_boxes(page.obj)
        if boxes.trim is None:
            missing.append(number)
            continue
        for key in boxes.inherited:  # not inheritable keys: put them where they belong
            page.obj[f"/{key}"] = pikepdf.Array(_ancestor(page.obj, f"/{key}"))
        outer = boxes.bleed or boxes.media
        if outer is not None and not _inside(boxes.trim, outer):
            outside.append(number)
    if missing:
        raise MissingTrimBox(
            f"{name} : pas de TrimBox (format fini) sur {_pages_fr(missing, len(pdf.pages))}. "
            "PDF/X l’exige sur chaque page : générer le PDF avec la boîte de coupe (format fini + fond perdu)."
        )
    if outside:
        raise MissingTrimBox(
            f"{name} : la TrimBox déborde de la BleedBox ou de la MediaBox sur {_pages_fr(outside, len(pdf.pages))}."
        )


def _ancestor(obj, key: str):
    node = obj.get("/Parent")
    for _ in range(64):
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _inside(inner, outer, tol: float = 0.01) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


def _pages_fr(pages: list[int], total: int) -> str:
    if len(pages) == total:
        return "toutes les pages" if total > 1 else "la page"
    shown = ", ".join(str(p) for p in pages[:10])
    return ("la page " if len(pages) == 1 else "les pages ") + shown + (" …" if len(pages) > 10 else "")


def _set_output_intent(pdf: pikepdf.Pdf, profile: IccProfile, condition: str, info: str) -> None:
    stream = pdf.make_stream(zlib.compress(profile.data, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    stream.N = 4
    intent = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputCondition=pikepdf.String(info),
            OutputConditionIdentifier=pikepdf.String(condition),
            RegistryName=pikepdf.String(REGISTRY),
            Info=pikepdf.String(info),
            DestOutputProfile=stream,
        )
    )
    kept = [oi for oi in pdf.Root.get("/OutputIntents", ()) if oi.get("/S") != "/GTS_PDFX"]
    pdf.Root.OutputIntents = pikepdf.Array([intent, *kept])


def _info_text(pdf: pikepdf.Pdf, key: str) -> str | None:
    info = pdf.trailer.get("/Info")
    if info is None or key not in info:
        return None
    text = str(info[key]).strip()
    return text or None


def _creation_date(pdf: pikepdf.Pdf) -> str:
    """The document's own date as a PDF date string; never the current time."""
    date = _info_text(pdf, "/CreationDate")
    if date and _parse_pdf_date(date):
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
    return _FALLBACK_DATE


def _set_info(pdf: pikepdf.Pdf, version: str, title: str, created: str) -> None:
    if "/Info" not in pdf.trailer:
        pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary())
    info = pdf.trailer.Info
    info.Title = pikepdf.String(title)
    info.CreationDate = pikepdf.String(created)
    info.ModDate = pikepdf.String(created)  # no "now": output must be reproducible
    info.Trapped = pikepdf.Name("/False")
    info.GTS_PDFXVersion = pikepdf.String(version)


_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?'?")


def _parse_pdf_date(text: str) -> str | None:
    """PDF date ``D:YYYYMMDDHHmmSSOHH'mm'`` → XMP date ``YYYY-MM-DDTHH:mm:SS±HH:mm``."""
    m = _PDF_DATE.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, sign, tzh, tzm = m.groups()
    stamp = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if sign in ("+", "-"):
        return f"{stamp}{sign}{tzh or '00'}:{tzm or '00'}"
    return stamp + "Z" if sign else stamp


def _set_xmp(pdf: pikepdf.Pdf, version: str, title: str, created: str, digest: str) -> None:
    when = _parse_pdf_date(created) or "2000-01-01T00:00:00Z"
    ids = pdf.trailer.get("/ID")
    permanent = bytes(ids[0]).hex() if ids is not None and len(ids) else digest
    fields = {
        "title": escape(title),
        "date": when,
        "creator_tool": escape(_info_text(pdf, "/Creator") or "annuaire"),
        "producer": escape(_info_text(pdf, "/Producer") or "annuaire"),
        "author": _info_text(pdf, "/Author"),
        "document_id": f"uuid:{uuid.uuid5(uuid.NAMESPACE_OID, permanent)}",
        "instance_id": f"uuid:{uuid.uuid5(uuid.NAMESPACE_OID, digest)}",
        "version": escape(version),
    }
    creator = (
        f"   <dc:creator><rdf:Seq><rdf:li>{escape(fields['author'])}</rdf:li></rdf:Seq></dc:creator>\n"
        if fields["author"]
        else ""
    )
    xmp = _XMP.format(creator=creator, **fields).encode("utf-8")
    stream = pdf.make_stream(xmp)
    stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    pdf.Root.Metadata = stream


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
{creator}   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{creator_tool}</xmp:CreatorTool>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{instance_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
