"""GitHubClient against the fake GitHub server (tests/fakes/github_server.py): no mocks."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from contextlib import closing

import pytest
from hypothesis import given, strategies as st

from core.errors import AuthFailed, GitHubError, NetworkError, RateLimited, RepoNotFound
from core.github.client import GitHubClient
from core.github.connections import ACCEPT_JSON
from core.github.etag_cache import EtagCache
from core.github.http import utf8_prefix
from core.github.manifests import manifest_paths, readme_path
from core.github.rate_limiter import MAX_CONCURRENT, RESET_MARGIN, RateLimiter
from core.github.snapshot import TreeEntry
from tests.fakes import corpus
from tests.fakes.github_server import FakeGitHub

TOKEN = "ghp_S3cretTokenValue0123456789abcdef"

FLASK_MANIFESTS = {
    "pyproject.toml", ".github/workflows/lock.yaml", ".github/workflows/pre-commit.yaml",
    ".github/workflows/publish.yaml", ".github/workflows/tests.yaml",
    ".github/workflows/zizmor.yaml",
}


@pytest.fixture
def client(fake_github):
    with GitHubClient(fake_github.url) as c:
        yield c


def _blobs(*paths: str) -> list[TreeEntry]:
    return [TreeEntry(p, "blob", 1) for p in paths]


# -- snapshots of real repositories -----------------------------------------------------

@pytest.mark.parametrize("folder", corpus.names())
def test_snapshot_matches_the_corpus(fake_github, client, folder):
    c = corpus.load(folder)
    owner, name = c.full_name.split("/")
    snap = client.fetch_repository(owner.lower(), name.upper())

    assert snap.full_name == c.full_name  # canonical case from the API
    assert snap.github_id == c.repo["id"]
    assert snap.languages == c.repo["languages"]
    assert snap.topics == c.repo["topics"]
    assert snap.license == c.repo["license"]
    assert snap.primary_language == c.repo["language"]
    assert snap.default_branch == c.repo["default_branch"]
    assert snap.readme_path == c.readme_path()
    assert snap.readme == c.files[c.readme_path()].decode("utf-8")
    assert not snap.readme_truncated and not snap.tree_truncated
    assert [e.path for e in snap.tree] == [e["path"] for e in c.tree]
    assert snap.manifests  # every corpus repo has some
    for path, text in snap.manifests.items():
        assert text == c.files[path].decode("utf-8")
    # Later requests use the canonical name, not what was typed.
    later = [r.path for r in fake_github.requests][1:]
    assert later and all(p.startswith(f"/repos/{c.full_name}/") for p in later)


def test_flask_manifests_include_workflows_and_skip_docs(client):
    snap = client.fetch_repository("pallets", "flask")
    assert set(snap.manifests) == FLASK_MANIFESTS  # docs/Makefile is not the project's
    assert "name:" in snap.manifests[".github/workflows/tests.yaml"]
    assert snap.license == "BSD-3-Clause"


def test_manifests_one_folder_down_skip_test_folders(client):
    snap = client.fetch_repository("google", "gson")
    poms = {p for p in snap.manifests if p.endswith("pom.xml")}
    assert poms == {"pom.xml", "extras/pom.xml", "gson/pom.xml", "metrics/pom.xml",
                    "proto/pom.xml"}


def test_manifest_missing_from_the_repository_is_skipped(fake_github, client):
    # huey's tree lists setup.py but the fake holds no content for it: 404 -> skipped.
    snap = client.fetch_repository("coleifer", "huey")
    assert fake_github.count("/contents/setup.py") == 1
    assert "setup.py" not in snap.manifests
    assert "pyproject.toml" in snap.manifests


def test_topics_fetched_only_when_the_repo_json_lacks_them(fake_github, client):
    repo = client.get_repository("pallets", "flask")
    client.fetch_snapshot(repo)
    assert fake_github.count("/topics") == 0
    del repo["topics"]
    snap = client.fetch_snapshot(repo)
    assert fake_github.count("/topics") == 1
    assert snap.topics == corpus.load("pallets__flask").repo["topics"]


def test_synthetic_repo_with_release_and_no_readme(fake_github, client):
    fake_github.add_repo("Acme/Tool", id=900, description="A tool.", license="NOASSERTION",
                         files={"go.mod": "module acme/tool\n", "vendor/x/go.mod": "no"},
                         latest_release="v1.2.0", homepage="https://acme.example")
    snap = client.fetch_repository("acme", "tool")
    assert (snap.full_name, snap.latest_release, snap.license) == ("Acme/Tool", "v1.2.0", None)
    assert snap.readme == "" and snap.readme_path is None
    assert snap.manifests == {"go.mod": "module acme/tool\n"}
    assert snap.homepage == "https://acme.example"


def test_empty_repository_has_no_tree(fake_github, client):
    fake_github.add_repo("acme/empty", id=901)
    fake_github.fail(r"/git/trees/", 409, body={"message": "Git Repository is empty."})
    snap = client.fetch_repository("acme", "empty")
    assert snap.tree == [] and snap.manifests == {} and snap.readme == ""
    assert fake_github.count("/readme") == 0 and fake_github.count("/languages") == 0


def test_requests_the_tree_or_the_repository_show_pointless_are_not_sent(fake_github, client):
    fake_github.add_repo("acme/notes", id=902, files={"docs/guide.md": "# Guide"})  # no README
    snap = client.fetch_repository("acme", "notes")  # its repository JSON: "language": null
    assert snap.readme == "" and snap.languages == {}
    first, *rest = [r.path.rsplit("/", 1)[-1] for r in fake_github.requests]
    assert (first, sorted(rest)) == ("notes", ["latest", "main"])  # repo, release, tree


@pytest.mark.parametrize("tree_answer", ["truncated", "branch gone"])
def test_a_tree_that_cannot_tell_still_lets_the_readme_be_asked_for(fake_github, client,
                                                                     tree_answer):
    fake_github.add_repo("acme/big", id=903, files={"README.md": "# Big", "a/b/c.txt": "x"},
                         languages={"C": 10})
    if tree_answer == "truncated":
        fake_github.truncate_trees, fake_github.truncated_tree_size = True, 1
    else:
        fake_github.fail(r"/git/trees/", 404)
    snap = client.fetch_repository("acme", "big")
    assert snap.readme == "# Big" and snap.languages == {"C": 10}


def test_enterprise_base_url_keeps_its_path_prefix():
    with FakeGitHub(prefix="/api/v3") as fake, GitHubClient(fake.url) as c:
        assert fake.url.endswith("/api/v3")
        assert c.fetch_repository("spf13", "cobra").full_name == "spf13/cobra"
        assert fake.request_count > 3


def test_headers_sent(fake_github):
    with GitHubClient(fake_github.url, TOKEN) as c:
        c.fetch_repository("gorilla", "mux")
    by_path = {r.path: r.headers for r in fake_github.requests}
    for headers in by_path.values():
        assert headers["authorization"] == f"Bearer {TOKEN}"
        assert headers["x-github-api-version"] == "2022-11-28"
        assert headers["user-agent"].startswith("repofolio/")
    assert by_path["/repos/gorilla/mux"]["accept"] == "application/vnd.github+json"
    assert by_path["/repos/gorilla/mux/readme"]["accept"] == "application/vnd.github.raw+json"
    assert by_path["/repos/gorilla/mux/contents/go.mod"]["accept"] == \
        "application/vnd.github.raw+json"
    tree = [r for r in fake_github.requests if "/git/trees/" in r.path][0]
    assert tree.path == "/repos/gorilla/mux/git/trees/main" and tree.query == {"recursive": "1"}


def test_anonymous_requests_carry_no_authorization(fake_github, client):
    client.fetch_repository("gorilla", "mux")
    assert all("authorization" not in r.headers for r in fake_github.requests)


# -- concurrency ------------------------------------------------------------------------

FIRST_STEP = r"/(languages|git/trees/main|releases/latest)$"
SECOND_STEP = r"/(readme|contents/.*)$"  # what the tree names: the README and manifests
SECOND_STEP_NAMES = ("/readme", *FLASK_MANIFESTS)


def _snapshot_in_thread(client, repo, **options):
    """fetch_snapshot on its own thread: (thread, {"result" or "error": ...})."""
    outcome = {}

    def fetch():
        try:
            outcome["result"] = client.fetch_snapshot(repo, **options)
        except BaseException as exc:  # handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    return thread, outcome


def test_requests_of_each_step_are_out_at_once(fake_github, client):
    repo = client.get_repository("pallets", "flask")
    first = fake_github.hold(FIRST_STEP)
    second = fake_github.hold(SECOND_STEP)
    thread, outcome = _snapshot_in_thread(client, repo)
    first.wait_until_held(3)  # languages, tree and release: sent together
    assert second.arrived == 0  # the README and manifests wait for the tree that names them
    first.release()
    # Then all of those at once: one import is held back neither by the token's limit of
    # requests in flight nor by its own pool.
    second.wait_until_held(len(SECOND_STEP_NAMES))
    second.release()
    thread.join(20)
    assert set(outcome["result"].manifests) == FLASK_MANIFESTS
    log = fake_github.requests
    after_tree = [r for r in log if r.path.endswith(SECOND_STEP_NAMES)]
    assert len(after_tree) == len(SECOND_STEP_NAMES) <= MAX_CONCURRENT
    tree = next(r for r in log if "/git/trees/" in r.path)
    assert all(tree.answered < r.received for r in after_tree)


def test_the_token_s_limit_of_requests_in_flight_holds_a_step_back(fake_github):
    with GitHubClient(fake_github.url, limiter=RateLimiter(max_concurrent=3)) as client:
        repo = client.get_repository("pallets", "flask")
        second = fake_github.hold(SECOND_STEP)
        thread, outcome = _snapshot_in_thread(client, repo)
        second.wait_until_held(3)
        assert second.arrived == 3  # the other four wait for a place, not at the server
        second.release()
        thread.join(20)
    assert set(outcome["result"].manifests) == FLASK_MANIFESTS and second.most_held == 3


def test_check_stops_the_snapshot(fake_github, client):
    class Cancelled(Exception):
        pass

    def check():
        if fake_github.count("/git/trees/"):
            raise Cancelled()

    repo = client.get_repository("pallets", "flask")
    fake_github.reset()
    first = fake_github.hold(FIRST_STEP)
    thread, outcome = _snapshot_in_thread(client, repo, check=check)
    first.wait_until_held()
    thread.join(20)  # returns although every request is still held: it gave up on them
    assert not thread.is_alive() and first.held >= 1
    assert isinstance(outcome.get("error"), Cancelled)
    first.release()
    assert fake_github.count("/contents/") == 0


# -- renames ----------------------------------------------------------------------------

def test_rename_is_followed_and_the_new_name_used(fake_github, client):
    fake_github.rename("pallets/flask", "pallets/Flask-Renamed")
    snap = client.fetch_repository("pallets", "flask")
    assert snap.full_name == "pallets/Flask-Renamed" and snap.github_id == 3002
    log = fake_github.requests
    assert [(r.path, r.status) for r in log[:2]] == [("/repos/pallets/flask", 301),
                                                      ("/repositories/3002", 200)]
    assert all(r.path.startswith("/repos/pallets/Flask-Renamed/") for r in log[2:])
    assert set(snap.manifests) == FLASK_MANIFESTS


def test_redirect_to_another_host_keeps_the_token_home(fake_github):
    with FakeGitHub() as elsewhere:
        fake_github.fail(r"^/repos/o/r$", 301,
                         headers={"Location": f"{elsewhere.url}/repositories/3002"})
        with GitHubClient(fake_github.url, TOKEN) as c:
            assert c.get_repository("o", "r")["full_name"] == "pallets/flask"
        assert elsewhere.request_count == 0
        assert fake_github.requests[-1].path == "/repositories/3002"


# -- errors -----------------------------------------------------------------------------

def _assert_clean(exc: Exception) -> None:
    text = str(exc)
    assert TOKEN not in text and TOKEN not in repr(exc.to_dict())
    assert "\n" not in text and text


@pytest.fixture
def token_client(fake_github):
    fake_github.tokens = {TOKEN: "alice"}
    with GitHubClient(fake_github.url, TOKEN, timeout=2.0) as c:
        yield c


def test_not_found(token_client):
    with pytest.raises(RepoNotFound) as info:
        token_client.get_repository("nobody", "nothing")
    assert "nobody/nothing" in info.value.message
    _assert_clean(info.value)


def test_bad_token_is_auth_failed(fake_github):
    fake_github.tokens = {"the-good-one": "alice"}
    with GitHubClient(fake_github.url, TOKEN) as c, pytest.raises(AuthFailed) as info:
        c.get_repository("pallets", "flask")
    _assert_clean(info.value)


def test_primary_rate_limit_gives_the_wait_until_reset(fake_github, token_client):
    fake_github.exhaust(reset_in=500)
    with pytest.raises(RateLimited) as info:
        token_client.get_repository("pallets", "flask")
    err = info.value
    assert err.reset_at == fake_github.rate_reset and not err.secondary
    assert 495 <= err.wait_seconds <= 501
    assert "pallets/flask" in err.message
    _assert_clean(err)


def test_retry_after(fake_github, token_client):
    fake_github.fail(r"/readme$", 429, headers={"Retry-After": "30"})
    repo = token_client.get_repository("pallets", "flask")
    with pytest.raises(RateLimited) as info:
        token_client.fetch_snapshot(repo)
    assert info.value.wait_seconds == 30 and not info.value.secondary
    _assert_clean(info.value)


def test_secondary_rate_limit(fake_github, token_client):
    fake_github.fail(r"^/repos/pallets/flask$", 403, body={
        "message": "You have exceeded a secondary rate limit. Please wait a few minutes."})
    with pytest.raises(RateLimited) as info:
        token_client.get_repository("pallets", "flask")
    assert info.value.secondary and info.value.wait_seconds >= 60
    _assert_clean(info.value)


def test_other_403_is_not_retryable(fake_github, token_client):
    fake_github.fail(r"^/repos/", 403, body={"message": "Repository access blocked"})
    with pytest.raises(GitHubError) as info:
        token_client.get_repository("pallets", "flask")
    assert not isinstance(info.value, RateLimited)
    assert info.value.status == 403 and not info.value.retryable
    _assert_clean(info.value)


def test_server_error_is_retryable(fake_github, token_client):
    fake_github.fail(r"/git/trees/", 502)
    repo = token_client.get_repository("pallets", "flask")
    with pytest.raises(GitHubError) as info:
        token_client.fetch_snapshot(repo)
    assert info.value.status == 502 and info.value.retryable
    assert "pallets/flask" in info.value.message
    _assert_clean(info.value)


def test_connection_refused_is_network_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with GitHubClient(f"http://127.0.0.1:{port}", TOKEN) as c, \
            pytest.raises(NetworkError) as info:
        c.get_repository("pallets", "flask")
    assert info.value.retryable and "connect" in info.value.message.lower()
    _assert_clean(info.value)


def test_timeout_is_network_error(fake_github):
    fake_github.hold(r"^/repos/pallets/flask$")  # never answered while the client waits
    with GitHubClient(fake_github.url, TOKEN, timeout=0.1) as c, \
            pytest.raises(NetworkError) as info:
        c.get_repository("pallets", "flask")
    assert info.value.retryable and "timeout" in info.value.message.lower()
    _assert_clean(info.value)


def test_private_repo_needs_the_token(fake_github):
    fake_github.tokens = {TOKEN: "alice"}
    fake_github.add_repo("alice/secret", id=777, private=True, files={"README.md": "# Hidden"})
    with GitHubClient(fake_github.url) as anonymous, pytest.raises(RepoNotFound):
        anonymous.get_repository("alice", "secret")
    with GitHubClient(fake_github.url, TOKEN) as c:
        snap = c.fetch_repository("alice", "secret")
        assert c.current_user()["login"] == "alice"
    assert snap.is_private and snap.readme == "# Hidden" and snap.readme_path == "README.md"


def test_current_user_without_token_sends_nothing(fake_github, client):
    with pytest.raises(AuthFailed):
        client.current_user()
    assert fake_github.request_count == 0


# -- rate limits before they bite -------------------------------------------------------

def test_spent_limit_waits_for_the_reset_before_the_next_request(fake_github):
    waits = []

    def sleep(seconds):
        waits.append((seconds, fake_github.request_count))
        fake_github.rate_remaining = fake_github.rate_limit  # the window resets

    now = int(time.time())  # the client's clock stands still at this second
    fake_github.rate_remaining = 1
    fake_github.rate_reset = now + 40
    with GitHubClient(fake_github.url, sleep=sleep, clock=lambda: now) as c:
        repo = c.get_repository("pallets", "flask")  # 200 with remaining: 0
        assert not waits
        assert c.rate_limit()["remaining"] == 0  # asking costs nothing and never waits
        assert not waits
        snap = c.fetch_snapshot(repo)
    assert len(waits) == 1
    seconds, sent_before = waits[0]
    assert seconds == 40 + RESET_MARGIN
    assert sent_before == 2  # slept before sending the next request, not after a 403
    assert snap.manifests and all(r.status != 403 for r in fake_github.requests)


def test_long_wait_is_refused_without_sending(fake_github):
    slept = []
    now = int(time.time())
    fake_github.rate_remaining = 1
    fake_github.rate_reset = now + 1800
    with GitHubClient(fake_github.url, rate_limit_max_wait=120, sleep=slept.append,
                      clock=lambda: now) as c:
        repo = c.get_repository("pallets", "flask")
        with pytest.raises(RateLimited) as info:
            c.fetch_snapshot(repo)
        assert c.requests_made == 1
    assert fake_github.request_count == 1 and slept == []
    assert info.value.wait_seconds == 1800
    assert info.value.reset_at == fake_github.rate_reset


def test_rate_limit_reports_the_core_resource(fake_github, client):
    client.get_repository("pallets", "flask")
    assert client.rate_limit() == {"limit": 60, "remaining": 59,
                                   "reset": fake_github.rate_reset}
    assert client.requests_made == 2 == fake_github.request_count


# -- ETag cache -------------------------------------------------------------------------

def test_second_fetch_is_conditional_and_costs_no_limit(fake_github, tmp_path):
    fake_github.tokens = {TOKEN: "alice"}
    with GitHubClient(fake_github.url, TOKEN, cache_dir=tmp_path) as c:
        first = c.fetch_repository("pallets", "flask")
    assert (tmp_path / "http.sqlite3").exists()
    remaining = fake_github.rate_remaining
    fake_github.reset()
    with GitHubClient(fake_github.url, TOKEN, cache_dir=tmp_path) as c:
        second = c.fetch_repository("pallets", "flask")
    assert second == first
    log = fake_github.requests
    answered = [r for r in log if r.status != 404]  # releases/latest: no release
    assert answered and all("if-none-match" in r.headers for r in answered)
    assert all(r.status == 304 for r in answered)
    assert fake_github.rate_remaining == remaining - (len(log) - len(answered))


def test_a_damaged_cache_entry_is_a_miss_and_takes_no_place(fake_github, tmp_path):
    # A damaged entry (text where the body's bytes belong) is asked again, in full; the
    # place in flight its request took comes back, or the token's requests dwindle.
    EtagCache(tmp_path).close()
    url = f"{fake_github.url}/repos/pallets/flask"
    with closing(sqlite3.connect(tmp_path / "http.sqlite3")) as db, db:
        db.execute("INSERT INTO responses VALUES (?, 'W/\"1\"', 'not bytes', ?)",
                   (EtagCache.key(TOKEN, ACCEPT_JSON, url), time.time()))

    def no_waiting() -> None:
        raise AssertionError("a request waited for a place in flight")

    limiter = RateLimiter(max_concurrent=1)
    with GitHubClient(fake_github.url, TOKEN, cache_dir=tmp_path, limiter=limiter,
                      check=no_waiting) as c:
        assert c.get_repository("pallets", "flask")["full_name"] == "pallets/flask"
        assert c.get_repository("psf", "requests")["full_name"] == "psf/requests"
    asked = [r for r in fake_github.requests if r.path == "/repos/pallets/flask"]
    assert [r.headers.get("if-none-match") for r in asked] == [None]  # not the damaged etag


def test_cache_entries_are_per_token(fake_github, tmp_path):
    with GitHubClient(fake_github.url, cache_dir=tmp_path) as c:
        c.get_repository("pallets", "flask")
    fake_github.reset()
    with GitHubClient(fake_github.url, TOKEN, cache_dir=tmp_path) as c:
        c.get_repository("pallets", "flask")
    assert "if-none-match" not in fake_github.requests[0].headers


def test_token_never_reaches_the_cache_files(fake_github, tmp_path):
    fake_github.tokens = {TOKEN: "alice"}
    with GitHubClient(fake_github.url, TOKEN, cache_dir=tmp_path) as c:
        c.fetch_repository("pallets", "flask")
        c.fetch_repository("psf", "requests")
        files = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert files and sum(p.stat().st_size for p in files) > 10_000  # something stored
        for p in files:
            data = p.read_bytes()
            assert TOKEN.encode() not in data and b"Bearer" not in data
    for p in tmp_path.rglob("*"):
        if p.is_file():
            assert TOKEN.encode() not in p.read_bytes()


# -- README and tree limits -------------------------------------------------------------

def test_readme_over_the_cap_is_cut_at_a_character_boundary(fake_github):
    text = "# Ünïcode\n" + "é€😀" * 2000
    fake_github.add_repo("acme/big", id=902, files={"README.md": text})
    with GitHubClient(fake_github.url, max_readme_bytes=1001) as c:
        snap = c.fetch_repository("acme", "big")
    assert snap.readme_truncated
    assert text.startswith(snap.readme) and "\ufffd" not in snap.readme
    assert 1001 - 3 <= len(snap.readme.encode()) <= 1001


def test_readme_under_the_cap_is_whole(fake_github):
    fake_github.add_repo("acme/small", id=903, files={"README.md": "é" * 500})
    with GitHubClient(fake_github.url, max_readme_bytes=1000) as c:
        snap = c.fetch_repository("acme", "small")
    assert snap.readme == "é" * 500 and not snap.readme_truncated


def test_hostile_readme_is_not_read_whole(fake_github):
    fake_github.readme_override["pallets/flask"] = b"A" * 20_000_000
    with GitHubClient(fake_github.url, max_readme_bytes=1000) as c:
        snap = c.fetch_repository("pallets", "flask")
    assert snap.readme == "A" * 1000 and snap.readme_truncated


def test_truncated_tree_still_finds_shallow_manifests(fake_github, client):
    fake_github.truncate_trees = True
    snap = client.fetch_repository("pallets", "flask")
    assert snap.tree_truncated
    assert len(snap.tree) == fake_github.truncated_tree_size
    assert "pyproject.toml" in snap.manifests


@given(st.text(), st.integers(min_value=0, max_value=64))
def test_utf8_prefix_never_splits_a_character(text, limit):
    data = text.encode("utf-8")
    cut = utf8_prefix(data, limit)
    assert data.startswith(cut) and len(cut) <= max(limit, 0)
    cut.decode("utf-8")  # strict: raises if a character was split
    assert len(cut) >= min(len(data), limit) - 3


# -- which files are fetched ------------------------------------------------------------

def test_manifest_selection():
    tree = _blobs(
        "pyproject.toml", "requirements-dev.txt", "Dockerfile", "docker-compose.yml",
        "CMakeLists.txt", "app.gemspec", "README.md", "src/main.py",
        "web/package.json", "vendor/lib/go.mod", "vendor/go.mod", "node_modules/package.json",
        "tests/setup.py", "examples/Cargo.toml", "docs/Makefile", "a/b/package.json",
        ".github/workflows/ci.yml", ".github/workflows/notes.md", ".github/workflows/x/y.yml",
        "build.gradle.kts",
    ) + [TreeEntry("lib", "tree")]
    # Root primary manifests (by kind), then secondary root files, then packages one
    # folder down, then workflows; vendored, test, example and docs folders never.
    assert manifest_paths(tree) == [
        "pyproject.toml", "build.gradle.kts", "app.gemspec", "CMakeLists.txt",
        "requirements-dev.txt", "Dockerfile", "docker-compose.yml", "web/package.json",
        ".github/workflows/ci.yml"]


def test_manifest_selection_reaches_monorepo_packages_and_xcode_projects():
    tree = _blobs(
        "package.json", "apps/web/package.json", "packages/ui/package.json", "src/Api/Api.csproj",
        "tests/Api.Tests/Api.Tests.csproj", "server/Dockerfile", "misc/deep/package.json",
        "App.xcodeproj/project.pbxproj", "gradle/libs.versions.toml", "package-lock.json",
        "yarn.lock", "Cargo.lock", "vendor/x/Cargo.toml", "examples/demo/package.json",
        *(f".github/workflows/w{i}.yml" for i in range(9)), ".github/workflows/ci.yml")
    paths = manifest_paths(tree)
    assert paths[:2] == ["package.json", "gradle/libs.versions.toml"]
    assert {"apps/web/package.json", "packages/ui/package.json", "src/Api/Api.csproj",
            "App.xcodeproj/project.pbxproj", "server/Dockerfile"} <= set(paths)
    assert not {p for p in paths if "lock" in p or p.startswith(("tests/", "vendor/", "examples/", "misc/"))}
    workflows = [p for p in paths if p.startswith(".github/")]
    assert len(workflows) == 5 and workflows[0] == ".github/workflows/ci.yml"  # build/test ones first


def test_manifest_cap_keeps_root_ones_first():
    tree = _blobs(*(f"pkg{i:02d}/package.json" for i in range(40)), "package.json")
    paths = manifest_paths(tree)
    assert len(paths) == 25 and paths[0] == "package.json"


def test_readme_choice():
    assert readme_path(_blobs("docs/README.md", "README.rst", "readme.md")) == "readme.md"
    assert readme_path(_blobs("docs/README.md", ".github/README.md")) == ".github/README.md"
    assert readme_path(_blobs("src/README.md")) is None


def test_files_in_json_form_are_decoded_and_optional_endpoints_may_be_missing(fake_github):
    """A GitHub-compatible server that ignores the raw media type and lacks the
    optional endpoints still gives a full snapshot."""
    fake_github.json_files_only = True
    fake_github.fail(r"/topics$", 404, times=None)
    fake_github.fail(r"/releases/latest$", 500, times=None)
    with GitHubClient(fake_github.url) as client:
        snap = client.fetch_repository("pallets", "flask")
    assert snap.readme.lstrip().startswith(("#", "<")) and "Flask" in snap.readme
    assert '"encoding"' not in snap.readme
    assert "pyproject.toml" in snap.manifests and "[project]" in snap.manifests["pyproject.toml"]
    assert snap.latest_release is None
