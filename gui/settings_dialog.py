"""The Settings dialog: GitHub token and API, the AI analyzer, the queue's workers and how
many imports of a profile run at once, and which catalog and queue the app uses (team
mode: PostgreSQL and Redis).

Non-secret values go to the preferences file shared with the command line
(:mod:`core.preferences`); the GitHub token and the AI key go to the
:class:`~core.secrets.SecretStore` — the OS keyring, or this session only when there
is none — and never to a file; so do the catalog's and the queue's passwords, whose
URLs are saved without them. A field that an environment variable overrides is
shown greyed out with the variable's name (a notice on keeping a secret in the
environment is left out where it is already there). The GitHub connection test runs off the
GUI thread through :class:`gui.background.BackgroundRunner`.

Getting a token is part of the dialog: a button opens GitHub's new-token page with the
scopes and a description filled in, another borrows the GitHub CLI's login when ``gh``
is installed, and where no keyring exists the user may choose — after a plain question
answered yes — to keep the token in a file only they can read (:mod:`core.secrets`).
"""

from __future__ import annotations

import os
import weakref

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QScrollArea, QSpinBox,
    QVBoxLayout, QWidget,
)

from core import preferences
from core.errors import RepofolioError
from core.secrets import (
    DATABASE_PASSWORD, OPENAI_KEY, QUEUE_PASSWORD, SecretStore, github_token_name, with_secrets,
)
from core.settings import DEFAULT_GITHUB_API, MAX_PROFILE_CONCURRENCY, Settings
from core.store_urls import (
    DATABASE_ENV, QUEUE_ENV, parse_database_url, parse_queue_url, without_password,
)
from core.urls import without_credentials
from gui.background import BackgroundRunner
from gui.settings_fields import (
    SecretField, describe_failure, describe_probe, describe_store, http_url, password_in,
    probe_github,
)
from gui.token_help import TokenHelp

PROVIDERS = (("heuristic", "Offline analyzer"), ("openai", "OpenAI-compatible server"))
NO_STORE = ("No secure store on this system: the {what} is kept for this session only; "
            "set {env} to keep it")
FILE_OFFER = "Keep the token in a file only you can read (plain text, in the data folder)"
FILE_QUESTION = ("This system has no keyring, so Repofolio can keep your GitHub token in\n{file}\n"
                 "unencrypted, readable only by your user account. Anyone who can read your "
                 "files as you, or a backup of them, could read it.\n\nKeep it there?")


