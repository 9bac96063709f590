"""What holds for every command: one JSON object, no traceback, no secret anywhere, only
DESIGN §4's endpoints, rate limits honoured before they bite, the AI path (§4–§6)."""

from __future__ import annotations

import time

import pytest

from tests.acceptance.conftest import assert_job, assert_project, endpoint_allowed
from tests.acceptance.fake_api import VALID_TOKEN
from tests.fakes.openai_server import FakeOpenAI

AI_KEY = "sk-acceptance-KEY-4f9d2a7c19e08b35"
BAD_TOKEN = "ghp_RecognisablyWrongToken_8Hq2Lx"
MODEL = "acme-chat-1"


@pytest.mark.parametrize("args", [
    ("import", "--json"), ("bogus-command", "--json"), ("show", "--json"),
    ("status", "--json"),
    ("import-all", "pallets", "--min-stars", "many", "--json"),
    ("import-all", "pallets", "--limit", "-1", "--json"),
    ("import-all", "pallets", "--min-stars", "-5", "--json"),
    ("publish", "--json"), ("publish", "--out", "x", "--format", "pdf", "--json"),
    ("publish", "--out", "x", "--branch", "main", "--json"),
    ("refresh", "--json"), ("refresh", "1", "--all", "--json"),
    ("worker", "--workers", "0", "--json"), ("worker", "--workers", "lots", "--json"),
    ("jobs", "--bogus", "--json"), ("--json", "list"),
    ("import", "pallets/flask", "--json", "--profile", ""),
])
def test_usage_errors_print_one_json_error(cli, api, args):
    run = cli(*args)  # conftest checks: one JSON object, no traceback
    assert run.rc == 2, run
    assert set(run.json) == {"error"}
    assert run.json["error"]["code"] in ("INVALID_INPUT", "INVALID_URL")
    assert api.requests == []


@pytest.mark.parametrize("args", [("cancel", "77", "--json"), ("retry", "77", "--json"),
                                  ("refresh", "77", "--json"), ("delete", "77", "--json"),
                                  ("show", "77", "--json"), ("status", "77", "--json")])
def test_unknown_ids_are_not_found(cli, args):
    run = cli(*args)
    assert run.rc == 1, run
    assert run.json["error"]["code"] == "NOT_FOUND"


def test_text_mode_never_prints_a_traceback(cli, api):
    # conftest checks every run's stderr; the exit codes are those of §5 in text mode too.
    for args, rc in ((("import", "pallets/flask", "--wait"), 0),
                     (("import", "nope/nope", "--wait"), 5), (("list",), 0),
                     (("show", "pallets-flask"), 0), (("jobs", "--all"), 0),
                     (("status", "1"), 0), (("import-all", "@pallets", "--dry-run"), 0),
                     (("refresh", "--all", "--wait"), 0), (("show", "404"), 1),
                     (("import", "::"), 2), (("import", "pallets/flask"), 3), (("bogus",), 2)):
        run = cli(*args)
        assert run.rc == rc, run
        assert run.out.strip() or run.err.strip(), run  # says something


def test_quota_running_out_is_waited_for_not_hit(cli, api):
    api.remaining, api.reset_at = 3, int(time.time()) + 2
    run = cli("import", "pallets/flask", "--wait", "--json")
    assert run.rc == 0, run
    assert any(r.get("remaining") == 0 for r in api.requests)  # the quota did run out
    assert 403 not in api.statuses()
    assert api.sent_into_spent_quota() == []


def test_only_design_endpoints_with_a_token(cli, api):
    env = {"GITHUB_TOKEN": VALID_TOKEN}
    for args in (("import", "https://github.com/pallets/flask", "--wait"),
                 ("import", "ghost-dev/secret-sauce", "--wait"),
                 ("import-all", "ghost-dev", "--wait"), ("import-all", "spf13", "--wait"),
                 ("refresh", "--all", "--wait")):
        run = cli(*args, "--json", env=env)
        assert run.rc == 0, run
    seen = {(r["method"], r["path"]) for r in api.requests}
    assert all(endpoint_allowed(m, p) for m, p in seen), sorted(seen)
    # Every request carried the token (none fell back to anonymous).
    assert all(r["headers"].get("authorization", "").endswith(VALID_TOKEN)
               for r in api.requests)


