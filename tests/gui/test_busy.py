"""Writes from the window while another process holds the catalog's write lock.

A real lock, held by a second SQLite connection as a `repofolio worker` would; the
window's own connection waits 50 ms instead of the 10 s a user would wait, so each
refused write is quick. Every slot says so in one line and nothing escapes it.
"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.models import Job, Project
from gui import actions
from gui.busy import CATALOG_BUSY
from gui.import_dialog import ImportDialog


@pytest.fixture
def locked_catalog(runtime):
    """Hold the catalog's write lock from another connection (reads still work: WAL).
    Every connection opened from now (the window's writer thread opens its own) waits
    50 ms for it, not 10 s."""
    runtime.database.pragma("busy_timeout", 50, permanent=True)
    runtime.database.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(str(runtime.settings.catalog_path), isolation_level=None)
    locked = {"held": False}

    def lock():
        other.execute("BEGIN IMMEDIATE")
        locked["held"] = True

    yield lock
    if locked["held"]:
        other.execute("ROLLBACK")
    other.close()
    runtime.database.pragma("busy_timeout", 10000, permanent=True)
    runtime.database.execute_sql("PRAGMA busy_timeout = 10000")


def test_project_writes_are_refused_politely(qtbot, window, runtime, make_project,
                                             monkeypatch, locked_catalog):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *args, **kwargs: QMessageBox.StandardButton.Yes))
    project = make_project("pallets/flask", is_showcase=True)
    window.browser.reload()
    window.open_project(project.id)
    locked_catalog()
    refused = lambda: window.statusBar().currentMessage() == CATALOG_BUSY  # noqa: E731
    window.projects.delete(project.id)  # each write runs on the writer; its refusal follows
    qtbot.waitUntil(refused)
    window.statusBar().clearMessage()
    window.projects.perform(project.id, actions.TOGGLE_SHOWCASE)
    qtbot.waitUntil(refused)
    window.statusBar().clearMessage()
    window.projects.refresh(project.id)
    qtbot.waitUntil(refused)
    window.statusBar().clearMessage()
    qtbot.mouseClick(window.details.showcase, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(refused)
    qtbot.waitUntil(window.details.showcase.isChecked)  # shows the flag as it still is
    fresh = Project.get_by_id(project.id)
    assert fresh.is_showcase and Job.select().count() == 0


def test_job_actions_are_refused_politely(qtbot, window, runtime, locked_catalog):
    job = runtime.queue.submit("psf/requests")
    window.jobs_panel.model.reload()
    locked_catalog()
    with qtbot.waitSignal(window.jobs_panel.notice) as notice:
        window.jobs_panel.perform(job.id, actions.CANCEL)
    assert notice.args == [CATALOG_BUSY]
    assert Job.get_by_id(job.id).status == "PENDING"


def test_an_import_is_refused_politely(qtbot, runtime, locked_catalog):
    dialog = ImportDialog(runtime, clipboard_text="")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.url_field.setText("pallets/flask")
    assert dialog.import_button.isEnabled()
    locked_catalog()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.refusal_label.text() == CATALOG_BUSY)
    assert dialog.isVisible()
    assert Job.select().count() == 0
