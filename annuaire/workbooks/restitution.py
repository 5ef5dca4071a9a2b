"""The merged directory given back: `annuaire export` (restitution to contributors, layers for GIS).

Two views of one prepared run:

* ``directory_rows(entries)``: the entries exactly as they would be printed (after
  cleaning, merging and supersession), one row each, with the typology code and
  label, every source and identifier that made the entry, the date of each source
  and, field by field, which source and date gave the printed value, and lat/lon
  where known.  Written as xlsx, csv (French Excel: cp1252, ``;``) or GeoJSON
  (RFC 7946: WGS 84 longitude/latitude points; entries without coordinates are
  kept as features with a null geometry, so the counts match).
* ``source_rows(prepared, printed_keys)`` (``--par-source``): each contributor's own
  rows, one line per row read, with what the pipeline did to it: printed (and what
  was cleaned), merged into another entry, withdrawn, rejected, or out of the
  edition, and the messages at that row, so that they can correct their files.

Every value is written as text or a number, never as a formula: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written as a string
in the workbook and prefixed with ``'`` in the CSV (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from annuaire import output
from annuaire.model import Entry, Issue, Merge, Origin
from annuaire.reference import taxonomy

DIRECTORY_HEADERS: tuple[str, ...] = (
    "Clé",
    "Nom",
    "Code typologie",
    "Typologie",
    "Thème",
    "Adresse",
    "Complément d'adresse",
    "Code postal",
    "Cedex",
    "Commune",
    "Code INSEE",
    "Téléphone",
    "Courriel",
    "Site web",
    "Horaires",
    "Description",
    "Latitude",
    "Longitude",
    "Mise à jour",
    "Sources",
    "Identifiants",
    "Lignes d'origine",
    "Origine des champs",
)
SOURCE_HEADERS: tuple[str, ...] = (
    "Fichier",
    "Feuille",
    "Ligne",
    "Devenir",
    "Entrée imprimée",
    "Messages",
)
_RISKY = ("=", "+", "-", "@", "\t", "\r")

STATUS_PRINTED = "imprimée"
STATUS_MERGED = "fusionnée"
STATUS_WITHDRAWN = "retirée"
STATUS_REJECTED = "rejetée"
STATUS_OUT = "hors édition"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _plain(text: str | None) -> str | None:
    # Spreadsheets and GIS tools want plain spaces; the PDF keeps its NBSP.
    return text.replace("\u00a0", " ").replace("\u202f", " ") if text else text


FIELD_LABELS = {
    "address": "adresse",
    "address2": "complément d'adresse",
    "postcode": "code postal",
    "phone": "téléphone",
    "email": "courriel",
    "website": "site web",
    "hours": "horaires",
    "description": "description",
    "latitude": "latitude",
    "longitude": "longitude",
}


def field_origins(entry: Entry) -> str | None:
    """« téléphone : FINESS (DREES), 2024-05-01 ; … » — which source gave each printed field."""
    parts = [
        f"{FIELD_LABELS.get(name, name)} : {provider}" + (f", {when.isoformat()}" if when else "")
        for name, provider, when in getattr(entry, "field_sources", ())
    ]
    return " ; ".join(parts) or None


def directory_row(entry: Entry) -> dict:
    t = taxonomy.typology(entry.typology)
    return {
        "Clé": entry.key,
        "Nom": _plain(entry.name),
        "Code typologie": t.code,
        "Typologie": t.print_label,
        "Thème": taxonomy.theme(t.theme).label,
        "Adresse": _plain(entry.address),
        "Complément d'adresse": _plain(entry.address2),
        "Code postal": entry.postcode,
        "Cedex": "oui" if entry.cedex else None,
        "Commune": entry.commune,
        "Code INSEE": entry.insee,
        "Téléphone": _plain(entry.phone),
        "Courriel": entry.email,
        "Site web": entry.website,
        "Horaires": _plain("\n".join(entry.hours)) or None,
        "Services": _plain(" · ".join(entry.services)) or None,
        "Description": _plain(entry.description),
        "Latitude": entry.latitude,
        "Longitude": entry.longitude,
        "Mise à jour": _iso(entry.updated),
        "Sources": " ; ".join(
            p.name + (f" ({p.date.isoformat()})" if p.date else "") + (f", {p.licence}" if p.licence else "")
            for p in entry.providers
        )
        or None,
        "Identifiants": " ; ".join(f"{kind} {value}" for kind, value in entry.ids) or None,
        "Lignes d'origine": " ; ".join(o.describe() for o in entry.origins) or None,
        "Origine des champs": field_origins(entry),
    }


def directory_rows(entries: Iterable[Entry]) -> list[dict]:
    return [directory_row(e) for e in entries]


@dataclass(frozen=True)
class SourceRow:
    origin: Origin
    status: str
    entry: str | None  # name of the printed entry it became or was merged into
    messages: tuple[str, ...]


def source_rows(
    origins: Sequence[Origin],
    entries: Sequence[Entry],
    printed: set[str],
    issues: Sequence[Issue],
    merges: Sequence[Merge],
    withdrawn: Iterable[Origin] = (),
) -> list[SourceRow]:
    """What became of every row read (``origins``, in reading order)."""
    by_origin: dict[tuple, list[str]] = defaultdict(list)
    rejected: set[tuple] = set()
    for i in issues:
        if i.row is None:
            continue
        k = (i.file, i.sheet, i.row)
        by_origin[k].append(f"{'Erreur' if i.severity == 'error' else 'Attention'} ({i.column or '—'}) : {i.message}")
        if i.severity == "error":
            rejected.add(k)
    entry_of: dict[tuple, Entry] = {}
    for e in entries:
        for o in e.origins:
            entry_of[(o.file, o.sheet, o.row)] = e
    folded: set[tuple] = set()
    for m in merges:
        for o in m.merged[1:]:
            folded.add((o.file, o.sheet, o.row))
    gone = {(o.file, o.sheet, o.row) for o in withdrawn}
    out = []
    for o in origins:
        k = (o.file, o.sheet, o.row)
        e = entry_of.get(k)
        if k in rejected and e is None:
            status = STATUS_REJECTED
        elif k in gone:
            status = STATUS_WITHDRAWN
        elif e is None:
            status = STATUS_REJECTED if k in rejected else STATUS_WITHDRAWN
        elif e.key not in printed:
            status = STATUS_OUT
        elif k in folded:
            status = STATUS_MERGED
        else:
            status = STATUS_PRINTED
        out.append(SourceRow(o, status, _plain(e.name) if e else None, tuple(by_origin.get(k, ()))))
    return out


def source_dicts(rows: Iterable[SourceRow]) -> list[dict]:
    return [
        {
            "Fichier": r.origin.file,
            "Feuille": r.origin.sheet,
            "Ligne": r.origin.row,
            "Devenir": r.status,
            "Entrée imprimée": r.entry,
            "Messages": "\n".join(r.messages) or None,
        }
        for r in rows
    ]


# --------------------------------------------------------------------------- writers


def guard_csv(value) -> str:
    """A CSV cell that no spreadsheet will evaluate (OWASP: prefix a leading = + - @ tab CR)."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_RISKY) else text


