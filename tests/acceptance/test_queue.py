"""`jobs`, `status`, `cancel`, `retry` and a standalone `worker` (DESIGN §5, §6)."""

from __future__ import annotations

from tests.acceptance.conftest import assert_job


def test_jobs_and_status_print_jobs(cli):
    queued = cli("import", "pallets/flask", "--json").json
    run = cli("jobs", "--json")
    assert run.rc == 0 and set(run.json) == {"jobs"}
    assert [j["id"] for j in run.json["jobs"]] == [queued["id"]]
    for job in run.json["jobs"]:
        assert_job(job)
    status = cli("status", str(queued["id"]), "--json")
    assert status.rc == 0
    assert status.json == queued


def test_jobs_all_keeps_finished_ones(cli):
    done = cli("import", "gorilla/mux", "--wait", "--json").json
    failed = cli("import", "gorilla/nothing-here", "--wait", "--json").json
    every = cli("jobs", "--all", "--json").json["jobs"]
    assert {j["id"] for j in every} >= {done["id"], failed["id"]}
    for job in every:
        assert_job(job)
    assert next(j for j in every if j["id"] == failed["id"])["error"]["code"] == \
        "REPO_NOT_FOUND"


def test_status_of_an_unknown_job_is_not_found(cli):
    run = cli("status", "4242", "--json")
    assert run.rc == 1, run
    assert set(run.json) == {"error"} and run.json["error"]["code"] == "NOT_FOUND"


def test_cancel_a_queued_job_then_the_repository_is_free_again(cli, api):
    job = cli("import", "pallets/flask", "--json").json
    run = cli("cancel", str(job["id"]), "--json")
    assert run.rc == 0, run
    cancelled = cli.job(job["id"])
    assert_job(cancelled, kind="import")
    assert cancelled["status"] == "CANCELLED" and cancelled["project_id"] is None
    assert cancelled["finished_at"] is not None
    # Not in flight any more: a new import of it is accepted and runs.
    again = cli("import", "pallets/flask", "--wait", "--json")
    assert again.rc == 0, again
    assert again.json["id"] != job["id"] and again.json["status"] == "SUCCESS"


def test_retry_a_failed_job_runs_it_again_on_a_worker(cli, api):
    gone = api.remove("gorilla/mux")
    failed = cli("import", "gorilla/mux", "--wait", "--json").json
    assert failed["error"]["code"] == "REPO_NOT_FOUND"
    api.add(gone)
    run = cli("retry", str(failed["id"]), "--json")
    assert run.rc == 0, run
    pending = cli.job(failed["id"])
    assert pending["status"] in ("PENDING", "RETRYING") and pending["error"] is None
    worker = cli.worker("--workers", "1")
    try:
        final = cli.wait_job(failed["id"])
    finally:
        stopped = worker.stop()
    assert final["status"] == "SUCCESS", final
    assert isinstance(final["project_id"], int)
    assert stopped.json is not None  # one JSON object when the worker stops


def test_retry_of_a_successful_job_is_refused(cli):
    done = cli("import", "gorilla/mux", "--wait", "--json").json
    run = cli("retry", str(done["id"]), "--json")
    assert run.rc != 0
    assert set(run.json) == {"error"}


def test_a_running_import_refuses_its_repository_and_queues_others(cli, api):
    reached, release = api.hold(r"/readme$")
    running = cli.start("import", "pallets/flask", "--wait", "--json")
    try:
        assert reached.wait(60), "the import never asked for the README"
        job = cli.job(1)
        assert_job(job, kind="import")
        assert job["status"] == "STARTED" and job["stage"] in ("fetching", "analyzing")
        assert job["started_at"] is not None and job["finished_at"] is None
        again = cli("import", "https://github.com/pallets/flask", "--json")
        assert again.rc == 4, again
        assert again.json["error"]["code"] == "IMPORT_IN_PROGRESS"
        other = cli("import", "gorilla/mux", "--json")
        assert other.rc == 0, other
        assert other.json["status"] == "PENDING" and other.json["message"]
    finally:
        release.set()
    done = running.stop(interrupt=False)
    assert done.rc == 0, done
    assert done.json["status"] == "SUCCESS"


def test_cancel_a_running_import(cli, api):
    reached, release = api.hold(r"/readme$")
    running = cli.start("import", "pallets/flask", "--wait", "--json")
    try:
        assert reached.wait(60)
        assert cli("cancel", "1", "--json").rc == 0
    finally:
        release.set()
    done = running.stop(interrupt=False)
    assert done.rc == 5, done
    job = done.json
    assert_job(job, kind="import")
    assert job["status"] == "CANCELLED" and job["project_id"] is None
    assert cli("list", "--json").json == {"projects": []}


def test_wait_with_a_worker_running_elsewhere(cli):
    worker = cli.worker("--workers", "2")
    try:
        run = cli("import", "gorilla/mux", "--wait", "--json")
    finally:
        worker.stop()
    assert run.rc == 0, run
    assert run.json["status"] == "SUCCESS"
