"""The command line: the only module that imports click.

It turns library results into French output and exit codes, and library
exceptions into messages (never a traceback on the terminal):
  0    success
  1    the run went through but found problems (rows rejected, preflight failed)
  2    unusable input or refused request (no such file, not a spreadsheet,
       unknown theme, an output that would overwrite an input, an output
       that cannot be written…)
  3    unexpected error (a defect): a short French message; the traceback
       goes to the log, shown with --verbose
  130  interrupted (Ctrl-C)

It also configures :mod:`logging` for the whole package: library modules log
to ``logging.getLogger(__name__)``; every command takes ``--verbose``
(details and tracebacks) and ``--quiet`` (errors only, no progress bar).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path

import click

from annuaire import __version__
from annuaire.errors import AnnuaireError
from annuaire.text.terminal import terminal_safe

MAX_LISTED = 200  # issues printed on the terminal; the JSON report has them all

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

log = logging.getLogger("annuaire.cli")


def echo(message: object = "", **kwargs) -> None:
    """click.echo for every line the commands print: a contributor's cell
    quoted in a message never reaches the terminal raw (escape sequences,
    bidi overrides… neutralised, see annuaire.text.terminal)."""
    click.echo(terminal_safe(str(message)), **kwargs)


class _SafeFormatter(logging.Formatter):
    """Log lines go to the terminal too: neutralised like every other line."""

    def format(self, record):
        return terminal_safe(super().format(record))


def _fail(exc: Exception, code: int = EXIT_UNUSABLE) -> None:
    echo(f"Erreur : {exc}", err=True)
    sys.exit(code)


class _Verbosity:
    """What --verbose / --quiet asked for (the last command-line word wins)."""

    level = logging.INFO
    quiet = False


class _Stderr(logging.StreamHandler):
    """A handler on whatever sys.stderr is when a record is emitted (tests
    and click's runner swap it)."""

    _annuaire = True

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def _configure_logging(level: int) -> None:
    """Package messages on stderr; third-party loggers keep their own defaults
    (fontTools logs a line per subset at INFO)."""
    root = logging.getLogger("annuaire")
    for handler in list(root.handlers):
        if getattr(handler, "_annuaire", False):
            root.removeHandler(handler)
    handler = _Stderr()
    fmt = "%(asctime)s %(levelname)s %(name)s : %(message)s" if level <= logging.DEBUG else "%(message)s"
    handler.setFormatter(_SafeFormatter(fmt, datefmt="%H:%M:%S"))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    _Verbosity.level = level
    _Verbosity.quiet = level >= logging.ERROR


def _verbosity(ctx, param, value):
    if value:
        level = logging.DEBUG if param.name == "verbose" else logging.ERROR
        ctx.find_root().meta["annuaire.log_level"] = level
        _configure_logging(level)
    return value


def _log_options(f):
    """--verbose and --quiet on a command (also accepted before the command)."""
    f = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_verbosity,
        help="N’affiche que les erreurs (pas de barre de progression).",
    )(f)
    f = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_verbosity,
        help="Détails du déroulement et, en cas d’erreur inattendue, la trace complète.",
    )(f)
    return f


def _parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(AnnuaireError(f"date « {text} » illisible : écrivez-la AAAA-MM-JJ, par exemple 2026-03-31."))


def _print_issues(issues, limit: int = MAX_LISTED) -> None:
    """Errors first, every one of them up to the limit; then warnings, and a
    count by kind when there are too many to read on a terminal."""
    from collections import Counter

    from annuaire import report

    # In the order of the file, as the contributor walks through it: the
    # freshness warnings are found last but belong to their rows.
    issues = list(issues)
    files: dict = {}
    sheets: dict = {}
    for i in [i for i in issues if i.row is not None] + issues:  # sheets in the order rows were read
        files.setdefault(i.file, len(files))
        sheets.setdefault((i.file, i.sheet), len(sheets))
    issues.sort(key=lambda i: (files[i.file], sheets[(i.file, i.sheet)], i.row or 0))
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity != "error"]
    for line in report.issues_fr(errors, limit=limit):
        echo(line)
    if len(errors) > limit:
        echo(f"… et {len(errors) - limit} autres erreurs : voir le rapport JSON (--report).")
    shown = max(0, min(len(warnings), limit - len(errors), 50))
    for line in report.issues_fr(warnings, limit=shown):
        echo(line)
    if len(warnings) > shown:
        echo(f"… et {len(warnings) - shown} autres avertissements (détail : --report ou --annote) :")
        for code, count in Counter(i.code for i in warnings[shown:]).most_common():
            echo(f"    {count:>6}  {code}")


