"""Where the catalog and the queue live: ``REPOFOLIO_DATABASE_URL`` and ``REPOFOLIO_QUEUE_URL``.

A desktop keeps both in SQLite files in the data folder (the defaults). Team
mode points them at shared servers: the catalog at PostgreSQL
(``postgresql://USER@HOST[:PORT]/DB``), the queue at Redis
(``redis://HOST[:PORT]/N``). A URL is parsed and checked once, into a
:class:`StoreURL`; anything shown to a person or written to a file is
:meth:`StoreURL.display` (or :func:`redact_url` for text that did not parse),
which never holds a password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from core.errors import InvalidInput, StorageUnreachable
from core.urls import mask_credentials

SQLITE, POSTGRESQL, REDIS = "sqlite", "postgresql", "redis"
DATABASE_ENV, QUEUE_ENV = "REPOFOLIO_DATABASE_URL", "REPOFOLIO_QUEUE_URL"
CATALOG_FILE, QUEUE_FILE = "repofolio.db", "queue.db"
_POSTGRES_SCHEMES = ("postgresql", "postgres")
_REDIS_SCHEMES = ("redis", "rediss")
_OPTION_NAME = re.compile(r"^[a-z_]{1,40}$")
# libpq options that would say again what the URL itself says: refused, so that a
# password never sits among the options (shown, saved) and no part is given twice.
_URL_PARTS_AS_OPTIONS = {
    "password": "put the password in the keyring or after the user name, not in ?password=",
    "user": "put the user name before the host (USER@HOST), not in ?user=",
    "host": "put the host after the user name, not in ?host=",
    "hostaddr": "put the host after the user name, not in ?hostaddr=",
    "port": "put the port after the host (HOST:PORT), not in ?port=",
    "dbname": "put the database name after the host (HOST/DATABASE), not in ?dbname=",
}


@dataclass(frozen=True)
class StoreURL:
    """A parsed store URL: an SQLite file, a PostgreSQL database or a Redis database."""

    kind: str
    path: Path | None = None  # SQLite
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None  # PostgreSQL: its name; Redis: its number
    options: tuple[tuple[str, str], ...] = ()  # PostgreSQL: passed on to libpq
    tls: bool = False  # rediss://

    @property
    def shared(self) -> bool:
        """True in team mode: a server that other machines may use too."""
        return self.kind != SQLITE

    def display(self) -> str:
        """The URL as a person may see it: never with its password."""
        if self.kind == SQLITE:
            return f"sqlite:///{self.path.as_posix().lstrip('/')}" if self.path else "sqlite"
        scheme = "rediss" if self.tls else ("redis" if self.kind == REDIS else "postgresql")
        user = self.user or ""
        if self.password:
            user += ":***"
        netloc = (f"{user}@" if user else "") + _host_text(self.host or "")
        if self.port:
            netloc += f":{self.port}"
        query = "&".join(f"{k}={v}" for k, v in self.options)
        return f"{scheme}://{netloc}/{self.database or ''}" + (f"?{query}" if query else "")

    def with_password(self, password: str | None) -> "StoreURL":
        return replace(self, password=password or None) if password else self

    def __str__(self) -> str:
        return self.display()


def _host_text(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # an IPv6 address


def redact_url(text: str) -> str:
    """``scheme://user:password@host/…`` -> ``scheme://user:***@host/…``, for any text,
    even one that does not parse (:func:`core.urls.mask_credentials` keeping the user)."""
    return mask_credentials(text, keep_user=True)


def without_password(text: str) -> str:
    """The URL with no password at all (to be saved; the password lives in the keyring)."""
    redacted = redact_url(text)
    return redacted.replace(":***@", "@", 1) if redacted != text else text


def parse_database_url(text: str | None, home: Path) -> StoreURL:
    """The catalog's location; empty: ``repofolio.db`` in the data folder."""
    usage = "sqlite:///PATH or postgresql://USER@HOST[:PORT]/DATABASE"
    text, parts, sqlite = _sqlite_or_server(text, home / CATALOG_FILE, DATABASE_ENV, usage)
    if sqlite is not None:
        return sqlite
    if parts.scheme not in _POSTGRES_SCHEMES:
        raise _invalid(DATABASE_ENV, text, usage)
    host, port = _host_and_port(text, parts, DATABASE_ENV, usage)
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise _invalid(DATABASE_ENV, text, usage, "it names no database")
    options = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if not _OPTION_NAME.match(key):
            raise _invalid(DATABASE_ENV, text, usage, f"{key!r} is not a connection option")
        if key in _URL_PARTS_AS_OPTIONS:  # shown without its query: it may hold a password
            raise _invalid(DATABASE_ENV, text.partition("?")[0], usage,
                           _URL_PARTS_AS_OPTIONS[key])
        options.append((key, value))
    return StoreURL(POSTGRESQL, host=host, port=port, user=_user(parts), database=name,
                    password=_password(parts), options=tuple(options))


