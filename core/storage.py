"""Storage faults explained: a full disk, a read-only data folder, a damaged catalog or queue.

SQLite and the OS report these as "database or disk is full", "attempt to write a
readonly database", "file is not a database", ENOSPC, EROFS or EACCES — from deep
inside Peewee, Huey or the logging module. :func:`explain` turns such an exception
into a :class:`StorageError` with a code (``DISK_FULL``, ``STORAGE_READ_ONLY``,
``STORAGE_DAMAGED``), the file it concerns and what to do. Repofolio never deletes or
overwrites a damaged file to "fix" it: the user moves it aside, and may recover it.

Which file: the one the caller names (:func:`naming` around opening the catalog and
the queue), else the ``filename`` of an OSError, else the library the fault came
from (Huey: the queue; Peewee: the catalog), else the data folder.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import DISK_FULL, STORAGE_DAMAGED, STORAGE_READ_ONLY, StorageError

CATALOG_FILE, QUEUE_FILE = "repofolio.db", "queue.db"
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL_WORDS = ("database or disk is full", "disk is full", "no space left")
_READ_ONLY_WORDS = ("readonly database", "read-only", "unable to open database file")
_DAMAGED_WORDS = ("file is not a database", "malformed", "not a database", "file is encrypted")
_NEARLY_FULL = 1_000_000  # free bytes under which a "disk I/O error" means a full disk


def explain(exc: BaseException, *, home: Path, path: Path | None = None) -> StorageError | None:
    """The storage fault behind ``exc`` (or its causes) for the user, or None if none."""
    for error in _chain(exc):
        fault = _fault(error, home)
        if fault is not None:
            where = path or _path_of(error, exc, home)
            return _error(fault, where, home, error)
    return None


@contextmanager
def naming(path: Path, *, home: Path) -> Iterator[None]:
    """Explain a storage fault raised inside the block as one of ``path``."""
    try:
        yield
    except StorageError:
        raise
    except Exception as exc:
        error = explain(exc, home=home, path=path)
        if error is None:
            raise
        raise error from exc


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _is_database_error(error: BaseException) -> bool:
    # Peewee re-raises sqlite3's errors as its own classes of the same names.
    return isinstance(error, sqlite3.Error) or type(error).__module__ == "peewee"


def _fault(error: BaseException, home: Path) -> str | None:
    if isinstance(error, OSError) and not _is_database_error(error):
        if error.errno in _FULL_ERRNOS:
            return DISK_FULL
        if error.errno in _READ_ONLY_ERRNOS:
            return STORAGE_READ_ONLY
        return None
    if not _is_database_error(error):
        return None
    text = str(error).lower()
    if any(word in text for word in _FULL_WORDS):
        return DISK_FULL
    if any(word in text for word in _READ_ONLY_WORDS):
        return STORAGE_READ_ONLY
    if any(word in text for word in _DAMAGED_WORDS):
        return STORAGE_DAMAGED
    if "disk i/o error" in text and _free_bytes(home) < _NEARLY_FULL:
        return DISK_FULL  # SQLite reports a WAL that cannot grow this way
    return None


def _free_bytes(home: Path) -> int:
    for folder in (home, *home.parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return _NEARLY_FULL


def _path_of(error: BaseException, outer: BaseException, home: Path) -> Path:
    if isinstance(error, OSError) and error.filename:
        return Path(error.filename)
    found = home
    for exc in _chain(outer):
        tb = exc.__traceback__
        while tb is not None:  # the innermost library frame decides
            source = tb.tb_frame.f_code.co_filename.replace("\\", "/")
            if "/huey/" in source:
                found = home / QUEUE_FILE
            elif source.endswith("/peewee.py") or "/playhouse/" in source:
                found = home / CATALOG_FILE
            tb = tb.tb_next
    return found


_SAID = {  # code -> (message, suggestion), with {path} and {home}
    DISK_FULL: ("The disk holding {path} is full: Repofolio could not write to it.",
                "Free some space on that disk (the data folder is {home}), then try again."),
    STORAGE_READ_ONLY: ("Repofolio cannot write {path}: the folder is read-only or not yours.",
                        "Make {home} writable, or set REPOFOLIO_HOME to a folder you can "
                        "write to."),
}


def _error(fault: str, path: Path, home: Path, cause: BaseException) -> StorageError:
    if fault in _SAID:
        message, suggestion = _SAID[fault]
        return StorageError(message.format(path=path, home=home), code=fault, path=str(path),
                            suggestion=suggestion.format(path=path, home=home))
    reason = " ".join(str(cause).split())[:120]
    name = path.name
    if name == CATALOG_FILE:
        after = ("Repofolio then starts with a new, empty catalog; keep the old file, "
                 f"`sqlite3 {name} .recover` may save its projects.")
    elif name == QUEUE_FILE:
        after = ("Repofolio then starts a new queue and queues the waiting imports again "
                 "from the catalog.")
    else:
        after = "Repofolio then creates it anew."
    return StorageError(
        f"{path} is damaged and cannot be read ({reason}).",
        code=STORAGE_DAMAGED, path=str(path),
        suggestion=f"Quit Repofolio, move the file aside (for example rename it to "
                   f"{name}.damaged) and start again. {after}")
