"""The User-Agent every request of ours carries: ``repofolio/<installed version>``."""

from __future__ import annotations

import functools
from importlib import metadata


@functools.cache
def user_agent() -> str:
    """Read once: looking the version up scans the installed distributions (~1 ms each
    time, and every import built a client)."""
    try:
        version = metadata.version("repofolio")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"repofolio/{version}"
