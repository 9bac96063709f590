"""What GitHub answers, checked field by field before anything is used.

A server is untrusted input. A body that is not JSON (an HTML page), a wrong type, a
null where a value is required, a ``full_name`` that is not the repository we asked
for, or a path that climbs out of the repository ends the import with
``GITHUB_ERROR`` naming the field — never ``INTERNAL_ERROR``, and never a request
built from what the server said. Messages name the field and the kind of problem
but do not quote the server's value (it may be markup or megabytes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from core.errors import GitHubError
from core.github.snapshot import TreeEntry
from core.urls import split_full_name

SUGGESTION = ("The server's answer was not what GitHub sends. If REPOFOLIO_GITHUB_API points "
              "at a proxy or a GitHub-compatible server, check it; otherwise retry later.")
MAX_PATH_LENGTH = 4096
# git check-ref-format, in short: no control characters, spaces or ~^:?*[\ , no "..",
# no "@{", no empty component, no component starting with "." or ending in ".lock".
_BAD_REF = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|^/|/$|^@$|(^|/)\.|\.lock(/|$)|\.$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_OPTIONAL_TEXT = ("description", "homepage", "html_url", "language", "created_at", "pushed_at",
                  "default_branch", "name")
_OPTIONAL_COUNTS = ("stargazers_count", "forks_count")
_OPTIONAL_FLAGS = ("private", "fork", "archived")


def invalid(subject: str, problem: str, *, status: int = 200) -> GitHubError:
    return GitHubError(f"GitHub's answer for {subject} is not usable: {problem}.",
                       status=status, suggestion=SUGGESTION)


def json_body(body: bytes, *, subject: str, what: str, content_type: str = "",
              status: int = 200) -> Any:
    """The JSON value of an answer; GITHUB_ERROR saying what it was instead."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: [[[[... nested past the stack
        pass
    start = body[:200].lstrip().lower()
    if "html" in content_type.lower() or start.startswith((b"<!doctype", b"<html", b"<")):
        raise GitHubError(
            f"GitHub's {what} for {subject} is an HTML page, not JSON.", status=status,
            suggestion="REPOFOLIO_GITHUB_API must be the API address (https://api.github.com, "
                       "or https://HOST/api/v3 for GitHub Enterprise), not a web page.")
    raise invalid(subject, f"the {what} is not valid JSON", status=status)


def _kind(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "an object", type(None): "null"}.get(type(value), "a value")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_positive_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def is_branch(value: object) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= 255
            and not _BAD_REF.search(value))


