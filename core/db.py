"""Opening the catalog (an SQLite file, or PostgreSQL in team mode), its migrations, and
the one way to write after reading.

Both backends have one schema (:mod:`core.models`) and one list of migrations,
each run once, in order, in one transaction with the others; every step checks
what is already there, so a new catalog (made by the first step) passes through
the later ones unchanged. The version is the ``schema_version`` table (one row
per step), since PostgreSQL has no ``PRAGMA user_version``. SQLite catalogs from
before that table kept their version in ``user_version``: it is read once, and
still written, for an older app that opens the file. Steps 2–5 predate team mode
and only ever meet older SQLite catalogs (a new PostgreSQL catalog starts at step
1's tables, already whole); every later step must run on both backends: types both
know (``TIMESTAMP``, not ``DATETIME``), or ``playhouse.migrate``.

Thread-local connections: each thread that touches the catalog closes its
connection when it is done (:func:`close_thread_connection`); on PostgreSQL that
hands it back to the pool.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from peewee import Database, IntegerField, InterfaceError, OperationalError, fn

from core import changes, search
from core.db_servers import MIGRATION_LOCK, connect, is_postgres, unreachable
from core.models import ALL_MODELS, BaseModel, Lease, Profile, database
from core.store_urls import SQLITE, StoreURL, parse_database_url

log = logging.getLogger(__name__)

DEFAULT_PROFILE = "default"


def _v1_initial(db: Database) -> None:
    db.create_tables(ALL_MODELS)


def _v2_job_kind(db: Database) -> None:
    """Jobs gain a kind (import or refresh). Catalogs created at v2+ already have it.

    A plain ADD COLUMN: playhouse's migrator rebuilds the table for a NOT NULL
    column, and dropping the old ``job`` table inside our transaction would cascade
    to every lease (foreign_keys cannot be switched off inside a transaction).
    """
    if "kind" not in {column.name for column in db.get_columns("job")}:
        db.execute_sql("ALTER TABLE job ADD COLUMN kind VARCHAR(255) NOT NULL DEFAULT 'import'")


def _v3_sort_indexes(db: Database) -> None:
    """Indexes for the browser's sort orders (names as Peewee gives them in models.py)."""
    db.execute_sql("CREATE INDEX IF NOT EXISTS project_imported_at_id ON project (imported_at, id)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS project_stars ON project (stars)")


def _v4_portfolio_order(db: Database) -> None:
    """Projects gain the user's portfolio order; profiles the published title and intro.

    Plain ADD COLUMNs in place (see _v2_job_kind); catalogs created later already have them.
    """
    wanted = [("project", "position", "INTEGER NULL"),
              ("profile", "publish_title", "VARCHAR(255) NOT NULL DEFAULT ''"),
              ("profile", "publish_intro", "TEXT NOT NULL DEFAULT ''")]
    for table, column, kind in wanted:
        if column not in {c.name for c in db.get_columns(table)}:
            db.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _v5_queue_many(db: Database) -> None:
    """Jobs gain a queue order, a batch parent and a payload; the one-per-profile ``lease``
    table becomes ``run_slot`` (N slots per profile).

    Columns are added in place (see ``_v2_job_kind``). The old lease table is only
    referenced by nothing, so it can go; a slot now belongs to an attempt that has
    started, so only running and retrying jobs keep theirs (as slot 0: there was one).
    """
    columns = {column.name for column in db.get_columns("job")}
    if "queued_at" not in columns:
        db.execute_sql("ALTER TABLE job ADD COLUMN queued_at DATETIME")
        db.execute_sql("UPDATE job SET queued_at = created_at")
    if "parent_id" not in columns:
        db.execute_sql("ALTER TABLE job ADD COLUMN parent_id INTEGER "
                       "REFERENCES job (id) ON DELETE CASCADE")
    if "payload" not in columns:
        db.execute_sql("ALTER TABLE job ADD COLUMN payload TEXT")
    db.execute_sql("CREATE INDEX IF NOT EXISTS job_parent_id ON job (parent_id)")
    db.create_tables([Lease])  # if missing
    if "lease" in db.get_tables():
        db.execute_sql(
            "INSERT OR IGNORE INTO run_slot (profile_id, slot, job_id, acquired_at, expires_at) "
            "SELECT lease.profile_id, 0, lease.job_id, lease.acquired_at, lease.expires_at "
            "FROM lease JOIN job ON job.id = lease.job_id "
            "WHERE job.status IN ('STARTED', 'RETRYING')")
        db.execute_sql("DROP TABLE lease")


def _v6_inputs_hash(db: Database) -> None:
    """Projects gain the digest of their analysis's inputs (core.refresh), so that a
    refresh redoes the analysis only when they changed. NULL for projects imported
    before: their first refresh analyses again and stores it."""
    if "inputs_hash" not in {c.name for c in db.get_columns("project")}:
        db.execute_sql("ALTER TABLE project ADD COLUMN inputs_hash VARCHAR(255) NULL")


def _v7_job_profile_status(db: Database) -> None:
    """An index for a profile's queued and running jobs (the line, the in-flight refusal):
    without it SQLite walked every job of the profile by ``job_profile_id``, and a submit
    into a profile of 100,000 imported projects took ~40 ms instead of ~1."""
    db.execute_sql("CREATE INDEX IF NOT EXISTS job_profile_id_status ON job (profile_id, status)")


