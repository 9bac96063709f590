"""The queue with real consumer threads, a real SqliteHuey file and the fake GitHub."""

from __future__ import annotations

import threading

import pytest

from core import errors
from core.errors import DuplicateImport, ImportInProgress, RepofolioError
from core.models import CANCELLED, FAILURE, RETRYING, STARTED, SUCCESS, Job, Project
from tests.lifecycle import holds_lease

pytestmark = pytest.mark.both_backends  # team mode: PostgreSQL + Redis too


def test_hundred_threads_submitting_one_url_make_one_job_and_one_project(runtime, fake_github):
    runtime.start_consumer(2)
    barrier = threading.Barrier(100)
    accepted, refused, unexpected = [], [], []

    def submit():
        barrier.wait()
        try:
            accepted.append(runtime.queue.submit("https://github.com/pallets/flask").id)
        except (DuplicateImport, ImportInProgress) as error:
            refused.append(error.code)
        except Exception as exc:  # pragma: no cover - reported below
            unexpected.append(repr(exc))

    threads = [threading.Thread(target=submit) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert unexpected == [] and len(accepted) == 1 and len(refused) == 99
    job = runtime.wait_for(accepted[0], timeout=30)
    assert job.status == SUCCESS
    assert Job.select().count() == 1 and Project.select().count() == 1
    assert fake_github.count("/repos/pallets/flask") >= 1 and fake_github.count("/languages") == 1


def test_two_profiles_import_at_once_while_a_second_import_of_one_waits(runtime, fake_github):
    first_requests = fake_github.hold(r"^/repos/(pallets/flask|psf/requests)$")
    runtime.start_consumer(2)
    home = runtime.queue.submit("pallets/flask", profile="home")
    work = runtime.queue.submit("psf/requests", profile="work")
    later = runtime.queue.submit("encode/httpx", profile="home")  # accepted, waits its turn
    assert later.status == "PENDING"
    first_requests.wait_until_held(2)  # both profiles' imports are running, at the same time
    assert Job.select().where(Job.status == STARTED).count() == 2
    first_requests.release()
    a, b = runtime.wait_for(home.id, timeout=30), runtime.wait_for(work.id, timeout=30)
    assert a.status == b.status == SUCCESS
    c = runtime.wait_for(later.id, timeout=30)
    assert c.status == SUCCESS and c.started_at >= a.finished_at  # one at a time per profile


def test_transient_failures_are_retried_with_growing_waits(runtime, fake_github):
    """The waits themselves are retry_delay's (tests/core/test_retry_policy.py); here the
    queue retries with the waits it was given, each longer than the one before."""
    fake_github.fail("/languages", 502, times=2)
    retries = []
    runtime.events.subscribe(lambda e: retries.append(e.retry_in) if e.status == RETRYING else None)
    runtime.start_consumer(1)
    job = runtime.wait_for(runtime.queue.submit("pallets/flask").id, timeout=40)
    assert job.status == SUCCESS and job.attempts == 3
    assert fake_github.count("/languages") == 3
    assert len(retries) == 2 and 0 < retries[0] < retries[1]


@pytest.mark.parametrize("setup, code", [
    (lambda fake: None, errors.REPO_NOT_FOUND),
    (lambda fake: fake.tokens.update({"real": "me"}), errors.AUTH_FAILED),
])
def test_not_found_and_bad_credentials_are_never_retried(settings, fake_github, setup, code):
    from tasks.runtime import Runtime
    setup(fake_github)
    rt = Runtime(settings.with_(github_token="wrong"))
    try:
        rt.start_consumer(1)
        url = "nobody/nothing" if code == errors.REPO_NOT_FOUND else "pallets/flask"
        job = rt.wait_for(rt.queue.submit(url).id, timeout=20)
    finally:
        rt.close()
    assert job.status == FAILURE and job.error_code == code and job.attempts == 1
    assert fake_github.request_count == 1


def test_rate_limit_waits_for_the_reset_then_succeeds(runtime, fake_github):
    fake_github.exhaust(reset_in=2)
    runtime.start_consumer(1)
    job = runtime.wait_for(runtime.queue.submit("gorilla/mux").id, timeout=30)
    assert job.status == SUCCESS and job.attempts == 2
    # The fake refuses every request until its reset: one refusal means the retry did
    # not come before it.
    assert [r.status for r in fake_github.requests][0] == 403
    assert [r.status for r in fake_github.requests].count(403) == 1


def test_rate_limit_longer_than_the_cap_fails_at_once(runtime, fake_github):
    fake_github.exhaust(reset_in=3600)
    runtime.start_consumer(1)
    job = runtime.wait_for(runtime.queue.submit("gorilla/mux").id, timeout=20)
    assert job.status == FAILURE and job.error_code == errors.RATE_LIMITED and job.attempts == 1


def test_cancel_a_queued_job_it_never_runs(runtime, fake_github):
    job = runtime.queue.submit("pallets/flask")
    assert runtime.queue.cancel(job.id).status == CANCELLED
    assert not holds_lease(job.id)  # at once, before any consumer or its maintenance runs
    next_one = runtime.queue.submit("psf/requests")  # the profile is free
    runtime.start_consumer(1)  # one worker takes tasks in order: the cancelled one first
    assert runtime.wait_for(next_one.id, timeout=20).status == SUCCESS
    assert fake_github.count("pallets/flask") == 0 and Job.get_by_id(job.id).status == CANCELLED


def test_cancel_a_running_job_stops_at_the_next_step(runtime, fake_github):
    languages = fake_github.hold(r"/languages$")  # a request of the snapshot's first step
    statuses = []
    runtime.events.subscribe(lambda e: statuses.append(e.status))
    runtime.start_consumer(1)
    job = runtime.queue.submit("pallets/flask")
    languages.wait_until_held()  # running, in the middle of its snapshot
    runtime.queue.cancel(job.id)
    job = runtime.wait_for(job.id, timeout=20)  # stops while the request is still held
    languages.release()
    assert job.status == CANCELLED and job.error_code == errors.CANCELLED
    assert Project.select().count() == 0 and not holds_lease(job.id)
    assert fake_github.count("/contents/") == 0  # the next step never ran
    # Stopped by the cancel itself, not by the held request's timeout and a retry.
    assert RETRYING not in statuses and statuses[-1] == CANCELLED and job.attempts == 1


def test_retry_of_a_failed_job_runs_it_again(runtime, fake_github):
    fake_github.fail("/repos/", 404, times=1)
    runtime.start_consumer(1)
    job = runtime.wait_for(runtime.queue.submit("spf13/cobra").id, timeout=20)
    assert job.status == FAILURE
    again = runtime.queue.retry(job.id)
    assert again.id == job.id and again.status == "PENDING"
    assert runtime.wait_for(job.id, timeout=20).status == SUCCESS


def test_a_refusal_is_typed_for_every_racing_submitter(runtime):
    runtime.queue.submit("pallets/flask")
    with pytest.raises(RepofolioError) as caught:
        runtime.queue.submit("PALLETS/FLASK")
    assert caught.value.code == errors.IMPORT_IN_PROGRESS


def test_stopping_the_consumer_puts_a_running_import_back_without_spending_it(runtime,
                                                                               fake_github):
    readme = fake_github.hold(r"/readme$")
    runtime.start_consumer(1)
    job = runtime.queue.submit("pallets/flask")
    readme.wait_until_held()
    runtime.stop_consumer()  # the app quits mid-import: its next check, with a request out
    readme.release()
    job = Job.get_by_id(job.id)
    assert job.status == "PENDING" and job.attempts == 0
    assert holds_lease(job.id) and Project.select().count() == 0

    runtime.start_consumer(1)  # the app starts again
    job = runtime.wait_for(job.id, timeout=20)
    assert job.status == SUCCESS and job.attempts == 1


def test_each_profile_imports_with_its_own_token(runtime, fake_github):
    from core.secrets import github_token_name
    fake_github.tokens.update({"tok-home": "home-user", "tok-work": "work-user"})
    # No keyring here: the runtime's store holds the secrets for this session.
    runtime.secrets.set(github_token_name("home"), "tok-home")
    runtime.secrets.set(github_token_name("work"), "tok-work")
    runtime.use_secrets()
    runtime.start_consumer(1)
    home = runtime.wait_for(runtime.queue.submit("gorilla/mux", profile="home").id, timeout=20)
    work = runtime.wait_for(runtime.queue.submit("spf13/cobra", profile="work").id, timeout=20)
    assert home.status == work.status == SUCCESS
    sent = {(r.path.split("/")[3], r.headers.get("authorization")) for r in fake_github.requests
            if r.path.startswith("/repos/")}
    assert sent == {("mux", "Bearer tok-home"), ("cobra", "Bearer tok-work")}


def test_reading_the_keyring_again_keeps_each_profile_on_its_own_token(runtime):
    # `import --wait` reads the secrets again when it has to start a second consumer.
    from core.secrets import github_token_name
    runtime.secrets.set(github_token_name("default"), "tok-default")
    runtime.secrets.set(github_token_name("work"), "tok-work")
    runtime.use_secrets()
    runtime.use_secrets()
    assert runtime.importer.token_for("work") == "tok-work"
    assert runtime.importer.token_for("default") == "tok-default"
    assert runtime.settings.github_token == "tok-default"


def test_an_analysis_finished_while_the_app_quits_is_still_saved(settings, fake_openai):
    """The AI answer is paid for: a quit that comes during the analysis stops the attempt
    only after it is saved, rather than throw the answer away and ask again."""
    from tasks.runtime import Runtime
    rt = Runtime(settings.with_(analyzer="openai", openai_api_key="sk-test-quit",
                                openai_base_url=fake_openai.url, ai_model="paid-model"))
    try:
        analysis = fake_openai.hold()
        rt.start_consumer(1)
        job = rt.queue.submit("pallets/flask")
        analysis.wait_until_held()  # the model is writing
        consumer = rt.consumer
        quitting = threading.Thread(target=rt.stop_consumer)
        quitting.start()  # the app quits; the stop waits for the running attempt
        consumer.interrupt.wait(10)
        analysis.release()  # the answer arrives after the quit was asked
        quitting.join(30)
        job = Job.get_by_id(job.id)
        assert (job.status, job.attempts) == (SUCCESS, 1)
        assert Project.get_by_id(job.project_id).analyzer == "openai:paid-model"
        assert fake_openai.request_count == 1
    finally:
        rt.close()
