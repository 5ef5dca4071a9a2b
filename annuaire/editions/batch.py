"""Many editions at once: every territory of a division × every theme.

``run_batch`` reads, validates and merges the inputs once
(:func:`annuaire.pipeline.prepare`), works out which entries each edition
(territory × theme) prints, and builds the editions in parallel processes, or
as independent tasks on a Dask cluster (``scheduler='tcp://HOST:PORT'``).

* An edition without any entry is listed as « vide » and not built.
* An edition whose inputs have not changed since the last run is skipped:
  ``manifest.json`` in the output folder records, for each PDF, a hash of the
  edition's own entries, the theme and territory, the layout file, the build
  options and the code version (every file of the ``annuaire`` package).  A
  PDF that is missing or was modified since is rebuilt even when the hash
  matches.  The manifest is rewritten atomically, so an interrupted batch
  never leaves it half-written, and a PDF is only recorded once it is
  complete (each edition is written under a temporary name, then renamed).
* A failing edition is reported with a French message and does not stop the
  others.

Workers receive only the entries of their edition (or, where processes are
forked, inherit the prepared entries and receive their indices), so the cost
of a batch does not grow with the number of editions times the input size.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Sequence

from annuaire import pipeline

from annuaire.reference import taxonomy
from annuaire.editions import territory as territories
from annuaire.errors import AnnuaireError
from annuaire.model import Counts, Entry
from annuaire.report import n as _int_fr  # 12 345, as in every French summary

Status = Literal["built", "skipped", "failed", "vide"]
Progress = Callable[[int, int], None]
BuildFn = Callable[..., Any]

MANIFEST = "manifest.json"
LOCK_FILE = ".annuaire-batch.lock"  # hidden: never read as an input
DASK_CONNECT_TIMEOUT = "5s"  # a scheduler that does not answer by then is reported
_SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls)://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$")
MANIFEST_FORMAT = 1
_PARTIAL_DIR = ".en-cours"  # where PDFs are written before they are complete

log = logging.getLogger(__name__)

STATUS_FR = {"built": "construite", "skipped": "inchangée", "failed": "échec", "vide": "vide"}


@dataclass(frozen=True)
class EditionResult:
    """One line of the summary."""

    territory: territories.Territory
    theme: str
    out: Path
    status: Status
    entries: int
    pages: int | None = None
    seconds: float = 0.0
    message: str | None = None  # French, for 'failed' (and 'vide' when built as empty)
    detail: str | None = field(default=None, repr=False)  # traceback, for developers only
    result: Any = field(default=None, repr=False, compare=False)  # pipeline.BuildResult

    @property
    def name(self) -> str:
        return self.territory.name


@dataclass(frozen=True)
class BatchResult:
    editions: tuple[EditionResult, ...]
    by: str
    themes: tuple[str, ...]
    out_dir: Path
    manifest: Path
    rows_read: int
    entries: int
    seconds: float
    workers: int
    scheduler: str | None = None
    rejected: int = 0
    duplicates: int = 0

    def of(self, status: Status) -> tuple[EditionResult, ...]:
        return tuple(e for e in self.editions if e.status == status)

    @property
    def built(self) -> tuple[EditionResult, ...]:
        return self.of("built")

    @property
    def skipped(self) -> tuple[EditionResult, ...]:
        return self.of("skipped")

    @property
    def failed(self) -> tuple[EditionResult, ...]:
        return self.of("failed")

    @property
    def empty(self) -> tuple[EditionResult, ...]:
        return self.of("vide")

    def as_dict(self) -> dict:
        return {
            "by": self.by,
            "themes": list(self.themes),
            "out_dir": str(self.out_dir),
            "seconds": round(self.seconds, 3),
            "workers": self.workers,
            "scheduler": self.scheduler,
            "rows_read": self.rows_read,
            "entries": self.entries,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "editions": [
                {
                    "territory": e.territory.name,
                    "kind": e.territory.kind,
                    "code": e.territory.code,
                    "theme": e.theme,
                    "file": e.out.name,
                    "status": e.status,
                    "entries": e.entries,
                    "pages": e.pages,
                    "seconds": round(e.seconds, 3),
                    "message": e.message,
                }
                for e in self.editions
            ],
        }

    def table_fr(self, max_empty_rows: int = 20) -> str:
        """The French summary table.  Empty editions are listed one per line
        when there are few, else summed up on one line (a batch by commune
        has hundreds)."""
        empty = self.empty
        shown = [e for e in self.editions if e.status != "vide" or len(empty) <= max_empty_rows]
        head = ("Édition", "Thème", "Entrées", "Pages", "Secondes", "État")
        rows = [
            (
                e.territory.name,
                e.theme,
                _int_fr(e.entries),
                "" if e.pages is None else _int_fr(e.pages),
                "" if e.status in ("skipped", "vide") else _dec_fr(e.seconds),
                STATUS_FR[e.status],
            )
            for e in shown
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
        right = {2, 3, 4}

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
            ).rstrip()

        out = [line(head), line(["─" * w for w in widths])]
        out += [line(r) for r in rows]
        if len(empty) > max_empty_rows:
            out.append(f"… et {_int_fr(len(empty))} éditions vides (aucune entrée), non construites.")
        total = len(self.editions)
        parts = [
            f"{_int_fr(len(self.built))} construite{'s' if len(self.built) > 1 else ''}",
            f"{_int_fr(len(self.skipped))} inchangée{'s' if len(self.skipped) > 1 else ''}",
            f"{_int_fr(len(empty))} vide{'s' if len(empty) > 1 else ''}",
            f"{_int_fr(len(self.failed))} en échec",
        ]
        where = (
            f" (sur {self.scheduler})" if self.scheduler else (f" ({self.workers} processus)" if self.workers else "")
        )
        out.append("")
        out.append(
            f"{_int_fr(total)} édition{'s' if total > 1 else ''} : {', '.join(parts)} "
            f"— {_dec_fr(self.seconds)} s{where}. Dossier : {self.out_dir}"
        )
        # What every edition was cut from: rows rejected here are in none of them,
        # and nothing else in the table would tell.
        data = (
            f"Données : {_int_fr(self.rows_read)} ligne{'s' if self.rows_read > 1 else ''} "
            f"lue{'s' if self.rows_read > 1 else ''}, {_int_fr(self.entries)} "
            f"entrée{'s' if self.entries > 1 else ''}, {_int_fr(self.duplicates)} "
            f"doublon{'s' if self.duplicates > 1 else ''} fusionné{'s' if self.duplicates > 1 else ''}, "
            f"{_int_fr(self.rejected)} ligne{'s' if self.rejected > 1 else ''} "
            f"rejetée{'s' if self.rejected > 1 else ''}"
        )
        if self.rejected:
            data += " (dans aucune édition ; détail : annuaire validate)"
        out.append(data + ".")
        for e in self.failed:
            out.append(f"Échec — {e.territory.name}, {e.theme} : {e.message}")
        for e in empty:
            if e.message:
                out.append(f"Vide — {e.territory.name}, {e.theme} : {e.message}")
        return "\n".join(out)


def _dec_fr(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


# --------------------------------------------------------------------------
# Code version and edition keys


def _package_dir() -> Path:
    return Path(__file__).resolve().parents[1]


def code_version(fresh: bool = False) -> str:
    """Hash of every file of the annuaire package (sources and bundled data):
    any change to the code may change the PDFs, so it rebuilds everything.
    Cached; ``fresh`` hashes the files again."""
    if fresh:
        _hash_package.cache_clear()
    return _hash_package()


@lru_cache(maxsize=1)
def _hash_package() -> str:
    root = _package_dir()
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _file_hash(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return f"absent:{path}"


def _options_fingerprint(options: pipeline.BuildOptions) -> str:
    """The build options that can change the PDF, as text."""
    return json.dumps(
        {
            "bleed_mm": options.bleed_mm,
            "crop_marks": options.crop_marks,
            "binding": options.binding,
            "paper": options.paper,
            "icc": _file_hash(options.icc) if options.icc else None,
            "edition_date": options.edition_date.isoformat() if options.edition_date else None,
            "run_preflight": options.run_preflight,
            # The edition date falls back on it (reproducible-builds convention).
            "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
        },
        sort_keys=True,
    )


def edition_key(
    entries: Iterable[Entry],
    theme: str,
    where: territories.Territory,
    filename: str,
    code: str,
    layout_hash: str,
    options_text: str,
) -> str:
    """Content hash of everything an edition's PDF is made from."""
    h = hashlib.sha256()
    for part in (
        "annuaire-edition",
        code,
        layout_hash,
        options_text,
        theme,
        where.kind,
        where.code,
        where.name,
        filename,
    ):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    for e in entries:
        # repr of the frozen dataclasses is deterministic and covers every field.
        h.update(repr(e).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


# --------------------------------------------------------------------------
# Manifest


def read_manifest(out_dir: Path) -> dict:
    """The editions recorded by the last run; whatever cannot be trusted (not
    JSON, another shape, a record that is not an object) is dropped with a
    warning in the log, and those editions are rebuilt."""
    path = Path(out_dir) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return {}  # first run in this folder
    except ValueError:
        log.warning("%s illisible (pas du JSON) : il est reconstruit, toutes les éditions sont refaites.", path)
        return {}
    editions = data.get("editions") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(editions, dict):
        log.warning("%s n'a pas la forme attendue : il est reconstruit, toutes les éditions sont refaites.", path)
        return {}
    kept = {k: v for k, v in editions.items() if isinstance(k, str) and isinstance(v, dict)}
    if len(kept) != len(editions):
        log.warning(
            "%s : %d entrée(s) illisible(s) ignorée(s), ces éditions sont refaites.", path, len(editions) - len(kept)
        )
    return kept


def write_manifest(out_dir: Path, editions: dict) -> Path:
    """Write the manifest atomically (temporary file in the same folder, then rename)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MANIFEST
    payload = {"format": MANIFEST_FORMAT, "editions": dict(sorted(editions.items()))}
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".json", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False, indent=1, sort_keys=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def _pdf_record(path: Path) -> dict:
    data = path.read_bytes()
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": hashlib.sha256(data).hexdigest()}


def _up_to_date(record: dict | None, key: str, path: Path) -> bool:
    """The manifest says this key was built and the PDF is still the one we wrote."""
    if not record or record.get("key") != key:
        return False
    try:
        st = path.stat()
    except OSError:
        return False  # a missing PDF is rebuilt
    if st.st_size != record.get("size"):
        return False
    if st.st_mtime_ns == record.get("mtime_ns"):
        return True
    return hashlib.sha256(path.read_bytes()).hexdigest() == record.get("sha256")


# --------------------------------------------------------------------------
# Work units


@dataclass(frozen=True)
class _Task:
    index: int
    options: pipeline.BuildOptions  # out = final path (local) or file name only (Dask)
    indices: tuple[int, ...] = ()  # into the prepared entries inherited by fork
    prepared: pipeline.Prepared | None = None  # the edition's own entries otherwise
    build: BuildFn | None = None
    layout_data: bytes | None = None  # Dask: a layout given as a file travels with the task
    expect_code: str | None = None  # Dask: the workers must run the same code


@dataclass(frozen=True)
class _Outcome:
    index: int
    status: Status
    pages: int | None = None
    seconds: float = 0.0
    message: str | None = None
    detail: str | None = None
    result: Any = None


# Set in the parent before forking workers: they inherit it without copying.
_STATE: dict[str, Any] = {}


def _subset(prepared: pipeline.Prepared, entries: tuple[Entry, ...]) -> pipeline.Prepared:
    """A Prepared with only one edition's entries: issues and merges stay with
    the batch (the report is the batch's), the accounting totals are kept."""
    return replace(prepared, entries=entries, issues=(), merges=())


def _slim(result: Any) -> Any:
    """The BuildResult without what every edition shares (issues, merges)."""
    try:
        return replace(result, issues=(), merges=())
    except TypeError:
        return result


def _execute(task: _Task, out: Path) -> _Outcome:
    """Build one edition; never raises for the edition's own problems."""
    started = time.perf_counter()
    prepared = task.prepared
    if prepared is None:
        full: pipeline.Prepared = _STATE["prepared"]
        prepared = _subset(full, tuple(full.entries[i] for i in task.indices))
    build = task.build or _STATE.get("build") or pipeline.build_edition
    options = replace(task.options, out=out)
    try:
        result = build(prepared, options)
    except pipeline.EmptyEdition as exc:
        return _Outcome(task.index, "vide", message=str(exc), seconds=time.perf_counter() - started)
    except AnnuaireError as exc:
        return _Outcome(
            task.index, "failed", message=str(exc), seconds=time.perf_counter() - started, detail=traceback.format_exc()
        )
    except Exception as exc:  # an edition's failure must not stop the others
        return _Outcome(
            task.index,
            "failed",
            seconds=time.perf_counter() - started,
            detail=traceback.format_exc(),
            message=f"erreur inattendue ({exc.__class__.__name__}) : {exc}. "
            f"Signalez-la avec le fichier d'entrée concerné.",
        )
    pages = getattr(result, "pages", None)
    return _Outcome(task.index, "built", pages=pages, seconds=time.perf_counter() - started, result=_slim(result))


def _run_local(task: _Task) -> _Outcome:
    """Worker entry point (process pool): write the PDF under a temporary name."""
    final = Path(task.options.out)
    partial = final.parent / _PARTIAL_DIR / final.name
    partial.parent.mkdir(parents=True, exist_ok=True)
    outcome = _execute(task, partial)
    if outcome.status == "built":
        try:
            os.replace(partial, final)
        except OSError as exc:
            return replace(
                outcome, status="failed", result=None, message=f"le PDF n'a pas pu être écrit dans {final} : {exc}."
            )
    else:
        try:
            partial.unlink()
        except OSError:
            pass
    return outcome


def _run_remote(task: _Task) -> tuple[bytes | None, _Outcome]:
    """Dask task: build in a temporary folder of the worker, return the PDF bytes."""
    # A long-lived worker may have hashed older files: hash again before refusing.
    if task.expect_code and task.expect_code not in (code_version(), code_version(fresh=True)):
        return None, _Outcome(
            task.index,
            "failed",
            message="ce nœud Dask n'exécute pas la même version d'annuaire que ce poste : "
            "installez la même version sur tous les nœuds.",
        )
    with tempfile.TemporaryDirectory(prefix="annuaire-") as tmp:
        options = task.options
        if task.layout_data is not None:
            layout = Path(tmp) / Path(str(options.layout)).name
            layout.write_bytes(task.layout_data)
            options = replace(options, layout=str(layout))
        out = Path(tmp) / Path(task.options.out).name
        outcome = _execute(replace(task, options=options), out)
        if outcome.status != "built":
            return None, outcome
        data = out.read_bytes()
    result = outcome.result
    try:
        result = replace(result, out=Path(task.options.out).name)
    except TypeError:
        pass
    return data, replace(outcome, result=result)


# --------------------------------------------------------------------------
# The batch


@dataclass
class _Edition:
    where: territories.Territory
    theme: str
    out: Path
    indices: tuple[int, ...]
    key: str = ""


def _plan(
    prepared: pipeline.Prepared,
    by: str,
    themes: Sequence[str],
    out_dir: Path,
) -> list[_Edition]:
    """Every (territory, theme) with the indices of the entries it prints, in
    input order — the same selection as pipeline.select, done with an index."""
    wanted = {theme: set(pipeline.theme_slugs(theme)) for theme in themes}
    where_of: dict[str | None, list[int]] = {}
    theme_of: list[str] = []
    for i, e in enumerate(prepared.entries):
        theme_of.append(taxonomy.typology(e.typology).theme)
        where_of.setdefault(territories.place(e), []).append(i)
    plan: list[_Edition] = []
    for where in territories.editions(by):
        inside = [i for code in where.insee for i in where_of.get(code, ())]
        if where.kind == "region":
            inside += where_of.get(None, [])
        inside.sort()
        for theme in themes:
            chosen = tuple(i for i in inside if theme_of[i] in wanted[theme])
            name = pipeline.default_output(theme, where).name
            plan.append(_Edition(where, theme, Path(out_dir) / name, chosen))
    return plan


def _default_jobs() -> int:
    return os.cpu_count() or 1


def run_batch(
    paths: Iterable[str | Path] | pipeline.Prepared,
    by: str,
    themes: Sequence[str] | str = ("sante",),
    jobs: int | None = None,
    out_dir: Path = Path("output"),
    layout: str | Path = "a5",
    scheduler: str | None = None,
    progress: Progress | None = None,
    build: BuildFn = pipeline.build_edition,
    options: pipeline.BuildOptions | None = None,
    force: bool = False,
) -> BatchResult:
    """Build every edition of a division ('epci', 'departement', 'commune' or
    'region') for every theme (slugs, or 'tout' for the all-themes edition).

    ``paths`` may also be an already prepared input.  ``options`` carries the
    print knobs shared by every edition (bleed, binding, ICC…).  ``force``
    rebuilds even the editions the manifest says are up to date.  Fatal
    problems (unknown theme, layout or division, unreachable scheduler) raise
    AnnuaireError before anything is built."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    if scheduler is not None:
        check_scheduler_address(scheduler)
    if isinstance(themes, str):
        themes = [t.strip() for t in themes.split(",") if t.strip()]
    themes = tuple(dict.fromkeys(themes)) or ("sante",)
    for theme in themes:
        pipeline.theme_slugs(theme)  # UnknownTheme now, not once per edition
    territories.editions(by)  # an unknown division is fatal too
    from annuaire.pdf import layout as layouts

    layouts.load_layout(layout)  # UnknownLayout now
    lay_path = layouts.find(layout)
    lay_hash = _file_hash(lay_path)

    prepared = paths if isinstance(paths, pipeline.Prepared) else pipeline.prepare(paths)
    base = replace(options or pipeline.BuildOptions(), layout=str(layout), report=None)
    code = code_version(fresh=True)  # once per run: the files may have changed since
    # The fingerprint holds the date the user chose, not the day of the run:
    # an edition whose data did not change is not rebuilt only to be redated.
    opts_text = _options_fingerprint(base)
    # One date for every edition of the run (the day it started, or --date, or
    # SOURCE_DATE_EPOCH), even across midnight or on other Dask workers.
    base = replace(base, edition_date=pipeline.edition_date(base.edition_date))

    plan = _plan(prepared, by, themes, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _lock(out_dir):  # closing the file releases the lock
        manifest = read_manifest(out_dir)
        total = len(plan)
        done = 0
        results: dict[int, EditionResult] = {}
        todo: list[int] = []

        def tick() -> None:
            if progress:
                progress(done, total)

        tick()
        for n, ed in enumerate(plan):
            if not ed.indices:
                message = None
                if ed.out.name in manifest:
                    # We built it when it had entries: it is stale now.
                    try:
                        ed.out.unlink()
                        message = f"plus aucune entrée : l'ancienne édition {ed.out.name} a été supprimée."
                    except OSError:
                        pass
                    manifest.pop(ed.out.name, None)
                results[n] = EditionResult(ed.where, ed.theme, ed.out, "vide", 0, message=message)
                done += 1
                continue
            ed.key = edition_key(
                (prepared.entries[i] for i in ed.indices), ed.theme, ed.where, ed.out.name, code, lay_hash, opts_text
            )
            record = manifest.get(ed.out.name)
            if not force and _up_to_date(record, ed.key, ed.out):
                results[n] = EditionResult(
                    ed.where, ed.theme, ed.out, "skipped", len(ed.indices), pages=record.get("pages")
                )
                done += 1
                continue
            todo.append(n)
        tick()

        def options_for(ed: _Edition) -> pipeline.BuildOptions:
            return replace(base, theme=ed.theme, territory=ed.where.query, out=ed.out)

        last_write = time.monotonic()

        def record(n: int, outcome: _Outcome) -> None:
            nonlocal done, last_write
            ed = plan[n]
            results[n] = EditionResult(
                ed.where,
                ed.theme,
                ed.out,
                outcome.status,
                len(ed.indices),
                pages=outcome.pages,
                seconds=outcome.seconds,
                message=outcome.message,
                detail=outcome.detail,
                result=_fix_counts(outcome.result, prepared, len(ed.indices)),
            )
            if outcome.status == "failed":
                # The table says what failed; the log keeps why, for whoever fixes it.
                log.warning("édition en échec : %s, %s : %s", ed.where.name, ed.theme, outcome.message)
                if outcome.detail:
                    log.debug("trace de l’échec de %s :\n%s", ed.out.name, outcome.detail)
            else:
                log.debug("édition %s : %s", ed.out.name, outcome.status)
            if outcome.status == "built" and ed.out.is_file():
                manifest[ed.out.name] = {
                    "key": ed.key,
                    "theme": ed.theme,
                    "kind": ed.where.kind,
                    "territory": ed.where.code,
                    "entries": len(ed.indices),
                    "pages": outcome.pages,
                    **_pdf_record(ed.out),
                }
            else:
                manifest.pop(ed.out.name, None)
            done += 1
            tick()
            if time.monotonic() - last_write > 5:
                # A long batch that is interrupted keeps what it has built.
                write_manifest(out_dir, manifest)
                last_write = time.monotonic()

        workers = 0
        try:
            if scheduler:
                _run_on_dask(
                    scheduler, plan, todo, prepared, build, options_for, layout, lay_path, code, record, out_dir
                )
            elif todo:
                workers = max(1, min(jobs or _default_jobs(), len(todo)))
                for n, outcome in _run_in_processes(plan, todo, prepared, build, options_for, workers):
                    record(n, outcome)
        finally:
            path = write_manifest(out_dir, manifest)
            _clean_partial(out_dir)

        return BatchResult(
            editions=tuple(results[n] for n in range(total) if n in results),
            by=by,
            themes=themes,
            out_dir=out_dir,
            manifest=path,
            rows_read=prepared.rows_read,
            entries=len(prepared.entries),
            seconds=time.perf_counter() - started,
            workers=workers,
            scheduler=scheduler,
            rejected=prepared.rejected,
            duplicates=prepared.duplicates,
        )


def _lock(out_dir: Path):
    """An exclusive lock on the output folder for the whole batch: a second
    batch into the same folder is refused instead of racing on the PDFs and
    the manifest."""
    import fcntl

    fh = open(out_dir / LOCK_FILE, "a+")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise AnnuaireError(
            f"Un autre « annuaire batch » écrit déjà dans {out_dir} : attendez qu'il se termine, "
            "ou choisissez un autre dossier (--out-dir)."
        ) from None
    return fh


def _fix_counts(result: Any, prepared: pipeline.Prepared, printed: int) -> Any:
    """Workers saw only their edition's entries: restore the batch's accounting."""
    counts = getattr(result, "counts", None)
    if not isinstance(counts, Counts):
        return result
    try:
        return replace(result, counts=prepared.counts(printed), issues=prepared.issues, merges=prepared.merges)
    except TypeError:
        return result


def _clean_partial(out_dir: Path) -> None:
    partial = out_dir / _PARTIAL_DIR
    if partial.is_dir():
        for p in partial.iterdir():
            try:
                p.unlink()
            except OSError:
                pass
        try:
            partial.rmdir()
        except OSError:
            pass


def _fork_available() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _run_in_processes(plan, todo, prepared, build, options_for, workers):
    """Yield (plan index, outcome) as editions finish."""
    use_fork = _fork_available()

    def task_for(n: int) -> _Task:
        ed = plan[n]
        if use_fork or workers == 1:
            return _Task(n, options_for(ed), indices=ed.indices)
        entries = tuple(prepared.entries[i] for i in ed.indices)
        return _Task(n, options_for(ed), prepared=_subset(prepared, entries), build=build)

    _STATE["prepared"] = prepared
    _STATE["build"] = build
    try:
        if workers == 1:
            for n in todo:
                yield n, _run_local(task_for(n))
            return
        ctx = multiprocessing.get_context("fork" if use_fork else "spawn")
        pending = list(todo)
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures: dict[Future, int] = {}
            # Submit progressively: a crash of the pool loses only what was queued.
            while pending or futures:
                while pending and len(futures) < workers * 2:
                    n = pending.pop(0)
                    futures[pool.submit(_run_local, task_for(n))] = n
                finished, _ = wait(futures, return_when=FIRST_COMPLETED)
                for fut in finished:
                    n = futures.pop(fut)
                    try:
                        yield n, fut.result()
                    except BrokenProcessPool:
                        yield (
                            n,
                            _Outcome(
                                n,
                                "failed",
                                message=(
                                    "le processus qui construisait cette édition s'est arrêté brutalement "
                                    "(mémoire insuffisante ?) ; relancez la commande."
                                ),
                            ),
                        )
                        for other, m in list(futures.items()):
                            futures.pop(other)
                            yield (
                                m,
                                _Outcome(
                                    m,
                                    "failed",
                                    message=(
                                        "interrompue par l'arrêt brutal d'un autre processus ; relancez la commande."
                                    ),
                                ),
                            )
                        for m in pending:
                            yield (
                                m,
                                _Outcome(
                                    m,
                                    "failed",
                                    message=(
                                        "non construite : un processus s'est arrêté brutalement ; relancez la commande."
                                    ),
                                ),
                            )
                        pending = []
                        return
                    except Exception as exc:  # e.g. a result that cannot be sent back
                        yield (
                            n,
                            _Outcome(n, "failed", message=(f"erreur inattendue ({exc.__class__.__name__}) : {exc}.")),
                        )
    finally:
        _STATE.clear()


# --------------------------------------------------------------------------
# Dask


def _import_distributed():
    try:
        import distributed  # noqa: F401  (optional extra)
    except ImportError as exc:
        raise AnnuaireError(
            "L'option --scheduler demande Dask distributed, qui n'est pas installé : pip install 'annuaire[dask]'."
        ) from exc
    return distributed


def check_scheduler_address(address: str) -> None:
    """A Dask scheduler address is tcp://HOST:PORT (or tls://): refuse anything
    else before reading the inputs, instead of a traceback 30 s later."""
    m = _SCHEDULER_ADDRESS.match(address.strip())
    if m is None or not 0 < int(m.group(3)) < 65536:
        raise AnnuaireError(
            f"Adresse d'ordonnanceur Dask invalide : « {address} ». Écrivez-la tcp://HÔTE:PORT, "
            "par exemple tcp://192.168.1.20:8786 (le port par défaut de Dask est 8786)."
        )


def _connect(distributed, address: str):
    """The Dask client, or AnnuaireError within a bounded time: a service that
    is not a Dask scheduler may answer junk (distributed then raises
    MemoryError reading a frame length) or nothing at all."""
    found: dict = {}

    def attempt() -> None:
        try:
            found["client"] = distributed.Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
        except BaseException as exc:  # MemoryError, OSError, TimeoutError, protocol errors…
            found["error"] = exc

    worker = threading.Thread(target=attempt, name="annuaire-dask-connect", daemon=True)
    worker.start()
    seconds = float(str(DASK_CONNECT_TIMEOUT).rstrip("s")) * 2 + 5
    worker.join(seconds)
    if "client" in found:
        return found["client"]
    exc = found.get("error")
    what = exc.__class__.__name__ if exc is not None else f"pas de réponse en {seconds:.0f} s"
    log.debug("connexion à %s impossible", address, exc_info=exc)
    raise AnnuaireError(
        f"Impossible de joindre l'ordonnanceur Dask « {address} » ({what}) : vérifiez l'adresse "
        "(tcp://HÔTE:PORT), que le cluster est démarré et que ce port est bien celui de l'ordonnanceur."
    )


def _run_on_dask(address, plan, todo, prepared, build, options_for, layout, lay_path, code, record, out_dir) -> None:
    """Each edition is an independent task; PDFs come back as bytes and are
    written into the local output folder."""
    distributed = _import_distributed()
    client = _connect(distributed, address)
    # A layout named in layouts/ exists on every node; a layout file does not.
    is_named = not (isinstance(layout, Path) or str(layout).endswith(".toml") or "/" in str(layout))
    layout_data = None if is_named else Path(lay_path).read_bytes()
    partial = out_dir / _PARTIAL_DIR
    with client:
        futures = {}
        for n in todo:
            ed = plan[n]
            entries = tuple(prepared.entries[i] for i in ed.indices)
            opts = replace(options_for(ed), out=Path(ed.out.name))
            task = _Task(
                n, opts, prepared=_subset(prepared, entries), build=build, layout_data=layout_data, expect_code=code
            )
            fut = client.submit(_run_remote, task, pure=False, key=f"annuaire-{ed.out.stem}-{ed.key[:12]}")
            futures[fut] = n
        for fut in distributed.as_completed(list(futures), loop=client.loop):
            n = futures[fut]
            try:
                data, outcome = fut.result()
            except Exception as exc:  # worker lost, task could not be unpickled…
                record(
                    n, _Outcome(n, "failed", message=(f"la tâche Dask a échoué ({exc.__class__.__name__}) : {exc}."))
                )
                continue
            if outcome.status == "built" and data is not None:
                final = plan[n].out
                partial.mkdir(parents=True, exist_ok=True)
                tmp = partial / final.name
                try:
                    tmp.write_bytes(data)
                    os.replace(tmp, final)
                except OSError as exc:
                    outcome = replace(
                        outcome,
                        status="failed",
                        result=None,
                        message=f"le PDF n'a pas pu être écrit dans {final} : {exc}.",
                    )
                else:
                    try:
                        outcome = replace(outcome, result=replace(outcome.result, out=final))
                    except TypeError:
                        pass
            record(n, outcome)
