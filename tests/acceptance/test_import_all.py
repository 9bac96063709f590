"""`import-all OWNER`: the plan, the batch, its counts and reasons (DESIGN §5, §6)."""

from __future__ import annotations

import pytest

from tests.acceptance.conftest import ITEM_KEYS, assert_job

PALLETS = {"pallets/flask", "pallets/click-fork", "pallets/old-theme", "pallets/tiny-util"}


def _reasons(items) -> dict:
    return {i["repo"]: i["reason"] for i in items}


@pytest.mark.parametrize("owner", ["pallets", "@pallets", "https://github.com/pallets",
                                   "https://github.com/Pallets/"])
def test_dry_run_plans_and_queues_nothing(cli, api, owner):
    run = cli("import-all", owner, "--dry-run", "--json")
    assert run.rc == 0, run
    plan = run.json
    assert set(plan) == {"owner", "items", "estimate"}
    assert plan["owner"].lower() == "pallets"
    assert set(plan["estimate"]) == {"requests", "remaining", "reset", "fits"}
    assert isinstance(plan["estimate"]["requests"], int) and plan["estimate"]["requests"] > 0
    assert plan["estimate"]["remaining"] == api.remaining
    assert plan["estimate"]["fits"] is True
    assert {i["repo"] for i in plan["items"]} == PALLETS  # every page of the listing
    assert _reasons(plan["items"]) == {"pallets/flask": None, "pallets/tiny-util": None,
                                       "pallets/click-fork": "fork",
                                       "pallets/old-theme": "archived"}
    for item in plan["items"]:
        assert set(item) == ITEM_KEYS and item["job_id"] is None, item
    assert cli("jobs", "--all", "--json").json == {"jobs": []}
    assert not any("/repos/" in r["path"] for r in api.requests)


def test_dry_run_options_and_in_catalog(cli):
    flask = cli("import", "pallets/flask", "--wait", "--json").json
    plan = cli("import-all", "pallets", "--forks", "--archived", "--min-stars", "50",
               "--dry-run", "--json").json
    in_catalog = next(i for i in plan["items"] if i["repo"] == "pallets/flask")
    assert in_catalog["project_id"] == flask["project_id"]
    assert _reasons(plan["items"]) == {"pallets/flask": "in_catalog",
                                       "pallets/click-fork": "below_min_stars",
                                       "pallets/old-theme": None,
                                       "pallets/tiny-util": "below_min_stars"}
    plan = cli("import-all", "pallets", "--forks", "--limit", "1", "--dry-run",
               "--json").json
    reasons = _reasons(plan["items"])
    assert reasons["pallets/flask"] == "in_catalog"
    assert reasons["pallets/old-theme"] == "archived"
    assert sorted([reasons["pallets/click-fork"], reasons["pallets/tiny-util"]],
                  key=str) == [None, "over_limit"]


def test_wait_runs_the_batch_and_reports_every_item(cli, api):
    assert cli("import", "pallets/flask", "--wait", "--json").rc == 0
    before = len(api.requests)
    run = cli("import-all", "@pallets", "--wait", "--json")
    assert run.rc == 0, run
    batch = run.json
    assert_job(batch, kind="batch")
    assert batch["repo"] == "pallets" and batch["status"] == "SUCCESS"
    assert batch["counts"] == {"total": 4, "succeeded": 1, "failed": 0, "skipped": 3,
                               "cancelled": 0, "pending": 0}
    items = {i["repo"]: i for i in batch["items"]}
    assert set(items) == PALLETS
    assert _reasons(batch["items"]) == {"pallets/flask": "in_catalog",
                                        "pallets/click-fork": "fork",
                                        "pallets/old-theme": "archived",
                                        "pallets/tiny-util": None}
    tiny = items["pallets/tiny-util"]
    assert tiny["status"] == "SUCCESS" and isinstance(tiny["job_id"], int)
    assert cli.job(tiny["job_id"])["project_id"] == tiny["project_id"]
    # What the catalog holds is skipped without a request.
    assert not any(r["path"].startswith("/repos/pallets/flask") for r in api.requests[before:])
    assert {p["full_name"] for p in cli("list", "--json").json["projects"]} == {
        "pallets/flask", "pallets/tiny-util"}
    assert cli("status", str(batch["id"]), "--json").json == batch


