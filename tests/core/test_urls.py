"""Tests for core/urls.py: what a pasted repository address becomes, or why it is refused."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.errors import INVALID_URL, InvalidUrl
from core.urls import (
    RESERVED_OWNERS, RepoRef, hide_credentials, looks_like_repo_url, parse, split_full_name,
    without_credentials,
)

ENTERPRISE = "ghe.example.com"

ACCEPTED = [
    # (pasted text, owner, name)
    ("https://github.com/octocat/Hello-World", "octocat", "Hello-World"),
    ("http://github.com/octocat/Hello-World", "octocat", "Hello-World"),
    ("HTTPS://GitHub.COM/octocat/Hello-World", "octocat", "Hello-World"),
    ("https://www.github.com/octocat/Hello-World", "octocat", "Hello-World"),
    ("github.com/octocat/Hello-World", "octocat", "Hello-World"),
    ("www.github.com/octocat/Hello-World", "octocat", "Hello-World"),
    ("//github.com/octocat/Hello-World", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World.git", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World.GIT", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World/", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World///", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World/tree/main/docs/intro", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World/blob/main/README.md#L10-L20", "octocat",
     "Hello-World"),
    ("https://github.com/octocat/Hello-World/blob/main/My%20File.md", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World/issues/42", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World/pulls", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World/releases/tag/v1.0", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World/wiki", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World?tab=readme-ov-file", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World#readme", "octocat", "Hello-World"),
    ("https://github.com/octocat/Hello-World.git?x=1#y", "octocat", "Hello-World"),
    ("  https://github.com/octocat/Hello-World \n", "octocat", "Hello-World"),
    ("<https://github.com/octocat/Hello-World>", "octocat", "Hello-World"),
    ('"https://github.com/octocat/Hello-World"', "octocat", "Hello-World"),
    ("'octocat/Hello-World'", "octocat", "Hello-World"),
    ("`octocat/Hello-World`", "octocat", "Hello-World"),
    ("\u201chttps://github.com/octocat/Hello-World\u201d", "octocat", "Hello-World"),
    (" < 'https://github.com/octocat/Hello-World' > ", "octocat", "Hello-World"),
    ("git@github.com:octocat/Hello-World.git", "octocat", "Hello-World"),
    ("git@github.com:octocat/Hello-World", "octocat", "Hello-World"),
    ("git@github.com:/octocat/Hello-World.git", "octocat", "Hello-World"),
    ("git@github.com:1234/repo.git", "1234", "repo"),
    ("ssh://git@github.com/octocat/Hello-World.git", "octocat", "Hello-World"),
    ("git://github.com/octocat/Hello-World.git", "octocat", "Hello-World"),
    ("git+https://github.com/octocat/Hello-World.git", "octocat", "Hello-World"),
    ("git+ssh://git@github.com/octocat/Hello-World.git", "octocat", "Hello-World"),
    ("https://x-access-token:abc123@github.com/octocat/Hello-World.git", "octocat",
     "Hello-World"),
    ("octocat/Hello-World", "octocat", "Hello-World"),
    ("octocat/Hello-World.git", "octocat", "Hello-World"),
    ("octocat/Hello-World/", "octocat", "Hello-World"),
    ("socketio/socket.io", "socketio", "socket.io"),
    ("https://github.com/socketio/socket.io", "socketio", "socket.io"),
    ("https://github.com/a-b-c/x_y.z-1", "a-b-c", "x_y.z-1"),
    ("https://github.com/o/r..git", "o", "r."),
    ("https://github.com/o/...", "o", "..."),
    ("https://github.com/o/.github", "o", ".github"),
    ("https://api.github.com/repos/octocat/Hello-World", "octocat", "Hello-World"),
    ("https://api.github.com/repos/octocat/Hello-World/languages", "octocat", "Hello-World"),
    ("a" * 39 + "/" + "b" * 100, "a" * 39, "b" * 100),
    ("https://github.com/" + "a" * 39 + "/" + "b" * 100 + ".git", "a" * 39, "b" * 100),
]

# (pasted text, a word the message must contain to say why)
REFUSED = [
    ("", "empty"),
    ("   ", "empty"),
    ("<>", "empty"),
    ("https://gitlab.com/octocat/Hello-World", "github.com"),
    ("https://github.com.evil.com/octocat/Hello-World", "github.com"),
    ("github.com.evil.com/octocat/Hello-World", "github.com"),
    ("https://evilgithub.com/octocat/Hello-World", "github.com"),
    ("https://github.co/octocat/Hello-World", "github.com"),
    ("https://github.com@evil.com/octocat/Hello-World", "github.com"),
    ("github.com@evil.com/octocat/Hello-World", "github.com"),
    ("https://evil.com@github.com/octocat/Hello-World", "host"),
    ("https://github.com\\@evil.com/octocat/Hello-World", "backslash"),
    ("git@evil.com:octocat/Hello-World.git", "github.com"),
    ("https://gist.github.com/octocat/6cad326836d38bd3a7ae", "Gists are not repositories"),
    ("https://gist.github.com/6cad326836d38bd3a7ae", "Gists are not repositories"),
    ("https://github.com:443/octocat/Hello-World", "port"),
    ("github.com:8080/octocat/Hello-World", "port"),
    ("ssh://git@github.com:22/octocat/Hello-World.git", "port"),
    ("ftp://github.com/octocat/Hello-World", "not supported"),
    ("file:///home/me/octocat/Hello-World", "not supported"),
    ("javascript://github.com/octocat/x", "not supported"),
    ("https:///octocat/Hello-World", "no host"),
    ("https://github.com", "no repository"),
    ("https://github.com/", "no repository"),
    ("https://github.com/octocat", "missing"),
    ("https://github.com/octocat/", "missing"),
    ("https://github.com/octocat/.git", "missing"),
    ("octocat", "missing"),
    ("https://github.com/octocat?tab=repositories", "missing"),
    ("https://github.com/orgs/python/repositories", "GitHub page"),
    ("https://github.com/settings/profile", "GitHub page"),
    ("https://github.com/Settings/profile", "GitHub page"),
    ("https://github.com/topics/python", "GitHub page"),
    ("https://github.com/marketplace/actions/checkout", "GitHub page"),
    ("https://github.com/sponsors/octocat", "GitHub page"),
    ("https://github.com/users/octocat/projects/1", "GitHub page"),
    ("https://github.com/apps/dependabot", "GitHub page"),
    ("https://github.com/customer-stories/x", "GitHub page"),
    ("https://github.com/search", "GitHub page"),
    ("new/repo", "GitHub page"),
    ("https://api.github.com/users/octocat", "api.github.com/repos"),
    ("https://github.com/-octocat/x", "owner"),
    ("https://github.com/octocat-/x", "owner"),
    ("https://github.com/octo--cat/x", "owner"),
    ("https://github.com/octo_cat/x", "owner"),
    ("https://github.com/" + "a" * 40 + "/x", "owner"),
    ("https://github.com/\u00f6ctocat/x", "owner"),
    ("https://github.com/octocat/" + "b" * 101, "repository name"),
    ("https://github.com/octocat/.", "repository name"),
    ("https://github.com/octocat/..", "repository name"),
    ("https://github.com/octocat/r.git.git", "repository name"),
    ("https://github.com/octocat/hello+world", "repository name"),
    ("https://github.com/octocat/h\u00e9llo", "repository name"),
    ("https://github.com/octocat/hello world", "spaces"),
    ("octocat/hello\tworld", "spaces"),
    ("https://github.com/octocat/hello\x00world", "control"),
    ("https://github.com/octocat/hello\u200bworld", "control"),
    ("https://github.com/octocat/Hello-World\nrm -rf /", "spaces"),
    ("https://github.com/octocat/%2e%2e", "Percent"),
    ("https://github.com/%6Fctocat/Hello-World", "Percent"),
    ("https://github.com/octocat%2FHello-World", "Percent"),
    ("https://github%2Ecom/octocat/Hello-World", "github.com"),
    ("octocat/Hello-World/tree/main", "Shorthand"),
    ("/usr/bin", "Shorthand"),
    ("and/or/maybe", "Shorthand"),
]


@pytest.mark.parametrize(("text", "owner", "name"), ACCEPTED)
def test_accepted_forms_give_owner_and_name(text: str, owner: str, name: str) -> None:
    assert parse(text) == RepoRef(owner, name, "github.com")
    assert looks_like_repo_url(text)


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_refused_forms_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidUrl) as caught:
        parse(text)
    error = caught.value
    assert error.code == INVALID_URL
    assert reason.lower() in error.message.lower()
    assert "\n" not in error.message
    assert error.suggestion
    assert not looks_like_repo_url(text)


def test_a_token_in_the_address_never_reaches_the_message() -> None:
    with pytest.raises(InvalidUrl) as caught:
        parse("https://x-access-token:ghp_SECRET@evil.com/octocat/x")
    assert "SECRET" not in caught.value.message


def test_a_long_part_is_cut_short_in_the_message() -> None:
    with pytest.raises(InvalidUrl) as caught:
        parse("https://github.com/" + "a" * 500 + "/x")
    assert len(caught.value.message) < 200


def test_ref_properties() -> None:
    ref = parse("https://github.com/Octocat/Hello-World/tree/main")
    assert ref.owner == "Octocat"  # the case the user typed is kept
    assert ref.full_name == "Octocat/Hello-World"
    assert ref.key == "octocat/hello-world"
    assert ref.url == "https://github.com/Octocat/Hello-World"
    assert ref.host == "github.com"


def test_key_ignores_case_and_form() -> None:
    keys = {parse(text).key for text in (
        "https://github.com/OctoCat/HELLO-world",
        "git@github.com:octocat/hello-world.git",
        "octocat/Hello-World",
        "https://www.github.com/OCTOCAT/hello-WORLD/issues",
    )}
    assert keys == {"octocat/hello-world"}
    assert parse("octocat/a").key != parse("octocat/b").key


ENTERPRISE_FORMS = [
    f"https://{ENTERPRISE}/team/tool",
    f"https://{ENTERPRISE.upper()}/team/tool.git",
    f"http://{ENTERPRISE}:8443/team/tool/tree/main",
    f"{ENTERPRISE}/team/tool",
    f"git@{ENTERPRISE}:team/tool.git",
    f"ssh://git@{ENTERPRISE}:2222/team/tool.git",
    f"https://{ENTERPRISE}/api/v3/repos/team/tool",
]


@pytest.mark.parametrize("text", ENTERPRISE_FORMS)
def test_enterprise_host_is_accepted_when_configured(text: str) -> None:
    ref = parse(text, enterprise_host=ENTERPRISE)
    assert (ref.owner, ref.name, ref.host) == ("team", "tool", ENTERPRISE)
    assert ref.url == f"https://{ENTERPRISE}/team/tool"
    assert looks_like_repo_url(text, enterprise_host=ENTERPRISE)


@pytest.mark.parametrize("text", ENTERPRISE_FORMS)
def test_enterprise_host_is_refused_when_not_configured(text: str) -> None:
    with pytest.raises(InvalidUrl, match="github.com"):
        parse(text)
    with pytest.raises(InvalidUrl, match="github.com"):
        parse(text, enterprise_host="other.example.com")
    assert not looks_like_repo_url(text)


def test_enterprise_configuration_keeps_github_com_and_names_both_hosts() -> None:
    assert parse("octocat/x", enterprise_host=ENTERPRISE).host == "github.com"
    upper = parse(f"https://{ENTERPRISE}/team/tool", enterprise_host=f" {ENTERPRISE.upper()} ")
    assert upper.host == ENTERPRISE
    assert parse("https://github.com/octocat/x", enterprise_host=ENTERPRISE).host == "github.com"
    with pytest.raises(InvalidUrl) as caught:
        parse("https://gitlab.com/octocat/x", enterprise_host=ENTERPRISE)
    assert "github.com" in caught.value.message and ENTERPRISE in caught.value.message
    with pytest.raises(InvalidUrl, match="port"):
        parse(f"https://{ENTERPRISE}:abc/team/tool", enterprise_host=ENTERPRISE)


def test_a_single_label_enterprise_host_without_scheme() -> None:
    assert parse("ghe/team/tool", enterprise_host="ghe") == RepoRef("team", "tool", "ghe")
    with pytest.raises(InvalidUrl, match="Shorthand"):
        parse("ghe/team/tool")


def test_reserved_names_are_all_refused_as_owners() -> None:
    for reserved in RESERVED_OWNERS:
        assert not looks_like_repo_url(f"https://github.com/{reserved}/anything")


# --- properties -----------------------------------------------------------------------

ALNUM = string.ascii_letters + string.digits
owners = (
    st.lists(st.text(ALNUM, min_size=1, max_size=6), min_size=1, max_size=5)
    .map("-".join)
    .filter(lambda owner: len(owner) <= 39 and owner.lower() not in RESERVED_OWNERS)
)
names = st.text(ALNUM + "._-", min_size=1, max_size=100).filter(
    lambda name: name not in (".", "..") and not name.lower().endswith(".git"))

FORMS = [
    "https://github.com/{o}/{n}",
    "http://github.com/{o}/{n}",
    "https://www.github.com/{o}/{n}",
    "github.com/{o}/{n}",
    "https://github.com/{o}/{n}.git",
    "https://github.com/{o}/{n}/",
    "https://github.com/{o}/{n}/tree/x",
    "https://github.com/{o}/{n}/blob/main/a/b.py#L3",
    "https://github.com/{o}/{n}?tab=readme",
    "https://github.com/{o}/{n}#readme",
    "git@github.com:{o}/{n}.git",
    "ssh://git@github.com/{o}/{n}.git",
    "git://github.com/{o}/{n}.git",
    "git+https://github.com/{o}/{n}.git",
    "{o}/{n}",
    "{o}/{n}.git",
    "{o}/{n}/",
    "https://api.github.com/repos/{o}/{n}",
    " <https://github.com/{o}/{n}> ",
]


@settings(max_examples=300)
@given(owner=owners, name=names)
@example(owner="a", name="socket.io")
@example(owner="a" * 39, name="-")
@example(owner="0", name="..._")
def test_every_form_of_a_valid_repository_parses_back(owner: str, name: str) -> None:
    for form in FORMS:
        text = form.format(o=owner, n=name)
        ref = parse(text)
        assert (ref.owner, ref.name, ref.host) == (owner, name, "github.com"), text
        assert parse(ref.url) == ref


def _on_enterprise(form: str) -> str:
    form = form.replace("api.github.com/repos", f"{ENTERPRISE}/api/v3/repos")
    return form.replace("www.github.com", ENTERPRISE).replace("github.com", ENTERPRISE)


ENTERPRISE_TEMPLATES = [_on_enterprise(form) for form in FORMS]


@given(owner=owners, name=names)
def test_every_enterprise_form_parses_back(owner: str, name: str) -> None:
    for form in ENTERPRISE_TEMPLATES:
        text = form.format(o=owner, n=name)
        ref = parse(text, enterprise_host=ENTERPRISE)
        expected_host = ENTERPRISE if ENTERPRISE in form else "github.com"
        assert (ref.owner, ref.name, ref.host) == (owner, name, expected_host), text
        assert parse(ref.url, enterprise_host=ENTERPRISE) == ref


def _check_any_outcome(text: str, enterprise_host: str | None) -> None:
    """Either InvalidUrl, or a reference that obeys GitHub's rules and round-trips."""
    try:
        ref = parse(text, enterprise_host=enterprise_host)
    except InvalidUrl as error:
        assert error.code == INVALID_URL and error.message and "\n" not in error.message
        assert looks_like_repo_url(text, enterprise_host=enterprise_host) is False
        return
    assert ref.host in {"github.com", enterprise_host}
    assert len(ref.owner) <= 39 and set(ref.owner) <= set(ALNUM + "-")
    assert "--" not in ref.owner and ref.owner[0] != "-" and ref.owner[-1] != "-"
    assert ref.owner.lower() not in RESERVED_OWNERS
    assert 1 <= len(ref.name) <= 100 and set(ref.name) <= set(ALNUM + "._-")
    assert ref.name not in (".", "..") and not ref.name.lower().endswith(".git")
    assert parse(ref.url, enterprise_host=enterprise_host) == ref
    assert looks_like_repo_url(text, enterprise_host=enterprise_host) is True


