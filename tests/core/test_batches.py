"""Batches without a consumer: planning, the batch's JSON, the in-flight rules, cancel, retry.

Item attempts run synchronously through ``importer.run`` (the queue task's body);
tests/tasks/test_batches.py drives the same through real consumers.
"""

from __future__ import annotations

import pytest

from core import batches, errors, jobs
from core.batches import BatchOptions, plan_owner
from core.errors import DuplicateImport, ImportInProgress
from core.models import CANCELLED, FAILURE, PENDING, RETRYING, STARTED, SUCCESS, Job, Project
from core.records import job_dict
from tests.fakes.owners import populate, repo_name

BATCH_KEYS = {"id", "kind", "profile", "url", "repo", "status", "stage", "progress", "message",
              "attempts", "error", "project_id", "created_at", "started_at", "finished_at",
              "counts", "items"}

pytestmark = pytest.mark.both_backends  # team mode: PostgreSQL + Redis too


def run_all(runtime, batch_id):
    """Run the batch's items one after the other until each has ended."""
    for _ in range(50):
        waiting = [j for j in Job.select().where(Job.parent == batch_id)
                   if j.status in (PENDING, RETRYING, STARTED)]
        if not waiting:
            return Job.get_by_id(batch_id)
        for item in waiting:
            runtime.importer.run(item.id)
    raise AssertionError("the batch never ended")


def test_plan_gives_each_repository_its_fate_without_a_request(runtime, fake_github):
    populate(fake_github, "dana", 8, forks={2}, archived={3})
    done = runtime.importer.submit("dana/tool-01")
    runtime.importer.run(done.id)
    fake_github.rename("dana/tool-01", "dana/tool-one")  # the catalog knows it by its id
    busy = runtime.importer.submit("dana/tool-04")
    fake_github.reset()
    planned = plan_owner(runtime.importer, "https://github.com/dana",
                         options=BatchOptions(min_stars=5, limit=2))
    fates = {item.repo: item.reason for item in planned.items}
    assert fates == {"dana/tool-one": "in_catalog", "dana/tool-02": "fork",
                     "dana/tool-03": "archived", "dana/tool-04": "in_progress",
                     "dana/tool-05": None, "dana/tool-06": None, "dana/tool-07": "over_limit",
                     "dana/tool-08": "over_limit"}
    by_repo = {item.repo: item for item in planned.items}
    assert by_repo["dana/tool-one"].project_id == Job.get_by_id(done.id).project_id
    assert by_repo["dana/tool-04"].job_id == busy.id
    # One listing page and the free /rate_limit: nothing per repository.
    assert [r.path for r in fake_github.requests] == ["/users/dana/repos", "/rate_limit"]
    assert planned.estimate == {"requests": 2 * batches.REQUESTS_PER_ITEM,
                                "remaining": fake_github.rate_remaining,
                                "reset": fake_github.rate_reset, "fits": True}
    assert planned.to_dict()["items"][0] == {
        "repo": "dana/tool-02", "status": "SKIPPED", "job_id": None, "project_id": None,
        "error": None, "reason": "fork"}
    assert planned.to_dict()["items"][3]["status"] == PENDING  # would be queued


def test_a_batch_is_one_job_with_counts_and_items_and_reuses_the_listing(runtime, fake_github):
    populate(fake_github, "dana", 4, forks={4})
    planned = plan_owner(runtime.importer, "@dana")
    batch = runtime.queue.submit_import_all(planned.owner, planned.items)
    data = job_dict(batch)
    assert set(data) == BATCH_KEYS
    assert (data["kind"], data["repo"], data["project_id"], data["status"]) == (
        "batch", "dana", None, PENDING)
    assert data["counts"] == {"total": 4, "succeeded": 0, "failed": 0, "skipped": 1,
                              "cancelled": 0, "pending": 3}
    assert [(i["repo"], i["status"], i["reason"]) for i in data["items"]] == [
        ("dana/tool-01", PENDING, None), ("dana/tool-02", PENDING, None),
        ("dana/tool-03", PENDING, None), ("dana/tool-04", "SKIPPED", "fork")]
    fake_github.reset()

    done = run_all(runtime, batch.id)

    assert done.status == SUCCESS and done.message == "3 imported, 1 skipped"
    assert job_dict(done)["counts"]["succeeded"] == 3 and done.finished_at is not None
    items = job_dict(done)["items"]
    assert all(i["project_id"] for i in items[:3]) and Project.select().count() == 3
    # The listing's repository objects were reused: no item asked for /repos/OWNER/NAME.
    asked = {r.path for r in fake_github.requests}
    assert not any(path.count("/") == 3 and path.startswith("/repos/") for path in asked)
    assert "/repos/dana/tool-01/languages" in asked


