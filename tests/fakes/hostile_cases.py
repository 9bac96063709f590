"""The hostile cases: what each server does, the bound it meets, and the outcome we expect.

Shared by ``tests/core/test_hostile_servers.py`` (asserts each outcome) and
``bench/hostile.py`` (prints the table in docs/RELIABILITY.md). Each case runs one
import in a subprocess (:mod:`tests.fakes.hostile_run`) under ``RLIMIT_AS`` of
:data:`MEMORY_MB`, against a fresh :class:`HostileServer`, with the short caps and
times of :data:`LIMITS` so that the whole set runs in seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes.hostile_server import (
    HostileServer, analysis_json, big_tree, chat, completion, drip, endless, gzip_bomb,
    huge_json, json_answer, raw_answer, redirect, repository_json, stall,
)

ROOT = Path(__file__).resolve().parents[2]
MEMORY_MB = 300  # the bound, applied as the whole address space of the process
STALL_READ_TIMEOUT = 30.0  # per read: only a cancel or the deadline can end a stall sooner
DEADLINE = 20.0  # the job's time limit in every case: "it ended" means before this
LIMITS = {"repository": 64_000, "metadata": 64_000, "readme": 64_000, "ai_answer": 256_000,
          "request_seconds": 10.0}
REPO_PATH = r"^/repos/o/r$"
AI_PATH = r"/chat/completions$"

Rules = Callable[[HostileServer], dict]


@dataclass(frozen=True)
class Case:
    """One hostile server, the bound that must stop it, and the ending we expect."""

    name: str
    server: str  # what the server does, for the table
    rules: Rules
    bound: str  # what stops it, for the table
    status: str  # the job's final status
    code: str | None  # the job's error code (None: success)
    says: str  # a piece of the job's message
    ai: bool = False
    spec: dict = field(default_factory=dict)  # hostile_run overrides
    only_paths: tuple[str, ...] | None = None  # the only paths the server may see


def _repo(**changes) -> Rules:
    return lambda h: {REPO_PATH: json_answer(repository_json(**changes))}


_REPO_BODY = json.dumps(repository_json()).encode()
_AI_BODY = json.dumps(completion(json.dumps(analysis_json()))).encode()

CASES: list[Case] = [
    Case("endless-repository", "repository object: 200, no length, endless 'x'",
         lambda h: {REPO_PATH: endless()}, "64 KB repository cap", "FAILURE", "GITHUB_ERROR",
         "repository object for o/r is larger than 64 KB"),
    Case("gzip-bomb-repository", "repository object: gzip expanding to 8 GB",
         lambda h: {REPO_PATH: gzip_bomb()}, "64 KB cap, counted after decompression",
         "FAILURE", "GITHUB_ERROR", "repository object for o/r is larger than 64 KB"),
    Case("huge-json-languages", "languages: valid JSON of 50 MB",
         lambda h: {r"/languages$": huge_json(50_000_000, key="Python")}, "64 KB metadata cap",
         "FAILURE", "GITHUB_ERROR", "languages for o/r is larger than 64 KB"),
    Case("endless-readme", "README: endless text", lambda h: {r"/readme$": endless(b"# r\n")},
         "64 KB README cap (cut, kept)", "SUCCESS", None, "Imported o/r."),
    Case("drip-repository", "repository object: one byte per second",
         lambda h: {REPO_PATH: drip(_REPO_BODY)}, "2 s per request, all reads included",
         "FAILURE", "NETWORK_ERROR", "took more than 2 s to send the repository object",
         spec={"limits": {**LIMITS, "request_seconds": 2.0}}),
    Case("stall-then-cancel", "repository request: never answered, then the user cancels",
         lambda h: {REPO_PATH: stall()}, "the cancel, polled every 0.1 s", "CANCELLED",
         "CANCELLED", "Cancelled", spec={"cancel_when": "/repos/o/r",
                                         "read_timeout": STALL_READ_TIMEOUT}),
    Case("stall-past-deadline", "repository request: never answered",
         lambda h: {REPO_PATH: stall()}, "the job's 2 s deadline", "FAILURE", "TIMEOUT",
         "ran past its time limit", spec={"deadline": 2.0, "read_timeout": STALL_READ_TIMEOUT}),
    Case("malformed-json", "repository object: JSON cut in the middle",
         lambda h: {REPO_PATH: raw_answer(_REPO_BODY[:40])}, "JSON check", "FAILURE",
         "GITHUB_ERROR", "repository object is not valid JSON"),
    Case("html-body", "repository object: an HTML sign-in page",
         lambda h: {REPO_PATH: raw_answer(b"<!DOCTYPE html><html><body>Sign in</body></html>",
                                          content_type="text/html")},
         "JSON check", "FAILURE", "GITHUB_ERROR", "is an HTML page, not JSON"),
    Case("string-id", "repository object: \"id\": \"1\"", _repo(id="1"), "field check",
         "FAILURE", "GITHUB_ERROR", "'id' is text, not a positive whole number"),
    Case("languages-list", "languages: a list", lambda h: {r"/languages$": json_answer(["Py"])},
         "field check", "FAILURE", "GITHUB_ERROR", "the languages are a list"),
    Case("null-full-name", "repository object: \"full_name\": null", _repo(full_name=None),
         "field check", "FAILURE", "GITHUB_ERROR", "'full_name' is null"),
    Case("null-languages", "languages: null", lambda h: {r"/languages$": json_answer(None)},
         "field check", "FAILURE", "GITHUB_ERROR", "the languages are null"),
    Case("traversal-full-name", "repository object: \"full_name\": \"../..\"",
         _repo(full_name="../.."), "owner/name rules; paths from validated parts only",
         "FAILURE", "GITHUB_ERROR", "'full_name' is not a valid owner/name",
         only_paths=("/repos/o/r",)),
    Case("markup-full-name", "repository object: \"full_name\": \"<script>…</script>/x\"",
         _repo(full_name="<script>alert(1)</script>/x"), "owner/name rules", "FAILURE",
         "GITHUB_ERROR", "'full_name' is not a valid owner/name", only_paths=("/repos/o/r",)),
    Case("another-full-name", "repository object of another repository (no redirect)",
         _repo(full_name="evil/other"), "full_name must be the one asked for", "FAILURE",
         "GITHUB_ERROR", "describes another repository", only_paths=("/repos/o/r",)),
    Case("traversal-tree-path", "tree entry \"../../etc/passwd\"",
         lambda h: {r"/git/trees/": json_answer({"tree": [{"path": "../../etc/passwd",
                                                            "type": "blob"}]})},
         "tree path rules", "FAILURE", "GITHUB_ERROR", "not a path inside the repository"),
    Case("redirect-other-host", "repository request: 307 to 127.0.0.2",
         lambda h: {REPO_PATH: redirect(h.other.url + "/repos/o/r")},
         "redirects never followed blindly", "FAILURE", "GITHUB_ERROR",
         "redirected o/r to an unexpected place"),
    Case("rename-other-host", "repository request: 301 to 127.0.0.2/repositories/1",
         lambda h: {REPO_PATH: redirect(h.other.url + "/repositories/1", 301)},
         "the id is followed on our own base URL", "SUCCESS", None, "Imported o/r."),
    Case("tree-500000", "tree: 500,000 entries (~40 MB)", lambda h: {r"/git/trees/": big_tree()},
         "100,000 entries kept, parsed as it streams", "SUCCESS", None,
         "file tree was cut at 100,000 entries", spec={"limits": {**LIMITS}}),
    Case("ai-endless", "AI answer: 200, endless",
         lambda h: {AI_PATH: endless(b'{"id": "x", "choices": [')}, "256 KB AI answer cap",
         "SUCCESS", None, "AI model's answer was larger than 256 KB", ai=True),
    Case("ai-gzip-bomb", "AI answer: gzip expanding to 8 GB", lambda h: {AI_PATH: gzip_bomb()},
         "256 KB cap, counted after decompression", "SUCCESS", None,
         "AI model's answer was larger than 256 KB", ai=True),
    Case("ai-drip", "AI answer: one byte per second", lambda h: {AI_PATH: drip(_AI_BODY)},
         "2 s for the whole AI call", "SUCCESS", None, "AI model did not answer within 2 s",
         ai=True, spec={"ai_seconds": 2.0}),
    Case("ai-redirect-other-host", "AI request: 307 to 127.0.0.2",
         lambda h: {AI_PATH: redirect(h.other.url + "/v1/chat/completions")},
         "one origin only", "SUCCESS", None, "redirected the request to another host", ai=True),
    Case("ai-200000-tags", "AI answer: 200,000 tags (3 MB)",
         lambda h: {AI_PATH: chat(analysis_json(tags=[f"tag-{i}" for i in range(200_000)]))},
         "tags looked at: 50; kept: 8", "SUCCESS", None, "Imported o/r.", ai=True,
         spec={"limits": {**LIMITS, "ai_answer": 4_000_000}}),
    Case("ai-not-json", "AI answer: prose, not JSON",
         lambda h: {AI_PATH: chat("I would rather not answer in JSON.")}, "answer check",
         "SUCCESS", None, "unusable output", ai=True),
    Case("ai-stall-then-cancel", "AI request: never answered, then the user cancels",
         lambda h: {AI_PATH: stall()}, "the cancel, polled every 0.1 s", "CANCELLED",
         "CANCELLED", "Cancelled", ai=True,
         spec={"cancel_when": "/chat/completions", "read_timeout": STALL_READ_TIMEOUT,
               "ai_seconds": STALL_READ_TIMEOUT}),
]


@dataclass
class Outcome:
    """What one case did: the driver's JSON plus what the servers saw."""

    result: dict
    sent_bytes: int
    paths: list[str]
    other_host_requests: int
    wall_seconds: float


def run(case: Case, home: Path, *, memory_mb: int = MEMORY_MB) -> Outcome:
    with HostileServer() as hostile:
        for pattern, answer in case.rules(hostile).items():
            hostile.on(pattern, answer)
        spec = {"home": str(home), "github": hostile.url,
                "ai": hostile.ai_url if case.ai else None, "memory_mb": memory_mb,
                "limits": LIMITS, "deadline": DEADLINE, **case.spec}
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "tests.fakes.hostile_run", json.dumps(spec)],
            cwd=ROOT, capture_output=True, text=True, timeout=DEADLINE + 40,
            # Two malloc arenas: the address space then measures what we allocate, not
            # glibc's 64 MB reservation per thread.
            env={**os.environ, "MALLOC_ARENA_MAX": "2", "PYTHONPATH": str(ROOT)})
        wall = time.monotonic() - started
        if done.returncode != 0 or not done.stdout.strip():
            raise AssertionError(f"{case.name}: the driver failed ({done.returncode}):\n"
                                 f"{done.stderr[-3000:]}")
        return Outcome(json.loads(done.stdout.strip().splitlines()[-1]), hostile.sent(),
                       sorted({seen.path for seen in hostile.requests}),
                       len(hostile.other.requests), wall)
