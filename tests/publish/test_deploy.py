"""--git-remote: one history-preserving commit per changed publish, pushed with the system's
git to a local bare repository; no commit when nothing changed; failures said plainly,
without the URL's user-info, and never waiting on a prompt."""

from __future__ import annotations

import fcntl
import http.server
import os
import pty
import socket
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from core.errors import InvalidInput
from core.publish import PublishOptions, publish
from core.publish import deploy as deploy_module
from core.publish.deploy import deploy, redact, shown_remote
from core.publish.errors import GitFailed


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture
def remote(tmp_path) -> Path:
    path = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(path))
    return path


def branch_files(remote: Path, branch: str = "gh-pages") -> list[str]:
    return git("-C", str(remote), "ls-tree", "-r", "--name-only", branch).splitlines()


def history(remote: Path, branch: str = "gh-pages") -> list[str]:
    return git("-C", str(remote), "log", "--format=%H", branch).splitlines()


def test_publish_leaves_the_site_on_gh_pages_and_commits_only_changes(add_project, out, remote):
    add_project("alice/one")
    first = publish(PublishOptions(out=out, git_remote=str(remote)))
    assert first.commit and history(remote) == [first.commit]
    assert branch_files(remote) == first.files

    again = publish(PublishOptions(out=out, git_remote=str(remote)))
    assert again.commit is None and again.changed is False
    assert history(remote) == [first.commit]

    add_project("alice/two")
    third = publish(PublishOptions(out=out, git_remote=str(remote)))
    assert third.commit and history(remote) == [third.commit, first.commit]  # on top
    assert branch_files(remote) == third.files
    assert "Publish portfolio: 2 projects" in git("-C", str(remote), "log", "-1", "--format=%s",
                                                  "gh-pages")


def test_an_existing_branch_is_built_on_and_other_branches_are_untouched(add_project, out,
                                                                         remote, tmp_path):
    work = tmp_path / "work"
    git("init", "-q", "-b", "main", str(work))
    (work / "README.md").write_text("main branch\n")
    (work / "old-page.html").write_text("someone's page\n")
    git("add", ".", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "old", cwd=work)
    git("push", "-q", str(remote), "main", "main:refs/heads/site", cwd=work)
    before = history(remote, "site")
    add_project("alice/one")
    result = publish(PublishOptions(out=out, git_remote=str(remote), branch="site"))
    assert history(remote, "site") == [result.commit, *before]
    assert branch_files(remote, "site") == result.files  # the old page is gone from the tree
    assert branch_files(remote, "main") == ["README.md", "old-page.html"]


def test_a_fresh_folder_matching_the_branch_makes_no_commit(add_project, out, remote, tmp_path):
    add_project("alice/one")
    publish(PublishOptions(out=out, git_remote=str(remote), formats=frozenset({"site"})))
    elsewhere = tmp_path / "elsewhere"
    result = publish(PublishOptions(out=elsewhere, git_remote=str(remote),
                                    formats=frozenset({"site"})))
    assert result.commit is None and len(history(remote)) == 1


