"""The jobs panel follows real imports (real queue, real consumer) and acts by state."""

from __future__ import annotations

from core.models import Job
from gui import actions
from gui.job_model import STATUS


def _status_of(panel, job_id):
    row = panel.model.row_of(job_id)
    return panel.model.job_at(row)["status"] if row >= 0 else None


def test_submitted_job_is_followed_to_done(qtbot, window, runtime):
    runtime.start_consumer(1)
    job = runtime.queue.submit("pallets/flask")
    panel = window.jobs_panel
    qtbot.waitUntil(lambda: _status_of(panel, job.id) is not None, timeout=5000)
    qtbot.waitUntil(lambda: _status_of(panel, job.id) == "SUCCESS", timeout=20000)
    row = panel.model.row_of(job.id)
    assert panel.model.index(row, STATUS).data() == "Done"
    assert panel.model.job_at(row)["project_id"] is not None
    assert panel.model.job_at(row)["finished_at"] is not None
    # The browser reloaded: the new project is listed.
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 1)


def test_cancel_and_retry_from_the_panel(qtbot, window, runtime):
    job = runtime.queue.submit("psf/requests")  # no consumer yet: it stays queued
    panel = window.jobs_panel
    panel.reveal_job(job.id)
    assert panel.selected_job()["id"] == job.id
    labels = [b.text() for b in panel._action_buttons()]
    assert labels == ["Cancel"]
    panel.perform(job.id, actions.CANCEL)
    assert Job.get_by_id(job.id).status == "CANCELLED"
    qtbot.waitUntil(lambda: [b.text() for b in panel._action_buttons()] == ["Retry", "Details…"])
    runtime.start_consumer(1)
    panel.perform(job.id, actions.RETRY)
    qtbot.waitUntil(lambda: _status_of(panel, job.id) == "SUCCESS", timeout=20000)


def test_a_refused_retry_is_reported_not_raised(qtbot, window, runtime, import_repo):
    done = import_repo("encode/httpx")
    with qtbot.waitSignal(window.jobs_panel.notice) as notice:
        window.jobs_panel.perform(done.id, actions.RETRY)  # SUCCESS jobs cannot be retried
    assert "already succeeded" in notice.args[0]


def test_open_project_action_reveals_it(qtbot, window, import_repo):
    job = import_repo("BurntSushi/ripgrep")
    window.jobs_panel.model.reload()
    window.jobs_panel.perform(job.id, actions.OPEN_PROJECT)
    assert window.details.project["full_name"] == "BurntSushi/ripgrep"
    assert window.browser.current_project_id() == job.project_id
