"""The main window: project browser and details in the middle, jobs dock, menus, tray, status.

It wires the pieces together and owns the user's intents that span them
(import, open a project, quit, the news of imports that ended); what is done to
one project is :class:`gui.project_commands.ProjectCommands`. Work that blocks runs
through :class:`gui.background.BackgroundRunner`; progress arrives through
:class:`gui.bridge.ProgressBridge`.
"""

from __future__ import annotations

import logging
from importlib import metadata

from PySide6.QtCore import QEvent, QPoint, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from core import changes
from core.changes import PROJECTS
from core.models import BATCH, IMPORT, SUCCESS
from core.progress import ProgressEvent
from core.secrets import SecretStore
from gui.background import BackgroundRunner
from gui.bridge import ProgressBridge
from gui.empty_state import EmptyState
from gui.icons import app_icon, refresh_icons
from gui.job_model import event_of
from gui.jobs_panel import JobsPanel
from gui.project_browser import CARDS, ProjectBrowser
from gui.project_commands import ProjectCommands
from gui.project_details import ProjectDetails
from gui.quit_question import open_quit_question
from gui.status_bar import AppStatusBar, NewsBanner
from gui.tray import AppTray, ImportNews, batch_news, news_of
from gui.window_menus import WindowMenus
from tasks.runtime import Runtime
from tasks.watcher import CatalogChanged

log = logging.getLogger(__name__)

APP_NAME, ORGANIZATION = "Repofolio", "Repofolio"
MAX_CLIPBOARD_CHARS = 500
DEFAULT_SIZE = QSize(1180, 760)


def default_geometry(available: QRect) -> QRect:
    """The first start's window: the size the layout was made for, or less on a small screen
    (1366 x 768 less a panel; the window frame adds its title bar), centred."""
    size = DEFAULT_SIZE.boundedTo(QSize(int(available.width() * 0.94),
                                        int(available.height() * 0.88)))
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(available.center())
    return rect


def app_version() -> str:
    try:
        return metadata.version("repofolio")
    except metadata.PackageNotFoundError:
        return "0.1.0"