@settings(max_examples=500)
@given(text=st.text())
def test_arbitrary_text_only_ever_raises_invalid_url(text: str) -> None:
    _check_any_outcome(text, None)
    _check_any_outcome(text, ENTERPRISE)


URLISH = st.text(alphabet="githubcomevl.:/@%?#<>'\"-_ \\0123abcGHTPS", max_size=40)
PREFIXES = st.sampled_from([
    "", "https://", "http://", "git@", "ssh://git@", "git+https://", "//", "github.com",
    "https://github.com", "https://github.com/", "github.com/", "git@github.com:",
    "https://api.github.com/repos/", f"https://{ENTERPRISE}", f"git@{ENTERPRISE}:", "<",
])


@settings(max_examples=1000)
@given(prefix=PREFIXES, rest=URLISH)
def test_url_like_text_only_ever_raises_invalid_url(prefix: str, rest: str) -> None:
    _check_any_outcome(prefix + rest, None)
    _check_any_outcome(prefix + rest, ENTERPRISE)


# -- hostile input: linear time, bounded length ------------------------------------------

@pytest.mark.timeout(20)  # slicing at every layer took minutes for this many pairs
def test_deeply_nested_wrappers_unwrap_in_linear_time() -> None:
    pairs = 2_000_000
    assert parse("<" * pairs + "octocat/Hello-World" + ">" * pairs).full_name == \
        "octocat/Hello-World"
    assert parse(" < ' " * 100_000 + "a/b" + " ' > " * 100_000).full_name == "a/b"


