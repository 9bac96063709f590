"""`import`: the queued and the final job, URL forms, refusals and failures (DESIGN §2, §5, §6)."""

from __future__ import annotations

import pytest

from tests.acceptance.conftest import assert_job, assert_project
from tests.acceptance.fake_api import VALID_TOKEN

FLASK_FORMS = [
    "https://github.com/pallets/flask", "https://github.com/pallets/flask/",
    "https://github.com/pallets/flask.git", "http://github.com/pallets/flask",
    "github.com/pallets/flask", "https://www.github.com/pallets/flask",
    "git@github.com:pallets/flask.git", "git@github.com:pallets/flask",
    "ssh://git@github.com/pallets/flask.git", "pallets/flask", "  pallets/flask  ",
    "https://github.com/pallets/flask/tree/main/src",
]


def test_queued_job_has_every_key_and_nothing_runs(cli, api):
    run = cli("import", "https://github.com/pallets/flask", "--json")
    assert run.rc == 0, run
    job = run.json
    assert_job(job, kind="import")
    assert job["status"] == "PENDING" and job["stage"] == "queued"
    assert job["repo"] == "pallets/flask" and job["profile"] == "default"
    assert job["error"] is None and job["project_id"] is None
    assert job["started_at"] is None and job["finished_at"] is None
    assert api.requests == []  # queued without spending a request


def test_wait_returns_the_final_job_and_creates_the_project(cli):
    run = cli("import", "pallets/flask", "--wait", "--json")
    assert run.rc == 0, run
    job = run.json
    assert_job(job, kind="import")
    assert (job["status"], job["stage"], job["progress"]) == ("SUCCESS", "done", 100)
    assert job["error"] is None and isinstance(job["project_id"], int)
    assert job["started_at"] and job["finished_at"]
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]
    project = cli("show", str(job["project_id"]), "--json").json
    assert_project(project, with_readme=True)
    assert project["url"] == "https://github.com/pallets/flask"


def test_url_is_canonical_from_full_name(cli):
    job = cli("import", "https://github.com/burntsushi/RIPGREP.git", "--wait", "--json").json
    assert job["status"] == "SUCCESS", job
    # The final job names the repository as the API does, not as it was typed.
    assert job["repo"] == "BurntSushi/ripgrep"
    assert job["url"] == "https://github.com/BurntSushi/ripgrep"
    assert cli.job(job["id"])["url"] == job["url"]
    project = cli("show", str(job["project_id"]), "--json").json
    assert project["full_name"] == "BurntSushi/ripgrep"
    assert project["url"] == "https://github.com/BurntSushi/ripgrep"


@pytest.mark.parametrize("form", FLASK_FORMS)
def test_every_promised_url_form_names_the_repository(cli, form):
    run = cli("import", form, "--json")
    assert run.rc == 0, run
    assert run.json["repo"].lower() == "pallets/flask"
    assert run.json["url"].lower() == "https://github.com/pallets/flask"


@pytest.mark.parametrize("bad", [
    "not a url!", "https://gitlab.com/pallets/flask", "https://github.com/pallets",
    "pallets", "pallets/", "/flask", "pallets/flask/extra/stuff/here", "pallets/..",
    "-pallets/flask", "https://github.com/pallets/fl%00ask", "ftp://github.com/pallets/flask",
    "x" * 40 + "/flask", "",
])
def test_invalid_url_is_refused_before_anything_is_written(cli, api, bad):
    run = cli("import", "--json", "--", bad)  # "--": "-pallets/flask" is not an option
    assert run.rc == 2, run
    assert set(run.json) == {"error"}
    assert run.json["error"]["code"] == "INVALID_URL"
    assert api.requests == []
    jobs = cli("jobs", "--all", "--json")
    assert jobs.rc == 0 and jobs.json == {"jobs": []}


def test_duplicate_is_refused_with_the_project_and_no_request(cli, api):
    first = cli("import", "pallets/flask", "--wait", "--json").json
    before = len(api.requests)
    run = cli("import", "https://github.com/Pallets/Flask.git", "--json")
    assert run.rc == 3, run
    assert set(run.json) == {"error", "project"}
    assert run.json["error"]["code"] == "DUPLICATE_IMPORT"
    assert_project(run.json["project"])
    assert run.json["project"]["id"] == first["project_id"]
    assert len(api.requests) == before
    assert cli("import", "pallets/flask", "--wait", "--json").rc == 3