def _hints(typologie: str | None, source: str | None, correspondances: Path | None):
    """The user's correspondences file with the command-line options over it."""
    from annuaire.load import correspondences as corr

    base = corr.read(correspondances) if correspondances else corr.NONE
    return base.with_options(typologie, source)


def _mapping_options(f):
    """--typologie, --source and --correspondances, shared by build, validate, colonnes."""
    f = click.option(
        "--correspondances",
        type=click.Path(path_type=Path),
        help="Vos correspondances : fichier .toml (annuaire colonnes … -o) ou classeur "
        "annoté corrigé (feuille « Correspondances »).",
    )(f)
    f = click.option(
        "--source",
        "source_name",
        help="Structure à créditer quand le fichier n'a pas de colonne Source (par exemple « Mairie de Riom »).",
    )(f)
    f = click.option(
        "--typologie",
        help="Typologie de toutes les lignes (par exemple « Médiathèque ») : la colonne "
        "de catégories éventuelle n'est pas lue.",
    )(f)
    return f


class _StageBar:
    """A progress bar over the pipeline's stages (reading, checking, layout…)."""

    STAGES = ("lecture", "validation", "doublons", "regroupement", "mise en page", "PDF/X", "contrôle")

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if self.enabled:
            self.bar = click.progressbar(
                length=len(self.STAGES),
                label="Construction",
                file=sys.stderr,
                item_show_func=lambda s: s or "",
            )
            self.bar.__enter__()
        return self

    def __call__(self, stage: str) -> None:
        if self.bar is not None:
            self.bar.update(1, stage)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _os_error_fr(exc: OSError) -> str:
    """A file-system failure (output is a folder, file open in Excel, disk
    full…) said in French, with the path, instead of a traceback."""
    import errno

    name = exc.filename or ""
    where = f"« {name} »" if name else "un fichier"
    if isinstance(exc, IsADirectoryError):
        return f"{where} est un dossier : donnez un nom de fichier."
    if isinstance(exc, NotADirectoryError):
        return f"{where} : une partie du chemin est un fichier, pas un dossier. Choisissez un autre chemin."
    if isinstance(exc, FileExistsError):
        return f"{where} existe déjà et n’est pas un dossier : choisissez un autre dossier de sortie."
    if isinstance(exc, PermissionError):
        return (
            f"accès refusé à {where} : le fichier est peut-être ouvert dans Excel ou LibreOffice, "
            "ou le dossier est protégé. Fermez-le ou choisissez un autre nom."
        )
    if exc.errno == errno.ENOSPC:
        return f"disque plein en écrivant {where} : libérez de la place ou choisissez un autre disque."
    return f"{where} : {exc.strerror or exc.__class__.__name__}."


