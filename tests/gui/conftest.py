"""Fixtures for window tests: a real runtime, remembered state in tmp, projects made quickly.

``window`` is the real MainWindow on the ``runtime`` fixture (temporary catalog,
fake GitHub). ``make_project`` (tests/conftest.py) inserts catalog rows directly;
``import_repo`` runs a real import through the queue and a real consumer.
``tray_messages`` records a tray's messages, ``answer`` answers confirmations,
``open_dialog`` opens the Settings dialog, and ``memory_keyring`` / ``locked_keyring`` /
``no_keyring`` install a keyring for one test.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QSystemTrayIcon

from core.secrets import SecretStore
from tests.fakes.keyring_backend import LockedKeyring, MemoryKeyring

_HERE = Path(__file__).parent

# Qt messages that say only "the offscreen platform cannot do this" (a popup menu grabs
# the keyboard; the last one: a tray icon shown where availability is patched in); any
# other warning fails.
OFFSCREEN_NOISE = (r"This plugin does not support raise\(\)",
                   r"This plugin does not support requestActivate\(\)",
                   r"This plugin does not support grabbing the keyboard",
                   r"No such signal QPlatformNativeInterface::systemTrayWindowChanged")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@pytest.fixture
def window_state(tmp_path):
    """Remembered window state in a temporary ini file (never the user's own)."""
    return QSettings(str(tmp_path / "window-state.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def secrets():
    return SecretStore()


@pytest.fixture
def no_tray(monkeypatch):
    from PySide6.QtWidgets import QSystemTrayIcon
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))


@pytest.fixture
def make_window(qtbot, runtime, secrets, window_state):
    """Builds MainWindows on the test's runtime and disposes of them before it closes."""
    from gui.main_window import MainWindow
    made = []

    def make(**kwargs):
        window = MainWindow(runtime, secrets, state=window_state, **kwargs)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.dispose()


@pytest.fixture
def window(make_window, no_tray):
    return make_window()


@pytest.fixture
def import_repo(runtime, qtbot):
    """Import a corpus repository for real (queue + consumer); returns the finished job."""
    from core.models import SUCCESS, Job

    def run(full_name: str, timeout: float = 20.0) -> Job:
        runtime.start_consumer(1)
        job = runtime.queue.submit(full_name)
        qtbot.waitUntil(lambda: Job.get_by_id(job.id).status in ("SUCCESS", "FAILURE",
                                                                 "CANCELLED"),
                        timeout=int(timeout * 1000))
        job = Job.get_by_id(job.id)
        assert job.status == SUCCESS, job.error_message
        return job

    return run


@pytest.fixture
def desktop_urls(monkeypatch):
    """``desktop_urls(opens=True)``: the URLs handed to the desktop are recorded, none is
    really opened, and the desktop answers ``opens`` (False: no application for it)."""
    from PySide6.QtGui import QDesktopServices

    def install(*, opens: bool = True) -> list[str]:
        asked: list[str] = []
        monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(
            lambda url: asked.append(url.toString()) is None and opens))
        return asked
    return install


@pytest.fixture
def opened_urls(desktop_urls):
    """URLs handed to the system browser (none is really opened)."""
    return desktop_urls()


@pytest.fixture
def tray_messages(monkeypatch, make_window):
    """A window with a tray; returns ``(window, shown)``, ``shown`` the tray's messages as
    ``(title, text, kind)``."""
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = make_window()
    shown = []
    # Record what reaches Qt's tray icon (the instance's method, not our logic).
    monkeypatch.setattr(window.tray.icon, "showMessage",
                        lambda title, text, kind, ms: shown.append((title, text, kind)))
    return window, shown


@pytest.fixture
def answer(monkeypatch):
    """Answer the next confirmation: ``answer(QMessageBox.StandardButton.Yes)``."""
    asked = []

    def set_answer(button):
        monkeypatch.setattr(QMessageBox, "question", staticmethod(
            lambda *args, **kwargs: asked.append(args[2]) or button))
        return asked
    return set_answer


def _installed(backend):
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring():
    yield from _installed(MemoryKeyring())


@pytest.fixture
def locked_keyring():
    yield from _installed(LockedKeyring())


@pytest.fixture
def no_keyring():
    yield from _installed(fail.Keyring())


@pytest.fixture
def open_dialog(qtbot, runtime):
    """Build a shown SettingsDialog on the test's runtime: ``open_dialog(secrets)``."""
    from gui.settings_dialog import SettingsDialog

    def make(secrets: SecretStore, **options) -> SettingsDialog:
        dialog = SettingsDialog(runtime, secrets, **options)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog
    return make
