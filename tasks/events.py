"""In-process publication of events (the window's bridge subscribes here).

Two kinds travel on it: :class:`core.progress.ProgressEvent` from the imports
this process runs, and :class:`tasks.watcher.CatalogChanged` when the catalog
was written by anyone (another process included).
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

log = logging.getLogger(__name__)

Subscriber = Callable[[Any], None]  # a ProgressEvent or a CatalogChanged


class EventBus:
    """Calls every subscriber, in the publishing thread, with each event."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)
        return unsubscribe

    def publish(self, event: Any) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:  # one broken listener must not starve the others
                log.exception("Progress subscriber failed")
