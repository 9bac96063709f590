"""Secrets (GitHub token, AI key) in the OS keyring, never in a file of ours.

Where no keyring works (a headless machine), secrets given in the window are
kept for this session only, in memory; the environment still overrides.

Every secret the store hands out or is given goes into its
:class:`~core.redaction.Redactions` at that moment, which the log filter reads:
a profile's token is redacted from the first time an import reads it.
"""

from __future__ import annotations

import logging
from typing import Callable

from core.redaction import Redactions
from core.settings import Settings

log = logging.getLogger(__name__)

SERVICE = "repofolio"
OPENAI_KEY = "openai-api-key"


def github_token_name(profile: str) -> str:
    return f"github-token:{profile}"


class SecretStore:
    """The keyring when there is one, else a session-only memory.

    ``redactions``: the process's set of secrets in use (the one its logging reads).
    """

    def __init__(self, redactions: Redactions | None = None) -> None:
        self._session: dict[str, str] = {}
        self.redactions = redactions if redactions is not None else Redactions()

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
        """Store (or with ``None`` remove) a secret; True if it was saved persistently."""
        self.redactions.add(value)
        self._session.pop(name, None)
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
