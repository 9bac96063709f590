"""Telling the user an import ended: a tray notification when there is a tray.

:func:`news_of` turns a final progress event into :class:`ImportNews`; a batch is news
once, when it ends (:func:`batch_news`: "40 imported, 2 failed"), not once per item. With a
system tray, :class:`AppTray` shows it as a notification; clicking the message
opens the project (or the job). Without a tray there is no icon, and the window
shows the same news itself (banner and status bar).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from core.batch_state import REFRESH_ALL
from core.models import CANCELLED, FAILURE, IMPORT, REFRESH, SUCCESS
from core.progress import ProgressEvent
from gui.icons import app_icon, icon

NOTIFICATION_MS = 8000


@dataclass(frozen=True)
class ImportNews:
    """One line of news about an import that ended, and what clicking it opens."""

    title: str
    text: str
    succeeded: bool
    job_id: int
    project_id: int | None = None


def news_of(event: ProgressEvent, repo: str = "", *, kind: str = IMPORT) -> ImportNews | None:
    """The news for a final event (None for events that are not news); ``kind`` is the
    job's (a refresh is not news of an import)."""
    name = repo or f"job {event.job_id}"
    if event.status == SUCCESS:
        refreshed = kind == REFRESH
        title = f"{'Refreshed' if refreshed else 'Imported'} {name}"
        text = event.message if event.message.rstrip(".") != title else ""
        done = ("Its portfolio text and README are up to date." if refreshed
                else "It is now in your portfolio.")
        return ImportNews(title, text or done, True, event.job_id, event.project_id)
    if event.status == CANCELLED:
        return ImportNews(f"Import of {name} cancelled", event.message, False, event.job_id,
                          event.project_id)
    if event.error is not None:
        text = event.error.message
        if event.error.suggestion:
            text += " " + event.error.suggestion
        return ImportNews(f"Import of {name} failed", text, False, event.job_id,
                          event.project_id)
    return None


def batch_news(job: dict) -> ImportNews | None:
    """The news for a batch that ended (a job dict of kind ``batch``)."""
    if job.get("status") not in (SUCCESS, FAILURE, CANCELLED):
        return None
    everything = job.get("repo") == REFRESH_ALL
    title = {SUCCESS: "Refreshed every project" if everything
             else f"Imported the repositories of {job['repo']}",
             FAILURE: "Refresh of every project: some failed" if everything
             else f"Import of {job['repo']}'s repositories: some failed",
             CANCELLED: "Refresh of every project cancelled" if everything
             else f"Import of {job['repo']}'s repositories cancelled"}[job["status"]]
    return ImportNews(title, job.get("message") or "", job["status"] == SUCCESS, job["id"])


class AppTray(QObject):
    """The tray icon with its menu (Show, Import…, Quit) and import notifications."""

    show_requested = Signal()
    import_requested = Signal()
    quit_requested = Signal()
    news_clicked = Signal(object)  # ImportNews

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("Repofolio")
        self.menu = QMenu()
        self.menu.addAction("Show Repofolio", self.show_requested.emit)
        self.menu.addAction(icon("import"), "Import…", self.import_requested.emit)
        self.menu.addSeparator()
        self.menu.addAction(icon("quit"), "Quit", self.quit_requested.emit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self.last_news: ImportNews | None = None
        self.icon.show()

    def notify(self, news: ImportNews) -> None:
        self.last_news = news
        kind = (QSystemTrayIcon.MessageIcon.Information if news.succeeded
                else QSystemTrayIcon.MessageIcon.Warning)
        self.icon.showMessage(news.title, news.text, kind, NOTIFICATION_MS)

    def _message_clicked(self) -> None:
        if self.last_news is not None:
            self.news_clicked.emit(self.last_news)

    def _activated(self, reason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def hide(self) -> None:
        self.icon.hide()
