"""Configuration from the environment and the preferences file; secrets kept out of both."""

from __future__ import annotations

import logging

import pytest

from core import preferences
from core.errors import InvalidInput
from core.redaction import Redactions
from core.settings import Settings


def test_defaults_follow_the_design(tmp_path):
    s = Settings.from_env({"REPOFOLIO_HOME": str(tmp_path)})
    assert (s.github_api, s.analyzer, s.ai_model, s.workers) == (
        "https://api.github.com", "auto", "gpt-4o-mini", 4)
    assert s.catalog_path == tmp_path / "repofolio.db" and s.queue_path == tmp_path / "queue.db"
    assert not s.use_openai
    assert s.with_(openai_api_key="k").use_openai


def test_enterprise_host_comes_from_the_api_url(tmp_path):
    s = Settings.from_env({"REPOFOLIO_HOME": str(tmp_path),
                           "REPOFOLIO_GITHUB_API": "https://ghe.example.com/api/v3/"})
    assert s.enterprise_host == "ghe.example.com" and s.github_api.endswith("/api/v3")
    assert Settings.from_env({"REPOFOLIO_HOME": str(tmp_path)}).enterprise_host is None


@pytest.mark.parametrize("name, value", [("REPOFOLIO_WORKERS", "0"), ("REPOFOLIO_WORKERS", "many"),
                                         ("REPOFOLIO_ANALYZER", "magic")])
def test_bad_values_are_refused_with_a_clear_error(tmp_path, name, value):
    with pytest.raises(InvalidInput) as caught:
        Settings.from_env({"REPOFOLIO_HOME": str(tmp_path), name: value})
    assert name in caught.value.message


def test_preferences_fill_in_and_the_environment_wins(tmp_path):
    preferences.save(tmp_path, {"ai_model": "llama3", "workers": 2, "secret": "never"})
    s = Settings.from_env({"REPOFOLIO_HOME": str(tmp_path)})
    assert s.ai_model == "llama3" and s.workers == 2
    s = Settings.from_env({"REPOFOLIO_HOME": str(tmp_path), "REPOFOLIO_WORKERS": "6"})
    assert s.workers == 6
    assert "never" not in (tmp_path / preferences.FILE_NAME).read_text()


def test_secrets_are_not_in_the_settings_repr(tmp_path):
    s = Settings.from_env({"REPOFOLIO_HOME": str(tmp_path), "GITHUB_TOKEN": "ghp_supersecret1",
                           "OPENAI_API_KEY": "sk-supersecret2"})
    assert "supersecret" not in repr(s)


def test_log_file_never_holds_a_secret(app_logging):
    path = app_logging(Redactions(["ghp_supersecret1"]))
    log = logging.getLogger("repofolio.test")
    log.warning("token is %s", "ghp_supersecret1")
    try:
        raise ValueError("bad ghp_supersecret1")
    except ValueError:
        log.exception("failed")
    text = path.read_text()
    assert "ghp_supersecret1" not in text and text.count("***") >= 2
    assert "Traceback" in text and "ValueError: bad ***" in text


def test_a_secret_first_used_after_logging_started_is_redacted_from_then_on(app_logging):
    redactions = Redactions(["ghp_supersecret1"])
    path = app_logging(redactions)
    log = logging.getLogger("repofolio.test")
    redactions.add("tok-read-later-1234")  # e.g. another profile's token, read by an import
    log.warning("request with %s", "tok-read-later-1234")
    assert "tok-read-later-1234" not in path.read_text() and "request with ***" in path.read_text()


def test_redactions_blank_out_the_longest_secret_whole_and_skip_tiny_ones():
    redactions = Redactions(["abcd", "abcdef123", "", None, "xyz"])
    assert redactions.redact("abcdef123 abcd xyz") == "*** *** xyz"
    assert "xyz" not in redactions and len(redactions) == 2


def test_a_url_password_typed_in_settings_never_reaches_the_data_folder(tmp_path):
    preferences.save(tmp_path, {"openai_base_url": "https://me:s3cret-pass@llm.example/v1",
                                "github_api": "https://me:s3cret-pass@ghe.example/api/v3"})
    assert "s3cret-pass" not in (tmp_path / preferences.FILE_NAME).read_text()
