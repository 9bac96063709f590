"""Read a GitHub repository out of whatever the user pasted, without any network.

One tolerant parser for every front end: web URLs with any deeper path, clone
addresses (https, ssh, scp-style, git://), ``owner/name`` shorthand and API URLs
all become a :class:`RepoRef`; :func:`parse_owner` reads a user or organization the
same way (for ``import-all``). Anything else raises :class:`InvalidUrl` with a
one-line reason. Only github.com (and, when configured, the GitHub Enterprise host)
is accepted, so a look-alike host can never become an import.

GitHub's naming rules live here once: :func:`split_full_name` checks an ``owner/name``
that a server sent with the same rules as a pasted one. And since a configured URL
may carry ``user:password@``, :func:`without_credentials`, :func:`hide_credentials`
and :func:`mask_credentials` are the one way to show, log or store a URL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.errors import InvalidUrl

GITHUB_HOST = "github.com"
_GITHUB_WEB_HOSTS = frozenset({"github.com", "www.github.com"})
_GITHUB_API_HOST = "api.github.com"
_GIST_HOSTS = frozenset({"gist.github.com", "gist.githubusercontent.com"})
_SCHEMES = frozenset({"https", "http", "ssh", "git"})
# First path segments that are GitHub's own pages; no account can take these names.
RESERVED_OWNERS = frozenset({
    "about", "account", "apps", "codespaces", "collections", "contact", "copilot",
    "customer-stories", "dashboard", "discussions", "enterprise", "events", "explore",
    "features", "gist", "issues", "join", "login", "logout", "marketplace", "new",
    "notifications", "organizations", "orgs", "pricing", "pulls", "readme", "search",
    "security", "sessions", "settings", "signup", "site", "sponsors", "stars", "topics",
    "trending", "users", "watching",
})
_OWNER_RE = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9])*")
_NAME_RE = re.compile(r"[A-Za-z0-9._-]+")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_WRAPPERS = {"<": ">", '"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019"}
_SHOWN_MAX = 60
MAX_ADDRESS_LENGTH = 2048  # longer than any repository address, deep paths included
_URL_IN_TEXT = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://\S*")
_HOST_AND_PORT = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(:[0-9]*)?")


@dataclass(frozen=True)
class RepoRef:
    """A repository named by owner and name on one host: what an import asks for."""

    owner: str
    name: str
    host: str = GITHUB_HOST

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def key(self) -> str:
        """Duplicate key: GitHub treats owner and name case-insensitively."""
        return self.full_name.lower()

    @property
    def url(self) -> str:
        return f"https://{self.host}/{self.owner}/{self.name}"


def parse(text: str, *, enterprise_host: str | None = None) -> RepoRef:
    """The repository that ``text`` names; raises :class:`InvalidUrl` saying why not."""
    if not isinstance(text, str):
        raise InvalidUrl("The address is not text.")
    enterprise = enterprise_host.strip().lower() if enterprise_host else None
    text = _unwrap(text)
    if not text:
        raise InvalidUrl("The address is empty.")
    if len(text) > MAX_ADDRESS_LENGTH:
        raise InvalidUrl(f"The address is too long ({len(text):,} characters); a repository "
                         f"address has at most {MAX_ADDRESS_LENGTH:,}.")
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text):
        raise InvalidUrl("The address contains spaces or control characters.")
    if "\\" in text:
        raise InvalidUrl("The address contains a backslash, which no GitHub address has.")
    location = re.split(r"[?#]", text, maxsplit=1)[0]
    authority, path = _split_location(location, enterprise)
    segments = [segment for segment in path.split("/") if segment]
    if authority is None:
        # Shorthand is meant to be exact; "a/b/c" is more likely prose than a repository.
        if len(segments) > 2 or path.startswith("/"):
            raise InvalidUrl("Shorthand takes exactly owner/name; paste the full URL instead.")
        host = GITHUB_HOST
    else:
        host, is_api = _host_of(authority, enterprise)
        segments = _drop_api_prefix(segments, is_api, host == enterprise)
    owner, name = _owner_and_name(segments)
    return RepoRef(owner, name, host)


@dataclass(frozen=True)
class OwnerRef:
    """A GitHub user or organization on one host: what ``import-all`` asks for."""

    login: str
    host: str = GITHUB_HOST

    @property
    def key(self) -> str:
        """The owner's batch key in the queue (logins are case-insensitive)."""
        return self.login.lower()

    @property
    def url(self) -> str:
        return f"https://{self.host}/{self.login}"


