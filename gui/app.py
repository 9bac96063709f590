"""Starting and stopping the window: QApplication, logging, settings, runtime, consumer.

``run_app()`` is what ``repofolio`` with no arguments runs. Quitting hides the
window at once and stops the consumer on a plain thread (a running import
stops at its next step and goes back to the queue), so the window never
freezes; the event loop ends when the consumer has stopped.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from core import storage
from core.db import close_thread_connection
from core.errors import RepofolioError, StorageError
from core.logs import LOG_FILE, setup_logging
from core.redaction import Redactions
from core.secrets import SecretStore
from core.settings import Settings
from gui.icons import app_icon
from gui.main_window import APP_NAME, ORGANIZATION, MainWindow, app_version
from resources import STYLE_PATH
from tasks.runtime import Runtime

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 30.0


class ConsumerShutdown(QObject):
    """Stops the runtime's consumer on a plain thread and says so on the GUI thread."""

    finished = Signal()

    def __init__(self, runtime: Runtime, parent: QObject | None = None):
        super().__init__(parent)
        self.runtime = runtime
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is not None:
            return
        self.thread = threading.Thread(target=self._stop, name="repofolio-shutdown", daemon=True)
        self.thread.start()

    def _stop(self) -> None:
        try:
            self.runtime.stop_consumer()
        except Exception:  # quitting must go on whatever the consumer did
            log.exception("Stopping the consumer failed")
        finally:
            close_thread_connection()
            self.finished.emit()  # queued to the GUI thread: this object lives there


def _application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(app_version())
    app.setDesktopFileName("repofolio")
    app.setWindowIcon(app_icon())
    if STYLE_PATH.is_file():
        app.setStyleSheet(STYLE_PATH.read_text(encoding="utf-8"))
    return app


@contextmanager
def _quit_on_signals(window: MainWindow):
    """Ctrl-C or SIGTERM in a terminal quits like the menu does (nothing is lost), without
    the question the menu asks while imports run: the terminal has already decided.

    Python runs signal handlers only between bytecodes; a short timer lets it in
    while Qt's event loop waits."""
    previous = {sig: signal.signal(sig, lambda *_: window.request_quit(ask=False))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        yield
    finally:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_app(argv: list[str] | None = None) -> int:
    """Open the window and run until the user quits; returns the process exit code."""
    app = _application(sys.argv if argv is None else argv)
    try:
        settings = Settings.from_env()
    except RepofolioError as error:  # a bad environment variable: say it, in a window
        QMessageBox.critical(None, APP_NAME, f"{error.message}\n\n{error.suggestion}")
        return 2
    # One store for the process: every secret it reads or is given (in Settings, too)
    # is redacted from the log from that moment on.
    secrets = SecretStore(settings.home, Redactions(settings.secrets))
    try:
        setup_logging(settings.log_dir, secrets.redactions)
        log.info("Repofolio %s starting; data folder %s", app_version(), settings.home)
        runtime = Runtime(settings, secrets=secrets)
        runtime.use_secrets()
        runtime.start_consumer()
    except Exception as exc:  # an unreadable catalog, a data folder we cannot write…
        # The traceback goes to the log file when there is one, never to the terminal.
        log.error("Could not open the data folder %s: %r", settings.home, exc,
                  exc_info=bool(logging.getLogger().handlers))
        explained = exc if isinstance(exc, StorageError) else \
            storage.explain(exc, home=settings.home)
        if explained is not None:  # a full disk, a read-only folder, a damaged file
            QMessageBox.critical(None, APP_NAME, f"{explained.message}\n\n{explained.suggestion}")
            return 1
        QMessageBox.critical(None, APP_NAME, (
            f"Repofolio could not open its data folder {settings.home} "
            f"({type(exc).__name__}).\n\nCheck that the folder can be written to, or set "
            f"REPOFOLIO_HOME to another folder. Details are in "
            f"{settings.log_dir / LOG_FILE}."))
        return 1
    window = MainWindow(runtime, secrets)
    # With a tray the window may be hidden while imports run; quitting is explicit.
    app.setQuitOnLastWindowClosed(False)
    shutdown = ConsumerShutdown(runtime)
    shutdown.finished.connect(app.quit)
    window.quit_requested.connect(shutdown.start)
    window.show()
    with _quit_on_signals(window):
        code = app.exec()
    window.dispose()
    if shutdown.thread is not None:
        shutdown.thread.join(STOP_TIMEOUT_S)
    runtime.close()
    log.info("Repofolio stopped")
    return code
