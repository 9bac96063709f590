"""The import service against the real fake GitHub and a real temporary catalog.

Attempts run synchronously here (``importer.run``), the way the queue's task
body runs them; tests/tasks/ drive the same code through a real consumer.
"""

from __future__ import annotations

import pytest

from core import errors, jobs
from core.errors import DuplicateImport, ImportInProgress, InvalidUrl
from core.models import CANCELLED, FAILURE, RETRYING, SUCCESS, Job, Lease, Project
from core.records import job_dict, project_dict
from tests.lifecycle import run_to_end

PROJECT_KEYS = {"id", "slug", "title", "full_name", "url", "github_id", "description",
                "summary", "category", "tags", "highlights", "languages", "tech_stack",
                "stars", "forks", "license", "default_branch", "homepage", "is_showcase",
                "is_private", "analyzer", "imported_at", "updated_at"}
JOB_KEYS = {"id", "kind", "profile", "url", "repo", "status", "stage", "progress", "message",
            "attempts", "error", "project_id", "created_at", "started_at", "finished_at"}

pytestmark = pytest.mark.both_backends  # team mode: PostgreSQL + Redis too


def test_import_creates_a_project_with_every_field(runtime, fake_github):
    events = []
    job = runtime.importer.submit("https://github.com/PALLETS/flask.git")
    assert job.status == "PENDING" and job.repo == "PALLETS/flask"
    job = run_to_end(runtime.importer, job.id, events)

    assert job.status == SUCCESS, job.error_message
    project = Project.get_by_id(job.project_id)
    data = project_dict(project, with_readme=True)
    assert PROJECT_KEYS <= set(data) and {"readme", "readme_truncated"} <= set(data)
    assert data["url"] == "https://github.com/pallets/flask"  # canonical case from the API
    assert data["full_name"] == "pallets/flask" and data["github_id"] == 3002
    assert data["analyzer"] == "heuristic" and data["license"] == "BSD-3-Clause"
    assert "Python" in data["tech_stack"]["languages"]
    assert "GitHub Actions" in data["tech_stack"]["tools"]
    assert data["readme"].startswith("#") or "Flask" in data["readme"]
    assert 3 <= len(data["tags"]) <= 8
    # Progress went through every stage, in order, and ended at 100.
    stages = [e.stage for e in events]
    assert stages.index("fetching") < stages.index("analyzing") < stages.index("saving")
    assert events[-1].status == SUCCESS and events[-1].progress == 100
    assert set(job_dict(job)) == JOB_KEYS and job_dict(job)["finished_at"].endswith("Z")
    assert Lease.select().count() == 0


def test_duplicate_is_refused_before_any_request(runtime, fake_github):
    done = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    assert done.project_id is not None
    fake_github.reset()

    for form in ("https://github.com/Pallets/Flask", "git@github.com:pallets/flask.git",
                 "https://www.github.com/pallets/FLASK/tree/main/src"):
        with pytest.raises(DuplicateImport) as caught:
            runtime.importer.submit(form)
        assert caught.value.project_id == done.project_id
    assert fake_github.request_count == 0
    assert Job.select().count() == 1 and Project.select().count() == 1


def test_only_the_same_repository_is_refused_while_it_is_in_flight(runtime):
    first = runtime.importer.submit("psf/requests")
    with pytest.raises(ImportInProgress) as caught:
        runtime.importer.submit("https://github.com/PSF/Requests")  # the canonical key
    assert caught.value.job_id == first.id and f"job {first.id}" in caught.value.message
    second = runtime.importer.submit("encode/httpx")  # another repository waits its turn
    assert second.status == "PENDING" and second.kind == "import"
    other = runtime.importer.submit("psf/requests", profile="work")  # another profile may
    assert len({first.id, second.id, other.id}) == 3 and Job.select().count() == 3


def test_invalid_url_writes_nothing_and_sends_nothing(runtime, fake_github):
    with pytest.raises(InvalidUrl):
        runtime.importer.submit("https://gitlab.com/pallets/flask")
    assert Job.select().count() == 0 and fake_github.request_count == 0


