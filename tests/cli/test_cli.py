"""The command line as users and scripts run it (DESIGN §5, §6).

Every test runs ``python main.py ...`` in a subprocess against the real fake
GitHub server, with its own data folder and the offline analyzer. Where a test
needs a catalog that already holds something, it is seeded in-process through
the same importer (``runtime`` fixture), which is faster than a CLI round trip.
Every run asserts that no Python traceback reached stderr.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.models import FAILURE, PENDING, Job, Project
from tests.backends import store_environment

ROOT = Path(__file__).resolve().parents[2]
ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
JOB_KEYS = {"id", "kind", "profile", "url", "repo", "status", "stage", "progress", "message",
            "attempts", "error", "project_id", "created_at", "started_at", "finished_at"}
PROJECT_KEYS = {"id", "slug", "title", "full_name", "url", "github_id", "description",
                "summary", "category", "tags", "highlights", "languages", "tech_stack", "stars",
                "forks", "license", "default_branch", "homepage", "is_showcase", "is_private",
                "analyzer", "imported_at", "updated_at"}
ERROR_KEYS = {"code", "message", "suggestion"}
STAGES = {"queued", "fetching", "analyzing", "saving", "done"}
# Variables of the outer environment that must not reach the app under test.
_OUTER = ("GITHUB_TOKEN", "OPENAI_API_KEY", "OPENAI_BASE_URL", "REPOFOLIO_AI_MODEL",
          "REPOFOLIO_WORKERS")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        """stdout as exactly one JSON object (anything else fails the test)."""
        data, end = json.JSONDecoder().raw_decode(self.stdout.lstrip())
        assert self.stdout.lstrip()[end:].strip() == "", f"more than one object: {self.stdout!r}"
        assert isinstance(data, dict)
        return data


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"  # the folder conftest's settings (and `runtime`) use


@pytest.fixture
def cli_env(home, fake_github, settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OUTER}
    env.update(REPOFOLIO_HOME=str(home), REPOFOLIO_GITHUB_API=fake_github.url,
               REPOFOLIO_ANALYZER="heuristic", PYTHONUNBUFFERED="1",
               # Never consult the developer's keyring for a token.
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    env.update(store_environment(settings))  # team mode: the `runtime` fixture's servers
    return env


@pytest.fixture
def cli(cli_env):
    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Result:
        proc = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env or cli_env,
                              capture_output=True, text=True, timeout=timeout)
        assert "Traceback" not in proc.stderr, proc.stderr
        return Result(proc.returncode, proc.stdout, proc.stderr)
    return run


@contextlib.contextmanager
def spawned(env: dict[str, str], *args: str, **popen_options) -> Iterator[subprocess.Popen]:
    """``main.py ARGS`` running in the background; killed if a test leaves it running."""
    proc = subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                            **popen_options)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def first_line(proc: subprocess.Popen, timeout: float = 30) -> str:
    """The first line the process prints on stdout; fails if none comes within ``timeout``."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, f"no output within {timeout:g} s"
    return proc.stdout.readline()


def seed(runtime, text: str, profile: str = "default") -> Job:
    """Import ``text`` in-process, synchronously; return the ended job."""
    job = runtime.importer.submit(text, profile=profile)
    runtime.importer.run(job.id)
    return Job.get_by_id(job.id)


def assert_job_shape(job: dict) -> None:
    assert set(job) == JOB_KEYS
    assert job["stage"] in STAGES
    assert 0 <= job["progress"] <= 100
    assert ISO_MS.match(job["created_at"])
    for key in ("started_at", "finished_at"):
        assert job[key] is None or ISO_MS.match(job[key]), job[key]


def assert_failed_job(job: dict, code: str) -> None:
    assert_job_shape(job)
    assert job["status"] == FAILURE
    assert_error(job, code)


def assert_error(data: dict, code: str) -> None:
    assert set(data["error"]) == ERROR_KEYS
    assert data["error"]["code"] == code
    assert data["error"]["message"] and data["error"]["suggestion"]


# -- import ----------------------------------------------------------------------------------


