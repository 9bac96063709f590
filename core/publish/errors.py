"""The ways a publish can fail beyond a bad option (which is ``InvalidInput``).

Both end a command with exit code 1 (DESIGN §5: "anything else"); the message
says what failed and the suggestion what to do about it.
"""

from __future__ import annotations

from core.errors import RepofolioError

WRITE_FAILED = "WRITE_FAILED"
GIT_FAILED = "GIT_FAILED"


class WriteFailed(RepofolioError):
    """The output folder could not be written (permissions, a full disk, a read-only mount)."""

    code = WRITE_FAILED
    suggestion = "Choose an output folder you can write to, or change its permissions."


class GitFailed(RepofolioError):
    """``git`` could not fetch, commit or push the site; nothing was pushed."""

    code = GIT_FAILED
    suggestion = ("Check the remote's address and that your git credentials (a credential "
                  "helper or an SSH key in ssh-agent) can push to it, then publish again.")
