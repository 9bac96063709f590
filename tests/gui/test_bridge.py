"""Progress events published in worker threads reach slots on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from core.progress import ProgressEvent
from gui.bridge import ProgressBridge
from tasks.events import EventBus
from tests.gui.queued import deliver_queued


def test_events_from_a_worker_thread_arrive_on_the_gui_thread(qtbot):
    bus = EventBus()
    bridge = ProgressBridge(bus)
    seen = []
    bridge.progressed.connect(lambda e: seen.append((e, QThread.currentThread())))
    event = ProgressEvent(1, "STARTED", "fetching", 5, "Fetching")
    with qtbot.waitSignal(bridge.progressed, timeout=2000):
        threading.Thread(target=bus.publish, args=(event,)).start()
    assert seen == [(event, QApplication.instance().thread())]
    bridge.close()


def test_final_events_are_also_job_finished(qtbot):
    bus = EventBus()
    bridge = ProgressBridge(bus)
    with qtbot.waitSignal(bridge.job_finished, timeout=2000,
                          check_params_cb=lambda e: e.status == "SUCCESS"):
        threading.Thread(target=bus.publish,
                         args=(ProgressEvent(1, "SUCCESS", "done", 100, "Imported", 4),)).start()
    bridge.close()
    after_close = []
    bridge.progressed.connect(after_close.append)
    bridge.job_finished.connect(after_close.append)
    worker = threading.Thread(target=bus.publish,
                              args=(ProgressEvent(1, "SUCCESS", "done", 100, "again", 4),))
    worker.start()
    worker.join()
    deliver_queued(qtbot)  # a queued delivery, were there one, has run by now
    assert after_close == []  # no longer subscribed: nothing reaches the GUI thread


def test_thousands_of_events_leave_the_interpreter_intact(qtbot):
    """A long day of imports emits many signals; PySide6 6.12.0 lost a ref to True per emit."""
    import gc
    import sys
    bus = EventBus()
    bridge = ProgressBridge(bus)
    received = []
    bridge.progressed.connect(received.append)
    gc.collect()  # earlier tests' garbage, freed mid-test, would lower the count by itself
    before = sys.getrefcount(True)
    for n in range(3000):
        bus.publish(ProgressEvent(1, "STARTED", "fetching", n % 100, "Fetching"))
    qtbot.waitUntil(lambda: len(received) == 3000, timeout=10_000)
    bridge.close()
    assert sys.getrefcount(True) >= before - 50
