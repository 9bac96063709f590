"""`repofolio import-all` and `refresh --all` as scripts run them (DESIGN §5, §6).

Subprocesses of ``python main.py`` against the fake GitHub, as in test_cli.py (whose
fixtures these tests share).
"""

from __future__ import annotations

import pytest

from core.models import Job, Project
from tests.cli.test_cli import (  # noqa: F401 (fixtures)
    ERROR_KEYS, assert_error, assert_job_shape, cli, cli_env, home, seed,
)
from tests.fakes.owners import populate

BATCH_KEYS = {"id", "kind", "profile", "url", "repo", "status", "stage", "progress", "message",
              "attempts", "error", "project_id", "created_at", "started_at", "finished_at",
              "counts", "items"}
ITEM_KEYS = {"repo", "status", "job_id", "project_id", "error", "reason"}


@pytest.mark.both_backends
def test_import_all_wait_json_imports_the_owners_repositories(cli, runtime, fake_github):
    populate(fake_github, "dana", 5, forks={2}, archived={3})
    seed(runtime, "dana/tool-05")

    result = cli("import-all", "https://github.com/dana", "--wait", "--json")

    assert result.code == 0, result.stderr
    batch = result.json
    assert set(batch) == BATCH_KEYS
    assert (batch["kind"], batch["repo"], batch["project_id"], batch["status"]) == (
        "batch", "dana", None, "SUCCESS")
    assert batch["counts"] == {"total": 5, "succeeded": 2, "failed": 0, "skipped": 3,
                               "cancelled": 0, "pending": 0}
    assert all(set(item) == ITEM_KEYS for item in batch["items"])
    assert [(i["repo"], i["status"], i["reason"]) for i in batch["items"]] == [
        ("dana/tool-01", "SUCCESS", None), ("dana/tool-02", "SKIPPED", "fork"),
        ("dana/tool-03", "SKIPPED", "archived"), ("dana/tool-04", "SUCCESS", None),
        ("dana/tool-05", "SKIPPED", "in_catalog")]
    assert all(i["project_id"] for i in batch["items"] if i["status"] == "SUCCESS")
    # Each item is a job of its own that `status` shows.
    item = cli("status", str(batch["items"][0]["job_id"]), "--json").json
    assert_job_shape(item)
    assert (item["kind"], item["status"]) == ("import", "SUCCESS")
    assert Project.select().count() == 3


def test_dry_run_prints_the_plan_and_estimate_and_queues_nothing(cli, runtime, fake_github):
    populate(fake_github, "dana", 3, forks={1})

    result = cli("import-all", "@dana", "--forks", "--limit", "2", "--dry-run", "--json")

    assert result.code == 0, result.stderr
    data = result.json
    assert set(data) == {"owner", "items", "estimate"}
    assert data["owner"] == "dana"
    assert [(i["repo"], i["status"], i["reason"]) for i in data["items"]] == [
        ("dana/tool-01", "PENDING", None), ("dana/tool-02", "PENDING", None),
        ("dana/tool-03", "SKIPPED", "over_limit")]
    estimate = data["estimate"]
    assert set(estimate) == {"requests", "remaining", "reset", "fits"}
    assert estimate["remaining"] == 59 and estimate["fits"] is True  # one listing page spent
    assert Job.select().count() == 0
    assert [r.path for r in fake_github.requests] == ["/users/dana/repos", "/rate_limit"]


def test_a_failed_item_makes_wait_exit_5(cli, fake_github):
    populate(fake_github, "dana", 2)
    fake_github.fail(r"^/repos/dana/tool-02/git/trees/", 403, times=None)

    result = cli("import-all", "dana", "--wait", "--json")

    assert result.code == 5
    batch = result.json
    assert batch["status"] == "FAILURE" and batch["counts"]["failed"] == 1
    assert_error(batch, "GITHUB_ERROR")
    failed = [i for i in batch["items"] if i["status"] == "FAILURE"]
    assert failed[0]["repo"] == "dana/tool-02" and set(failed[0]["error"]) == ERROR_KEYS