@pytest.mark.parametrize("prepare, url, code", [
    (lambda fake, s: None, "nobody/nothing-here", errors.REPO_NOT_FOUND),
    (lambda fake, s: fake.tokens.update({"good": "me"}), "pallets/flask", errors.AUTH_FAILED),
    (lambda fake, s: fake.exhaust(reset_in=3600), "pallets/flask", errors.RATE_LIMITED),
    (lambda fake, s: fake.fail("/repos/", 502, times=None), "pallets/flask", errors.GITHUB_ERROR),
    (lambda fake, s: fake.fail("/readme", 503, times=None), "pallets/flask", errors.GITHUB_ERROR),
])
def test_each_failure_ends_the_job_with_its_code_and_no_project(
        settings, fake_github, prepare, url, code):
    from tasks.runtime import Runtime
    prepare(fake_github, settings)
    rt = Runtime(settings.with_(github_token="bad-token"))
    try:
        job = run_to_end(rt.importer, rt.importer.submit(url).id)
    finally:
        rt.close()
    assert job.status == FAILURE and job.error_code == code
    assert job.error_message and job.error_suggestion
    assert "bad-token" not in (job.error_message + job.error_suggestion + job.message)
    assert Project.select().count() == 0 and Lease.select().count() == 0


def test_rate_limit_failure_says_when_it_resets_and_how_a_token_helps(runtime, fake_github):
    fake_github.exhaust(reset_in=3600)
    job = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    assert job.error_code == errors.RATE_LIMITED and job.attempts == 1  # no retry past the cap
    assert "UTC" in job.error_message and "5,000" in job.error_suggestion


def test_network_errors_are_retried_then_fail(settings):
    from tasks.runtime import Runtime
    rt = Runtime(settings.with_(github_api="http://127.0.0.1:9", max_attempts=3))
    try:
        job = rt.importer.submit("pallets/flask")
        outcomes = [rt.importer.run(job.id) for _ in range(3)]
    finally:
        rt.close()
    assert [o.status for o in outcomes] == [RETRYING, RETRYING, FAILURE]
    assert all(o.retry_in > 0 for o in outcomes[:2])
    job = Job.get_by_id(job.id)
    assert job.error_code == errors.NETWORK_ERROR and job.attempts == 3


def test_the_run_slot_is_held_through_retries_and_the_next_job_waits(runtime, fake_github):
    fake_github.fail("/languages", 502, times=1)
    job = runtime.importer.submit("pallets/flask")
    waiting = runtime.importer.submit("psf/requests")  # accepted: it waits its turn
    assert runtime.importer.run(job.id).status == RETRYING
    assert Lease.get(Lease.job == job.id)
    sent = fake_github.request_count
    assert runtime.importer.run(waiting.id).status == "PENDING"  # the slot is taken: parked
    parked = Job.get_by_id(waiting.id)
    assert parked.attempts == 0 and parked.task_id is None and fake_github.request_count == sent
    assert parked.message == "Waiting for 1 import of this profile to finish"
    assert runtime.importer.run(job.id).status == SUCCESS
    assert Lease.select().count() == 0
    assert Job.get_by_id(job.id).attempts == 2
    assert runtime.importer.run(waiting.id).status == SUCCESS  # its turn now


def test_deadline_ends_the_job_with_timeout(settings, fake_github):
    from tasks.runtime import Runtime
    readme = fake_github.hold(r"/readme$")  # a request that outlasts the deadline
    rt = Runtime(settings.with_(import_deadline=0.2))
    try:
        job = run_to_end(rt.importer, rt.importer.submit("pallets/flask").id)
    finally:
        readme.release()
        rt.close()
    assert job.status == FAILURE and job.error_code == errors.TIMEOUT
    assert Project.select().count() == 0 and Lease.select().count() == 0


def test_cancel_of_a_queued_job_releases_the_profile(runtime, fake_github):
    job = runtime.importer.submit("pallets/flask")
    assert jobs.request_cancel(job.id).status == CANCELLED
    assert runtime.importer.run(job.id).status == CANCELLED  # the queue task finds it ended
    assert fake_github.request_count == 0 and Lease.select().count() == 0
    runtime.importer.submit("psf/requests")  # the profile is free again


def test_renamed_repository_is_a_duplicate_found_by_its_id(runtime, fake_github):
    first = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    fake_github.rename("pallets/flask", "pallets/flask-renamed")
    fake_github.reset()
    job = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask-renamed").id)
    assert job.status == FAILURE and job.error_code == errors.DUPLICATE_IMPORT
    assert job.project_id == first.project_id
    assert fake_github.request_count == 1  # found by the first request, before any other
    assert Project.select().count() == 1


