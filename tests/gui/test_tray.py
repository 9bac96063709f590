"""Import news: tray notifications when a tray exists; in the window otherwise."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from core.progress import ProgressEvent
from core.errors import ErrorInfo
from gui.tray import news_of


@pytest.fixture
def tray_window(monkeypatch, make_window):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = make_window()
    shown = []
    # Record what reaches Qt's tray icon (the instance's method, not our logic).
    monkeypatch.setattr(window.tray.icon, "showMessage",
                        lambda title, text, kind, ms: shown.append((title, text, kind)))
    return window, shown


def test_tray_notifies_success_and_click_opens_the_project(qtbot, tray_window, runtime):
    window, shown = tray_window
    assert window.tray.icon.isVisible()
    runtime.start_consumer(1)
    job = runtime.queue.submit("pallets/flask")
    qtbot.waitUntil(lambda: len(shown) > 0, timeout=20000)
    title, text, kind = shown[0]
    assert title == "Imported pallets/flask"
    assert kind == QSystemTrayIcon.MessageIcon.Information
    assert not window.banner.isVisible()  # the tray tells it
    window.tray.icon.messageClicked.emit()
    assert window.isVisible()
    assert window.details.project["full_name"] == "pallets/flask"
    assert window.browser.current_project_id() == window.details.project["id"]
    del job


def test_tray_notifies_failure_and_click_reveals_the_job(qtbot, tray_window, runtime,
                                                         fake_github):
    window, shown = tray_window
    fake_github.fail(r"^/repos/psf/requests$", 404)
    runtime.start_consumer(1)
    job = runtime.queue.submit("psf/requests")
    qtbot.waitUntil(lambda: len(shown) > 0, timeout=20000)
    title, text, kind = shown[0]
    assert title == "Import of psf/requests failed"
    assert kind == QSystemTrayIcon.MessageIcon.Warning
    window.tray.icon.messageClicked.emit()
    assert window.jobs_panel.selected_job()["id"] == job.id


def test_with_a_tray_closing_the_window_hides_it(qtbot, tray_window):
    window, _ = tray_window
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