class MainWindow(QMainWindow):
    """Repofolio's window; ``quit_requested`` asks the application to stop cleanly."""

    quit_requested = Signal()
    settings_changed = Signal()  # the settings dialog was accepted (new token or key)

    def __init__(self, runtime: Runtime, secrets: SecretStore, *, profile: str = "default",
                 state: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.runtime, self.secrets, self.profile = runtime, secrets, profile
        self.state = state if state is not None else QSettings(ORGANIZATION, APP_NAME)
        self._quitting = False
        # Where the catalog stands before the panes first read it: the watcher, started
        # last, reports whatever is written in between (a terminal's submit, say).
        seen = changes.current(runtime.database)
        self._announced: set[tuple[int, str | None]] = set()  # (job id, finished_at) told
        self.import_dialog = None  # the open one, so a second request raises it
        self.owner_dialog = None
        self.settings_dialog = None
        self.publish_dialog = None
        self.shortcuts_dialog = None  # Help's windows (gui.window_menus opens them)
        self.log_window = None
        self.quit_question: QMessageBox | None = None
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.runner = BackgroundRunner(self)  # reads that grow with the catalog
        # Every catalog write the user asks for, one at a time and in order: on the GUI
        # thread a write waited for the workers' lock and froze the window.
        self.writer = BackgroundRunner(self, max_threads=1)
        self.bridge = ProgressBridge(runtime.events, self)

        self.banner = NewsBanner()
        self.browser = ProjectBrowser(runner=self.runner)
        self.details = ProjectDetails(runner=self.runner, writer=self.writer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("browser-details-splitter")
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.jobs_panel = JobsPanel(runtime, self, runner=self.runner, writer=self.writer)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_panel)
        self.jobs_panel.table.setAccessibleName("Jobs")
        self.jobs_empty = EmptyState(
            self.jobs_panel.table, title="No imports yet",
            text="Imports you start are listed here with their progress; you can keep "
                 "working meanwhile.",
            button_text="&Import a repository…", button_icon="import",
            on_button=self.open_import_dialog)
        self.status = AppStatusBar(runtime, self.runner, self)
        self.setStatusBar(self.status)
        self.tray = AppTray(self) if AppTray.available() else None
        self.projects = ProjectCommands(self, runtime, self.browser, self.details,
                                        reveal_job=self.jobs_panel.reveal_job,
                                        notify=self._notice, writer=self.writer)

        self.menus = WindowMenus(self)
        self._connect()
        self.restore_state()
        self.status.refresh_quota()
        runtime.watch_catalog(since=seen)

    # -- construction ---------------------------------------------------------------------

    def _connect(self) -> None:
        self.bridge.progressed.connect(self.jobs_panel.apply_event)
        # A job the dock adds or changes (an event, a retry, a cancel, a submit) is counted
        # at once: every progress event carries its job and lands on a row here.
        jobs_model = self.jobs_panel.model
        jobs_model.rowsInserted.connect(self.status.refresh_counts)
        jobs_model.dataChanged.connect(
            lambda _first, _last, roles=(): roles or self.status.refresh_counts())
        self.banner.follow(jobs_model)  # its news goes stale when the job runs again
        self.bridge.job_finished.connect(self.on_job_finished)
        self.bridge.catalog_changed.connect(self.on_catalog_changed)
        # Jobs that another process (a worker, the command line) ran end without events
        # here; the catalog watcher says the jobs changed, and the dock sees them end.
        self.jobs_panel.model.job_ended.connect(lambda job: self.on_job_finished(event_of(job)))
        self.browser.project_selected.connect(self.details.show_project)
        self.browser.key_action.connect(self.projects.key_pressed)
        self.browser.import_requested.connect(self.open_import_dialog)
        self.browser.context_menu_requested.connect(self.projects.context_menu)
        self.browser.view_changed.connect(lambda mode: self.state.setValue("browser/view", mode))
        self.details.delete_requested.connect(self.projects.delete)
        self.details.refresh_requested.connect(self.projects.refresh)
        self.details.project_changed.connect(lambda _id: self.browser.reload())
        self.details.project_changed.connect(lambda _id: self.menus.sync_project())
        self.details.notice.connect(self._notice)
        self.jobs_panel.open_project_requested.connect(self.open_project)
        self.jobs_panel.notice.connect(self._notice)
        self.banner.open_requested.connect(self.open_news)
        if self.tray is not None:
            self.tray.show_requested.connect(self.show_and_raise)
            self.tray.import_requested.connect(self.open_import_dialog)
            self.tray.quit_requested.connect(self.request_quit)
            self.tray.news_clicked.connect(self.open_news)

    # -- imports and their news -----------------------------------------------------------

    def _notice(self, text: str) -> None:
        self.status.showMessage(text, 8000)

    def on_job_finished(self, event: ProgressEvent) -> None:
        """A job ended, here (a bridge event) or elsewhere (the catalog watcher): say it
        once, from the job the event carries (no read of the catalog).

        Both paths may report the same end; a retried job runs again from a new
        ``started_at``, and its end is told again."""
        job = event.job or self.jobs_panel.model.job_of(event.job_id) or {}
        if event.parent_id is not None:
            job = {**job, "_parent": event.parent_id}
        ended = (event.job_id, job.get("started_at"))
        if ended in self._announced:
            return
        self._announced.add(ended)
        if event.status == SUCCESS:
            self.browser.reload_later(catalog_changed=True)
            self.details.refresh_if_changed()
        if job.get("kind") == BATCH:
            news = batch_news(job)
        else:
            news = news_of(event, job.get("repo", ""), kind=job.get("kind") or IMPORT)
            if news is not None and job.get("_parent"):  # a batch's item: its batch tells
                self.status.showMessage(news.title, 10000)
                news = None
        if news is not None:
            self.show_news(news)
        self.status.refresh_quota()

    def on_catalog_changed(self, change: CatalogChanged) -> None:
        """Anyone wrote the catalog (a terminal, a worker, this window): show what is there.

        A change this window has already read back (its own delete, an import it
        announced) carries the counter the browser last read, and costs nothing."""
        if change.projects and change.counters.get(PROJECTS) != self.browser.catalog_version:
            self.browser.reload_later(catalog_changed=True, then=self.menus.sync_project)
            self.details.refresh_if_changed()
        if change.jobs:
            news = self.banner.news  # retried from a terminal, its news would be stale
            self.jobs_panel.refresh(also=(news.job_id,) if news is not None else ())
            self.status.refresh_counts()

    def show_news(self, news: ImportNews) -> None:
        """The tray tells it when there is one; the window always keeps a line of it."""
        self.status.showMessage(news.title, 10000)
        if self.tray is not None:
            self.tray.notify(news)
        else:
            self.banner.show_news(news)

    def open_news(self, news: ImportNews) -> None:
        self.show_and_raise()
        self.banner.hide()
        if news.project_id and self.open_project(news.project_id):
            return
        self.jobs_panel.reveal_job(news.job_id)

    def open_import_dialog(self) -> None:
        from gui.import_dialog import ImportDialog  # the dialog loads only when it is used

        self.show_and_raise()
        if self._raise_open("import_dialog"):
            return
        clipboard = QGuiApplication.clipboard().text()[:MAX_CLIPBOARD_CHARS] or None
        dialog = ImportDialog(self.runtime, profile=self.profile, clipboard_text=clipboard,
                              parent=self, writer=self.writer)
        dialog.submitted.connect(self.jobs_panel.reveal_job)
        dialog.submitted.connect(lambda _job_id: self.status.refresh_counts())
        dialog.open_project_requested.connect(self.open_project)
        dialog.owner_requested.connect(self.open_owner_dialog)
        self._open_dialog("import_dialog", dialog)

    def open_owner_dialog(self, owner: str) -> None:
        """The checklist of an owner's repositories (listed off the GUI thread)."""
        from gui.owner_dialog import OwnerImportDialog

        self.show_and_raise()
        if self._raise_open("owner_dialog"):
            return
        dialog = OwnerImportDialog(self.runtime, owner, profile=self.profile, parent=self,
                                   writer=self.writer)
        dialog.submitted.connect(self.jobs_panel.reveal_job)
        self._open_dialog("owner_dialog", dialog)

    def open_settings_dialog(self) -> None:
        from gui.settings_dialog import SettingsDialog

        self.show_and_raise()
        if self._raise_open("settings_dialog"):
            return
        dialog = SettingsDialog(self.runtime, self.secrets, profile=self.profile, parent=self)
        # "applied", not "accepted": the dialog may stay open to say the keyring refused.
        dialog.applied.connect(self.status.refresh_quota)
        dialog.applied.connect(self.settings_changed.emit)
        self._open_dialog("settings_dialog", dialog)

    def open_publish_dialog(self) -> None:
        from gui.publish_dialog import PublishDialog

        self.show_and_raise()
        if self._raise_open("publish_dialog"):
            return
        dialog = PublishDialog(profile=self.profile, state=self.state, runner=self.runner,
                               parent=self)
        dialog.published.connect(lambda result: self._notice(
            f"Published {result.projects} projects to {result.out}."))
        self._open_dialog("publish_dialog", dialog)

    def _raise_open(self, name: str) -> bool:
        """Bring the dialog kept as ``name`` to the front; False if none is open."""
        dialog = getattr(self, name)
        if dialog is None or not dialog.isVisible():
            return False
        dialog.raise_()
        dialog.activateWindow()
        return True

    def _open_dialog(self, name: str, dialog: QDialog) -> None:
        """Keep ``dialog`` as ``name`` while it is open (the tray may ask for it again)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, name, None))
        setattr(self, name, dialog)
        dialog.open()

    # -- projects -------------------------------------------------------------------------

    def open_project(self, project_id: int) -> bool:
        """Reveal a project in the browser and its details; False if it no longer exists."""
        self.show_and_raise()
        if not self.browser.select_project(project_id):
            self.status.showMessage("That project is no longer in the catalog.", 8000)
            return False
        self.details.show_project(project_id)
        return True

    # -- help -----------------------------------------------------------------------------

    def show_about(self) -> None:
        QMessageBox.about(self, "About Repofolio",
                          f"Repofolio {app_version()}\n\nTurns GitHub repositories into a local, "
                          f"searchable portfolio.\n\nData folder: {self.runtime.settings.home}")

    # -- window life ----------------------------------------------------------------------

    def show_and_raise(self) -> None:
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()

    def restore_state(self) -> None:
        geometry = self.state.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.setGeometry(default_geometry(self.screen().availableGeometry()))
        layout = self.state.value("window/state")
        if layout is None or not self.restoreState(layout):
            self.resizeDocks([self.jobs_panel], [170], Qt.Orientation.Vertical)
        splitter = self.state.value("window/splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([680, 500])
        self.browser.set_view(str(self.state.value("browser/view", CARDS)))

    def save_state(self) -> None:
        self.state.setValue("window/geometry", self.saveGeometry())
        self.state.setValue("window/state", self.saveState())
        self.state.setValue("window/splitter", self.splitter.saveState())
        self.state.setValue("browser/view", self.browser.view_mode)
        self.state.sync()

    def request_quit(self, *, ask: bool = True) -> None:
        """Quit for real (menu, Ctrl+Q, tray): remember the layout and ask the app to stop.

        With imports unfinished, ``ask`` first says what happens to them (they stop and
        resume at the next start) and quits only if the user still wants to."""
        if self._quitting or (ask and self._ask_before_quitting()):
            return
        self._quitting = True
        self.save_state()
        self.hide()
        if self.tray is not None:
            self.tray.hide()
        self.quit_requested.emit()

    def _ask_before_quitting(self) -> bool:
        """Open the question if imports are unfinished; True if it is open now."""
        if self.quit_question is not None:
            self.quit_question.raise_()
            return True
        unfinished = sum(self.runtime.queue.counts().values())
        if not unfinished:
            return False
        self.show_and_raise()
        self.quit_question = open_quit_question(self, unfinished,
                                                lambda: self.request_quit(ask=False))
        self.quit_question.finished.connect(lambda _result: setattr(self, "quit_question", None))
        return True

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.tray is not None and not self._quitting:
            # Imports go on in the background; the tray brings the window back. Dialogs
            # would stay on screen without their window: close them as Cancel would.
            self.save_state()
            for dialog in self.findChildren(QDialog):
                if dialog.isVisible():
                    dialog.reject()
            self.hide()
            event.ignore()
            self.status.showMessage("Repofolio keeps running in the tray.", 5000)
            return
        if not self._quitting and self._ask_before_quitting():
            event.ignore()
            return
        event.accept()
        self.request_quit(ask=False)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the system went light or dark
            refresh_icons(self)

    def dispose(self) -> None:
        """Stop listening and wait for background work (before the runtime closes)."""
        self.bridge.close()
        self.jobs_panel.stop()
        self.writer.wait(cancel=False)  # a write still queued (a showcase tick) is done
        self.runner.wait()
        if self.owner_dialog is not None:  # its listing reads the catalog about to close
            self.owner_dialog.runner.wait()
        if self.tray is not None:
            self.tray.hide()
