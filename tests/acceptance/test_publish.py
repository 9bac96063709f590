"""`publish`: the files, portfolio.json, what is left out, and --git-remote (DESIGN §7)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.acceptance.conftest import ISO_MS_Z, PROJECT_KEYS, assert_project, build_home
from tests.acceptance.fake_api import VALID_TOKEN, Repo


def _seed(cli) -> None:
    for args in (("pallets/flask",), ("gorilla/mux", "--no-showcase"),
                 ("spf13/cobra", "--private")):
        assert cli("import", *args, "--json").rc == 0
    # One consumer runs the queue in order; the last job ends after the others.
    assert cli("import", "ghost-dev/secret-sauce", "--wait", "--json",
               env={"GITHUB_TOKEN": VALID_TOKEN}).rc == 0
    for job in cli("jobs", "--json").json["jobs"]:
        assert cli.wait_job(job["id"])["status"] == "SUCCESS", job
    assert len(cli("list", "--json").json["projects"]) == 4


@pytest.fixture(scope="module")
def _built_home(tmp_path_factory):
    """flask (showcase), mux (--no-showcase), cobra (--private), jq (private on GitHub),
    imported once; each test publishes from its own copy of that data folder."""
    return build_home(tmp_path_factory, _seed)


@pytest.fixture
def catalog(cli, _built_home):
    shutil.copytree(_built_home, cli.home)
    return cli


def _texts(out: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(out.rglob("*"))
                     if p.is_file())


def test_publish_writes_the_showcase_and_nothing_else(catalog, tmp_path):
    out = tmp_path / "site"
    run = catalog("publish", "--out", str(out), "--json")
    assert run.rc == 0, run
    result = run.json
    assert set(result) == {"out", "projects", "files", "commit"}
    assert Path(result["out"]).resolve() == out.resolve()
    assert result["projects"] == 1 and result["commit"] is None
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert sorted(result["files"]) == written
    css = [f for f in written if f.endswith(".css")]
    assert len(css) == 1
    assert {"index.html", "portfolio.json", "PORTFOLIO.md",
            "projects/pallets-flask.html"} <= set(written)
    assert not [f for f in written if f.startswith("projects/") and "flask" not in f]

    feed = json.loads((out / "portfolio.json").read_text())
    assert set(feed) == {"title", "generated_at", "projects"}
    assert isinstance(feed["title"], str) and feed["title"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", feed["generated_at"])
    assert [p["full_name"] for p in feed["projects"]] == ["pallets/flask"]
    for project in feed["projects"]:
        assert set(project) == PROJECT_KEYS
        assert_project(project)

    everything = _texts(out)
    assert "flask" in everything
    for hidden in ("gorilla/mux", "spf13/cobra", "secret-sauce", "jqlang", "cobra"):
        assert hidden not in everything, hidden


def test_site_is_self_contained(catalog, tmp_path):
    out = tmp_path / "site"
    assert catalog("publish", "--out", str(out), "--json").rc == 0
    for page in out.rglob("*.html"):
        html = page.read_text()
        assert "<script" not in html.lower(), page
        for tag in re.findall(r"<(?:link|img|source|iframe)\b[^>]*>", html, re.I):
            assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", tag), tag
        assert "@import" not in html and "url(http" not in html
    assert "https://github.com/pallets/flask" in (out / "index.html").read_text()


def test_include_private_adds_private_but_not_hidden(catalog, tmp_path):
    out = tmp_path / "site"
    run = catalog("publish", "--out", str(out), "--include-private", "--json")
    assert run.rc == 0, run
    assert run.json["projects"] == 3
    feed = json.loads((out / "portfolio.json").read_text())
    assert {p["full_name"] for p in feed["projects"]} == {
        "pallets/flask", "spf13/cobra", "ghost-dev/secret-sauce"}
    assert "gorilla/mux" not in _texts(out)
    markdown = (out / "PORTFOLIO.md").read_text()
    assert "spf13/cobra" in markdown or "cobra" in markdown


@pytest.mark.parametrize("fmt, expected", [("json", {"portfolio.json"}),
                                           ("markdown", {"PORTFOLIO.md"})])
def test_one_format(catalog, tmp_path, fmt, expected):
    out = tmp_path / "site"
    run = catalog("publish", "--out", str(out), "--format", fmt, "--json")
    assert run.rc == 0, run
    assert set(run.json["files"]) == expected
    assert {p.name for p in out.iterdir()} == expected


def test_git_remote_commits_to_gh_pages(catalog, tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--bare", "-q", str(remote)], check=True)
    out = tmp_path / "site"
    run = catalog("publish", "--out", str(out), "--git-remote", str(remote), "--json")
    assert run.rc == 0, run
    sha = run.json["commit"]
    assert re.fullmatch(r"[0-9a-f]{40}", sha), sha
    head = subprocess.run(["git", "--git-dir", str(remote), "rev-parse", "gh-pages"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert head == sha
    files = subprocess.run(["git", "--git-dir", str(remote), "ls-tree", "-r", "--name-only",
                            "gh-pages"], capture_output=True, text=True,
                           check=True).stdout.split()
    assert {"index.html", "portfolio.json", "PORTFOLIO.md"} <= set(files)
    again = catalog("publish", "--out", str(out), "--git-remote", str(remote), "--json")
    assert again.rc == 0 and again.json["commit"] is None  # nothing changed


def test_publish_refuses_a_folder_holding_something_else(catalog, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("do not lose me")
    run = catalog("publish", "--out", str(out), "--json")
    assert run.rc != 0
    assert set(run.json) == {"error"}
    assert (out / "thesis.tex").read_text() == "do not lose me"


def test_generated_at_is_iso(catalog, tmp_path):
    out = tmp_path / "site"
    catalog("publish", "--out", str(out), "--format", "json", "--json")
    generated = json.loads((out / "portfolio.json").read_text())["generated_at"]
    assert ISO_MS_Z.match(generated) or generated.endswith(("Z", "+00:00")), generated


def test_nothing_a_repository_says_becomes_markup(cli, api, tmp_path):
    hostile = Repo("gorilla__mux", {"id": 9401, "homepage": "javascript:alert(3)",
                                    "description": '<script>alert(1)</script> <img src=x '
                                                   'onerror=alert(2)> [click](javascript:x)'},
                   full_name="mallory/xss-lab")
    api.add(hostile)
    assert cli("import", "mallory/xss-lab", "--wait", "--json").rc == 0
    out = tmp_path / "site"
    assert cli("publish", "--out", str(out), "--json").rc == 0
    for page in list(out.rglob("*.html")) + [out / "PORTFOLIO.md"]:
        text = page.read_text()
        assert "<script" not in text.lower() and "<img src=x" not in text.lower(), page
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", text, re.I), page
        assert "](javascript:" not in text, page


def test_title_and_an_empty_catalog(cli, tmp_path):
    out = tmp_path / "site"
    run = cli("publish", "--out", str(out), "--title", "Ada's <Work>", "--json")
    assert run.rc == 0, run
    assert run.json["projects"] == 0
    feed = json.loads((out / "portfolio.json").read_text())
    assert feed["title"] == "Ada's <Work>" and feed["projects"] == []
    assert "<Work>" not in (out / "index.html").read_text()  # escaped


def test_publish_failures_are_coded(catalog, tmp_path):
    out = tmp_path / "site"
    run = catalog("publish", "--out", str(out), "--git-remote", str(tmp_path / "nowhere.git"),
                  "--json")
    assert run.rc == 1, run
    assert run.json["error"]["code"] == "GIT_FAILED"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = catalog("publish", "--out", str(blocker / "site"), "--json")
    assert run.rc == 1, run
    assert run.json["error"]["code"] == "WRITE_FAILED"
