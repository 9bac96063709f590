"""Item 5: what a terminal does to the catalog shows in the open window within seconds.

The window runs on the test's data folder; ``repofolio`` runs in another process
on the same folder, as a user would run it in a terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import Project
from tests.backends import store_environment

# The window on PostgreSQL + Redis too: it hears a terminal's writes through NOTIFY there.
pytestmark = pytest.mark.both_backends
ROOT = Path(__file__).resolve().parents[2]


def _cli(runtime, fake_github, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(store_environment(runtime.settings))  # team mode: the window's servers
    env.update(REPOFOLIO_HOME=str(runtime.settings.home), REPOFOLIO_GITHUB_API=fake_github.url,
               REPOFOLIO_ANALYZER="heuristic")
    done = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


def _names(window):
    model = window.browser.model
    return [model.project_at(r).full_name for r in range(model.rowCount())]


def test_a_delete_in_a_terminal_removes_the_row_and_its_details(qtbot, window, make_project,
                                                                runtime, fake_github):
    flask = make_project("pallets/flask")
    make_project("psf/requests")
    window.browser.reload()
    assert window.open_project(flask.id)
    _cli(runtime, fake_github, "delete", str(flask.id))
    assert Project.get_or_none(Project.id == flask.id) is None
    qtbot.waitUntil(lambda: _names(window) == ["psf/requests"], timeout=5000)
    assert window.details.project is None
    assert window.details.pages.currentWidget() is window.details.placeholder


def test_an_import_in_a_terminal_appears_in_the_list(qtbot, window, runtime, fake_github):
    window.browser.reload()
    assert window.browser.pages.currentWidget() is window.browser.empty_page
    _cli(runtime, fake_github, "import", "gorilla/mux", "--wait")
    qtbot.waitUntil(lambda: _names(window) == ["gorilla/mux"], timeout=5000)
    assert window.browser.pages.currentWidget() is window.browser.views


def test_a_submit_while_the_window_opens_is_listed(qtbot, make_window, no_tray, runtime,
                                                   monkeypatch):
    """A job written after the window's panes first read the catalog, and before its
    watcher's first look (a terminal's import as the app starts), is listed. It was taken
    for the way things already were, and the jobs dock never showed it."""
    submitted = []
    start = runtime.watch_catalog

    def a_terminal_submits_first(*args, **kwargs):
        submitted.append(runtime.queue.submit("pallets/flask"))  # no consumer: it waits
        return start(*args, **kwargs)

    monkeypatch.setattr(runtime, "watch_catalog", a_terminal_submits_first)
    window = make_window()
    model = window.jobs_panel.model
    qtbot.waitUntil(lambda: model.row_of(submitted[0].id) >= 0, timeout=20000)
