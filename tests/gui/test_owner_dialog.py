"""The checklist of an owner's repositories, against a real runtime and the fake GitHub.

The listing runs on the dialog's own runner thread; tests wait for its answer with
``qtbot.waitUntil``.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.models import Job
from core.records import job_dict
from gui.background import BackgroundRunner
from gui.import_dialog import OWNER, ImportDialog
from gui.owner_dialog import NAME, NOTES, STARS, OwnerImportDialog
from tests.fakes.owners import populate


@pytest.fixture
def checklist(qtbot, runtime):
    def make(owner: str = "dana", writer: BackgroundRunner | None = None) -> OwnerImportDialog:
        dialog = OwnerImportDialog(runtime, owner, writer=writer)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.model is not None or "no user" in
                        dialog.status_label.text(), timeout=10000)
        return dialog
    return make


def _rows(dialog):
    proxy = dialog.proxy
    return [(proxy.index(r, NAME).data(), proxy.index(r, NAME).data(Qt.ItemDataRole.CheckStateRole)
             == Qt.CheckState.Checked, proxy.index(r, STARS).data(), proxy.index(r, NOTES).data())
            for r in range(proxy.rowCount())]


def test_the_checklist_shows_each_repository_with_its_marks(checklist, fake_github,
                                                            make_project):
    populate(fake_github, "dana", 5, forks={2}, archived={3})
    make_project("dana/tool-04", github_id=700_004)  # already imported (by its GitHub id)
    dialog = checklist()
    assert _rows(dialog) == [
        ("tool-01", True, "1", ""), ("tool-02", False, "2", "fork"),
        ("tool-03", False, "3", "archived"), ("tool-04", False, "4", "already imported"),
        ("tool-05", True, "5", "")]
    locked = dialog.proxy.index(3, NAME)
    assert not locked.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert not locked.flags() & Qt.ItemFlag.ItemIsEnabled
    assert dialog.cost_label.text() == ("2 selected — about 20 GitHub requests; 59 left this "
                                        "hour.")
    assert not dialog.warning_label.isVisible() and dialog.import_button.text() == "&Import 2"


def test_filter_select_all_and_none_act_on_the_rows_shown(qtbot, checklist, fake_github):
    populate(fake_github, "dana", 12, forks={11})
    dialog = checklist()
    qtbot.keyClicks(dialog.filter_field, "TOOL-1")
    assert [row[0] for row in _rows(dialog)] == ["tool-10", "tool-11", "tool-12"]
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    assert [row[1] for row in _rows(dialog)] == [False, False, False]
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)  # the fork too, if asked
    assert [row[1] for row in _rows(dialog)] == [True, True, True]
    dialog.filter_field.clear()
    assert sum(row[1] for row in _rows(dialog)) == 12
    assert dialog.import_button.text() == "&Import 12"


def test_a_choice_that_does_not_fit_says_how_long_and_what_a_token_does(checklist,
                                                                        fake_github):
    populate(fake_github, "dana", 8)
    fake_github.rate_remaining = 30
    dialog = checklist()
    assert dialog.warning_label.isVisible()
    text = dialog.warning_label.text()
    assert "80 GitHub requests and 29 are left" in text
    assert "about 1 hour" in text and "from 60 to 5,000 requests an hour" in text
    dialog.model.set_checked(list(range(8))[2:], False)  # two: 20 requests, they fit
    assert not dialog.warning_label.isVisible()


def test_import_queues_one_batch_of_the_chosen_repositories(qtbot, checklist, fake_github):
    populate(fake_github, "dana", 4, forks={4})
    dialog = checklist()
    dialog.model.set_checked([1], False)  # tool-02: not wanted
    dialog.model.set_checked([3], True)  # the fork: wanted after all
    fake_github.reset()
    with qtbot.waitSignal(dialog.submitted) as submitted:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    batch = job_dict(Job.get_by_id(submitted.args[0]))
    assert (batch["kind"], batch["repo"]) == ("batch", "dana")
    assert [(i["repo"], i["reason"]) for i in batch["items"]] == [
        ("dana/tool-01", None), ("dana/tool-03", None), ("dana/tool-04", None)]
    assert not dialog.isVisible() and fake_github.request_count == 0


def test_import_is_not_pressed_twice_while_the_batch_is_on_its_way(qtbot, checklist,
                                                                   fake_github):
    """A tick while the submit waited on the writer enabled Import again: a second click
    submitted the batch twice (the second refused as in flight, said on a closed dialog)."""
    import threading
    populate(fake_github, "dana", 3)
    writer = BackgroundRunner(max_threads=1)
    release = threading.Event()
    writer.run(lambda: release.wait(10))  # an earlier write holds the writer
    dialog = checklist(writer=writer)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.model.set_checked([0], False)  # the choice moves while the submit waits
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dialog.submit()  # the default button's Enter, say: still one submit
    with qtbot.waitSignal(dialog.submitted, timeout=10000):
        release.set()
    qtbot.waitUntil(lambda: not writer.busy, timeout=10000)
    assert Job.select().where(Job.kind == "batch").count() == 1
    assert dialog.refusal_label.isHidden()
    writer.wait()


def test_an_unknown_owner_is_said_in_the_dialog(checklist, fake_github):
    dialog = checklist("nobody-here")
    assert "GitHub knows no user or organization named nobody-here" in \
        dialog.status_label.text()
    assert dialog.model is None and not dialog.import_button.isEnabled()


def test_an_owner_address_in_the_import_dialog_leads_to_the_checklist(qtbot, window,
                                                                      fake_github):
    populate(fake_github, "dana", 2)
    window.open_import_dialog()
    dialog = window.import_dialog
    dialog.url_field.setText("https://github.com/dana")
    assert dialog.state.kind == OWNER and dialog.import_button.text() == "&Choose repositories…"
    assert isinstance(dialog, ImportDialog)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.owner_dialog is not None and
                    window.owner_dialog.model is not None, timeout=10000)
    assert window.owner_dialog.windowTitle() == "Import the repositories of @dana"
    assert [row[0] for row in _rows(window.owner_dialog)] == ["tool-01", "tool-02"]


def test_a_long_listing_leaves_the_window_s_reads_alone(qtbot, window, fake_github):
    """The listing (every page of an owner) ran on the window's two-thread runner, where
    the dock's and the status bar's reads waited behind it."""
    populate(fake_github, "dana", 2)
    hold = fake_github.hold(r"^/(users|orgs)/dana/repos$")
    window.open_owner_dialog("dana")
    hold.wait_until_held(1)
    window.status.refresh_counts()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    hold.release()
    qtbot.waitUntil(lambda: window.owner_dialog.model is not None, timeout=10000)
    assert [row[0] for row in _rows(window.owner_dialog)] == ["tool-01", "tool-02"]