def write_xlsx(rows: list[dict], headers: Sequence[str], path: Path, sheet: str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for col, h in enumerate(headers, start=1):
        ws.cell(row=1, column=col, value=h).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = 14 if len(h) < 12 else 30
    ws.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for col, h in enumerate(headers, start=1):
            v = row.get(h)
            if v is None:
                continue
            c = ws.cell(row=r, column=col)
            c.value = v
            if isinstance(v, str):
                c.data_type = "s"  # text, never a formula, whatever it starts with
                c.number_format = "@"
                if "\n" in v:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    with output.replacing(path) as tmp:
        wb.save(tmp)
    return path


def write_csv(rows: list[dict], headers: Sequence[str], path: Path) -> Path:
    from annuaire.workbooks.export import to_charset

    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(headers)
    for row in rows:
        cells = []
        for h in headers:
            v = row.get(h)
            if isinstance(v, float):
                v = f"{v:.6f}".replace(".", ",")  # French Excel's decimal comma
            cells.append(to_charset(guard_csv(v)))
        w.writerow(cells)
    output.write_bytes(path, buf.getvalue().encode("cp1252", errors="replace"))
    return path


def geojson_document(rows: list[dict]) -> dict:
    features = []
    for row in rows:
        lat, lon = row.get("Latitude"), row.get("Longitude")
        geometry = (
            {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
            if isinstance(lat, float) and isinstance(lon, float)
            else None
        )
        props = {k: v for k, v in row.items() if k not in ("Latitude", "Longitude")}
        features.append({"type": "Feature", "id": row["Clé"], "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(rows: list[dict], path: Path) -> Path:
    text = json.dumps(geojson_document(rows), ensure_ascii=False, indent=1, sort_keys=False)
    output.write_text(path, text + "\n")
    return path


FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".geojson": "geojson", ".json": "geojson"}


def export_format(path: Path) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def write_directory(entries: Sequence[Entry], path: Path) -> Path:
    rows = directory_rows(entries)
    fmt = export_format(path)
    if fmt == "xlsx":
        return write_xlsx(rows, DIRECTORY_HEADERS, path, "Annuaire")
    if fmt == "csv":
        return write_csv(rows, DIRECTORY_HEADERS, path)
    return write_geojson(rows, path)


def write_sources(rows: Sequence[SourceRow], path: Path) -> Path:
    data = source_dicts(rows)
    fmt = export_format(path)
    if fmt == "xlsx":
        return write_xlsx(data, SOURCE_HEADERS, path, "Vos lignes")
    if fmt == "csv":
        return write_csv(data, SOURCE_HEADERS, path)
    output.write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return path