@pytest.mark.both_backends
def test_the_same_owner_queued_twice_exits_4_without_a_request(cli, fake_github):
    populate(fake_github, "dana", 2)
    first = cli("import-all", "dana", "--json")
    assert first.code == 0 and first.json["status"] == "PENDING"
    fake_github.reset()

    again = cli("import-all", "DANA", "--json")

    assert again.code == 4
    assert_error(again.json, "IMPORT_IN_PROGRESS")
    assert f"job {first.json['id']}" in again.json["error"]["message"]
    assert fake_github.request_count == 0


def test_an_invalid_owner_exits_2_and_an_unknown_one_5(cli, runtime, fake_github):
    invalid = cli("import-all", "pallets/flask", "--json")
    unknown = cli("import-all", "nobody-at-all", "--json")

    assert invalid.code == 2
    assert_error(invalid.json, "INVALID_URL")
    assert unknown.code == 5  # the import of them all failed at its first request
    assert_error(unknown.json, "REPO_NOT_FOUND")
    assert Job.select().count() == 0


@pytest.mark.both_backends
def test_refresh_all_wait_refreshes_every_project_as_a_batch(cli, runtime):
    seed(runtime, "gorilla/mux")
    seed(runtime, "spf13/cobra")

    result = cli("refresh", "--all", "--wait", "--json")
    neither = cli("refresh", "--json")

    assert result.code == 0, result.stderr
    batch = result.json
    assert (batch["kind"], batch["repo"], batch["status"]) == ("batch", "*", "SUCCESS")
    assert batch["counts"]["succeeded"] == 2 and Project.select().count() == 2
    assert neither.code == 2


def test_a_reset_no_clock_can_show_still_gives_the_plan(cli, fake_github):
    """/rate_limit says the hour resets in the year 3 million: the estimate's sentence
    says so in words, the plan still prints (it crashed wording the reset time)."""
    populate(fake_github, "dana", 3)
    fake_github.rate_reset = 99_999_999_999_999
    fake_github.rate_remaining = 2  # the listing spends one; three items do not fit

    result = cli("import-all", "dana", "--dry-run", "--json")

    assert result.code == 0, result.stderr
    assert result.json["estimate"]["fits"] is False
    assert "an unknown time" in result.stderr


def test_a_repository_listed_on_two_pages_is_queued_once(cli, runtime, fake_github):
    """Pages shift while a listing is read (a repository created meanwhile pushes the last
    one of a page onto the next): the repeated repository is one item, not two jobs of
    the same repository in flight, the second of which would fail as a duplicate."""
    import json
    import urllib.request

    populate(fake_github, "dana", 3)
    with urllib.request.urlopen(fake_github.url + "/users/dana/repos") as answer:
        one, two, three = json.loads(answer.read())
    page_two = f'<{fake_github.url}/users/dana/repos?per_page=100&page=2>; rel="next"'
    fake_github.fail(r"^/users/dana/repos$", 200, body=[one, two], headers={"Link": page_two})
    fake_github.fail(r"^/users/dana/repos$", 200, body=[two, three])

    result = cli("import-all", "dana", "--wait", "--json")

    assert result.code == 0, result.stdout
    batch = result.json
    assert [(i["repo"], i["status"]) for i in batch["items"]] == [
        ("dana/tool-01", "SUCCESS"), ("dana/tool-02", "SUCCESS"), ("dana/tool-03", "SUCCESS")]
    assert batch["counts"]["total"] == 3 and batch["counts"]["failed"] == 0
    assert Job.select().where(Job.key == "dana/tool-02").count() == 1


def test_listing_items_that_are_no_repository_are_left_out_not_a_crash(cli, fake_github):
    """A listing is server input like any answer: an item whose id is not a number or
    whose star count is text is not a repository to plan (it was an INTERNAL_ERROR)."""
    import json
    import urllib.request

    populate(fake_github, "dana", 2)
    with urllib.request.urlopen(fake_github.url + "/users/dana/repos") as answer:
        one, two = json.loads(answer.read())
    fake_github.fail(r"^/users/dana/repos$", 200, body=[
        one, {**two, "id": "abc", "full_name": "dana/odd"},
        {**two, "id": 99, "full_name": "dana/odder", "stargazers_count": "many"}, two])

    result = cli("import-all", "dana", "--dry-run", "--json")

    assert result.code == 0, result.stdout
    assert [i["repo"] for i in result.json["items"]] == ["dana/tool-01", "dana/tool-02"]
