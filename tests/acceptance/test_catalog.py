"""`list`, `show`, `refresh`, `delete` and the Project shape (DESIGN §5, §6)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.acceptance.conftest import assert_job, assert_project, build_home
from tests.acceptance.fake_api import CORPUS, Repo

_FILE_SUFFIXES = (".toml", ".txt", ".json", ".lock", ".yml", ".yaml", ".cfg", ".mod", ".xml",
                  ".gradle", ".kts", ".gemspec", "file")


def _seed(cli) -> None:
    for repo in ("pallets/flask", "gorilla/mux"):
        run = cli("import", repo, "--wait", "--json")
        assert run.rc == 0, run


@pytest.fixture(scope="module")
def _built_home(tmp_path_factory):
    return build_home(tmp_path_factory, _seed)


@pytest.fixture
def two(cli, _built_home):
    """flask and mux imported (a copy of one data folder); their projects as `show`
    prints them."""
    shutil.copytree(_built_home, cli.home)
    return [cli("show", ref, "--json").json for ref in ("pallets-flask", "gorilla-mux")]


def test_list_prints_projects_without_readme(cli, two):
    run = cli("list", "--json")
    assert run.rc == 0
    assert set(run.json) == {"projects"}
    listed = run.json["projects"]
    assert {p["full_name"] for p in listed} == {"pallets/flask", "gorilla/mux"}
    for project in listed:
        assert_project(project)
        shown = next(p for p in two if p["id"] == project["id"])
        assert project == {k: v for k, v in shown.items()
                           if k not in ("readme", "readme_truncated")}


def test_show_by_id_and_by_slug_is_the_same_project(cli, two):
    flask = two[0]
    assert_project(flask, with_readme=True)
    assert flask["slug"] == "pallets-flask"
    assert cli("show", "pallets-flask", "--json").json == flask
    readme = (CORPUS / "pallets__flask" / "files" / "README.md").read_text()
    assert flask["readme"].strip() == readme.strip()
    assert flask["readme_truncated"] is False


def test_project_fields_come_from_the_repository(cli, two):
    flask = two[0]
    meta = json.loads((CORPUS / "pallets__flask" / "repo.json").read_text())
    assert flask["full_name"] == "pallets/flask" and flask["github_id"] == meta["id"]
    assert flask["description"] == meta["description"]
    assert (flask["stars"], flask["forks"]) == (meta["stargazers_count"], meta["forks_count"])
    assert flask["languages"] == meta["languages"]
    assert flask["default_branch"] == "main"
    assert flask["homepage"] == "https://flask.palletsprojects.com"
    assert "BSD" in flask["license"]
    assert flask["analyzer"] == "heuristic"
    assert (flask["is_showcase"], flask["is_private"]) == (True, False)
    assert "Python" in flask["tech_stack"]["languages"]
    # DESIGN §6 names flask's notable runtime dependencies.
    assert {"Werkzeug", "Jinja", "Click", "ItsDangerous"} <= set(
        flask["tech_stack"]["frameworks"])
    assert flask["summary"] and flask["tags"]


def test_tech_stack_holds_names_never_file_names(cli, two):
    for project in two:
        tree = json.loads((CORPUS / project["full_name"].replace("/", "__")
                           / "tree.json").read_text())
        files = {e["path"].rsplit("/", 1)[-1].lower() for e in tree if e["type"] == "blob"}
        for names in project["tech_stack"].values():
            for name in names:
                assert name.lower() not in files, (project["full_name"], name)
                assert not name.lower().endswith(_FILE_SUFFIXES), (project["full_name"], name)


def test_highlights_repeat_no_fact_shown_elsewhere(cli, two):
    for project in two:
        text = " ".join(project["highlights"]).lower()
        assert len(project["highlights"]) <= 5
        for fact in (f"{project['stars']:,}", str(project["stars"]), "stars",
                     project["license"].lower()):
            assert fact.lower() not in text, (project["full_name"], fact, text)


def test_search_finds_by_text(cli, two):
    found = cli("list", "--search", "WSGI", "--json").json["projects"]
    assert [p["full_name"] for p in found] == ["pallets/flask"]
    assert cli("list", "--search", "zzz-nothing-zzz", "--json").json == {"projects": []}


def test_show_unknown_is_not_found(cli, two):
    for ref in ("999", "no-such-slug"):
        run = cli("show", ref, "--json")
        assert run.rc == 1, run
        assert set(run.json) == {"error"} and run.json["error"]["code"] == "NOT_FOUND"


def test_refresh_one_rewrites_it_in_place(cli, api, two):
    flask = two[0]
    api.repos["pallets/flask"].data["stargazers_count"] = 70123
    run = cli("refresh", str(flask["id"]), "--wait", "--json")
    assert run.rc == 0, run
    job = run.json
    assert_job(job, kind="refresh")
    assert job["status"] == "SUCCESS" and job["project_id"] == flask["id"]
    assert job["repo"] == "pallets/flask"
    after = cli("show", "pallets-flask", "--json").json
    assert after["stars"] == 70123 and after["id"] == flask["id"]
    assert len(cli("list", "--json").json["projects"]) == 2


def test_refresh_uses_conditional_requests(cli, api):
    assert cli("import", "gorilla/mux", "--wait", "--json").rc == 0  # this server's ETags
    before = len(api.requests)
    assert cli("refresh", "gorilla-mux", "--wait", "--json").rc == 0
    sent = api.requests[before:]
    assert sent and any("if-none-match" in r["headers"] for r in sent)


def test_refresh_all_is_a_batch_over_every_project(cli, two):
    run = cli("refresh", "--all", "--wait", "--json")
    assert run.rc == 0, run
    batch = run.json
    assert_job(batch, kind="batch")
    assert batch["repo"] == "*" and batch["project_id"] is None
    assert batch["status"] == "SUCCESS"
    assert batch["counts"] == {"total": 2, "succeeded": 2, "failed": 0, "skipped": 0,
                               "cancelled": 0, "pending": 0}
    assert {i["repo"] for i in batch["items"]} == {"pallets/flask", "gorilla/mux"}
    assert {i["project_id"] for i in batch["items"]} == {p["id"] for p in two}


def test_delete_removes_the_project_and_frees_the_repository(cli, two):
    run = cli("delete", str(two[1]["id"]), "--json")
    assert run.rc == 0, run
    assert [p["full_name"] for p in cli("list", "--json").json["projects"]] == [
        "pallets/flask"]
    assert cli("show", str(two[1]["id"]), "--json").rc == 1
    assert cli("delete", str(two[1]["id"]), "--json").json["error"]["code"] == "NOT_FOUND"
    assert cli("import", "gorilla/mux", "--wait", "--json").rc == 0


def test_refresh_of_a_repository_gone_from_github_keeps_the_project(cli, api, two):
    api.remove("gorilla/mux")
    run = cli("refresh", "gorilla-mux", "--wait", "--json")
    assert run.rc == 5, run
    assert_job(run.json, kind="refresh")
    assert run.json["error"]["code"] == "REPO_NOT_FOUND"
    assert cli("show", "gorilla-mux", "--json").json == two[1]


def test_a_long_readme_is_cut_and_says_so(cli, api, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "README.md").write_text("# Long\n\n" + "All work and no play. " * 150_000)
    repo = Repo("gorilla__mux", {"id": 9601}, full_name="mallory/long-readme")
    repo.files_dir = files
    api.add(repo)
    assert cli("import", "mallory/long-readme", "--wait", "--json").rc == 0
    project = cli("show", "mallory-long-readme", "--json").json
    assert project["readme_truncated"] is True
    assert project["readme"].startswith("# Long") and len(project["readme"]) < 3_300_000
