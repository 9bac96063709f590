"""Change counters: how any process tells, in one cheap read, that projects or jobs changed.

Triggers in the catalog count the writes that a viewer would show: every
insert, update and delete of a project, and every job row that appears,
disappears or changes its status, stage, progress or message (a heartbeat,
which only proves a worker alive, does not count). The counters live in one
small table, so reading them costs the same for ten projects or a hundred
thousand. ``tasks.watcher`` polls them.

They are installed when a catalog is opened, idempotently, rather than by a
numbered migration: they hold no data, and a migration that ever rebuilt the
``job`` or ``project`` table (dropping its triggers) gets them back at the next
open. On PostgreSQL (team mode) the same writes send notices instead of counting
(:mod:`core.changes_notify`), and :func:`current` has no counters to give.
"""

from __future__ import annotations

import sqlite3

from peewee import SqliteDatabase

from core.db_servers import is_postgres

PROJECTS, JOBS = "project", "job"
TABLE = "change_counter"

JOB_SHOWN = ("status", "stage", "progress", "message")
_TRIGGERS = {
    "count_project_insert": "AFTER INSERT ON project BEGIN {bump_project} END",
    "count_project_update": "AFTER UPDATE ON project BEGIN {bump_project} END",
    "count_project_delete": "AFTER DELETE ON project BEGIN {bump_project} END",
    "count_job_insert": "AFTER INSERT ON job BEGIN {bump_job} END",
    "count_job_delete": "AFTER DELETE ON job BEGIN {bump_job} END",
    "count_job_update": ("AFTER UPDATE ON job WHEN "
                         + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in JOB_SHOWN)
                         + " BEGIN {bump_job} END"),
}


def _bump(name: str) -> str:
    return f"UPDATE {TABLE} SET value = value + 1 WHERE name = '{name}';"


def install(db: SqliteDatabase) -> None:
    """Create the counter table and its triggers where they are missing."""
    if is_postgres(db):
        from core import changes_notify
        changes_notify.install(db)
        return
    existing = {name for (name,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'count_%'")}
    if existing >= set(_TRIGGERS) and TABLE in db.get_tables():
        return
    with db.atomic("IMMEDIATE"):
        db.execute_sql(f"CREATE TABLE IF NOT EXISTS {TABLE} "
                       "(name TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0)")
        for name in (PROJECTS, JOBS):
            db.execute_sql(f"INSERT OR IGNORE INTO {TABLE} (name, value) VALUES (?, 0)", (name,))
        for trigger, body in _TRIGGERS.items():
            sql = body.format(bump_project=_bump(PROJECTS), bump_job=_bump(JOBS))
            db.execute_sql(f"CREATE TRIGGER IF NOT EXISTS {trigger} {sql}")


def read(connection: sqlite3.Connection) -> dict[str, int]:
    """``{"project": n, "job": m}``: each grows by at least one with every counted write."""
    return dict(connection.execute(f"SELECT name, value FROM {TABLE}").fetchall())


def current(db: SqliteDatabase) -> dict[str, int]:
    """The counters as this thread's catalog connection sees them now ({} on PostgreSQL,
    which has none: a viewer then reads again at every notice)."""
    if is_postgres(getattr(db, "obj", db)):  # a DatabaseProxy: what it stands for
        return {}
    return read(db.connection())