def test_private_repositories_of_ones_own_account_are_private_and_not_showcased(
        settings, fake_github):
    from tasks.runtime import Runtime
    fake_github.tokens = {"tok-dana": "dana"}
    populate(fake_github, "dana", 2, private={2})
    rt = Runtime(settings.with_(github_token="tok-dana"))
    try:
        planned = plan_owner(rt.importer, "dana")
        run_all(rt, rt.queue.submit_import_all(planned.owner, planned.items).id)
    finally:
        rt.close()
    flags = {p.full_name: (p.is_private, p.is_showcase) for p in Project.select()}
    assert flags == {"dana/tool-01": (False, True), "dana/tool-02": (True, False)}


def test_the_same_repository_is_refused_while_the_batch_holds_it(runtime, fake_github):
    populate(fake_github, "dana", 3)
    planned = plan_owner(runtime.importer, "dana")
    batch = runtime.queue.submit_import_all(planned.owner, planned.items)
    item = Job.get(Job.parent == batch.id, Job.repo == "dana/tool-02")
    with pytest.raises(ImportInProgress) as caught:
        runtime.queue.submit("https://github.com/DANA/tool-02")
    assert caught.value.job_id == item.id
    with pytest.raises(ImportInProgress) as again:  # and the owner's batch as a whole
        plan_owner(runtime.importer, "dana")
    assert again.value.job_id == batch.id
    runtime.queue.submit("pallets/flask")  # anything else is queued behind it


def test_a_repository_imported_since_the_plan_was_made_is_skipped_at_submit(runtime,
                                                                           fake_github):
    populate(fake_github, "dana", 2)
    planned = plan_owner(runtime.importer, "dana")
    single = runtime.importer.submit(repo_name("dana", 1))
    runtime.importer.run(single.id)
    batch = runtime.queue.submit_import_all(planned.owner, planned.items)
    assert [(i["repo"], i["reason"]) for i in job_dict(batch)["items"]] == [
        ("dana/tool-01", "in_catalog"), ("dana/tool-02", None)]
    with pytest.raises(DuplicateImport):
        runtime.importer.submit(repo_name("dana", 1))


def test_cancelling_a_batch_cancels_what_it_has_not_finished(runtime, fake_github):
    populate(fake_github, "dana", 4)
    planned = plan_owner(runtime.importer, "dana")
    batch = runtime.queue.submit_import_all(planned.owner, planned.items)
    first, second, third, fourth = Job.select().where(Job.parent == batch.id).order_by(Job.id)
    runtime.importer.run(first.id)
    Job.update(status=STARTED, attempts=1).where(Job.id == second.id).execute()  # running
    fake_github.reset()
    events = []
    runtime.events.subscribe(events.append)

    cancelled = runtime.queue.cancel(batch.id)

    # An event for each item it cancelled (not the finished or the running one), then its own.
    assert [(e.job_id, e.status) for e in events] == [
        (third.id, CANCELLED), (fourth.id, CANCELLED), (batch.id, STARTED)]
    assert events[0].job == job_dict(Job.get_by_id(third.id))
    assert cancelled.cancel_requested and Job.get_by_id(third.id).status == CANCELLED
    assert Job.get_by_id(fourth.id).status == CANCELLED
    running = Job.get_by_id(second.id)
    assert running.status == STARTED and running.cancel_requested  # stops at its next step
    assert Job.get_by_id(batch.id).status == STARTED  # until that one has stopped
    jobs.fail(second.id, 1, errors.Cancelled("Cancelled by the user."))
    batch = Job.get_by_id(batch.id)
    assert batch.status == CANCELLED and batch.error_code == errors.CANCELLED
    assert job_dict(batch)["counts"] == {"total": 4, "succeeded": 1, "failed": 0,
                                         "skipped": 0, "cancelled": 3, "pending": 0}
    assert fake_github.request_count == 0


