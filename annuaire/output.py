"""Writing output files: never over an input, never half-written.

Every file the tool writes (PDF, cover, JSON report, workbook, CSV, batch
manifest) goes through :func:`replacing`: the bytes are written to a unique
hidden temporary file in the destination folder (``.NAME.XXXXXXXX.tmp``, which
the loader skips like any hidden file), flushed to disk, then renamed over the
destination with :func:`os.replace`, which is atomic on one file system.  A
run killed while writing (Ctrl-C, power cut, out of memory) therefore leaves
the previous version whole, and two runs writing into one folder never share
a temporary name.  A destination that is a symbolic link is written through
(its target is replaced, the link stays); one that is not a regular file
(``/dev/null``, a named pipe) is written in place, never replaced.

:func:`refuse_inputs` is called before anything is read or written: an
output path that is one of the inputs (the same file, also through a
symbolic or hard link, or a file an input folder would read) raises
:class:`~annuaire.errors.OverwritesInput`, so ``build X.xlsx --out X.xlsx``
cannot destroy the contributor's file.
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from annuaire.errors import OutputFailure, OverwritesInput

log = logging.getLogger(__name__)


def _umask() -> int:
    # os.umask can only be read by setting it; done once per write, in the
    # main thread of a command-line run.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def destination(path: str | Path) -> Path:
    """The file actually replaced: the target of a symbolic link, else ``path``."""
    p = Path(path)
    if p.is_symlink():
        return Path(os.path.realpath(p))
    return p


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; when the block ends without an
    exception, the temporary file replaces ``path``.  On any exception
    (KeyboardInterrupt included) the temporary file is removed and ``path``
    is left as it was."""
    final = destination(path)
    if final.exists() and not final.is_file() and not final.is_dir():
        # A device or a pipe: renaming a file over it would destroy it.
        try:
            yield final
        except OSError as exc:
            raise OutputFailure(output_error_fr(exc, final)) from exc
        return
    folder = final.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputFailure(output_error_fr(exc, final)) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            mode = final.stat().st_mode & 0o7777  # a file replaced keeps its permissions
        except OSError:
            mode = 0o666 & ~_umask()  # a new file gets the usual ones, not mkstemp's 0600
        try:
            os.chmod(tmp, mode)
        except OSError:
            pass  # a file system without Unix permissions (a USB key)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, final)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputFailure(output_error_fr(exc, final)) from exc
        raise
    log.debug("écrit : %s", final)


def write_bytes(path: str | Path, data: bytes) -> Path:
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    with replacing(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)


def output_error_fr(exc: OSError, path: str | Path | None = None) -> str:
    """A file-system failure while writing ``path``, in French, naming it."""
    name = str(path) if path is not None else (exc.filename or "")
    where = f"« {name} »" if name else "un fichier"
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return f"disque plein en écrivant {where} : libérez de la place ou choisissez un autre disque (--out)."
    if isinstance(exc, PermissionError) or exc.errno in (errno.EROFS,):
        return (
            f"impossible d’écrire {where} : accès refusé (dossier protégé ou en lecture seule, ou fichier "
            "ouvert dans Excel ou LibreOffice). Fermez le fichier ou choisissez un autre chemin."
        )
    if isinstance(exc, IsADirectoryError):
        return f"{where} est un dossier : donnez un nom de fichier."
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return (
            f"impossible d’écrire {where} : le dossier n’existe pas et ne peut pas être créé ici. "
            "Choisissez un chemin dans un dossier où vous pouvez écrire."
        )
    return f"impossible d’écrire {where} ({exc.strerror or exc.__class__.__name__}) : choisissez un autre chemin."


# ----------------------------------------------------------------------- inputs


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        # One of them does not exist yet: the same path once resolved.
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_inputs(outputs: Iterable[tuple[str, str | Path | None]], inputs: Iterable[str | Path | None]) -> None:
    """Raise :class:`OverwritesInput` when an output is one of the inputs, or
    when two outputs are the same file.

    ``outputs`` are ``(option, path)`` pairs (``('--out', 'x.pdf')``), so the
    message names the option to change; ``None`` paths are ignored.  An input
    may be a folder: every file the loader would read in it counts."""
    from annuaire.load import expand

    files: list[Path] = []
    for given in inputs:
        if given is None:
            continue
        p = Path(given)
        if p.is_dir():
            try:
                files.extend(f for f, _ in expand([p]))
            except Exception:  # an empty folder is reported by the loader itself
                pass
        elif p.exists():
            files.append(p)
    seen: list[tuple[str, Path]] = []
    for option, out in outputs:
        if out is None:
            continue
        out = Path(out)
        for f in files:
            if _same(out, f):
                raise OverwritesInput(
                    f"{option} {out} : c’est un des fichiers d’entrée ({f}), il serait écrasé. "
                    "Donnez un autre nom de fichier de sortie."
                )
        for other_option, other in seen:
            if _same(out, other):
                raise OverwritesInput(
                    f"{option} et {other_option} désignent le même fichier ({out}) : donnez-leur des noms différents."
                )
        seen.append((option, out))
