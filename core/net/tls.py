"""One verified TLS context for every HTTP client we build."""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def verified_context() -> ssl.SSLContext:
    """Building one costs ~50 ms (the CA bundle): every client shares this one."""
    return httpx.create_ssl_context()
