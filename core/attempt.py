"""Reporting one attempt of a job: its progress persisted (throttled) and told to a listener.

Each event carries the whole job as it stands after the step (``ProgressEvent.job``,
the JSON shape of DESIGN §6), built from the row the attempt claimed and what the
step changed: a window shows it as it comes, without reading the job again.
"""

from __future__ import annotations

import logging
from typing import Any

from core import jobs
from core.models import FINAL_STATUSES, STARTED, Job
from core.progress import ProgressCallback, ProgressEvent, Throttle
from core.records import job_dict
from core.saving import AttemptLost
from core.timeutil import iso, utcnow

log = logging.getLogger(__name__)


class Attempt:
    """Reports one attempt's progress: persisted (throttled) and passed to the listener."""

    def __init__(self, job: Job, listener: ProgressCallback):
        self.job, self.listener = job, listener
        self.throttle = Throttle()
        self.last_stage, self.last_progress = job.stage, 0
        self._row: dict[str, Any] | None = None

    def report(self, stage: str, percent: int, message: str) -> None:
        self.last_stage, self.last_progress = stage, percent
        if self.throttle.ready(stage):
            if not jobs.report(self.job.id, self.job.attempts, stage=stage, progress=percent,
                               message=message):
                raise AttemptLost()
        self.emit(STARTED, stage, percent, message)

    def emit(self, status: str, stage: str, percent: int, message: str, *,
             repo: str | None = None, **extra) -> None:
        """Tell the listener; ``repo``: the canonical name the job ended with."""
        try:
            self.listener(ProgressEvent(self.job.id, status, stage, percent, message,
                                        job=self._job_after(status, stage, percent, message,
                                                            repo, extra),
                                        parent_id=self.job.parent_id, **extra))
        except Exception:  # a listener's bug must not fail the import
            log.exception("Progress listener failed for job %s", self.job.id)

    def _job_after(self, status: str, stage: str, percent: int, message: str,
                   repo: str | None, extra: dict[str, Any]) -> dict[str, Any]:
        if self._row is None:
            self._row = job_dict(self.job)  # once: the claimed row, its profile joined
        row = dict(self._row, status=status, stage=stage, progress=percent, message=message)
        if repo:
            row["repo"] = repo
        if extra.get("project_id") is not None:
            row["project_id"] = extra["project_id"]
        if extra.get("error") is not None:
            row["error"] = extra["error"].to_dict()
        if status in FINAL_STATUSES:
            row["finished_at"] = iso(utcnow())
        return row