class _Main(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise  # click's own: usage errors exit 2 with click's message
        except AnnuaireError as exc:
            _fail(exc)
        except BrokenPipeError:
            # Output piped into `head` or a closed pager: stop quietly.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except KeyboardInterrupt:
            echo("\nInterrompu : les fichiers déjà écrits sont complets, les autres n’ont pas été modifiés.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as exc:
            _fail(AnnuaireError(_os_error_fr(exc)))
        except Exception as exc:  # a defect: never a traceback, never exit 1
            log.debug("trace de l’erreur inattendue :", exc_info=True)
            hint = "" if _Verbosity.level <= logging.DEBUG else " Relancez avec --verbose pour la trace complète,"
            echo(
                f"Erreur inattendue ({exc.__class__.__name__}) : {_short(exc)}.{hint} "
                "et signalez-la avec la commande lancée et le fichier d’entrée concerné.",
                err=True,
            )
            sys.exit(EXIT_UNEXPECTED)


def _short(exc: Exception, limit: int = 200) -> str:
    """The exception's text on one line, without control characters."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(exc)).split())
    return (text[:limit] + "…") if len(text) > limit else (text or "sans message")


# build and validate list the same old entries.
_max_age_option = click.option(
    "--anciennete-max",
    "max_age",
    type=click.IntRange(min=1),
    default=24,
    show_default=True,
    help="Les fiches dont l'information a plus de ce nombre de mois sont listées pour vérification "
    "(résumé et rapport JSON, « anciennes »).",
)


# export and couverture cover every theme unless told.
_themes_all_option = click.option(
    "--theme",
    "theme",
    default="tout",
    show_default=True,
    help="Thème (slug), plusieurs séparés par des virgules, ou « tout ».",
)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annuaire")
@_log_options
def main() -> None:
    """annuaire : annuaires papier des services publics locaux.

    Codes de sortie : 0 réussi ; 1 lignes rejetées ou contrôle d’impression en
    échec ; 2 entrée inutilisable ou demande refusée ; 3 erreur inattendue
    (trace avec --verbose) ; 130 interrompu."""
    _configure_logging(click.get_current_context().meta.get("annuaire.log_level", logging.INFO))


@main.command()
@_log_options
@click.option("--json", "as_json", is_flag=True, help="Arbre au format JSON.")
def themes(as_json: bool) -> None:
    """Affiche l'arbre de l'annexe 1 : thèmes, groupes, typologies."""
    from annuaire.reference import taxonomy

    if as_json:
        click.echo(json.dumps(taxonomy.as_json(), ensure_ascii=False, indent=2))
        return
    for theme in taxonomy.themes():
        count = sum(len(s.typologies) for g in theme.groups for s in g.subgroups)
        echo(f"{theme.label} [{theme.slug}] — {count} typologies")
        for group in theme.groups:
            echo(f"  {group.label}")
            for sub in group.subgroups:
                indent = "    "
                if sub.label:
                    echo(f"    {sub.label}")
                    indent = "      "
                for t in sub.typologies:
                    echo(f"{indent}{t.code}  {t.print_label}")


def _inputs(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """The files to read; none given is a usage error, not a silent read of ./sample_data."""
    if not paths:
        echo(
            "Aucun fichier à lire : donnez un ou plusieurs tableurs (xlsx, ods, csv) ou dossiers, "
            "par exemple « annuaire build --theme sante mes-services.xlsx ». Les données d'exemple "
            "du dépôt sont dans sample_data/ (« make annuaire THEME=sante » les utilise).",
            err=True,
        )
        sys.exit(EXIT_UNUSABLE)
    return paths


@main.command()
@_log_options
@click.option("--theme", "theme", required=True, help="Thème (slug), plusieurs séparés par des virgules, ou « tout ».")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--layout", default="a5", show_default=True, help="Mise en page (a5, a4, gros-caracteres ou fichier .toml)."
)
@click.option("-o", "--out", type=click.Path(path_type=Path), help="PDF à écrire (défaut : output/annuaire-THEME.pdf).")
@click.option("--report", type=click.Path(path_type=Path), help="Rapport JSON à écrire.")
@click.option("--territoire", help="Commune, EPCI, département ou région.")
@click.option("--fond-perdu", "bleed", type=float, help="Fond perdu en mm (défaut de la mise en page : 3).")
@click.option("--traits-de-coupe", "crop_marks", is_flag=True, help="Ajoute les traits de coupe.")
@click.option("--reliure", type=click.Choice(["piquee", "collee"]), help="Piqûre à cheval ou dos collé.")
@click.option("--papier", help="Épaisseur du papier en mm (0.1) ou grammage (90g), pour le dos collé.")
@click.option(
    "--icc",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Profil ICC CMJN de l'imprimeur (PDF/X-4).",
)
@click.option(
    "--date",
    "when",
    help="Date d'édition AAAA-MM-JJ (défaut : le jour de la construction, ou SOURCE_DATE_EPOCH s'il est défini).",
)
@click.option("--sans-controle", "no_preflight", is_flag=True, help="Ne lance pas le contrôle d'impression.")
@_max_age_option
@click.option(
    "--edition",
    "edition",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Fichier d'édition (TOML) : éditeur, directeur de la publication, imprimeur, dépôt légal, logo "
    "(exemple : docs/edition-exemple.toml).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Processus à utiliser : 2 par défaut sur une machine à deux cœurs ou plus (plus rapide) ; "
    "1 : plus lent, mais le moins de mémoire (au-delà de 2 : 2).",
)
@_mapping_options
def build(
    theme,
    paths,
    layout,
    out,
    report,
    territoire,
    bleed,
    crop_marks,
    reliure,
    papier,
    icc,
    when,
    no_preflight,
    max_age,
    edition,
    jobs,
    typologie,
    source_name,
    correspondances,
):
    """Construit l'annuaire PDF d'un thème à partir de tableurs."""
    from annuaire import pipeline
    from annuaire import report as reports

    options = pipeline.BuildOptions(
        theme=theme,
        layout=layout,
        out=out,
        report=report,
        territory=territoire,
        bleed_mm=bleed,
        crop_marks=crop_marks,
        binding=reliure,
        paper=papier,
        icc=icc,
        edition_date=_parse_date(when),
        run_preflight=not no_preflight,
        edition=edition,
        max_age_months=max_age,
        jobs=jobs,
    )
    try:
        hints = _hints(typologie, source_name, correspondances)
        with _StageBar(sys.stderr.isatty() and not _Verbosity.quiet) as bar:
            result = pipeline.build(_inputs(paths), options, progress=bar, hints=hints)
    except pipeline.EmptyEdition as exc:
        if report:
            echo(f"Rapport écrit : {report} (il dit pourquoi aucune ligne n’est imprimée).", err=True)
        _fail(exc)
    except AnnuaireError as exc:
        _fail(exc)
    errors = [i for i in result.issues if i.severity == "error"]
    if errors:
        echo("Lignes rejetées :")
        _print_issues(errors, limit=50)
    c = result.counts
    echo(
        f"Annuaire écrit : {result.out} — {reports.plural(result.entries, 'entrée', 'entrées')}, "
        f"{reports.plural(result.pages, 'page', 'pages')}, territoire : {result.territory}."
    )
    echo(reports.counts_fr(c))
    for line in reports.issues_fr([i for i in result.issues if i.severity == "info"], limit=20):
        echo(line)  # rows out of the territory: where they are
    echo(reports.issue_totals_fr(result.issues) + (" Détail : " + str(report) if report else ""))
    if result.edition_date is not None:
        for line in reports.old_entries_fr(result.old_entries, max_age, result.edition_date):
            echo(line)
    if result.cover:
        echo(f"Couverture (dos collé) : {result.cover}")
    if not result.pdfx:
        echo("PDF/X : pas de profil ICC fourni (--icc), le fichier n'a pas d'intention de sortie PDF/X.")
    for w in result.warnings:
        echo(f"ATTENTION mise en page : {w}")
    if result.preflight is not None:
        echo(result.preflight.text_fr())
        if not result.preflight.passed:
            sys.exit(1)


@main.command(name="validate")
@_log_options
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--report", type=click.Path(path_type=Path), help="Rapport JSON à écrire.")
@click.option("--annote", type=click.Path(path_type=Path), help="Classeur annoté à écrire (.xlsx).")
@click.option(
    "--periode-maj",
    "months",
    type=click.IntRange(min=1),
    default=6,
    show_default=True,
    help="Période de mise à jour, en mois (1 ou plus).",
)
@click.option("--date", "when", help="Date du jour pour les contrôles (AAAA-MM-JJ).")
@_max_age_option
@click.option(
    "--territoire",
    help="Territoire de l'édition : les lignes situées ailleurs sont hors territoire (par défaut la région Auvergne).",
)
@_mapping_options
def validate_cmd(paths, report, annote, months, when, max_age, territoire, typologie, source_name, correspondances):
    """Vérifie des tableurs et liste les problèmes, cellule par cellule."""
    from annuaire import output, pipeline
    from annuaire import report as reports
    from annuaire.errors import NoHeaderRow
    from annuaire.model import Counts, Issue

    if annote and (len(paths) != 1 or Path(paths[0]).is_dir()):
        _fail(AnnuaireError("--annote demande un seul fichier en entrée (le classeur à annoter)."))
    try:
        output.refuse_inputs([("--report", report), ("--annote", annote)], paths)
        hints = _hints(typologie, source_name, correspondances)
        run = pipeline.check(
            paths,
            today=_parse_date(when),
            stale_months=months,
            hints=hints,
            territory_text=territoire,
            max_age_months=max_age,
        )
    except NoHeaderRow as exc:
        # The most common first failure: the report and the annotated workbook
        # are written all the same, and say what to do.
        from annuaire.load.spreadsheet import SheetMapping

        issue = Issue(severity="error", code="en-tete-introuvable", message=str(exc).split(" : ", 1)[-1], file=exc.file)
        counts = Counts()
        if report:
            reports.write_report(report, reports.report_dict(counts, (issue,)))
        echo(f"Erreur : {exc}", err=True)
        if report:
            echo(f"Rapport : {report}", err=True)
        if annote:
            from annuaire.workbooks import annotate

            try:
                annotate.annotate(
                    paths[0], (issue,), annote, counts, mappings=[SheetMapping(exc.file, s, None) for s in exc.sheets]
                )
                echo(f"Classeur annoté : {annote} (sa première feuille dit quoi faire)", err=True)
            except (AnnuaireError, OSError) as err:
                echo(f"Classeur annoté non écrit : {err}", err=True)
        sys.exit(2)
    except AnnuaireError as exc:
        _fail(exc)
    _print_issues(run.issues)
    echo(reports.counts_fr(run.counts))
    echo(reports.issue_totals_fr(run.issues))
    if run.today is not None:
        for line in reports.old_entries_fr(run.old_entries, max_age, run.today, printed=False):
            echo(line)
    if report:
        reports.write_report(
            report,
            reports.report_dict(
                run.counts,
                run.issues,
                run.merges,
                old=reports.old_entries_dict(run.old_entries, max_age, run.today) if run.today else None,
            ),
        )
        echo(f"Rapport : {report}")
    if annote:
        from annuaire.workbooks import annotate

        try:
            annotate.annotate(paths[0], run.issues, annote, run.counts, mappings=run.mappings)
        except AnnuaireError as exc:
            _fail(exc)
        echo(
            f"Classeur annoté : {annote}"
            + (" (première feuille : vos colonnes et catégories, à corriger si besoin)" if run.mappings else "")
        )
    sys.exit(1 if run.counts.rejected else 0)


@main.command(name="export")
@_log_options
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_themes_all_option
@click.option("--territoire", help="Commune, EPCI, département ou région.")
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Fichier à écrire : .xlsx, .csv (Excel français) ou .geojson.",
)
@click.option(
    "--par-source",
    "by_source",
    is_flag=True,
    help="Écrit plutôt les lignes de chaque contributeur et ce que la chaîne en a fait.",
)
@click.option("--report", type=click.Path(path_type=Path), help="Rapport JSON à écrire.")
@_mapping_options
def export_cmd(paths, theme, territoire, out, by_source, report, typologie, source_name, correspondances):
    """Rend l'annuaire fusionné : les entrées telles qu'imprimées, ou les lignes de chaque source."""
    from annuaire import output, pipeline
    from annuaire import report as reports
    from annuaire.workbooks import restitution

    if restitution.export_format(out) is None:
        _fail(AnnuaireError(f"{out} : extension inconnue. Choisissez .xlsx, .csv ou .geojson."))
    try:
        output.refuse_inputs([("-o", out), ("--report", report)], paths)
        done = pipeline.export(
            _inputs(paths),
            theme=theme,
            territory_text=territoire,
            hints=_hints(typologie, source_name, correspondances),
        )
    except AnnuaireError as exc:
        _fail(exc)
    c = done.counts
    if by_source:
        prepared = done.prepared
        rows = restitution.source_rows(
            prepared.read,
            prepared.entries,
            {e.key for e in done.entries},
            prepared.issues,
            prepared.merges,
            prepared.withdrawn_rows,
        )
        restitution.write_sources(rows, out)
        echo(f"{reports.plural(len(rows), 'ligne source décrite', 'lignes sources décrites')} dans {out}.")
    else:
        restitution.write_directory(done.entries, out)
        echo(
            f"{reports.plural(len(done.entries), 'entrée écrite', 'entrées écrites')} dans {out} "
            f"(territoire : {done.territory})."
        )
    echo(reports.counts_fr(c))
    if report:
        reports.write_report(report, reports.report_dict(c, done.prepared.issues, done.prepared.merges))
    sys.exit(0)


@main.command(name="couverture")
@_log_options
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_themes_all_option
@click.option("--territoire", help="Commune, EPCI, département ou région (défaut : l’Auvergne).")
@click.option(
    "--typologie",
    "typologies",
    multiple=True,
    help="Typologie des cartes d’accès (code ou nom), à répéter ; défaut : pharmacie, "
    "France services (lieu d’accès public à Internet), bureau de poste.",
)
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Bilan à écrire : .pdf (tableaux et cartes) ou .xlsx (les mêmes tableaux).",
)
@click.option("--date", "when", help="Date du bilan AAAA-MM-JJ (âge des données ; défaut : aujourd’hui).")
@click.option(
    "--icc",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Profil ICC CMJN de l’imprimeur : le PDF est déclaré PDF/X-4.",
)
@click.option(
    "--correspondances",
    type=click.Path(path_type=Path),
    help="Vos correspondances, comme pour build : fichier .toml ou classeur annoté corrigé.",
)
@click.option(
    "--source",
    "source_name",
    help="Structure à créditer quand le fichier n'a pas de colonne Source, comme pour build.",
)
def couverture(paths, theme, territoire, typologies, out, when, icc, correspondances, source_name):
    """Bilan de couverture d’une édition : typologies sans entrée, mairies manquantes,
    données anciennes, cartes d’accès aux services."""
    from annuaire import coverage, output, pipeline
    from annuaire import report as reports

    kind = out.suffix.lower()
    if kind not in (".pdf", ".xlsx"):
        _fail(AnnuaireError(f"{out} : extension inconnue. Choisissez .pdf (tableaux et cartes) ou .xlsx (tableaux)."))
    try:
        codes = coverage.map_typologies(typologies)
        output.refuse_inputs([("-o", out)], [*paths, icc, correspondances])
        with _StageBar(sys.stderr.isatty() and not _Verbosity.quiet) as bar:
            cov = pipeline.coverage(
                _inputs(paths),
                theme=theme,
                territory_text=territoire,
                typologies=codes,
                hints=_hints(None, source_name, correspondances),
                today=_parse_date(when),
                progress=bar,
            )
    except AnnuaireError as exc:
        _fail(exc)
    with_entries = sum(1 for t in cov.typologies if t.entries)
    if kind == ".xlsx":
        from annuaire.workbooks.coverage import write_coverage

        write_coverage(cov, out)
        echo(f"Bilan de couverture écrit : {out} (territoire : {cov.territory}).")
    else:
        from annuaire.pdf.coverage import render_coverage

        rendered = render_coverage(cov, out, icc=icc)
        echo(
            f"Bilan de couverture écrit : {out} — {reports.plural(rendered.pages, 'page', 'pages')}, "
            f"territoire : {cov.territory}."
        )
        for w in rendered.warnings:
            echo(f"ATTENTION cartes : {w}.")
    echo(reports.counts_fr(cov.counts))
    echo(
        f"Typologies représentées : {with_entries} sur {len(cov.typologies)} ; communes sans mairie : "
        f"{len(cov.missing_mairies)} sur {len(cov.places)} ; entrées de plus de {cov.stale_months} mois : "
        f"{cov.stale_count}."
    )
    for a in cov.access:
        shares = ", ".join(f"{s.km} km : {100 * s.share(a.population):.1f} %".replace(".", ",") for s in a.shares)
        echo(f"{a.label} — population à plus de {shares}.")
    if kind == ".pdf":
        from annuaire import preflight

        checked = preflight.preflight(out, bleed_mm=rendered.bleed_mm)
        echo(checked.text_fr())
        if not checked.passed:
            sys.exit(1)


@main.command(name="colonnes")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    help="Écrit ces correspondances dans un fichier .toml à vérifier et réutiliser.",
)
@_mapping_options
def colonnes(paths, out, typologie, source_name, correspondances):
    """Montre comment les colonnes et catégories d'un tableur sont lues."""
    from annuaire import load
    from annuaire.load import correspondences as corr
    from annuaire.load.headers import LABELS, percent
    from annuaire.reference import taxonomy

    from annuaire import output

    try:
        output.refuse_inputs([("-o", out)], paths)
        hints = _hints(typologie, source_name, correspondances)
        loaded = load.read_paths(paths, hints)
    except AnnuaireError as exc:
        _fail(exc)
    for name in loaded.files:
        maps = [m for m in loaded.mappings if m.file == name]
        if not maps:
            echo(f"{name} : jeu de données national reconnu, lu par son propre lecteur (annuaire import --help).")
            continue
        for m in maps:
            where = f"{name}" + (f", feuille « {m.sheet} »" if m.sheet else "")
            echo(f"{where} — ligne d’en-tête {m.header_row}, {m.rows} ligne(s) de données")
            for c in m.columns:
                if c.field:
                    echo(f"  {c.label:<40} → {LABELS.get(c.field, c.field):<20} {percent(c.confidence):>5}  {c.reason}")
            ignored = [c for c in m.columns if not c.field]
            for c in ignored:
                echo(f"  {c.label:<40} → (ignorée) {c.reason}")
            if m.typology:
                echo(f"  Typologie de toutes les lignes : {taxonomy.typology(m.typology).print_label}")
            if m.source:
                echo(f"  Source créditée : {m.source}")
            unknown = [c for c in m.categories if c.match.code is None]
            if m.categories:
                echo(f"  Catégories : {len(m.categories)} différentes, {len(m.categories) - len(unknown)} reconnues")
                for cat in sorted(m.categories, key=lambda c: (c.match.code is not None, -c.rows)):
                    mt = cat.match
                    if mt.code:
                        what = f"{taxonomy.typology(mt.code).print_label} ({mt.how})"
                    elif mt.proposal:
                        what = f"? proposition : {mt.proposal} ({percent(mt.confidence)})"
                    else:
                        what = "? à compléter"
                    echo(f"    « {cat.value} » ({cat.rows}) → {what}")
    if out:
        corr.write_toml(loaded.mappings, out, source=source_name)
        echo(
            f"Correspondances écrites : {out} — vérifiez-les, complétez les catégories, puis "
            f"relancez avec --correspondances {out}."
        )


@main.command(name="import")
@_log_options
@click.argument("format_name", metavar="FORMAT")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path), help="Classeur .xlsx à écrire.")
@click.option("--report", type=click.Path(path_type=Path), help="Rapport JSON à écrire (toutes les lignes écartées).")
def import_cmd(format_name, files, out, report):
    """Convertit un jeu de données national en classeur de contributeur."""
    from annuaire import pipeline
    from annuaire.workbooks import export
    from annuaire import report as reports
    from annuaire.load import importers

    from annuaire import output

    try:
        output.refuse_inputs([("-o", out), ("--report", report)], files)
        importer = importers.get(format_name)
        for f in files:
            if Path(f).is_dir():
                raise AnnuaireError(f"{f} est un dossier : donnez le fichier du jeu de données.")
            if not Path(f).is_file():
                raise AnnuaireError(f"{f} : fichier introuvable.")
            _check_format(importers, importer, Path(f))
        prepared = pipeline.prepare_with(importer, files)
    except (AnnuaireError, KeyError) as exc:
        names = ", ".join(sorted(importers.FORMATS))
        _fail(AnnuaireError(f"{exc} (formats connus : {names})") if isinstance(exc, KeyError) else exc)
    if out.suffix.lower() in (".csv", ".txt"):
        export.write_csv(prepared.entries, out)  # what French Excel opens by double-click
    else:
        export.write_entries(prepared.entries, out)
    _print_issues([i for i in prepared.issues if i.severity == "error"], limit=50)
    echo(f"{reports.plural(len(prepared.entries), 'entrée écrite', 'entrées écrites')} dans {out}.")
    echo(reports.issue_totals_fr(prepared.issues) + (" Détail : " + str(report) if report else ""))
    if report:
        from annuaire.model import Counts

        counts = Counts(
            rows_read=prepared.rows_read,
            printed=len(prepared.entries),
            rejected=prepared.rejected,
            duplicates=prepared.duplicates,
            out_of_scope=0,
            withdrawn=prepared.withdrawn,
        )
        reports.write_report(report, reports.report_dict(counts, prepared.issues, prepared.merges))
    if not prepared.entries:
        echo("Aucune entrée écrite : voir les erreurs ci-dessus.", err=True)
        sys.exit(1)


