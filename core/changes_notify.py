"""Change notices on PostgreSQL (team mode): what :mod:`core.changes` counts on SQLite.

A counter row that every write bumps would be one lock that every worker of the
team waits for (and a deadlock between a transaction holding it and a heartbeat
holding a job row). PostgreSQL has the right tool instead: a trigger sends a
``NOTIFY`` on the catalog's channel, and PostgreSQL delivers it when — and only if —
the transaction commits, once per kind however many rows changed. The same writes
count as on SQLite: every project insert, update and delete; a job that appears,
disappears or changes its status, stage, progress or message (not a heartbeat).
:class:`tasks.watcher_notify.NotifyWatcher` listens.

The channel names the schema, so two catalogs in one database do not hear each other.
"""

from __future__ import annotations

from peewee import Database

from core.changes import JOB_SHOWN, JOBS, PROJECTS
from core.db_servers import MIGRATION_LOCK

FUNCTION = "repofolio_notice"
_TRIGGERS = {  # name -> (table, events, condition)
    "repofolio_project_changed": ("project", "INSERT OR UPDATE OR DELETE", ""),
    "repofolio_job_added_or_removed": ("job", "INSERT OR DELETE", ""),
    "repofolio_job_shown_changed": ("job", "UPDATE", "WHEN (" + " OR ".join(
        f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in JOB_SHOWN) + ")"),
}
_KIND = {"project": PROJECTS, "job": JOBS}


def channel(schema: str) -> str:
    return f"repofolio_changes:{schema}"


def install(db: Database) -> None:
    """Create the trigger function and triggers where they are missing (one process at a
    time, under the migrations' advisory lock)."""
    if set(_TRIGGERS) <= _installed(db):
        return
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        db.execute_sql(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM pg_notify('repofolio_changes:' || TG_TABLE_SCHEMA, TG_ARGV[0]); "
            "RETURN NULL; END $$")
        present = _installed(db)
        for name, (table, events, condition) in _TRIGGERS.items():
            if name not in present:
                db.execute_sql(f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW "
                               f"{condition} EXECUTE FUNCTION {FUNCTION}('{_KIND[table]}')")


def _installed(db: Database) -> set[str]:
    rows = db.execute_sql(
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND NOT t.tgisinternal").fetchall()
    return {name for (name,) in rows}
