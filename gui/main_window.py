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

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from core.logs import LOG_FILE
from core.models import BATCH, SUCCESS
from core.progress import ProgressEvent
from core.secrets import SecretStore
from gui.background import BackgroundRunner
from gui.bridge import ProgressBridge
from gui.icons import app_icon, icon
from gui.job_model import event_of
from gui.jobs_panel import JobsPanel
from gui.project_browser import ProjectBrowser
from gui.project_commands import ProjectCommands
from gui.project_details import ProjectDetails
from gui.status_bar import AppStatusBar, NewsBanner
from gui.tray import AppTray, ImportNews, batch_news, news_of
from tasks.runtime import Runtime

log = logging.getLogger(__name__)

APP_NAME, ORGANIZATION = "Repofolio", "Repofolio"
MAX_CLIPBOARD_CHARS = 500


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
        self._announced: set[tuple[int, str | None]] = set()  # (job id, finished_at) told
        self.import_dialog = None  # the open one, so a second request raises it
        self.owner_dialog = None
        self.settings_dialog = None
        self.publish_dialog = None
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.runner = BackgroundRunner(self)
        self.bridge = ProgressBridge(runtime.events, self)

        self.banner = NewsBanner()
        self.browser = ProjectBrowser()
        self.details = ProjectDetails()
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
        self.jobs_panel = JobsPanel(runtime, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_panel)
        self.status = AppStatusBar(runtime, self.runner, self)
        self.setStatusBar(self.status)
        self.tray = AppTray(self) if AppTray.available() else None
        self.projects = ProjectCommands(self, runtime, self.browser, self.details,
                                        reveal_job=self.jobs_panel.reveal_job,
                                        notify=self._notice)

        self._build_actions()
        self._build_menus_and_toolbar()
        self._connect()
        self.restore_state()
        self.status.refresh_quota()

    # -- construction ---------------------------------------------------------------------

    def _action(self, text: str, slot, *, icon_name: str = "", shortcut=None) -> QAction:
        action = QAction(icon(icon_name) if icon_name else QIcon(), text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.import_action = self._action("&Import…", self.open_import_dialog, icon_name="import",
                                          shortcut="Ctrl+I")
        self.settings_action = self._action("&Settings…", self.open_settings_dialog,
                                            icon_name="settings")
        self.publish_action = self._action("&Publish…", self.open_publish_dialog,
                                           icon_name="publish", shortcut="Ctrl+Shift+P")
        self.quit_action = self._action("&Quit", self.request_quit, icon_name="quit",
                                        shortcut="Ctrl+Q")
        self.find_action = self._action("&Find", self.browser.focus_search, icon_name="search",
                                        shortcut="Ctrl+F")
        self.about_action = self._action("&About Repofolio", self.show_about, icon_name="about")
        self.data_folder_action = self._action("Open &data folder", self.open_data_folder,
                                               icon_name="folder")
        self.log_action = self._action("Open &log", self.open_log, icon_name="log")

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.import_action, self.publish_action, self.settings_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        bar.addMenu("&Edit").addAction(self.find_action)
        view_menu = bar.addMenu("&View")
        jobs_toggle = self.jobs_panel.toggleViewAction()
        jobs_toggle.setIcon(icon("jobs"))
        jobs_toggle.setShortcut(QKeySequence("Ctrl+J"))
        view_menu.addAction(jobs_toggle)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.data_folder_action, self.log_action])
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.import_action, self.settings_action, jobs_toggle])

    def _connect(self) -> None:
        self.bridge.progressed.connect(self.jobs_panel.apply_event)
        self.bridge.progressed.connect(self.status.refresh_counts)
        self.bridge.job_finished.connect(self.on_job_finished)
        # Jobs that another process (a worker, the command line) ran end without events
        # here; the jobs poll sees them end.
        self.jobs_panel.model.job_ended.connect(lambda job: self.on_job_finished(event_of(job)))
        self.browser.project_selected.connect(self.details.show_project)
        self.browser.key_action.connect(self.projects.key_pressed)
        self.browser.import_requested.connect(self.open_import_dialog)
        self.browser.context_menu_requested.connect(self.projects.context_menu)
        self.details.delete_requested.connect(self.projects.delete)
        self.details.refresh_requested.connect(self.projects.refresh)
        self.details.project_changed.connect(lambda _id: self.browser.reload())
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
        """A job ended, here (a bridge event) or elsewhere (the jobs poll): say it once.

        Both paths may report the same end; a retried job ends again with a new
        ``finished_at``, and is told again."""
        job = self.jobs_panel.model.reread(event.job_id) or {}
        ended = (event.job_id, job.get("finished_at"))
        if ended in self._announced:
            return
        self._announced.add(ended)
        if event.status == SUCCESS:
            self.browser.reload(catalog_changed=True)
            if self.details.project:
                self.details.refresh()
        if job.get("kind") == BATCH:
            news = batch_news(job)
        else:
            news = news_of(event, job.get("repo", ""))
            if news is not None and job.get("_parent"):  # a batch's item: its batch tells
                self.status.showMessage(news.title, 10000)
                news = None
        if news is not None:
            self.show_news(news)
        self.status.refresh_quota()

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
                              parent=self)
        dialog.submitted.connect(self.jobs_panel.reveal_job)
        dialog.open_project_requested.connect(self.open_project)
        dialog.owner_requested.connect(self.open_owner_dialog)
        self._open_dialog("import_dialog", dialog)

    def open_owner_dialog(self, owner: str) -> None:
        """The checklist of an owner's repositories (listed off the GUI thread)."""
        from gui.owner_dialog import OwnerImportDialog

        self.show_and_raise()
        if self._raise_open("owner_dialog"):
            return
        dialog = OwnerImportDialog(self.runtime, self.runner, owner, profile=self.profile,
                                   parent=self)
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

    def open_data_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.runtime.settings.home)))

    def open_log(self) -> bool:
        path = self.runtime.settings.log_dir / LOG_FILE
        target = path if path.exists() else self.runtime.settings.log_dir
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    # -- window life ----------------------------------------------------------------------

    def show_and_raise(self) -> None:
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()

    def restore_state(self) -> None:
        geometry = self.state.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 760)
        layout = self.state.value("window/state")
        if layout is None or not self.restoreState(layout):
            self.resizeDocks([self.jobs_panel], [170], Qt.Orientation.Vertical)
        splitter = self.state.value("window/splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([680, 500])

    def save_state(self) -> None:
        self.state.setValue("window/geometry", self.saveGeometry())
        self.state.setValue("window/state", self.saveState())
        self.state.setValue("window/splitter", self.splitter.saveState())
        self.state.sync()

    def request_quit(self) -> None:
        """Quit for real (menu, Ctrl+Q, tray): remember the layout and ask the app to stop."""
        if self._quitting:
            return
        self._quitting = True
        self.save_state()
        self.hide()
        if self.tray is not None:
            self.tray.hide()
        self.quit_requested.emit()

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
        event.accept()
        self.request_quit()

    def dispose(self) -> None:
        """Stop listening and wait for background work (before the runtime closes)."""
        self.bridge.close()
        self.jobs_panel.stop()
        self.status.stop()
        self.runner.wait()
        if self.tray is not None:
            self.tray.hide()