def _check_format(importers, importer, path: Path) -> None:
    """Refuse a file that is not in the FORMAT asked for, before reading it:
    read with the wrong importer, every row would be rejected for a reason
    that says nothing of the real mistake."""
    if _sniffs(importer, path):
        missing = importer.missing_columns(path)
        if missing:
            raise AnnuaireError(
                f"{path.name} ressemble au format « {importer.name} » mais il lui manque "
                f"{'la colonne' if len(missing) == 1 else 'les colonnes'} {', '.join(missing)} "
                "(autre édition du jeu de données ?) : ce lecteur ne peut pas classer ses lignes. "
                f"Lisez-le comme un tableau de contributeur : annuaire colonnes {path.name}, puis "
                f"annuaire validate {path.name} --typologie « … » (ou --correspondances)."
            )
        return
    found = importers.detect(path)
    if found is not None:
        raise AnnuaireError(
            f"{path.name} n’est pas au format « {importer.name} » : c’est un fichier "
            f"« {found.name} ». Relancez avec : annuaire import {found.name} {path.name} -o …"
        )
    raise AnnuaireError(
        f"{path.name} n’est pas au format « {importer.name} » ni à aucun format connu "
        "(colonnes ou structure inattendues). Vérifiez que c’est bien le jeu de données téléchargé, "
        "et non un autre fichier du même producteur."
    )


