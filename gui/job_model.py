"""The jobs panel's model: import jobs from the catalog, newest first, kept live.

Rows are job dicts in the JSON shape of DESIGN §6 (``core.records.job_dict``),
so the panel, the actions and the command line speak about jobs the same way
(plus ``_parent``, a batch item's batch, and ``_ahead``, a queued job's place). A
batch is one row showing "12 of 40"; its items follow it, indented, in the order
they run. A queued job says how many stand ahead of it.
The catalog is the history, so it survives restarts. A progress event carries its
job (``ProgressEvent.job``): the row moves at once, with no read of the catalog.
:meth:`JobListModel.refresh_later` picks up what other processes submit or run
(the catalog watcher says when): it reads off the GUI thread and applies the rows
here; ``job_ended`` says when one of those ends, so the window can tell the user as
it does for its own.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

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
from gui.table_model import FlatTableModel

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


def job_row(job: Job) -> dict[str, Any]:
    """A job's row in the model: its dict (DESIGN §6) and its batch."""
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
    """The progress event a job dict amounts to (its latest state, the dict with it)."""
    error = job.get("error")
    return ProgressEvent(job["id"], job["status"], job["stage"], int(job["progress"] or 0),
                         job["message"] or "", project_id=job.get("project_id"),
                         error=ErrorInfo(**error) if error else None,
                         job={k: v for k, v in job.items() if not k.startswith("_")},
                         parent_id=job.get("_parent"))


def _places(profiles: set[str], concurrency: int) -> dict[int, int]:
    """Every queued job of these profiles -> how many stand ahead of it."""
    places: dict[int, int] = {}
    for name in profiles:
        profile = Profile.get_or_none(Profile.name == name)
        if profile is not None:
            places.update(queue_order.positions(profile.id, concurrency))
    return places


class JobListModel(FlatTableModel):
    """Recent import jobs, newest first, updated from progress events and the catalog."""

    headers = HEADERS

    job_ended = Signal(object)  # the job dict of a row that went from active to final

    def __init__(self, parent=None, *, limit: int = HISTORY_LIMIT, concurrency=lambda: 1):
        """``concurrency`` gives the profile concurrency in force (a queued job's place)."""
        super().__init__(parent)
        self.limit = limit
        self.concurrency = concurrency
        self._jobs: list[dict[str, Any]] = []
        self._refreshing = self._refresh_again = False
        self._also: set[int] = set()  # ended jobs the next refresh reads again

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        top = list(_jobs_query().where(Job.parent.is_null()).order_by(Job.id.desc())
                   .limit(self.limit))
        batches = [job.id for job in top if job.kind == BATCH]
        items = list(_jobs_query().where(Job.parent.in_(batches))) if batches else []
        self._jobs = sorted((job_row(job) for job in top + items), key=_order)
        self._place_queued()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read active jobs and add jobs newer than the newest shown (here and now)."""
        self._apply_changes(self._read_changes(*self._wanted()))

    def refresh_later(self, runner, *, also: tuple[int, ...] = ()) -> None:
        """:meth:`refresh`, with the reading on ``runner``'s thread: one at a time, and
        one more after it when asked for meanwhile (what changed since it read). ``also``:
        ended jobs to read again too (one retried elsewhere runs again); those asked for
        meanwhile are read by the one after. A read that fails is followed all the same
        when one more was asked for, and its ``also`` waits for the next."""
        self._also.update(also)
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing, self._refresh_again = True, False
        also, self._also = self._also, set()
        newest, active, queued, concurrency = self._wanted()
        wanted = (newest, sorted({*active, *also}), queued, concurrency)

        def settled() -> None:
            self._refreshing = False
            if self._refresh_again:
                self.refresh_later(runner)

        def done(changes) -> None:
            self._refreshing = False
            self._apply_changes(changes)
            settled()

        def failed(_error: Exception) -> None:
            self._also.update(also)
            settled()

        runner.run(lambda: self._read_changes(*wanted), done, failed)

    def _wanted(self) -> tuple[int, list[int], set[str], int]:
        """What a refresh asks the catalog (taken on the GUI thread, read on any)."""
        newest = max((job["id"] for job in self._jobs), default=0)
        active = [job["id"] for job in self._jobs if job["status"] in ACTIVE_STATUSES]
        queued = {job["profile"] for job in self._jobs
                  if job["status"] == PENDING and job.get("kind") != BATCH}
        return newest, active, queued, self.concurrency()

    @staticmethod
    def _read_changes(newest: int, active: list[int], queued: set[str],
                      concurrency: int) -> tuple[list[dict[str, Any]], dict[int, int]]:
        """The rows newer than ``newest`` or among ``active``, and the places in line of
        the profiles that have queued jobs. Touches no widget: any thread may call it."""
        condition = Job.id > newest
        if active:
            condition |= Job.id.in_(active)
        rows = [job_row(job) for job in _jobs_query().where(condition).order_by(Job.id)]
        return rows, _places(queued, concurrency)

    def _apply_changes(self, changes: tuple[list[dict[str, Any]], dict[int, int]]) -> None:
        rows, places = changes
        for job in rows:
            if job["_parent"] is not None and self.row_of(job["_parent"]) < 0:
                continue  # an item of a batch too old to be shown
            # A job newer than the newest shown that has already ended was submitted and
            # run elsewhere between two looks: that is an end as well.
            self._put(job, new_and_ended_is_news=True)
        self._show_places(places)
        self.elapsed_changed()

    def _place_queued(self) -> None:
        """Say how many stand ahead of each queued job (one look per profile)."""
        self._show_places(_places({job["profile"] for job in self._jobs
                                   if job["status"] == PENDING and job.get("kind") != BATCH},
                                  self.concurrency()))

    def _show_places(self, places: dict[int, int]) -> None:
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
        return self._put(job_row(job))

    def apply_event(self, event: ProgressEvent) -> bool:
        """Show a progress event at once, from the job it carries (no read of the catalog).
        False when it carries none and the row is not shown (the caller may refresh)."""
        if event.job is not None:
            self._put({**event.job, "_parent": event.parent_id})
            return True
        row = self.row_of(event.job_id)
        if row < 0:
            return False
        job = dict(self._jobs[row])
        job.update(status=event.status, stage=event.stage, progress=event.progress,
                   message=event.message)
        if event.project_id is not None:
            job["project_id"] = event.project_id
        if event.error is not None:
            job["error"] = event.error.to_dict()
        self._replace(row, job)
        return True

    def show_row(self, row: dict[str, Any]) -> None:
        """Show a row read elsewhere (what a write returned), in its place."""
        self._put(row)

    def job_of(self, job_id: int) -> dict[str, Any] | None:
        """The shown row of a job (no read of the catalog), or None."""
        row = self.row_of(job_id)
        return self._jobs[row] if row >= 0 else None

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
        self._trim()
        if new_and_ended_is_news and job["status"] in FINAL_STATUSES:
            self.job_ended.emit(dict(job))
        return job

    def _trim(self) -> None:
        """Keep the newest ``limit`` jobs and batches, each batch with all its items (as
        :meth:`reload` reads them): a batch larger than the limit stays whole."""
        tops = [row for row, job in enumerate(self._jobs) if job.get("_parent") is None]
        if len(tops) <= self.limit:
            return
        cut = tops[self.limit]  # the rows below it are older jobs and their items
        self.beginRemoveRows(QModelIndex(), cut, len(self._jobs) - 1)
        del self._jobs[cut:]
        self.endRemoveRows()

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

    # -- the Qt model --------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._jobs)

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