class SettingsDialog(QDialog):
    """Edits the app's settings; on OK saves them and hands new settings to the runtime."""

    applied = Signal()  # new settings are in force (the dialog may stay open to say more)

    def __init__(self, runtime, secrets: SecretStore, *, profile: str = "default",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime, self.secrets, self.profile = runtime, secrets, profile
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._runner = BackgroundRunner(self)
        self._set_by_environment: set[QWidget] = set()
        current = runtime.settings
        # The sections scroll on a screen too short for them; the error and the buttons
        # below them stay in view.
        self.sections = QWidget()  # the scroll area takes it
        sections = QVBoxLayout(self.sections)
        sections.setContentsMargins(0, 0, 0, 0)
        sections.addWidget(self._github_section(current))
        sections.addWidget(self._ai_section(current))
        sections.addWidget(self._queue_section(current))
        sections.addWidget(self._storage_section(current))
        self.sections_area = QScrollArea(self)
        self.sections_area.setWidget(self.sections)
        self.sections_area.setWidgetResizable(True)
        self.sections_area.setFrameShape(QFrame.Shape.NoFrame)
        self.sections_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self.sections_area.verticalScrollBar().sizeHint().width()
        self.sections_area.setMinimumWidth(self.sections.sizeHint().width() + bar)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sections_area, 1)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Settings error")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # -- sections ---------------------------------------------------------------------------

    def _row(self, form: QFormLayout, label: str, widget: QWidget, env_name: str,
             note: str = "") -> None:
        """Add ``widget`` under ``label``; greyed out with a note where ``env_name`` is set."""
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 1)
        overridden = os.environ.get(env_name)
        if overridden:  # show what is in force (secrets excepted) and that it cannot change here
            if isinstance(widget, QLineEdit):  # a URL here; it may carry user:password@
                widget.setText(without_credentials(overridden, mask="••••"))
                widget.setReadOnly(True)
            elif isinstance(widget, QSpinBox) and overridden.strip().isdigit():
                widget.setValue(int(overridden))
            # Greyed out, not only read-only: a read-only field looks as editable as any.
            widget.setEnabled(False)
            self._set_by_environment.add(widget)
            note = f"set by {env_name}"
        if note:
            row.addWidget(QLabel(note, holder))
        caption = QLabel(label, self)
        caption.setBuddy(widget.edit if isinstance(widget, SecretField) else widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(caption, holder)

    def _notice(self, form: QFormLayout, what: str, env_name: str) -> None:
        if not self.secrets.persistent and not os.environ.get(env_name):
            notice = QLabel(NO_STORE.format(what=what, env=env_name), self)
            notice.setWordWrap(True)
            form.addRow(notice)

    def _github_section(self, current: Settings) -> QGroupBox:
        box = QGroupBox("GitHub", self)
        form = QFormLayout(box)
        stored = self.secrets.get(github_token_name(self.profile)) is not None
        self.token = SecretField(stored, "GITHUB_TOKEN", "GitHub token", box)
        self._row(form, "&Token:", self.token, "GITHUB_TOKEN")
        self._token_help(form, box)
        self._notice(form, "token", "GITHUB_TOKEN")
        self._file_offer(form, box)
        self.github_api = QLineEdit(current.github_api, box)
        self.github_api.setPlaceholderText(DEFAULT_GITHUB_API)
        self._row(form, "API &base URL:", self.github_api, "REPOFOLIO_GITHUB_API")
        self.test_button = QPushButton("&Test", box)
        self.test_button.setAutoDefault(False)
        self.test_button.setAccessibleName("Test the GitHub connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel(box)
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("GitHub connection test result")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow(test_row)
        form.addRow(self.test_result)  # the whole width: an error and its suggestion fit
        return box

    def _token_help(self, form: QFormLayout, box: QGroupBox) -> None:
        # Weakly: a child holding the dialog's bound method is a reference cycle that
        # PySide's collector crashed on (a segfault) once the sections sat in a scroll area.
        api_in_force = weakref.WeakMethod(self._api_in_force)
        self.token_help = TokenHelp(lambda: api_in_force()(), self._runner, box,
                                    show_cli=not os.environ.get("GITHUB_TOKEN"))
        self.token_help.token_found.connect(self.token.edit.setText)
        form.addRow("", self.token_help)

    def _file_offer(self, form: QFormLayout, box: QGroupBox) -> None:
        """Without a keyring: offer the plain-text file (asked again, plainly, on Save)."""
        self.keep_in_file: QCheckBox | None = None
        if self.secrets.persistent or self.secrets.file is None or \
                os.environ.get("GITHUB_TOKEN"):
            return
        if self.secrets.in_file:
            kept = QLabel(f"The token is kept in {self.secrets.file} (plain text, readable "
                          "only by you); delete that file to forget it.", box)
            kept.setWordWrap(True)
            form.addRow(kept)
            return
        self.keep_in_file = QCheckBox(FILE_OFFER, box)
        form.addRow("", self.keep_in_file)

    def _api_in_force(self) -> str:
        # Set by the environment, the field shows the URL masked: use the one in force.
        return (self.runtime.settings.github_api if self.github_api.isReadOnly()
                else self.github_api.text().strip() or DEFAULT_GITHUB_API)

    def _ai_section(self, current: Settings) -> QGroupBox:
        box = QGroupBox("AI", self)
        form = QFormLayout(box)
        self.provider = QComboBox(box)
        for value, title in PROVIDERS:
            self.provider.addItem(title, value)
        self.provider.setCurrentIndex(1 if current.use_openai else 0)
        self._shown_provider = self.provider.currentData()  # "auto" stays auto unless changed
        self._row(form, "&Provider:", self.provider, "REPOFOLIO_ANALYZER")
        self.ai_base_url = QLineEdit(current.openai_base_url or "", box)
        self.ai_base_url.setPlaceholderText("https://api.openai.com/v1")
        self._row(form, "Server &URL:", self.ai_base_url, "OPENAI_BASE_URL")
        self.ai_model = QLineEdit(current.ai_model, box)
        self._row(form, "&Model:", self.ai_model, "REPOFOLIO_AI_MODEL")
        self.ai_key = SecretField(self.secrets.get(OPENAI_KEY) is not None, "OPENAI_API_KEY",
                                   "API key", box)
        self._row(form, "API &key:", self.ai_key, "OPENAI_API_KEY")
        self._notice(form, "API key", "OPENAI_API_KEY")
        self.provider.currentIndexChanged.connect(self._provider_changed)
        self._provider_changed()
        return box

    def _queue_section(self, current: Settings) -> QGroupBox:
        box = QGroupBox("Queue", self)
        form = QFormLayout(box)
        self.workers = QSpinBox(box)
        self.workers.setRange(1, 16)
        self.workers.setValue(min(max(current.workers, 1), 16))
        self._row(form, "&Workers:", self.workers, "REPOFOLIO_WORKERS",
                  note="takes effect after restart")
        self.concurrency = QSpinBox(box)
        self.concurrency.setRange(1, MAX_PROFILE_CONCURRENCY)
        self.concurrency.setValue(min(max(current.profile_concurrency, 1),
                                      MAX_PROFILE_CONCURRENCY))
        self._row(form, "Imports at &once:", self.concurrency, "REPOFOLIO_PROFILE_CONCURRENCY",
                  note="per profile; the others wait their turn")
        return box

    def _storage_section(self, current: Settings) -> QGroupBox:
        """Which catalog and queue this window uses; the URLs (and passwords) for the next start."""
        box = QGroupBox("Catalog and queue", self)
        form = QFormLayout(box)
        connected = QLabel("\n".join((describe_store("Catalog", self.runtime.catalog_store),
                                      describe_store("Queue", self.runtime.queue_store))), box)
        connected.setWordWrap(True)
        connected.setAccessibleName("Connected to")
        form.addRow("Connected to:", connected)
        saved = preferences.load(current.home)
        self.store_urls: dict[str, QLineEdit] = {}
        self.store_passwords: dict[str, SecretField] = {}
        # (preference, variable, keyring name, labels with access keys the dialog has free)
        rows = (("database_url", DATABASE_ENV, DATABASE_PASSWORD, "&Catalog URL:",
                 "Catalog passwo&rd:", "this computer; team: postgresql://USER@HOST/DATABASE"),
                ("queue_url", QUEUE_ENV, QUEUE_PASSWORD, "&Queue URL:", "Queue pa&ssword:",
                 "this computer; team: redis://HOST:6379/0"))
        for key, env, secret, url_label, password_label, hint in rows:
            url = QLineEdit(saved.get(key, ""), box)
            url.setPlaceholderText(hint)
            self._row(form, url_label, url, env, note="takes effect after restart")
            in_env = os.environ.get(env, "")
            name = password_label.replace("&", "").rstrip(":")
            field = SecretField(self.secrets.get(secret) is not None, env, name, box,
                                 overridden=without_password(in_env) != in_env)
            self._row(form, password_label, field, "")
            self.store_urls[key], self.store_passwords[key] = url, field
        return box

    def _save_store_passwords(self) -> list[str | None]:
        """Passwords typed in the URL fields go to the keyring too (the URLs are saved
        without them); one typed in its own field wins."""
        refusals = []
        for key, secret in (("database_url", DATABASE_PASSWORD), ("queue_url", QUEUE_PASSWORD)):
            field, url = self.store_passwords[key], self.store_urls[key]
            in_url = password_in(url.text().strip())
            if in_url and not field.edit.text().strip() and not field.edit.isReadOnly():
                field.edit.setText(in_url)
            refusals.append(field.save_to(self.secrets, secret))
        return refusals

    def _provider_changed(self) -> None:
        uses_server = self.provider.currentData() == "openai"
        for field in (self.ai_base_url, self.ai_model, self.ai_key):
            field.setEnabled(uses_server and field not in self._set_by_environment)

    # -- connection test --------------------------------------------------------------------

    def test_connection(self) -> None:
        """Test the token and API URL off the GUI thread; the answer comes back to it."""
        base_url = self._api_in_force()
        token = (self.token.edit.text().strip() or os.environ.get("GITHUB_TOKEN")
                 or (None if self.token.forget
                     else self.secrets.get(github_token_name(self.profile))))
        self.secrets.redactions.add(token)  # typed, not saved, but in use from now on
        timeout = self.runtime.settings.request_timeout
        self.test_button.setEnabled(False)
        self.test_result.setText("Testing…")
        self._runner.run(lambda: describe_probe(*probe_github(base_url, token, timeout)),
                         self._show_connection,
                         lambda error: self._show_connection(describe_failure(error)))

    def _show_connection(self, report: str) -> None:
        self.test_result.setText(report)
        self.test_button.setEnabled(True)
        self._grow_to_fit()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        # The first size comes from a size hint that does not wrap long lines at the
        # dialog's width: grow to what the text needs once the width is known.
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """A window does not grow by itself for wrapped text that needs more lines: as tall
        as the sections need at this width, as far as the screen allows (then they scroll)."""
        self.layout().activate()
        chrome = self.height() - self.sections_area.viewport().height()  # all but the sections
        needed = chrome + self.sections.heightForWidth(self.sections_area.viewport().width())
        screen = self.screen().availableGeometry().height() if self.screen() else needed
        frame = self.frameGeometry().height() - self.height()  # the title bar
        height = max(self.height(), min(needed, screen - frame))
        if height != self.height():
            self.resize(self.width(), height)
        if self.screen() is not None:  # grown downwards: keep the bottom (Save) on screen
            over = self.frameGeometry().bottom() - self.screen().availableGeometry().bottom()
            if over > 0:
                self.move(self.x(), max(self.screen().availableGeometry().top(),
                                        self.y() - over))

    # -- saving -----------------------------------------------------------------------------

    def _problem(self) -> str | None:
        api = self.github_api.text().strip()
        if api and not http_url(api):
            return "The GitHub API base URL must start with https:// (or http://)."
        base = self.ai_base_url.text().strip()
        if base and not http_url(base):
            return "The AI server URL must start with https:// (or http://)."
        for what, field, instead in (
                ("GitHub API base URL", self.github_api, "a GitHub token above"),
                ("AI server URL", self.ai_base_url, "the API key above")):
            if not field.isReadOnly() and password_in(field.text().strip()):
                return (f"The {what} holds a password, which Repofolio does not keep in its "
                        f"preferences. Remove it and use {instead}, or set the address in "
                        "the environment.")
        home = self.runtime.settings.home
        for parse, key in ((parse_database_url, "database_url"), (parse_queue_url, "queue_url")):
            if self.store_urls[key].isReadOnly():
                continue
            try:
                parse(self.store_urls[key].text(), home)
            except RepofolioError as error:
                return f"{error.message}\n{error.suggestion}"
        return None

    def _preferences(self) -> dict[str, object]:
        """The saved preferences with this dialog's editable values laid over them."""
        values: dict[str, object] = dict(preferences.load(self.runtime.settings.home))
        fields = {
            "github_api": (self.github_api.text().strip().rstrip("/") or DEFAULT_GITHUB_API),
            "analyzer": self.provider.currentData(),
            "openai_base_url": self.ai_base_url.text().strip(),
            "ai_model": self.ai_model.text().strip(),
            "workers": self.workers.value(),
            "profile_concurrency": self.concurrency.value(),
            # Without the password (it goes to the keyring); empty: back to this computer.
            **{key: without_password(url.text().strip()) for key, url in self.store_urls.items()},
        }
        if fields["analyzer"] == self._shown_provider:
            del fields["analyzer"]
        for key, value in fields.items():
            if not os.environ.get(preferences.KEYS[key]):  # the environment wins anyway
                values[key] = value
        return values

    def _save_token(self) -> str | None:
        name = github_token_name(self.profile)
        value = self.token.edit.text().strip()
        if self.keep_in_file is not None and self.keep_in_file.isChecked() and value:
            answer = QMessageBox.question(
                self, "Keep the token in plain text?",
                FILE_QUESTION.format(file=self.secrets.file),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer == QMessageBox.StandardButton.Yes:
                self.secrets.keep_in_file(name, value)
                return None
        return self.token.save_to(self.secrets, name)  # declined: this session only

    def accept(self) -> None:
        problem = self._problem()
        if problem is None:
            preferences.save(self.runtime.settings.home, self._preferences())
            refusals = [self._save_token(), self.ai_key.save_to(self.secrets, OPENAI_KEY),
                        *self._save_store_passwords()]
            try:
                self.runtime.update_settings(
                    with_secrets(Settings.from_env(), self.secrets, self.profile))
            except RepofolioError as error:
                problem = f"{error.message}\n{error.suggestion}"
            else:
                self.applied.emit()
                # The settings are in force; the dialog stays to say what the keyring
                # refused, and Cancel would undo nothing, so it is "Close" from now on.
                problem = next((refusal for refusal in refusals if refusal), None)
                if problem is not None:
                    self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        if problem is not None:
            self.error_label.setText(problem)
            self.error_label.show()
            self._grow_to_fit()
            return
        super().accept()
