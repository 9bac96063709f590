"""No run slot outlives its job: every way a job can end frees it, at that moment.

Crash recovery, and the queue when it wakes a profile's waiting jobs, drop slots whose
job has ended, which would hide an end that forgets its release. So no consumer runs
here and neither is called: each attempt runs in the test's thread (``importer.run``,
the queue task's body) and the slot is read the moment the job has ended.
"""

from __future__ import annotations

import threading

import pytest

from core import errors, jobs
from core.analysis.types import Analysis
from core.catalog import delete_project
from core.models import CANCELLED, FAILURE, PENDING, RETRYING, STARTED, SUCCESS, Job
from tasks.runtime import Runtime
from tests.lifecycle import holds_lease, run_to_end


class BrokenAnalyzer:
    """An analyzer with a bug: the import must still end, and free the profile."""

    name = "broken"

    def analyze(self, snapshot, stack) -> Analysis:
        raise RuntimeError("a bug in the analyzer")


@pytest.fixture
def make_runtime(settings):
    made = []

    def make(importer_options=None, **changes) -> Runtime:
        made.append(Runtime(settings.with_(**changes), **(importer_options or {})))
        return made[-1]

    yield make
    for runtime in made:
        runtime.close()


def _run(rt: Runtime, url: str) -> Job:
    return run_to_end(rt.importer, rt.importer.submit(url).id)


def _duplicate_by_id(rt: Runtime, fake) -> Job:
    _run(rt, "pallets/flask")
    fake.rename("pallets/flask", "pallets/flask-renamed")
    return _run(rt, "pallets/flask-renamed")


def _refresh_of_a_deleted_project(rt: Runtime, fake) -> Job:
    done = _run(rt, "gorilla/mux")
    job = rt.importer.submit_refresh(done.project_id)
    delete_project(done.project_id)
    return run_to_end(rt.importer, job.id)


def _cancel_while_waiting_to_retry(rt: Runtime, fake) -> Job:
    fake.fail("/languages", 502, times=1)
    job = rt.importer.submit("pallets/flask")
    assert rt.importer.run(job.id).status == RETRYING and holds_lease(job.id)
    # Queued again, with its slot: cancelled at once. The core write itself, not the
    # queue's cancel, which then wakes the profile and drops dead slots on the way.
    jobs.request_cancel(job.id)
    return Job.get_by_id(job.id)


def _cancel_while_running(rt: Runtime, fake) -> Job:
    job = rt.importer.submit("pallets/flask")

    def cancel_once_running(event):
        if event.status == STARTED and not Job.get_by_id(job.id).cancel_requested:
            rt.queue.cancel(job.id)  # what the window's Cancel button does

    rt.importer.run(job.id, cancel_once_running)
    return Job.get_by_id(job.id)


# name -> (settings changes, importer options, what the fake does, how the job runs, end)
ENDS = {
    "success": ({}, None, None, lambda rt, f: _run(rt, "gorilla/mux"), (SUCCESS, None)),
    "repository not found": ({}, None, None, lambda rt, f: _run(rt, "nobody/nothing-here"),
                             (FAILURE, errors.REPO_NOT_FOUND)),
    "bad credentials": ({"github_token": "bad-token"}, None,
                        lambda f: f.tokens.update({"good": "me"}),
                        lambda rt, f: _run(rt, "pallets/flask"), (FAILURE, errors.AUTH_FAILED)),
    "rate limit past the cap": ({}, None, lambda f: f.exhaust(reset_in=3600),
                                lambda rt, f: _run(rt, "pallets/flask"),
                                (FAILURE, errors.RATE_LIMITED)),
    "GitHub 5xx on every retry": ({}, None, lambda f: f.fail("/repos/", 502, times=None),
                                  lambda rt, f: _run(rt, "pallets/flask"),
                                  (FAILURE, errors.GITHUB_ERROR)),
    "network error on every retry": ({"github_api": "http://127.0.0.1:9", "max_attempts": 2},
                                     None, None, lambda rt, f: _run(rt, "pallets/flask"),
                                     (FAILURE, errors.NETWORK_ERROR)),
    "duplicate found by GitHub id": ({}, None, None, _duplicate_by_id,
                                     (FAILURE, errors.DUPLICATE_IMPORT)),
    "refresh of a deleted project": ({}, None, None, _refresh_of_a_deleted_project,
                                     (FAILURE, errors.NOT_FOUND)),
    "deadline": ({"import_deadline": 0.0}, None, None, lambda rt, f: _run(rt, "pallets/flask"),
                 (FAILURE, errors.TIMEOUT)),
    "internal error": ({}, {"analyzer_factory": lambda s: BrokenAnalyzer()}, None,
                       lambda rt, f: _run(rt, "pallets/flask"), (FAILURE, errors.INTERNAL_ERROR)),
    "cancel while waiting to retry": ({}, None, None, _cancel_while_waiting_to_retry,
                                      (CANCELLED, errors.CANCELLED)),
    "cancel while running": ({}, None, None, _cancel_while_running,
                             (CANCELLED, errors.CANCELLED)),
}


@pytest.mark.parametrize("end", list(ENDS))
def test_every_end_frees_the_profile_at_once(make_runtime, fake_github, end):
    changes, options, prepare, run, expected = ENDS[end]
    if prepare is not None:
        prepare(fake_github)
    rt = make_runtime(options, **changes)
    job = run(rt, fake_github)
    assert (job.status, job.error_code) == expected
    assert not holds_lease(job.id)


def test_a_retry_keeps_the_lease_until_the_job_ends(make_runtime, fake_github):
    fake_github.fail("/languages", 502, times=1)
    rt = make_runtime()
    job = rt.importer.submit("pallets/flask")
    assert rt.importer.run(job.id).status == RETRYING and holds_lease(job.id)
    assert rt.importer.run(job.id).status == SUCCESS and not holds_lease(job.id)


def test_an_attempt_given_back_keeps_the_lease_until_the_job_ends(make_runtime, fake_github):
    rt = make_runtime()
    job = rt.importer.submit("pallets/flask")
    quitting = threading.Event()
    quitting.set()  # the app is quitting: the attempt stops at its first step
    assert rt.importer.run(job.id, interrupt=quitting).status == PENDING
    assert holds_lease(job.id)  # still queued: the profile stays busy
    assert rt.importer.run(job.id).status == SUCCESS and not holds_lease(job.id)
