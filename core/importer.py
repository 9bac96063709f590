"""The import service: ``submit`` (fast, no network) and ``run`` (one attempt of the work).

``submit`` validates the URL and, in one ``BEGIN IMMEDIATE`` transaction,
refuses a duplicate or the same repository already in flight before anything is
spent; any other import is accepted and waits its turn. ``run`` takes a run slot,
fetches, analyzes and saves with progress events, and always leaves the job ended
(or scheduled for a retry, slot kept) and the slots consistent.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from core import batch_state, catalog, jobs, queue_order, refresh, saving, storage, urls
from core.analysis.types import Analysis, Analyzer
from core.attempt_check import checker
from core.db import lock_profile, write_transaction
from core.errors import (
    DuplicateImport, ErrorInfo, ImportInProgress, InternalError, Interrupted, InvalidInput,
    RateLimited, RepofolioError,
)
from core.github.rate_limiter import RateLimiterRegistry
from core.github.snapshot import RepoSnapshot
from core.heartbeat import Heartbeat
from core.models import (
    ANALYZING, BATCH, CANCELLED, DONE, FAILURE, FETCHING, PENDING, QUEUED, REFRESH, RETRYING,
    SAVING, SUCCESS, Job, Profile, Project,
)
from core.attempt import Attempt
from core.progress import ProgressCallback
from core.retry_policy import retry_delay
from core.settings import Settings
from core.saving import (
    AttemptLost, duplicate_of, project_to_refresh, refuse_duplicate, refuse_renamed_duplicate,
)
from core.timeutil import clock_time, utcnow

if TYPE_CHECKING:
    from core.github.client import GitHubClient
    from core.github.connections import SharedConnections

log = logging.getLogger(__name__)
_MAKING = threading.Lock()  # the importer's parts made on first use


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended: a final status, or RETRYING with the delay to wait."""

    status: str
    retry_in: float | None = None
    project_id: int | None = None


@dataclass(frozen=True)
class Precheck:
    """What the import dialog shows before submitting (no writes, no network)."""

    ref: urls.RepoRef | None = None
    error: ErrorInfo | None = None
    duplicate: Project | None = None
    in_flight: Job | None = None  # the same repository (or owner's batch), queued or running
    ahead: int = 0  # jobs of the profile a new import would wait for
    owner: urls.OwnerRef | None = None  # the text names a user or organization instead


