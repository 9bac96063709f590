"""The one way worker threads talk to the window: events become queued Qt signals.

``tasks.events.EventBus`` calls subscribers in the thread that publishes
(a consumer worker, or the catalog watcher). :class:`ProgressBridge` only re-emits the event;
an internal queued connection hands it to the GUI thread, and only there is the
public ``progressed`` (or ``catalog_changed``) signal emitted. So every slot, lambdas included, runs on
the GUI thread, and no worker ever touches a widget.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot

from core.models import FINAL_STATUSES
from core.progress import ProgressEvent
from tasks.events import EventBus
from tasks.watcher import CatalogChanged

log = logging.getLogger(__name__)


class ProgressBridge(QObject):
    """Subscribes to the runtime's event bus and re-emits each event on the GUI thread."""

    progressed = Signal(object)  # ProgressEvent, every one
    job_finished = Signal(object)  # ProgressEvent whose status is final
    catalog_changed = Signal(object)  # CatalogChanged: any process wrote projects or jobs
    _arrived = Signal(object)  # emitted in any thread; delivered queued to the GUI thread

    def __init__(self, events: EventBus, parent: QObject | None = None):
        super().__init__(parent)
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = events.subscribe(self._publish)

    def _publish(self, event: ProgressEvent | CatalogChanged) -> None:
        """Runs in the publishing thread: hand over, nothing else."""
        try:
            self._arrived.emit(event)
        except RuntimeError:  # the bridge was deleted while a worker was still reporting
            log.debug("%s arrived after the window closed", type(event).__name__)

    @Slot(object)
    def _deliver(self, event: ProgressEvent | CatalogChanged) -> None:
        if isinstance(event, CatalogChanged):
            self.catalog_changed.emit(event)
            return
        self.progressed.emit(event)
        if event.status in FINAL_STATUSES:
            self.job_finished.emit(event)

    def close(self) -> None:
        """Stop listening (the window is going away)."""
        self._unsubscribe()