def _sniffs(importer, path: Path) -> bool:
    try:
        return bool(importer.sniff(path))
    except (OSError, ValueError, UnicodeDecodeError):
        return False


@main.command()
@_log_options
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path), help="Classeur .xlsx à écrire.")
@click.option("--territoire", help="EPCI, département ou commune du modèle (liste des communes).")
@click.option("--source", help="Structure qui fournit les données (colonne Source pré-remplie).")
def modele(out, territoire, source):
    """Écrit un classeur modèle à remplir par une commune ou une intercommunalité."""
    from annuaire.workbooks import template

    try:
        template.write_template(out, territory=territoire, source=source)
    except AnnuaireError as exc:
        _fail(exc)
    echo(f"Modèle écrit : {out}")


@main.command(name="preflight")
@_log_options
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Résultat au format JSON.")
@click.option(
    "--fond-perdu",
    "--bleed",
    "bleed",
    type=click.FloatRange(min=0),
    help="Fond perdu attendu, en mm (comme build --fond-perdu).",
)
@click.option("--reliure", type=click.Choice(["piquee", "collee"]), help="Règle de pagination à vérifier.")
def preflight_cmd(pdf, as_json, bleed, reliure):
    """Contrôle un PDF avant impression (polices, boîtes, couleurs, pages…)."""
    from annuaire import preflight

    if not pdf.is_file():
        _fail(AnnuaireError(f"{pdf} : fichier introuvable."))
    try:
        result = preflight.preflight(pdf, bleed_mm=bleed, binding=reliure)
    except AnnuaireError as exc:
        _fail(exc)
    except Exception as exc:  # a damaged or non-PDF file: say so, no traceback
        log.debug("trace :", exc_info=True)
        _fail(AnnuaireError(f"{pdf} n'est pas un PDF lisible ({exc.__class__.__name__})."))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        echo(result.text_fr())
    sys.exit(0 if result.passed else 1)


