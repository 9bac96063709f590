"""The window's own news: the banner says one thing at a time, and goes when it is stale
(item 11)."""

from __future__ import annotations

from core.errors import ErrorInfo
from core.models import FAILURE, STARTED, Job
from core.progress import ProgressEvent
from gui.tray import news_of


def test_a_success_reads_as_two_sentences(qtbot, window):
    window.banner.show_news(news_of(
        ProgressEvent(4, "SUCCESS", "done", 100, "", project_id=1), "a/b"))
    assert window.banner.text.text() == "Imported a/b. It is now in your portfolio."
    assert "— It" not in window.banner.text.text()


def test_the_banner_goes_when_the_failed_job_runs_again(qtbot, window, runtime, fake_github):
    """A rate-limited import failed; its red banner stayed while the retry already ran."""
    window.show()
    fake_github.fail(r"^/repos/pallets/flask$", 403, times=None)  # refused: no retry
    runtime.start_consumer(1)
    job = runtime.queue.submit("pallets/flask")
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=20000)
    assert window.banner.news.job_id == job.id and not window.banner.news.succeeded
    other = ProgressEvent(job.id + 1, STARTED, "fetching", 5, "Fetching")
    window.banner.job_progressed(other)  # another job's progress changes nothing
    assert window.banner.isVisible()
    fake_github.clear_failures()
    window.jobs_panel.perform(job.id, "retry")
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: Job.get_by_id(job.id).status == "SUCCESS", timeout=20000)


def test_a_retry_from_a_terminal_also_clears_it(qtbot, window, runtime, fake_github):
    window.show()
    job = runtime.queue.submit("pallets/flask")
    Job.update(status=FAILURE, stage="done", error_code="RATE_LIMITED",
               error_message="GitHub's rate limit is spent.").where(Job.id == job.id).execute()
    window.jobs_panel.model.reread(job.id)
    window.banner.show_news(news_of(ProgressEvent(
        job.id, FAILURE, "done", 0, "", error=ErrorInfo("RATE_LIMITED", "Limit spent.", "Wait.")),
        "pallets/flask"))
    assert window.banner.isVisible()
    runtime.queue.retry(job.id)  # as `repofolio retry` does, in another process
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)


def test_an_absurd_reset_time_is_said_not_crashed_on():
    """A server's reset far past the year 9999 made the status bar and Settings raise."""
    from gui.settings_fields import describe_probe
    from gui.status_bar import quota_text
    quota = {"limit": 5000, "remaining": 4999, "reset": 10**15}
    text, tip = quota_text(quota)
    assert text == "GitHub: 4,999/5,000 requests left"
    assert tip == "The limit resets at an unknown time."
    assert describe_probe("alice", quota) == (
        "Signed in as alice — 4,999 of 5,000 requests left, resets at an unknown time")


def test_an_event_for_a_job_no_longer_listed_clears_it(qtbot, window, runtime):
    """The banner follows the dock's rows only; the job of its news, pushed out of the
    dock's history, comes back as a new row when it runs again (an event here)."""
    from gui.job_model import event_of, job_row
    window.show()
    job = runtime.queue.submit("pallets/flask")
    Job.update(status=FAILURE, stage="done").where(Job.id == job.id).execute()
    window.jobs_panel.model.reread(job.id)
    window.banner.show_news(news_of(ProgressEvent(
        job.id, FAILURE, "done", 0, "", error=ErrorInfo("RATE_LIMITED", "Limit spent.", "Wait.")),
        "pallets/flask"))
    window.jobs_panel.model.limit = 1  # one newer job pushes it out of the dock
    newer = runtime.queue.submit("psf/requests")
    window.jobs_panel.model.reread(newer.id)
    assert window.jobs_panel.model.job_of(job.id) is None and window.banner.isVisible()
    row = job_row(Job.get_by_id(job.id))
    row.update(status=STARTED, stage="fetching")
    runtime.events.publish(event_of(row))  # as a worker of this window reports it
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)