def _v8_search_index(db: Database) -> None:
    """The full-text index and the language table, filled and kept up by triggers
    (core.search): a search and the language list no longer read every project. SQLite
    only: on PostgreSQL, search is a LIKE (ILIKE) and the languages come from the JSON."""
    search.install(db)


MIGRATIONS: list[Callable[[Database], None]] = [_v1_initial, _v2_job_kind,
                                                _v3_sort_indexes, _v4_portfolio_order,
                                                _v5_queue_many, _v6_inputs_hash,
                                                _v7_job_profile_status, _v8_search_index]


class SchemaVersion(BaseModel):
    """One applied migration step (the catalog's version is the highest)."""

    version = IntegerField(primary_key=True)
    applied_at = IntegerField()  # epoch seconds: the same column type on both backends

    class Meta:
        table_name = "schema_version"


def open_catalog(target: Path | str | StoreURL) -> Database:
    """Open (creating and migrating as needed) the catalog and bind the models to it.

    ``target``: an SQLite file's path, a ``REPOFOLIO_DATABASE_URL``, or a parsed one.
    Raises StorageUnreachable when a catalog server cannot be used.
    """
    store = _store_of(target)
    db = connect(store)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        migrate(db)
        changes.install(db)
        ensure_profile(DEFAULT_PROFILE)
    except (OperationalError, InterfaceError) as error:  # the server, not our SQL
        if store.kind == SQLITE:
            raise
        close_catalog(db)
        raise unreachable(error, store) from None
    return db


def _store_of(target: Path | str | StoreURL) -> StoreURL:
    if isinstance(target, StoreURL):
        return target
    if isinstance(target, Path):
        return StoreURL(SQLITE, path=target)
    return parse_database_url(target, Path.cwd())


def migrate(db: Database) -> int:
    """Bring the schema to the newest version; return that version."""
    with write_transaction(db):
        if is_postgres(db):  # two processes starting at once: one migrates, one waits
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        version = schema_version(db)
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            log.info("Migrating catalog to schema version %d", number)
            step(db)
            _record(db, number)
        # Only when a step ran: a write commits, and every other connection's watcher
        # (PRAGMA data_version) would take each open for news.
        if not is_postgres(db) and version < len(MIGRATIONS):
            db.execute_sql(f"PRAGMA user_version = {len(MIGRATIONS):d}")
    return len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The catalog's schema version (0: an empty database). ``db`` is the bound one."""
    if SchemaVersion.table_exists():
        return SchemaVersion.select(fn.MAX(SchemaVersion.version)).scalar() or 0
    if is_postgres(db):
        return 0
    legacy = db.execute_sql("PRAGMA user_version").fetchone()[0]
    for number in range(1, legacy + 1):  # what the older app applied, as it said
        _record(db, number)
    return legacy


def _record(db: Database, number: int) -> None:
    SchemaVersion.create_table()  # safe: IF NOT EXISTS
    SchemaVersion.insert(version=number, applied_at=int(time.time())).execute()


@contextmanager
def write_transaction(db: Database | None = None, *, profile_id: int | None = None) -> Iterator[None]:
    """A transaction for writes that depend on what it reads (check, then insert or update).

    SQLite: ``BEGIN IMMEDIATE``, so no other writer runs until it ends. PostgreSQL:
    ``BEGIN``, and with ``profile_id`` that profile's row locked (``SELECT … FOR
    UPDATE``) until the end, which serializes the profile's rules (duplicates, the
    same repository in flight, run slots) across every process and machine; other
    profiles go on in parallel. Nested, it becomes a savepoint of the outer one.
    """
    db = db or database.obj
    with db.atomic() if is_postgres(db) else db.atomic("IMMEDIATE"):
        if profile_id is not None:
            lock_profile(profile_id, db)
        yield


def lock_profile(profile_id: int, db: Database | None = None) -> None:
    """Inside a :func:`write_transaction`: hold the profile's row until it ends.

    A no-op on SQLite, where the transaction already excludes every other writer.
    """
    db = db or database.obj
    if is_postgres(db):
        db.execute_sql("SELECT id FROM profile WHERE id = %s FOR UPDATE", (profile_id,))


def lock_name(name: str, db: Database | None = None) -> None:
    """Inside a :func:`write_transaction`: one transaction at a time for ``name`` (a value
    that is unique across profiles, such as a slug), until it ends. A no-op on SQLite."""
    db = db or database.obj
    if is_postgres(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (name,))


def ensure_profile(name: str) -> Profile:
    profile, _ = Profile.get_or_create(name=name)
    return profile


def close_thread_connection() -> None:
    """Close this thread's connection (worker threads call it when they stop); on
    PostgreSQL it goes back to the pool."""
    if database.obj is not None and not database.is_closed():
        database.close()


def close_catalog(db: Database) -> None:
    """Close this thread's connection and, on PostgreSQL, the pool's idle ones."""
    if not db.is_closed():
        db.close()
    close_idle = getattr(db, "close_idle", None)
    if close_idle is not None:
        close_idle()
