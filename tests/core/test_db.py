"""Opening the catalog: WAL mode, migrations from older versions, database-level uniqueness."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from peewee import IntegrityError

from core.db import MIGRATIONS, SchemaVersion, open_catalog
from core.models import Job, Lease, Profile, Project
from tests.time_zones import local_time_zone

V3_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "catalog_v3.sql"


def test_new_catalog_is_wal_at_the_newest_version(tmp_path):
    db = open_catalog(tmp_path / "c.db")
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert Profile.get(Profile.name == "default")
    db.close()


def test_opening_an_up_to_date_catalog_writes_nothing(tmp_path):
    """Another connection's watcher (PRAGMA data_version) sees no commit when a catalog at
    the newest version is opened again (each CLI command opens it)."""
    open_catalog(tmp_path / "c.db").close()
    other = sqlite3.connect(tmp_path / "c.db")
    (before,) = other.execute("PRAGMA data_version").fetchone()
    open_catalog(tmp_path / "c.db").close()
    assert other.execute("PRAGMA data_version").fetchone() == (before,)
    assert other.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
    other.close()


def test_a_migration_is_stamped_with_the_epoch_whatever_the_time_zone(tmp_path):
    with local_time_zone("America/New_York"):
        db = open_catalog(tmp_path / "c.db")
        stamps = [at for (at,) in SchemaVersion.select(SchemaVersion.applied_at).tuples()]
        db.close()
    assert len(stamps) == len(MIGRATIONS)
    assert all(abs(at - time.time()) < 60 for at in stamps), stamps


def as_written_by(path, version: int, *statements: str) -> None:
    """Make the catalog at ``path`` look like one that schema ``version`` wrote (an app from
    before the ``schema_version`` table, which kept the version in ``user_version``)."""
    raw = sqlite3.connect(path)
    for statement in statements:
        raw.execute(statement)
    raw.execute("DROP TABLE schema_version")
    raw.execute(f"PRAGMA user_version = {version:d}")
    raw.commit()
    raw.close()


def test_a_version_1_catalog_is_migrated_and_keeps_its_jobs_and_leases(tmp_path):
    path = tmp_path / "c.db"
    db = open_catalog(path)
    job = Job.create(profile=Profile.get(), url="https://github.com/a/b", repo="a/b", key="a/b")
    Lease.create(profile=Profile.get(), slot=0, job=job, expires_at=job.created_at)
    db.close()
    as_written_by(path, 1, "ALTER TABLE job DROP COLUMN kind")

    db = open_catalog(path)
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    job = Job.get()
    assert job.repo == "a/b" and job.kind == "import"
    assert Lease.get().job_id == job.id  # the in-flight import still holds its profile
    db.close()


def test_a_version_3_catalog_gets_run_slots_and_keeps_only_the_running_jobs_slot(tmp_path):
    path = tmp_path / "c.db"
    raw = sqlite3.connect(path)
    raw.executescript(V3_SCHEMA.read_text())  # the schema as the code before issue 7 made it
    raw.executescript("""
        INSERT INTO profile (id, name, created_at) VALUES (1, 'default', '2026-01-01'),
                                                          (2, 'work', '2026-01-01');
        INSERT INTO job (id, profile_id, kind, url, repo, key, status, stage, progress, message,
                         attempts, showcase, private, cancel_requested, created_at)
        VALUES (1, 1, 'import', 'u', 'a/b', 'a/b', 'STARTED', 'fetching', 20, 'm', 1, 1, 0, 0,
                '2026-01-02 10:00:00'),
               (2, 2, 'import', 'u', 'c/d', 'c/d', 'PENDING', 'queued', 0, 'm', 0, 1, 0, 0,
                '2026-01-02 11:00:00');
        INSERT INTO lease (profile_id, job_id, acquired_at, expires_at)
        VALUES (1, 1, '2026-01-02', '2099-01-01'), (2, 2, '2026-01-02', '2099-01-01');
    """)
    raw.commit()
    raw.close()

    db = open_catalog(path)
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "lease" not in db.get_tables()
    # The running job keeps its slot; the queued one takes one when it starts.
    assert [(lease.profile_id, lease.slot, lease.job_id) for lease in Lease.select()] == [(1, 0, 1)]
    queued = Job.get_by_id(2)
    assert str(queued.queued_at) == "2026-01-02 11:00:00" and queued.parent_id is None
    assert queued.payload is None
    with pytest.raises(IntegrityError):  # two jobs can never share a slot of one profile
        Lease.create(profile=1, slot=0, job=2, expires_at=queued.created_at)
    db.close()


def test_the_database_itself_refuses_a_duplicate_project(tmp_path):
    db = open_catalog(tmp_path / "c.db")
    profile = Profile.get()
    common = dict(profile=profile, full_name="a/b", title="b", url="https://github.com/a/b")
    Project.create(slug="a-b", key="a/b", github_id=1, **common)
    with pytest.raises(IntegrityError):  # same GitHub id under another name
        Project.create(slug="a-c", key="a/c", github_id=1, **common)
    with pytest.raises(IntegrityError):  # same name, whatever the id
        Project.create(slug="a-b-2", key="a/b", github_id=2, **common)
    other = Profile.create(name="work")
    Project.create(slug="a-b-3", key="a/b", github_id=1, **{**common, "profile": other})
    db.close()


def test_a_version_3_catalog_gains_the_portfolio_order_in_place(tmp_path):
    path = tmp_path / "c.db"
    db = open_catalog(path)
    Project.create(profile=Profile.get(), slug="a-b", key="a/b", github_id=1, full_name="a/b",
                   title="b", url="https://github.com/a/b")
    job = Job.create(profile=Profile.get(), url="https://github.com/a/c", repo="a/c", key="a/c")
    Lease.create(profile=Profile.get(), slot=0, job=job, expires_at=job.created_at)
    db.close()
    as_written_by(path, 3, "ALTER TABLE project DROP COLUMN position",
                  "ALTER TABLE profile DROP COLUMN publish_title",
                  "ALTER TABLE profile DROP COLUMN publish_intro")

    db = open_catalog(path)
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    project = Project.get()
    assert project.position is None and project.slug == "a-b"
    assert Profile.get().publish_title == "" and Profile.get().publish_intro == ""
    assert Lease.get().job_id == job.id  # added in place: no table was rebuilt
    db.close()
