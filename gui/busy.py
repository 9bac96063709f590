"""What the user is told when a write on the GUI thread finds the catalog or queue locked.

Another process (a ``repofolio worker``, an import from the command line) can hold
SQLite's write lock for longer than the busy timeout; the write then raises
"database is locked" (``peewee.OperationalError`` from the catalog, the plain
``sqlite3`` one from the queue). Slots catch :data:`BUSY_ERRORS` and show one line
instead of letting the exception escape into Qt's event loop.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Callable, TypeVar

import peewee

from core.errors import RepofolioError

log = logging.getLogger(__name__)

BUSY_ERRORS = (peewee.OperationalError, sqlite3.OperationalError)
T = TypeVar("T")
CATALOG_BUSY = ("The catalog is busy: another Repofolio process is writing to it. "
                "Try again in a moment.")


def attempt(action: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run a write the user asked for: ``(result, None)``, or ``(None, what to show)`` when
    it was refused (a RepofolioError: its message and suggestion) or the catalog was busy."""
    try:
        return action(), None
    except RepofolioError as error:
        return None, f"{error.message}\n{error.suggestion}"
    except BUSY_ERRORS as error:
        return None, catalog_busy(error)


def catalog_busy(error: Exception) -> str:
    """Log the database's own words and return the line to show."""
    log.warning("Catalog write refused: %s", error)
    return CATALOG_BUSY
