"""The command line when the disk, the data folder or a configured URL is the problem.

A full disk (a 1 MB tmpfs, where this machine lets us mount one), a read-only data
folder and a damaged queue each end with an error code naming the file and what to do
— no traceback, no "--- Logging error ---" — and the file is left as it was. A URL's
``user:password@`` reaches no output, log line or file of the data folder.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core.errors import NetworkError
from core.github.client import GitHubClient
from tests.cli.test_cli import ROOT, Result, assert_error, cli, cli_env, home  # noqa: F401

CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24


def run_cli(env: dict[str, str], *args: str, preexec_fn=None) -> Result:
    proc = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, preexec_fn=preexec_fn)
    assert "Traceback" not in proc.stderr and "Logging error" not in proc.stderr, proc.stderr
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs, or a skip saying why there is none (needs root and mount rights)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root (CI without it skips this test)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this machine does not let us mount a tmpfs: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as filler:  # unbuffered: close cannot fail
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass


def test_a_full_disk_is_explained_with_the_file_and_no_logging_traceback(cli_env, small_disk):
    env = {**cli_env, "REPOFOLIO_HOME": str(small_disk / "home")}
    assert run_cli(env, "list", "--json").code == 0  # the data folder exists, then the disk fills
    fill(small_disk)

    result = run_cli(env, "import", "pallets/flask", "--json")

    assert result.code == 1
    assert_error(result.json, "DISK_FULL")
    assert str(small_disk / "home") in result.json["error"]["message"]
    assert "Free some space" in result.json["error"]["suggestion"]
    text = run_cli(env, "import", "pallets/flask")  # the same, for a person
    assert "error [DISK_FULL]" in text.stderr and text.stderr.count("DISK_FULL") == 1


def _without_root_bypass():
    """In the child: drop the capabilities that let root write where the mode says no."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_read_only_data_folder_is_explained(cli, cli_env, home):
    assert cli("list", "--json").code == 0
    modes = {}
    for path in [home, *home.rglob("*")]:
        modes[path] = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
    preexec = _without_root_bypass if os.geteuid() == 0 else None
    try:
        result = run_cli(cli_env, "import", "pallets/flask", "--json", preexec_fn=preexec)
    except subprocess.SubprocessError as exc:  # prctl refused in this container
        pytest.skip(f"cannot drop root's permission bypass here: {exc}")
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert result.code == 1
    assert_error(result.json, "STORAGE_READ_ONLY")
    assert str(home) in result.json["error"]["message"]
    assert "REPOFOLIO_HOME" in result.json["error"]["suggestion"]


def test_a_damaged_queue_is_named_and_left_in_place(cli, home):
    assert cli("list", "--json").code == 0
    garbage = b"definitely not SQLite " * 50
    (home / "queue.db").write_bytes(garbage)
    for extra in ("queue.db-wal", "queue.db-shm"):
        (home / extra).unlink(missing_ok=True)

    result = cli("import", "pallets/flask", "--json")

    assert result.code == 1
    assert_error(result.json, "STORAGE_DAMAGED")
    assert str(home / "queue.db") in result.json["error"]["message"]
    assert "queues the waiting imports again" in result.json["error"]["suggestion"]
    assert (home / "queue.db").read_bytes() == garbage


def _files_hold(folder: Path, secret: bytes) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and secret in p.read_bytes()]


def test_credentials_in_the_github_url_reach_no_output_log_or_file(cli, cli_env, home,
                                                                  fake_github):
    secret = f"pw{uuid.uuid4().hex[:12]}"
    api = fake_github.url.replace("http://", f"http://user:{secret}@")
    env = {**cli_env, "REPOFOLIO_GITHUB_API": api}
    done = cli("import", "pallets/flask", "--wait", "--json", env=env)
    assert done.code == 0 and (home / "cache" / "http.sqlite3").exists()

    assert secret not in done.stdout and secret not in done.stderr
    assert _files_hold(home, secret.encode()) == []

    with GitHubClient(api.rsplit(":", 1)[0] + ":9") as client:  # nothing listens on port 9
        with pytest.raises(NetworkError) as caught:
            client.get_repository("psf", "requests")
    assert "127.0.0.1:9" in caught.value.message and secret not in caught.value.message


def test_the_ai_sdks_request_log_stays_out_of_ours(cli, cli_env, home, fake_openai):
    secret = f"pw{uuid.uuid4().hex[:12]}"
    env = {**cli_env, "REPOFOLIO_ANALYZER": "openai", "OPENAI_API_KEY": "sk-test",
           "OPENAI_BASE_URL": fake_openai.url.replace("http://", f"http://me:{secret}@"),
           "OPENAI_LOG": "debug"}  # the SDK's own switch for logging every request

    done = cli("import", "pallets/flask", "--wait", "--json", env=env)

    assert done.code == 0
    log = (home / "logs" / "repofolio.log").read_text()
    assert "/chat/completions" not in log and "README_START" not in log
    assert secret not in done.stdout + done.stderr + log
    assert _files_hold(home, secret.encode()) == []
