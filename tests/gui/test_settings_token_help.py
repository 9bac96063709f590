"""Settings: how a newcomer gets a token (GitHub's page, the GitHub CLI's login), the
plain-text file offered where no keyring exists, and how many imports run at once."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from core.secrets import SECRETS_FILE, SecretStore, github_token_name
from gui.settings_dialog import FILE_OFFER

TOKEN = "ghp_NewcomerToken0123456789abcd"


def test_the_token_page_opens_with_scopes_and_a_description(open_dialog, runtime,
                                                           opened_urls):
    dialog = open_dialog(SecretStore())
    dialog.token_help.open_token_page()
    assert opened_urls == [
        "https://github.com/settings/tokens/new?scopes=repo&description=Repofolio"]
    assert "from 60 to 5,000 requests an hour" in dialog.token_help.text()


@pytest.mark.skipif(os.name != "posix", reason="a script as `gh` needs a shebang")
def test_the_github_cli_login_fills_the_token_in(qtbot, open_dialog, runtime, tmp_path,
                                                 monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    gh = folder / "gh"
    gh.write_text(f"#!{sys.executable}\nprint('gho_FromTheCli0123')\n")
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    dialog = open_dialog(SecretStore())
    assert dialog.token_help.gh_button.isVisible()
    dialog.token_help.gh_button.click()
    qtbot.waitUntil(lambda: dialog.token.edit.text() == "gho_FromTheCli0123", timeout=10000)
    assert "press Save to keep it" in dialog.token_help.text()


def test_without_gh_there_is_no_cli_button(open_dialog, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no gh anywhere
    assert not open_dialog(SecretStore()).token_help.gh_button.isVisible()


def test_without_a_keyring_the_file_is_offered_and_used_only_after_a_yes(
        open_dialog, runtime, no_keyring, answer):
    home = runtime.settings.home
    dialog = open_dialog(SecretStore(home))
    assert dialog.keep_in_file is not None and dialog.keep_in_file.text() == FILE_OFFER
    dialog.token.edit.setText(TOKEN)
    dialog.keep_in_file.setChecked(True)
    asked = answer(QMessageBox.StandardButton.No)
    dialog.accept()
    assert "unencrypted" in asked[0] and str(home / SECRETS_FILE) in asked[0]
    assert not (home / SECRETS_FILE).exists()  # no: this session only
    assert runtime.settings.github_token == TOKEN

    dialog = open_dialog(SecretStore(home))
    dialog.token.edit.setText(TOKEN)
    dialog.keep_in_file.setChecked(True)
    answer(QMessageBox.StandardButton.Yes)
    dialog.accept()
    path = home / SECRETS_FILE
    assert json.loads(path.read_text())[github_token_name("default")] == TOKEN
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SecretStore(home).get(github_token_name("default")) == TOKEN  # after a restart
    # Nowhere else: the catalog, queue, cache and logs hold no copy.
    leaks = [p.name for p in home.rglob("*") if p.is_file() and p != path
             and TOKEN.encode() in p.read_bytes()]
    assert leaks == []
    again = open_dialog(SecretStore(home))
    assert again.keep_in_file is None  # says where it is kept instead


def test_an_unticked_offer_writes_no_file(open_dialog, runtime, no_keyring):
    dialog = open_dialog(SecretStore(runtime.settings.home))
    dialog.token.edit.setText(TOKEN)
    dialog.accept()
    assert not (runtime.settings.home / SECRETS_FILE).exists()


def test_with_a_keyring_there_is_no_file_offer(open_dialog):
    dialog = open_dialog(SecretStore())
    assert dialog.keep_in_file is None