def is_repo_path(value: object) -> bool:
    """A path inside a repository: relative, no empty, "." or ".." part, no control chars."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_PATH_LENGTH:
        return False
    if _CONTROL.search(value) or value.startswith("/") or "\\" in value:
        return False
    return all(part not in ("", ".", "..") for part in value.split("/"))


def repository(data: object, *, subject: str, requested: str | None = None,
               expected_id: int | None = None) -> dict:
    """A repository object whose fields have the types we use, or GITHUB_ERROR.

    ``requested`` ("owner/name"): ``full_name`` must name it (case aside) — pass None
    when a rename's redirect led here, and ``expected_id`` instead.
    """
    if not isinstance(data, dict):
        raise invalid(subject, f"the repository object is {_kind(data)}, not an object")
    if not is_positive_id(data.get("id")):
        raise invalid(subject, f"'id' is {_kind(data.get('id'))}, not a positive whole number")
    if expected_id is not None and data["id"] != expected_id:
        raise invalid(subject, "'id' is not the one GitHub redirected to")
    full_name = data.get("full_name")
    if split_full_name(full_name) is None:
        raise invalid(subject, f"'full_name' is {_kind(full_name)}, not a valid owner/name"
                      if not isinstance(full_name, str) else
                      "'full_name' is not a valid owner/name")
    if requested is not None and full_name.lower() != requested.lower():
        raise invalid(subject, f"it describes another repository ({full_name})")
    for key in _OPTIONAL_TEXT:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise invalid(subject, f"'{key}' is {_kind(data[key])}, not text")
    for key in _OPTIONAL_COUNTS:
        if data.get(key) is not None and not _is_count(data[key]):
            raise invalid(subject, f"'{key}' is {_kind(data[key])}, not a count")
    for key in _OPTIONAL_FLAGS:
        if data.get(key) is not None and not isinstance(data[key], bool):
            raise invalid(subject, f"'{key}' is {_kind(data[key])}, not true/false")
    if data.get("default_branch") is not None and not is_branch(data["default_branch"]):
        raise invalid(subject, "'default_branch' is not a valid branch name")
    topics = data.get("topics")
    if topics is not None:
        string_list(topics, subject=subject, field="topics")
    license_info = data.get("license")
    if license_info is not None:
        if not isinstance(license_info, dict):
            raise invalid(subject, f"'license' is {_kind(license_info)}, not an object")
        spdx = license_info.get("spdx_id")
        if spdx is not None and not isinstance(spdx, str):
            raise invalid(subject, f"'license.spdx_id' is {_kind(spdx)}, not text")
    return data


def string_list(value: object, *, subject: str, field: str) -> list[str]:
    if not isinstance(value, list):
        raise invalid(subject, f"'{field}' is {_kind(value)}, not a list")
    for item in value:
        if not isinstance(item, str):
            raise invalid(subject, f"'{field}' holds {_kind(item)}, not text")
    return value


def languages(data: object, *, subject: str) -> dict[str, int]:
    """``{name: bytes}``: text keys, whole non-negative numbers."""
    if not isinstance(data, dict):
        raise invalid(subject, f"the languages are {_kind(data)}, not an object")
    for value in data.values():
        if not _is_count(value):
            raise invalid(subject, f"a language's size is {_kind(value)}, not a count")
    return data


def topics(data: object, *, subject: str) -> list[str]:
    if not isinstance(data, dict):
        raise invalid(subject, f"the topics answer is {_kind(data)}, not an object")
    return string_list(data.get("names", []), subject=subject, field="names")


def release_tag(data: object) -> str | None:
    """The latest release's tag, or None: only a nicety, so never an error."""
    tag = data.get("tag_name") if isinstance(data, dict) else None
    return tag if isinstance(tag, str) and tag and not _CONTROL.search(tag) else None


def tree_entry(data: object, *, subject: str, index: int) -> TreeEntry:
    if not isinstance(data, dict):
        raise invalid(subject, f"tree entry {index} is {_kind(data)}, not an object")
    path, kind, size = data.get("path"), data.get("type", "blob"), data.get("size")
    if not is_repo_path(path):
        raise invalid(subject, f"tree entry {index} has a 'path' that is not a path inside "
                               "the repository")
    if not isinstance(kind, str):
        raise invalid(subject, f"tree entry {index} has a 'type' that is {_kind(kind)}")
    if size is not None and not _is_count(size):
        raise invalid(subject, f"tree entry {index} has a 'size' that is {_kind(size)}")
    return TreeEntry(path, kind, size)


def login(data: object, *, subject: str) -> dict:
    if not isinstance(data, dict) or not isinstance(data.get("login"), str):
        raise invalid(subject, "the user has no 'login' text")
    return data


def rate(data: object, *, subject: str) -> dict:
    """``{"limit", "remaining", "reset"}``: whole numbers or None."""
    if not isinstance(data, dict):
        raise invalid(subject, f"the rate limit is {_kind(data)}, not an object")
    resources = data.get("resources")
    core = (resources.get("core") if isinstance(resources, Mapping) else None) or data.get("rate")
    core = core if isinstance(core, dict) else {}
    result = {key: core.get(key) for key in ("limit", "remaining", "reset")}
    for key, value in result.items():
        if value is not None and not _is_count(value):
            raise invalid(subject, f"the rate limit's '{key}' is {_kind(value)}, not a count")
    return result