def test_a_failed_item_fails_the_batch_with_exit_5(cli):
    run = cli("import-all", "https://github.com/doomed-org", "--wait", "--json")
    assert run.rc == 5, run
    batch = run.json
    assert_job(batch, kind="batch")
    assert batch["status"] == "FAILURE"
    assert batch["counts"]["succeeded"] == 1 and batch["counts"]["failed"] == 1
    gone = next(i for i in batch["items"] if i["repo"] == "doomed-org/gone")
    assert gone["status"] == "FAILURE" and gone["error"]["code"] == "REPO_NOT_FOUND"
    assert gone["project_id"] is None


def test_a_user_not_an_organization(cli):
    run = cli("import-all", "spf13", "--wait", "--json")
    assert run.rc == 0, run
    assert [i["repo"] for i in run.json["items"]] == ["spf13/cobra"]


def test_unknown_owner_is_refused_with_repo_not_found(cli):
    run = cli("import-all", "no-such-owner-here", "--json")
    assert run.rc != 0, run
    assert set(run.json) == {"error"}
    assert run.json["error"]["code"] == "REPO_NOT_FOUND"
    assert cli("jobs", "--all", "--json").json == {"jobs": []}


@pytest.mark.parametrize("wait", [[], ["--wait"]])
def test_unknown_owner_exits_5(cli, wait):
    run = cli("import-all", "no-such-owner-here", *wait, "--json")
    assert run.rc == 5, run
    assert run.json["error"]["code"] == "REPO_NOT_FOUND"


@pytest.mark.parametrize("owner", ["", "not an owner!", "https://gitlab.com/pallets",
                                   "pallets/flask"])
def test_invalid_owner_is_refused(cli, api, owner):
    run = cli("import-all", "--json", "--", owner)
    assert run.rc == 2, run
    assert run.json["error"]["code"] in ("INVALID_URL", "INVALID_INPUT")
    assert api.requests == []


def test_second_batch_of_the_same_owner_is_in_progress(cli):
    first = cli("import-all", "pallets", "--json")
    assert first.rc == 0, first
    assert_job(first.json, kind="batch")
    assert first.json["status"] == "PENDING"
    again = cli("import-all", "https://github.com/pallets", "--json")
    assert again.rc == 4, again
    assert again.json["error"]["code"] == "IMPORT_IN_PROGRESS"
    # Another owner's batch is accepted meanwhile.
    assert cli("import-all", "spf13", "--json").rc == 0


def test_cancel_a_queued_batch_cancels_its_items(cli):
    batch = cli("import-all", "pallets", "--json").json
    assert cli("cancel", str(batch["id"]), "--json").rc == 0
    after = cli.job(batch["id"])
    assert after["status"] == "CANCELLED"
    assert after["counts"]["pending"] == 0
    assert all(i["status"] in ("CANCELLED", "SKIPPED") for i in after["items"])
    assert cli("import", "pallets/flask", "--json").rc == 0


def test_dry_run_says_when_the_quota_does_not_fit(cli, api):
    api.remaining = 3  # the listing's two pages leave one request
    run = cli("import-all", "pallets", "--dry-run", "--json")
    assert run.rc == 0, run
    estimate = run.json["estimate"]
    assert estimate["fits"] is False
    assert estimate["remaining"] < estimate["requests"]
    assert estimate["reset"] is not None
    assert cli("jobs", "--all", "--json").json == {"jobs": []}


def test_an_item_already_queued_on_its_own_is_skipped_as_in_progress(cli):
    """DESIGN §6 names five skip reasons; a repository already queued in the profile gets
    a sixth, ``in_progress`` (the README lists it): it is neither in the catalog nor
    refused, and importing it twice would break the single-in-flight rule."""
    assert cli("import", "pallets/tiny-util", "--json").rc == 0
    batch = cli("import-all", "pallets", "--json").json
    for job in cli("jobs", "--json").json["jobs"]:
        assert_job(job)  # the batch in the list carries counts and items too
    tiny = next(i for i in batch["items"] if i["repo"] == "pallets/tiny-util")
    assert tiny["status"] == "SKIPPED" and tiny["job_id"] == 1
    assert tiny["reason"] == "in_progress"