class Importer:
    """Submits and runs imports against one catalog with one configuration."""

    def __init__(self, settings: Settings, *,
                 analyzer_factory: Callable[[Settings], Analyzer] | None = None):
        self.settings = settings
        self._analyzer_factory = analyzer_factory or _default_analyzer
        # One rate limiter per (GitHub API, token), shared by every client built here, and
        # one pool of kept-alive connections (built when the first import runs).
        self.rate_limiters = RateLimiterRegistry()
        self.connections: SharedConnections | None = None
        # profile name -> its GitHub token; None: every profile uses settings.github_token.
        self.token_for: Callable[[str], str | None] | None = None
        self._preloaded: Settings | None = None

    # -- submitting -------------------------------------------------------------------------

    def parse(self, text: str) -> urls.RepoRef:
        return urls.parse(text, enterprise_host=self.settings.enterprise_host)

    def precheck(self, text: str, profile: str = "default") -> Precheck:
        """Only what the dialog shows is looked up, in its order (per keystroke, on the GUI
        thread): a ``duplicate`` leaves ``in_flight`` None and ``ahead`` 0, as an
        ``in_flight`` job leaves ``ahead``."""
        try:
            ref = self.parse(text)
        except RepofolioError as error:
            return self._precheck_owner(text, profile, error)
        owner = Profile.get_or_none(Profile.name == profile)
        if owner is None:
            return Precheck(ref=ref)
        duplicate = catalog.find_duplicate(owner, ref.key)
        if duplicate is not None:
            return Precheck(ref=ref, duplicate=duplicate)
        in_flight = queue_order.in_flight(owner, ref.key)
        if in_flight is not None:
            return Precheck(ref=ref, in_flight=in_flight)
        return Precheck(ref=ref, ahead=queue_order.ahead_of_new(
            owner, self.settings.profile_concurrency))

    def _precheck_owner(self, text: str, profile: str, error: RepofolioError) -> Precheck:
        """Not a repository: maybe a user or organization (its page, ``@login``)."""
        try:
            account = urls.parse_owner(text, enterprise_host=self.settings.enterprise_host)
        except RepofolioError:
            return Precheck(error=error.info)
        who = Profile.get_or_none(Profile.name == profile)
        return Precheck(owner=account, in_flight=queue_order.in_flight(who, account.key)
                        if who is not None else None)

    def submit(self, text: str, *, profile: str = "default", showcase: bool = True,
               private: bool = False) -> Job:
        """Queue an import; raises InvalidUrl, DuplicateImport, or ImportInProgress when the
        same repository is already queued or running in the profile."""
        ref = self.parse(text)
        with write_transaction():
            owner = catalog.profile_named(profile)  # checks the name first
            lock_profile(owner.id)
            refuse_duplicate(owner, ref.key)
            queue_order.refuse_in_flight(owner, ref.key)
            job = jobs.create(owner, url=ref.url, repo=ref.full_name, key=ref.key,
                              showcase=showcase, private=private)
        log.info("Queued job %s for %s (profile %s)", job.id, ref.full_name, profile)
        return job

    def resubmit(self, job_id: int) -> Job:
        """Queue a failed or cancelled job again, with a fresh attempt budget (a batch:
        its failed and cancelled items)."""
        with jobs.transaction(jobs.get_job(job_id).id):
            job = jobs.get_job(job_id)
            if job.status == SUCCESS:
                raise InvalidInput(f"Job {job.id} already succeeded; there is nothing to retry.",
                                   suggestion="Use refresh to fetch the project again.")
            if job.status not in (FAILURE, CANCELLED):
                raise ImportInProgress(f"Job {job.id} is {job.status}; only failed or cancelled "
                                       "jobs can be retried.", job_id=job.id)
            # Its batch comes alive again: not while another batch of that owner runs.
            batch = job if job.kind == BATCH else job.parent
            if batch is not None:
                queue_order.refuse_in_flight(batch.profile, batch.key, besides=batch)
            if job.kind == BATCH:
                return self._resubmit_batch(job)
            self._check_retry(job)
            jobs.reopen(job)
        return Job.get_by_id(job.id)

    def _check_retry(self, job: Job) -> None:
        if job.kind == REFRESH:
            catalog.get_project(job.project_id or 0)  # still there to refresh?
        else:
            refuse_duplicate(job.profile, job.key)
            renamed = Project.get_or_none(Project.id == job.project_id) if job.project_id else None
            if renamed is not None:  # it failed as a duplicate found by GitHub id
                raise duplicate_of(renamed)
        queue_order.refuse_in_flight(job.profile, job.key, besides=job)

    def _resubmit_batch(self, batch: Job) -> Job:
        retried = []
        for item in batch_state.item_jobs(batch.id):
            if item.status not in (FAILURE, CANCELLED):
                continue
            try:
                self._check_retry(item)
            except RepofolioError:  # now a duplicate, or queued elsewhere: leave it as it ended
                continue
            retried.append(item)
        jobs.reopen(*retried)
        if not retried:
            raise InvalidInput(f"Batch {batch.id} has no failed or cancelled item that can "
                               "run again.", suggestion="See its items: `repofolio status "
                                                        f"{batch.id}`.")
        return Job.get_by_id(batch.id)

    def submit_refresh(self, project_ref: str | int) -> Job:
        """Queue a refresh of an existing project: fetched again (conditional requests),
        analyzed again, rewritten in place; its showcase and private flags are kept."""
        with write_transaction(profile_id=catalog.get_project(project_ref).profile_id):
            project = catalog.get_project(project_ref)
            queue_order.refuse_in_flight(project.profile, project.key)
            job = jobs.create(project.profile, kind=REFRESH, url=project.url,
                              repo=project.full_name, key=project.key, project=project.id,
                              showcase=project.is_showcase, private=project.is_private,
                              message="Queued for refresh")
        return job

    # -- GitHub -------------------------------------------------------------------------------

    def token_of(self, profile: str) -> str | None:
        """The profile's GitHub token (GITHUB_TOKEN, else its keyring token), or None."""
        return self.token_for(profile) if self.token_for is not None else self.settings.github_token

    def github(self, profile: str, *, check: Callable[[], None] | None = None) -> GitHubClient:
        """A client with the profile's token and that token's shared rate limiter.

        ``check`` runs while a request waits for the limit, and may raise to end it."""
        from core.github.client import GitHubClient  # imported where imports run

        s = self.settings
        token = self.token_of(profile)
        return GitHubClient(s.github_api, token, timeout=s.request_timeout,
                            cache_dir=s.cache_dir, limits=s.limits,
                            rate_limit_max_wait=s.rate_limit_max_wait,
                            limiter=self.rate_limiters.get(s.github_api, token), check=check,
                            connections=self._connections())

    def _connections(self) -> SharedConnections:
        from core.github.connections import SharedConnections

        with _MAKING:
            if self.connections is None:
                self.connections = SharedConnections()
            return self.connections

    def close(self) -> None:
        """Close the kept-alive connections (the data folder is being closed)."""
        if self.connections is not None:
            self.connections.close()

    def preload(self) -> threading.Thread | None:
        """Start loading what running an import needs (:mod:`core.preload`): a consumer
        calls it as it starts, and a command about to wait for an import before it
        submits. Once per settings (an AI key read from the keyring later is new
        settings); returns the thread, or None when these settings were loaded."""
        from core import preload

        settings = self.settings
        with _MAKING:
            if self._preloaded is settings:
                return None
            self._preloaded = settings
        steps = [preload.network, lambda: self._connections().cache(settings.cache_dir)]
        if self._analyzer_factory is _default_analyzer:  # not a caller's own analyzer
            steps.append(lambda: preload.analyzer(settings))
        return preload.in_background(*steps)

    # -- running ----------------------------------------------------------------------------

    def run(self, job_id: int, progress: ProgressCallback | None = None, *,
            interrupt: threading.Event | None = None, task_id: str | None = None) -> Outcome:
        """Run the next attempt of a queued job. Never raises for import failures.

        ``interrupt`` set (the app is quitting) stops the attempt at its next step and
        puts the job back in the queue with its attempt given back.
        """
        s = self.settings
        job = jobs.claim(job_id, deadline_seconds=s.import_deadline, lease_ttl=s.lease_ttl,
                         concurrency=s.profile_concurrency, task_id=task_id)
        if job is None:
            current = Job.get_or_none(Job.id == job_id)
            return Outcome(current.status if current else FAILURE)
        attempt = Attempt(job, progress or (lambda event: None))
        with Heartbeat(job.id, job.attempts, interval=s.heartbeat_interval, lease_ttl=s.lease_ttl):
            try:
                project = self._work(job, attempt, interrupt)
            except Interrupted:
                jobs.give_back(job.id, job.attempts)
                return Outcome(PENDING, retry_in=0.0)
            except AttemptLost:
                log.warning("Job %s attempt %s was taken over; dropping its result",
                            job.id, job.attempts)
                return Outcome(Job.get_by_id(job.id).status)
            except RepofolioError as error:
                return self._failed(job, attempt, error)
            except Exception as exc:  # a bug must still end the job and free the profile
                explained = storage.explain(exc, home=s.home)  # a full disk, say
                log.exception("Job %s failed unexpectedly", job.id)
                return self._failed(job, attempt, explained or InternalError(
                    f"The import failed unexpectedly ({type(exc).__name__})."))
        return Outcome(SUCCESS, project_id=project.id)

    def _work(self, job: Job, attempt: Attempt, interrupt: threading.Event | None) -> Project:
        check = checker(job, interrupt)
        attempt.report(FETCHING, 5, f"Fetching {job.repo} from GitHub…")
        from core.github.client import repository_snapshot

        refreshing = project_to_refresh(job)
        with self.github(job.profile.name, check=check) as github:
            if job.payload:  # an item of a batch: the listing's repository object
                repo = dict(job.payload)
            else:
                owner, name = job.repo.split("/", 1)
                repo = github.get_repository(owner, name, check=check)
            refuse_renamed_duplicate(job, repo)
            check()
            attempt.report(FETCHING, 20, f"Reading {repo['full_name']}: README, tree, manifests…")
            repository = repository_snapshot(repo)
            writer = self._configured_analyzer() if refreshing is not None else ""
            snapshot = github.fetch_snapshot(repo, check=check, unless_unchanged=(
                refreshing is not None and refresh.tree_decides(refreshing, repository, writer)))
        check()
        if snapshot is None:  # a refresh: no file changed since the last read
            log.info("Job %s: nothing changed in %s's files; its analysis is kept", job.id,
                     repository.full_name)
            return self._finish(job, attempt, repository, None, "")
        if refreshing is not None and refresh.analysis_current(refreshing, snapshot, writer):
            log.info("Job %s: what the analysis of %s reads is unchanged; it is kept", job.id,
                     snapshot.full_name)
            return self._finish(job, attempt, snapshot, refresh.kept_analysis(refreshing), "")
        attempt.report(ANALYZING, 55, "Writing the portfolio description…")
        from core.analysis.factory import analyze

        analyzer = self._analyzer_factory(self.settings)
        try:
            analysis = analyze(snapshot, analyzer, check=check)
        finally:
            getattr(analyzer, "close", lambda: None)()
        return self._finish(job, attempt, snapshot, analysis, analysis.note)

    def _finish(self, job: Job, attempt: Attempt, snapshot: RepoSnapshot,
                analysis: Analysis | None, note: str) -> Project:
        """Save and end the job. No ``analysis``: a refresh that found nothing new in the
        files, whose project keeps everything but the repository object's counts."""
        # The analysis is paid for: a quitting app still saves it (milliseconds) rather
        # than throw it away, so only a cancel or the deadline stops it now.
        checker(job, None)()
        attempt.report(SAVING, 90, "Saving the project…")
        done = "Refreshed" if job.kind == REFRESH else "Imported"
        message = f"{done} {snapshot.full_name}."
        if snapshot.tree_truncated:  # GitHub's own cut, or ours (limits.tree_entries)
            message += f" Its file tree was cut at {len(snapshot.tree):,} entries."
        if note:
            message += f" {note}"
        if analysis is None:
            project = saving.save_counts(job, snapshot, message)
        else:
            project = saving.save(job, snapshot, analysis, message)
        attempt.emit(SUCCESS, DONE, 100, message, project_id=project.id, repo=snapshot.full_name)
        return project

    def _configured_analyzer(self) -> str:
        """The name of the analyzer an analysis would run with now."""
        if self._analyzer_factory is _default_analyzer:
            from core.analysis.factory import configured_name
            return configured_name(self.settings)
        analyzer = self._analyzer_factory(self.settings)
        getattr(analyzer, "close", lambda: None)()
        return analyzer.name

    def _failed(self, job: Job, attempt: Attempt, error: RepofolioError) -> Outcome:
        s = self.settings
        delay = retry_delay(error, job.attempts, s, deadline=job.deadline_at, now=utcnow())
        if delay is not None and jobs.schedule_retry(job.id, job.attempts, error, delay, s.lease_ttl):
            log.info("Job %s attempt %s failed (%s); retrying in %.1f s",
                     job.id, job.attempts, error.code, delay)
            attempt.emit(RETRYING, QUEUED, 0, f"{error.message} Retrying in {delay:.0f} s.",
                         error=error.info, retry_in=delay)
            return Outcome(RETRYING, retry_in=delay)
        error = _final_form(error)
        project_id = (error.project_id if isinstance(error, DuplicateImport)
                      else job.project_id if job.kind == REFRESH else None)
        log.info("Job %s ended: %s %s", job.id, error.code, error.message)
        if jobs.fail(job.id, job.attempts, error, project_id=project_id):
            status = Job.get_by_id(job.id).status
            attempt.emit(status, attempt.last_stage, attempt.last_progress, error.message,
                         error=error.info, project_id=project_id)
            return Outcome(status, project_id=project_id)
        return Outcome(Job.get_by_id(job.id).status)


def _final_form(error: RepofolioError) -> RepofolioError:
    """Say when a spent rate limit resets, since the job will not wait for it."""
    if isinstance(error, RateLimited) and error.reset_at:
        at = clock_time(error.reset_at)
        return RateLimited(f"GitHub's rate limit is used up until {at}.",
                           wait_seconds=error.wait_seconds, reset_at=error.reset_at)
    return error


# The HTTP client and the analyzers are imported when an import runs, not when the
# command line starts: `repofolio list` and a queued `import` never need them
# (core.github.rate_limiter imports neither httpx nor the analyzers).
def _default_analyzer(settings: Settings) -> Analyzer:
    from core.analysis.factory import make_analyzer
    return make_analyzer(settings)
