"""Shared fixtures: every test gets its own data folder; fake servers come as plugins.

In CI (``REPOFOLIO_CI_STRICT_SKIPS=1``, set by .ci/run) a skip counts as a failure
unless it is on the short ``CI_ALLOWED_SKIPS`` list below.

``settings`` points the app at a fresh temporary data folder and at the
``fake_github`` loopback server, with the offline analyzer and short timings;
``runtime`` opens that folder (catalog + queue) and closes it afterwards;
``make_project`` inserts catalog rows directly, for tests where the import itself
is not under test; ``app_logging`` starts the app's own logging into the test's
folder and removes it afterwards. For tests marked ``both_backends`` the catalog
and queue are also PostgreSQL and Redis (:mod:`tests.backends`).
"""

from __future__ import annotations

import itertools
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest_plugins = ["tests.fakes.github_server", "tests.fakes.openai_server", "tests.backends"]

# Variables that would leak the developer's own configuration into tests.
_APP_ENV = ("REPOFOLIO_HOME", "REPOFOLIO_GITHUB_API", "GITHUB_TOKEN", "REPOFOLIO_ANALYZER",
            "OPENAI_API_KEY", "OPENAI_BASE_URL", "REPOFOLIO_AI_MODEL", "REPOFOLIO_WORKERS",
            "REPOFOLIO_DATABASE_URL", "REPOFOLIO_QUEUE_URL", "REPOFOLIO_PROFILE_CONCURRENCY")


# In CI a skipped test is a promise nobody checked. .ci/run sets REPOFOLIO_CI_STRICT_SKIPS=1,
# which turns every skip into a failure, except those listed here with the reason why
# CI may skip them (a node id, or a prefix ending in "*"). Keep this list short;
# install what a test needs instead.
CI_ALLOWED_SKIPS: dict[str, str] = {
    "tests/publish/test_output.py::test_a_read_only_parent_is_a_write_failure":
        "CI runs as root, for whom no folder is read-only",
    "tests/cli/test_cli_faults.py::test_a_full_disk_is_explained_with_the_file_and_no_logging_traceback":
        "a container may forbid mounting the small tmpfs; /dev/full tests the same path anywhere",
    "tests/cli/test_cli_faults.py::test_a_read_only_data_folder_is_explained":
        "a container may refuse root the capability drop this needs",
    "tests/core/test_stack_labels.py::test_no_wrong_claims_and_no_filler[ecosystems-*":
        "the ecosystem corpus is kept beside the project, not in it (../shared)",
    "tests/core/test_stack_labels.py::test_recall_of_expected_technologies[ecosystems]":
        "the ecosystem corpus is kept beside the project, not in it (../shared)",
}


def _skip_allowed_in_ci(nodeid: str) -> bool:
    return any(nodeid == key or (key.endswith("*") and nodeid.startswith(key[:-1]))
               for key in CI_ALLOWED_SKIPS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and not hasattr(report, "wasxfail")
            and os.environ.get("REPOFOLIO_CI_STRICT_SKIPS") == "1"
            and not _skip_allowed_in_ci(item.nodeid)):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (f"skipped in CI ({reason}): CI runs every test. Make .ci/run install "
                           f"what it needs, or allow the skip in CI_ALLOWED_SKIPS "
                           f"(tests/conftest.py) with the reason.")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    for name in _APP_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REPOFOLIO_HOME", str(tmp_path / "home"))


@pytest.fixture(autouse=True)
def _no_real_keyring():
    """Tests never read or write the developer's keyring; a test may install its own."""
    import keyring
    from keyring.backends import null
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def settings(tmp_path, fake_github, stores):
    from core.settings import Settings
    return Settings(
        home=tmp_path / "home", github_api=fake_github.url, analyzer="heuristic",
        database_url=stores.database_url if stores else None,
        queue_url=stores.queue_url if stores else None,
        workers=2, request_timeout=5.0, ai_timeout=5.0, ai_max_retries=0,
        heartbeat_interval=0.5, stale_after=3.0, retry_base_delay=0.2, retry_max_delay=1.0,
        rate_limit_max_wait=5.0, import_deadline=60.0)


@pytest.fixture
def runtime(settings):
    from tasks.runtime import Runtime
    rt = Runtime(settings)
    yield rt
    rt.close()


_project_ids = itertools.count(1)


@pytest.fixture
def make_project(runtime):
    """Insert a project row: ``make_project("owner/name", stars=5, category=...)``."""
    from core.db import DEFAULT_PROFILE
    from core.models import Profile, Project

    def make(full_name: str, **fields) -> Project:
        n = next(_project_ids)
        owner = Profile.get(Profile.name == fields.pop("profile", DEFAULT_PROFILE))
        values = dict(
            profile=owner, slug=full_name.lower().replace("/", "-") + f"-{n}",
            key=full_name.lower(), github_id=100_000 + n, full_name=full_name,
            title=full_name.split("/", 1)[1], url=f"https://github.com/{full_name}",
            description=f"The {full_name} project.", category="Library / Framework",
            tags=["python"], languages={"Python": 1000})
        values.update(fields)
        return Project.create(**values)

    return make


@pytest.fixture
def app_logging(tmp_path):
    """``start(redactions)`` sets up the app's logging (core.logs) into tmp and returns
    the log file; the handlers it (or a command run in-process) installed go afterwards."""
    import logging

    from core.logs import setup_logging

    yield lambda redactions: setup_logging(tmp_path / "app-logs", redactions)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_repofolio", False):
            root.removeHandler(handler)
            handler.close()