def test_without_a_git_identity_the_commit_is_signed_repofolio(add_project, out, remote,
                                                               tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "nohome"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    add_project("alice/one")
    publish(PublishOptions(out=out, git_remote=str(remote)))
    assert git("-C", str(remote), "log", "-1", "--format=%an <%ae>", "gh-pages") == \
        "Repofolio <repofolio@localhost>"


def test_the_users_global_ignores_do_not_drop_site_files(add_project, out, remote, tmp_path,
                                                         monkeypatch):
    home = tmp_path / "gitHome"
    home.mkdir()
    (home / "ignore").write_text("*.json\n*.md\n")
    (home / ".gitconfig").write_text(f"[core]\n\texcludesFile = {home / 'ignore'}\n"
                                     "[user]\n\tname = U\n\temail = u@u\n")
    monkeypatch.setenv("HOME", str(home))
    add_project("alice/one")
    result = publish(PublishOptions(out=out, git_remote=str(remote)))
    assert "portfolio.json" in branch_files(remote) and "PORTFOLIO.md" in branch_files(remote)
    assert branch_files(remote) == result.files


def test_a_missing_remote_fails_with_a_suggestion_and_the_folder_is_still_written(
        add_project, out, tmp_path):
    add_project("alice/one")
    with pytest.raises(GitFailed) as caught:
        publish(PublishOptions(out=out, git_remote=str(tmp_path / "nowhere.git")))
    assert caught.value.code == "GIT_FAILED"
    assert "ls-remote" in caught.value.message
    assert caught.value.suggestion
    assert (out / "index.html").exists()


class _AskingForAPassword(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_remote_asking_for_a_password_fails_at_once_without_showing_the_token(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AskingForAPassword)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("x")
    url = f"http://alice:s3cr3t-t0ken@127.0.0.1:{server.server_port}/alice/site.git"
    try:
        with pytest.raises(GitFailed) as caught:
            deploy(folder, url, "gh-pages", message="m", timeout=30)
    finally:
        server.shutdown()
    error = caught.value
    assert "s3cr3t" not in error.message + error.suggestion
    assert "alice:" not in error.message
    assert "credential helper" in error.suggestion


def test_no_password_prompt_even_from_a_terminal(tmp_path):
    """Run from a real terminal (a pty as the controlling terminal), git would ask for a user
    name there and wait; it must fail at once instead."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AskingForAPassword)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (tmp_path / "site").mkdir()
    code = ("import sys; from core.publish.deploy import deploy; from pathlib import Path\n"
            "try:\n    deploy(Path(sys.argv[1]), sys.argv[2], 'gh-pages', message='m', "
            "timeout=20)\nexcept Exception as e:\n    print(e.message)")
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "site"),
             f"http://127.0.0.1:{server.server_port}/alice/site.git"],
            stdin=secondary, capture_output=True, text=True, timeout=60, start_new_session=True,
            cwd=Path(__file__).resolve().parents[2],
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))  # the pty is its terminal
    finally:
        os.close(primary)
        os.close(secondary)
        server.shutdown()
    assert "git ls-remote failed" in done.stdout, done.stdout + done.stderr
    assert "did not finish" not in done.stdout  # failed at once, not after waiting


def test_a_remote_that_never_answers_times_out(tmp_path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts connections, never says a word
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("x")
    try:
        with pytest.raises(GitFailed) as caught:
            deploy(folder, f"http://127.0.0.1:{silent.getsockname()[1]}/x.git", "gh-pages",
                   message="m", timeout=1)
    finally:
        silent.close()
    assert "did not finish within 1 s" in caught.value.message


def test_no_git_on_the_path_is_said(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    folder = tmp_path / "site"
    folder.mkdir()
    with pytest.raises(GitFailed) as caught:
        deploy(folder, str(tmp_path / "r.git"), "gh-pages", message="m")
    assert "Install git" in caught.value.suggestion


@pytest.mark.parametrize("remote, branch", [("--upload-pack=touch /tmp/x", "gh-pages"),
                                            ("", "gh-pages"), ("/tmp/r.git", "bad..name"),
                                            ("/tmp/r.git", "-x"), ("/tmp/r.git", "a b")])
def test_bad_remotes_and_branches_are_invalid_input(catalog, out, remote, branch):
    with pytest.raises(InvalidInput):
        publish(PublishOptions(out=out, git_remote=remote, branch=branch))
    assert not out.exists()


def test_a_hooks_git_variables_do_not_redirect_the_commit(add_project, out, remote, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "someone-elses-index"))
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(tmp_path / "someone-elses-objects"))
    add_project("alice/one")
    result = publish(PublishOptions(out=out, git_remote=str(remote)))
    assert not (tmp_path / "someone-elses-index").exists()
    monkeypatch.delenv("GIT_INDEX_FILE")
    monkeypatch.delenv("GIT_OBJECT_DIRECTORY")
    assert branch_files(remote) == result.files


def test_user_info_never_shows():
    url = "https://alice:ghp_secret@github.com/alice/alice.github.io.git"
    assert shown_remote(url) == "https://github.com/alice/alice.github.io.git"
    assert redact(f"fatal: unable to access '{url}/': 403") == \
        "fatal: unable to access 'https://github.com/alice/alice.github.io.git/': 403"
    assert shown_remote("git@github.com:alice/site.git") == "git@github.com:alice/site.git"
    assert deploy_module.redact("ssh://git:pw@host/x") == "ssh://host/x"
    assert "pw" not in shown_remote("http://u:pw@[broken/x")