def test_old_name_of_a_renamed_repository_follows_the_redirect(runtime, fake_github):
    fake_github.rename("psf/requests", "psf/requests-http")
    job = run_to_end(runtime.importer, runtime.importer.submit("psf/requests").id)
    assert job.status == SUCCESS
    project = Project.get_by_id(job.project_id)
    assert project.full_name == "psf/requests-http" and job.repo == "psf/requests-http"
    # The old name is now a duplicate too, by key or by id.
    with pytest.raises(DuplicateImport):
        runtime.importer.submit("psf/requests-http")


def test_garbage_ai_output_falls_back_to_the_offline_analyzer(settings, fake_openai):
    from tasks.runtime import Runtime
    fake_openai.reply("this is not json at all")
    rt = Runtime(settings.with_(analyzer="openai", openai_api_key="sk-test-secret",
                                openai_base_url=fake_openai.url))
    try:
        job = run_to_end(rt.importer, rt.importer.submit("pallets/flask").id)
    finally:
        rt.close()
    assert job.status == SUCCESS
    assert Project.get_by_id(job.project_id).analyzer == "heuristic"
    assert "offline" in job.message.lower() and "sk-test-secret" not in job.message
    assert fake_openai.request_count >= 1


def test_ai_output_is_used_and_named(settings, fake_openai):
    from tasks.runtime import Runtime
    fake_openai.reply({"description": "A tiny web framework.", "summary": "Flask is small.",
                       "tags": ["python", "web", "wsgi"], "category": "Library / Framework",
                       "highlights": ["Simple core"], "tech_stack": ["Python", "Werkzeug"]})
    rt = Runtime(settings.with_(analyzer="openai", openai_api_key="sk-test",
                                openai_base_url=fake_openai.url, ai_model="local-model"))
    try:
        job = run_to_end(rt.importer, rt.importer.submit("pallets/flask").id)
    finally:
        rt.close()
    project = Project.get_by_id(job.project_id)
    assert project.analyzer == "openai:local-model"
    assert project.description == "A tiny web framework."
    assert project.category == "Library / Framework"


def test_refresh_rewrites_the_project_in_place_with_conditional_requests(runtime, fake_github):
    first = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    from core.catalog import set_flags
    set_flags(first.project_id, showcase=False)  # the user's choice survives a refresh
    fake_github.reset()

    job = run_to_end(runtime.importer, runtime.importer.submit_refresh(first.project_id).id)
    assert job.status == SUCCESS and job.project_id == first.project_id
    assert Project.select().count() == 1
    project = Project.get_by_id(first.project_id)
    assert project.is_showcase is False and project.updated_at > project.imported_at
    answered = [r.status for r in fake_github.requests]
    assert answered.count(304) >= 3  # repo, languages, README, tree… came back unchanged


def test_refresh_is_refused_only_while_the_same_project_is_in_flight(runtime):
    done = run_to_end(runtime.importer, runtime.importer.submit("gorilla/mux").id)
    runtime.importer.submit("spf13/cobra")  # another repository does not stand in the way
    refresh = runtime.importer.submit_refresh(done.project_id)
    with pytest.raises(ImportInProgress) as caught:
        runtime.importer.submit_refresh(done.project_id)
    assert caught.value.job_id == refresh.id


def test_refresh_of_a_project_deleted_meanwhile_fails_cleanly(runtime):
    from core.catalog import delete_project
    done = run_to_end(runtime.importer, runtime.importer.submit("gorilla/mux").id)
    job = runtime.importer.submit_refresh(done.project_id)
    delete_project(done.project_id)
    job = run_to_end(runtime.importer, job.id)
    assert job.status == FAILURE and job.error_code == errors.NOT_FOUND
    assert Project.select().count() == 0 and Lease.select().count() == 0


def test_retry_of_a_renamed_duplicate_is_refused_without_requests(runtime, fake_github):
    first = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask").id)
    fake_github.rename("pallets/flask", "pallets/flask-renamed")
    failed = run_to_end(runtime.importer, runtime.importer.submit("pallets/flask-renamed").id)
    fake_github.reset()
    with pytest.raises(DuplicateImport) as caught:
        runtime.importer.resubmit(failed.id)
    assert caught.value.project_id == first.project_id and fake_github.request_count == 0
