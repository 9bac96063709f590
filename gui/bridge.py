"""The one way worker threads talk to the window: progress events become queued Qt signals.

``tasks.events.EventBus`` calls subscribers in the thread that publishes
(mostly a consumer worker). :class:`ProgressBridge` only re-emits the event;
an internal queued connection hands it to the GUI thread, and only there is the
public ``progressed`` signal emitted. So every slot, lambdas included, runs on
the GUI thread, and no worker ever touches a widget.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot

from core.models import FINAL_STATUSES
from core.progress import ProgressEvent
from tasks.events import EventBus

log = logging.getLogger(__name__)


class ProgressBridge(QObject):
    """Subscribes to the runtime's event bus and re-emits each event on the GUI thread."""

    progressed = Signal(object)  # ProgressEvent, every one
    job_finished = Signal(object)  # ProgressEvent whose status is final
    _arrived = Signal(object)  # emitted in any thread; delivered queued to the GUI thread

    def __init__(self, events: EventBus, parent: QObject | None = None):
        super().__init__(parent)
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = events.subscribe(self._publish)

    def _publish(self, event: ProgressEvent) -> None:
        """Runs in the publishing thread: hand over, nothing else."""
        try:
            self._arrived.emit(event)
        except RuntimeError:  # the bridge was deleted while a worker was still reporting
            log.debug("Progress event for job %s arrived after the window closed", event.job_id)

    @Slot(object)
    def _deliver(self, event: ProgressEvent) -> None:
        self.progressed.emit(event)
        if event.status in FINAL_STATUSES:
            self.job_finished.emit(event)

    def close(self) -> None:
        """Stop listening (the window is going away)."""
        self._unsubscribe()
