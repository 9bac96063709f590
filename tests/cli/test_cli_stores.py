"""The command line with REPOFOLIO_DATABASE_URL / REPOFOLIO_QUEUE_URL that cannot be used:
an error object with a code, never a traceback, and never the password."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends import child_environment
from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Team-Pass-31337"


def run_cli(home: Path, *args: str, **env: str) -> tuple[int, dict, str]:
    environ = child_environment(REPOFOLIO_HOME=str(home), **env)
    proc = subprocess.run([sys.executable, "main.py", *args, "--json"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def assert_no_password_anywhere(home: Path, *texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text
    for path in home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("name, value", [
    ("REPOFOLIO_DATABASE_URL", f"mysql://team:{PASSWORD}@db/portfolio"),
    ("REPOFOLIO_QUEUE_URL", f"redis://:{PASSWORD}@cache:6379/zero"),
])
def test_a_bad_store_url_exits_2_naming_the_variable(tmp_path, name, value):
    code, data, stderr = run_cli(tmp_path / "home", "list", **{name: value})
    assert code == 2 and data["error"]["code"] == "INVALID_INPUT"
    assert name in data["error"]["message"]
    assert_no_password_anywhere(tmp_path / "home", json.dumps(data), stderr)


def test_a_catalog_server_that_does_not_answer_exits_1_with_storage_unreachable(tmp_path):
    url = f"postgresql://team:{PASSWORD}@127.0.0.1:{free_port()}/portfolio"
    code, data, stderr = run_cli(tmp_path / "home", "jobs", REPOFOLIO_DATABASE_URL=url)
    assert code == 1 and data["error"]["code"] == "STORAGE_UNREACHABLE"
    assert "postgresql://team:***@127.0.0.1" in data["error"]["message"]
    assert_no_password_anywhere(tmp_path / "home", json.dumps(data), stderr)


def test_a_queue_server_that_does_not_answer_exits_1_with_storage_unreachable(tmp_path):
    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    code, data, stderr = run_cli(tmp_path / "home", "import", "pallets/flask",
                                 REPOFOLIO_QUEUE_URL=url)
    assert code == 1 and data["error"]["code"] == "STORAGE_UNREACHABLE"
    assert "the queue at redis://:***@127.0.0.1" in data["error"]["message"]
    assert "REPOFOLIO_QUEUE_URL" in data["error"]["suggestion"]
    assert_no_password_anywhere(tmp_path / "home", json.dumps(data), stderr)