def test_same_repository_queued_twice_is_in_progress(cli):
    assert cli("import", "pallets/flask", "--json").rc == 0
    run = cli("import", "git@github.com:PALLETS/flask.git", "--json")
    assert run.rc == 4, run
    assert run.json["error"]["code"] == "IMPORT_IN_PROGRESS"
    assert "project" not in run.json
    assert len(cli("jobs", "--json").json["jobs"]) == 1


def test_another_repository_is_accepted_while_one_is_queued(cli):
    assert cli("import", "pallets/flask", "--json").rc == 0
    run = cli("import", "gorilla/mux", "--json")
    assert run.rc == 0, run
    assert run.json["status"] == "PENDING"
    assert {j["repo"] for j in cli("jobs", "--json").json["jobs"]} == {
        "pallets/flask", "gorilla/mux"}


def _failed(cli, *args, env=None) -> dict:
    run = cli("import", *args, "--wait", "--json", env=env)
    assert run.rc == 5, run
    job = run.json
    assert_job(job, kind="import")
    assert job["status"] == "FAILURE" and job["project_id"] is None
    assert job["finished_at"] is not None
    assert cli("list", "--json").json == {"projects": []}
    return job


def test_missing_repository_fails_with_repo_not_found(cli):
    assert _failed(cli, "pallets/no-such-repo")["error"]["code"] == "REPO_NOT_FOUND"


def test_private_repository_needs_the_token(cli):
    assert _failed(cli, "ghost-dev/secret-sauce")["error"]["code"] == "REPO_NOT_FOUND"


def test_private_repository_with_the_token_is_a_private_project(cli):
    run = cli("import", "ghost-dev/secret-sauce", "--wait", "--json",
              env={"GITHUB_TOKEN": VALID_TOKEN})
    assert run.rc == 0, run
    project = cli("show", str(run.json["project_id"]), "--json").json
    assert project["is_private"] is True


def test_bad_token_fails_with_auth_failed(cli):
    job = _failed(cli, "pallets/flask", env={"GITHUB_TOKEN": "ghp_wrong_token_value"})
    assert job["error"]["code"] == "AUTH_FAILED"


def test_spent_quota_fails_with_rate_limited(cli, api):
    api.exhaust(reset_in=3600)
    assert _failed(cli, "pallets/flask")["error"]["code"] == "RATE_LIMITED"


def test_renamed_repository_imports_under_its_new_name(cli, api):
    api.rename("pallets/flask", "flask-renamed")
    api.aliases["pallets/flask"] = 3002
    job = cli("import", "pallets/flask", "--wait", "--json").json
    assert job["status"] == "SUCCESS", job
    assert job["url"] == "https://github.com/pallets/flask-renamed"
    project = cli("show", str(job["project_id"]), "--json").json
    assert project["full_name"] == "pallets/flask-renamed"
    assert project["url"] == "https://github.com/pallets/flask-renamed"
    # The new name is now in the catalog: refused before any request.
    assert cli("import", "pallets/flask-renamed", "--json").rc == 3


def test_renamed_repository_found_duplicate_after_the_first_request(cli, api):
    first = cli("import", "pallets/flask", "--wait", "--json").json
    api.aliases["pallets/flask-legacy"] = 3002  # an old name that redirects to flask
    run = cli("import", "pallets/flask-legacy", "--wait", "--json")
    assert run.rc == 3, run
    job = run.json
    assert_job(job, kind="import")
    assert job["status"] == "FAILURE"
    assert job["error"]["code"] == "DUPLICATE_IMPORT"
    assert job["project_id"] == first["project_id"]
    assert len(cli("list", "--json").json["projects"]) == 1


def test_private_and_no_showcase_flags_are_kept(cli):
    job = cli("import", "gorilla/mux", "--private", "--no-showcase", "--wait", "--json").json
    project = cli("show", str(job["project_id"]), "--json").json
    assert (project["is_private"], project["is_showcase"]) == (True, False)
    job = cli("import", "spf13/cobra", "--wait", "--json").json
    project = cli("show", str(job["project_id"]), "--json").json
    assert (project["is_private"], project["is_showcase"]) == (False, True)


def test_profiles_have_their_own_catalog(cli):
    assert cli("import", "pallets/flask", "--wait", "--json").rc == 0
    run = cli("import", "pallets/flask", "--profile", "work", "--wait", "--json")
    assert run.rc == 0, run
    assert run.json["profile"] == "work" and run.json["status"] == "SUCCESS"
    assert cli("import", "pallets/flask", "--profile", "work", "--json").rc == 3
