"""What the Settings dialog (:mod:`gui.settings_dialog`) is made of: the secret field that
never shows a stored secret, the GitHub connection probe and the lines that describe its
answer, a failure, and a catalog or queue in use."""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from core.errors import RepofolioError
from core.github.client import GitHubClient
from core.secrets import SecretStore
from core.store_urls import StoreURL
from core.timeutil import clock_time

SET_MARK = "•••• set"
KEYRING_REFUSED = ("Could not save to the keyring; kept for this session only.\n"
                   "Unlock the keyring and press Save again, or set {env} to keep it.")
KEYRING_KEPT = ("Could not remove it from the keyring; forgotten for this session only.\n"
                "Unlock the keyring and press Save again.")


def probe_github(base_url: str, token: str | None, timeout: float) -> tuple[str | None, dict]:
    """The token's login (None without a token) and the core rate limit. Blocking."""
    with GitHubClient(base_url, token, timeout=timeout, rate_limit_max_wait=0) as github:
        login = github.current_user().get("login", "?") if token else None
        return login, github.rate_limit()


def describe_probe(login: str | None, rate: dict) -> str:
    """One line for the Test button: who is signed in and how much quota is left."""
    who = f"Signed in as {login}" if login else "No token (anonymous)"
    if rate.get("limit") is None:
        return f"{who} — this server sets no rate limit"
    reset = clock_time(rate["reset"], "%H:%M", utc=False)
    return (f"{who} — {rate['remaining']:,} of {rate['limit']:,} requests left, "
            f"resets at {reset}")


def said_here(suggestion: str) -> str:
    """A suggestion as read inside Settings: "replace it in Settings" points here."""
    return suggestion.replace(" in Settings or ", " above, or in ").replace(
        " in Settings", " above")


def describe_failure(error: Exception) -> str:
    if isinstance(error, RepofolioError):
        return f"{error.message}\n{said_here(error.suggestion)}"
    # A malformed URL, say: the client never got as far as a typed error.
    return f"The test could not run ({type(error).__name__}). Check the API base URL."


def describe_store(what: str, store: StoreURL) -> str:
    """``Catalog: PostgreSQL at postgresql://alice@db/portfolio`` — never with a password."""
    if not store.shared:
        return f"{what}: this computer ({store.path})"
    server = "PostgreSQL" if store.kind == "postgresql" else "Redis"
    return f"{what}: {server} at {store.display()}"


def password_in(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        return unquote(parts.password) if parts.password else None
    except ValueError:
        return None


def http_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class SecretField(QWidget):
    """A password field that says "•••• set" for a stored secret and never shows it."""

    def __init__(self, stored: bool, env_name: str, label: str, parent: QWidget, *,
                 overridden: bool | None = None):
        """``overridden``: set elsewhere than here (default: when ``env_name`` is set)."""
        super().__init__(parent)
        self.forget = False
        self.env_name = env_name
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(label)
        self.forget_button = QPushButton("Forget", self)
        self.forget_button.setAccessibleName(f"Forget the stored {label.lower()}")
        self.forget_button.setAutoDefault(False)
        self.forget_button.clicked.connect(self._forget)
        self.forget_button.setVisible(stored)
        self.edit.setPlaceholderText(SET_MARK if stored else "not set")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.forget_button)
        if os.environ.get(env_name) if overridden is None else overridden:
            self.edit.setReadOnly(True)
            self.edit.setPlaceholderText(f"set by {env_name}")
            self.forget_button.hide()

    def _forget(self) -> None:
        self.forget = True
        self.edit.clear()
        self.edit.setPlaceholderText("not set (forgotten when you save)")
        self.forget_button.hide()

    def save_to(self, secrets: SecretStore, name: str) -> str | None:
        """Store (or forget) the secret; what went wrong when the keyring refused, else None.

        Without any keyring "this session only" is the plan and the dialog says so up
        front; a keyring that exists but refuses (locked) must be said now."""
        if self.edit.isReadOnly() or not (self.edit.text().strip() or self.forget):
            return None
        value = self.edit.text().strip() or None
        if secrets.set(name, value) or not secrets.persistent:
            return None
        return KEYRING_REFUSED.format(env=self.env_name) if value else KEYRING_KEPT
