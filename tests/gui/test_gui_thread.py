"""The GUI thread writes nothing to the catalog, and reads nothing while imports run.

Every statement the GUI thread's own catalog connection runs is seen through SQLite's
authorizer (it is asked about each table a statement touches, before it runs): writes
are what the user's actions (import, cancel, retry, delete, flags, order, refresh) must
leave to the window's writer; while imports run with their events and the catalog
watcher's news, the thread must not touch the catalog at all.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from core.models import FINAL_STATUSES, SUCCESS, Job, Project, database
from gui import actions

WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
TOUCHES = WRITES | {sqlite3.SQLITE_READ}


@pytest.fixture
def gui_thread_statements(runtime):
    """What the GUI thread's catalog connection touches: (action, table) pairs."""
    seen: list[tuple[int, str | None]] = []
    gui_thread = threading.get_ident()

    def authorizer(action, table, _column, _db, _trigger):
        assert threading.get_ident() == gui_thread  # the connection is this thread's
        if action in TOUCHES and not (table or "").startswith("sqlite_"):
            seen.append((action, table))
        return sqlite3.SQLITE_OK

    connection = database.connection()  # the GUI thread's own (Peewee: one per thread)
    connection.set_authorizer(authorizer)
    yield seen
    connection.set_authorizer(None)


def _writes(seen):
    return [(action, table) for action, table in seen if action in WRITES]


def test_the_user_s_writes_run_on_the_writer(qtbot, window, runtime, make_project, monkeypatch,
                                             gui_thread_statements):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *args, **kwargs: QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *args: None))
    keep, gone = make_project("alice/keep", is_showcase=True), make_project("alice/gone")
    window.browser.reload()
    gui_thread_statements.clear()  # the test's own rows, written here on purpose
    from gui.import_dialog import ImportDialog
    dialog = ImportDialog(runtime, clipboard_text="", parent=window, writer=window.writer)
    dialog.url_field.setText("pallets/flask")
    dialog.refresh()
    dialog.submit()
    qtbot.waitUntil(lambda: Job.select().count() == 1)
    job = Job.get()
    window.jobs_panel.model.reread(job.id)
    window.jobs_panel.perform(job.id, actions.CANCEL)
    qtbot.waitUntil(lambda: Job.get_by_id(job.id).status == "CANCELLED")
    window.jobs_panel.perform(job.id, actions.RETRY)
    qtbot.waitUntil(lambda: Job.get_by_id(job.id).status == "PENDING")
    window.projects.perform(keep.id, actions.TOGGLE_PRIVATE)
    qtbot.waitUntil(lambda: Project.get_by_id(keep.id).is_private)
    window.projects.perform(keep.id, actions.PIN_TOP)
    qtbot.waitUntil(lambda: Project.get_by_id(keep.id).position is not None)
    window.projects.refresh(keep.id)
    qtbot.waitUntil(lambda: Job.select().where(Job.kind == "refresh").exists())
    window.projects.delete(gone.id)
    qtbot.waitUntil(lambda: Project.get_or_none(Project.id == gone.id) is None)
    window.open_project(keep.id)
    window.details.set_flags(showcase=False)
    qtbot.waitUntil(lambda: not Project.get_by_id(keep.id).is_showcase)
    assert gui_thread_statements  # the authorizer was listening: the window did read
    assert _writes(gui_thread_statements) == []


def test_nothing_is_read_on_the_gui_thread_while_imports_run(qtbot, window, runtime,
                                                             gui_thread_statements):
    window.show()
    runtime.start_consumer(2)
    gui_thread_statements.clear()
    done: list[int] = []
    submitting = threading.Thread(target=lambda: done.extend(  # as a terminal would
        runtime.queue.submit(name).id for name in ("gorilla/mux", "spf13/cobra", "jqlang/jq")))
    submitting.start()
    submitting.join(30)
    shown_before = list(gui_thread_statements)
    assert shown_before == []  # the submits ran on their own thread's connection
    qtbot.waitUntil(lambda: _all_ended(window, done), timeout=30_000)
    assert gui_thread_statements == []  # events, news, counts, the list: none read here
    assert all(Job.get_by_id(job_id).status == SUCCESS for job_id in done)
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 3)


def _all_ended(window, job_ids) -> bool:
    """Every job ended, as the dock shows it (the dock's rows, not the catalog)."""
    rows = [window.jobs_panel.model.job_of(job_id) for job_id in job_ids]
    return all(row is not None and row["status"] in FINAL_STATUSES for row in rows)
