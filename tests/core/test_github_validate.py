"""What GitHub answers is checked field by field; the tree is read as it streams.

Unit tests of core/github/validate.py and core/github/tree.py, plus the client
against the fake GitHub answering wrong shapes (``fake.fail(path, 200, body=...)``):
a server's fault is GITHUB_ERROR naming the field, never INTERNAL_ERROR, and no
request is ever built from a name the server sent that is not a valid one.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from core.errors import GitHubError, RateLimited
from core.github import validate
from core.github.client import GitHubClient
from core.github.snapshot import TreeEntry
from core.github.tree import TreeReader

GOOD = {"id": 5, "full_name": "Owner/Name", "default_branch": "main", "topics": ["a"],
        "license": {"spdx_id": "MIT"}, "stargazers_count": 3, "private": False}


@pytest.mark.parametrize("change, named", [
    ({"id": "5"}, "'id' is text"),
    ({"id": 0}, "'id' is a number, not a positive"),
    ({"id": True}, "'id' is true/false"),
    ({"id": None}, "'id' is null"),
    ({"full_name": None}, "'full_name' is null"),
    ({"full_name": "../.."}, "'full_name' is not a valid owner/name"),
    ({"full_name": "a/b/c"}, "'full_name' is not a valid owner/name"),
    ({"full_name": "<b>x</b>/y"}, "'full_name' is not a valid owner/name"),
    ({"full_name": "someone/else"}, "describes another repository (someone/else)"),
    ({"description": 7}, "'description' is a number, not text"),
    ({"stargazers_count": -1}, "'stargazers_count' is a number, not a count"),
    ({"stargazers_count": "3"}, "'stargazers_count' is text"),
    ({"private": "no"}, "'private' is text, not true/false"),
    ({"topics": "a,b"}, "'topics' is text, not a list"),
    ({"topics": ["a", 1]}, "'topics' holds a number"),
    ({"license": "MIT"}, "'license' is text, not an object"),
    ({"license": {"spdx_id": 1}}, "'license.spdx_id' is a number"),
    ({"default_branch": "../../user"}, "'default_branch' is not a valid branch name"),
    ({"default_branch": "a b"}, "'default_branch' is not a valid branch name"),
])
def test_a_wrong_field_is_named(change, named):
    with pytest.raises(GitHubError) as caught:
        validate.repository({**GOOD, **change}, subject="owner/name", requested="owner/name")
    assert named in caught.value.message and caught.value.code == "GITHUB_ERROR"
    assert "<b>" not in caught.value.message  # the server's markup is never quoted


def test_a_valid_object_passes_and_case_does_not_matter():
    assert validate.repository(GOOD, subject="owner/name", requested="OWNER/name") is GOOD
    assert validate.repository({"id": 1, "full_name": "a/b"}, subject="a/b")  # the rest optional
    with pytest.raises(GitHubError, match="not the one GitHub redirected to"):
        validate.repository(GOOD, subject="old/name", expected_id=6)


@pytest.mark.parametrize("body, says", [
    (b'{"id": 1,', "not valid JSON"),
    (b"<!DOCTYPE html><html></html>", "HTML page"),
    (b"[" * 100_000, "not valid JSON"),  # nested past the recursion limit
])
def test_a_body_that_is_not_json_is_a_github_error(body, says):
    with pytest.raises(GitHubError, match=says):
        validate.json_body(body, subject="o/r", what="repository object")


@pytest.mark.parametrize("path, ok", [
    ("src/app.py", True), ("a", True), (".github/workflows/ci.yml", True),
    ("../etc/passwd", False), ("a/../../b", False), ("/abs", False), ("a//b", False),
    ("a/./b", False), ("", False), ("a\x00b", False), ("a\\b", False), (5, False),
])
def test_tree_paths_stay_inside_the_repository(path, ok):
    assert validate.is_repo_path(path) is ok


@pytest.mark.parametrize("branch, ok", [
    ("main", True), ("feature/x", True), ("v1.2", True), ("..", False), ("a..b", False),
    ("a/", False), ("/a", False), ("a b", False), ("a~1", False), ("x.lock", False),
    ("@", False), ("a@{1}", False), (".hidden", False), ("x" * 256, False),
])
def test_branch_names_follow_git_rules(branch, ok):
    assert validate.is_branch(branch) is ok


def test_languages_topics_and_release_are_checked():
    assert validate.languages({"Python": 10}, subject="o/r") == {"Python": 10}
    for bad in ([], {"Python": "10"}, {"Python": -1}, None):
        with pytest.raises(GitHubError):
            validate.languages(bad, subject="o/r")
    assert validate.topics({"names": ["a"]}, subject="o/r") == ["a"]
    with pytest.raises(GitHubError, match="'names' holds"):
        validate.topics({"names": [None]}, subject="o/r")
    assert validate.release_tag({"tag_name": "v1"}) == "v1"
    assert validate.release_tag({"tag_name": 1}) is None  # a nicety: never an error


# -- the tree, as it streams ------------------------------------------------------------

def tree_body(n: int, **extra) -> bytes:
    entries = [{"path": f"d{i % 7}/f{i}.py", "type": "blob", "size": 1000 + i,
                "sha": "a" * 40, "url": "https://x"} for i in range(n)]
    return json.dumps({"sha": "b" * 40, "tree": entries, **extra}).encode()


def read_tree(body: bytes, size: int, max_entries: int = 10**6):
    reader = TreeReader(subject="o/r", max_entries=max_entries)
    fed = 0
    for start in range(0, len(body), size):
        fed += size
        if not reader.feed(body[start:start + size]):
            break
    return reader.result(), fed


@pytest.mark.parametrize("size", [1, 3, 64, 65536])
def test_the_tree_reads_the_same_whatever_the_chunking(size):
    (entries, truncated), _ = read_tree(tree_body(300, truncated=False), size)
    assert entries == [TreeEntry(f"d{i % 7}/f{i}.py", "blob", 1000 + i) for i in range(300)]
    assert truncated is False


def test_the_tree_stops_reading_at_max_entries_and_says_it_was_cut():
    body = tree_body(5000)
    (entries, truncated), fed = read_tree(body, 4096, max_entries=1000)
    assert len(entries) == 1000 and truncated
    assert fed < len(body) / 3  # the rest was never read


def test_githubs_own_truncation_is_kept():
    (entries, truncated), _ = read_tree(tree_body(3, truncated=True), 5)
    assert len(entries) == 3 and truncated


@pytest.mark.parametrize("body, says", [
    (b"[]", "expected shape"), (b'{"sha": "x"}', "no 'tree' list"),
    (b'{"tree": [1]}', "tree entry 0 is a number"), (b'{"tree": []', "ends early"),
    (b'{"tree": [{"path": "../x"}]}', "not a path inside"), (b'{"tree": []} trailing', "shape"),
    (b'{"tree": [{"path": "a", "size": "9"}]}', "'size' that is text"),
    (b'\xff\xfe', "not UTF-8"),
])
def test_a_malformed_tree_is_a_github_error(body, says):
    with pytest.raises(GitHubError, match=says):
        read_tree(body, 2)


# -- the client against the fake GitHub --------------------------------------------------

def test_a_server_answering_html_is_a_github_error_about_the_server(fake_github):
    fake_github.fail(r"^/repos/pallets/flask$", 200, body="<html><body>Login</body></html>")
    with GitHubClient(fake_github.url) as client, pytest.raises(GitHubError) as caught:
        client.get_repository("pallets", "flask")
    assert "HTML page" in caught.value.message and "REPOFOLIO_GITHUB_API" in caught.value.suggestion


def test_a_traversal_name_from_the_server_never_becomes_a_request(fake_github):
    fake_github.fail(r"^/repos/pallets/flask$", 200, body={"id": 1, "full_name": "../.."})
    with GitHubClient(fake_github.url) as client, pytest.raises(GitHubError):
        client.fetch_repository("pallets", "flask")
    assert [r.path for r in fake_github.requests] == ["/repos/pallets/flask"]


def test_a_listing_item_handed_to_fetch_snapshot_is_checked_too(fake_github):
    with GitHubClient(fake_github.url) as client, pytest.raises(GitHubError, match="full_name"):
        client.fetch_snapshot({"id": 1, "full_name": "a/../../b"})
    assert fake_github.request_count == 0


@pytest.mark.timeout(30)  # the reset is 90 s away: only a woken wait ends in time
def test_a_cancel_wakes_a_rate_limit_wait_and_sends_nothing_more(fake_github):
    fake_github.exhaust(reset_in=90)
    calls = []

    def check():  # the job's check: the user cancels while the client waits for the reset
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt("cancelled")

    before = set(threading.enumerate())
    client = GitHubClient(fake_github.url, rate_limit_max_wait=120)
    with pytest.raises(RateLimited):  # 403: the limit is spent (the client learns it)
        client.get_repository("pallets", "flask")
    seen = fake_github.request_count
    with pytest.raises(KeyboardInterrupt):
        client.get_repository("pallets", "flask", check=check)
    client.close()
    # The abandoned wait woke up: the pool's thread ends instead of sleeping 90 s.
    deadline = time.monotonic() + 20
    while set(threading.enumerate()) - before:
        assert time.monotonic() < deadline, "a pool thread is still waiting for the reset"
        time.sleep(0.05)
    assert fake_github.request_count == seen  # nothing was sent while waiting
