"""Secrets (GitHub token, AI key): the OS keyring, and how a newcomer gets a token.

Where no keyring works (a headless machine), secrets given in the window are kept
for this session only, in memory; the environment still overrides. Only when the
user says yes, explicitly, may they be kept in a plain-text file of the data folder
instead (:data:`SECRETS_FILE`, readable by the user alone, as the GitHub CLI does
without a keyring). No secret ever goes to the catalog, the queue, the logs or the
HTTP cache.

Getting a token: :func:`token_page_url` opens GitHub's new-token page with the
scopes and a description filled in; :func:`gh_cli_token` borrows the GitHub CLI's
login (``gh auth token``) when it is installed and logged in.

Every secret the store hands out or is given goes into its
:class:`~core.redaction.Redactions` at that moment, which the log filter reads:
a profile's token is redacted from the first time an import reads it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode, urlsplit

from core.redaction import Redactions
from core.settings import DEFAULT_GITHUB_API, Settings, enterprise_host_of
from core.store_urls import StoreURL

log = logging.getLogger(__name__)

SERVICE = "repofolio"
OPENAI_KEY = "openai-api-key"
SECRETS_FILE = "secrets-in-plain-text.json"
_FILE_NOTE = ("Repofolio keeps these secrets here, unencrypted, because this system has no "
              "keyring and you said yes to a file (Settings). Only your user can read it. "
              "Delete this file to forget them.")
# Classic token scopes: "repo" reads private repositories too; public ones need none.
TOKEN_SCOPES = ("repo",)
TOKEN_DESCRIPTION = "Repofolio"
GH_TIMEOUT = 5.0
# Team mode: the passwords of the catalog's PostgreSQL and the queue's Redis.
DATABASE_PASSWORD = "database-password"
QUEUE_PASSWORD = "queue-password"


def github_token_name(profile: str) -> str:
    return f"github-token:{profile}"


class SecretStore:
    """The keyring when there is one, else a session-only memory; or, once the user has
    said yes to it, a file readable only by them in the data folder ``home``.

    ``redactions``: the process's set of secrets in use (the one its logging reads).
    """

    def __init__(self, home: Path | None = None, redactions: Redactions | None = None) -> None:
        self._session: dict[str, str] = {}
        self.file = Path(home) / SECRETS_FILE if home is not None else None
        self.redactions = redactions if redactions is not None else Redactions()

    @property
    def in_file(self) -> bool:
        """True when the user chose the plain-text file (it exists)."""
        return self.file is not None and self.file.is_file()

    def keep_in_file(self, name: str, value: str) -> Path:
        """Keep a secret in the plain-text file: call only after the user's explicit yes."""
        if self.file is None:
            raise ValueError("This store has no data folder to keep a file in.")
        values = self._file_values()
        values[name] = value
        self._write_file(values)
        self._session.pop(name, None)
        return self.file

    def _file_values(self) -> dict[str, str]:
        if not self.in_file:
            return {}
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("Ignoring the unreadable secrets file %s", self.file)
            return {}
        return {k: v for k, v in data.items() if k != "_about" and isinstance(v, str) and v}

    def _write_file(self, values: dict[str, str]) -> None:
        """Atomically, and created 0600: the secret is never readable by others, not even
        for a moment between writing and a chmod."""
        assert self.file is not None
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(self.file.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"_about": _FILE_NOTE, **values}, handle, indent=2)
        os.chmod(tmp, 0o600)  # an existing tmp file kept its old mode
        os.replace(tmp, self.file)

    @property
    def persistent(self) -> bool:
        """True when secrets survive a restart (a real keyring backend is in use)."""
        import keyring  # finding the backend takes a moment: only when a secret is needed
        try:
            backend = keyring.get_keyring()
        except Exception:
            return False
        return type(backend).__module__ not in ("keyring.backends.fail", "keyring.backends.null")

    def get(self, name: str) -> str | None:
        value = self._read(name)
        self.redactions.add(value)
        return value

    def _read(self, name: str) -> str | None:
        if name in self._session:
            return self._session[name]
        held = self._file_values().get(name)
        if held:
            return held
        if not self.persistent:
            return None
        import keyring
        from keyring.errors import KeyringError
        try:
            return keyring.get_password(SERVICE, name)
        except (KeyringError, RuntimeError) as exc:
            log.warning("Keyring read failed (%s); using no stored secret", type(exc).__name__)
            return None

    def set(self, name: str, value: str | None) -> bool:
        """Store (or with ``None`` remove) a secret; True if it was saved persistently.

        A secret the user keeps in the file stays there (replaced or removed)."""
        self.redactions.add(value)
        self._session.pop(name, None)
        values = self._file_values()
        if name in values:
            if value:
                values[name] = value
            else:
                del values[name]
            self._write_file(values)
            return True
        if self.persistent:
            import keyring
            from keyring.errors import KeyringError
            try:
                if value:
                    keyring.set_password(SERVICE, name, value)
                else:
                    try:
                        keyring.delete_password(SERVICE, name)
                    except keyring.errors.PasswordDeleteError:
                        pass
                return True
            except (KeyringError, RuntimeError) as exc:
                log.warning("Keyring write failed (%s); keeping the secret for this session",
                            type(exc).__name__)
        if value:
            self._session[name] = value
        return False