def parse_queue_url(text: str | None, home: Path) -> StoreURL:
    """The queue's location; empty or ``sqlite``: ``queue.db`` in the data folder."""
    usage = "sqlite, sqlite:///PATH or redis://HOST[:PORT]/N"
    text, parts, sqlite = _sqlite_or_server(text, home / QUEUE_FILE, QUEUE_ENV, usage)
    if sqlite is not None:
        return sqlite
    if parts.scheme not in _REDIS_SCHEMES:
        raise _invalid(QUEUE_ENV, text, usage)
    host, port = _host_and_port(text, parts, QUEUE_ENV, usage)
    number = parts.path.strip("/") or "0"
    if not number.isdigit() or parts.query:
        raise _invalid(QUEUE_ENV, text, usage, "the part after the host must be a database "
                       "number and nothing else")
    return StoreURL(REDIS, host=host, port=port, user=_user(parts), password=_password(parts),
                    database=str(int(number)), tls=parts.scheme == "rediss")


def _sqlite_or_server(text: str | None, default: Path, env: str, usage: str):
    """``(text, its parts, the SQLite store it names or None)``: empty or ``sqlite`` is
    ``default``; ``sqlite:///PATH`` that file; anything else is for the caller."""
    text = (text or "").strip()
    if not text or text == SQLITE:
        return text, None, StoreURL(SQLITE, path=default)
    parts = _split(text, env, usage)
    if parts.scheme == SQLITE:
        return text, parts, StoreURL(SQLITE, path=_sqlite_path(text, parts, env, usage))
    return text, parts, None


def unreachable(what: str, store: StoreURL, detail: str, *, env: str, default_port: int,
                advice: str) -> StorageUnreachable:
    """What a person sees when ``store``'s server failed us: where (no password), the
    driver's words (``detail``, its password blanked) and ``advice``, or by default how
    to check the server."""
    if store.password:
        detail = detail.replace(store.password, "***")
    advice = advice or (f"Check that the server runs at {store.host}:{store.port or default_port}"
                        f" and accepts connections from this machine, or unset {env} to use "
                        f"the {what} in the data folder.")
    return StorageUnreachable(f"Cannot use the {what} at {store.display()}: "
                              f"{detail.rstrip('.')}.", suggestion=advice)


def _split(text: str, env: str, usage: str):
    try:
        parts = urlsplit(text)
    except ValueError:
        raise _invalid(env, text, usage) from None
    if not parts.scheme:
        raise _invalid(env, text, usage)
    return parts._replace(scheme=parts.scheme.lower())


def _sqlite_path(text: str, parts, env: str, usage: str) -> Path:
    if parts.netloc or parts.query:
        raise _invalid(env, text, usage, "an SQLite URL has three slashes and no host")
    raw = unquote(parts.path)
    if re.match(r"^/+[A-Za-z]:[\\/]", raw):  # sqlite:///C:/Users/... on Windows
        raw = raw.lstrip("/")
    elif raw.startswith("/"):
        raw = "/" + raw.lstrip("/")
    path = Path(raw).expanduser()
    if not raw or not path.is_absolute() or raw.endswith("/"):
        raise _invalid(env, text, usage, "it needs the absolute path of a file")
    return path


def _host_and_port(text: str, parts, env: str, usage: str) -> tuple[str, int | None]:
    try:
        port = parts.port
    except ValueError:
        raise _invalid(env, text, usage, "its port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise _invalid(env, text, usage, "it names no host")
    if port == 0:
        raise _invalid(env, text, usage, "its port is not a number from 1 to 65535")
    return parts.hostname, port


def _user(parts) -> str | None:
    return unquote(parts.username) if parts.username else None


def _password(parts) -> str | None:
    return unquote(parts.password) if parts.password else None


def _invalid(env: str, text: str, usage: str, why: str = "") -> InvalidInput:
    because = f" ({why})" if why else ""
    return InvalidInput(f"{env} must be {usage}, not {redact_url(text)!r}{because}.",
                        suggestion=f"Fix {env}, or unset it to keep this store in the data "
                                   "folder.")
