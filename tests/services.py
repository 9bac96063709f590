"""Real PostgreSQL and Redis servers for the team-mode tests, started once per session.

Each server runs on 127.0.0.1 on a free port with its own temporary data
directory, with a password (so the tests see what a password-protected team
setup does) and durability switched off (tests need speed, not crash safety).
PostgreSQL refuses to run as root: under root (CI) it runs as the ``postgres``
user through ``runuser``. Binaries come from Debian's packages
(``/usr/lib/postgresql/*/bin``, ``redis-server`` on PATH).

Every test gets its own PostgreSQL schema (the URL sets its ``search_path``: a
schema costs well under a millisecond where ``CREATE DATABASE`` took 0.15–0.5 s
here) and its own Redis database number, so a stray process of an earlier test
cannot touch its data.

Without the binaries the team-mode tests are skipped (which fails a CI run:
``REPOFOLIO_CI_STRICT_SKIPS``).
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_USER = "repofolio"
PG_PASSWORD = "pg-Secret-4711"
REDIS_PASSWORD = "redis-Secret-0815"
TEST_DATABASE = "repofolio_tests"
REDIS_DATABASES = 4096  # one per test: a stray worker of an earlier test finds nothing


class ServiceUnavailable(Exception):
    """The binaries are missing or a server did not start."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian keeps them per version)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                        else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _wait_for_port(port: int, proc: subprocess.Popen, what: str, log: Path,
                   timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServiceUnavailable(f"{what} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServiceUnavailable(f"{what} did not listen on port {port} within {timeout} s")


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster; :meth:`new_database` gives each test its own."""

    root: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    _conn: object = None

    def start(self) -> "PostgresServer":
        bindir = postgres_bin()
        if bindir is None:
            raise ServiceUnavailable("PostgreSQL is not installed (apt-get install postgresql)")
        as_root = os.geteuid() == 0
        run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
        data = self.root / "data"
        pwfile = self.root / "pwfile"
        pwfile.write_text(PG_PASSWORD)
        if as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(pwfile, "postgres")
        subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-U", PG_USER,
                        f"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=trust",
                        "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        self.port = free_port()
        log = self.root / "postgres.log"
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [*run_as, str(bindir / "postgres"), "-D", str(data), "-h", "127.0.0.1",
                 "-p", str(self.port), "-c", "unix_socket_directories=", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=300", "-c", "shared_buffers=32MB"],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for_port(self.port, self.proc, "postgres", log)
        self._admin_ready()
        return self

    def url(self, database: str, *, password: bool = True, schema: str | None = None) -> str:
        secret = f":{PG_PASSWORD}" if password else ""
        query = f"?options=-c%20search_path%3D{schema}" if schema else ""
        return f"postgresql://{PG_USER}{secret}@127.0.0.1:{self.port}/{database}{query}"

    def _admin(self):
        """One autocommit connection to the tests' database, kept for the session."""
        if self._conn is None or self._conn.closed:
            import psycopg
            self._conn = psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER,
                                         password=PG_PASSWORD, dbname=TEST_DATABASE,
                                         autocommit=True, connect_timeout=5)
            self._conn.execute("SET lock_timeout = '10s'")
        return self._conn

    def _admin_ready(self, timeout: float = 30.0) -> None:
        import psycopg
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER,
                                     password=PG_PASSWORD, dbname="postgres", autocommit=True,
                                     connect_timeout=5) as conn:
                    conn.execute(f'CREATE DATABASE "{TEST_DATABASE}" TEMPLATE template0')
                return
            except psycopg.OperationalError:  # the server accepts TCP before it accepts logins
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def new_schema(self, name: str) -> str:
        """A fresh schema in the tests' database; the URL makes it the only one searched."""
        self._admin().execute(f'CREATE SCHEMA "{name}"')
        return self.url(TEST_DATABASE, schema=name)

    def drop_schema(self, name: str) -> None:
        """Drop a test's schema; one still locked by a stray process is left behind."""
        import psycopg
        try:
            self._admin().execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        except psycopg.errors.LockNotAvailable:
            pass

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self.proc is not None and self.proc.poll() is None:
            # SIGINT is a "fast" shutdown (no waiting for clients); runuser does not pass
            # it on, so it goes to the postmaster itself (its pid heads postmaster.pid).
            try:
                pid = int((self.root / "data" / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGINT)
            except (OSError, ValueError, IndexError):
                self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@dataclass
class RedisServer:
    """A throwaway redis-server without persistence; :meth:`url` takes a database number."""

    root: Path
    port: int = 0
    proc: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceUnavailable("Redis is not installed (apt-get install redis-server)")
        self.port = free_port()
        log = self.root / "redis.log"
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.root), "--requirepass", REDIS_PASSWORD,
                 "--databases", str(REDIS_DATABASES), "--protected-mode", "no"],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        _wait_for_port(self.port, self.proc, "redis-server", log)
        return self

    def url(self, number: int, *, password: bool = True) -> str:
        secret = f":{REDIS_PASSWORD}@" if password else ""
        return f"redis://{secret}127.0.0.1:{self.port}/{number}"

    def flush(self, number: int) -> None:
        import redis
        client = redis.Redis.from_url(self.url(number))
        try:
            client.flushdb()
        finally:
            client.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class TeamServices:
    """Both servers, and a fresh (catalog URL, queue URL) pair for each test."""

    def __init__(self) -> None:
        # Not under pytest's tmp_path: its root folder is private to root, and the
        # postgres user must reach its data directory.
        self.root = Path(tempfile.mkdtemp(prefix="repofolio-services-"))
        self.root.chmod(0o755)
        self.postgres = PostgresServer(self.root / "pg")
        self.redis = RedisServer(self.root / "redis")
        self._numbers = itertools.count(1)

    def start(self) -> "TeamServices":
        try:
            self.postgres.root.mkdir()
            self.redis.root.mkdir()
            self.postgres.start()
            self.redis.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.postgres.stop()
        self.redis.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def allocate(self) -> "TeamStores":
        number = next(self._numbers)
        if number >= REDIS_DATABASES:
            raise ServiceUnavailable("more team-mode tests than Redis databases")
        name = f"t{number}"
        return TeamStores(self, number, name, self.postgres.new_schema(name),
                          self.redis.url(number))


@dataclass
class TeamStores:
    """One test's catalog (a PostgreSQL schema) and queue (a Redis database)."""

    services: TeamServices
    number: int
    schema: str
    database_url: str
    queue_url: str

    def release(self) -> None:
        self.services.postgres.drop_schema(self.schema)
        self.services.redis.flush(self.number)

    def contents(self) -> bytes:
        """Everything this test's catalog and queue hold (every row, every Redis value),
        for tests that look for a secret."""
        import psycopg
        import redis
        found: list[bytes] = []
        admin = self.services.postgres._admin()
        tables = admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s",
                               (self.schema,)).fetchall()
        for (table,) in tables:
            query = psycopg.sql.SQL("SELECT * FROM {}.{}").format(
                psycopg.sql.Identifier(self.schema), psycopg.sql.Identifier(table))
            found += [repr(row).encode() for row in admin.execute(query).fetchall()]
        client = redis.Redis.from_url(self.queue_url)
        try:
            for key in client.scan_iter():
                found += [key, client.dump(key) or b""]
        finally:
            client.close()
        return b"\n".join(found)