def parse_owner(text: str, *, enterprise_host: str | None = None) -> OwnerRef:
    """The user or organization ``text`` names: ``login``, ``@login``, or its page
    (``https://github.com/login``, ``github.com/orgs/login``, ``…/login?tab=repositories``,
    the API's ``…/users/login``). Raises :class:`InvalidUrl` saying why not; a
    repository's address says it is one."""
    if not isinstance(text, str):
        raise InvalidUrl("The owner is not text.")
    enterprise = enterprise_host.strip().lower() if enterprise_host else None
    text = _unwrap(text)
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text):
        raise InvalidUrl("The owner contains spaces or control characters.")
    host = GITHUB_HOST
    if text.startswith("@"):
        segments = [text[1:]]
    else:
        location = re.split(r"[?#]", text, maxsplit=1)[0]
        authority, path = _split_location(location, enterprise)
        segments = [segment for segment in path.split("/") if segment]
        if authority is not None:
            host, is_api = _host_of(authority, enterprise)
            segments = _owner_path(segments, is_api, host == enterprise)
        elif segments[:1] and segments[0].lower() == "orgs":
            segments = segments[1:2]
        if len(segments) > 1:
            raise InvalidUrl(f"{_shown('/'.join(segments[:2]))} names a repository, not an "
                             "owner; import it on its own, or paste https://github.com/LOGIN.")
    if not segments or not segments[0]:
        raise InvalidUrl("The owner is missing; expected a login such as octocat or @octocat.")
    login = segments[0]
    if login.lower() in RESERVED_OWNERS:
        raise InvalidUrl(f"{_shown(login)} is a GitHub page, not a user or organization.")
    if not is_owner(login):
        raise InvalidUrl(f"{_shown(login)} is not a valid GitHub login: letters, digits and "
                         "single inner hyphens, at most 39.")
    return OwnerRef(login, host)


def _owner_path(segments: list[str], is_api: bool, is_enterprise: bool) -> list[str]:
    """An owner page's path (``login``, ``orgs/login/…``, the API's ``users/login``)
    reduced to ``[login]``, or to more segments when it names something else."""
    lowered = [segment.lower() for segment in segments[:2]]
    if is_enterprise and lowered == ["api", "v3"]:
        segments, is_api = segments[2:], True
        lowered = [segment.lower() for segment in segments[:1]]
    if is_api:
        if lowered[:1] not in (["users"], ["orgs"]):
            raise InvalidUrl("Only the API's /users/LOGIN or /orgs/LOGIN addresses name an owner.")
        return segments[1:2]
    if lowered[:1] == ["orgs"]:
        return segments[1:2]
    return segments


def looks_like_repo_url(text: str, *, enterprise_host: str | None = None) -> bool:
    """Whether ``text`` (say, the clipboard) names a repository, to prefill a field."""
    try:
        parse(text, enterprise_host=enterprise_host)
    except InvalidUrl:
        return False
    return True


def _unwrap(text: str) -> str:
    """Strip whitespace and the brackets or quotes that chat and Markdown add.

    Moves two indexes inward and slices once: slicing at every layer was quadratic
    (400,000 nested pairs took seconds)."""
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start >= 2 and _WRAPPERS.get(text[start]) == text[end - 1]:
        start, end = start + 1, end - 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
    return text[start:end]


def _split_location(location: str, enterprise: str | None) -> tuple[str | None, str]:
    """``(authority, path)``; the authority is None for ``owner/name`` shorthand."""
    match = _SCHEME_RE.match(location)
    if match:
        scheme = match.group(1).lower().removeprefix("git+")
        if scheme not in _SCHEMES:
            raise InvalidUrl(f"{_shown(scheme)} addresses are not supported; "
                             "use https://github.com/owner/name.")
        authority, _, path = location[match.end():].partition("/")
        return authority, path
    if location.startswith("//"):  # a scheme-relative link, as some pages copy them
        authority, _, path = location[2:].partition("/")
        return authority, path
    first, _, rest = location.partition("/")
    if ":" in first:
        host_part, _, after_colon = first.partition(":")
        # scp syntax (git@host:owner/name) has no port, so digits after a user are an owner.
        if "@" not in host_part and (after_colon.isdigit() or not after_colon):
            return first, rest
        return host_part, f"{after_colon}/{rest}"
    # Owners cannot contain dots or "@", so a first segment with one is a host.
    if "." in first or "@" in first or (enterprise and first.lower() == enterprise):
        return first, rest
    return None, location


def _host_of(authority: str, enterprise: str | None) -> tuple[str, bool]:
    """The canonical host for ``authority`` and whether it is the REST API host."""
    userinfo, _, host_port = authority.rpartition("@")
    host, has_port, port = host_port.partition(":")
    host = host.lower()
    if not host:
        raise InvalidUrl("The address names no host; expected github.com/owner/name.")
    if host in _GIST_HOSTS:
        raise InvalidUrl("Gists are not repositories; paste a github.com/owner/name address.")
    if host in _GITHUB_WEB_HOSTS or host == _GITHUB_API_HOST:
        if has_port:
            raise InvalidUrl("github.com addresses take no port.")
        canonical = GITHUB_HOST
    elif enterprise and host == enterprise:
        if port and not port.isdigit():
            raise InvalidUrl(f"{_shown(port)} is not a port number.")
        canonical = enterprise
    else:
        also = f" or {enterprise}" if enterprise else ""
        raise InvalidUrl(f"{_shown(host)} is not github.com{also}; only GitHub repositories "
                         "can be imported.")
    # "evil.com@github.com" does reach GitHub, but it is a trick, not a paste.
    if "." in userinfo or "@" in userinfo:
        raise InvalidUrl("The part before '@' looks like another host; paste the "
                         "github.com address itself.")
    return canonical, host == _GITHUB_API_HOST


