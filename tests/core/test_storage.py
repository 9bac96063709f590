"""Storage faults explained (core/storage.py) and log handlers that fail quietly."""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

import pytest
from huey import SqliteHuey
from peewee import SqliteDatabase

from core import storage
from core.db import open_catalog
from core.errors import DISK_FULL, STORAGE_DAMAGED, STORAGE_READ_ONLY, StorageError
from core.logs import setup_logging
from core.models import Profile
from core.redaction import Redactions


def test_a_full_disk_names_the_file_the_os_named(tmp_path):
    error = storage.explain(OSError(errno.ENOSPC, "No space left on device",
                                    str(tmp_path / "logs" / "repofolio.log")), home=tmp_path)
    assert error.code == DISK_FULL
    assert str(tmp_path / "logs" / "repofolio.log") in error.message
    assert "Free some space" in error.suggestion


def test_a_full_catalog_or_queue_is_named_from_where_sqlite_said_it(tmp_path):
    """SQLite's own "database or disk is full" (max_page_count), through Peewee and Huey."""
    db = open_catalog(tmp_path / "repofolio.db")
    try:
        pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
        db.execute_sql(f"PRAGMA max_page_count = {pages + 1}")
        with pytest.raises(Exception) as caught:
            for index in range(1000):
                Profile.create(name=f"p{index}-" + "x" * 2000)
    finally:
        db.close()
    error = storage.explain(caught.value, home=tmp_path)
    assert error.code == DISK_FULL and error.path == str(tmp_path / "repofolio.db")

    queue = SqliteHuey(filename=str(tmp_path / "queue.db"))
    pages = queue.storage.conn.execute("PRAGMA page_count").fetchone()[0]
    queue.storage.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(sqlite3.Error) as caught:
        for _ in range(1000):
            queue.storage.enqueue(b"x" * 5000)
    queue.storage.close()
    error = storage.explain(caught.value, home=tmp_path)
    assert error.code == DISK_FULL and error.path == str(tmp_path / "queue.db")


def test_a_read_only_catalog_is_named(tmp_path):
    open_catalog(tmp_path / "repofolio.db").close()
    read_only = SqliteDatabase(f"file:{tmp_path / 'repofolio.db'}?mode=ro", uri=True)
    with pytest.raises(Exception) as caught:
        read_only.execute_sql("CREATE TABLE t (x)")
    read_only.close()
    error = storage.explain(caught.value, home=tmp_path)
    assert error.code == STORAGE_READ_ONLY and "repofolio.db" in error.message
    assert "REPOFOLIO_HOME" in error.suggestion


def test_a_damaged_file_is_named_and_never_touched(tmp_path):
    path = tmp_path / "repofolio.db"
    garbage = b"not a database " * 100
    path.write_bytes(garbage)
    with pytest.raises(StorageError) as caught:
        with storage.naming(path, home=tmp_path):
            open_catalog(path)
    error = caught.value
    assert error.code == STORAGE_DAMAGED and str(path) in error.message
    assert "move the file aside" in error.suggestion and ".recover" in error.suggestion
    assert path.read_bytes() == garbage


def test_other_errors_are_not_storage_faults(tmp_path):
    assert storage.explain(ValueError("database or disk is full"), home=tmp_path) is None
    assert storage.explain(OSError(errno.ECONNREFUSED, "refused"), home=tmp_path) is None
    with pytest.raises(KeyError):
        with storage.naming(tmp_path, home=tmp_path):
            raise KeyError("x")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_log_file_on_a_full_disk_prints_no_logging_error(tmp_path, capfd, monkeypatch):
    """logging's default prints "--- Logging error ---" and a traceback per record."""
    monkeypatch.setattr(logging, "raiseExceptions", True)  # as outside pytest
    setup_logging(tmp_path / "logs", Redactions(), stderr_level=logging.CRITICAL)
    root = logging.getLogger()
    handler = next(h for h in root.handlers
                   if getattr(h, "_repofolio", False) and isinstance(h, logging.FileHandler))
    handler.stream.close()
    handler.stream = open("/dev/full", "w", encoding="utf-8")  # writes fail with ENOSPC
    try:
        logging.getLogger("repofolio.test").warning("this cannot be written")
    finally:
        handler.stream = None  # /dev/full stays full; the handler reopens nothing
        for h in list(root.handlers):
            if getattr(h, "_repofolio", False):
                root.removeHandler(h)
                h.close()
    err = capfd.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err


def test_a_damaged_or_full_http_cache_only_means_no_cache(tmp_path, fake_github, caplog):
    from core.github.client import GitHubClient
    (tmp_path / "http.sqlite3").write_bytes(b"not a cache " * 100)
    with GitHubClient(fake_github.url, cache_dir=tmp_path) as client:
        assert client.fetch_repository("pallets", "flask").full_name == "pallets/flask"
    assert (tmp_path / "http.sqlite3").read_bytes() == b"not a cache " * 100

    (tmp_path / "http.sqlite3").unlink()
    with GitHubClient(fake_github.url, cache_dir=tmp_path) as client:
        cache = client._http._cache
        cache._db.execute("PRAGMA max_page_count = 1")  # every write: "database or disk is full"
        assert client.fetch_repository("psf", "requests").full_name == "psf/requests"
    warned = [r.getMessage() for r in caplog.records if r.name == "core.github.etag_cache"]
    assert any("not used:" in m for m in warned)  # the damaged file
    assert any("database or disk is full" in m for m in warned)  # the full one
