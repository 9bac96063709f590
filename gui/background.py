"""The one sanctioned way to run blocking work off the GUI thread.

``BackgroundRunner.run(work, on_done, on_error)`` runs ``work()`` on a pool
thread and calls ``on_done(result)`` or ``on_error(exception)`` back on the GUI
thread. The work must not touch widgets.

Results travel through one dispatcher QObject that lives as long as the
application, never through a per-call QObject: a QObject created for one call
and deleted when it answers raced with the pool thread that still held it,
and crashed the process now and then. A callback whose widget has been
deleted meanwhile is skipped.
"""

from __future__ import annotations

import itertools
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from core.db import close_thread_connection

log = logging.getLogger(__name__)

Callback = Callable[[Any], None] | None


class _Dispatcher(QObject):
    """Application-lifetime receiver: pool threads emit, the GUI thread calls back."""

    delivered = Signal(int, bool, object)  # ticket, succeeded, result or exception

    def __init__(self, app: QCoreApplication):
        super().__init__(app)
        self._callbacks: dict[int, tuple[Callback, Callback]] = {}
        self._tickets = itertools.count(1)
        self._lock = threading.Lock()
        self.delivered.connect(self._deliver)

    def register(self, on_done: Callback, on_error: Callback) -> int:
        with self._lock:
            ticket = next(self._tickets)
            self._callbacks[ticket] = (on_done, on_error)
        return ticket

    def forget(self, tickets: set[int]) -> None:
        with self._lock:
            for ticket in tickets:
                self._callbacks.pop(ticket, None)

    @Slot(int, bool, object)
    def _deliver(self, ticket: int, ok: bool, value: Any) -> None:
        with self._lock:
            callbacks = self._callbacks.pop(ticket, None)
        if callbacks is None:
            return
        callback = callbacks[0] if ok else callbacks[1]
        if callback is None:
            return
        try:
            callback(value)
        except RuntimeError as exc:  # "Internal C++ object already deleted": nobody to tell
            log.debug("Background result dropped: %s", exc)


def _dispatcher() -> _Dispatcher:
    app = QCoreApplication.instance()
    dispatcher = getattr(app, "_repofolio_dispatcher", None)
    if dispatcher is None:
        dispatcher = _Dispatcher(app)
        app._repofolio_dispatcher = dispatcher
    return dispatcher


class BackgroundRunner(QObject):
    """A small private thread pool whose results come back as GUI-thread callbacks."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2):
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_threads, thread_name_prefix="repofolio-gui")
        self._dispatcher = _dispatcher()
        self._pending: set[int] = set()

    def run(self, work: Callable[[], Any], on_done: Callback = None,
            on_error: Callback = None) -> None:
        pending = self._pending

        def finishing(callback: Callback) -> Callable[[Any], None]:
            def deliver(value: Any) -> None:
                pending.discard(ticket)
                if callback is not None:
                    callback(value)
            return deliver

        ticket = self._dispatcher.register(finishing(on_done), finishing(on_error))
        pending.add(ticket)
        self._pool.submit(self._work, work, ticket, self._dispatcher.delivered)

    @staticmethod
    def _work(work: Callable[[], Any], ticket: int, delivered) -> None:
        try:
            result = work()
        except Exception as exc:  # delivered to on_error; the pool thread must survive
            log.info("Background work failed: %s", type(exc).__name__)
            delivered.emit(ticket, False, exc)
        else:
            delivered.emit(ticket, True, result)
        finally:
            close_thread_connection()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, *, cancel: bool = True) -> bool:
        """Stop taking work and wait for what runs (used when the window closes); nothing
        is called back any more.

        ``cancel``: drop the work still queued (reads nobody will show); False runs it
        first (writes, which must not be lost at quit). Running work ends within its
        own timeouts (every HTTP call has one)."""
        self._dispatcher.forget(set(self._pending))
        self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=cancel)
        return True
