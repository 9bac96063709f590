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
from gui.background import BackgroundRunner
from gui.busy import BUSY_ERRORS, attempt_later, catalog_busy
from gui.icons import icon
from gui.job_model import (
    ELAPSED, PROGRESS, REPOSITORY, STAGE, STATUS, STATUS_TEXT, JobListModel, ProgressRole, job_row,
)
from gui.project_views import menu_place
from tasks.runtime import Runtime

log = logging.getLogger(__name__)

ELAPSED_INTERVAL_MS = 1000
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


class JobsTable(QTableView):
    """The jobs as a table. Its context menu is for the row under the mouse, or, opened
    from the keyboard (Menu key, Shift+F10), for the current row and beside it."""

    menu_requested = Signal(int, object)  # row, global position

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        index, where = menu_place(self, event)
        if index.isValid():
            self.menu_requested.emit(index.row(), where)


class JobsPanel(QDockWidget):
    """Lists jobs newest first and acts on the selected one (Cancel, Retry, Details, Open)."""

    open_project_requested = Signal(int)
    notice = Signal(str)  # a one-line message for the status bar

    def __init__(self, runtime: Runtime, parent=None, *, runner: BackgroundRunner | None = None,
                 writer: BackgroundRunner | None = None):
        """``runner`` reads the jobs other processes changed, ``writer`` cancels and
        retries: both off the GUI thread (without them, here: a panel tried on its own)."""
        super().__init__("Jobs", parent)
        self.setObjectName("jobs-panel")  # QMainWindow.saveState needs it
        self.runtime, self.runner, self.writer = runtime, runner, writer
        self.model = JobListModel(self, concurrency=lambda: runtime.settings.profile_concurrency)
        self.table = JobsTable()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PROGRESS, ProgressBarDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(STAGE, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not the rows: sized to their contents, the columns were
        # measured again over every row at each progress event.
        metrics = self.table.fontMetrics()
        header.resizeSection(REPOSITORY, metrics.horizontalAdvance("x" * 34) + 32)
        header.resizeSection(ELAPSED, metrics.horizontalAdvance("99 min 59 s") + 16)
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
        self.table.menu_requested.connect(self._context_menu)
        # Enter and a double-click (or a single click where the desktop opens items so).
        self.table.activated.connect(self._run_default_action)
        # Only the elapsed times move on by themselves; what other processes change comes
        # from the catalog watcher (refresh), this process's own from progress events.
        self.timer = QTimer(self, interval=ELAPSED_INTERVAL_MS)
        self.timer.timeout.connect(self.model.elapsed_changed)
        self.timer.start()
        self.model.reload()

    # -- live updates ---------------------------------------------------------------------

    def apply_event(self, event: ProgressEvent) -> None:
        if not self.model.apply_event(event):  # a job this panel has not seen: look
            self.refresh()

    def refresh(self, *, also: tuple[int, ...] = ()) -> None:
        """Pick up jobs that changed elsewhere (read off the GUI thread with a runner);
        ``also``: ended jobs to look at again (the one the window's news is about)."""
        if self.runner is None:
            self.model.refresh()
            for job_id in also:
                self.model.reread(job_id)
        else:
            self.model.refresh_later(self.runner, also=also)

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
        self._write(lambda: job_row(self.runtime.queue.cancel(job_id)),
                    "Cancelling the import of {repo}.")

    def _retry(self, job_id: int) -> None:
        self._write(lambda: job_row(self.runtime.queue.retry(job_id)),
                    "Importing {repo} again.")

    def _write(self, action, said: str) -> None:
        """A cancel or retry on the writer; the row follows from the job it returns."""
        def done(job: dict) -> None:
            self.model.show_row(job)
            self.notice.emit(said.format(repo=job["repo"]))
        attempt_later(self.writer, action, done,
                      lambda refusal: self.notice.emit(refusal.replace("\n", " ")))

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

    def _context_menu(self, row: int, where) -> None:
        job = self.model.job_at(row)
        if job is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per right-click
        for label, key in actions.job_actions(job):
            menu.addAction(icon(ACTION_ICONS.get(key, "")), label,
                           lambda checked=False, k=key, j=job["id"]: self.perform(j, k))
        menu.popup(where)

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
