"""SettingsDialog with a real runtime, a real SecretStore over an in-memory keyring
(or none at all), and the Test button against the fake GitHub server.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from core import preferences
from core.errors import AuthFailed
from core.secrets import OPENAI_KEY, SERVICE, SecretStore, github_token_name
from gui.settings_fields import SET_MARK

TOKEN = "ghp_S3cretDialogToken0123456789abcdef"
AI_KEY = "sk-S3cretDialogKey0123456789"
NO_STORE_TEXT = ("No secure store on this system: the token is kept for this session only; "
                 "set GITHUB_TOKEN to keep it")


def _texts(dialog) -> list[str]:
    """Every piece of text the dialog shows or announces."""
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    for edit in dialog.findChildren(QLineEdit):
        texts += [edit.placeholderText(), edit.accessibleName()]
        if edit.echoMode() == QLineEdit.EchoMode.Normal:
            texts.append(edit.text())
    return texts


def _all_text_shown(dialog) -> bool:
    """Every wrapped label as tall as its text needs, and inside the dialog (the sections'
    labels inside the sections, which scroll on a short screen)."""
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            if label.height() < label.heightForWidth(label.width()):
                return False
            inside = dialog.sections if dialog.sections.isAncestorOf(label) else dialog
            bottom = label.mapTo(inside, label.rect().bottomLeft()).y()
            if bottom > inside.height():
                return False
    return True


def _file_bytes(home) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in home.rglob("*") if path.is_file()}


def test_round_trip_through_the_keyring(qtbot, runtime, memory_keyring, open_dialog):
    secrets = SecretStore()
    assert secrets.persistent
    dialog = open_dialog(secrets)
    assert dialog.windowTitle() == "Settings"
    assert not any("No secure store" in text for text in _texts(dialog))
    assert dialog.token.edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.token.edit.setText(TOKEN)
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    dialog.ai_base_url.setText("http://127.0.0.1:9/v1")
    dialog.ai_model.setText("llama3.1")
    dialog.ai_key.edit.setText(AI_KEY)
    dialog.workers.setValue(6)
    dialog.concurrency.setValue(3)
    dialog.accept()
    assert not dialog.isVisible()

    assert memory_keyring.passwords == {(SERVICE, github_token_name("default")): TOKEN,
                                        (SERVICE, OPENAI_KEY): AI_KEY}
    assert SecretStore().get(github_token_name("default")) == TOKEN
    saved = (runtime.settings.home / preferences.FILE_NAME).read_bytes()
    assert TOKEN.encode() not in saved and AI_KEY.encode() not in saved
    assert json.loads(saved) == {"github_api": runtime.settings.github_api, "analyzer": "openai",
                                 "openai_base_url": "http://127.0.0.1:9/v1",
                                 "ai_model": "llama3.1", "workers": 6,
                                 "profile_concurrency": 3}
    now = runtime.settings  # the runtime took the new settings, secrets included
    assert (now.github_token, now.openai_api_key, now.analyzer, now.ai_model, now.workers,
            now.profile_concurrency) == (TOKEN, AI_KEY, "openai", "llama3.1", 6, 3)

    again = open_dialog(SecretStore())
    assert again.token.edit.text() == "" and again.token.edit.placeholderText() == SET_MARK
    assert again.ai_key.edit.placeholderText() == SET_MARK
    assert again.provider.currentData() == "openai" and again.workers.value() == 6
    assert not any(TOKEN in text or AI_KEY in text for text in _texts(again))
    again.accept()  # saving untouched secret fields keeps the stored secrets
    assert SecretStore().get(github_token_name("default")) == TOKEN


def test_token_is_per_profile_and_can_be_forgotten(qtbot, memory_keyring, open_dialog):
    secrets = SecretStore()
    secrets.set(github_token_name("work"), TOKEN)
    assert open_dialog(secrets).token.edit.placeholderText() != SET_MARK  # "default" has none
    dialog = open_dialog(secrets, profile="work")
    assert dialog.token.edit.placeholderText() == SET_MARK
    qtbot.mouseClick(dialog.token.forget_button, Qt.MouseButton.LeftButton)
    dialog.accept()
    assert secrets.get(github_token_name("work")) is None
    assert memory_keyring.passwords == {}


def test_without_a_keyring_the_token_is_kept_for_this_session_only(
        runtime, no_keyring, open_dialog):
    secrets = SecretStore()
    assert not secrets.persistent
    dialog = open_dialog(secrets)
    assert NO_STORE_TEXT in _texts(dialog)  # said before anything is saved
    dialog.token.edit.setText(TOKEN)
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    dialog.ai_key.edit.setText(AI_KEY)
    dialog.accept()
    assert not dialog.isVisible()

    assert secrets.get(github_token_name("default")) == TOKEN
    assert secrets.get(OPENAI_KEY) == AI_KEY
    assert (runtime.settings.github_token, runtime.settings.openai_api_key) == (TOKEN, AI_KEY)
    assert SecretStore().get(github_token_name("default")) is None  # gone with the session
    files = _file_bytes(runtime.settings.home)
    assert str(runtime.settings.home / preferences.FILE_NAME) in files
    for path, data in files.items():
        assert TOKEN.encode() not in data, path
        assert AI_KEY.encode() not in data, path


def test_every_line_is_shown_when_the_dialog_opens(qtbot, no_keyring, open_dialog):
    """With the most to say (no keyring: a notice under each secret; the token's help),
    no wrapped line is cut or drawn under another: the dialog is as tall as its text."""
    dialog = open_dialog(SecretStore())
    qtbot.waitUntil(lambda: _all_text_shown(dialog), timeout=2000)
    widgets = [w for kind in (QLabel, QPushButton) for w in dialog.token_help.findChildren(kind)
               if w.isVisible()]
    tops = sorted(((w.mapTo(dialog, w.rect().topLeft()).y(),
                    w.mapTo(dialog, w.rect().bottomLeft()).y(), w) for w in widgets),
                  key=lambda row: row[:2])
    for (_, bottom, above), (top, _, below) in zip(tops, tops[1:]):
        assert bottom <= top, f"{above.text()!r} overlaps {below.text()!r}"
    # On this screen (offscreen Qt's is 800 x 600) the sections scroll; Save stays in view.
    assert dialog.frameGeometry().height() <= dialog.screen().availableGeometry().height()
    assert dialog.sections_area.verticalScrollBar().maximum() > 0
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert save.mapTo(dialog, save.rect().bottomLeft()).y() <= dialog.height()


def test_fields_set_by_the_environment_are_read_only(
        monkeypatch, runtime, fake_github, memory_keyring, open_dialog):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("REPOFOLIO_WORKERS", "8")
    monkeypatch.setenv("REPOFOLIO_GITHUB_API", fake_github.url)
    dialog = open_dialog(SecretStore())
    texts = _texts(dialog)
    for name in ("GITHUB_TOKEN", "REPOFOLIO_WORKERS", "REPOFOLIO_GITHUB_API"):
        assert f"set by {name}" in texts
    assert dialog.token.edit.isReadOnly() and dialog.token.edit.text() == ""
    assert TOKEN not in " ".join(texts)
    assert dialog.github_api.isReadOnly() and dialog.github_api.text() == fake_github.url
    assert not dialog.workers.isEnabled() and dialog.workers.value() == 8
    assert dialog.ai_model.isReadOnly() is False
    # Item 6: overridden fields are greyed out, not merely read-only (they looked editable).
    assert not dialog.token.edit.isEnabled() and not dialog.github_api.isEnabled()
    dialog.accept()
    assert memory_keyring.passwords == {}
    saved = preferences.load(runtime.settings.home)
    assert "workers" not in saved and "github_api" not in saved
    assert (runtime.settings.github_token, runtime.settings.workers) == (TOKEN, 8)


def test_provider_choice_enables_the_server_fields(open_dialog, no_keyring):
    dialog = open_dialog(SecretStore())
    assert dialog.provider.currentData() == "heuristic"  # the test settings' analyzer
    assert not dialog.ai_base_url.isEnabled() and not dialog.ai_key.isEnabled()
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    assert dialog.ai_base_url.isEnabled() and dialog.ai_model.isEnabled()
    assert dialog.ai_key.isEnabled()
    assert "takes effect after restart" in _texts(dialog)


def test_an_invalid_url_keeps_the_dialog_open_and_saves_nothing(runtime, no_keyring,
                                                               open_dialog):
    dialog = open_dialog(SecretStore())
    dialog.github_api.setText("ftp://example.com")
    dialog.token.edit.setText(TOKEN)
    dialog.accept()
    assert dialog.isVisible()
    assert "must start with https://" in dialog.error_label.text()
    assert not (runtime.settings.home / preferences.FILE_NAME).exists()
    assert dialog.secrets.get(github_token_name("default")) is None


@pytest.mark.parametrize("field, instead", [("github_api", "GitHub token"),
                                             ("ai_base_url", "API key")])
def test_a_password_in_a_server_url_is_refused_and_never_saved(runtime, no_keyring,
                                                               open_dialog, field, instead):
    dialog = open_dialog(SecretStore())
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    getattr(dialog, field).setText("https://me:s3cret-pass@server.example/v1")
    dialog.accept()
    assert dialog.isVisible()
    assert "holds a password" in dialog.error_label.text()
    assert instead in dialog.error_label.text()
    assert not (runtime.settings.home / preferences.FILE_NAME).exists()


def test_test_button_signs_in_off_the_gui_thread(qtbot, fake_github, no_keyring, open_dialog):
    fake_github.tokens[TOKEN] = "portfolio-dev"
    fake_github.rate_limit, fake_github.rate_remaining = 5000, 4988
    sign_in = fake_github.hold(r"^/user$")
    dialog = open_dialog(SecretStore())
    assert dialog.github_api.text() == fake_github.url
    dialog.token.edit.setText(TOKEN)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    sign_in.wait_until_held()
    # The click returned while the request is still out: the GUI thread is free.
    assert dialog.test_result.text() == "Testing…" and not dialog.test_button.isEnabled()
    sign_in.release()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    reset = datetime.fromtimestamp(fake_github.rate_reset).strftime("%H:%M")
    assert dialog.test_result.text() == (
        f"Signed in as portfolio-dev — 4,987 of 5,000 requests left, resets at {reset}")
    assert fake_github.count("/user") == 1


def test_a_token_typed_only_to_test_it_is_redacted_from_the_log(qtbot, fake_github, no_keyring,
                                                                 open_dialog, app_logging):
    secrets = SecretStore()
    log_file = app_logging(secrets.redactions)
    fake_github.tokens[TOKEN] = "portfolio-dev"
    fake_github.log_credentials = True  # the request's header reaches a log call
    dialog = open_dialog(secrets)
    dialog.token.edit.setText(TOKEN)  # typed, never saved
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    assert dialog.test_result.text().startswith("Signed in as portfolio-dev")
    text = log_file.read_text(encoding="utf-8")
    assert "Authorization: Bearer ***" in text and TOKEN not in text


def test_test_button_uses_the_stored_token(qtbot, fake_github, memory_keyring, open_dialog):
    fake_github.tokens[TOKEN] = "stored-login"
    secrets = SecretStore()
    secrets.set(github_token_name("default"), TOKEN)
    dialog = open_dialog(secrets)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Signed in as stored-login" in dialog.test_result.text(),
                    timeout=5000)
    assert TOKEN not in " ".join(_texts(dialog))


def test_test_button_shows_a_refused_token(qtbot, fake_github, no_keyring, open_dialog):
    fake_github.tokens[TOKEN] = "portfolio-dev"
    dialog = open_dialog(SecretStore())
    dialog.token.edit.setText("ghp_NotTheRightToken000000000000000000")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    text = dialog.test_result.text()
    assert "refused the token" in text and "Bad credentials" in text
    # Item 6: inside Settings it points here, not "to Settings"; and it is not cut off.
    assert "replace it above, or in GITHUB_TOKEN" in text and "in Settings" not in text
    assert AuthFailed.suggestion.startswith("The GitHub token was refused")
    assert "ghp_NotTheRightToken" not in text
    qtbot.waitUntil(lambda: _all_text_shown(dialog), timeout=2000)
    # Beside the Test button it had a third of the width and was cut under Xvfb ("…replace
    # it in Settings or"); it has the row below, the whole width, to itself.
    result, button = dialog.test_result, dialog.test_button
    assert result.x() <= button.x() + 2 and result.y() > button.y()


def test_test_button_without_a_token_shows_the_anonymous_quota(qtbot, fake_github, no_keyring,
                                                                open_dialog):
    dialog = open_dialog(SecretStore())
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    assert dialog.test_result.text().startswith("No token (anonymous) — 60 of 60 requests left")
    assert fake_github.count("/user") == 0


def test_a_locked_keyring_is_said_and_the_token_kept_for_the_session(
        qtbot, runtime, locked_keyring, open_dialog):
    secrets = SecretStore()
    assert secrets.persistent  # a keyring is there: the dialog promised to keep the token
    dialog = open_dialog(secrets)
    applied = []
    dialog.applied.connect(lambda: applied.append(True))
    dialog.token.edit.setText(TOKEN)
    dialog.accept()
    assert dialog.isVisible()  # not closed as if all were saved
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith(
        "Could not save to the keyring; kept for this session only.")
    assert "GITHUB_TOKEN" in dialog.error_label.text()
    assert applied == [True] and runtime.settings.github_token == TOKEN  # in force now
    assert secrets.get(github_token_name("default")) == TOKEN
    assert locked_keyring.passwords == {}
    assert dialog.buttons.button(dialog.buttons.StandardButton.Cancel).text() == "Close"


def test_environment_urls_are_shown_without_their_password(monkeypatch, no_keyring,
                                                           open_dialog):
    monkeypatch.setenv("OPENAI_BASE_URL", "https://me:pa55word@llm.example:8443/v1")
    dialog = open_dialog(SecretStore())
    assert dialog.ai_base_url.isReadOnly()
    assert dialog.ai_base_url.text() == "https://••••@llm.example:8443/v1"
    assert not any("pa55word" in text for text in _texts(dialog))


def test_the_environment_s_own_key_is_not_asked_for_again(monkeypatch, no_keyring,
                                                          open_dialog):
    """Item 6: "set OPENAI_API_KEY to keep it" showed while OPENAI_API_KEY was set, and a
    provider change made the overridden server fields editable again."""
    monkeypatch.setenv("OPENAI_API_KEY", AI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", "https://llm.example/v1")
    dialog = open_dialog(SecretStore())
    texts = " ".join(_texts(dialog))
    assert "set OPENAI_API_KEY to keep it" not in texts
    assert "set GITHUB_TOKEN to keep it" in texts  # that one is not set
    dialog.provider.setCurrentIndex(dialog.provider.findData("openai"))
    assert dialog.ai_model.isEnabled()  # not overridden: editable
    assert not dialog.ai_base_url.isEnabled() and not dialog.ai_key.isEnabled()
    assert AI_KEY not in texts
