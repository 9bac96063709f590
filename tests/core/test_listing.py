"""Listing an owner's repositories against the fake GitHub: pages, users and organizations,
the token's own account, and the owner parser that names them."""

from __future__ import annotations

import pytest

from core.errors import GitHubError, InvalidUrl, RepoNotFound
from core.github.client import GitHubClient
from core.github.http import next_page_path
from core.github.listing import list_repositories
from core.urls import OwnerRef, parse_owner
from tests.fakes.github_server import FakeGitHub
from tests.fakes.owners import populate

TOKEN = "ghp_listing0123456789"


def test_every_page_is_read_following_the_link_header(fake_github):
    names = populate(fake_github, "dana", 230, forks={3}, archived={4}, private={5})
    with GitHubClient(fake_github.url) as client:
        listing = list_repositories(client, "DANA")
    assert [r["full_name"] for r in listing.repos] == [n for n in names if n != "dana/tool-05"]
    assert listing.owner == "dana" and listing.kind == "User" and not listing.own_account
    pages = fake_github.requests
    assert [r.path for r in pages] == ["/users/DANA/repos"] * 3
    assert [r.query.get("page") for r in pages] == [None, "2", "3"]
    assert all(r.query["per_page"] == "100" for r in pages) and listing.requests == 3
    flags = {r["full_name"]: (r["fork"], r["archived"]) for r in listing.repos}
    assert flags["dana/tool-03"] == (True, False) and flags["dana/tool-04"] == (False, True)
    # What is kept of each object is what an import needs, no more.
    assert set(listing.repos[0]) >= {"id", "full_name", "default_branch", "topics",
                                     "stargazers_count", "owner", "license", "private"}
    assert "url" not in listing.repos[0] and "node_id" not in listing.repos[0]


def test_an_organization_lists_through_orgs_with_a_token_and_private_ones_come(fake_github):
    populate(fake_github, "acme", 3, kind="Organization", private={2})
    with GitHubClient(fake_github.url) as anonymous:
        public = list_repositories(anonymous, "acme")
    assert [r["full_name"] for r in public.repos] == ["acme/tool-01", "acme/tool-03"]
    assert public.kind == "Organization"
    fake_github.reset()
    with GitHubClient(fake_github.url, TOKEN) as client:
        member = list_repositories(client, "acme", token_login="someone-else")
    assert [r["full_name"] for r in member.repos] == ["acme/tool-01", "acme/tool-02",
                                                      "acme/tool-03"]
    assert [r.path for r in fake_github.requests] == ["/users/acme/repos", "/orgs/acme/repos"]


def test_an_organization_of_many_pages_is_not_read_whole_through_users(fake_github):
    # Its first page already says it is an organization: the rest of /users is no use.
    names = populate(fake_github, "acme", 230, kind="Organization", private={7})
    with GitHubClient(fake_github.url, TOKEN) as client:
        listing = list_repositories(client, "acme", token_login="someone-else")
    assert [r["full_name"] for r in listing.repos] == names and listing.kind == "Organization"
    assert [r.path for r in fake_github.requests] == ["/users/acme/repos"] + [
        "/orgs/acme/repos"] * 3
    assert fake_github.count("/users/") == 1 and listing.requests == 4


def test_the_tokens_own_account_lists_private_repositories_too(fake_github):
    fake_github.tokens = {TOKEN: "dana"}
    populate(fake_github, "dana", 4, private={1, 4})
    with GitHubClient(fake_github.url, TOKEN) as client:
        listing = list_repositories(client, "Dana", token_login="dana")
    assert listing.own_account and len(listing.repos) == 4
    assert [r["private"] for r in listing.repos] == [True, False, False, True]
    (request,) = fake_github.requests
    assert request.path == "/user/repos" and request.query["affiliation"] == "owner"


def test_an_unknown_owner_is_said_so(fake_github):
    with GitHubClient(fake_github.url) as client, pytest.raises(RepoNotFound) as caught:
        list_repositories(client, "nobody-here")
    assert "no user or organization named nobody-here" in caught.value.message


def test_a_next_page_on_another_host_is_not_followed(fake_github):
    populate(fake_github, "dana", 2)
    fake_github.fail(r"^/users/dana/repos$", 200, body=[], headers={
        "Link": '<https://evil.example/users/dana/repos?page=2>; rel="next"'})
    with GitHubClient(fake_github.url, TOKEN) as client, pytest.raises(GitHubError):
        list_repositories(client, "dana")
    assert fake_github.request_count == 1


