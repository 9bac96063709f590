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

import peewee

log = logging.getLogger(__name__)

BUSY_ERRORS = (peewee.OperationalError, sqlite3.OperationalError)
CATALOG_BUSY = ("The catalog is busy: another Repofolio process is writing to it. "
                "Try again in a moment.")


def catalog_busy(error: Exception) -> str:
    """Log the database's own words and return the line to show."""
    log.warning("Catalog write refused: %s", error)
    return CATALOG_BUSY
