"""Logging: a rotating file in the data folder, warnings on stderr for the command line,
and a filter that blanks out secrets wherever they would appear.

The filter reads the process's :class:`~core.redaction.Redactions` at every record,
so a secret the process starts using later (another profile's token, a key typed
into Settings) is redacted from then on without configuring logging again.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from core.redaction import Redactions

LOG_FILE = "repofolio.log"
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


class RedactSecrets(logging.Filter):
    """Replaces every secret in use in a record's final text (traceback included) with ``***``."""

    def __init__(self, redactions: Redactions):
        super().__init__()
        self.redactions = redactions

    def filter(self, record: logging.LogRecord) -> bool:
        if self.redactions:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
                record.exc_info, record.exc_text = None, None
            record.msg, record.args = self.redactions.redact(text), None
        return True


class _QuietOnFailure:
    """A handler that cannot write (a full disk, a closed stream) drops the record.

    logging's default prints "--- Logging error ---" and a traceback to stderr for
    every record that fails, which buries the one line telling the user what is
    wrong (the disk is full). The command line reports storage faults itself."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        self.failed = True


class QuietRotatingFileHandler(_QuietOnFailure, logging.handlers.RotatingFileHandler):
    pass


class QuietStreamHandler(_QuietOnFailure, logging.StreamHandler):
    pass


class OneLineFormatter(logging.Formatter):
    """One line per record (for stderr): tracebacks stay in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        # The secret filter may already have folded the traceback into the message.
        first = (record.getMessage().splitlines() or [""])[0]
        return f"repofolio: {record.levelname}: {first}"


def setup_logging(log_dir: Path, redactions: Redactions, *, stderr_level: int | None = None,
                  level: int = logging.INFO) -> Path:
    """Send the app's logs to ``log_dir/repofolio.log`` (rotated), and optionally to stderr,
    with every secret in ``redactions`` (now or later) blanked out."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_repofolio", False):
            root.removeHandler(handler)
            handler.close()
    redact = RedactSecrets(redactions)
    file_handler = QuietRotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                            encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(FORMAT))
    handlers: list[logging.Handler] = [file_handler]
    if stderr_level is not None:
        console = QuietStreamHandler(sys.stderr)
        console.setLevel(stderr_level)
        console.setFormatter(OneLineFormatter())
        handlers.append(console)
    for handler in handlers:
        handler._repofolio = True  # type: ignore[attr-defined]
        handler.addFilter(redact)
        root.addHandler(handler)
    root.setLevel(level)
    # Huey logs every task at INFO; keep the file readable.
    logging.getLogger("huey").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return path
