"""How a newcomer gets a GitHub token, under the Settings dialog's token field.

Two buttons and a line: "Get a token on GitHub…" opens GitHub's new-token page with
the scopes and a description filled in; "Use my GitHub CLI login" (shown when ``gh``
is installed) asks ``gh auth token`` off the GUI thread and hands the token to the
field through :attr:`TokenHelp.token_found` — nothing is stored until Save. The logic
is :mod:`core.secrets`; this widget only asks.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.secrets import gh_cli_installed, gh_cli_token, token_page_url
from gui.background import BackgroundRunner

TOKEN_HELP = ("A token raises GitHub's limit from 60 to 5,000 requests an hour; the \"repo\" "
              "scope also lets Repofolio read your private repositories.")


class TokenHelp(QWidget):
    """The token page button, the GitHub CLI button and a line that says what happened."""

    token_found = Signal(str)

    def __init__(self, api: Callable[[], str], runner: BackgroundRunner,
                 parent: QWidget | None = None, *, show_cli: bool = True):
        """``api`` gives the GitHub API base URL in force (GitHub Enterprise has its own
        token page and CLI host)."""
        super().__init__(parent)
        self.api, self.runner = api, runner
        self.page_button = QPushButton("&Get a token on GitHub…", self)
        self.page_button.setAutoDefault(False)
        self.page_button.clicked.connect(self.open_token_page)
        self.gh_button = QPushButton("Use my GitHub &CLI login", self)
        self.gh_button.setAutoDefault(False)
        self.gh_button.setVisible(show_cli and gh_cli_installed())
        self.gh_button.clicked.connect(self.use_gh_login)
        self.label = QLabel(TOKEN_HELP, self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("About GitHub tokens")
        buttons = QHBoxLayout()
        buttons.addWidget(self.page_button)
        buttons.addWidget(self.gh_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.label)

    def text(self) -> str:
        return self.label.text()

    def open_token_page(self) -> bool:
        return QDesktopServices.openUrl(QUrl(token_page_url(self.api())))

    def use_gh_login(self) -> None:
        api = self.api()
        self.gh_button.setEnabled(False)
        self.label.setText("Asking the GitHub CLI…")
        self.runner.run(lambda: gh_cli_token(api), self._answered,
                        lambda error: self._answered(None))

    def _answered(self, token: str | None) -> None:
        self.gh_button.setEnabled(True)
        if token:
            self.token_found.emit(token)
            self.label.setText("Filled in from the GitHub CLI's login; press Save to keep it.")
        else:
            self.label.setText("The GitHub CLI gave no token: run `gh auth login` in a "
                               "terminal first.")
