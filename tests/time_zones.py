"""This process's local time zone switched for a test: a machine east or west of UTC."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

import pytest


@contextmanager
def local_time_zone(name: str) -> Iterator[None]:
    """Run the block as if the machine were in ``name`` (``"Asia/Tokyo"``); restored after."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", name)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()
