"""ImportDialog against a real runtime (catalog + queue in a temporary folder), no consumer.

Every test also checks that validating never reached GitHub: the dialog only
reads the catalog, so the fake server must see zero requests.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from core.errors import InvalidUrl
from core.models import PENDING, Job
from core.urls import parse
from gui.import_dialog import MAX_CLIPBOARD_CHARS, ImportDialog


@pytest.fixture(autouse=True)
def _no_github_requests(fake_github):
    yield
    assert fake_github.request_count == 0


@pytest.fixture
def open_import(qtbot, runtime):
    """Build a shown dialog; ``clipboard_text`` defaults to "" so the clipboard is not read."""
    def make(text: str = "", clipboard_text: str | None = "", **options) -> ImportDialog:
        dialog = ImportDialog(runtime, clipboard_text=clipboard_text, **options)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        if text:
            dialog.url_field.setText(text)
        return dialog
    return make


def test_title_and_initial_state(open_import):
    dialog = open_import()
    assert dialog.windowTitle() == "Import a repository"
    assert dialog.url_field.text() == ""
    assert not dialog.import_button.isEnabled()
    assert dialog.showcase_box.isChecked() and not dialog.private_box.isChecked()
    assert dialog.url_field.accessibleName() == "Repository URL"


@pytest.mark.parametrize("text, full_name", [
    ("https://github.com/pallets/flask", "pallets/flask"),
    ("git@github.com:psf/requests.git", "psf/requests"),
    ("  encode/httpx ", "encode/httpx"),
])
def test_valid_address_shows_what_will_be_imported(open_import, text, full_name):
    dialog = open_import(text)
    assert dialog.status_label.text() == f"Will import {full_name}."
    assert dialog.import_button.isEnabled()
    assert not dialog.open_button.isVisible()


@pytest.mark.parametrize("text", [
    "https://gitlab.com/pallets/flask",  # another host
    "https://gist.github.com/octocat/6cad326836d38bd3a7ae",  # a gist
    "https://github.com/settings/tokens",  # a GitHub page
    "not a url at all",
])
def test_invalid_address_shows_the_reason_and_disables_import(open_import, text):
    with pytest.raises(InvalidUrl) as refused:
        parse(text)
    dialog = open_import(text)
    assert dialog.status_label.text() == refused.value.message
    assert not dialog.import_button.isEnabled()
    assert not dialog.open_button.isVisible()


def test_duplicate_offers_to_open_the_existing_project(qtbot, open_import, make_project):
    project = make_project("pallets/flask")  # tests/gui/conftest.py
    dialog = open_import("https://github.com/PALLETS/Flask")
    assert dialog.status_label.text() == "Already in your catalog as pallets/flask."
    assert not dialog.import_button.isEnabled()
    assert dialog.open_button.isVisible()
    with qtbot.waitSignal(dialog.open_project_requested) as opened:
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [project.id]
    assert not dialog.isVisible()
    assert Job.select().count() == 0


def test_another_import_running_does_not_block_and_the_queue_is_told(qtbot, runtime,
                                                                      open_import):
    runtime.queue.submit("pallets/flask")
    dialog = open_import("psf/requests")
    assert dialog.status_label.text() == "Will import psf/requests. Queued — 1 ahead of it."
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.submitted) as submitted:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert Job.get_by_id(submitted.args[0]).repo == "psf/requests"


def test_the_same_repository_in_flight_is_shown_and_refreshed(qtbot, runtime, open_import):
    running = runtime.queue.submit("pallets/flask")
    assert running.status == PENDING
    dialog = open_import("https://github.com/Pallets/Flask")
    assert dialog.status_label.text() == (f"pallets/flask is already queued (job {running.id}: "
                                          "queued, 0%).")
    assert not dialog.import_button.isEnabled()
    assert dialog.in_flight_bar.isVisible() and dialog.in_flight_bar.value() == 0

    # The dialog follows the running import without any input ...
    Job.update(status="STARTED", stage="fetching", progress=20).where(
        Job.id == running.id).execute()
    qtbot.waitUntil(lambda: "being imported" in dialog.status_label.text(), timeout=3000)
    assert dialog.status_label.text() == (f"pallets/flask is already being imported "
                                          f"(job {running.id}: fetching, 20%).")
    assert dialog.in_flight_bar.value() == 20
    # ... and offers Import as soon as it has ended.
    Job.update(status="CANCELLED").where(Job.id == running.id).execute()
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=3000)
    assert dialog.status_label.text() == "Will import Pallets/Flask."
    assert not dialog.in_flight_bar.isVisible()


def test_another_profile_is_not_blocked(runtime, open_import):
    runtime.queue.submit("pallets/flask", profile="work")
    dialog = open_import("pallets/flask")
    assert dialog.import_button.isEnabled()


@pytest.mark.parametrize("clipboard, given, expected", [
    ("https://github.com/psf/requests/tree/main/docs", None,
     "https://github.com/psf/requests/tree/main/docs"),  # the system clipboard is read
    ("https://example.com/some/page", None, ""),  # not a repository: no prefill
    ("https://github.com/psf/requests", "https://github.com/encode/httpx",
     "https://github.com/encode/httpx"),  # text handed in wins over the clipboard
    ("https://github.com/psf/requests", "hello", ""),
])
def test_clipboard_prefill(qtbot, runtime, clipboard, given, expected):
    QGuiApplication.clipboard().setText(clipboard)
    dialog = ImportDialog(runtime, clipboard_text=given)
    qtbot.addWidget(dialog)
    assert dialog.url_field.text() == expected
    assert dialog.import_button.isEnabled() == bool(expected)


def test_submit_queues_a_pending_job_emits_its_id_and_closes(qtbot, open_import):
    dialog = open_import("https://github.com/pallets/flask")
    dialog.showcase_box.setChecked(False)
    dialog.private_box.setChecked(True)
    with qtbot.waitSignal(dialog.submitted) as submitted:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    job = Job.get_by_id(submitted.args[0])
    assert (job.status, job.repo, job.profile.name) == (PENDING, "pallets/flask", "default")
    assert (job.showcase, job.private) == (False, True)
    assert not dialog.isVisible()
    assert dialog.result() == ImportDialog.DialogCode.Accepted


def test_enter_submits_when_valid(qtbot, open_import):
    dialog = open_import("psf/requests", profile="work")
    with qtbot.waitSignal(dialog.submitted) as submitted:
        qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    job = Job.get_by_id(submitted.args[0])
    assert (job.repo, job.profile.name, job.showcase, job.private) == (
        "psf/requests", "work", True, False)


@pytest.mark.parametrize("text", ["https://github.com/pallets", "https://github.com/pallets/",
                                  "@pallets", "pallets"])
def test_an_owner_leads_on_to_the_checklist_of_its_repositories(qtbot, open_import, text):
    dialog = open_import(text)
    assert dialog.status_label.text() == ("@pallets is a GitHub account: choose which of its "
                                          "repositories to import.")
    assert dialog.import_button.text() == "&Choose repositories…"
    assert not dialog.showcase_box.isEnabled()
    with qtbot.waitSignal(dialog.owner_requested) as requested:
        qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert requested.args == ["pallets"] and Job.select().count() == 0


def test_enter_does_nothing_when_invalid(qtbot, open_import):
    dialog = open_import("https://gitlab.com/pallets/flask")
    with qtbot.assertNotEmitted(dialog.submitted):
        qtbot.keyClick(dialog.url_field, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert Job.select().count() == 0


def test_escape_closes_without_queueing(qtbot, open_import):
    dialog = open_import("pallets/flask")
    with qtbot.assertNotEmitted(dialog.submitted):
        qtbot.keyClick(dialog.url_field, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == ImportDialog.DialogCode.Rejected
    assert Job.select().count() == 0


def test_refusal_that_raced_in_is_shown_and_nothing_is_written(qtbot, runtime, open_import):
    dialog = open_import("psf/requests")
    assert dialog.import_button.isEnabled()
    other = runtime.queue.submit("psf/requests")  # e.g. from the command line, just now
    with qtbot.assertNotEmitted(dialog.submitted):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    text = dialog.refusal_label.text()
    assert f"psf/requests is already queued in this profile (job {other.id}" in text
    assert f"Wait for job {other.id} to finish" in text  # the suggestion
    assert [job.id for job in Job.select()] == [other.id]
    assert not dialog.import_button.isEnabled()
    # Editing the address clears the refusal.
    dialog.url_field.setText("encode/httpx")
    assert dialog.refusal_label.text() == "" and not dialog.refusal_label.isVisible()


def test_a_megabyte_clipboard_is_not_parsed_on_the_gui_thread(qtbot, runtime):
    wrapped = "<" * 500_000 + "pallets/flask" + ">" * 500_000  # an address, deep inside
    QGuiApplication.clipboard().setText(wrapped)
    dialog = ImportDialog(runtime)
    qtbot.addWidget(dialog)
    assert dialog.url_field.text() == "" and dialog.state.kind == "empty"
    assert dialog.url_field.maxLength() == MAX_CLIPBOARD_CHARS
    dialog.url_field.setText("x" * 1_000_000)  # a paste is cut to the field's length
    assert len(dialog.url_field.text()) == MAX_CLIPBOARD_CHARS
    assert "too long" in dialog.status_label.text()