def with_secrets(settings: Settings, store: SecretStore, profile: str = "default") -> Settings:
    """Fill the token and AI key from the store where the environment gave none."""
    token = settings.github_token or store.get(github_token_name(profile))
    key = settings.openai_api_key or store.get(OPENAI_KEY)
    filled = settings.with_(github_token=token or None, openai_api_key=key or None)
    store.redactions.add(*filled.secrets)  # the environment's too: they are in use from now
    return filled


def github_token_lookup(store: SecretStore, env_token: str | None) -> Callable[[str], str | None]:
    """Each profile's token: GITHUB_TOKEN wins, else the profile's keyring token, else none."""
    store.redactions.add(env_token)

    def token_for(profile: str) -> str | None:
        return env_token or store.get(github_token_name(profile)) or None
    return token_for


def with_store_password(store: StoreURL, secrets: SecretStore, name: str) -> StoreURL:
    """A team store with the keyring's password when its URL gives none (an SQLite
    store, or a URL that carries its own password, is left as it is)."""
    if not store.shared or store.password:
        return store
    return store.with_password(secrets.get(name))


# -- getting a token --------------------------------------------------------------------------

def token_page_url(github_api: str = DEFAULT_GITHUB_API) -> str:
    """GitHub's "new personal access token" page, scopes and description filled in (on the
    GitHub Enterprise host when the API is one)."""
    web = enterprise_host_of(github_api) or "github.com"
    query = urlencode({"scopes": ",".join(TOKEN_SCOPES), "description": TOKEN_DESCRIPTION})
    return f"https://{web}/settings/tokens/new?{query}"


def gh_cli_installed(which: Callable[[str], str | None] = shutil.which) -> bool:
    return which("gh") is not None


def gh_cli_token(github_api: str = DEFAULT_GITHUB_API, *, timeout: float = GH_TIMEOUT,
                 which: Callable[[str], str | None] = shutil.which) -> str | None:
    """The GitHub CLI's token (``gh auth token``), or None when it is not installed, not
    logged in, or does not answer within ``timeout``. Its output is never logged."""
    gh = which("gh")
    if gh is None:
        return None
    command = [gh, "auth", "token"]
    host = urlsplit(github_api).hostname
    if host and host not in ("api.github.com", "github.com"):
        command += ["--hostname", host]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("The GitHub CLI did not give a token (%s)", type(exc).__name__)
        return None
    token = done.stdout.strip()
    if done.returncode != 0 or not token or any(ch.isspace() for ch in token):
        log.info("The GitHub CLI gave no token (exit %s)", done.returncode)
        return None
    return token
