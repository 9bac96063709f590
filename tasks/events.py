"""In-process publication of progress events (the window's bridge subscribes here)."""

from __future__ import annotations

import logging
import threading
from typing import Callable

from core.progress import ProgressEvent

log = logging.getLogger(__name__)

Subscriber = Callable[[ProgressEvent], None]


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

    def publish(self, event: ProgressEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:  # one broken listener must not starve the others
                log.exception("Progress subscriber failed")
