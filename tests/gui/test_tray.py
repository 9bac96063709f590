"""Import news: tray notifications when a tray exists; in the window otherwise."""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon

from core.progress import ProgressEvent
from core.errors import ErrorInfo
from core.models import Job
from gui.tray import news_of
from tests.gui.queued import deliver_queued
from tests.waiting import wait_until


def test_tray_notifies_success_and_click_opens_the_project(qtbot, tray_messages, runtime):
    window, shown = tray_messages
    assert window.tray.icon.isVisible()
    runtime.start_consumer(1)
    runtime.queue.submit("pallets/flask")
    qtbot.waitUntil(lambda: len(shown) > 0, timeout=20000)
    title, text, kind = shown[0]
    assert title == "Imported pallets/flask"
    assert kind == QSystemTrayIcon.MessageIcon.Information
    assert not window.banner.isVisible()  # the tray tells it
    window.tray.icon.messageClicked.emit()
    assert window.isVisible()
    assert window.details.project["full_name"] == "pallets/flask"
    assert window.browser.current_project_id() == window.details.project["id"]


def test_tray_notifies_failure_and_click_reveals_the_job(qtbot, tray_messages, runtime,
                                                         fake_github):
    window, shown = tray_messages
    fake_github.fail(r"^/repos/psf/requests$", 404)
    runtime.start_consumer(1)
    job = runtime.queue.submit("psf/requests")
    qtbot.waitUntil(lambda: len(shown) > 0, timeout=20000)
    title, text, kind = shown[0]
    assert title == "Import of psf/requests failed"
    assert kind == QSystemTrayIcon.MessageIcon.Warning
    window.tray.icon.messageClicked.emit()
    assert window.jobs_panel.selected_job()["id"] == job.id


def test_with_a_tray_closing_the_window_hides_it(qtbot, tray_messages):
    window, _ = tray_messages
    window.show()
    quits = []
    window.quit_requested.connect(lambda: quits.append(True))
    window.close()
    assert not window.isVisible() and quits == []
    window.tray.quit_requested.emit()  # the tray menu's Quit
    assert quits == [True]


def test_without_a_tray_news_shows_in_the_window(qtbot, window, runtime):
    assert window.tray is None
    window.show()
    runtime.start_consumer(1)
    runtime.queue.submit("encode/httpx")
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=20000)
    assert "Imported encode/httpx" in window.banner.text.text()
    assert window.statusBar().currentMessage() == "Imported encode/httpx"
    window.banner.open_button.click()
    assert window.details.project["full_name"] == "encode/httpx"
    assert not window.banner.isVisible()


def test_without_a_tray_closing_the_window_quits(qtbot, window):
    window.show()
    with qtbot.waitSignal(window.quit_requested, timeout=1000):
        window.close()
    assert not window.isVisible()


def test_news_of_events():
    assert news_of(ProgressEvent(1, "STARTED", "fetching", 5, "x")) is None
    failed = news_of(ProgressEvent(2, "FAILURE", "fetching", 5, "Gone",
                                   error=ErrorInfo("REPO_NOT_FOUND", "Gone.", "Check it.")), "a/b")
    assert (failed.title, failed.text, failed.succeeded) == ("Import of a/b failed",
                                                             "Gone. Check it.", False)
    done = news_of(ProgressEvent(3, "SUCCESS", "done", 100, "Imported a/b.", project_id=9), "a/b")
    assert done.succeeded and done.project_id == 9 and done.text == "It is now in your portfolio."


def _titles(window):
    model = window.browser.model
    return [model.project_at(r).title for r in range(model.rowCount())]


def test_a_job_another_process_ran_is_announced_once(qtbot, tray_messages, runtime, fake_github):
    """A `repofolio worker` or a CLI import on the same data folder sends this window no
    events; the jobs poll sees the job end, and the window tells it like its own."""
    window, shown = tray_messages
    job = runtime.queue.submit("pallets/flask")  # no consumer in this process
    qtbot.waitUntil(lambda: window.jobs_panel.model.row_of(job.id) >= 0, timeout=20000)
    quota_checks = fake_github.count("/rate_limit")
    # Run it as the other process would: straight through the importer, not the queue.
    assert runtime.importer.run(job.id).status == "SUCCESS"
    qtbot.waitUntil(lambda: len(shown) > 0, timeout=20000)
    assert shown[0][0] == "Imported pallets/flask"
    assert window.statusBar().currentMessage() == "Imported pallets/flask"
    # The browser reads its rows off the GUI thread: they may come just after the news.
    qtbot.waitUntil(lambda: _titles(window) == ["flask"], timeout=20000)
    qtbot.waitUntil(lambda: fake_github.count("/rate_limit") > quota_checks, timeout=20000)
    for _ in range(2):  # two more polls of the jobs panel: nothing more to say
        window.jobs_panel.model.refresh()
    deliver_queued(qtbot)
    assert len(shown) == 1


def test_a_job_run_here_is_announced_once(qtbot, tray_messages, runtime):
    """Its end arrives twice, through the poll and as an event: told once."""
    window, shown = tray_messages
    runtime.start_consumer(1)
    job = runtime.queue.submit("encode/httpx")
    # Without letting Qt run (so the end's event stays queued), wait for the end...
    wait_until(lambda: Job.get_by_id(job.id).status == "SUCCESS")
    window.jobs_panel.model.refresh()  # ...which the poll sees first and tells,
    assert [title for title, _, _ in shown] == ["Imported encode/httpx"]
    deliver_queued(qtbot)  # then the event arrives, and the next polls:
    window.jobs_panel.model.refresh()
    assert [title for title, _, _ in shown] == ["Imported encode/httpx"]


def test_a_retried_job_is_announced_again(qtbot, tray_messages, runtime, fake_github):
    window, shown = tray_messages
    fake_github.fail(r"^/repos/psf/requests$", 404, times=1)
    runtime.start_consumer(1)
    job = runtime.queue.submit("psf/requests")
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=20000)
    window.jobs_panel.perform(job.id, "retry")
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20000)
    assert [title for title, _, _ in shown] == ["Import of psf/requests failed",
                                                "Imported psf/requests"]
