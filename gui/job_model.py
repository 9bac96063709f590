"""The jobs panel's model: import jobs from the catalog, newest first, kept live.

Rows are job dicts in the JSON shape of DESIGN §6 (``core.records.job_dict``),
so the panel, the actions and the command line speak about jobs the same way
(plus ``_parent``, a batch item's batch, and ``_ahead``, a queued job's place). A
batch is one row showing "12 of 40"; its items follow it, indented, in the order
they run. A queued job says how many stand ahead of it.
The catalog is the history, so it survives restarts. Progress events make rows
move at once; ``refresh()`` (called on a timer) also picks up jobs that other
processes submit or run, which send no events to this one: ``job_ended`` says
when one of those ends, so the window can tell the user as it does for its own.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from core.errors import ErrorInfo
from core import queue_order
from core.batch_state import REFRESH_ALL
from core.models import (
    ACTIVE_STATUSES, BATCH, CANCELLED, FAILURE, FINAL_STATUSES, PENDING, RETRYING, STARTED,
    SUCCESS, Job, Profile,
)
from core.progress import ProgressEvent
from core.records import job_dict
from gui.icons import icon

HISTORY_LIMIT = 200
JobIdRole = Qt.ItemDataRole.UserRole + 1
ProgressRole = Qt.ItemDataRole.UserRole + 2
JobRole = Qt.ItemDataRole.UserRole + 3  # the whole job dict

STATUS_TEXT = {PENDING: "Queued", STARTED: "Running", RETRYING: "Waiting to retry",
               SUCCESS: "Done", FAILURE: "Failed", CANCELLED: "Cancelled"}
STATUS_ICON = {PENDING: "job-queued", STARTED: "job-running", RETRYING: "job-queued",
               SUCCESS: "job-done", FAILURE: "job-failed", CANCELLED: "job-cancelled"}
HEADERS = ("Repository", "Status", "Progress", "Stage", "Elapsed")
REPOSITORY, STATUS, PROGRESS, STAGE, ELAPSED = range(len(HEADERS))


def _parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def elapsed_seconds(job: dict[str, Any], now: datetime | None = None) -> float | None:
    """Seconds the job has been running (or ran); None if it never started."""
    started = _parse_time(job.get("started_at"))
    if started is None:
        return None
    end = _parse_time(job.get("finished_at"))
    if end is None:
        end = now or datetime.now(timezone.utc)
    return max(0.0, (end - started).total_seconds())


def elapsed_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _progress(job: dict[str, Any]) -> int:
    """The bar's value: empty for a job that failed or was cancelled, since the percentage
    it stopped at ("5 %") reads as if it were still on its way."""
    if job["status"] in (FAILURE, CANCELLED) and job.get("kind") != BATCH:
        return 0
    return int(job["progress"] or 0)


def _jobs_query():
    return Job.select(Job, Profile).join(Profile)


def _row(job: Job) -> dict[str, Any]:
    row = job_dict(job)
    row["_parent"] = job.parent_id
    return row


def _order(job: dict[str, Any]) -> tuple[int, int, int]:
    """Newest first; a batch's items right after it, in their own order."""
    parent = job.get("_parent")
    return (-job["id"], 0, 0) if parent is None else (-parent, 1, job["id"])


def repository_text(job: dict[str, Any]) -> str:
    if job.get("kind") == BATCH:
        return ("Every project (refresh)" if job["repo"] == REFRESH_ALL
                else f"{job['repo']}: all repositories")
    return f"    {job['repo']}" if job.get("_parent") else job["repo"]


def status_text(job: dict[str, Any]) -> str:
    text = STATUS_TEXT.get(job["status"], job["status"])
    ahead = job.get("_ahead") or 0
    return f"{text} · {ahead} ahead" if job["status"] == PENDING and ahead else text


def progress_text(job: dict[str, Any]) -> str:
    if job["status"] in (FAILURE, CANCELLED) and job.get("kind") != BATCH:
        return STATUS_TEXT[job["status"]]
    counts = job.get("counts")
    if counts:  # a batch: how many of the ones it runs have ended
        run = counts["total"] - counts["skipped"]
        return f"{run - counts['pending']} of {run}"
    return f"{_progress(job)} %"


def event_of(job: dict[str, Any]) -> ProgressEvent:
    """The progress event a job dict amounts to (its latest state)."""
    error = job.get("error")
    return ProgressEvent(job["id"], job["status"], job["stage"], int(job["progress"] or 0),
                         job["message"] or "", project_id=job.get("project_id"),
                         error=ErrorInfo(**error) if error else None)


