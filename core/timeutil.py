"""UTC time as the catalog stores it (naive UTC datetimes) and as JSON shows it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def utcnow() -> datetime:
    """Naive UTC, the form every DateTimeField in the catalog holds."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def after(seconds: float, start: datetime | None = None) -> datetime:
    return (start or utcnow()) + timedelta(seconds=seconds)


def iso(value: datetime | None) -> str | None:
    """ISO 8601, UTC, milliseconds: ``2026-11-28T12:03:01.123Z``."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="milliseconds") + "Z"


def clock_time(epoch: float, fmt: str = "%H:%M UTC", *, utc: bool = True) -> str:
    """``epoch`` (seconds, as a server sent it) as a time of day; a value no clock can show
    (past the year 9999, infinite) is the server's nonsense, not a crash."""
    try:
        return datetime.fromtimestamp(epoch, timezone.utc if utc else None).strftime(fmt)
    except (OverflowError, OSError, ValueError):
        return "an unknown time"