def test_a_next_page_on_our_host_written_otherwise_is_followed(fake_github):
    # The configured base says HTTP:// where the server's links say http://: one place.
    names = populate(fake_github, "dana", 150)
    base = fake_github.url.replace("http://", "HTTP://")
    with GitHubClient(base, TOKEN) as client:
        listing = list_repositories(client, "dana")
    assert [r["full_name"] for r in listing.repos] == names
    assert [r.query.get("page") for r in fake_github.requests] == [None, "2"]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in fake_github.requests)


def test_a_next_page_outside_the_enterprise_path_is_not_followed():
    with FakeGitHub(prefix="/api/v3") as fake:
        populate(fake, "dana", 2)
        port = fake.url.split(":")[2].split("/")[0]
        fake.fail(r"^/users/dana/repos$", 200, body=[], headers={
            "Link": f'<http://127.0.0.1:{port}/api/v30/users/dana/repos?page=2>; rel="next"'})
        with GitHubClient(fake.url, TOKEN) as client, pytest.raises(GitHubError) as caught:
            list_repositories(client, "dana")
        assert "elsewhere" in caught.value.message and fake.request_count == 1


@pytest.mark.parametrize("base, link, path", [
    ("https://api.github.com", "https://api.github.com/users/a/repos?page=2",
     "/users/a/repos?page=2"),
    ("https://ghe.example.com:443/api/v3", "https://GHE.example.com/api/v3/orgs/t/repos?page=3",
     "/orgs/t/repos?page=3"),
    ("HTTPS://ghe.example.com/api/v3/", "https://ghe.example.com:443/api/v3/user/repos",
     "/user/repos"),
    ("http://user:pw@127.0.0.1:8080", "http://127.0.0.1:8080/users/a/repos?page=2",
     "/users/a/repos?page=2"),
    ("https://api.github.com", "https://evil.example/users/a/repos?page=2", None),
    ("https://api.github.com", "http://api.github.com/users/a/repos?page=2", None),
    ("https://ghe.example.com/api/v3", "https://ghe.example.com:8443/api/v3/users/a", None),
    ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v30/users/a", None),
    ("https://ghe.example.com/api/v3", "https://ghe.example.com/users/a", None),
    ("https://api.github.com", "/users/a/repos?page=2", None),
    ("https://api.github.com", "https://api.github.com:99999/users/a", None),
])
def test_a_next_page_link_is_taken_below_our_base_only(base, link, path):
    assert next_page_path(base, link) == path


@pytest.mark.parametrize("text, login", [
    ("octocat", "octocat"), ("@octocat", "octocat"), (" <@Octo-Cat> ", "Octo-Cat"),
    ("https://github.com/octocat", "octocat"), ("https://github.com/octocat/", "octocat"),
    ("github.com/octocat?tab=repositories", "octocat"),
    ("https://github.com/orgs/pallets/repositories", "pallets"),
    ("https://api.github.com/users/octocat", "octocat"),
])
def test_an_owner_is_read_from_a_login_an_at_or_its_page(text, login):
    assert parse_owner(text) == OwnerRef(login)


@pytest.mark.parametrize("text, says", [
    ("pallets/flask", "names a repository"),
    ("https://github.com/pallets/flask", "names a repository"),
    ("https://gitlab.com/octocat", "is not github.com"),
    ("settings", "is a GitHub page"),
    ("@", "is missing"), ("", "is missing"),
    ("a--b", "not a valid GitHub login"), ("x" * 40, "not a valid GitHub login"),
    ("octo cat", "spaces"),
    ("https://api.github.com/repos/a/b", "/users/LOGIN"),
])
def test_what_is_not_an_owner_is_said_so(text, says):
    with pytest.raises(InvalidUrl) as caught:
        parse_owner(text)
    assert says in caught.value.message


def test_an_enterprise_owner_keeps_its_host():
    assert parse_owner("https://ghe.example/api/v3/orgs/Team", enterprise_host="ghe.example") \
        == OwnerRef("Team", "ghe.example")
    assert parse_owner("ghe.example/Team", enterprise_host="ghe.example").url == \
        "https://ghe.example/Team"
