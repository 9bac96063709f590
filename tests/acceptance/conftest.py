"""Black-box fixtures: the CLI in a subprocess, against this folder's own fake GitHub.

``cli(*args)`` runs ``python main.py ARGS`` with ``REPOFOLIO_HOME`` in the test's tmp
folder and ``REPOFOLIO_GITHUB_API`` at ``api`` (:mod:`tests.acceptance.fake_api`), and
checks on every run what DESIGN §5 promises of any command: no traceback on stderr, and
with ``--json`` exactly one JSON object on stdout. After each test, every request the
fake saw must be one of the endpoints DESIGN §4 lists.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.acceptance.fake_api import FakeAPI
from tests.waiting import wait_until

MAIN = Path(__file__).resolve().parents[2] / "main.py"
_DROP = ("REPOFOLIO_", "GITHUB_TOKEN", "OPENAI_")

# DESIGN §4: the only GitHub endpoints the product may request.
ALLOWED = [re.compile(p) for p in (
    r"/repos/[^/]+/[^/]+", r"/repositories/\d+", r"/repos/[^/]+/[^/]+/languages",
    r"/repos/[^/]+/[^/]+/topics", r"/repos/[^/]+/[^/]+/readme",
    r"/repos/[^/]+/[^/]+/contents/.+", r"/repos/[^/]+/[^/]+/git/trees/[^/]+",
    r"/repos/[^/]+/[^/]+/releases/latest", r"/repos/[^/]+/[^/]+/commits/[^/]+",
    r"/repos/[^/]+/[^/]+/branches/[^/]+", r"/user", r"/user/repos",
    r"/users/[^/]+/repos", r"/orgs/[^/]+/repos", r"/rate_limit")]

ISO_MS_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
JOB_KEYS = {"id", "kind", "profile", "url", "repo", "status", "stage", "progress",
            "message", "attempts", "error", "project_id", "created_at", "started_at",
            "finished_at"}
BATCH_KEYS = JOB_KEYS | {"counts", "items"}
COUNT_KEYS = {"total", "succeeded", "failed", "skipped", "cancelled", "pending"}
ITEM_KEYS = {"repo", "status", "job_id", "project_id", "error", "reason"}
ERROR_KEYS = {"code", "message", "suggestion"}
PROJECT_KEYS = {"id", "slug", "title", "full_name", "url", "github_id", "description",
                "summary", "category", "tags", "highlights", "languages", "tech_stack",
                "stars", "forks", "license", "default_branch", "homepage", "is_showcase",
                "is_private", "analyzer", "imported_at", "updated_at"}
CATEGORIES = {"AI & Machine Learning", "Web Application", "Mobile App", "Developer Tool",
              "Library / Framework", "Command-Line Tool", "Data & Analytics",
              "DevOps & Infrastructure", "Game", "Education", "Design & Creative",
              "Hardware & IoT", "Security", "Science & Research", "Other"}


def endpoint_allowed(method: str, path: str) -> bool:
    if method == "POST":
        return path in ("/graphql", "/api/graphql")
    return any(p.fullmatch(path) for p in ALLOWED)


@dataclass
class Run:
    args: tuple
    rc: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)


class CLI:
    """Runs the product's command line in subprocesses on one data folder."""

    def __init__(self, home: Path, api: FakeAPI, cwd: Path) -> None:
        self.home = home
        self.api = api
        self.cwd = cwd
        self.env: dict[str, str] = {}
        self.transcript: list[Run] = []

    def environment(self, extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_DROP)}
        env.update(REPOFOLIO_HOME=str(self.home), REPOFOLIO_GITHUB_API=self.api.url,
                   PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
                   PYTHONDONTWRITEBYTECODE="1")
        env.update(self.env)
        env.update(extra or {})
        return {k: v for k, v in env.items() if v is not None}

    def __call__(self, *args: str, env: dict | None = None, timeout: float = 90) -> Run:
        proc = subprocess.run([sys.executable, str(MAIN), *map(str, args)],
                              capture_output=True, text=True, timeout=timeout,
                              env=self.environment(env), cwd=self.cwd)
        run = Run(args, proc.returncode, proc.stdout, proc.stderr)
        self.transcript.append(run)
        check_output(run)
        return run

    def start(self, *args: str, env: dict | None = None) -> "Worker":
        """``python main.py ARGS`` in the background; ``.stop()`` waits for its end
        (``.stop(interrupt=True)`` sends Ctrl-C first)."""
        proc = subprocess.Popen([sys.executable, str(MAIN), *map(str, args)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self.environment(env), cwd=self.cwd)
        return Worker(self, proc, tuple(args))

    def worker(self, *args: str, env: dict | None = None) -> "Worker":
        return self.start("worker", "--json", *args, env=env)

    def job(self, job_id) -> dict:
        run = self("status", str(job_id), "--json")
        assert run.rc == 0, run
        return run.json

    def wait_job(self, job_id, statuses=("SUCCESS", "FAILURE", "CANCELLED")) -> dict:
        seen: dict = {}

        def done() -> bool:
            seen.update(self.job(job_id))
            return seen["status"] in statuses
        wait_until(done, timeout=60, poll=0.2)
        return seen


class Worker:
    """A CLI process running in the background."""

    def __init__(self, cli: CLI, proc: subprocess.Popen,
                 args: tuple = ("worker", "--json")) -> None:
        self.cli, self.proc, self.args = cli, proc, args

    def stop(self, interrupt: bool = True) -> Run:
        if interrupt and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError(f"worker did not stop on SIGINT; stderr: {err[-2000:]}")
        run = Run(self.args, self.proc.returncode, out, err)
        self.cli.transcript.append(run)
        check_output(run)
        return run


def check_output(run: Run) -> None:
    """What every command promises: no traceback; with --json one JSON object."""
    assert "Traceback (most recent call last)" not in run.err, run.err[-3000:]
    if "--json" in run.args:
        try:
            value = json.loads(run.out)
        except ValueError as exc:
            raise AssertionError(
                f"{run.args}: stdout is not exactly one JSON object ({exc}):\n"
                f"{run.out[:2000]}\nstderr: {run.err[-1000:]}") from None
        assert isinstance(value, dict), f"{run.args}: stdout is {type(value).__name__}"
        if run.rc != 0:
            assert set(value["error"]) == ERROR_KEYS, value
            assert all(isinstance(value["error"][k], str) and value["error"][k]
                       for k in ERROR_KEYS), value


def build_home(tmp_path_factory, steps) -> Path:
    """A data folder made once by ``steps(cli)`` against its own fake GitHub, for a
    module's tests to copy (``shutil.copytree``) instead of importing again each time."""
    api = FakeAPI()
    root = tmp_path_factory.mktemp("seed")
    (root / "cwd").mkdir()
    cli = CLI(root / "home", api, root / "cwd")
    try:
        steps(cli)
    finally:
        api.close()
    bad = [r["path"] for r in api.requests if not endpoint_allowed(r["method"], r["path"])]
    assert not bad, f"endpoints outside DESIGN §4 were requested: {bad}"
    return cli.home


@pytest.fixture
def api():
    server = FakeAPI()
    yield server
    server.close()
    bad = sorted({f'{r["method"]} {r["path"]}' for r in server.requests
                  if not endpoint_allowed(r["method"], r["path"])})
    assert not bad, f"endpoints outside DESIGN §4 were requested: {bad}"


@pytest.fixture
def cli(tmp_path, api):
    work = tmp_path / "cwd"
    work.mkdir()
    return CLI(tmp_path / "home", api, work)


def assert_job(job: dict, kind: str | None = None) -> None:
    """A Job of DESIGN §6, exactly."""
    keys = BATCH_KEYS if job.get("kind") == "batch" else JOB_KEYS
    assert set(job) == keys, set(job) ^ keys
    if kind:
        assert job["kind"] == kind
    assert job["kind"] in ("import", "refresh", "batch")
    assert job["status"] in ("PENDING", "STARTED", "RETRYING", "SUCCESS", "FAILURE",
                             "CANCELLED")
    assert job["stage"] in ("queued", "fetching", "analyzing", "saving", "done")
    assert isinstance(job["progress"], int) and 0 <= job["progress"] <= 100
    assert isinstance(job["id"], int) and isinstance(job["attempts"], int)
    assert isinstance(job["message"], str)
    assert ISO_MS_Z.match(job["created_at"]), job["created_at"]
    for key in ("started_at", "finished_at"):
        assert job[key] is None or ISO_MS_Z.match(job[key]), (key, job[key])
    if job["error"] is not None:
        assert set(job["error"]) == ERROR_KEYS, job["error"]
    if job["kind"] == "batch":
        assert job["project_id"] is None
        assert set(job["counts"]) == COUNT_KEYS
        for item in job["items"]:
            assert set(item) == ITEM_KEYS, item


def assert_project(project: dict, with_readme: bool = False) -> None:
    """A Project of DESIGN §6, exactly."""
    keys = PROJECT_KEYS | ({"readme", "readme_truncated"} if with_readme else set())
    assert set(project) == keys, set(project) ^ keys
    assert set(project["tech_stack"]) == {"languages", "frameworks", "tools"}
    assert all(isinstance(v, list) for v in project["tech_stack"].values())
    assert isinstance(project["languages"], dict)
    assert all(isinstance(v, int) for v in project["languages"].values())
    assert project["category"] in CATEGORIES, project["category"]
    assert isinstance(project["tags"], list) and isinstance(project["highlights"], list)
    assert all(isinstance(t, str) and t == t.lower() for t in project["tags"])
    assert re.fullmatch(r"heuristic|openai:.+", project["analyzer"]), project["analyzer"]
    assert re.fullmatch(r"https://github\.com/[^/]+/[^/]+", project["url"])
    assert project["url"] == "https://github.com/" + project["full_name"]
    assert isinstance(project["is_showcase"], bool) and isinstance(project["is_private"], bool)
    for key in ("imported_at", "updated_at"):
        assert ISO_MS_Z.match(project[key]), (key, project[key])
    if with_readme:
        assert isinstance(project["readme"], str)
        assert isinstance(project["readme_truncated"], bool)
