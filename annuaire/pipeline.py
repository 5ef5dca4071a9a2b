"""The orchestrator: it only sets the order of the stages.

``prepare`` reads, validates and merges the inputs once; ``build_edition``
selects one theme and territory, groups, lays out, renders and checks.  A
batch prepares once and builds many editions from the same ``Prepared``.
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

from annuaire import load

from annuaire.check import clean, fusions, merge, supersede, supplements

from annuaire.reference import taxonomy

from annuaire.editions import territory

from annuaire.check import validate
from annuaire.errors import AnnuaireError
from annuaire.model import Counts, Entry, Issue, Merge, Origin

Progress = Callable[[str], None]

log = logging.getLogger(__name__)

ALL_THEMES = "tout"


class EmptyEdition(AnnuaireError):
    """No entry of the theme in the territory: nothing to print."""


@dataclass(frozen=True)
class Prepared:
    """Inputs read, validated and merged; shared by every edition of a run."""

    entries: tuple[Entry, ...]
    issues: tuple[Issue, ...]
    merges: tuple[Merge, ...]
    rows_read: int
    rejected: int
    duplicates: int
    withdrawn: int  # superseded or dissolved: see annuaire.check.supersede
    files: tuple[str, ...]
    timings: tuple[tuple[str, float], ...] = ()
    read: tuple[Origin, ...] = ()  # every row read, in reading order (annuaire export --par-source)
    mappings: tuple = ()  # load.SheetMapping per contributor sheet
    withdrawn_rows: tuple[Origin, ...] = ()  # the rows of the withdrawn entries

    def counts(self, printed: int) -> Counts:
        """The accounting of an edition that prints ``printed`` of the entries:
        the others are out of its theme or territory."""
        return Counts(
            rows_read=self.rows_read,
            printed=printed,
            rejected=self.rejected,
            duplicates=self.duplicates,
            out_of_scope=len(self.entries) - printed,
            withdrawn=self.withdrawn,
        )


@dataclass(frozen=True)
class BuildOptions:
    theme: str = "sante"  # a slug or "tout"
    layout: str = "a5"
    out: Path | None = None
    report: Path | None = None
    territory: str | None = None  # resolved by annuaire.editions.territory; None = the region
    bleed_mm: float | None = None
    crop_marks: bool = False
    binding: str | None = None  # 'piquee', 'collee', None = chosen from the page count
    paper: str | None = None
    icc: Path | None = None
    edition_date: date | None = None
    run_preflight: bool = True
    edition: Path | None = None  # the edition file: legal mentions, publisher (editions.edition)
    # Entries whose information is older than this many months at the edition
    # date are listed in the report for checking (--anciennete-max).
    max_age_months: int = 24
    # Processes the build may use (--jobs): None = what the machine gives
    # (two on two cores or more); 1 = one process, slower but the least
    # memory (no second process holding a copy of what it reads).
    jobs: int | None = None


@dataclass(frozen=True)
class BuildResult:
    out: Path
    counts: Counts
    pages: int
    entries: int
    issues: tuple[Issue, ...]
    merges: tuple[Merge, ...]
    page_log: tuple
    preflight: object | None
    seconds: float
    territory: str
    cover: Path | None = None
    pdfx: bool = False
    warnings: tuple[str, ...] = field(default=())
    timings: tuple[tuple[str, float], ...] = ()
    old_entries: tuple = ()  # freshness.OldEntry: printed entries older than max_age_months
    edition_date: date | None = None


def _note(progress: Progress | None, stage: str) -> None:
    log.debug("étape : %s", stage)
    if progress:
        progress(stage)


class Stopwatch:
    """Wall time of each named stage, in the order they ran.

    ``lap(name)`` closes the running stage and starts ``name``; the end-to-end
    benchmark reads these figures from the JSON report (``timings``) so that
    speed is measured as a user runs the CLI, stage by stage."""

    def __init__(self) -> None:
        self._stage: str | None = None
        self._since = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, stage: str | None) -> None:
        now = time.perf_counter()
        if self._stage is not None:
            self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + now - self._since
        self._stage, self._since = stage, now
        _progress.enter(stage)

    def stop(self) -> tuple[tuple[str, float], ...]:
        self.lap(None)
        return tuple(self.seconds.items())


def prepare(
    paths: Iterable[str | Path],
    today: date | None = None,
    progress: Progress | None = None,
    hints=None,
    jobs: int | None = None,
) -> Prepared:
    """Load, validate and merge every row of the given files and folders.

    ``hints``: the user's correspondences and options (``load.Correspondences``);
    ``jobs``: processes the validation may use (None: see _jobs)."""
    with _heartbeat():
        watch = Stopwatch()
        watch.lap("read")
        _note(progress, "lecture")
        loaded = load.read_paths(paths, hints) if hints is not None else load.read_paths(paths)
        return _finish(loaded.rows, loaded.issues, loaded.files, today, progress, watch, loaded.mappings, jobs)


def prepare_with(importer, files: Iterable[str | Path], today: date | None = None) -> Prepared:
    """Like prepare, with a named importer instead of detection (annuaire import)."""
    rows: list = []
    issues: list[Issue] = []
    names = []
    for f in files:
        names.append(Path(f).name)
        for item in importer.read(Path(f)):
            (issues if isinstance(item, Issue) else rows).append(item)
    return _finish(rows, issues, names, today, None)


# A long stage says how far it is: a log line (stderr, also when the output is
# not a terminal).  Validation logs every PROGRESS_SECONDS for inputs of
# PROGRESS_MIN_ROWS rows or more; every other stage (reading, merging, layout
# and rendering, preflight) gets a line from a watcher thread once it has been
# silent for HEARTBEAT_SECONDS: how far it is when it counts (pages drawn,
# pages checked), else how long it has been running.
PROGRESS_SECONDS = 10.0
PROGRESS_MIN_ROWS = 5000
HEARTBEAT_SECONDS = 10.0

# The stages of the Stopwatch, as the progress lines name them.
STAGES_FR = {
    "read": "lecture",
    "validate": "validation",
    "merge": "doublons",
    "supersede": "millésimes",
    "select": "sélection",
    "layout+render": "mise en page et rendu",
    "preflight": "contrôle avant impression",
}


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


class _StageProgress:
    """The running stage and how far it is: set by the stage (``enter``,
    ``count``, cheap enough for a loop), read by the watcher thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stage: str | None = None
        self.since = self.logged = self.first_at = 0.0
        self.done: int | None = None
        self.first = 0  # the first count of the stage, at first_at
        self.all_at = 0.0  # when the count reached the total (the stage then finishes: file written…)
        self.total = 0
        self.unit = ""

    def enter(self, stage: str | None) -> None:
        with self.lock:
            self.stage = STAGES_FR.get(stage, stage) if stage else None
            self.since = self.logged = time.monotonic()
            self.done = None

    def count(self, done: int, total: int, unit: str) -> None:
        if self.done is None:
            self.first, self.first_at = done, time.monotonic()
        if done >= total:
            self.all_at = time.monotonic()
        self.done, self.total, self.unit = done, total, unit

    def line(self, now: float) -> str:
        done = self.done
        if done is None or not self.total:
            return f"{self.stage} : en cours depuis {now - self.since:.0f} s"
        if done >= self.total:
            return f"{self.stage} : {_n(done)} {self.unit} sur {_n(self.total)}, finalisation depuis {now - self.all_at:.0f} s"
        # The pace since the first count (pages are drawn after the layout),
        # until there is one: the pace since the stage began.
        if done > self.first:
            rate = (done - self.first) / max(now - self.first_at, 1e-9)
        else:
            rate = done / max(now - self.since, 1e-9)
        left = f", environ {(self.total - done) / rate:.0f} s restantes" if rate else ""
        return f"{self.stage} : {_n(done)} / {_n(self.total)} {self.unit} ({100 * done // self.total} %){left}"

    def log_if_silent(self, seconds: float) -> None:
        with self.lock:
            now = time.monotonic()
            if self.stage is not None and now - self.logged >= seconds:
                self.logged = now
                log.info("%s", self.line(now))


