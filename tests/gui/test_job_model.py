"""JobListModel: a valid Qt model, newest first, live from events and from the catalog."""

from __future__ import annotations

import pytest

from core.errors import ErrorInfo
from core.models import Job, Profile
from core.progress import ProgressEvent
from gui.job_model import (
    ELAPSED, REPOSITORY, STAGE, STATUS, JobListModel, ProgressRole, elapsed_text,
)

# The rows' icons need a QApplication; alone, this module had none and aborted.
pytestmark = pytest.mark.usefixtures("qapp")


def _job(repo, **fields):
    owner = Profile.get(Profile.name == "default")
    return Job.create(profile=owner, url=f"https://github.com/{repo}", repo=repo,
                      key=repo.lower(), **fields)


def test_model_passes_qt_model_tester_and_lists_newest_first(qtmodeltester, runtime):
    for name in ("a/one", "a/two", "a/three"):
        _job(name)
    model = JobListModel()
    model.reload()
    qtmodeltester.check(model)
    assert [model.index(r, REPOSITORY).data() for r in range(3)] == ["a/three", "a/two", "a/one"]
    # Queued in one profile: each says how many stand ahead of it.
    assert [model.index(r, STATUS).data() for r in range(3)] == [
        "Queued · 2 ahead", "Queued · 1 ahead", "Queued"]
    assert model.index(0, ELAPSED).data() == "—"


def test_events_update_rows_and_new_jobs_appear(qtmodeltester, runtime):
    first = _job("a/one")
    model = JobListModel()
    model.reload()
    qtmodeltester.check(model)
    model.apply_event(ProgressEvent(first.id, "STARTED", "fetching", 20, "Reading a/one"))
    assert model.index(0, STATUS).data() == "Running"
    assert model.index(0, STAGE).data() == "Reading a/one"
    assert model.index(0, 2).data(ProgressRole) == 20
    second = _job("a/two")  # submitted elsewhere: no event, found by refresh()
    model.refresh()
    assert model.job_at(0)["id"] == second.id and model.rowCount() == 2
    Job.update(status="FAILURE", error_code="REPO_NOT_FOUND", error_message="Gone",
               error_suggestion="Check it").where(Job.id == first.id).execute()
    model.apply_event(ProgressEvent(first.id, "FAILURE", "fetching", 20, "Gone",
                                    error=ErrorInfo("REPO_NOT_FOUND", "Gone", "Check it")))
    row = model.row_of(first.id)
    assert model.job_at(row)["error"]["code"] == "REPO_NOT_FOUND"
    assert "Check it" in model.index(row, STATUS).data(3)  # tooltip


def test_history_is_the_catalog(runtime):
    _job("a/old", status="SUCCESS")
    model = JobListModel()  # a new window after a restart
    model.reload()
    assert model.rowCount() == 1 and model.index(0, STATUS).data() == "Done"


def test_elapsed_text():
    assert elapsed_text(None) == "—"
    assert elapsed_text(5.4) == "5 s"
    assert elapsed_text(125) == "2 min 05 s"
    assert elapsed_text(3 * 3600 + 60) == "3 h 01 min"


def test_a_batch_is_one_row_with_its_progress_and_its_items_beneath(qtmodeltester, runtime):
    from core import jobs
    owner = Profile.get(Profile.name == "default")
    single = _job("a/before")
    batch = jobs.create_batch(owner, url="https://github.com/dana", repo="dana", key="dana",
                              plan=[{"repo": f"dana/t{n}", "item": n} for n in range(3)]
                              + [{"repo": "dana/fork", "reason": "fork"}],
                              items=[dict(url="u", repo=f"dana/t{n}", key=f"dana/t{n}")
                                     for n in range(3)])
    items = list(Job.select().where(Job.parent == batch.id).order_by(Job.id))
    Job.update(status="SUCCESS", progress=100).where(Job.id == items[0].id).execute()
    jobs.settle_batch(batch.id)
    later = _job("a/after")
    model = JobListModel()
    model.reload()
    qtmodeltester.check(model)
    rows = [model.index(r, REPOSITORY).data() for r in range(model.rowCount())]
    assert rows == ["a/after", "dana: all repositories", "    dana/t0", "    dana/t1",
                    "    dana/t2", "a/before"]
    assert model.index(1, 2).data() == "1 of 3" and model.index(1, 2).data(ProgressRole) == 33
    assert model.index(1, STATUS).data() == "Running"
    # The queue's order reads down the rows: the older single job first, then the items.
    assert model.index(5, STATUS).data() == "Queued"
    assert [model.index(r, STATUS).data() for r in (3, 4, 0)] == [
        "Queued · 1 ahead", "Queued · 2 ahead", "Queued · 3 ahead"]
    assert single.id < later.id