@pytest.mark.both_backends
def test_import_wait_json_prints_the_finished_job(cli):
    result = cli("import", "https://github.com/pallets/flask", "--wait", "--json")

    assert result.code == 0, result.stderr
    job = result.json
    assert_job_shape(job)
    assert (job["status"], job["stage"], job["progress"]) == ("SUCCESS", "done", 100)
    assert job["error"] is None
    assert job["repo"] == "pallets/flask" and job["profile"] == "default"
    assert isinstance(job["project_id"], int)
    assert job["started_at"] and job["finished_at"]
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]


def test_an_ai_asked_for_without_a_key_is_said_once(cli, cli_env):
    """The preload, the refresh's writer check and the job each choose the analyzer: the
    user reads the missing key once, not once per choice."""
    env = {k: v for k, v in cli_env.items() if k != "OPENAI_API_KEY"}
    result = cli("import", "pallets/flask", "--wait", env={**env, "REPOFOLIO_ANALYZER": "openai"})

    assert result.code == 0, result.stderr
    assert result.stderr.count("no OPENAI_API_KEY") == 1, result.stderr


@pytest.mark.both_backends
def test_duplicate_in_another_url_form_is_refused_without_requests(cli, runtime, fake_github):
    first = seed(runtime, "https://github.com/pallets/flask")
    fake_github.reset()

    result = cli("import", "git@github.com:Pallets/Flask.git", "--wait", "--json")

    assert result.code == 3
    data = result.json
    assert set(data) == {"error", "project"}
    assert_error(data, "DUPLICATE_IMPORT")
    assert set(data["project"]) == PROJECT_KEYS
    assert data["project"]["id"] == first.project_id
    assert fake_github.request_count == 0


def test_invalid_url_exits_2_and_writes_nothing(cli, runtime, fake_github):
    result = cli("import", "https://gitlab.com/pallets/flask", "--json")

    assert result.code == 2
    assert set(result.json) == {"error"}
    assert_error(result.json, "INVALID_URL")
    assert Job.select().count() == 0
    assert runtime.queue.huey.pending_count() == 0
    assert fake_github.request_count == 0


@pytest.mark.both_backends
def test_same_repository_in_flight_exits_4_another_one_is_queued_behind_it(cli, runtime):
    queued = runtime.importer.submit("psf/requests")

    busy = cli("import", "https://github.com/PSF/requests", "--json")
    behind = cli("import", "encode/httpx", "--json")

    assert busy.code == 4
    assert set(busy.json) == {"error"}
    assert_error(busy.json, "IMPORT_IN_PROGRESS")
    assert queued.repo in busy.json["error"]["message"]
    assert f"job {queued.id}" in busy.json["error"]["message"]
    assert behind.code == 0, behind.stderr
    assert_job_shape(behind.json)
    assert (behind.json["status"], behind.json["kind"]) == (PENDING, "import")
    assert behind.json["message"] == "Waiting for 1 import of this profile to finish"


@pytest.mark.both_backends
def test_failed_import_exits_5_and_the_job_carries_the_error(cli, runtime):
    result = cli("import", "nobody/missing", "--wait", "--json")

    assert result.code == 5
    assert_failed_job(result.json, "REPO_NOT_FOUND")
    assert result.json["project_id"] is None
    assert Project.select().count() == 0


def test_renamed_duplicate_found_after_the_first_request_exits_3(cli, runtime, fake_github):
    first = seed(runtime, "pallets/flask")
    fake_github.rename("pallets/flask", "pallets/flask-renamed")

    result = cli("import", "https://github.com/pallets/flask-renamed", "--wait", "--json")

    assert result.code == 3
    assert_failed_job(result.json, "DUPLICATE_IMPORT")
    assert result.json["project_id"] == first.project_id
    assert Project.select().count() == 1


@pytest.mark.both_backends
def test_import_without_wait_is_queued_and_a_worker_completes_it(cli, cli_env, fake_github):
    fake_github.latency = 0.2  # long enough for `status` to catch the import on its way
    queued = cli("import", "psf/requests", "--json")
    assert queued.code == 0
    job = queued.json
    assert (job["status"], job["stage"]) == (PENDING, "queued")
    assert "No worker is running" in queued.stderr
    before = cli("status", str(job["id"]), "--json")
    assert (before.json["status"], before.json["stage"]) == (PENDING, "queued")

    seen: list[dict] = []
    with spawned(cli_env, "worker", "--workers", "2", stdout=subprocess.PIPE,
                 stderr=subprocess.PIPE, text=True) as worker:
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                seen.append(cli("status", str(job["id"]), "--json").json)
                if seen[-1]["status"] in ("SUCCESS", "FAILURE", "CANCELLED"):
                    break
                time.sleep(0.2)
        finally:
            worker.send_signal(signal.SIGINT)
            _, worker_stderr = worker.communicate(timeout=20)
    assert seen and seen[-1]["status"] == "SUCCESS", seen
    assert all(s["stage"] in STAGES for s in seen)
    assert (seen[-1]["stage"], seen[-1]["progress"]) == ("done", 100)
    assert worker.returncode == 0
    assert "Traceback" not in worker_stderr


