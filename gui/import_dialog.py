"""The "Import a repository" dialog: paste a URL, see at once whether it can be imported.

Another import running is no reason to refuse: the new one waits its turn, and the
dialog says how many are ahead of it. An owner's address (``@login``, its GitHub page)
leads on to the checklist of its repositories (:mod:`gui.owner_dialog`).

Validation runs as you type and every 500 ms while the dialog is shown, through
``Importer.precheck`` (the catalog only, never the network). What the dialog shows
for a precheck is decided by :func:`describe`, as data, so it can be tested without
clicking. Submitting goes through ``runtime.queue.submit``, which makes the final,
atomic decision; a refusal that raced in after the last precheck is shown here.

The clipboard may hold megabytes: only a short text is ever parsed (on the GUI
thread), and the field itself takes at most an address's length.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QProgressBar, QPushButton, QStyle, QVBoxLayout, QWidget,
)

from core.importer import Precheck
from core.models import STARTED
from core.urls import MAX_ADDRESS_LENGTH, looks_like_repo_url
from gui.busy import attempt

REFRESH_MS = 500
# Room for an address wrapped in quotes, brackets and spaces; anything longer is not one.
MAX_CLIPBOARD_CHARS = MAX_ADDRESS_LENGTH + 64
EMPTY, INVALID, DUPLICATE, IN_FLIGHT, READY = "empty", "invalid", "duplicate", "in_flight", "ready"
OWNER = "owner"  # a user or organization: the checklist of its repositories comes next


@dataclass(frozen=True)
class ImportState:
    """What the dialog shows for one precheck, and which actions it allows."""

    kind: str
    message: str
    can_submit: bool = False
    project_id: int | None = None  # the existing project, for DUPLICATE
    progress: int | None = None  # the running import's percentage, for IN_FLIGHT
    owner: str | None = None  # the login, for OWNER


def describe(text: str, check: Precheck) -> ImportState:
    """Turn a precheck into the dialog's state; the order matches ``Importer.submit``."""
    if not text.strip():
        return ImportState(EMPTY, "Paste a GitHub address such as "
                                  "https://github.com/owner/name, or type owner/name.")
    if check.error is not None:
        return ImportState(INVALID, check.error.message)
    if check.owner is not None:
        login = check.owner.login
        if check.in_flight is not None:
            job = check.in_flight
            return ImportState(IN_FLIGHT, f"The repositories of {job.repo} are already being "
                                          f"imported (job {job.id}: {job.message}).",
                               progress=job.progress)
        return ImportState(OWNER, f"@{login} is a GitHub account: choose which of its "
                                  "repositories to import.", can_submit=True, owner=login)
    if check.duplicate is not None:
        return ImportState(DUPLICATE, f"Already in your catalog as {check.duplicate.full_name}.",
                           project_id=check.duplicate.id)
    if check.in_flight is not None:
        job = check.in_flight
        doing = "being imported" if job.status == STARTED else "queued"
        return ImportState(IN_FLIGHT, f"{job.repo} is already {doing} (job {job.id}: "
                                      f"{job.stage}, {job.progress}%).",
                           progress=job.progress)
    return ImportState(READY, f"Will import {check.ref.full_name}.{queue_note(check.ahead)}",
                       can_submit=True)


def queue_note(ahead: int) -> str:
    """What a new import will wait for: " Queued — 2 ahead of it." (empty when none)."""
    return f" Queued — {ahead} ahead of it." if ahead > 0 else ""


_ICONS = {
    INVALID: QStyle.StandardPixmap.SP_MessageBoxWarning,
    DUPLICATE: QStyle.StandardPixmap.SP_MessageBoxInformation,
    IN_FLIGHT: QStyle.StandardPixmap.SP_BrowserReload,
    READY: QStyle.StandardPixmap.SP_DialogApplyButton,
    OWNER: QStyle.StandardPixmap.SP_FileDialogListView,
}