def _big_batch(items: int):
    from core import jobs
    owner = Profile.get(Profile.name == "default")
    return jobs.create_batch(owner, url="https://github.com/dana", repo="dana", key="dana",
                             plan=[{"repo": f"dana/t{n}", "item": n} for n in range(items)],
                             items=[dict(url="u", repo=f"dana/t{n}", key=f"dana/t{n}")
                                    for n in range(items)])


def test_a_batch_larger_than_the_history_keeps_every_item_row(runtime):
    """The history's limit counts jobs and batches, as reload does: a batch of 250 items
    inserted row by row lost its last 51 items (the list was cut at 200 rows)."""
    model = JobListModel()
    model.reload()
    batch = _big_batch(250)  # submitted elsewhere: found by refresh(), inserted row by row
    model.refresh()
    assert model.rowCount() == 251 and model.job_at(0)["id"] == batch.id
    assert model.job_at(250)["_parent"] == batch.id
    later = _job("a/after")  # one more job on top keeps the batch whole
    model.refresh()
    assert model.rowCount() == 252 and model.job_at(0)["id"] == later.id
    reloaded = JobListModel()
    reloaded.reload()
    assert [job["id"] for job in reloaded._jobs] == [job["id"] for job in model._jobs]


def test_the_oldest_job_or_batch_goes_whole_past_the_limit(qtmodeltester, runtime):
    batch = _big_batch(3)
    model = JobListModel(limit=2)
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    first = _job("a/one")
    model.refresh()
    assert model.rowCount() == 5  # the batch stays whole: two jobs and a batch
    assert [model.job_at(r)["id"] for r in range(2)] == [first.id, batch.id]
    second = _job("a/two")
    model.refresh()  # two jobs newer than the batch: it goes with its items
    assert [model.job_at(r)["id"] for r in range(model.rowCount())] == [second.id, first.id]


def _held(runner):
    """Hold ``runner``'s one thread until the returned event is set (a read in flight)."""
    import threading
    release = threading.Event()
    runner.run(lambda: release.wait(10))
    return release


def test_a_refresh_asked_during_another_keeps_its_jobs_to_read_again(qtbot, runtime):
    """The window asks for its news' job again (``also``: retried elsewhere, it runs
    again); asked while a refresh was in flight, the follow-up read forgot it."""
    from gui.background import BackgroundRunner
    ended = _job("a/ended", status="FAILURE")
    model = JobListModel()
    model.reload()
    runner = BackgroundRunner(max_threads=1)
    release = _held(runner)
    model.refresh_later(runner)  # in flight (behind the held read)
    Job.update(status="STARTED").where(Job.id == ended.id).execute()  # retried elsewhere
    model.refresh_later(runner, also=(ended.id,))
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert model.job_of(ended.id)["status"] == "STARTED"
    runner.wait()


def test_a_refresh_asked_during_one_that_fails_still_runs(qtbot, runtime):
    """A failed read dropped the one asked for meanwhile (the status bar's counts rerun)."""
    from gui.background import BackgroundRunner
    _job("a/queued")
    concurrency = [1]
    model = JobListModel(concurrency=lambda: concurrency[0])
    model.reload()
    runner = BackgroundRunner(max_threads=1)
    release = _held(runner)
    concurrency[0] = None  # this read fails placing the queued job (no concurrency)
    model.refresh_later(runner)
    concurrency[0] = 1
    later = _job("a/later")
    model.refresh_later(runner)  # asked meanwhile: must still read
    release.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert model.job_of(later.id) is not None
    runner.wait()
