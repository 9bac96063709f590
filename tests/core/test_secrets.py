"""Secrets without a keyring: the plain-text file only after a yes, the token page, `gh`.

The keyring is the null backend here (tests/conftest.py), as on a headless machine.
The GitHub CLI is a small script of ours put first on PATH: real processes, real
timeouts, no mocks.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from core.secrets import (
    SECRETS_FILE, SecretStore, gh_cli_installed, gh_cli_token, github_token_name, token_page_url,
)

TOKEN = "ghp_FileKept0123456789abcdef"
NAME = github_token_name("default")


def test_without_a_keyring_a_secret_is_kept_for_the_session_and_no_file_is_written(tmp_path):
    store = SecretStore(tmp_path)
    assert store.set(NAME, TOKEN) is False  # not persistent
    assert store.get(NAME) == TOKEN
    assert list(tmp_path.iterdir()) == [] and not store.in_file
    assert SecretStore(tmp_path).get(NAME) is None  # a restart forgets it


def test_after_a_yes_the_secret_is_kept_in_a_labelled_file_only_the_user_can_read(tmp_path):
    store = SecretStore(tmp_path)
    path = store.keep_in_file(NAME, TOKEN)
    assert path == tmp_path / SECRETS_FILE and store.in_file
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data[NAME] == TOKEN and "unencrypted" in data["_about"]
    assert [p.name for p in tmp_path.iterdir()] == [SECRETS_FILE]  # no temporary file left
    again = SecretStore(tmp_path)  # the next start reads it
    assert again.get(NAME) == TOKEN
    assert again.set(NAME, "ghp_replaced") is True and SecretStore(tmp_path).get(NAME) == \
        "ghp_replaced"
    again.set(NAME, None)  # forgetting removes it from the file
    assert SecretStore(tmp_path).get(NAME) is None


def test_the_token_page_has_the_scopes_and_a_description():
    url = urlsplit(token_page_url())
    assert (url.scheme, url.netloc, url.path) == ("https", "github.com", "/settings/tokens/new")
    assert parse_qs(url.query) == {"scopes": ["repo"], "description": ["Repofolio"]}
    assert token_page_url("https://ghe.example/api/v3").startswith(
        "https://ghe.example/settings/tokens/new?")


@pytest.fixture
def fake_gh(tmp_path, monkeypatch):
    """Put a `gh` of ours first on PATH; ``make(body)`` writes what it does."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    def make(body: str) -> None:
        script = folder / "gh"
        script.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n")
        script.chmod(0o755)
    return make


@pytest.mark.skipif(os.name != "posix", reason="a script as `gh` needs a shebang")
def test_the_github_cli_login_is_borrowed_when_gh_is_logged_in(fake_gh, tmp_path):
    fake_gh("assert sys.argv[1:3] == ['auth', 'token'], sys.argv\nprint('gho_FromTheCli123')")
    assert gh_cli_installed() and gh_cli_token() == "gho_FromTheCli123"
    fake_gh("print('gho_Ghe')\nsys.exit(0 if sys.argv[3:] == ['--hostname', 'ghe.example'] "
            "else 1)")
    assert gh_cli_token("https://ghe.example/api/v3") == "gho_Ghe"  # asked for that host


@pytest.mark.skipif(os.name != "posix", reason="a script as `gh` needs a shebang")
@pytest.mark.parametrize("body", [
    "print('You are not logged into any GitHub hosts.', file=sys.stderr); sys.exit(1)",
    "print('')",
    "time.sleep(30)",  # hangs: the timeout ends it
])
def test_no_token_when_gh_is_not_logged_in_or_does_not_answer(fake_gh, body, caplog):
    fake_gh(body)
    assert gh_cli_token(timeout=1.0) is None
    assert "gho_" not in caplog.text


def test_no_gh_installed_means_no_offer():
    assert gh_cli_installed(which=lambda name: None) is False
    assert gh_cli_token(which=lambda name: None) is None
