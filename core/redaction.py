"""The secrets a process has in use, so that its logs can blank each one out.

One :class:`Redactions` per process: the code that hands out a secret (the
secret store, the environment's settings) adds it the moment it is read, and the
log filter (:mod:`core.logs`) reads the set at every record. A token read for
the first time in the middle of a session is therefore redacted from its first
use on, without reconfiguring logging. It is an object passed explicitly, not a
module global, so each test builds its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

MASK = "***"
# Shorter values would blank out ordinary words (an empty or one-letter "key" in a test).
MIN_LENGTH = 4


class Redactions:
    """A thread-safe set of secret strings and the replacement of each in a text."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        """Redact these from now on (empty and too-short values are ignored)."""
        fresh = {s for s in secrets if s and len(s) >= MIN_LENGTH}
        if not fresh - set(self._secrets):
            return
        with self._lock:
            # Longest first: a secret that contains another is blanked out whole.
            self._secrets = tuple(sorted(set(self._secrets) | fresh, key=len, reverse=True))

    def __contains__(self, secret: object) -> bool:
        return secret in self._secrets

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def __len__(self) -> int:
        return len(self._secrets)

    def redact(self, text: str) -> str:
        for secret in self._secrets:  # one tuple read: no lock needed to iterate it
            text = text.replace(secret, MASK)
        return text
