"""Messages that fit the case (item 12): what a missing repository means with and without a
token, what quitting does to unfinished imports, and what a refresh says it did."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core.models import FINAL_STATUSES, Job


def _ended(qtbot, job_id):
    qtbot.waitUntil(lambda: Job.get_by_id(job_id).status in FINAL_STATUSES, timeout=20000)
    return Job.get_by_id(job_id)


def test_not_found_without_a_token_says_a_private_repository_needs_one(qtbot, window,
                                                                        runtime):
    assert not runtime.settings.github_token
    runtime.start_consumer(1)
    job = _ended(qtbot, runtime.queue.submit("nobody/nothing-here").id)
    shown = window.jobs_panel.model.reread(job.id)["error"]["message"]
    assert "needs a GitHub token" in shown
    assert "the token cannot see it" not in shown  # there is no token to blame


def test_not_found_with_a_token_says_the_token_may_not_see_it(qtbot, window, runtime):
    runtime.update_settings(runtime.settings.with_(github_token="ghp_example"))
    runtime.start_consumer(1)
    job = _ended(qtbot, runtime.queue.submit("nobody/nothing-here").id)
    shown = window.jobs_panel.model.reread(job.id)["error"]["message"]
    assert "the token cannot see it" in shown and "ghp_example" not in shown


def test_quitting_with_unfinished_imports_says_they_resume(qtbot, window, runtime):
    window.show()
    runtime.queue.submit("pallets/flask")  # no consumer: it waits in the queue
    quits = []
    window.quit_requested.connect(lambda: quits.append(True))
    window.close()
    box = window.quit_question
    assert box is not None and box.isVisible() and window.isVisible() and quits == []
    assert box.text() == "1 import has not finished."
    assert "next time Repofolio starts" in box.informativeText()
    keep = next(b for b in box.buttons() if "Keep" in b.text())
    keep.click()
    assert window.isVisible() and quits == []
    window.quit_action.trigger()  # Ctrl+Q asks too
    quit_button = next(b for b in window.quit_question.buttons() if b.text() == "&Quit")
    quit_button.click()
    assert quits == [True] and not window.isVisible()


def test_quitting_with_nothing_unfinished_asks_nothing(qtbot, window):
    window.show()
    with qtbot.waitSignal(window.quit_requested, timeout=1000):
        window.close()
    assert window.quit_question is None
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_refresh_reads_refreshed(qtbot, window, import_repo, runtime):
    job = import_repo("gorilla/mux")
    refresh = runtime.queue.refresh(job.project_id)
    refresh = _ended(qtbot, refresh.id)
    assert refresh.message.startswith("Refreshed gorilla/mux.")
    shown = window.jobs_panel.model.reread(refresh.id)
    assert shown["message"].startswith("Refreshed") and not shown["message"].startswith(
        "Imported")


def test_a_refresh_s_news_reads_refreshed(qtbot, window, import_repo, runtime):
    job = import_repo("gorilla/mux")
    window.show()
    refresh = runtime.queue.refresh(job.project_id)
    qtbot.waitUntil(lambda: window.banner.isVisible() and window.banner.news.job_id == refresh.id,
                    timeout=20000)
    assert window.banner.text.text() == (
        "Refreshed gorilla/mux. Its portfolio text and README are up to date.")


def test_elapsed_time_leaves_out_the_time_the_app_was_closed(qtbot, window, runtime):
    """An import stopped by quitting and resumed at the next start counted the hours in
    between."""
    from datetime import timedelta

    from core import jobs
    from core.timeutil import utcnow
    from gui.job_model import elapsed_seconds
    job = runtime.queue.submit("pallets/flask")
    claimed = jobs.claim(job.id, deadline_seconds=60, lease_ttl=60)
    Job.update(started_at=utcnow() - timedelta(hours=5)).where(Job.id == job.id).execute()
    assert jobs.give_back(job.id, claimed.attempts)  # the app quits mid-import
    shown = window.jobs_panel.model.reread(job.id)
    assert elapsed_seconds(shown) is None  # queued again: not running, no time
    jobs.claim(job.id, deadline_seconds=60, lease_ttl=60)  # the next start resumes it
    shown = window.jobs_panel.model.reread(job.id)
    assert elapsed_seconds(shown) < 3600  # this attempt's time, not five hours
