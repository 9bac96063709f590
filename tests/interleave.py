"""Two writers of the catalog in a chosen order, without timing anything.

:func:`commit_while_it_reads` runs ``other`` on a thread of its own while this thread
holds the catalog's write lock with ``first``'s writes not yet committed. ``other``
reads what was committed before; the commit lands at the moment ``other`` starts to
write (SQLite's statement trace says when: a ``BEGIN`` or a write statement). Code
that reads outside its write transaction then writes back what it read before the
commit; code that reads inside it sees the commit.
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

from core.models import database

T = TypeVar("T")
_WRITES = ("BEGIN", "UPDATE", "INSERT", "DELETE", "REPLACE")


def commit_while_it_reads(first: Callable[[], None], other: Callable[[], T],
                          timeout: float = 20.0) -> T:
    """``first()`` in a write transaction of this thread, committed once ``other()`` (on
    another thread) starts to write; returns what ``other`` returned."""
    writing = threading.Event()
    results: list[T] = []
    failures: list[BaseException] = []

    def run() -> None:
        connection = database.connection()
        connection.set_trace_callback(
            lambda sql: writing.set() if sql.lstrip().upper().startswith(_WRITES) else None)
        try:
            results.append(other())
        except BaseException as exc:  # reported in the test's thread below
            failures.append(exc)
        finally:
            connection.set_trace_callback(None)
            database.close()

    thread = threading.Thread(target=run, name="interleaved-writer")
    with database.atomic("IMMEDIATE"):
        first()
        thread.start()
        if not writing.wait(timeout):
            raise AssertionError("the other writer never started to write")
    thread.join(timeout)
    assert not thread.is_alive(), "the other writer did not finish"
    if failures:
        raise failures[0]
    return results[0] if results else None  # type: ignore[return-value]
