"""The window's own news: the status bar (GitHub quota, jobs running and queued) and a banner.

The quota is fetched off the GUI thread (``GET /rate_limit`` does not count
against it) at start and after each import ends; the counts too, whenever a job
moves (an event here, or the catalog watcher's news of another process). The banner shows import news
inside the window, for desktops without a system tray.
"""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStatusBar, QToolButton

from core.github.client import GitHubClient
from core.models import ACTIVE_STATUSES, PENDING, RETRYING, STARTED
from core.timeutil import clock_time
from gui.background import BackgroundRunner
from gui.icons import icon, themed
from gui.job_model import event_of
from gui.tray import ImportNews
from tasks.runtime import Runtime

log = logging.getLogger(__name__)

UNKNOWN_QUOTA = "GitHub: –"


def fetch_quota(runtime: Runtime) -> dict:
    """``{"limit", "remaining", "reset"}`` from GitHub; blocks, so call it off the GUI thread."""
    settings = runtime.settings
    limiter = runtime.importer.rate_limiters.get(settings.github_api, settings.github_token)
    with GitHubClient(settings.github_api, settings.github_token, limiter=limiter,
                      timeout=min(settings.request_timeout, 10.0), max_workers=1) as client:
        return client.rate_limit()


def quota_text(quota: dict) -> tuple[str, str]:
    """The label and tooltip for a rate-limit answer."""
    if quota.get("remaining") is None:
        return "GitHub: no rate limit", "This GitHub server does not limit requests."
    text = f"GitHub: {quota['remaining']:,}/{quota['limit']:,} requests left"
    tip = "Requests left this hour."
    if quota.get("reset"):
        tip = f"The limit resets at {clock_time(quota['reset'], '%H:%M', utc=False)}."
    return text, tip


class AppStatusBar(QStatusBar):
    """Shows the remaining GitHub quota and how many imports run and wait."""

    def __init__(self, runtime: Runtime, runner: BackgroundRunner, parent=None,
                 *, quota_source: Callable[[Runtime], dict] = fetch_quota):
        super().__init__(parent)
        self.runtime, self.runner, self.quota_source = runtime, runner, quota_source
        self.jobs_label = QLabel()
        self.quota_label = QLabel(UNKNOWN_QUOTA)
        self.addPermanentWidget(self.jobs_label)
        self.addPermanentWidget(self.quota_label)
        self._quota_in_flight = False
        self._counting = self._count_again = False
        self.refresh_counts()

    def refresh_counts(self, *_args) -> None:
        """Count the running and queued jobs again, off the GUI thread; called for each
        event and change, so the counts coalesce: one count at a time, one more after it
        when asked meanwhile (it counts what is there when it runs)."""
        if self._counting:
            self._count_again = True
            return
        self._counting, self._count_again = True, False
        self.runner.run(self.runtime.queue.counts, self._show_counts, self._counts_failed)

    def _show_counts(self, counts: dict) -> None:
        self._counting = False
        running, queued = counts.get(STARTED, 0), counts.get(PENDING, 0) + counts.get(RETRYING, 0)
        self.jobs_label.setText(f"Jobs: {running} running, {queued} queued")
        if self._count_again:
            self.refresh_counts()

    def _counts_failed(self, _error: Exception) -> None:
        self._counting = False
        if self._count_again:
            self.refresh_counts()

    def refresh_quota(self) -> None:
        if self._quota_in_flight:
            return
        self._quota_in_flight = True
        self.runner.run(lambda: self.quota_source(self.runtime), self._show_quota,
                        self._quota_failed)

    def _show_quota(self, quota: dict) -> None:
        self._quota_in_flight = False
        text, tip = quota_text(quota)
        self.quota_label.setText(text)
        self.quota_label.setToolTip(tip)

    def _quota_failed(self, error: Exception) -> None:
        self._quota_in_flight = False
        self.quota_label.setText(UNKNOWN_QUOTA)
        self.quota_label.setToolTip(getattr(error, "message", "GitHub did not answer."))


class NewsBanner(QFrame):
    """A dismissable line at the top of the window with the latest import news."""

    open_requested = Signal(object)  # ImportNews

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.open_button = QPushButton()
        close = QToolButton()
        themed(close, "cancel")
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss")
        close.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(close)
        self.news: ImportNews | None = None
        self.open_button.clicked.connect(lambda: self.news and self.open_requested.emit(self.news))
        close.clicked.connect(self.hide)
        self.hide()

    def show_news(self, news: ImportNews) -> None:
        self.news = news
        self.icon.setPixmap(icon("job-done" if news.succeeded else "job-failed").pixmap(20, 20))
        # Two sentences, each with its own capital ("Imported x. It is now in your portfolio.").
        self.text.setText(f"{news.title}. {news.text}" if news.text else f"{news.title}.")
        self.open_button.setText("Open project" if news.project_id else "Show job")
        self.setAccessibleName(self.text.text())
        self.show()

    def follow(self, jobs_model) -> None:
        """Watch the jobs dock's rows: the job of the news shown running again (retried
        here or from a terminal) makes the news stale. Every progress event and every
        catalog change lands on a row, changed or added (the job was pushed out of the
        dock's history meanwhile), so the rows tell of each."""
        def changed(*_args) -> None:
            job = jobs_model.job_of(self.news.job_id) if self.news is not None else None
            if job is not None:
                self.job_progressed(event_of(job))
        jobs_model.dataChanged.connect(changed)
        jobs_model.rowsInserted.connect(changed)

    def job_progressed(self, event) -> None:
        """The job the banner tells about runs again (a retry): its old news is stale."""
        if (self.news is not None and event.job_id == self.news.job_id
                and event.status in ACTIVE_STATUSES):
            self.news = None
            self.hide()
