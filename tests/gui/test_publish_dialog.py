"""File → Publish…: what will appear and why not, a publish off the GUI thread with progress,
Open in browser, remembered choices, the git remote, and failures that say what to do."""

from __future__ import annotations

import json
import subprocess

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from core.models import Profile
from gui.publish_dialog import PublishDialog


@pytest.fixture
def dialog(qtbot, runtime, window_state):
    made = []

    def make() -> PublishDialog:
        shown = PublishDialog(state=window_state)
        qtbot.addWidget(shown)
        made.append(shown)
        return shown

    yield make
    for shown in made:
        shown.runner.wait()


def publish_and_wait(qtbot, shown: PublishDialog) -> None:
    shown.publish_button.click()
    assert shown.running and not shown.publish_button.isEnabled()
    qtbot.waitUntil(lambda: not shown.running, timeout=20_000)


def test_it_says_what_will_appear_and_why_the_rest_will_not(qtbot, dialog, make_project):
    make_project("alice/a")
    make_project("alice/b", is_private=True)
    make_project("alice/c", is_showcase=False)
    shown = dialog()
    qtbot.waitUntil(lambda: "will appear" in shown.summary.text(), timeout=5000)
    assert shown.summary.text() == ("1 project will appear. Left out: 1 not in the showcase, "
                                     "1 private.")
    assert shown.title.placeholderText() == "alice"  # the default title
    shown.include_private.setChecked(True)
    qtbot.waitUntil(lambda: shown.summary.text().startswith("2 projects"), timeout=5000)


def test_publishing_shows_progress_then_opens_in_the_browser(qtbot, dialog, make_project,
                                                             tmp_path, opened_urls,
                                                             window_state):
    make_project("alice/tool", title="Tool")
    shown = dialog()
    out = tmp_path / "site"
    shown.folder.setText(str(out))
    shown.title.setText("Alice <Example>")
    shown.intro.setText("Tools I made.")
    stages = []
    shown.progressed.connect(lambda stage, _text: stages.append(stage))
    assert not shown.open_button.isEnabled()
    publish_and_wait(qtbot, shown)
    assert stages == ["reading", "rendering", "writing"]
    assert shown.progress.value() == 100
    assert f"Published 1 project to {out}." in shown.status.text()
    assert (out / "index.html").exists() and (out / "portfolio.json").exists()
    assert json.loads((out / "portfolio.json").read_text())["title"] == "Alice <Example>"
    assert shown.open_button.isEnabled()
    shown.open_button.click()
    assert opened_urls == [(out / "index.html").as_uri()]
    # Remembered: the folder and formats in the window state, the texts in the profile.
    assert window_state.value("publish/out") == str(out)
    profile = Profile.get(Profile.name == "default")
    assert (profile.publish_title, profile.publish_intro) == ("Alice <Example>", "Tools I made.")
    again = dialog()
    qtbot.waitUntil(lambda: again.title.text() == "Alice <Example>", timeout=5000)
    assert again.folder.text() == str(out) and again.intro.text() == "Tools I made."


def test_only_the_chosen_formats_are_written(qtbot, dialog, make_project, tmp_path):
    make_project("alice/tool")
    shown = dialog()
    shown.folder.setText(str(tmp_path / "site"))
    shown.formats["site"].setChecked(False)
    shown.formats["json"].setChecked(False)
    publish_and_wait(qtbot, shown)
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["PORTFOLIO.md"]
    assert shown.result.files == ["PORTFOLIO.md"]


def test_a_folder_that_cannot_be_written_says_what_to_do(qtbot, dialog, make_project,
                                                          tmp_path):
    make_project("alice/tool")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    shown = dialog()
    shown.folder.setText(str(blocker / "site"))
    publish_and_wait(qtbot, shown)
    text = shown.status.text()
    assert text.startswith("Could not publish: Cannot write the portfolio to")
    assert "Choose a folder you can write to" in text
    assert shown.publish_button.isEnabled() and shown.folder.isEnabled()
    assert not shown.open_button.isEnabled() and shown.progress.isHidden()


def test_a_git_remote_gets_the_site_and_is_remembered_without_a_token(
        qtbot, dialog, make_project, tmp_path, window_state):
    make_project("alice/tool")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    shown = dialog()
    shown.folder.setText(str(tmp_path / "site"))
    shown.push.setChecked(True)
    shown.remote.setText(str(remote))
    publish_and_wait(qtbot, shown)
    assert shown.result.commit and "Pushed commit" in shown.status.text()
    publish_and_wait(qtbot, shown)
    assert shown.result.commit is None and "nothing to push" in shown.status.text()

    shown.remote.setText("https://alice:ghp_s3cret@127.0.0.1:9/alice/site.git")
    shown.folder.setText(str(tmp_path / "other"))
    publish_and_wait(qtbot, shown)
    assert "Could not publish: git ls-remote failed" in shown.status.text()
    assert "ghp_s3cret" not in shown.status.text()
    assert window_state.value("publish/remote") == "https://127.0.0.1:9/alice/site.git"


def test_close_waits_while_publishing(qtbot, dialog, make_project, tmp_path):
    make_project("alice/tool")
    shown = dialog()
    shown.show()
    shown.folder.setText(str(tmp_path / "site"))
    shown.publish_button.click()
    assert not shown.buttons.button(QDialogButtonBox.StandardButton.Close).isEnabled()
    shown.reject()  # Esc
    assert shown.isVisible()
    qtbot.waitUntil(lambda: not shown.running, timeout=20_000)
    shown.reject()
    assert not shown.isVisible()


def test_the_window_opens_one_publish_dialog(qtbot, window):
    window.publish_action.trigger()
    first = window.publish_dialog
    assert isinstance(first, PublishDialog) and first.isVisible()
    window.publish_action.trigger()
    assert window.publish_dialog is first
    qtbot.waitUntil(lambda: "will appear" in first.summary.text(), timeout=5000)
    first.reject()