class JobListModel(QAbstractTableModel):
    """Recent import jobs, newest first, updated from progress events and the catalog."""

    job_ended = Signal(object)  # the job dict of a row that went from active to final

    def __init__(self, parent=None, *, limit: int = HISTORY_LIMIT, concurrency=lambda: 1):
        """``concurrency`` gives the profile concurrency in force (a queued job's place)."""
        super().__init__(parent)
        self.limit = limit
        self.concurrency = concurrency
        self._jobs: list[dict[str, Any]] = []

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        top = list(_jobs_query().where(Job.parent.is_null()).order_by(Job.id.desc())
                   .limit(self.limit))
        batches = [job.id for job in top if job.kind == BATCH]
        items = list(_jobs_query().where(Job.parent.in_(batches))) if batches else []
        self._jobs = sorted((_row(job) for job in top + items), key=_order)
        self._place_queued()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read active jobs and add jobs newer than the newest shown."""
        newest = max((job["id"] for job in self._jobs), default=0)
        active = [job["id"] for job in self._jobs if job["status"] in ACTIVE_STATUSES]
        condition = Job.id > newest
        if active:
            condition |= Job.id.in_(active)
        for job in _jobs_query().where(condition).order_by(Job.id):
            if job.parent_id is not None and self.row_of(job.parent_id) < 0:
                continue  # an item of a batch too old to be shown
            # A job newer than the newest shown that has already ended was submitted and
            # run elsewhere between two polls: that is an end as well.
            self._put(_row(job), new_and_ended_is_news=True)
        self._place_queued()
        self.elapsed_changed()

    def _place_queued(self) -> None:
        """Say how many stand ahead of each queued job (one look per profile)."""
        profiles = {job["profile"] for job in self._jobs
                    if job["status"] == PENDING and job.get("kind") != BATCH}
        places: dict[int, int] = {}
        for name in profiles:
            profile = Profile.get_or_none(Profile.name == name)
            if profile is not None:
                places.update(queue_order.positions(profile.id, self.concurrency()))
        for row, job in enumerate(self._jobs):
            ahead = places.get(job["id"], 0) if job["status"] == PENDING else 0
            if job.get("_ahead", 0) != ahead:
                job["_ahead"] = ahead
                index = self.index(row, STATUS)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def reread(self, job_id: int) -> dict[str, Any] | None:
        """Read one job from the catalog into the model; returns it (None if it is gone)."""
        job = _jobs_query().where(Job.id == job_id).first()
        if job is None:
            return None
        return self._put(_row(job))

    def apply_event(self, event: ProgressEvent) -> None:
        """Show a progress event at once; final ones are re-read for times and errors."""
        row = self.row_of(event.job_id)
        if row < 0 or event.status in FINAL_STATUSES or self._jobs[row].get("kind") == BATCH:
            self.reread(event.job_id)  # a batch's counts come with it
            row = self.row_of(event.job_id)
            if row < 0:
                return
        job = dict(self._jobs[row])
        job.update(status=event.status, stage=event.stage, progress=event.progress,
                   message=event.message)
        if event.project_id is not None:
            job["project_id"] = event.project_id
        if event.error is not None:
            job["error"] = event.error.to_dict()
        self._replace(row, job)

    def _put(self, job: dict[str, Any], *, new_and_ended_is_news: bool = False
             ) -> dict[str, Any]:
        row = self.row_of(job["id"])
        if row >= 0:
            job.setdefault("_ahead", self._jobs[row].get("_ahead", 0))
            self._replace(row, job)
            return job
        # Newest first, items after their batch: find where it belongs (usually the top).
        key = _order(job)
        position = next((i for i, j in enumerate(self._jobs) if _order(j) > key),
                        len(self._jobs))
        self.beginInsertRows(QModelIndex(), position, position)
        self._jobs.insert(position, job)
        self.endInsertRows()
        if len(self._jobs) > self.limit:
            self.beginRemoveRows(QModelIndex(), self.limit, len(self._jobs) - 1)
            del self._jobs[self.limit:]
            self.endRemoveRows()
        if new_and_ended_is_news and job["status"] in FINAL_STATUSES:
            self.job_ended.emit(dict(job))
        return job

    def _replace(self, row: int, job: dict[str, Any]) -> None:
        before = self._jobs[row]
        if before != job:
            self._jobs[row] = job
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
            if before["status"] in ACTIVE_STATUSES and job["status"] in FINAL_STATUSES:
                self.job_ended.emit(dict(job))

    def elapsed_changed(self) -> None:
        """Tell views that running jobs' elapsed time moved on."""
        for row, job in enumerate(self._jobs):
            if job["status"] == STARTED:
                index = self.index(row, ELAPSED)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    # -- look-ups -------------------------------------------------------------------------

    def job_at(self, row: int) -> dict[str, Any] | None:
        return self._jobs[row] if 0 <= row < len(self._jobs) else None

    def row_of(self, job_id: int) -> int:
        for row, job in enumerate(self._jobs):
            if job["id"] == job_id:
                return row
        return -1

    # -- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        job = self.job_at(index.row())
        if job is None or not 0 <= index.column() < len(HEADERS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(job, column)
        if role == Qt.ItemDataRole.DecorationRole and column == REPOSITORY:
            return icon(STATUS_ICON.get(job["status"], "job-queued"))
        if role == Qt.ItemDataRole.ToolTipRole:
            error = job.get("error")
            if error:
                return f"{error['message']}\n{error['suggestion']}".strip()
            return job["message"] or None
        if role == ProgressRole:
            return _progress(job)
        if role == JobIdRole:
            return job["id"]
        if role == JobRole:
            return dict(job)
        return None

    @staticmethod
    def _text(job: dict[str, Any], column: int) -> str:
        if column == REPOSITORY:
            return repository_text(job)
        if column == STATUS:
            return status_text(job)
        if column == PROGRESS:
            return progress_text(job)
        if column == STAGE:
            return job["message"] or job["stage"]
        return elapsed_text(elapsed_seconds(job))