_progress = _StageProgress()


@contextlib.contextmanager
def _heartbeat():
    """While the body runs, a thread logs the silent stage's progress every
    HEARTBEAT_SECONDS.  Not in a batch worker (the batch shows its editions)."""
    if multiprocessing.parent_process() is not None:
        yield
        return
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(min(1.0, HEARTBEAT_SECONDS)):
            _progress.log_if_silent(HEARTBEAT_SECONDS)

    thread = threading.Thread(target=watch, name="annuaire-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        _progress.enter(None)


def count_pages(done: int, total: int) -> None:
    """Progress callback of a stage over pages (render, preflight)."""
    _progress.count(done, total, "pages")


class RowProgress:
    """``progress(done)`` callback of a stage over ``total`` rows, logging periodically."""

    def __init__(self, stage: str, total: int) -> None:
        self.stage, self.total = stage, total
        self.started = self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        _progress.count(done, self.total, "lignes")
        if self.total < PROGRESS_MIN_ROWS:
            return
        now = time.monotonic()
        if now - max(self.last, _progress.logged) < PROGRESS_SECONDS:
            return  # said less than PROGRESS_SECONDS ago, by this stage or by the watcher
        self.last = _progress.logged = now
        rate = done / max(now - self.started, 1e-9)
        left = (self.total - done) / rate if rate else 0
        log.info(
            "%s : %s / %s lignes (%d %%), environ %d s restantes",
            self.stage,
            _n(done),
            _n(self.total),
            100 * done // max(self.total, 1),
            left,
        )


def _cores() -> int:
    """Processes a stage may use: the cores this process may run on (its CPU
    affinity, not the machine's count); 1 inside a worker of a batch, which
    already keeps every core busy."""
    import multiprocessing

    if multiprocessing.parent_process() is not None:
        return 1
    try:
        return min(2, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return min(2, os.cpu_count() or 1)


def _jobs(asked: int | None) -> int:
    """Processes a stage may use: what the user asked (at most the two the
    stages know how to use), else _cores()."""
    return _cores() if asked is None else max(1, min(asked, 2))


def _finish(
    rows, load_issues, files, today, progress, watch: Stopwatch | None = None, mappings=(), jobs: int | None = None
) -> Prepared:
    watch = watch or Stopwatch()
    # Rows an importer could not even turn into a RawRow (unmapped category…)
    # arrive as row-level errors: they were read, and they are rejected.
    load_rejected = sum(1 for i in load_issues if i.severity == "error" and i.row is not None)
    watch.lap("validate")
    _note(progress, "validation")
    from annuaire.pdf.fonts import missing_chars  # the print fonts decide what prints

    read = tuple(r.origin for r in rows)
    # Supplement rows (SAE urgences, maternités, SMUR/SAMU) are no entries of
    # their own: they are joined to the entry they annotate after merge.
    extra = [r for r in rows if r.annotates]
    if extra:
        rows = [r for r in rows if not r.annotates]
    checked = validate.validate_rows(
        rows, today=today, progress=RowProgress("validation", len(rows)), glyphs=missing_chars, jobs=_jobs(jobs)
    )
    # Services merged since Annex 1 (DDAF and DDE → DDT…) print under today's
    # typology: moved before the merge, so one service filed under both is one.
    folded = fusions.fold(checked.entries)
    watch.lap("merge")
    _note(progress, "doublons")
    merged = merge.merge(folded.entries)
    attached = supplements.attach(merged.entries, merged.merges, extra)
    watch.lap("supersede")
    _note(progress, "millésimes")
    current = supersede.supersede(attached.entries)
    # What validation and merge remembered per distinct value is of no use
    # to the editions: let it go before they lay out.
    validate.clear_caches()
    merge.name_key.cache_clear()
    return Prepared(
        entries=clean.mark_cedex(current.entries),
        issues=tuple(load_issues)
        + tuple(checked.issues)
        + folded.issues
        + merged.issues
        + attached.issues
        + current.issues,
        merges=attached.merges,
        rows_read=len(read) + load_rejected,
        rejected=checked.rejected + load_rejected + attached.rejected,
        duplicates=merged.duplicates + attached.joined,
        withdrawn=len(current.withdrawn),
        withdrawn_rows=tuple(o for e in current.withdrawn for o in e.origins),
        files=tuple(files),
        timings=watch.stop(),
        read=read
        + tuple(
            Origin(i.file or "", i.sheet, i.row) for i in load_issues if i.severity == "error" and i.row is not None
        ),
        mappings=tuple(mappings),
    )


def theme_slugs(theme: str) -> tuple[str, ...]:
    """'tout', one slug, or several separated by commas ('sante,enseignement'),
    returned in the order of Annex 1 so a volume's parts keep their order."""
    if theme.strip() == ALL_THEMES:
        return taxonomy.theme_slugs()
    wanted = {taxonomy.theme(t.strip()).slug for t in theme.split(",") if t.strip()}
    if not wanted:
        return (taxonomy.theme(theme).slug,)  # raises UnknownTheme with the list
    return tuple(s for s in taxonomy.theme_slugs() if s in wanted)


def select(entries: Sequence[Entry], slugs: Sequence[str], where) -> tuple[Entry, ...]:
    wanted = set(slugs)
    return tuple(e for e in entries if taxonomy.typology(e.typology).theme in wanted and where.contains(e))


def outside_issues(entries: Sequence[Entry], slugs: Sequence[str], where) -> tuple[Issue, ...]:
    """One information per sheet whose rows of the edition's themes lie
    outside its territory: they are out of scope, not errors (a national list
    in a Puy-de-Dôme edition), and the user sees where they are."""
    wanted = set(slugs)
    by_sheet: dict[tuple, list[Entry]] = {}
    for e in entries:
        if taxonomy.typology(e.typology).theme in wanted and not where.contains(e) and e.origins:
            o = e.origins[0]
            by_sheet.setdefault((o.file, o.sheet), []).append(e)
    out = []
    for (file, sheet), found in by_sheet.items():
        first = min(found, key=lambda e: e.origins[0].row or 0)
        places: dict[str, int] = {}
        for e in found:
            places[e.commune] = places.get(e.commune, 0) + 1
        shown = sorted(places, key=lambda p: -places[p])[:5]
        more = f" et {len(places) - len(shown)} autres communes" if len(places) > len(shown) else ""
        n = len(found)
        lines = f"{n} ligne{'s' if n > 1 else ''}"
        out.append(
            Issue(
                severity="info",
                code="hors-territoire",
                message=(
                    f"{lines} de {'cette feuille' if sheet else 'ce fichier'} "
                    f"{'sont situées' if n > 1 else 'est située'} hors du territoire de l’édition "
                    f"({where.label}) : {', '.join(shown)}{more}. "
                    f"{'Elles ne sont pas imprimées' if n > 1 else 'Elle n’est pas imprimée'} dans cette "
                    "édition (comptées hors territoire) ; pour les imprimer, "
                    "choisissez un autre territoire avec --territoire."
                ),
                file=file,
                sheet=sheet,
                row=first.origins[0].row,
                column=None,
                value=str(n),
            )
        )
    return tuple(out)


def edition_date(given: date | None = None, today: date | None = None) -> date:
    """The date printed on the cover, the guide, the colophon and in the metadata.

    The edition is dated the day it is made: ``given`` (``--date``) when the
    publisher chooses it, else SOURCE_DATE_EPOCH when set (the
    reproducible-builds convention: the same input and the same epoch give
    the same bytes), else the day of the build (``today``, the clock by
    default).  Never the newest date found in the data: one contributor's
    recent sheet would make a book of old records look current; the age of
    the data is printed separately (guide page, colophon)."""
    if given:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return today or date.today()


def default_output(theme: str, where=None) -> Path:
    slug = getattr(where, "slug", None)
    suffix = f"-{slug}" if slug and getattr(where, "kind", "region") != "region" else ""
    return Path("output") / f"annuaire-{theme}{suffix}.pdf"


def _title(slugs: Sequence[str]) -> str:
    if len(slugs) == 1:
        return taxonomy.theme(slugs[0]).label
    if len(slugs) == len(taxonomy.theme_slugs()):
        return "Tous les services"
    labels = [taxonomy.theme(s).label for s in slugs]
    return ", ".join(labels[:-1]) + " et " + labels[-1][0].lower() + labels[-1][1:]


# Bleed a print shop may ask for: 3 to 5 mm in practice; beyond 20 mm it is a
# typing mistake (and nan or inf would put NaN coordinates in the PDF).
MAX_BLEED_MM = 20.0


def check_print_options(options: BuildOptions) -> None:
    """Refuse print options no printer can want, before any work."""
    b = options.bleed_mm
    if b is not None and not (math.isfinite(b) and 0 <= b <= MAX_BLEED_MM):
        raise AnnuaireError(
            f"--fond-perdu « {b} » : le fond perdu est une longueur en millimètres, entre 0 et "
            f"{MAX_BLEED_MM:.0f} (3 en général, 5 chez certains imprimeurs). Donnez celle que "
            "demande votre imprimeur, par exemple --fond-perdu 3."
        )


def _give_back_memory() -> None:
    """Hand the memory the layout freed back to the system before the preflight.

    The pages' blocks and streams are freed once the PDF is written, but
    glibc keeps the freed heap for later use: the preflight would then add
    its own memory on top of the layout's peak.  ``malloc_trim`` returns it
    (Linux with glibc; elsewhere nothing is done)."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError):
        pass


# Entries from which a build that makes one edition lets the reference data
# go once they are selected (see build_edition): below, its memory does not
# matter, and building it again for the next build of the same process (tests,
# an application) would cost half a second.
RELEASE_MIN_ENTRIES = 5000


def build_edition(
    prepared: Prepared, options: BuildOptions, progress: Progress | None = None, only: bool = False
) -> BuildResult:
    """Select, group, lay out and render one edition; check it for print.

    ``only``: the run makes no other edition (``build``).  The gazetteer of
    all France's communes and the territories kept from it (about 25 MB) are
    then let go once the entries are selected, for inputs of
    RELEASE_MIN_ENTRIES entries or more: the layout reuses that memory."""
    with _heartbeat():
        return _build_edition(prepared, options, progress, only)


def _build_edition(prepared: Prepared, options: BuildOptions, progress: Progress | None, only: bool) -> BuildResult:
    check_print_options(options)
    # Imported here: the PDF side pulls in ReportLab, which validation-only
    # commands (validate, modele, import) do not need.
    from annuaire.editions import group as grouping
    from annuaire.pdf import layout as layouts
    from annuaire import pdf

    started = time.perf_counter()
    watch = Stopwatch()
    watch.lap("select")
    slugs = theme_slugs(options.theme)
    where = territory.resolve(options.territory)
    chosen = select(prepared.entries, slugs, where)
    outside = outside_issues(prepared.entries, slugs, where)
    if not chosen:
        if options.report:
            # Nothing to print is when the report is most needed: it says why.
            from annuaire import report

            empty = prepared.counts(0)
            report.write_report(
                options.report, report.report_dict(empty, prepared.issues + outside, prepared.merges, pages=0)
            )
        elsewhere = sum(int(i.value or 0) for i in outside)
        raise EmptyEdition(
            f"Aucune entrée à imprimer pour le thème « {options.theme} » sur le territoire "
            f"« {where.name} » : vérifiez le thème, le territoire et les fichiers d'entrée."
            + (
                f" {elsewhere} ligne{'s' if elsewhere > 1 else ''} du thème "
                f"{'sont situées' if elsewhere > 1 else 'est située'} hors de ce territoire."
                if elsewhere
                else ""
            )
        )
    counts = prepared.counts(len(chosen))
    issues = prepared.issues + outside
    if only and len(prepared.entries) >= RELEASE_MIN_ENTRIES:
        territory.release()  # the last place() was in select and outside_issues
    _note(progress, "regroupement")
    when = edition_date(options.edition_date)
    from annuaire.editions import edition as editions

    edition = editions.load_edition(options.edition) if options.edition else None
    directory = grouping.make_directory(
        chosen, slugs, title=_title(slugs), territory=where.name, edition_date=when, edition=edition
    )
    layout = layouts.load_layout(options.layout)
    name = ALL_THEMES if len(slugs) == len(taxonomy.theme_slugs()) else "-".join(slugs)
    out = Path(options.out) if options.out else default_output(name, where)
    watch.lap("layout+render")
    _note(progress, "mise en page")
    rendered = pdf.render(
        directory,
        layout,
        out,
        pdf.RenderOptions(
            bleed_mm=options.bleed_mm,
            crop_marks=options.crop_marks,
            binding=options.binding,
            paper=options.paper,
            title=f"Annuaire des services — {directory.title} — {where.name}",
            author="annuaire",
            progress=count_pages,
            jobs=_jobs(options.jobs),
        ),
    )
    has_pdfx = False
    if options.icc:
        from annuaire.pdf import pdfx

        _note(progress, "PDF/X")
        pdfx.add_output_intent(out, out, options.icc, title=directory.title)
        has_pdfx = True
    checked = None
    if options.run_preflight:
        from annuaire import preflight

        watch.lap("preflight")
        _note(progress, "contrôle")
        _give_back_memory()
        checked = preflight.preflight(
            out,
            bleed_mm=options.bleed_mm if options.bleed_mm is not None else layout.bleed,
            binding=rendered.binding,
            progress=count_pages,
            jobs=_jobs(options.jobs),
        )
    log.debug("%s : %d pages, %d entrées, %.2f s", out, rendered.pages, len(chosen), time.perf_counter() - started)
    from annuaire.check import freshness

    old = freshness.old_entries(chosen, when, options.max_age_months)
    result = BuildResult(
        out=out,
        counts=counts,
        pages=rendered.pages,
        entries=len(chosen),
        issues=issues,
        merges=prepared.merges,
        page_log=rendered.page_log,
        preflight=checked,
        seconds=time.perf_counter() - started,
        territory=where.name,
        cover=Path(rendered.cover) if rendered.cover else None,
        pdfx=has_pdfx,
        # The legal mentions a printed publication must carry, when missing.
        warnings=tuple(editions.missing(edition)) + rendered.warnings,
        timings=prepared.timings + watch.stop(),
        old_entries=old,
        edition_date=when,
    )
    if options.report:
        from annuaire import report

        report.write_report(
            options.report,
            report.report_dict(
                counts,
                issues,
                prepared.merges,
                pages=rendered.pages,
                preflight=checked.as_dict() if checked is not None else None,
                timings=result.timings,
                old=report.old_entries_dict(old, options.max_age_months, when),
            ),
        )
    return result


def refuse_overwrite(paths: Iterable[str | Path], options: BuildOptions) -> None:
    """Raise OverwritesInput when the PDF, its cover or the report would be
    written over an input (a spreadsheet, the layout file, the ICC profile)."""
    from annuaire import output
    from annuaire.pdf import layout as layouts

    try:
        layout_file = layouts.find(options.layout)
    except AnnuaireError:
        layout_file = None  # reported as UnknownLayout when the layout is loaded
    out = Path(options.out) if options.out else None
    cover = out.with_name(out.stem + "-couverture.pdf") if out is not None else None
    output.refuse_inputs(
        [("--out", out), ("--report", options.report), ("couverture", cover)],
        [*paths, layout_file, options.icc],
    )


@dataclass(frozen=True)
class Export:
    """What `annuaire export` writes: the entries of an edition as they would be
    printed, and the accounting of the rows read (the same identity as build)."""

    entries: tuple[Entry, ...]
    counts: Counts
    prepared: Prepared
    territory: str


def export(
    paths: Iterable[str | Path],
    theme: str = ALL_THEMES,
    territory_text: str | None = None,
    today: date | None = None,
    hints=None,
) -> Export:
    """Read, check, merge and select exactly as ``build`` does, without laying out."""
    prepared = prepare(paths, today=today, hints=hints)
    slugs = theme_slugs(theme)
    where = territory.resolve(territory_text)
    chosen = select(prepared.entries, slugs, where)
    counts = prepared.counts(len(chosen))
    return Export(chosen, counts, prepared, where.name)


def build(
    paths: Iterable[str | Path], options: BuildOptions, progress: Progress | None = None, hints=None
) -> BuildResult:
    paths = tuple(paths)
    refuse_overwrite(paths, options)
    check_print_options(options)  # before reading: a typo should not cost the whole read
    prepared = prepare(paths, progress=progress, hints=hints, jobs=options.jobs)
    return build_edition(prepared, options, progress=progress, only=True)


@dataclass(frozen=True)
class ValidationRun:
    counts: Counts
    issues: tuple[Issue, ...]
    merges: tuple[Merge, ...]
    entries: tuple[Entry, ...]
    files: tuple[str, ...]
    mappings: tuple = ()  # load.SheetMapping per contributor sheet
    old_entries: tuple = ()  # freshness.OldEntry: entries in the territory older than max_age_months
    today: date | None = None
    max_age_months: int = 24


def check(
    paths: Iterable[str | Path],
    today: date | None = None,
    stale_months: int = 6,
    hints=None,
    territory_text: str | None = None,
    max_age_months: int = 24,
) -> ValidationRun:
    """What `annuaire validate` reports: every problem, stale dates included.
    Rows placed outside the territory (the default edition's when None) are
    counted out of scope, with one information per sheet."""
    from annuaire.check import freshness
    from annuaire.reference import sources

    prepared = prepare(paths, today=today, hints=hints)
    # The convention makes each collectivity update its own entries twice a
    # year; national datasets are refreshed by the region's imports, so only
    # entries that no registered national source provides are checked.
    own = [e for e in prepared.entries if not any(sources.lookup(p.name) for p in e.providers)]
    # A date the row has but that could not be read is already reported at its
    # cell (date-invalide); saying it is missing as well would contradict it.
    unreadable = {(i.file, i.sheet, i.row) for i in prepared.issues if i.code == "date-invalide"}
    stale = freshness.stale_issues(
        own, today or date.today(), months=stale_months, dated_sheets={(f or "", s) for f, s, _ in unreadable}
    )
    stale = tuple(i for i in stale if not (i.code == "mise-a-jour-absente" and (i.file, i.sheet, i.row) in unreadable))
    where = territory.resolve(territory_text)
    inside = sum(1 for e in prepared.entries if where.contains(e))
    counts = prepared.counts(inside)
    outside = outside_issues(prepared.entries, taxonomy.theme_slugs(), where)
    day = today or date.today()
    old = freshness.old_entries([e for e in prepared.entries if where.contains(e)], day, max_age_months)
    return ValidationRun(
        counts,
        prepared.issues + tuple(stale) + outside,
        prepared.merges,
        prepared.entries,
        prepared.files,
        prepared.mappings,
        old_entries=old,
        today=day,
        max_age_months=max_age_months,
    )


def coverage(
    paths: Iterable[str | Path],
    theme: str = ALL_THEMES,
    territory_text: str | None = None,
    typologies: Sequence[str] | None = None,
    today: date | None = None,
    hints=None,
    progress: Progress | None = None,
):
    """`annuaire couverture`: the entries ``build`` would print for the theme and
    territory (same read, checks, merge, supersession and selection), analysed
    by :func:`annuaire.coverage.analyse`."""
    slugs = theme_slugs(theme)  # an unknown theme or territory is refused before reading
    territory.resolve(territory_text)
    prepared = prepare(paths, today=today, progress=progress, hints=hints)
    _note(progress, "analyse")
    return coverage_of(prepared, ",".join(slugs), territory_text, typologies, today)


def coverage_of(
    prepared: Prepared,
    theme: str = ALL_THEMES,
    territory_text: str | None = None,
    typologies: Sequence[str] | None = None,
    today: date | None = None,
):
    """The coverage report of one edition of a prepared run (see :func:`coverage`)."""
    from annuaire import coverage as cov

    slugs = theme_slugs(theme)
    where = territory.resolve(territory_text)
    chosen = select(prepared.entries, slugs, where)
    counts = prepared.counts(len(chosen))
    codes = tuple(typologies) if typologies else cov.DEFAULT_TYPOLOGIES
    # Dated like an edition: --date, else SOURCE_DATE_EPOCH, else the day it is made.
    return cov.analyse(prepared.entries, chosen, slugs, where, counts, edition_date(today), codes)
