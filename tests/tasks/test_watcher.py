"""The catalog watcher: writes by any other connection are seen, a heartbeat is not news.

The catalog is a real temporary SQLite file. Writes come from this thread's own
Peewee connection (another connection than the watcher's, as a terminal's
``repofolio delete`` would be) and, in one test, from another process.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from core import changes, jobs
from core.models import Job, Project
from tasks.events import EventBus
from tasks.watcher import CatalogChanged, CatalogWatcher

ROOT = Path(__file__).resolve().parents[2]


def _project(full_name: str = "a/b") -> Project:
    from core.models import Profile
    return Project.create(profile=Profile.get(), slug=full_name.replace("/", "-"),
                          key=full_name, github_id=abs(hash(full_name)) % 10**9,
                          full_name=full_name, title=full_name.split("/")[1],
                          url=f"https://github.com/{full_name}")


def test_the_first_look_is_a_baseline_and_a_quiet_catalog_is_no_news(runtime):
    watcher = CatalogWatcher(runtime.settings.catalog_path, EventBus())
    assert watcher.poll() is None  # whatever is there already is not news
    assert watcher.poll() is None


def test_project_writes_are_news_of_projects(runtime):
    watcher = CatalogWatcher(runtime.settings.catalog_path, EventBus())
    watcher.poll()
    project = _project()
    change = watcher.poll()
    assert change is not None and (change.projects, change.jobs) == (True, False)
    Project.update(is_showcase=False).where(Project.id == project.id).execute()
    assert watcher.poll().projects
    project.delete_instance()
    assert watcher.poll().projects
    assert watcher.poll() is None


def test_a_heartbeat_is_not_news_but_a_status_is(runtime):
    job = runtime.queue.submit("pallets/flask")  # no consumer: it waits
    watcher = CatalogWatcher(runtime.settings.catalog_path, EventBus())
    watcher.poll()
    claimed = jobs.claim(job.id, deadline_seconds=60, lease_ttl=60)
    change = watcher.poll()
    assert change is not None and (change.projects, change.jobs) == (False, True)
    assert jobs.beat(job.id, claimed.attempts, 60)  # only proves the worker alive
    # The file did change (the pragma moved); the counters say it is nothing to show.
    assert watcher.poll() is None
    jobs.report(job.id, claimed.attempts, stage="fetching", progress=20, message="Reading")
    assert watcher.poll().jobs


def listening() -> tuple[EventBus, list[CatalogChanged], threading.Event]:
    """A bus, what it carried, and an event set at the first thing it carried."""
    bus = EventBus()
    seen: list[CatalogChanged] = []
    arrived = threading.Event()
    bus.subscribe(lambda event: (seen.append(event), arrived.set()))
    return bus, seen, arrived


def test_a_write_from_another_process_is_published(runtime):
    project = _project("c/d")
    bus, seen, arrived = listening()
    watcher = CatalogWatcher(runtime.settings.catalog_path, bus, interval=0.05).start()
    try:
        assert watcher.running
        script = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                  "c.execute('DELETE FROM project WHERE id = ?', (int(sys.argv[2]),)); c.commit()")
        subprocess.run([sys.executable, "-c", script, str(runtime.settings.catalog_path),
                        str(project.id)], check=True, timeout=30)
        assert arrived.wait(10)
    finally:
        watcher.stop()
    assert not watcher.running
    assert seen[0].projects and seen[0].counters == changes.current(Project._meta.database)


def test_the_counters_survive_reopening_and_are_not_installed_twice(runtime, settings):
    from core.db import open_catalog
    database = Project._meta.database
    before = changes.current(database)
    open_catalog(settings.catalog_path)  # a second start on the same folder
    triggers = database.execute_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
        "AND name LIKE 'count_%'").fetchone()[0]
    assert triggers == 6
    assert changes.current(database) == before
    Job.delete().execute()  # no job: the counter of jobs does not move
    assert changes.current(database) == before


def test_a_write_before_the_first_look_is_news_against_what_the_viewer_read(runtime):
    """A window reads the counters, then its panes, then starts the watcher: a submit that
    lands between its reads and the watcher's first look must still be published (it was
    taken as the baseline, and the job never showed)."""
    seen_by_viewer = changes.current(runtime.database)
    runtime.queue.submit("pallets/flask")  # lands before the watcher's first look
    bus = EventBus()
    published, arrived = [], threading.Event()
    bus.subscribe(lambda event: (published.append(event), arrived.set()))
    watcher = CatalogWatcher(runtime.settings.catalog_path, bus).start(since=seen_by_viewer)
    try:
        assert arrived.wait(10)
    finally:
        watcher.stop()
    assert (published[0].projects, published[0].jobs) == (False, True)

    quiet = CatalogWatcher(runtime.settings.catalog_path, EventBus())
    quiet._since = changes.current(runtime.database)  # what start(since=) keeps
    assert quiet.poll() is None  # nothing written since: no news
