"""No secret reaches any file of the data folder, end to end.

Two profiles' GitHub tokens are in the keyring and the AI key in the environment,
as a user sets them up. Real imports run through the command line's own entry point
— in this process, so that what the fake servers log lands in the app's log
handlers, as a careless library's logging would. Each secret reaches a log call
while it is in use (the fakes log every ``Authorization`` header they receive) and
comes back in an error body that the app turns into a message. Then every byte of
every file in the data folder (catalog, queue, HTTP cache, log) is searched.
"""

from __future__ import annotations

import json

import keyring
import pytest

from core.secrets import SERVICE, github_token_name
from tasks import cli
from tests.fakes.keyring_backend import MemoryKeyring

TOKENS = {"default": "ghp_DefaultProfileToken0123456789", "work": "ghp_WorkProfileToken9876543210"}
AI_KEY = "sk-EndToEndAiKey-0123456789abcdef"


@pytest.fixture
def keyring_with_tokens():
    backend = MemoryKeyring()
    for profile, token in TOKENS.items():
        backend.set_password(SERVICE, github_token_name(profile), token)
    keyring.set_keyring(backend)  # conftest puts the null keyring back afterwards
    return backend


@pytest.fixture
def repofolio(capsys, app_logging):
    """``repofolio ARGS`` run in this process: (exit code, stdout, stderr). The logging
    it sets up is removed after the test (app_logging)."""
    def run(*args: str) -> tuple[int, str, str]:
        code = cli.run(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_no_secret_reaches_any_file_of_the_data_folder(monkeypatch, tmp_path, fake_github,
                                                       fake_openai, keyring_with_tokens,
                                                       repofolio):
    home = tmp_path / "home"
    for name, value in {"REPOFOLIO_GITHUB_API": fake_github.url, "REPOFOLIO_ANALYZER": "openai",
                        "OPENAI_API_KEY": AI_KEY, "OPENAI_BASE_URL": fake_openai.url,
                        "REPOFOLIO_WORKERS": "1"}.items():
        monkeypatch.setenv(name, value)
    fake_github.tokens.update({TOKENS["default"]: "me", TOKENS["work"]: "me-at-work"})
    fake_github.log_credentials = fake_openai.log_credentials = True
    # Error paths: each secret comes back in an error body.
    for repo, profile in (("pallets/flask", "default"), ("psf/requests", "work")):
        fake_github.fail(rf"^/repos/{repo}$", 401,
                         body={"message": f"Bad credentials: {TOKENS[profile]}"})
    fake_openai.fail(401, body={"error": {"message": f"Incorrect API key provided: {AI_KEY}",
                                          "type": "invalid_request_error"}})

    runs = [repofolio("import", "pallets/flask", "--wait", "--json"),
            repofolio("import", "psf/requests", "--profile", "work", "--wait", "--json"),
            repofolio("import", "gorilla/mux", "--profile", "work", "--wait", "--json")]

    flask, requests, mux = (json.loads(out) for _, out, _ in runs)
    for failed, repo in ((flask, "pallets/flask"), (requests, "psf/requests")):
        assert failed["error"]["code"] == "AUTH_FAILED"
        assert failed["error"]["message"] == (f"GitHub refused the token (401 Bad credentials: "
                                              f"***) while fetching {repo}.")
    assert mux["status"] == "SUCCESS" and "refused the API key" in mux["message"]
    # Every secret was in use: each token was sent, and the AI key.
    sent = {r.headers.get("authorization") for r in fake_github.requests}
    assert sent == {f"Bearer {token}" for token in TOKENS.values()}
    assert fake_openai.requests[0]["headers"]["authorization"] == f"Bearer {AI_KEY}"
    # Each reached a log call while in use, and was blanked out there.
    log_text = (home / "logs" / "repofolio.log").read_text(encoding="utf-8")
    assert log_text.count("Authorization: Bearer ***") == fake_github.request_count + 1

    files = {path: path.read_bytes() for path in home.rglob("*") if path.is_file()}
    assert {"repofolio.db", "queue.db", "http.sqlite3", "repofolio.log"} <= {p.name for p in files}
    for secret in [*TOKENS.values(), AI_KEY]:
        leaks = [str(path.relative_to(home)) for path, data in files.items()
                 if secret.encode() in data]
        assert leaks == [], f"{secret[:8]}… is in {leaks}"
        assert not any(secret in out or secret in err for _, out, err in runs)
