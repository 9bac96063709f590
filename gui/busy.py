"""Running a write the user asked for, and what they are told when it is refused.

Writes never run on the GUI thread: while imports run, workers hold SQLite's write
lock many times a second, and a write that waits for it (up to the busy timeout)
froze the window. :func:`attempt_later` runs one on the window's writer (a
:class:`~gui.background.BackgroundRunner` of one thread: writes in the order asked)
and calls back on the GUI thread. Another process can hold the lock for longer than
the busy timeout; the write then raises "database is locked"
(``peewee.OperationalError`` from the catalog, the plain ``sqlite3`` one from the
queue): one line is shown, never an exception in Qt's event loop.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Callable, TypeVar

import peewee

from core.errors import RepofolioError

if TYPE_CHECKING:
    from gui.background import BackgroundRunner

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
    except (RepofolioError, *BUSY_ERRORS) as error:
        return None, refusal_text(error)


def refusal_text(error: Exception) -> str | None:
    """What to show for a refusal: a RepofolioError's message and suggestion, or the line
    for a busy catalog; None for any other error (the caller says it failed)."""
    if isinstance(error, RepofolioError):
        return f"{error.message}\n{error.suggestion}"
    if isinstance(error, BUSY_ERRORS):
        return catalog_busy(error)
    return None


def attempt_later(writer: BackgroundRunner | None, action: Callable[[], T],
                  on_done: Callable[[T], None], on_refused: Callable[[str], None]) -> None:
    """:func:`attempt` on ``writer``'s thread; ``on_done(result)`` or ``on_refused(text)``
    follows on the GUI thread. Without a writer (a widget tried on its own) it runs here."""
    def finish(outcome: tuple[T | None, str | None]) -> None:
        result, refusal = outcome
        if refusal is None:
            on_done(result)
        else:
            on_refused(refusal)

    if writer is None:
        finish(attempt(action))
        return
    writer.run(lambda: attempt(action), finish,
               lambda error: on_refused(f"The change failed ({type(error).__name__})."))


def catalog_busy(error: Exception) -> str:
    """Log the database's own words and return the line to show."""
    log.warning("Catalog write refused: %s", error)
    return CATALOG_BUSY
