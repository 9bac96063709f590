"""The jobs panel follows real imports (real queue, real consumer) and acts by state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.models import Job, Profile
from gui import actions
from gui.job_model import PROGRESS, STATUS, ProgressRole


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
    panel.perform(job.id, actions.CANCEL)  # on the window's writer, off the GUI thread
    qtbot.waitUntil(lambda: Job.get_by_id(job.id).status == "CANCELLED")
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


def _job(repo, **fields):
    """A job row as another process would leave it (no queue task, no events)."""
    owner = Profile.get(Profile.name == "default")
    return Job.create(profile=owner, url=f"https://github.com/{repo}", repo=repo,
                      key=repo.lower(), **fields)


def _failed(repo):
    return _job(repo, status="FAILURE", stage="fetching", progress=5, message="Gone",
                error_code="REPO_NOT_FOUND", error_message=f"{repo} is gone.",
                error_suggestion="Check the address.")


def _click_row(qtbot, panel, job_id):
    rect = panel.table.visualRect(panel.model.index(panel.model.row_of(job_id), STATUS))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected_job()["id"] == job_id


def _button(panel, label):
    return next(b for b in panel._action_buttons() if b.text() == label)


@pytest.fixture
def shown_panel(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    return window.jobs_panel


def test_buttons_act_on_the_job_selected_now(qtbot, shown_panel):
    """A then B offer the same actions: the buttons stay, but must act on B."""
    panel = shown_panel
    first, second = _failed("a/first"), _failed("a/second")
    panel.model.reload()
    _click_row(qtbot, panel, first.id)
    _click_row(qtbot, panel, second.id)
    qtbot.mouseClick(_button(panel, "Details…"), Qt.MouseButton.LeftButton)
    box = next(b for b in panel.findChildren(QMessageBox) if b.isVisible())
    assert box.windowTitle() == "Import of a/second" and box.text() == "a/second is gone."
    box.reject()
    qtbot.mouseClick(_button(panel, "Retry"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: Job.get_by_id(second.id).status == "PENDING")
    assert Job.get_by_id(first.id).status == "FAILURE"


def test_cancel_button_acts_on_the_job_selected_now(qtbot, shown_panel):
    panel = shown_panel
    first, second = _job("a/first"), _job("a/second")  # both queued
    panel.model.reload()
    _click_row(qtbot, panel, first.id)
    _click_row(qtbot, panel, second.id)
    qtbot.mouseClick(_button(panel, "Cancel"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: Job.get_by_id(second.id).status == "CANCELLED")
    assert Job.get_by_id(first.id).status == "PENDING"


def test_open_button_opens_the_project_of_the_job_selected_now(qtbot, shown_panel, window,
                                                               make_project):
    panel = shown_panel
    flask, httpx = make_project("pallets/flask"), make_project("encode/httpx")
    first = _job("pallets/flask", status="SUCCESS", progress=100, project=flask)
    second = _job("encode/httpx", status="SUCCESS", progress=100, project=httpx)
    window.browser.reload()
    panel.model.reload()
    _click_row(qtbot, panel, first.id)
    _click_row(qtbot, panel, second.id)
    qtbot.mouseClick(_button(panel, "Open project"), Qt.MouseButton.LeftButton)
    assert window.details.project["full_name"] == "encode/httpx"


def test_enter_and_double_click_run_the_default_action(qtbot, shown_panel, window,
                                                       make_project):
    panel = shown_panel
    flask = make_project("pallets/flask")
    done = _job("pallets/flask", status="SUCCESS", progress=100, project=flask)
    failed = _failed("a/gone")
    window.browser.reload()
    panel.model.reload()
    _click_row(qtbot, panel, done.id)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.details.project["full_name"] == "pallets/flask"
    _click_row(qtbot, panel, failed.id)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    boxes = [b for b in panel.findChildren(QMessageBox) if b.isVisible()]
    assert [b.text() for b in boxes] == ["a/gone is gone."]
    boxes[0].reject()
    window.details.show_project(None)
    rect = panel.table.visualRect(panel.model.index(panel.model.row_of(done.id), STATUS))
    # A real double-click: the first click, then the second press Qt reports as a double one.
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.details.project["full_name"] == "pallets/flask"
    assert not [b for b in panel.findChildren(QMessageBox) if b.isVisible()]


def test_a_failed_job_shows_its_status_not_a_stale_percentage(qtbot, shown_panel):
    panel = shown_panel
    failed = _failed("a/gone")  # it stopped at 5 %
    panel.model.reload()
    index = panel.model.index(panel.model.row_of(failed.id), PROGRESS)
    assert index.data() == "Failed" and index.data(ProgressRole) == 0