@pytest.mark.both_backends
def test_import_wait_takes_over_when_the_worker_it_relied_on_stops(cli_env, fake_github,
                                                                    runtime):
    from core.recovery import live_consumers
    readme = fake_github.hold(r"/readme$")  # the worker's import stays in flight until it stops
    with spawned(cli_env, "worker", "--json", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                 text=True) as worker:
        deadline = time.monotonic() + 20
        while not live_consumers(stale_after=30) and time.monotonic() < deadline:
            time.sleep(0.05)
        with spawned(cli_env, "import", "pallets/flask", "--wait", "--json",
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as waiting:
            readme.wait_until_held()  # the worker is running the import
            worker.send_signal(signal.SIGTERM)
            worker_out = first_line(worker)  # it stopped (and gave the attempt back)
            # Let the held request go: the worker's process exits once it is answered, and
            # the waiting import, now running the job itself, needs it too.
            readme.release()
            more_out, worker_err = worker.communicate(timeout=30)
            worker_out += more_out
            stdout, stderr = waiting.communicate(timeout=60)

    assert "Traceback" not in worker_err + stderr
    assert Result(worker.returncode, worker_out, worker_err).json["worker"]["stopped"] is True
    assert waiting.returncode == 0, stderr
    job = Result(waiting.returncode, stdout, stderr).json
    assert job["status"] == "SUCCESS" and Project.select().count() == 1


def test_ctrl_c_during_import_wait_prints_the_requeued_job(cli_env, fake_github):
    readme = fake_github.hold(r"/readme$")
    with spawned(cli_env, "import", "pallets/flask", "--wait", "--json",
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        readme.wait_until_held()  # the job is running, with a request out
        proc.send_signal(signal.SIGINT)
        stdout = first_line(proc)  # the answer; the process exits once the request ends
        readme.release()
        more_out, stderr = proc.communicate(timeout=30)
        stdout += more_out

    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 1
    job = Result(proc.returncode, stdout, stderr).json
    assert_job_shape(job)
    assert (job["status"], job["stage"], job["attempts"]) == (PENDING, "queued", 0)
    assert f"job {job['id']} is PENDING; it continues" in stderr


@pytest.mark.both_backends
def test_jobs_json_lists_jobs(cli, runtime):
    done = seed(runtime, "pallets/flask")

    result = cli("jobs", "--json")

    assert result.code == 0
    assert set(result.json) == {"jobs"}
    (job,) = result.json["jobs"]
    assert_job_shape(job)
    assert (job["id"], job["status"]) == (done.id, "SUCCESS")


def test_jobs_without_all_keeps_an_old_active_job(cli, runtime):
    old = runtime.importer.submit("psf/requests")
    profile = old.profile
    for n in range(60):  # newer, ended jobs
        Job.create(profile=profile, url=f"https://github.com/o/r{n}", repo=f"o/r{n}",
                   key=f"o/r{n}", status=FAILURE)

    recent = cli("jobs", "--json").json["jobs"]
    every = cli("jobs", "--all", "--json").json["jobs"]

    assert old.id in {j["id"] for j in recent}
    assert len(recent) == 51 and len(every) == 61


@pytest.mark.both_backends
def test_cancel_of_a_queued_job_lets_the_next_one_move_up(cli, runtime):
    queued = runtime.queue.submit("psf/requests")
    behind = runtime.queue.submit("encode/httpx")
    assert Job.get_by_id(behind.id).message.startswith("Waiting for 1 import")

    cancelled = cli("cancel", str(queued.id), "--json")
    moved_up = cli("status", str(behind.id), "--json")

    assert cancelled.code == 0
    assert cancelled.json["status"] == "CANCELLED"
    assert moved_up.json["status"] == PENDING and moved_up.json["message"] == "Queued"
    task_id = Job.get_by_id(behind.id).task_id  # woken: its task is in the queue
    assert task_id in {task.id for task in runtime.queue.huey.pending()}


@pytest.mark.both_backends
def test_retry_of_a_failed_job_queues_it_again(cli, runtime):
    failed = seed(runtime, "nobody/missing")
    assert failed.status == FAILURE

    result = cli("retry", str(failed.id), "--json")

    assert result.code == 0
    job = result.json
    assert (job["id"], job["status"], job["stage"], job["error"]) == (failed.id, PENDING,
                                                                      "queued", None)
    task_id = Job.get_by_id(failed.id).task_id
    assert task_id in {task.id for task in runtime.queue.huey.pending()}


def test_retry_of_a_successful_job_is_invalid_input(cli, runtime):
    done = seed(runtime, "gorilla/mux")

    result = cli("retry", str(done.id), "--json")

    assert result.code == 2
    assert result.json["error"]["code"] == "INVALID_INPUT"


def test_refresh_wait_rewrites_the_project_in_place(cli, runtime, fake_github):
    done = seed(runtime, "gorilla/mux")
    fake_github.reset()

    result = cli("refresh", str(done.project_id), "--wait", "--json")

    assert result.code == 0, result.stderr
    job = result.json
    assert job["status"] == "SUCCESS" and job["project_id"] == done.project_id
    assert Project.select().count() == 1
    assert any(r.status == 304 for r in fake_github.requests)  # conditional requests


# -- projects --------------------------------------------------------------------------------


def test_show_by_id_and_by_slug_prints_the_project_with_its_readme(cli, runtime):
    done = seed(runtime, "pallets/flask")

    by_id = cli("show", str(done.project_id), "--json")
    by_slug = cli("show", "pallets-flask", "--json")

    assert by_id.code == 0 and by_slug.code == 0
    project = by_id.json
    assert set(project) == PROJECT_KEYS | {"readme", "readme_truncated"}
    assert project == by_slug.json
    assert project["url"] == "https://github.com/pallets/flask"
    assert "Flask" in project["readme"] and project["readme_truncated"] is False
    assert ISO_MS.match(project["imported_at"]) and ISO_MS.match(project["updated_at"])


@pytest.mark.both_backends
def test_list_json_has_no_readme_and_search_filters(cli, runtime):
    seed(runtime, "pallets/flask")
    seed(runtime, "psf/requests")

    everything = cli("list", "--json")
    found = cli("list", "--search", "flask", "--json")

    assert everything.code == 0 and found.code == 0
    assert set(everything.json) == {"projects"}
    assert all(set(p) == PROJECT_KEYS for p in everything.json["projects"])
    assert {p["full_name"] for p in everything.json["projects"]} == {"pallets/flask",
                                                                     "psf/requests"}
    assert [p["full_name"] for p in found.json["projects"]] == ["pallets/flask"]


@pytest.mark.both_backends
def test_delete_removes_the_project(cli, runtime):
    done = seed(runtime, "pallets/flask")

    result = cli("delete", str(done.project_id), "--json")

    assert result.code == 0
    assert result.json["deleted"]["id"] == done.project_id
    assert Project.get_or_none(Project.id == done.project_id) is None


def test_show_of_a_missing_project_exits_1_with_not_found(cli):
    result = cli("show", "999", "--json")

    assert result.code == 1
    assert set(result.json) == {"error"}
    assert_error(result.json, "NOT_FOUND")


# -- robustness ------------------------------------------------------------------------------


def test_usage_error_with_json_still_prints_one_error_object(cli):
    result = cli("import", "--json")  # the URL is missing

    assert result.code == 2
    assert_error(result.json, "INVALID_INPUT")


def test_unreadable_catalog_is_an_error_object_not_a_traceback(cli, home):
    home.mkdir(parents=True)
    garbage = b"this is not a SQLite database, " * 20
    (home / "repofolio.db").write_bytes(garbage)

    result = cli("list", "--json")

    assert result.code == 1
    assert_error(result.json, "STORAGE_DAMAGED")
    assert str(home / "repofolio.db") in result.json["error"]["message"]
    assert "move the file aside" in result.json["error"]["suggestion"]
    assert (home / "repofolio.db").read_bytes() == garbage  # never overwritten


def test_closed_stdout_ends_quietly(cli_env, runtime):
    done = seed(runtime, "pallets/flask")
    with spawned(cli_env, "show", str(done.project_id), "--json", stdout=subprocess.PIPE,
                 stderr=subprocess.PIPE, text=True) as proc:
        proc.stdout.close()  # like `repofolio show 1 --json | head -c 0`
        stderr = proc.stderr.read()
        proc.wait(timeout=30)

    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert proc.returncode == 1


def test_output_survives_a_stdout_that_is_not_utf8(cli, cli_env, runtime, fake_github):
    fake_github.readme_override["pallets/flask"] = "# Flask ★\n\nCafé, naïve, 日本語.\n".encode()
    done = seed(runtime, "pallets/flask")
    env = {**cli_env, "PYTHONIOENCODING": "ascii"}  # a Windows code page or LANG=C does this

    shown = cli("show", str(done.project_id), "--json", env=env)
    listed = cli("list", env=env)  # the text table has a "★" column

    assert shown.code == 0 and listed.code == 0, shown.stderr + listed.stderr
    assert shown.json["readme"].startswith("# Flask ★\n\nCafé, naïve, 日本語.")
    assert "pallets/flask" in listed.stdout


def test_a_cli_run_never_imports_qt(cli_env):
    code = ("import sys, main; main.main(['list', '--json']); "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=cli_env,
                          capture_output=True, text=True, timeout=60)

    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"projects": []}


@pytest.mark.both_backends
def test_the_github_token_never_reaches_a_file_in_the_data_folder(cli, cli_env, fake_github,
                                                                  home, stores):
    token = "ghp_" + secrets.token_hex(18)
    fake_github.tokens = {token: "me"}
    env = {**cli_env, "GITHUB_TOKEN": token}

    ok = cli("import", "pallets/flask", "--wait", "--json", env=env)
    failed = cli("import", "nobody/missing", "--wait", "--json", env=env)

    assert (ok.code, failed.code) == (0, 5)
    assert all(r.headers.get("authorization") == f"Bearer {token}"
               for r in fake_github.requests)  # the token was really used
    files = [p for p in home.rglob("*") if p.is_file()]
    stored_here = {"repofolio.log"} if stores else {"repofolio.db", "queue.db", "repofolio.log"}
    assert {p.name for p in files} >= stored_here
    if stores:  # team mode: nor a row of the catalog, nor a value in the queue
        held = stores.contents()
        assert b"pallets/flask" in held and token.encode() not in held
    assert any(p.parent.name == "cache" for p in files)
    leaks = [str(p) for p in files if token.encode() in p.read_bytes()]
    assert leaks == []
    assert token not in ok.stdout + ok.stderr + failed.stdout + failed.stderr


def test_an_openai_compatible_server_from_the_environment_writes_the_project(
        cli, cli_env, fake_openai, home):
    key = "sk-" + secrets.token_hex(16)
    env = {**cli_env, "REPOFOLIO_ANALYZER": "auto", "OPENAI_API_KEY": key,
           "OPENAI_BASE_URL": fake_openai.url, "REPOFOLIO_AI_MODEL": "local-model"}
    fake_openai.reply({"description": "A small <b>web</b> framework.", "summary": "Flask.",
                       "tags": ["Python", "web", "wsgi"], "category": "web framework",
                       "highlights": ["Simple"], "tech_stack": ["Python", "Werkzeug"]})

    done = cli("import", "pallets/flask", "--wait", "--json", env=env)
    shown = cli("show", str(done.json["project_id"]), "--json", env=env)

    assert done.code == 0, done.stderr
    project = shown.json
    assert project["analyzer"] == "openai:local-model"
    assert project["description"] == "A small web framework."  # markup stripped
    assert project["category"] == "Library / Framework"  # mapped onto the fixed list
    assert all(tag == tag.lower() for tag in project["tags"]) and len(project["tags"]) >= 3
    assert fake_openai.requests[0]["headers"]["authorization"] == f"Bearer {key}"
    assert "pallets/flask" in json.dumps(fake_openai.requests[0]["body"]["messages"])
    leaks = [str(p) for p in home.rglob("*") if p.is_file() and key.encode() in p.read_bytes()]
    assert leaks == [] and key not in done.stdout + done.stderr