def test_a_failed_item_fails_the_batch_and_retrying_the_batch_runs_it_again(runtime,
                                                                           fake_github):
    populate(fake_github, "dana", 3)
    fake_github.fail(r"^/repos/dana/tool-02/git/trees/", 403, times=None)
    planned = plan_owner(runtime.importer, "dana")
    batch = run_all(runtime, runtime.queue.submit_import_all(planned.owner, planned.items).id)
    assert batch.status == FAILURE and batch.error_code == errors.GITHUB_ERROR
    assert batch.message == "2 imported, 1 failed"
    assert "dana/tool-02" in batch.error_message
    fake_github.clear_failures()

    again = runtime.queue.retry(batch.id)

    assert again.status == STARTED and again.finished_at is None  # taken up again
    assert job_dict(again)["counts"]["pending"] == 1 and again.error_code is None
    assert run_all(runtime, batch.id).status == SUCCESS and Project.select().count() == 3


def test_refresh_all_is_a_batch_of_every_project(runtime, fake_github):
    for name in ("gorilla/mux", "spf13/cobra"):
        runtime.importer.run(runtime.importer.submit(name).id)
    batch = runtime.queue.refresh_all()
    data = job_dict(batch)
    assert (data["kind"], data["repo"], data["counts"]["total"]) == ("batch", "*", 2)
    with pytest.raises(ImportInProgress):
        runtime.queue.refresh_all()
    done = run_all(runtime, batch.id)
    assert done.status == SUCCESS and done.message == "2 refreshed"
    assert Project.select().count() == 2


def test_an_owner_with_nothing_left_to_import_is_a_finished_batch(runtime, fake_github):
    populate(fake_github, "dana", 2, forks={1, 2})
    planned = plan_owner(runtime.importer, "dana")
    batch = runtime.queue.submit_import_all(planned.owner, planned.items)
    assert batch.status == SUCCESS and batch.message == "Nothing to import: 2 skipped."


def test_the_estimate_sentence_says_how_long_anonymously_and_what_a_token_does():
    cost = {"requests": 280, "remaining": 40, "reset": None, "fits": False}
    sentence = batches.estimate_sentence(cost)
    assert "280 GitHub requests and 40 are left" in sentence
    assert "about 4 hours" in sentence and "from 60 to 5,000 requests an hour" in sentence
    assert batches.estimate_sentence({**cost, "fits": True}) is None


def test_retrying_a_batch_is_refused_while_a_newer_batch_of_the_owner_is_in_flight(
        runtime, fake_github):
    """One owner's batch in flight per profile (DESIGN §5, exit 4): taking up an old,
    cancelled batch again (or one of its items) must not put a second one in flight."""
    populate(fake_github, "dana", 3)
    old = runtime.queue.submit_import_all("dana", plan_owner(runtime.importer, "dana").items)
    runtime.queue.cancel(old.id)
    newer = runtime.queue.submit_import_all(
        "dana", plan_owner(runtime.importer, "dana", options=BatchOptions(limit=1)).items)
    old_item = Job.get(Job.parent == old.id, Job.repo == "dana/tool-03")

    for job_id in (old.id, old_item.id):
        with pytest.raises(ImportInProgress) as caught:
            runtime.queue.retry(job_id)
        assert caught.value.job_id == newer.id

    in_flight = Job.select().where((Job.key == "dana") & Job.status.in_(
        (PENDING, STARTED, RETRYING)))
    assert [job.id for job in in_flight] == [newer.id]
