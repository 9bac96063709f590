"""File → Publish…: the portfolio's title and introduction, where it goes, and what will appear.

The dialog says how many projects the published portfolio will show and why
the others will not (not in the showcase, private), runs the publish off the
GUI thread through :class:`gui.background.BackgroundRunner` with a progress
bar, and offers "Open in browser" when it is done. A failure (a folder that
cannot be written, a git push refused) is shown with what to do about it.

Where things are kept: the title and introduction belong to the profile, in
the catalog (the command line publishes with them too); the output folder,
the formats and the git remote are this window's remembered state (QSettings),
the remote without any user name or token in it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from core.errors import RepofolioError
from core.models import Profile
from core.publish import DEFAULT_BRANCH, PublishOptions, preview, publish
from core.publish.deploy import shown_remote
from core.publish.options import JSON, MARKDOWN, SITE
from core.publish.publisher import PUSHING, READING, RENDERING, WRITING, PublishResult
from core.publish.selection import remember_texts
from gui.background import BackgroundRunner

log = logging.getLogger(__name__)

FORMATS = ((SITE, "Website (index.html, a page per project, style.css)"),
           (MARKDOWN, "Markdown page (PORTFOLIO.md, for a GitHub profile README)"),
           (JSON, "JSON feed (portfolio.json)"))
PROGRESS = {READING: 10, RENDERING: 30, WRITING: 60, PUSHING: 80}
STATE = "publish/"  # QSettings group of what the dialog remembers


def default_folder() -> str:
    return str(Path.home() / "portfolio-site")


class PublishDialog(QDialog):
    """Publishes one profile's showcase; ``published`` carries the result when it is done."""

    published = Signal(object)  # PublishResult
    progressed = Signal(str, str)  # stage, text: emitted on the worker thread, queued here

    def __init__(self, *, profile: str = "default", state: QSettings,
                 runner: BackgroundRunner | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Publish portfolio")
        self.profile, self.state = profile, state
        self.runner = runner if runner is not None else BackgroundRunner(self)
        self.result: PublishResult | None = None
        self.running = False

        self.title = QLineEdit()
        self.intro = QLineEdit()
        self.intro.setPlaceholderText("One line about you or your organization")
        self.folder = QLineEdit(str(state.value(STATE + "out", default_folder())))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        remembered = str(state.value(STATE + "formats", ",".join(f for f, _ in FORMATS)))
        self.formats = {fmt: QCheckBox(label) for fmt, label in FORMATS}
        formats = QVBoxLayout()
        for fmt, box in self.formats.items():
            box.setChecked(fmt in remembered.split(","))
            formats.addWidget(box)
        self.include_private = QCheckBox("Include private projects")
        self.include_private.toggled.connect(self.refresh_preview)

        self.push = QGroupBox("Push to a branch of a git remote (for GitHub Pages and the like)")
        self.push.setCheckable(True)
        self.push.setChecked(state.value(STATE + "push", False, type=bool))
        self.remote = QLineEdit(str(state.value(STATE + "remote", "")))
        self.remote.setPlaceholderText("git@github.com:you/you.github.io.git")
        self.remote.setToolTip("Pushed with your own git credentials (a credential helper or "
                               "an SSH key). Remembered without any user name or token.")
        self.branch = QLineEdit(str(state.value(STATE + "branch", DEFAULT_BRANCH)))
        push_form = QFormLayout(self.push)
        push_form.addRow("&Remote:", self.remote)
        push_form.addRow("&Branch:", self.branch)

        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Introduction:", self.intro)
        folder_label = QLabel("&Output folder:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        form.addRow("Formats:", formats)
        form.addRow("Projects:", self.include_private)

        self.summary = QLabel("Counting the projects…")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.publish_button = self.buttons.addButton(
            "&Publish", QDialogButtonBox.ButtonRole.ActionRole)
        self.publish_button.setDefault(True)
        self.open_button = self.buttons.addButton(
            "Open in &browser", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.publish_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self.open_in_browser)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.push)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.inputs: list[QWidget] = [self.title, self.intro, self.folder, browse, self.push,
                                      self.include_private, *self.formats.values()]
        self.progressed.connect(self.show_progress)
        self.resize(620, self.sizeHint().height())
        self._load()

    # -- what will appear ----------------------------------------------------------------

    def _load(self) -> None:
        """Fill in the saved title and introduction, and count what will appear."""
        profile = self.profile

        def saved() -> tuple[str, str]:
            row = Profile.get_or_none(Profile.name == profile)
            return (row.publish_title, row.publish_intro) if row else ("", "")

        def show(texts: tuple[str, str]) -> None:
            if not self.title.text() and not self.intro.text():
                self.title.setText(texts[0])
                self.intro.setText(texts[1])

        self.runner.run(saved, show, self._preview_failed)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        include, profile = self.include_private.isChecked(), self.profile
        self.runner.run(lambda: preview(profile, include), self._show_preview,
                        self._preview_failed)

    def _show_preview(self, shown) -> None:
        self.summary.setText(shown.explanation())
        self.title.setPlaceholderText(shown.title)
        self.intro.setPlaceholderText(shown.intro)

    def _preview_failed(self, error: Exception) -> None:
        self.summary.setText(describe(error))

    # -- publishing ------------------------------------------------------------------------

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Output folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def options(self) -> PublishOptions:
        remote = self.remote.text().strip() if self.push.isChecked() else None
        return PublishOptions(
            out=Path(self.folder.text().strip()).expanduser(), profile=self.profile,
            formats=frozenset(f for f, box in self.formats.items() if box.isChecked()),
            title=self.title.text().strip() or None, intro=self.intro.text().strip() or None,
            include_private=self.include_private.isChecked(), git_remote=remote,
            branch=self.branch.text().strip() or DEFAULT_BRANCH)

    def remember(self) -> None:
        self.state.setValue(STATE + "out", self.folder.text().strip())
        self.state.setValue(STATE + "formats",
                            ",".join(f for f, box in self.formats.items() if box.isChecked()))
        self.state.setValue(STATE + "push", self.push.isChecked())
        # Never a token: "https://me:TOKEN@host/x" is remembered as "https://host/x".
        self.state.setValue(STATE + "remote", shown_remote(self.remote.text().strip()))
        self.state.setValue(STATE + "branch", self.branch.text().strip() or DEFAULT_BRANCH)
        self.state.sync()

    def start(self) -> None:
        if self.running:
            return
        if not self.folder.text().strip():
            self.status.setText("Choose an output folder first.")
            return
        options = self.options()
        title, intro, profile = self.title.text().strip(), self.intro.text().strip(), self.profile
        self.remember()
        self._set_running(True)
        self.status.setText("Publishing…")
        progressed = self.progressed  # emitted from the worker thread: queued to this dialog

        def work() -> PublishResult:
            remember_texts(profile, title=title, intro=intro)
            return publish(options, progress=progressed.emit)

        self.runner.run(work, self._done, self._failed)

    def show_progress(self, stage: str, text: str) -> None:
        self.progress.setValue(PROGRESS.get(stage, self.progress.value()))
        self.status.setText(text)

    def _done(self, result: PublishResult) -> None:
        self._set_running(False)
        self.result = result
        self.progress.setValue(100)
        lines = [f"Published {result.projects} project{'s' if result.projects != 1 else ''} "
                 f"to {result.out}" + ("." if result.changed else " (nothing had changed).")]
        if result.commit:
            lines.append(f"Pushed commit {result.commit[:12]} to {self.branch.text().strip()}.")
        elif self.push.isChecked():
            lines.append("The branch already held this version: nothing to push.")
        self.status.setText("\n".join(lines))
        self.open_button.setEnabled(True)
        self.open_button.setFocus()
        self.published.emit(result)

    def _failed(self, error: Exception) -> None:
        self._set_running(False)
        self.progress.hide()
        if not isinstance(error, RepofolioError):
            log.error("Publishing failed", exc_info=error)
        self.status.setText("Could not publish: " + describe(error))

    def _set_running(self, running: bool) -> None:
        self.running = running
        for widget in (*self.inputs, self.publish_button,
                       self.buttons.button(QDialogButtonBox.StandardButton.Close)):
            widget.setEnabled(not running)
        if running:
            self.open_button.setEnabled(False)
            self.progress.setValue(0)
            self.progress.show()

    def open_in_browser(self) -> bool:
        if self.result is None:
            return False
        page = Path(self.result.out) / "index.html"
        target = page if "index.html" in self.result.files else Path(self.result.out)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def reject(self) -> None:
        if not self.running:  # the push runs to its end (git has a timeout); then Close
            super().reject()


def describe(error: Exception) -> str:
    if isinstance(error, RepofolioError):
        return f"{error.message}\n{error.suggestion}"
    return (f"Unexpected error ({type(error).__name__}); details are in the log "
            "(Help → Open log).")
