"""The Settings dialog's catalog and queue: what the window is connected to, the URLs for
the next start saved without their passwords, and the passwords kept in the keyring."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from core import preferences
from core.secrets import DATABASE_PASSWORD, QUEUE_PASSWORD, SERVICE, SecretStore
from gui.settings_dialog import SettingsDialog
from gui.settings_fields import SET_MARK

PG_URL = "postgresql://alice:Pg-Pass-4242@db.example:5432/portfolio"
REDIS_URL = "redis://:Redis-Pass-2424@cache.example:6379/2"


@pytest.fixture
def dialog(open_dialog, memory_keyring):
    return open_dialog(SecretStore())


def shown_texts(dialog) -> str:
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    for edit in dialog.findChildren(QLineEdit):
        texts += [edit.placeholderText(), edit.text() if edit.echoMode() == QLineEdit.EchoMode.Normal
                  else ""]
    return "\n".join(texts)


def connected_to(dialog) -> str:
    [label] = [w for w in dialog.findChildren(QLabel) if w.accessibleName() == "Connected to"]
    return label.text()


def test_the_desktop_window_says_it_uses_this_computer(dialog, runtime):
    text = connected_to(dialog)
    assert f"Catalog: this computer ({runtime.settings.catalog_path})" in text
    assert f"Queue: this computer ({runtime.settings.queue_path})" in text


def test_team_urls_are_saved_without_passwords_which_go_to_the_keyring(
        dialog, runtime, memory_keyring):
    dialog.store_urls["database_url"].setText(PG_URL)
    dialog.store_urls["queue_url"].setText("redis://cache.example:6379/2")
    dialog.store_passwords["queue_url"].edit.setText("Redis-Pass-2424")
    dialog.accept()
    assert not dialog.isVisible(), dialog.error_label.text()

    saved = (runtime.settings.home / preferences.FILE_NAME).read_text()
    assert "Pass-" not in saved
    assert json.loads(saved)["database_url"] == "postgresql://alice@db.example:5432/portfolio"
    assert json.loads(saved)["queue_url"] == "redis://cache.example:6379/2"
    assert memory_keyring.passwords == {(SERVICE, DATABASE_PASSWORD): "Pg-Pass-4242",
                                        (SERVICE, QUEUE_PASSWORD): "Redis-Pass-2424"}
    # The window keeps its connection until it starts again, and says where it will go.
    assert "this computer" in connected_to(dialog)
    assert runtime.settings.catalog_store.display() == "postgresql://alice@db.example:5432/portfolio"


def test_a_stored_password_is_shown_as_set_and_never_as_text(qtbot, runtime, memory_keyring):
    secrets = SecretStore()
    secrets.set(DATABASE_PASSWORD, "Pg-Pass-4242")
    preferences.save(runtime.settings.home, {"database_url": "postgresql://alice@db/portfolio"})
    dialog = SettingsDialog(runtime, secrets)
    qtbot.addWidget(dialog)
    assert dialog.store_urls["database_url"].text() == "postgresql://alice@db/portfolio"
    assert dialog.store_passwords["database_url"].edit.placeholderText() == SET_MARK
    assert "Pg-Pass-4242" not in shown_texts(dialog)


def test_urls_from_the_environment_are_read_only_and_masked(monkeypatch, qtbot, runtime,
                                                            memory_keyring):
    monkeypatch.setenv("REPOFOLIO_DATABASE_URL", PG_URL)
    monkeypatch.setenv("REPOFOLIO_QUEUE_URL", "redis://cache.example:6379/2")
    dialog = SettingsDialog(runtime, SecretStore())
    qtbot.addWidget(dialog)
    assert dialog.store_urls["database_url"].isReadOnly()
    assert dialog.store_passwords["database_url"].edit.isReadOnly()  # the URL has one
    assert not dialog.store_passwords["queue_url"].edit.isReadOnly()  # the keyring may give it
    assert "set by REPOFOLIO_DATABASE_URL" in shown_texts(dialog)
    assert "Pg-Pass-4242" not in shown_texts(dialog)
    dialog.accept()
    assert "database_url" not in preferences.load(runtime.settings.home)


def test_a_bad_url_keeps_the_dialog_open_and_saves_nothing(dialog, runtime, memory_keyring):
    dialog.store_urls["database_url"].setText("mysql://alice:Pg-Pass-4242@db/portfolio")
    dialog.accept()
    assert dialog.isVisible()
    assert "REPOFOLIO_DATABASE_URL must be" in dialog.error_label.text()
    assert "Pg-Pass-4242" not in dialog.error_label.text()
    assert not (runtime.settings.home / preferences.FILE_NAME).exists()
    assert memory_keyring.passwords == {}


@pytest.mark.team_only
def test_a_team_window_says_which_servers_it_uses(dialog, stores):
    text = connected_to(dialog)
    assert "Catalog: PostgreSQL at postgresql://repofolio:***@127.0.0.1:" in text
    assert "Queue: Redis at redis://:***@127.0.0.1:" in text
    assert "Secret" not in text  # tests.services' passwords
