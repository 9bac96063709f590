"""The jobs dock: every import with its status, stage, progress bar and elapsed time;
a batch as one row ("12 of 40") with its items beneath it.

Actions come from :func:`gui.actions.job_actions` (state -> actions as data);
this panel only maps each action key to one handler.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QDockWidget, QHBoxLayout, QHeaderView, QMenu, QMessageBox,
    QPushButton, QStyle, QStyledItemDelegate, QStyleOptionProgressBar, QTableView, QVBoxLayout,
    QWidget,
)

from core.errors import RepofolioError
from core.progress import ProgressEvent
from gui import actions
from gui.busy import BUSY_ERRORS, catalog_busy
from gui.icons import icon
from gui.job_model import (
    ELAPSED, PROGRESS, REPOSITORY, STAGE, STATUS, STATUS_TEXT, JobListModel, ProgressRole,
)
from tasks.runtime import Runtime

log = logging.getLogger(__name__)

REFRESH_INTERVAL_MS = 1000
ACTION_ICONS = {actions.CANCEL: "cancel", actions.RETRY: "retry", actions.DETAILS: "about",
                actions.OPEN_PROJECT: "open-external"}


class ProgressBarDelegate(QStyledItemDelegate):
    """Draws the progress column as the platform's progress bar (so it follows the palette)."""

    def paint(self, painter, option, index) -> None:
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(index.data(ProgressRole) or 0)
        bar.text = index.data(Qt.ItemDataRole.DisplayRole) or ""  # "40 %", or "Failed"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        # Without State_Horizontal a style draws the bar vertically: filling from the bottom
        # up, so 5 % looked empty and 55 % a half-height band through the text.
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


class JobsPanel(QDockWidget):
    """Lists jobs newest first and acts on the selected one (Cancel, Retry, Details, Open)."""

    open_project_requested = Signal(int)
    notice = Signal(str)  # a one-line message for the status bar

    def __init__(self, runtime: Runtime, parent=None):
        super().__init__("Jobs", parent)
        self.setObjectName("jobs-panel")  # QMainWindow.saveState needs it
        self.runtime = runtime
        self.model = JobListModel(self, concurrency=lambda: runtime.settings.profile_concurrency)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PROGRESS, ProgressBarDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(STAGE, QHeaderView.ResizeMode.Stretch)
        for column in (REPOSITORY, ELAPSED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # As wide as its longest word from the start: sized to the rows shown, it cut a job
        # queued later to "Que…".
        header.resizeSection(STATUS, max(self.table.fontMetrics().horizontalAdvance(text)
                                         for text in STATUS_TEXT.values()) + 32)
        header.resizeSection(PROGRESS, 140)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        self.setWidget(body)

        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.table.customContextMenuRequested.connect(self._context_menu)
        # Enter and a double-click (or a single click where the desktop opens items so).
        self.table.activated.connect(self._run_default_action)
        self.timer = QTimer(self, interval=REFRESH_INTERVAL_MS)
        self.timer.timeout.connect(self.model.refresh)
        self.timer.start()
        self.model.reload()

    # -- live updates ---------------------------------------------------------------------

    def apply_event(self, event: ProgressEvent) -> None:
        self.model.apply_event(event)

    def reveal_job(self, job_id: int) -> None:
        """Show the dock and select a job (a new import, a tray message that was clicked)."""
        self.model.reread(job_id)
        row = self.model.row_of(job_id)
        self.show()
        self.raise_()
        if row >= 0:
            index = self.model.index(row, REPOSITORY)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def selected_job(self) -> dict | None:
        return self.model.job_at(self.table.currentIndex().row())

    # -- actions --------------------------------------------------------------------------

    def perform(self, job_id: int, key: str) -> None:
        """Run the action ``key`` (from :func:`gui.actions.job_actions`) on a job."""
        handler = {actions.CANCEL: self._cancel, actions.RETRY: self._retry,
                   actions.DETAILS: self._details,
                   actions.OPEN_PROJECT: self._open_project}.get(key)
        if handler is None:
            raise ValueError(f"Unknown job action {key!r}")
        try:
            handler(job_id)
        except RepofolioError as error:
            self.notice.emit(f"{error.message} {error.suggestion}")
        except BUSY_ERRORS as error:
            self.notice.emit(catalog_busy(error))

    def _cancel(self, job_id: int) -> None:
        job = self.runtime.queue.cancel(job_id)
        self.model.reread(job_id)
        self.notice.emit(f"Cancelling the import of {job.repo}.")

    def _retry(self, job_id: int) -> None:
        job = self.runtime.queue.retry(job_id)
        self.model.reread(job_id)
        self.notice.emit(f"Importing {job.repo} again.")

    def _details(self, job_id: int) -> None:
        job = self.model.reread(job_id) or {}
        error = job.get("error") or {}
        text = error.get("message") or job.get("message") or "No details."
        box = QMessageBox(QMessageBox.Icon.Warning, f"Import of {job.get('repo', '')}", text,
                          QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if error.get("suggestion"):
            box.setInformativeText(error["suggestion"])
        if error.get("code"):
            box.setDetailedText(f"Error code: {error['code']}\nJob: {job_id}")
        box.open()

    def _open_project(self, job_id: int) -> None:
        job = self.model.reread(job_id) or {}
        if job.get("project_id"):
            self.open_project_requested.emit(job["project_id"])

    def _run_default_action(self, index: QModelIndex) -> None:
        job = self.model.job_at(index.row())
        key = actions.default_job_action(job) if job else None
        if key:
            self.perform(job["id"], key)

    def _context_menu(self, pos) -> None:
        job = self.model.job_at(self.table.indexAt(pos).row())
        if job is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per right-click
        for label, key in actions.job_actions(job):
            menu.addAction(icon(ACTION_ICONS.get(key, "")), label,
                           lambda checked=False, k=key, j=job["id"]: self.perform(j, k))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _update_buttons(self, *_args) -> None:
        """One button per action of the selected job, rebuilt when its state changes."""
        job = self.selected_job()
        wanted = actions.job_actions(job) if job else []
        current = [(b.text(), b.property("action")) for b in self._action_buttons()]
        if current == wanted:
            return
        for button in self._action_buttons():
            self.buttons.removeWidget(button)
            button.deleteLater()
        for label, key in wanted:
            button = QPushButton(icon(ACTION_ICONS.get(key, "")), label)
            button.setProperty("action", key)
            # The buttons outlive a change of selection when the next job offers the same
            # actions, so the job is looked up when the button is clicked, never bound here.
            button.clicked.connect(lambda checked=False, k=key: self._perform_on_selected(k))
            self.buttons.addWidget(button)

    def _perform_on_selected(self, key: str) -> None:
        job = self.selected_job()
        if job is not None and key in [k for _, k in actions.job_actions(job)]:
            self.perform(job["id"], key)

    def _action_buttons(self) -> list[QPushButton]:
        items = (self.buttons.itemAt(i).widget() for i in range(self.buttons.count()))
        return [w for w in items if isinstance(w, QPushButton)]

    def stop(self) -> None:
        self.timer.stop()