class ImportDialog(QDialog):
    """Asks for one repository and its options, then queues its import and closes."""

    submitted = Signal(int)  # the queued job's id
    open_project_requested = Signal(int)  # the existing project's id
    owner_requested = Signal(str)  # a login: choose among its repositories

    def __init__(self, runtime, *, profile: str = "default", clipboard_text: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime = runtime
        self.profile = profile
        self.state = ImportState(EMPTY, "")
        self.setWindowTitle("Import a repository")
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.url_field.setText(self._prefill(clipboard_text))
        self.url_field.selectAll()
        self.refresh()

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.url_field = QLineEdit(self)
        self.url_field.setMaxLength(MAX_CLIPBOARD_CHARS)
        self.url_field.setPlaceholderText("https://github.com/owner/name")
        self.url_field.setClearButtonEnabled(True)
        self.url_field.setAccessibleName("Repository URL")
        self.url_field.setAccessibleDescription("The GitHub repository to import; "
                                                "checked as you type.")
        self.url_field.textChanged.connect(self._text_changed)
        url_label = QLabel("&Repository URL:", self)
        url_label.setBuddy(self.url_field)

        self.status_icon = QLabel(self)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Validation result")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon)
        status_row.addWidget(self.status_label, 1)

        self.in_flight_bar = QProgressBar(self)
        self.in_flight_bar.setRange(0, 100)
        self.in_flight_bar.setAccessibleName("Progress of the running import")
        self.in_flight_bar.hide()

        self.refusal_label = QLabel(self)
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setAccessibleName("Import refused")
        self.refusal_label.hide()

        self.showcase_box = QCheckBox("Show in the &showcase", self)
        self.showcase_box.setChecked(True)
        self.showcase_box.setAccessibleName("Showcase")
        self.private_box = QCheckBox("Mark as &private", self)
        self.private_box.setAccessibleName("Private")

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.open_button: QPushButton = self.buttons.addButton(
            "&Open project", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAccessibleName("Open the existing project")
        self.open_button.hide()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open_existing)

        form = QFormLayout()
        form.addRow(url_label, self.url_field)
        options = QHBoxLayout()
        options.addWidget(self.showcase_box)
        options.addWidget(self.private_box)
        options.addStretch(1)
        form.addRow("Options:", options)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(status_row)
        layout.addWidget(self.in_flight_bar)
        layout.addWidget(self.refusal_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _prefill(self, clipboard_text: str | None) -> str:
        if clipboard_text is None:
            clipboard = QGuiApplication.clipboard()
            clipboard_text = clipboard.text() if clipboard is not None else ""
        if not clipboard_text or len(clipboard_text) > MAX_CLIPBOARD_CHARS:
            return ""  # a long clipboard is a document, not an address: not parsed at all
        host = self.runtime.settings.enterprise_host
        if looks_like_repo_url(clipboard_text, enterprise_host=host):
            return clipboard_text.strip()
        return ""

    # -- state ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Run the precheck for the current text and show what it found."""
        text = self.url_field.text()
        self.state = describe(text, self.runtime.importer.precheck(text, self.profile))
        self._show_state(self.state)

    def _show_state(self, state: ImportState) -> None:
        self.status_label.setText(state.message)
        icon = _ICONS.get(state.kind)
        if icon is None:
            self.status_icon.clear()
        else:
            size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
            self.status_icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self.import_button.setEnabled(state.can_submit)
        self.import_button.setText("&Choose repositories…" if state.kind == OWNER else "&Import")
        for box in (self.showcase_box, self.private_box):  # the checklist decides those
            box.setEnabled(state.kind != OWNER)
        self.open_button.setVisible(state.kind == DUPLICATE)
        self.in_flight_bar.setVisible(state.kind == IN_FLIGHT)
        if state.progress is not None:
            self.in_flight_bar.setValue(state.progress)

    def _text_changed(self) -> None:
        self.refusal_label.hide()
        self.refusal_label.clear()
        self.refresh()

    # -- actions ----------------------------------------------------------------------------

    def submit(self) -> None:
        """Queue the import and close; a refusal stays in the dialog and nothing is written."""
        if not self.state.can_submit:
            return
        if self.state.kind == OWNER:
            self.owner_requested.emit(self.state.owner)
            self.accept()
            return
        job, refusal = attempt(lambda: self.runtime.queue.submit(
            self.url_field.text(), profile=self.profile, showcase=self.showcase_box.isChecked(),
            private=self.private_box.isChecked()))
        if job is None:
            self._refused(refusal)
            return
        self.submitted.emit(job.id)
        self.accept()

    def _refused(self, text: str) -> None:
        self.refusal_label.setText(text)
        self.refusal_label.show()
        self.refresh()

    def _open_existing(self) -> None:
        if self.state.project_id is not None:
            self.open_project_requested.emit(self.state.project_id)
            self.accept()

    # -- the refresh timer runs only while the dialog is on screen ------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's naming)
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's naming)
        self._timer.stop()
        super().hideEvent(event)
