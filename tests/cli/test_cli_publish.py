"""``repofolio publish`` as users and scripts run it (DESIGN §5, §7): the four outputs, the
--json answer, exit codes and messages for bad options, unusable folders and git failures."""

from __future__ import annotations

import json
import subprocess
import sys

from core import catalog
from tests.cli.test_cli import ROOT, assert_error, cli, cli_env, home, seed  # noqa: F401


def test_publish_json_writes_the_four_outputs(cli, runtime, tmp_path):
    for name in ("pallets/flask", "BurntSushi/ripgrep"):
        seed(runtime, name)
    out = tmp_path / "site"
    done = cli("publish", "--out", str(out), "--json")
    assert done.code == 0, done.stderr
    answer = done.json
    assert set(answer) == {"out", "projects", "files", "commit"}
    assert answer["out"] == str(out) and answer["projects"] == 2 and answer["commit"] is None
    assert {"index.html", "style.css", "portfolio.json", "PORTFOLIO.md",
            "projects/pallets-flask.html", "projects/burntsushi-ripgrep.html"} == set(
        answer["files"])
    feed = json.loads((out / "portfolio.json").read_text())
    stars = [p["stars"] for p in feed["projects"]]
    assert stars == sorted(stars, reverse=True) and stars[0] > stars[1]  # no order set: stars
    assert "readme" not in feed["projects"][0]
    assert "[flask](https://github.com/pallets/flask)" in (out / "PORTFOLIO.md").read_text()
    assert done.stderr == ""  # with --json, nothing but the object, and no notes


def test_publish_text_says_where_to_look(cli, runtime, tmp_path):
    seed(runtime, "pallets/flask")
    out = tmp_path / "site"
    first = cli("publish", "--out", str(out), "--title", "Pallets")
    again = cli("publish", "--out", str(out), "--title", "Pallets")
    assert first.code == 0 and again.code == 0
    assert f"Wrote 5 files for 1 projects in {out}" in first.stdout
    assert (out / "index.html").as_uri() in first.stdout
    assert "Unchanged: 5 files" in again.stdout
    assert "Writing 5 files" in first.stderr  # progress goes to stderr


def test_publish_to_a_local_bare_repository(cli, runtime, tmp_path):
    seed(runtime, "pallets/flask")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    out = str(tmp_path / "site")
    first = cli("publish", "--out", out, "--git-remote", str(remote), "--json")
    second = cli("publish", "--out", out, "--git-remote", str(remote), "--json")
    assert first.code == 0 and second.code == 0, first.stderr + second.stderr
    sha = subprocess.run(["git", "-C", str(remote), "rev-parse", "gh-pages"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert first.json["commit"] == sha and second.json["commit"] is None


def test_bad_options_exit_2_with_an_error_object(cli, runtime, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "thesis.tex").write_text("mine")
    cases = [["--out", str(tmp_path / "s"), "--format", "pdf"],
             ["--out", str(tmp_path / "s"), "--branch", "x"],
             ["--out", str(tmp_path / "s"), "--title", ""],
             ["--out", str(taken)],
             ["--out", str(tmp_path / "s"), "--git-remote", "-oProxyCommand=x"],
             ["--format", "json"]]
    for args in cases:
        done = cli("publish", *args, "--json")
        assert done.code == 2, (args, done.stdout, done.stderr)
        assert_error(done.json, "INVALID_INPUT")
    assert (taken / "thesis.tex").read_text() == "mine" and not (tmp_path / "s").exists()


def test_unusable_folder_and_git_failures_exit_1_and_never_show_a_token(cli, runtime, tmp_path):
    seed(runtime, "pallets/flask")
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    done = cli("publish", "--out", str(blocker / "site"), "--json")
    assert done.code == 1
    assert_error(done.json, "WRITE_FAILED")

    url = "https://alice:ghp_t0psecret@127.0.0.1:9/alice/site.git"  # nothing listens on 9
    for extra in (["--json"], []):
        done = cli("publish", "--out", str(tmp_path / "site"), "--git-remote", url, *extra)
        assert done.code == 1
        assert "ghp_t0psecret" not in done.stdout + done.stderr
        assert "GIT_FAILED" in done.stdout + done.stderr
    logs = "".join(p.read_text() for p in (tmp_path / "home" / "logs").glob("*"))
    assert "ghp_t0psecret" not in logs


def test_privacy_holds_from_the_command_line(cli, runtime, tmp_path):
    seed(runtime, "pallets/flask")
    hidden = seed(runtime, "psf/requests").project_id
    private = seed(runtime, "encode/httpx").project_id
    catalog.set_flags(hidden, showcase=False)
    catalog.set_flags(private, private=True)
    out = tmp_path / "site"
    assert cli("publish", "--out", str(out), "--json").json["projects"] == 1
    data = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file()).lower()
    assert b"flask" in data and b"psf/requests" not in data and b"httpx" not in data
    assert cli("publish", "--out", str(out), "--include-private", "--json").json[
        "projects"] == 2


def test_publish_never_imports_qt(cli_env, tmp_path):
    code = ("import sys, main; main.main(['publish', '--out', sys.argv[1], '--json']); "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "site")], cwd=ROOT,
                          env=cli_env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["projects"] == 0
