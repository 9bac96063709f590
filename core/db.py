"""Opening the catalog: SQLite in WAL mode, thread-local connections, migrations.

Schema versions are counted in ``PRAGMA user_version``; each migration runs
once, in order, inside a transaction.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from peewee import SqliteDatabase

from core import changes
from core.models import ALL_MODELS, Lease, Profile, database

log = logging.getLogger(__name__)

DEFAULT_PROFILE = "default"
PRAGMAS = {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1,
           "synchronous": "normal"}


def _v1_initial(db: SqliteDatabase) -> None:
    db.create_tables(ALL_MODELS)


def _v2_job_kind(db: SqliteDatabase) -> None:
    """Jobs gain a kind (import or refresh). Catalogs created at v2+ already have it.

    A plain ADD COLUMN: playhouse's migrator rebuilds the table for a NOT NULL
    column, and dropping the old ``job`` table inside our transaction would cascade
    to every lease (foreign_keys cannot be switched off inside a transaction).
    """
    if "kind" not in {column.name for column in db.get_columns("job")}:
        db.execute_sql("ALTER TABLE job ADD COLUMN kind VARCHAR(255) NOT NULL DEFAULT 'import'")


def _v3_sort_indexes(db: SqliteDatabase) -> None:
    """Indexes for the browser's sort orders (names as Peewee gives them in models.py)."""
    db.execute_sql("CREATE INDEX IF NOT EXISTS project_imported_at_id ON project (imported_at, id)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS project_stars ON project (stars)")


def _v4_portfolio_order(db: SqliteDatabase) -> None:
    """Projects gain the user's portfolio order; profiles the published title and intro.

    Plain ADD COLUMNs in place (see _v2_job_kind); catalogs created later already have them.
    """
    wanted = [("project", "position", "INTEGER NULL"),
              ("profile", "publish_title", "VARCHAR(255) NOT NULL DEFAULT ''"),
              ("profile", "publish_intro", "TEXT NOT NULL DEFAULT ''")]
    for table, column, kind in wanted:
        if column not in {c.name for c in db.get_columns(table)}:
            db.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _v5_queue_many(db: SqliteDatabase) -> None:
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


MIGRATIONS: list[Callable[[SqliteDatabase], None]] = [_v1_initial, _v2_job_kind,
                                                      _v3_sort_indexes, _v4_portfolio_order,
                                                      _v5_queue_many]


def open_catalog(path: Path) -> SqliteDatabase:
    """Open (creating and migrating as needed) the catalog at ``path`` and bind the models."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=10)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    migrate(db)
    changes.install(db)
    ensure_profile(DEFAULT_PROFILE)
    return db


def migrate(db: SqliteDatabase) -> int:
    """Bring the schema to the newest version; return that version."""
    with db.atomic("IMMEDIATE"):
        version = db.execute_sql("PRAGMA user_version").fetchone()[0]
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            log.info("Migrating catalog to schema version %d", number)
            step(db)
            db.execute_sql(f"PRAGMA user_version = {number:d}")
    return len(MIGRATIONS)


def ensure_profile(name: str) -> Profile:
    profile, _ = Profile.get_or_create(name=name)
    return profile


def close_thread_connection() -> None:
    """Close this thread's connection (worker threads call it when they stop)."""
    if not database.is_closed():
        database.close()
