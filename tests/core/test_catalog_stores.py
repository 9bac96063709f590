"""The catalog on SQLite and on PostgreSQL: one schema, one version table, the same
constraints, the same write transaction; a server that cannot be used is explained."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from peewee import IntegrityError, OperationalError

from core import errors
from core.db import MIGRATIONS, SchemaVersion, close_catalog, open_catalog, write_transaction
from core.db_servers import check_clock
from core.errors import StorageUnreachable
from core.models import Consumer, Profile, Project, database
from core.secrets import DATABASE_PASSWORD, QUEUE_PASSWORD, SecretStore
from core.store_urls import parse_database_url, parse_queue_url
from tasks.queue_storage import make_huey
from tests.services import PG_PASSWORD, REDIS_PASSWORD, free_port

pytestmark = pytest.mark.both_backends
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def catalog(settings):
    db = open_catalog(settings.catalog_store)
    yield db
    close_catalog(db)


def project(profile, **fields):
    values = dict(profile=profile, slug=fields.get("key", "a/b").replace("/", "-"), key="a/b",
                  github_id=1, full_name="a/b", title="b", url="https://github.com/a/b")
    values.update(fields)
    return Project.create(**values)


def test_a_new_catalog_records_every_migration_step(catalog, settings):
    versions = [row.version for row in SchemaVersion.select().order_by(SchemaVersion.version)]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    assert Profile.get(Profile.name == "default")
    close_catalog(catalog)
    again = open_catalog(settings.catalog_store)  # opening it again changes nothing
    assert SchemaVersion.select().count() == len(MIGRATIONS) and Profile.select().count() == 1
    close_catalog(again)


def test_the_database_refuses_a_duplicate_project_by_id_or_by_name(catalog):
    profile = Profile.get()
    project(profile)
    with pytest.raises(IntegrityError):  # same GitHub id under another name
        with database.atomic():
            project(profile, slug="a-c", key="a/c")
    with pytest.raises(IntegrityError):  # same name, whatever the id
        with database.atomic():
            project(profile, slug="a-b-2", github_id=2)
    project(Profile.create(name="work"), slug="a-b-3")  # another profile may hold it
    assert Project.select().count() == 2


def test_values_from_outside_fit_on_both_backends(catalog):
    """GitHub ids past 2^31 and long homepages, branches and model names."""
    long_text = "https://example.com/" + "x" * 600
    saved = project(Profile.get(), github_id=3_000_000_123, homepage=long_text,
                    default_branch="b" * 300, analyzer="openai:" + "m" * 300)
    again = Project.get_by_id(saved.id)
    assert again.github_id == 3_000_000_123 and again.homepage == long_text
    assert len(again.default_branch) == 300


def test_processes_opening_a_new_catalog_at_once_migrate_it_once(settings, tmp_path):
    target = settings.database_url or f"sqlite:///{settings.catalog_path}"
    script = ("import sys; from core.db import open_catalog, close_catalog; "
              "close_catalog(open_catalog(sys.argv[1]))")
    procs = [subprocess.Popen([sys.executable, "-c", script, target], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(proc.wait(60), proc.stderr.read()) for proc in procs]
    for proc in procs:
        proc.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    db = open_catalog(target if settings.database_url else settings.catalog_path)
    try:
        assert SchemaVersion.select().count() == len(MIGRATIONS)
        assert Profile.select().count() == 1
    finally:
        close_catalog(db)


def test_a_write_transaction_holds_back_other_writers_of_its_profile(catalog, backend):
    home, work = Profile.get(), Profile.create(name="work")
    inside, release = threading.Event(), threading.Event()

    def hold():
        try:
            with write_transaction(profile_id=home.id):
                # A write that does not touch the profile's row (a job would: its foreign
                # key locks the row too, and hide whether the transaction did).
                Consumer.create(id="h:1", host="h", pid=1)
                inside.set()
                release.wait(30)
        finally:
            database.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(30)
        if backend == "team":
            # Another writer of the same profile would wait; of another profile, it goes on.
            with pytest.raises(OperationalError):
                with database.atomic():
                    database.execute_sql("SELECT id FROM profile WHERE id = %s FOR UPDATE NOWAIT",
                                         (home.id,))
            with database.atomic():
                database.execute_sql("SELECT id FROM profile WHERE id = %s FOR UPDATE NOWAIT",
                                     (work.id,))
        else:  # SQLite: BEGIN IMMEDIATE keeps every other writer out
            database.execute_sql("PRAGMA busy_timeout = 0")
            with pytest.raises(OperationalError):
                with write_transaction():
                    pass
            database.execute_sql("PRAGMA busy_timeout = 10000")
    finally:
        release.set()
        holder.join(30)
    assert Consumer.select().count() == 1


@pytest.mark.team_only
def test_the_catalog_and_queue_passwords_can_come_from_the_keyring(settings, stores):
    from tasks.runtime import Runtime
    secrets = SecretStore()  # the session memory (tests have no real keyring)
    secrets.set(DATABASE_PASSWORD, PG_PASSWORD)
    secrets.set(QUEUE_PASSWORD, REDIS_PASSWORD)
    bare = settings.with_(database_url=stores.database_url.replace(f":{PG_PASSWORD}", ""),
                          queue_url=stores.queue_url.replace(f":{REDIS_PASSWORD}", ""))
    assert bare.catalog_store.password is None and bare.queue_store.password is None
    rt = Runtime(bare, secrets=secrets)
    try:
        Profile.create(name="work")
        rt.queue.huey.storage.conn.ping()
        assert rt.queue.huey.pending() == []
    finally:
        rt.close()
    with pytest.raises(StorageUnreachable):  # and without them, the servers refuse
        Runtime(bare, secrets=SecretStore())


@pytest.mark.team_only
def test_a_machine_whose_clock_is_off_the_servers_is_told(catalog, caplog):
    assert abs(check_clock(catalog)) < 2  # this machine and its loopback server agree
    with caplog.at_level(logging.WARNING, logger="core.db_servers"):
        offset = check_clock(catalog, clock=lambda: time.time() - 60)
    assert 58 < offset < 62
    [record] = caplog.records
    assert "clock is 60 s behind the catalog server's" in record.getMessage()


# -- servers that cannot be used (team mode only) ---------------------------------------------

@pytest.fixture
def pg(team_services):
    return team_services.postgres


@pytest.mark.parametrize("make_url, says, advice", [
    (lambda pg: f"postgresql://repofolio:{PG_PASSWORD}@127.0.0.1:{free_port()}/x",
     "refused", "Check that the server runs"),
    (lambda pg: pg.url("postgres").replace(PG_PASSWORD, "wrong-Pass-99"),
     "password authentication failed", "Check the user and the password"),
    (lambda pg: pg.url("no_such_catalog"), "does not exist", "createdb no_such_catalog"),
])
def test_a_catalog_server_that_cannot_be_used_is_explained_without_the_password(
        pg, make_url, says, advice):
    url = make_url(pg)
    with pytest.raises(StorageUnreachable) as caught:
        open_catalog(parse_database_url(url, Path("/unused")))
    error = caught.value
    assert error.code == errors.STORAGE_UNREACHABLE
    assert says in error.message.lower() or says in error.message, error.message
    assert advice in error.suggestion
    assert error.message.startswith("Cannot use the catalog at postgresql://repofolio:***@")
    for secret in (PG_PASSWORD, "wrong-Pass-99"):
        assert secret not in error.message + error.suggestion


@pytest.mark.parametrize("password, says", [("wrong-Pass-99", "password"), (None, "refused")])
def test_a_queue_server_that_cannot_be_used_is_explained_without_the_password(
        team_services, password, says):
    port = team_services.redis.port if password else free_port()
    url = f"redis://:{password or 'x-Pass-77'}@127.0.0.1:{port}/0"
    with pytest.raises(StorageUnreachable) as caught:
        make_huey(parse_queue_url(url, Path("/unused")))
    error = caught.value
    assert error.code == errors.STORAGE_UNREACHABLE and says in error.message.lower()
    assert "wrong-Pass-99" not in error.message and "x-Pass-77" not in error.message
    assert "redis://:***@127.0.0.1" in error.message
