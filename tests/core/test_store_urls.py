"""REPOFOLIO_DATABASE_URL and REPOFOLIO_QUEUE_URL: parsed, checked, and never shown with a password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import errors, preferences
from core.errors import InvalidInput
from core.settings import Settings
from core.store_urls import (
    POSTGRESQL, REDIS, SQLITE, parse_database_url, parse_queue_url, redact_url, without_password,
)

HOME = Path("/data/home")


def test_the_defaults_are_the_files_in_the_data_folder():
    assert parse_database_url(None, HOME).path == HOME / "repofolio.db"
    assert parse_queue_url("", HOME).path == HOME / "queue.db"
    assert parse_queue_url("sqlite", HOME).path == HOME / "queue.db"
    assert not parse_database_url(None, HOME).shared


def test_an_sqlite_url_names_an_absolute_file():
    store = parse_database_url("sqlite:///srv/catalogs/team.db", HOME)
    assert (store.kind, store.path) == (SQLITE, Path("/srv/catalogs/team.db"))
    assert parse_database_url("sqlite:////srv/team.db", HOME).path == Path("/srv/team.db")
    assert parse_queue_url("sqlite:///srv/q.db", HOME).path == Path("/srv/q.db")
    assert store.display() == "sqlite:///srv/catalogs/team.db"


def test_a_postgresql_url_gives_host_port_user_database_and_options():
    store = parse_database_url(
        "postgresql://alice:s%3Acret%40x@db.example:6543/portfolio?sslmode=require", HOME)
    assert (store.kind, store.host, store.port, store.user, store.database) == (
        POSTGRESQL, "db.example", 6543, "alice", "portfolio")
    assert store.password == "s:cret@x" and store.options == (("sslmode", "require"),)
    assert store.shared
    assert store.display() == "postgresql://alice:***@db.example:6543/portfolio?sslmode=require"
    assert "s:cret" not in repr(store)
    assert parse_database_url("postgres://bob@db/x", HOME).display() == "postgresql://bob@db/x"


def test_a_redis_url_gives_host_port_and_database_number():
    store = parse_queue_url("redis://:hunter22@cache.example:6380/3", HOME)
    assert (store.kind, store.host, store.port, store.database, store.password) == (
        REDIS, "cache.example", 6380, "3", "hunter22")
    assert store.display() == "redis://:***@cache.example:6380/3"
    assert parse_queue_url("redis://cache", HOME).database == "0"
    assert parse_queue_url("rediss://cache:6380/1", HOME).tls


@pytest.mark.parametrize("env, parse, text, why", [
    ("REPOFOLIO_DATABASE_URL", parse_database_url, "mysql://u:pw-1234@h/db", ""),
    ("REPOFOLIO_DATABASE_URL", parse_database_url, "postgresql://u:pw-1234@h", "no database"),
    ("REPOFOLIO_DATABASE_URL", parse_database_url, "postgresql://u:pw-1234@h:99999/db", "port"),
    ("REPOFOLIO_DATABASE_URL", parse_database_url, "postgresql://u:pw-1234@/db", "no host"),
    ("REPOFOLIO_DATABASE_URL", parse_database_url, "sqlite://relative.db", "three slashes"),
    ("REPOFOLIO_DATABASE_URL", parse_database_url, "db.example:5432", ""),
    ("REPOFOLIO_QUEUE_URL", parse_queue_url, "redis://:pw-1234@h/zero", "database number"),
    ("REPOFOLIO_QUEUE_URL", parse_queue_url, "amqp://u:pw-1234@h/", ""),
])
def test_a_bad_url_is_invalid_input_that_names_the_variable_without_the_password(
        env, parse, text, why):
    with pytest.raises(InvalidInput) as caught:
        parse(text, HOME)
    error = caught.value
    assert error.code == errors.INVALID_INPUT and env in error.message and why in error.message
    assert "pw-1234" not in error.message + error.suggestion
    assert env in error.suggestion


def test_redaction_hides_a_password_even_in_a_url_that_does_not_parse():
    assert redact_url("postgresql://u:p/a@ss@h:1/db") == "postgresql://u:***@h:1/db"
    assert redact_url("u:secret@host") == "u:***@host"
    assert redact_url("postgresql://alice@h/db") == "postgresql://alice@h/db"
    assert without_password("redis://:pw@h:1/2") == "redis://@h:1/2"
    assert without_password("postgresql://a:pw@h/db") == "postgresql://a@h/db"


def test_settings_read_both_urls_and_refuse_a_bad_one_at_once(tmp_path):
    env = {"REPOFOLIO_HOME": str(tmp_path),
           "REPOFOLIO_DATABASE_URL": "postgresql://team:pg-pass-1@db/portfolio",
           "REPOFOLIO_QUEUE_URL": "redis://:redis-pass-2@cache:6379/0"}
    s = Settings.from_env(env)
    assert s.catalog_store.kind == POSTGRESQL and s.queue_store.kind == REDIS
    assert {"pg-pass-1", "redis-pass-2"} <= set(s.secrets)  # the log filter blanks them
    assert "pass" not in repr(s)
    with pytest.raises(InvalidInput) as caught:
        Settings.from_env({**env, "REPOFOLIO_QUEUE_URL": "redis://:redis-pass-2@cache/x"})
    assert "redis-pass-2" not in caught.value.message


def test_preferences_keep_a_store_url_without_its_password(tmp_path):
    preferences.save(tmp_path, {"database_url": "postgresql://team:pg-pass-1@db/portfolio",
                                "queue_url": "redis://:redis-pass-2@cache:6379/0"})
    text = (tmp_path / preferences.FILE_NAME).read_text()
    assert "pass-" not in text
    assert json.loads(text)["database_url"] == "postgresql://team@db/portfolio"
    # A file edited by hand with a password in it: the password is not used from there.
    (tmp_path / preferences.FILE_NAME).write_text(json.dumps(
        {"database_url": "postgresql://team:pg-pass-1@db/portfolio"}))
    s = Settings.from_env({"REPOFOLIO_HOME": str(tmp_path)})
    assert s.catalog_store.password is None and s.catalog_store.user == "team"


@pytest.mark.parametrize("option, where", [
    ("password=s3cret", "keyring"), ("user=mallory", "user name"), ("host=evil", "host"),
    ("hostaddr=10.0.0.9", "host"), ("port=6543", "port"), ("dbname=other", "database"),
])
def test_a_url_option_may_not_say_what_the_url_itself_says(option, where):
    """A password in ?password= would be shown by display(), saved with the URL in
    preferences.json and unknown to the log filter; ?user= and the rest would clash with
    the URL's own parts when connecting."""
    text = f"postgresql://alice@db/repofolio?sslmode=require&{option}"
    with pytest.raises(InvalidInput) as caught:
        parse_database_url(text, HOME)
    error = caught.value
    key, value = option.split("=")
    assert error.code == errors.INVALID_INPUT and "REPOFOLIO_DATABASE_URL" in error.message
    assert f"?{key}=" in error.message and where in error.message
    assert value not in error.message + error.suggestion