@main.command()
@_log_options
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--par", "by", type=click.Choice(["epci", "departement", "commune"]), required=True)
@click.option(
    "--theme",
    "--themes",
    "themes_",
    default="sante",
    show_default=True,
    help="Thèmes séparés par des virgules, ou « tout » (comme build --theme).",
)
@click.option("--jobs", type=click.IntRange(min=1), help="Processus en parallèle (défaut : nombre de cœurs).")
@click.option("--layout", default="a5", show_default=True)
@click.option("--out-dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True)
@click.option("--scheduler", help="Adresse d'un ordonnanceur Dask (tcp://HÔTE:PORT).")
@click.option(
    "--date",
    "when",
    help="Date d'édition AAAA-MM-JJ de toutes les éditions (défaut : le jour de la construction, "
    "ou SOURCE_DATE_EPOCH s'il est défini).",
)
def batch(paths, by, themes_, jobs, layout, out_dir, scheduler, when):
    """Construit toutes les éditions d'un découpage (EPCI, départements, communes)."""
    from annuaire import pipeline
    from annuaire.editions import batch as batches

    wanted = [t.strip() for t in themes_.split(",") if t.strip()]
    try:
        with click.progressbar(length=1, label="Éditions", file=sys.stderr, hidden=_Verbosity.quiet) as bar:
            state = {"total": None}

            def progress(done: int, total: int) -> None:
                if state["total"] is None:
                    bar.length = total
                    state["total"] = total
                bar.update(done - bar.pos)

            result = batches.run_batch(
                _inputs(paths),
                by=by,
                themes=wanted,
                jobs=jobs,
                out_dir=out_dir,
                layout=layout,
                scheduler=scheduler,
                progress=progress,
                options=pipeline.BuildOptions(edition_date=_parse_date(when)),
            )
    except AnnuaireError as exc:
        _fail(exc)
    echo(result.table_fr())
    sys.exit(1 if result.failed else 0)
