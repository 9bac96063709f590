"""What a server may send us: a byte cap per kind of answer and a total time per request.

One policy for GitHub and the AI model alike. The caps are data (one field per kind
of answer), so a new kind of request picks its own cap by name; :class:`Settings`
carries one :class:`ResponseLimits` and tests shrink it. Caps count *decoded* bytes:
a gzip body is measured after it expands. ``request_seconds`` is the whole time of one
request, every read included — a server dripping one byte a second still ends.

The exceptions below are deliberately not ``httpx`` errors, so that no HTTP library
mistakes them for a network fault and retries; each caller turns them into its own
user-facing error (``GITHUB_ERROR``, or the AI's offline fallback with a note).
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of answer (field names of ResponseLimits).
REPOSITORY = "repository"
LISTING = "listing"
METADATA = "metadata"
TREE = "tree"
FILE = "file"
README = "readme"
AI_ANSWER = "ai_answer"
ERROR_BODY = "error_body"

_WHAT = {REPOSITORY: "repository object", LISTING: "repository listing",
         METADATA: "answer", TREE: "file tree", FILE: "file", README: "README",
         AI_ANSWER: "answer", ERROR_BODY: "error answer"}
# Past the cap these keep their beginning (a README is still worth showing cut).
_CUT = frozenset({FILE, README, ERROR_BODY})


@dataclass(frozen=True)
class Cap:
    """The bound for one answer: ``what`` names it in messages ("file tree")."""

    what: str
    max_bytes: int
    cut: bool = False  # over the cap: keep the first max_bytes instead of failing


@dataclass(frozen=True)
class ResponseLimits:
    """Byte caps per kind of answer, the tree's entry limit and the time per request."""

    repository: int = 1_000_000  # one repository object (GitHub's are ~6 KB)
    listing: int = 10_000_000  # one page of an owner's listing (100 repository objects)
    metadata: int = 1_000_000  # languages, topics, latest release, user, rate limit
    tree: int = 40_000_000  # a recursive tree; GitHub's own cut is ~100,000 entries
    tree_entries: int = 100_000  # entries kept; the rest is dropped and the tree marked cut
    file: int = 200_000  # a manifest or workflow (cut, not failed)
    readme: int = 1_000_000  # the README (cut, not failed)
    ai_answer: int = 1_000_000  # the AI model's whole HTTP answer
    error_body: int = 64_000  # what we read of an error answer
    request_seconds: float = 60.0  # one request, from sending to the last byte

    def cap(self, kind: str, what: str | None = None) -> Cap:
        """The cap for ``kind``; ``what`` overrides the name used in messages."""
        return Cap(what or _WHAT[kind], int(getattr(self, kind)), cut=kind in _CUT)


class AnswerRefused(Exception):
    """A server's answer was given up on; ``what`` names the answer."""

    def __init__(self, what: str, detail: str):
        super().__init__(f"{what}: {detail}")
        self.what = what


class AnswerTooLarge(AnswerRefused):
    def __init__(self, what: str, max_bytes: int):
        super().__init__(what, f"larger than {human_bytes(max_bytes)}")
        self.max_bytes = max_bytes


class AnswerTooSlow(AnswerRefused):
    def __init__(self, what: str, seconds: float):
        super().__init__(what, f"not complete within {seconds:g} s")
        self.seconds = seconds


class AnswerStopped(AnswerRefused):
    """The caller stopped waiting (a cancel, the job's deadline, the client closing)."""

    def __init__(self, what: str):
        super().__init__(what, "stopped")


class AnswerUndecodable(AnswerRefused):
    """The body's encoding is one we did not ask for, or it does not decode."""


class ForeignRedirect(AnswerRefused):
    """A redirect pointed at another host; nothing was sent there."""

    def __init__(self, what: str, host: str):
        super().__init__(what, f"redirected to another host ({host})")
        self.host = host


def human_bytes(n: int) -> str:
    """1_000_000 -> "1 MB", 64_000 -> "64 KB", 512 -> "512 bytes" (decimal units)."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= size:
            value = n / size
            shown = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
            return f"{shown} {unit}"
    return f"{n} bytes"