def test_openai_analyzer_is_named_and_given_the_repository(cli):
    with FakeOpenAI() as ai:
        env = {"OPENAI_API_KEY": AI_KEY, "OPENAI_BASE_URL": ai.url, "REPOFOLIO_AI_MODEL": MODEL}
        run = cli("import", "pallets/flask", "--wait", "--json", env=env)
        assert run.rc == 0, run
        project = cli("show", "pallets-flask", "--json").json
        assert_project(project, with_readme=True)
        assert project["analyzer"] == f"openai:{MODEL}"
        assert ai.requests and ai.requests[-1]["body"]["model"] == MODEL
        prompt = "\n".join(str(m.get("content")) for m in ai.requests[-1]["body"]["messages"])
        assert "pallets/flask" in prompt
        assert ai.requests[-1]["headers"]["authorization"] == f"Bearer {AI_KEY}"


def test_openai_failure_falls_back_and_says_so(cli):
    with FakeOpenAI() as ai:
        ai.fail(500, times=50)
        env = {"OPENAI_API_KEY": AI_KEY, "OPENAI_BASE_URL": ai.url, "REPOFOLIO_AI_MODEL": MODEL}
        run = cli("import", "gorilla/mux", "--wait", "--json", env=env)
        assert run.rc == 0, run
        job = run.json
        assert_job(job, kind="import")
        assert job["status"] == "SUCCESS"
        assert "offline" in job["message"].lower() or "heuristic" in job["message"].lower()
        assert cli("show", "gorilla-mux", "--json").json["analyzer"] == "heuristic"


def test_no_secret_reaches_any_file_or_output(cli, api, tmp_path):
    with FakeOpenAI() as ai:
        env = {"GITHUB_TOKEN": VALID_TOKEN, "OPENAI_API_KEY": AI_KEY,
               "OPENAI_BASE_URL": ai.url, "REPOFOLIO_AI_MODEL": MODEL}
        out = tmp_path / "site"
        runs = [("import", "pallets/flask", "--wait"), ("import", "ghost-dev/secret-sauce",
                                                       "--wait"),
                ("import-all", "@pallets", "--wait"), ("refresh", "--all", "--wait"),
                ("list",), ("show", "pallets-flask"), ("jobs", "--all"),
                ("publish", "--out", str(out), "--include-private")]
        for args in runs:
            cli(*args, "--json", env=env)
            cli(*args, env=env)  # text mode too
        ai.fail(500, times=50)
        cli("import", "gorilla/mux", "--wait", "--json", env=env)
        ai.fail(401, times=50)
        cli("import", "spf13/cobra", "--wait", "--json", env=env)
        failed = cli("import", "psf/requests", "--wait", "--json",
                     env={**env, "GITHUB_TOKEN": BAD_TOKEN})
        assert failed.json["error"]["code"] == "AUTH_FAILED"
        api.exhaust()
        cli("import", "encode/httpx", "--wait", "--json", env=env)
    secrets = [s.encode() for s in (VALID_TOKEN, AI_KEY, BAD_TOKEN)]
    pieces = [s[4:-4] for s in secrets]  # a secret shown partly is still shown
    files = [p for p in list(cli.home.rglob("*")) + list(out.rglob("*")) if p.is_file()]
    assert any(p.name == "repofolio.db" for p in files)
    for path in files:
        data = path.read_bytes()
        for piece in pieces:
            assert piece not in data, (str(path), piece)
    for run in cli.transcript:
        for piece in pieces:
            assert piece.decode() not in run.out and piece.decode() not in run.err, run.args


def test_retry_after_is_waited_out(cli, api):
    # (A 403 saying "secondary rate limit" waits at least 60 s whatever retry-after says:
    # allowed by GitHub's docs, too slow for this suite.)
    api.fail(r"^/repos/pallets/flask$", 429, {
        "message": "API rate limit exceeded for installation.",
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits"},
        headers={"retry-after": "1"})
    run = cli("import", "pallets/flask", "--wait", "--json")
    assert run.rc == 0, run
    asked = [r for r in api.requests if r["path"] == "/repos/pallets/flask"]
    assert [r["status"] for r in asked] == [429, 200]
    assert asked[1]["time"] >= asked[0]["time"] + 1  # retry-after honoured


def test_api_base_with_a_trailing_slash(cli, api):
    run = cli("import", "gorilla/mux", "--wait", "--json",
              env={"REPOFOLIO_GITHUB_API": api.url + "/"})
    assert run.rc == 0, run
    assert all(r["path"].startswith("/") and "//" not in r["path"] for r in api.requests)


def test_the_installed_entry_point(cli, tmp_path):
    import os
    import subprocess
    import sys
    script = os.path.join(os.path.dirname(sys.executable), "repofolio")
    if not os.path.exists(script):
        pytest.skip("the package is not installed in this interpreter's environment")
    proc = subprocess.run([script, "list", "--json"], capture_output=True, text=True,
                          env=cli.environment(), cwd=cli.cwd, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == '{"projects": []}', proc
