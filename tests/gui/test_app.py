"""Starting and quitting the app: the consumer stops off the GUI thread, then the loop ends."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from core import recovery
from gui.app import ConsumerShutdown, run_app


def test_consumer_stops_on_another_thread(qtbot, runtime):
    runtime.start_consumer(1)
    stopped_in = []
    original = runtime.stop_consumer

    def stop_consumer():
        stopped_in.append(threading.current_thread())
        original()

    runtime.stop_consumer = stop_consumer
    shutdown = ConsumerShutdown(runtime)
    with qtbot.waitSignal(shutdown.finished, timeout=15000):
        shutdown.start()  # returns at once; the GUI thread keeps running
    assert stopped_in and stopped_in[0] is not threading.main_thread()
    assert runtime.consumer is None


def test_run_app_opens_the_window_and_quits_cleanly(qtbot, monkeypatch, fake_github, tmp_path):
    from PySide6.QtWidgets import QSystemTrayIcon
    from gui.main_window import MainWindow
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    monkeypatch.setenv("REPOFOLIO_GITHUB_API", fake_github.url)
    monkeypatch.setenv("REPOFOLIO_ANALYZER", "heuristic")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_thisIsASecretToken123")
    app = QApplication.instance()
    seen = []

    def quit_from_the_window():
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(windows)
        windows[0].state.clear()  # do not leave remembered state behind
        windows[0].quit_action.trigger()

    QTimer.singleShot(200, quit_from_the_window)
    try:
        assert run_app([]) == 0
    finally:
        app.setQuitOnLastWindowClosed(True)
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_repofolio", False):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert len(seen) == 1 and not seen[0].isVisible()
    assert recovery.live_consumers(stale_after=60) == []
    log_text = (tmp_path / "home" / "logs" / "repofolio.log").read_text()
    assert "Repofolio stopped" in log_text and "ghp_thisIsASecretToken123" not in log_text


def _without_repofolio_log_handlers():
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_repofolio", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_ctrl_c_in_the_terminal_quits_like_the_menu(qtbot, monkeypatch, fake_github):
    import os
    import signal
    from PySide6.QtWidgets import QSystemTrayIcon
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    monkeypatch.setenv("REPOFOLIO_GITHUB_API", fake_github.url)
    before = signal.getsignal(signal.SIGINT)
    QTimer.singleShot(300, lambda: os.kill(os.getpid(), signal.SIGINT))
    try:
        assert run_app([]) == 0
    finally:
        QApplication.instance().setQuitOnLastWindowClosed(True)
        _without_repofolio_log_handlers()
    assert signal.getsignal(signal.SIGINT) is before  # the handler is put back
    assert recovery.live_consumers(stale_after=60) == []


def test_an_unusable_data_folder_is_explained_in_a_window(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda parent, title, text: shown.append(text)))
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("REPOFOLIO_HOME", str(not_a_folder))
    try:
        assert run_app([]) == 1
    finally:
        _without_repofolio_log_handlers()
    assert len(shown) == 1 and "REPOFOLIO_HOME" in shown[0]


def test_a_damaged_catalog_is_named_in_a_window_and_left_alone(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(
        lambda parent, title, text: shown.append(text)))
    home = tmp_path / "home"
    home.mkdir()
    garbage = b"not a catalog " * 100
    (home / "repofolio.db").write_bytes(garbage)
    monkeypatch.setenv("REPOFOLIO_HOME", str(home))
    try:
        assert run_app([]) == 1
    finally:
        _without_repofolio_log_handlers()
    assert len(shown) == 1
    assert str(home / "repofolio.db") in shown[0] and "move the file aside" in shown[0]
    assert (home / "repofolio.db").read_bytes() == garbage
