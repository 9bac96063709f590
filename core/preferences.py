"""Non-secret preferences chosen in the window, shared with the command line.

Kept as ``preferences.json`` in the data folder. Environment variables win
over them (DESIGN §4). Secrets are never written here: they live in the
keyring (:mod:`core.secrets`). The catalog's and the queue's URLs are kept
without their password, whatever the caller passes.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from core.store_urls import without_password

log = logging.getLogger(__name__)

FILE_NAME = "preferences.json"
# preference key -> the environment variable that overrides it
KEYS = {
    "analyzer": "REPOFOLIO_ANALYZER",
    "openai_base_url": "OPENAI_BASE_URL",
    "ai_model": "REPOFOLIO_AI_MODEL",
    "workers": "REPOFOLIO_WORKERS",
    "profile_concurrency": "REPOFOLIO_PROFILE_CONCURRENCY",
    "github_api": "REPOFOLIO_GITHUB_API",
    "database_url": "REPOFOLIO_DATABASE_URL",
    "queue_url": "REPOFOLIO_QUEUE_URL",
}
# Preferences that are URLs: a password in them never reaches this file (the stores' go to
# the keyring; the window refuses one in the GitHub or AI server address).
URL_KEYS = ("database_url", "queue_url", "github_api", "openai_base_url")


def load(home: Path) -> dict[str, str]:
    path = home / FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("Ignoring unreadable preferences file %s", path)
        return {}
    return {k: str(v) for k, v in _clean(data).items()}


def _clean(values: dict) -> dict[str, object]:
    clean = {k: v for k, v in values.items() if k in KEYS and v not in (None, "")}
    for key in URL_KEYS:
        if key in clean:
            clean[key] = without_password(str(clean[key]))
    return clean


def save(home: Path, values: dict[str, object]) -> None:
    """Write atomically, so a crash leaves the old file or the new one, never half."""
    home.mkdir(parents=True, exist_ok=True)
    clean = _clean(values)
    tmp = home / (FILE_NAME + ".tmp")
    tmp.write_text(json.dumps(clean, indent=2), encoding="utf-8")
    os.replace(tmp, home / FILE_NAME)


def as_environment(home: Path) -> dict[str, str]:
    """The preferences in the form of the environment variables they stand for."""
    return {KEYS[k]: v for k, v in load(home).items()}
