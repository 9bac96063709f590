"""Loading what an import runs before it runs, on a thread of its own.

A cold process pays for its libraries once: httpx and the GitHub client, the TLS
context (the CA bundle), the analyzer and the tech-stack readers (PyYAML, the name
tables) — together ~0.15 s of CPU here. Loaded inside the first job, that time sat
between its requests; loaded by a thread started as early as the process knows it
will import, it overlaps the process's own start and the job's network waits.
Python's import lock makes a job that gets there first wait for the same import
rather than run it twice, so there is nothing to synchronise.

This module imports nothing heavy itself: ``main.py`` calls it before the rest of
the command line is loaded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)


def network() -> None:
    """The first step of every import: the GitHub client (httpx) and the TLS context."""
    import core.github.client  # noqa: F401
    from core.net.agent import user_agent
    from core.net.tls import verified_context

    verified_context()
    user_agent()


def analyzer(settings: Settings) -> None:
    """The analyzer ``settings`` choose and the tech-stack readers it calls."""
    from core.analysis.factory import make_analyzer

    getattr(make_analyzer(settings), "close", lambda: None)()


def in_background(*steps: Callable[[], None]) -> threading.Thread:
    """Run ``steps`` in order on a daemon thread; a failure is logged, never raised (the
    job loads what it needs itself: this was only a head start)."""
    def run() -> None:
        try:
            for step in steps:
                step()
        except Exception:
            log.warning("Loading the import libraries ahead failed", exc_info=True)

    thread = threading.Thread(target=run, name="repofolio-preload", daemon=True)
    thread.start()
    return thread
