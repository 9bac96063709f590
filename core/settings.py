"""Configuration, declared once: environment variables (DESIGN §4) with their defaults.

Secrets are not read here beyond the environment; the keyring lives in
:mod:`core.secrets`. ``Settings`` is immutable and passed explicitly, so tests
build one for a temporary folder instead of patching globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

import platformdirs

from core import preferences
from core.errors import InvalidInput
from core.net.limits import ResponseLimits
from core.store_urls import (
    CATALOG_FILE, QUEUE_FILE, StoreURL, parse_database_url, parse_queue_url,
)

APP_NAME = "repofolio"
DEFAULT_GITHUB_API = "https://api.github.com"
ANALYZER_CHOICES = ("auto", "openai", "heuristic")
MAX_PROFILE_CONCURRENCY = 8


def enterprise_host_of(github_api: str) -> str | None:
    """The host of a GitHub Enterprise API URL (``https://HOST/api/v3``), else None."""
    parts = urlsplit(github_api)
    if parts.path.rstrip("/") == "/api/v3" and parts.hostname:
        return parts.hostname.lower()
    return None


@dataclass(frozen=True)
class Settings:
    """Every knob of the app; defaults are the documented ones."""

    home: Path
    github_api: str = DEFAULT_GITHUB_API
    github_token: str | None = field(default=None, repr=False)
    analyzer: str = "auto"
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    ai_model: str = "gpt-4o-mini"
    workers: int = 4
    profile_concurrency: int = 1  # imports of one profile that run at once (1–8)
    # Where the catalog and the queue live (DESIGN §4); None: SQLite files in ``home``.
    # A URL may hold a password, so neither is shown by repr.
    database_url: str | None = field(default=None, repr=False)
    queue_url: str | None = field(default=None, repr=False)
    # Timeouts and limits (seconds unless named otherwise).
    request_timeout: float = 20.0  # per read or connect; limits.request_seconds bounds the whole
    ai_timeout: float = 60.0  # the whole AI call, its retries included
    ai_max_retries: int = 2
    import_deadline: float = 300.0
    lease_ttl: float = 300.0
    heartbeat_interval: float = 10.0
    stale_after: float = 30.0
    max_attempts: int = 4  # the first run plus three retries
    retry_base_delay: float = 2.0
    retry_max_delay: float = 60.0
    rate_limit_max_wait: float = 120.0
    limits: ResponseLimits = field(default_factory=ResponseLimits)  # what a server may send

    @property
    def catalog_store(self) -> StoreURL:
        return parse_database_url(self.database_url, self.home)

    @property
    def queue_store(self) -> StoreURL:
        return parse_queue_url(self.queue_url, self.home)

    @property
    def catalog_path(self) -> Path:
        """The catalog's SQLite file (the default one in team mode, where it is unused)."""
        return self.catalog_store.path or self.home / CATALOG_FILE

    @property
    def queue_path(self) -> Path:
        """The queue's SQLite file (the default one in team mode, where it is unused)."""
        return self.queue_store.path or self.home / QUEUE_FILE

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def secrets(self) -> list[str]:
        """The secrets in use, for the log filter that blanks them out."""
        passwords = [store.password for store in (self.catalog_store, self.queue_store)]
        return [s for s in (self.github_token, self.openai_api_key, *passwords) if s]

    @property
    def enterprise_host(self) -> str | None:
        """The host of a GitHub Enterprise API (``https://HOST/api/v3``), else None."""
        return enterprise_host_of(self.github_api)

    @property
    def use_openai(self) -> bool:
        if self.analyzer == "heuristic":
            return False
        if self.analyzer == "openai":
            return True
        return bool(self.openai_api_key)

    def ensure_dirs(self) -> None:
        for path in (self.home, self.log_dir, self.cache_dir):
            path.mkdir(parents=True, exist_ok=True)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        home = env.get("REPOFOLIO_HOME") or platformdirs.user_data_dir(APP_NAME, appauthor=False)
        # Preferences saved from the window fill in what the environment leaves unset.
        env = {**preferences.as_environment(Path(home).expanduser()), **env}
        analyzer = (env.get("REPOFOLIO_ANALYZER") or "auto").strip().lower()
        if analyzer not in ANALYZER_CHOICES:
            raise InvalidInput(f"REPOFOLIO_ANALYZER must be one of {', '.join(ANALYZER_CHOICES)}, "
                               f"not {analyzer!r}.")
        values = dict(
            home=Path(home).expanduser(),
            github_api=(env.get("REPOFOLIO_GITHUB_API") or DEFAULT_GITHUB_API).rstrip("/"),
            github_token=env.get("GITHUB_TOKEN") or None,
            analyzer=analyzer,
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            ai_model=env.get("REPOFOLIO_AI_MODEL") or "gpt-4o-mini",
            workers=_bounded_int(env.get("REPOFOLIO_WORKERS"), 4, "REPOFOLIO_WORKERS"),
            profile_concurrency=_bounded_int(env.get("REPOFOLIO_PROFILE_CONCURRENCY"), 1,
                                             "REPOFOLIO_PROFILE_CONCURRENCY",
                                             highest=MAX_PROFILE_CONCURRENCY),
            database_url=env.get("REPOFOLIO_DATABASE_URL") or None,
            queue_url=env.get("REPOFOLIO_QUEUE_URL") or None,
        )
        values.update(overrides)
        settings = cls(**values)
        _ = settings.catalog_store, settings.queue_store  # a bad URL is refused now, not later
        return settings


def _bounded_int(raw: str | None, default: int, name: str, *, highest: int = 64) -> int:
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, not {raw!r}.") from None
    if not 1 <= value <= highest:
        raise InvalidInput(f"{name} must be between 1 and {highest}, not {value}.")
    return value
