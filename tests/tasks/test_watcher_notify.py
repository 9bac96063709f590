"""The catalog watcher on PostgreSQL: the triggers' notices, heard at commit, from any process.

The same promises as tests/tasks/test_watcher.py makes for SQLite. A notice that
must *not* come (a heartbeat) is checked without waiting for nothing: a later write
of the other kind comes after it in commit order, so the event that carries that
write says whether the first one sent anything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core import changes, jobs
from core.db import close_catalog, open_catalog
from core.models import Project, database
from tasks.events import EventBus
from tasks.runtime import Runtime
from tasks.watcher import make_watcher
from tasks.watcher_notify import NotifyWatcher
from tests.tasks.test_watcher import _project, listening

pytestmark = pytest.mark.team_only
ROOT = Path(__file__).resolve().parents[2]
NEWS = 10.0  # seconds a notice may take to arrive (it comes at once on loopback)


@pytest.fixture
def watcher(runtime):
    made = make_watcher(runtime.catalog_store, EventBus())
    assert isinstance(made, NotifyWatcher)
    assert made.poll() is None  # the first look starts listening: nothing before is news
    yield made
    made.stop()


def test_project_writes_are_news_of_projects(watcher):
    project = _project("a/b")
    change = watcher.poll(wait=NEWS)
    assert (change.projects, change.jobs) == (True, False)
    Project.update(is_showcase=False).where(Project.id == project.id).execute()
    assert watcher.poll(wait=NEWS).projects
    project.delete_instance()
    assert watcher.poll(wait=NEWS).counters[changes.PROJECTS] == 3


def test_a_heartbeat_is_not_news_but_a_status_is(runtime, watcher):
    job = runtime.queue.submit("pallets/flask")  # no consumer: it waits
    assert watcher.poll(wait=NEWS).jobs
    claimed = jobs.claim(job.id, deadline_seconds=60, lease_ttl=60)
    assert watcher.poll(wait=NEWS).jobs
    assert jobs.beat(job.id, claimed.attempts, 60)  # only proves the worker alive
    _project("c/d")  # comes after the heartbeat's notice, if it sent one
    change = watcher.poll(wait=NEWS)
    assert (change.projects, change.jobs) == (True, False)
    jobs.report(job.id, claimed.attempts, stage="fetching", progress=20, message="Reading")
    assert watcher.poll(wait=NEWS).jobs


def test_a_rolled_back_write_is_not_news(watcher):
    with pytest.raises(RuntimeError):
        with database.atomic():
            _project("e/f")
            raise RuntimeError("changed my mind")
    _project("g/h")
    change = watcher.poll(wait=NEWS)
    assert change.counters[changes.PROJECTS] == 1  # g/h only


def test_a_write_from_another_process_is_published(runtime):
    project = _project("c/d")
    bus, seen, arrived = listening()
    watcher = make_watcher(runtime.catalog_store, bus).start()
    try:
        assert watcher.running
        # A terminal elsewhere: its own process and connection (after the watcher listens).
        script = ("import sys; from core.db import open_catalog, close_catalog; "
                  "from core.models import Project; db = open_catalog(sys.argv[1]); "
                  "Project.delete().where(Project.id == int(sys.argv[2])).execute(); "
                  "close_catalog(db)")
        subprocess.run([sys.executable, "-c", script, runtime.settings.database_url,
                        str(project.id)], cwd=ROOT, check=True, timeout=60)
        assert arrived.wait(NEWS)
    finally:
        watcher.stop()
    assert not watcher.running
    assert seen[0].projects and not seen[0].jobs
    assert changes.current(database) == {}  # no counters to compare: the window reads again


def test_the_triggers_are_installed_once(runtime, settings):
    again = open_catalog(settings.catalog_store)  # a second start on the same catalog
    try:
        count = database.execute_sql(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND t.tgname LIKE %s", ("repofolio_%",)).fetchone()[0]
        assert count == 3
    finally:
        close_catalog(again)


def test_a_watcher_hears_a_catalog_whose_url_sets_libpq_options(settings):
    """The URL's own connect_timeout and application_name are used by the watcher's
    connection too (they were passed twice: the watcher thread died of a TypeError)."""
    url = settings.database_url + "&connect_timeout=10&application_name=team-a"
    rt = Runtime(settings.with_(database_url=url))
    made = make_watcher(rt.catalog_store, EventBus())
    try:
        assert made.poll() is None  # listening
        _project("k/l")
        assert made.poll(wait=NEWS).projects
    finally:
        made.stop()
        rt.close()