def test_an_address_longer_than_any_repository_address_is_refused() -> None:
    deep = "https://github.com/octocat/Hello-World/blob/main/" + "d/" * 1100 + "f.md"
    with pytest.raises(InvalidUrl, match="too long"):
        parse(deep)
    assert parse(deep[:2000]).full_name == "octocat/Hello-World"


@pytest.mark.parametrize("text, parts", [
    ("octocat/Hello-World", ("octocat", "Hello-World")), ("a/socket.io", ("a", "socket.io")),
    ("../..", None), ("a/b/c", None), ("a", None), ("-a/b", None), ("a/.", None),
    ("a/b.git", None), ("<a>/b", None), ("a" * 40 + "/b", None), (None, None), ("a/ b", None),
])
def test_split_full_name_uses_the_same_rules_as_a_pasted_address(text, parts) -> None:
    assert split_full_name(text) == parts


def test_credentials_in_a_url_are_masked_wherever_it_is_shown() -> None:
    assert without_credentials("https://api.github.com") == "https://api.github.com"
    assert without_credentials("http://token@host/v1", mask="••••") == "http://••••@host/v1"
    assert without_credentials("https://u:p@host:8/v1") == "https://***@host:8/v1"
    assert without_credentials("http://[::1", mask="••••") == "••••"  # unparsable: nothing
    text = "failed: http://me:pa55@127.0.0.1:9/v1 and https://tok@h/x, not user@example.com"
    assert hide_credentials(text) == \
        "failed: http://***@127.0.0.1:9/v1 and https://***@h/x, not user@example.com"


@pytest.mark.parametrize("password", ["p@ss", "p/ss", "p?ss", "p#ss", "p/a@ss"])
def test_a_password_holding_a_delimiter_is_masked_whole(password) -> None:
    url = f"postgresql://u:{password}@db:5432/x"
    assert without_credentials(url) == "postgresql://***@db:5432/x"
    assert hide_credentials(f"failed: {url} twice") == "failed: postgresql://***@db:5432/x twice"


def test_an_at_sign_in_the_path_is_no_credential() -> None:
    """A URL without user info keeps its host: without_credentials makes HTTP cache keys."""
    url = "https://127.0.0.1:9/repos/o/r/contents/@types/node?ref=a@b"
    assert without_credentials(url) == url and hide_credentials(f"at {url}") == f"at {url}"
