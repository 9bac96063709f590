"""Asserting that nothing more arrives on the GUI thread, without waiting for it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal


class _Probe(QObject):
    ping = Signal()


def deliver_queued(qtbot) -> None:
    """Return once the GUI thread has run every queued call posted before this one.

    Queued signal deliveries are events in the GUI thread's queue, run in order: a
    probe posted now runs after all of them. So "nothing arrived" can be asserted
    without waiting some time for a delivery that might still come.
    """
    probe, done = _Probe(), []
    probe.ping.connect(lambda: done.append(True), Qt.ConnectionType.QueuedConnection)
    probe.ping.emit()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
