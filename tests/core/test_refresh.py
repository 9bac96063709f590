"""Refreshing costs what changed: requests, rate-limit units and AI calls counted at the
fake GitHub and the fake AI server (real loopback servers, a real catalog)."""

from __future__ import annotations

import shutil

import pytest

from core.models import SUCCESS, Project
from tasks.runtime import Runtime
from tests.lifecycle import run_to_end

REPO = "octo/widget"
FILES = {
    "README.md": "# Widget\n\nA small widget library for dashboards.\n",
    "pyproject.toml": '[project]\nname = "widget"\ndependencies = ["flask>=3"]\n',
    "widget/__init__.py": "VERSION = 1\n",
}


@pytest.fixture
def ai_runtime(settings, fake_github, fake_openai):
    fake_github.rate_limit = fake_github.rate_remaining = 10_000
    runtime = Runtime(settings.with_(analyzer="openai", openai_api_key="k",
                                     openai_base_url=fake_openai.url))
    yield runtime
    runtime.close()


def publish(fake_github, *, files=None, **changes):
    """Serve (or serve anew) the repository, with its files and repository fields."""
    fields = dict(description="Widgets for dashboards", topics=("widgets",),
                  languages={"Python": 4000}, license="MIT", stargazers_count=10)
    fields.update(changes)
    fake_github.add_repo(REPO, id=4242, files=files or FILES, **fields)


class Counted:
    """What one refresh cost, counted at the servers."""

    def __init__(self, runtime, fake_github, fake_openai, project_id):
        fake_github.reset()
        units, ai_calls = fake_github.rate_remaining, fake_openai.request_count
        self.job = run_to_end(runtime.importer, runtime.importer.submit_refresh(project_id).id)
        self.requests = [(r.path, r.status) for r in fake_github.requests]
        self.units = units - fake_github.rate_remaining
        self.ai_calls = fake_openai.request_count - ai_calls
        self.project = Project.get_by_id(project_id)


@pytest.fixture
def imported(ai_runtime, fake_github, fake_openai):
    publish(fake_github)
    job = run_to_end(ai_runtime.importer, ai_runtime.importer.submit(REPO).id)
    assert job.status == SUCCESS and fake_openai.request_count == 1
    return Project.get_by_id(job.project_id)


def refresh(ai_runtime, fake_github, fake_openai, project) -> Counted:
    return Counted(ai_runtime, fake_github, fake_openai, project.id)


def test_an_unchanged_repository_costs_two_free_requests_and_no_ai_call(
        ai_runtime, fake_github, fake_openai, imported):
    done = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert done.job.status == SUCCESS and done.job.message.startswith(f"Refreshed {REPO}.")
    assert done.requests == [(f"/repos/{REPO}", 304), (f"/repos/{REPO}/git/trees/main", 304)]
    assert done.units == 0 and done.ai_calls == 0
    kept = done.project
    assert (kept.summary, kept.tags, kept.readme, kept.inputs_hash, kept.analyzer) == (
        imported.summary, imported.tags, imported.readme, imported.inputs_hash, imported.analyzer)
    assert kept.updated_at > imported.updated_at


def test_new_stars_are_taken_without_reading_the_files_again(
        ai_runtime, fake_github, fake_openai, imported):
    publish(fake_github, stargazers_count=99, forks_count=7)
    done = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert done.requests == [(f"/repos/{REPO}", 200), (f"/repos/{REPO}/git/trees/main", 304)]
    assert done.units == 1 and done.ai_calls == 0
    assert (done.project.stars, done.project.forks) == (99, 7)
    assert done.project.summary == imported.summary


def test_a_changed_readme_is_analysed_again(ai_runtime, fake_github, fake_openai, imported):
    publish(fake_github, files={**FILES, "README.md": "# Widget\n\nNow with charts.\n"})
    done = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert done.ai_calls == 1 and "Now with charts." in done.project.readme
    assert done.project.inputs_hash != imported.inputs_hash
    assert done.units <= 3  # the tree and the README; the rest came back unchanged (304)


def test_a_changed_description_is_analysed_again(ai_runtime, fake_github, fake_openai, imported):
    publish(fake_github, description="Widgets and gauges for dashboards")
    done = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert done.ai_calls == 1 and done.project.inputs_hash != imported.inputs_hash


def test_a_change_the_analysis_does_not_read_keeps_it(ai_runtime, fake_github, fake_openai,
                                                      imported):
    publish(fake_github, files={**FILES, "widget/__init__.py": "VERSION = 2  # changed\n"})
    done = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert (f"/repos/{REPO}/git/trees/main", 200) in done.requests  # the tree did change
    assert done.ai_calls == 0 and done.project.inputs_hash == imported.inputs_hash
    assert done.job.message == f"Refreshed {REPO}."


def test_without_the_http_cache_the_files_are_read_but_not_analysed_again(
        ai_runtime, fake_github, fake_openai, imported):
    shutil.rmtree(ai_runtime.settings.cache_dir)  # the ETags are gone: every answer is a 200
    ai_runtime.importer.close()  # the open cache goes with its file
    done = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert done.job.status == SUCCESS and done.ai_calls == 0
    assert done.project.inputs_hash == imported.inputs_hash


def test_a_project_imported_before_digests_is_analysed_once_more(
        ai_runtime, fake_github, fake_openai, imported):
    Project.update(inputs_hash=None).where(Project.id == imported.id).execute()
    first = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert first.ai_calls == 1 and first.project.inputs_hash == imported.inputs_hash
    second = refresh(ai_runtime, fake_github, fake_openai, imported)
    assert second.ai_calls == 0 and len(second.requests) == 2


def test_an_ai_configured_since_rewrites_the_offline_text(settings, fake_github, fake_openai):
    fake_github.rate_limit = fake_github.rate_remaining = 10_000
    publish(fake_github)
    offline = Runtime(settings)
    try:
        job = run_to_end(offline.importer, offline.importer.submit(REPO).id)
        project = Project.get_by_id(job.project_id)
    finally:
        offline.close()
    assert project.analyzer == "heuristic"
    with_ai = Runtime(settings.with_(analyzer="openai", openai_api_key="k",
                                     openai_base_url=fake_openai.url))
    try:
        done = Counted(with_ai, fake_github, fake_openai, project.id)
        again = Counted(with_ai, fake_github, fake_openai, project.id)
    finally:
        with_ai.close()
    assert done.ai_calls == 1 and done.project.analyzer == "openai:gpt-4o-mini"
    assert again.ai_calls == 0 and again.units == 0

