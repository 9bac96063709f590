"""Pushing the output folder to a branch of a git remote with the system's ``git``.

Each publish is one commit on top of the branch as the remote has it (fetched
first, so history is kept; a new branch starts with a root commit). The tree
is exactly the folder's files. When it equals the branch's tree there is no
commit and no push. The user's own git credentials do the pushing (credential
helper, SSH agent); we never see them.

git runs with a timeout, never prompts (``GIT_TERMINAL_PROMPT=0``, and in a
session of its own, without the terminal an SSH passphrase prompt would need),
and whatever it prints has the user-info of any URL removed before it reaches a
message or the log.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from core.publish.errors import GitFailed

log = logging.getLogger(__name__)

NETWORK_TIMEOUT = 120.0  # seconds for ls-remote, fetch and push
LOCAL_TIMEOUT = 60.0
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")
# Variables that would point git at another repository, index or object store than ours
# (set, say, when Repofolio is started from inside a git hook).
_REDIRECTING = ("GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_QUARANTINE_PATH")
FALLBACK_IDENTITY = {"GIT_AUTHOR_NAME": "Repofolio", "GIT_AUTHOR_EMAIL": "repofolio@localhost",
                     "GIT_COMMITTER_NAME": "Repofolio", "GIT_COMMITTER_EMAIL": "repofolio@localhost"}


def redact(text: str) -> str:
    """``text`` without the user-info (``user:token@``) of any URL in it."""
    return _USERINFO.sub(r"\1", text)


def shown_remote(url: str) -> str:
    """The remote as it may be printed: ``https://host/path`` without user-info."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL git would take either; still no user-info shown
        return redact(url)
    if parts.scheme and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return redact(url)


class Git:
    """Runs ``git`` in one temporary repository whose work tree is the output folder."""

    def __init__(self, repo: Path, work_tree: Path, remote: str):
        self.remote = remote
        inherited = {k: v for k, v in os.environ.items() if k not in _REDIRECTING}
        self.env = {**inherited, "GIT_DIR": str(repo), "GIT_WORK_TREE": str(work_tree),
                    "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "LC_ALL": "C"}
        self.cwd = work_tree

    def __call__(self, *args: str, timeout: float = LOCAL_TIMEOUT, what: str = "") -> str:
        command = ["git", *args]
        env = self.env
        if args[0] == "init":  # git refuses GIT_WORK_TREE while creating the repository
            env = {k: v for k, v in env.items() if k not in ("GIT_DIR", "GIT_WORK_TREE")}
        try:
            process = subprocess.Popen(command, cwd=self.cwd, env=env,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True,
                                       start_new_session=True)
        except OSError as error:
            raise GitFailed(f"Could not run git ({error.strerror or error}).",
                            suggestion="Install git (and put it on PATH), then publish again."
                            ) from error
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise GitFailed(f"git {what or args[0]} did not finish within {timeout:.0f} s.",
                            suggestion="Check the network and that the remote answers "
                                       f"({shown_remote(self.remote)}), then publish again.")
        if process.returncode != 0:
            raise _failure(what or args[0], redact(err.replace(self.remote,
                                                                shown_remote(self.remote))),
                           self.remote)
        return out.strip()


def _kill_group(process: subprocess.Popen) -> None:
    """Stop git and what it started (ssh, a remote helper): they share its session."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


def _failure(what: str, stderr: str, remote: str) -> GitFailed:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    detail = next((line for line in reversed(lines) if line.lower().startswith(("fatal", "error",
                                                                                "!"))),
                  lines[-1] if lines else "no message")
    log.info("git %s failed: %s", what, "\n".join(lines[-10:]))
    text = stderr.lower()
    error = GitFailed(f"git {what} failed: {detail}")
    if any(s in text for s in ("could not read username", "terminal prompts disabled",
                               "authentication failed", "permission denied",
                               "403", "host key verification failed")):
        error.suggestion = ("git could not sign in to the remote: set up a credential helper "
                            "or an SSH key in ssh-agent that can push there (Repofolio never "
                            "asks for a password), then publish again.")
    elif "does not appear to be a git repository" in text or "not found" in text:
        error.suggestion = f"Check the remote's address ({shown_remote(remote)})."
    elif "non-fast-forward" in text or "fetch first" in text or "rejected" in text:
        error.suggestion = "The branch changed on the remote while publishing: publish again."
    return error


def _identity(git: Git) -> dict[str, str]:
    """A commit needs an author: the user's git identity, else "Repofolio"."""
    try:
        git("config", "user.name")
        git("config", "user.email")
        return {}
    except GitFailed:
        return FALLBACK_IDENTITY


def deploy(folder: Path, remote: str, branch: str, *, message: str,
           timeout: float = NETWORK_TIMEOUT) -> str | None:
    """Commit ``folder``'s files on top of ``branch`` of ``remote`` and push; the new commit's
    sha, or None when the branch already holds exactly these files."""
    ref = f"refs/heads/{branch}"
    with tempfile.TemporaryDirectory(prefix="repofolio-deploy-") as scratch:
        repo = Path(scratch) / "repo.git"
        git = Git(repo, folder, remote)
        git("init", "--quiet", "--bare", str(repo), what="init")
        heads = git("ls-remote", "--heads", remote, ref, timeout=timeout, what="ls-remote")
        parent = None
        if heads:
            git("fetch", "--quiet", "--no-tags", "--depth=1", remote, ref, timeout=timeout,
                what="fetch")
            parent = git("rev-parse", "--verify", "FETCH_HEAD^{commit}", what="rev-parse")
        # -f: the user's global excludes must not leave a file of the site out.
        git("add", "--all", "--force", ".", what="add")
        tree = git("write-tree", what="write-tree")
        if parent is not None and git("rev-parse", f"{parent}^{{tree}}") == tree:
            return None
        git.env.update(_identity(git))
        commit = git("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message,
                     what="commit")
        git("push", "--quiet", remote, f"{commit}:{ref}", timeout=timeout, what="push")
        return commit
