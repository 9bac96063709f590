"""Which catalog and queue a test runs on: SQLite files, or PostgreSQL + Redis (team mode).

Every test runs on SQLite. A test (or module, with ``pytestmark``) marked
``both_backends`` runs a second time, as ``[team]``, on the real servers of
:mod:`tests.services`, with a database and a Redis database of its own; the
``settings`` fixture points the app at them (``stores`` gives their URLs, for
subprocesses); ``team_only`` runs a test on the servers alone. ``--backends=sqlite``
or ``--backends=team`` runs one side only.
"""

from __future__ import annotations

import os

import pytest

from tests.services import ServiceUnavailable, TeamServices, TeamStores

SQLITE, TEAM = "sqlite", "team"


def pytest_addoption(parser):
    parser.addoption("--backends", default="both", choices=("both", SQLITE, TEAM),
                     help="where tests marked both_backends run (default: both)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "both_backends: run on SQLite and again on PostgreSQL + Redis (team mode)")
    config.addinivalue_line("markers", "team_only: run on PostgreSQL + Redis only")


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    choice = metafunc.config.getoption("--backends")
    if metafunc.definition.get_closest_marker("team_only") is not None:
        names = [TEAM]  # deselected below under --backends=sqlite
    elif metafunc.definition.get_closest_marker("both_backends") is not None:
        names = [SQLITE, TEAM] if choice == "both" else [choice]
    else:
        return  # SQLite only: the fixture's default, and the test keeps its plain name
    metafunc.parametrize("backend", names, indirect=True)


def pytest_collection_modifyitems(config, items):
    if config.getoption("--backends") != SQLITE:
        return
    dropped = [item for item in items if item.get_closest_marker("team_only")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker("team_only")]


def store_environment(settings) -> dict[str, str]:
    """The variables that point a subprocess at the catalog and queue of ``settings``
    (none on SQLite: there REPOFOLIO_HOME says it)."""
    env = {}
    if settings.database_url:
        env["REPOFOLIO_DATABASE_URL"] = settings.database_url
    if settings.queue_url:
        env["REPOFOLIO_QUEUE_URL"] = settings.queue_url
    return env


# A keyring that holds nothing: a child finding no GITHUB_TOKEN would otherwise read the
# developer's real keyring and send a real token to the fake GitHub.
NULL_KEYRING = "keyring.backends.null.Keyring"


def child_environment(**variables: str) -> dict[str, str]:
    """The environment of a child ``main.py``: this one without its GITHUB_ and OPENAI_
    variables, with the null keyring, plus ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "OPENAI_"))}
    env.update(PYTHON_KEYRING_BACKEND=NULL_KEYRING, **variables)
    return env


def app_environment(settings, fake_github, **extra: str) -> dict[str, str]:
    """:func:`child_environment` for a child on the catalog and queue of ``settings``, in
    its data folder, asking ``fake_github``, with the offline analyzer; ``extra`` is added
    last (it may replace any of these)."""
    env = child_environment(**store_environment(settings))
    env.update(REPOFOLIO_HOME=str(settings.home), REPOFOLIO_GITHUB_API=fake_github.url,
               REPOFOLIO_ANALYZER="heuristic")
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def team_services():
    """PostgreSQL and Redis, started at the first team-mode test and stopped at the end.

    Without them the team-mode tests skip (in CI a skip fails: REPOFOLIO_CI_STRICT_SKIPS)."""
    try:
        services = TeamServices().start()
    except (ServiceUnavailable, OSError) as error:
        pytest.skip(f"team-mode services unavailable: {error}")
    yield services
    services.stop()


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", SQLITE)


@pytest.fixture
def stores(backend, request) -> TeamStores | None:
    """This test's PostgreSQL database and Redis database (None on SQLite)."""
    if backend != TEAM:
        yield None
        return
    allocated = request.getfixturevalue("team_services").allocate()
    yield allocated
    allocated.release()
