"""What a publish is asked to do, checked before anything is read or written.

The command line and the window both build a :class:`PublishOptions`; a bad
value is an ``InvalidInput`` (exit code 2) before any file or remote is touched.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from core.catalog import check_profile_name
from core.errors import InvalidInput

SITE, MARKDOWN, JSON = "site", "markdown", "json"
ALL_FORMATS = frozenset({SITE, MARKDOWN, JSON})
DEFAULT_BRANCH = "gh-pages"
MAX_TITLE = 120
MAX_INTRO = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def formats_of(choice: str) -> frozenset[str]:
    """``--format`` (site, markdown, json or all) as a set of formats."""
    if choice == "all":
        return ALL_FORMATS
    if choice not in ALL_FORMATS:
        raise InvalidInput(f"{choice!r} is not a format.",
                           suggestion="Use --format site, markdown, json or all.")
    return frozenset({choice})


def one_line(text: str | None, limit: int, what: str) -> str:
    """A title or intro as one line: control characters and runs of spaces become one space."""
    line = " ".join(_CONTROL.sub(" ", text or "").split())
    if len(line) > limit:
        raise InvalidInput(f"The {what} is {len(line)} characters long; at most {limit} fit.",
                           suggestion=f"Shorten the {what}.")
    return line


@dataclass(frozen=True)
class PublishOptions:
    """One publish: where, what, for whom, and where to push it (``git_remote`` or None)."""

    out: Path
    profile: str = "default"
    formats: frozenset[str] = ALL_FORMATS
    title: str | None = None  # None: the profile's saved title, else the default
    intro: str | None = None  # None: the profile's saved introduction, else the default
    include_private: bool = False
    git_remote: str | None = None
    branch: str = DEFAULT_BRANCH

    def checked(self) -> "PublishOptions":
        """These options with tidy values; raises InvalidInput for anything unusable."""
        check_profile_name(self.profile)
        if not self.formats or not self.formats <= ALL_FORMATS:
            raise InvalidInput("Choose at least one format: site, markdown or json.")
        if not str(self.out).strip():
            raise InvalidInput("The output folder is empty.",
                               suggestion="Give a folder with --out DIR.")
        out = Path(self.out).expanduser().resolve()
        if out.exists() and not out.is_dir():
            raise InvalidInput(f"{out} is a file, not a folder.",
                               suggestion="Give a new or empty folder with --out DIR.")
        title = None if self.title is None else one_line(self.title, MAX_TITLE, "title")
        if title == "":
            raise InvalidInput("The title is empty.",
                               suggestion="Give a title, or leave the option out for the default.")
        intro = None if self.intro is None else one_line(self.intro, MAX_INTRO, "introduction")
        remote = None
        if self.git_remote is not None:
            remote = check_remote(self.git_remote)
            check_branch(self.branch)
        return PublishOptions(out=out, profile=self.profile, formats=frozenset(self.formats),
                              title=title, intro=intro, include_private=self.include_private,
                              git_remote=remote, branch=self.branch)


def check_remote(url: str) -> str:
    remote = url.strip()
    # A value starting with "-" would reach git as an option.
    if not remote or remote.startswith("-") or _CONTROL.search(remote):
        raise InvalidInput("That git remote is not usable.",
                           suggestion="Give a remote such as git@github.com:you/you.github.io.git,"
                                      " an https:// address, or a local repository path.")
    return remote


def check_branch(branch: str) -> str:
    """A branch name git accepts (``git check-ref-format --branch``'s rules)."""
    ok = bool(branch) and not branch.startswith("-")
    if ok:
        try:
            done = subprocess.run(["git", "check-ref-format", f"refs/heads/{branch}"],
                                  capture_output=True, timeout=10)
            ok = done.returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            # No git at all: the deploy says so with its own suggestion.
            ok = re.fullmatch(r"[A-Za-z0-9._/-]+", branch) is not None
    if not ok:
        raise InvalidInput(f"{branch!r} is not a valid branch name.",
                           suggestion="Use a name such as gh-pages (the default).")
    return branch
