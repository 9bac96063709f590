"""Typed errors that every layer raises and every front end shows.

Each error carries a stable ``code`` (DESIGN §6), a one-line ``message`` and a
``suggestion``. Callers decide from fields (``retryable``, ``retry_after``),
never from the message text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INVALID_URL = "INVALID_URL"
DUPLICATE_IMPORT = "DUPLICATE_IMPORT"
IMPORT_IN_PROGRESS = "IMPORT_IN_PROGRESS"
REPO_NOT_FOUND = "REPO_NOT_FOUND"
AUTH_FAILED = "AUTH_FAILED"
RATE_LIMITED = "RATE_LIMITED"
NETWORK_ERROR = "NETWORK_ERROR"
GITHUB_ERROR = "GITHUB_ERROR"
TIMEOUT = "TIMEOUT"
CANCELLED = "CANCELLED"
# Codes outside the import contract: lookups, storage faults and unexpected faults.
NOT_FOUND = "NOT_FOUND"
INVALID_INPUT = "INVALID_INPUT"
INTERNAL_ERROR = "INTERNAL_ERROR"
DISK_FULL = "DISK_FULL"
STORAGE_READ_ONLY = "STORAGE_READ_ONLY"
STORAGE_DAMAGED = "STORAGE_DAMAGED"
# Team mode: the catalog's or the queue's server cannot be reached or refuses us.
STORAGE_UNREACHABLE = "STORAGE_UNREACHABLE"


@dataclass(frozen=True)
class ErrorInfo:
    """What a front end shows for a failure: a code, one line, and what to do."""

    code: str
    message: str
    suggestion: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "suggestion": self.suggestion}


class RepofolioError(Exception):
    """Base of every error a user may see."""

    code = INTERNAL_ERROR
    suggestion = "Try again; if it keeps failing, send the log from Help > Open log."
    retryable = False

    def __init__(self, message: str, *, suggestion: str | None = None, **data: Any):
        super().__init__(message)
        self.message = message
        if suggestion is not None:
            self.suggestion = suggestion
        self.data = data

    @property
    def info(self) -> ErrorInfo:
        return ErrorInfo(self.code, self.message, self.suggestion)

    def to_dict(self) -> dict[str, str]:
        return self.info.to_dict()


class InvalidUrl(RepofolioError):
    code = INVALID_URL
    suggestion = "Paste a repository address such as https://github.com/owner/name or owner/name."


class InvalidInput(RepofolioError):
    code = INVALID_INPUT
    suggestion = "Check the value and try again."


class NotFound(RepofolioError):
    code = NOT_FOUND
    suggestion = "Run `repofolio list` or `repofolio jobs --all` to see what exists."


class DuplicateImport(RepofolioError):
    code = DUPLICATE_IMPORT
    suggestion = "Open the existing project, or delete it first to import it again."

    def __init__(self, message: str, *, project_id: int, **kw: Any):
        super().__init__(message, project_id=project_id, **kw)
        self.project_id = project_id


class ImportInProgress(RepofolioError):
    code = IMPORT_IN_PROGRESS
    suggestion = "Wait for the running import to finish (see `repofolio jobs`), or cancel it."

    def __init__(self, message: str, *, job_id: int, **kw: Any):
        super().__init__(message, job_id=job_id, **kw)
        self.job_id = job_id


class RepoNotFound(RepofolioError):
    code = REPO_NOT_FOUND
    suggestion = ("Check the owner and name. A private repository needs a GitHub token "
                  "with access to it (Settings, or GITHUB_TOKEN).")


class AuthFailed(RepofolioError):
    code = AUTH_FAILED
    suggestion = "The GitHub token was refused: replace it in Settings or GITHUB_TOKEN."


class RateLimited(RepofolioError):
    """GitHub's limit is spent; ``wait_seconds`` says how long until it resets."""

    code = RATE_LIMITED
    suggestion = ("Wait until the limit resets, or add a GitHub token in Settings to raise "
                  "the limit from 60 to 5,000 requests an hour.")

    def __init__(self, message: str, *, wait_seconds: float, reset_at: float | None = None,
                 secondary: bool = False, **kw: Any):
        super().__init__(message, wait_seconds=wait_seconds, reset_at=reset_at,
                         secondary=secondary, **kw)
        self.wait_seconds = wait_seconds
        self.reset_at = reset_at
        self.secondary = secondary


class NetworkError(RepofolioError):
    code = NETWORK_ERROR
    suggestion = "Check the internet connection (and REPOFOLIO_GITHUB_API), then retry."
    retryable = True


class GitHubError(RepofolioError):
    """GitHub answered with an unexpected status; 5xx are worth retrying."""

    code = GITHUB_ERROR
    suggestion = "GitHub had a problem answering; retry in a few minutes."

    def __init__(self, message: str, *, status: int, **kw: Any):
        super().__init__(message, status=status, **kw)
        self.status = status
        self.retryable = status >= 500


class ImportTimeout(RepofolioError):
    code = TIMEOUT
    suggestion = "The import took too long; retry it, or try again when GitHub is faster."


class Cancelled(RepofolioError):
    code = CANCELLED
    suggestion = "Import it again whenever you like."


class Interrupted(RepofolioError):
    """The app is shutting down; the job goes back to the queue without spending an attempt."""

    code = "INTERRUPTED"
    suggestion = "The import continues when the app or `repofolio worker` starts again."


class InternalError(RepofolioError):
    code = INTERNAL_ERROR


class StorageUnreachable(RepofolioError):
    """The catalog's PostgreSQL or the queue's Redis cannot be reached, or refuses us."""

    code = STORAGE_UNREACHABLE
    suggestion = ("Check that the server runs and accepts this user and password "
                  "(REPOFOLIO_DATABASE_URL, REPOFOLIO_QUEUE_URL, Settings), or unset the URL "
                  "to use the data folder.")


class StorageError(RepofolioError):
    """A file of the data folder cannot be written or read (see :mod:`core.storage`)."""

    def __init__(self, message: str, *, code: str, path: str, suggestion: str):
        super().__init__(message, suggestion=suggestion, path=path)
        self.code = code
        self.path = path