def _drop_api_prefix(segments: list[str], is_api: bool, is_enterprise: bool) -> list[str]:
    """Turn a REST URL's path (``repos/o/r``, ``api/v3/repos/o/r``) into ``o/r``."""
    lowered = [segment.lower() for segment in segments[:3]]
    if is_api:
        if lowered[:1] != ["repos"]:
            raise InvalidUrl("Only api.github.com/repos/owner/name addresses name a repository.")
        return segments[1:]
    if is_enterprise and lowered == ["api", "v3", "repos"]:
        return segments[3:]
    return segments


def _owner_and_name(segments: list[str]) -> tuple[str, str]:
    """Check the first two path segments against GitHub's naming rules."""
    if not segments:
        raise InvalidUrl("The address names no repository; expected owner/name.")
    # Decoding would let "%2F" or "%2e%2e" smuggle a separator or ".." past the checks.
    if any("%" in segment for segment in segments[:2]):
        raise InvalidUrl("Percent-encoded characters are not allowed in an owner or "
                         "repository name.")
    owner = segments[0]
    if owner.lower() in RESERVED_OWNERS:
        raise InvalidUrl(f"{_shown(owner)} is a GitHub page, not a repository owner.")
    if len(segments) < 2:
        raise InvalidUrl(f"The repository name is missing after {_shown(owner)}; "
                         "expected owner/name.")
    name = segments[1]
    if not is_owner(owner):
        raise InvalidUrl(f"{_shown(owner)} is not a valid owner: letters, digits and single "
                         "inner hyphens, at most 39.")
    if name.lower().endswith(".git"):
        name = name[:-4]
    if not name:
        raise InvalidUrl(f"The repository name is missing after {_shown(owner)}; "
                         "expected owner/name.")
    if not is_repo_name(name):
        raise InvalidUrl(f"{_shown(name)} is not a valid repository name: letters, digits, "
                         "'.', '-', '_', at most 100.")
    return owner, name


def is_owner(text: object) -> bool:
    """GitHub's rule for a login: letters, digits, single inner hyphens, at most 39."""
    return isinstance(text, str) and len(text) <= 39 and bool(_OWNER_RE.fullmatch(text))


def is_repo_name(text: object) -> bool:
    """GitHub's rule for a repository name: letters, digits, ``.-_``, at most 100."""
    return (isinstance(text, str) and len(text) <= 100 and text not in (".", "..")
            and bool(_NAME_RE.fullmatch(text)) and not text.lower().endswith(".git"))


def split_full_name(text: object) -> tuple[str, str] | None:
    """``(owner, name)`` when ``text`` is a valid ``owner/name``, else None."""
    if not isinstance(text, str) or text.count("/") != 1:
        return None
    owner, name = text.split("/")
    return (owner, name) if is_owner(owner) and is_repo_name(name) else None


def without_credentials(url: str, mask: str = "***") -> str:
    """``https://user:secret@host/v1`` -> ``https://***@host/v1``: fit to print, log or store."""
    try:
        urlsplit(url)
    except ValueError:  # unparsable: show nothing of it rather than a secret
        return mask
    return mask_credentials(url, mask)


def hide_credentials(text: str) -> str:
    """Every ``scheme://user:password@`` inside ``text`` (a message, a log line) masked."""
    return _URL_IN_TEXT.sub(lambda url: mask_credentials(url[0]), text) if "@" in text else text


def mask_credentials(url: str, mask: str = "***", *, keep_user: bool = False) -> str:
    """One URL (``scheme://`` may be missing, and it need not parse) with its user info
    masked: ``u:pw@host`` -> ``***@host``, or with ``keep_user`` ``u:***@host`` (a user
    name alone is then no secret and stays).

    The user info ends at the last ``@`` before the path. A password holding ``/``, ``?``
    or ``#`` would seem to start the path: when what comes before that cannot be a
    ``host[:port]`` (``u:p`` of ``u:p/ss@host``), the user info runs to the URL's last
    ``@``, so no part of the password is shown."""
    start = url.find("://")
    start = 0 if start < 0 else start + 3
    rest = url[start:]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority:
        end = start + authority.rindex("@")
    elif "@" in rest and not _HOST_AND_PORT.fullmatch(authority):
        end = start + rest.rindex("@")
    else:
        return url
    userinfo = url[start:end]
    if keep_user:
        if ":" not in userinfo:
            return url
        mask = userinfo.split(":", 1)[0] + ":" + mask
    return url[:start] + mask + url[end:]


def _shown(part: str) -> str:
    """Quote a piece of the input for a message, cut short so one line stays one line."""
    return repr(part if len(part) <= _SHOWN_MAX else part[:_SHOWN_MAX] + "…")
