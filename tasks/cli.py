"""The command line (DESIGN §5): the same core as the window, with JSON output.

Exit codes: 0 done or queued · 2 invalid input · 3 duplicate · 4 this repository
(or this owner's batch) is already queued or running · 5 the import failed (a batch:
any item failed) · 1 anything else. With ``--json``
stdout holds exactly one JSON object; messages go to stderr. Qt is never
imported here.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

from core import catalog, errors, jobs, storage
from core.catalog import ProjectFilter
from core.errors import RepofolioError
from core.logs import setup_logging
from core.models import (
    ACTIVE_STATUSES, BATCH, CANCELLED, FAILURE, FINAL_STATUSES, STARTED, SUCCESS, Job, Profile,
    Project,
)
from core.records import job_dict, project_dict
from core.redaction import Redactions
from core.secrets import SecretStore
from core.settings import Settings
from core.urls import hide_credentials
from tasks import cli_text
from tasks.cli_parser import UsageError, build_parser
from tasks.runtime import Runtime

log = logging.getLogger(__name__)

EXIT_OK, EXIT_OTHER, EXIT_INVALID, EXIT_DUPLICATE, EXIT_IN_FLIGHT, EXIT_FAILED = 0, 1, 2, 3, 4, 5
RECENT_JOBS = 50  # `jobs` without --all: the active jobs and this many recent ones
EXIT_BY_CODE = {
    errors.INVALID_URL: EXIT_INVALID, errors.INVALID_INPUT: EXIT_INVALID,
    errors.DUPLICATE_IMPORT: EXIT_DUPLICATE, errors.IMPORT_IN_PROGRESS: EXIT_IN_FLIGHT,
}

# Codes of an import that failed at GitHub; import-all meets them while listing the owner.
GITHUB_FAILURES = frozenset({errors.REPO_NOT_FOUND, errors.AUTH_FAILED, errors.RATE_LIMITED,
                             errors.NETWORK_ERROR, errors.GITHUB_ERROR, errors.TIMEOUT})


class Output:
    """Where a command's result goes: one JSON object on stdout, or text."""

    def __init__(self, as_json: bool):
        self.as_json = as_json
        encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
        # Escape in JSON what stdout cannot encode (a Windows code page, LANG=C): the
        # object stays valid and exact. Text output shows such characters as "?".
        self.ascii_only = encoding not in ("utf8", "utf_8")
        if self.ascii_only and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="replace")

    def result(self, data: dict[str, Any], text: Callable[[], str]) -> None:
        if self.as_json:
            # One write: an error cannot leave half an object on stdout.
            sys.stdout.write(json.dumps(data, ensure_ascii=self.ascii_only) + "\n")
        else:
            print(text())
        sys.stdout.flush()  # a closed pipe raises here, where run() expects it

    def note(self, message: str) -> None:
        print(message, file=sys.stderr)


def run(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        return _usage_error(error.parser, argv, str(error))
    if args.command is None:
        return _usage_error(parser, argv, "repofolio: a command is required")
    out = Output(getattr(args, "json", False))
    try:
        return _run_command(args, out)
    except BrokenPipeError:
        # The reader went away (`repofolio list --json | head`). Point stdout at devnull so
        # the interpreter's final flush does not raise again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OTHER


def _run_command(args, out: Output) -> int:
    runtime: Runtime | None = None
    log_file = settings = None
    try:
        settings = Settings.from_env()
        # The keyring (and a secrets file the user chose) is read only if needed.
        secrets = SecretStore(settings.home, Redactions(settings.secrets))
        with storage.naming(settings.home, home=settings.home):
            settings.ensure_dirs()
            log_file = setup_logging(settings.log_dir, secrets.redactions,
                                     stderr_level=logging.WARNING)
        # With --wait this process is likely to run the import itself: load it meanwhile.
        runtime = Runtime(settings, secrets=secrets, preload=getattr(args, "wait", False)
                          and not getattr(args, "dry_run", False))
        return COMMANDS[args.command](runtime, args, out)
    except RepofolioError as error:
        if isinstance(error, errors.StorageError):
            log.info("%s", error.message)  # the file only: stderr gets the error below
        return _refused(out, error)
    except KeyboardInterrupt:
        return _refused(out, errors.Interrupted("Interrupted.",
                                                suggestion="Run the command again."))
    except BrokenPipeError:
        raise  # not a fault of ours: run() ends quietly
    except Exception as exc:  # no stack trace reaches a user; the log has it
        explained = storage.explain(exc, home=settings.home) if settings else None
        if explained is not None:  # a full disk, a read-only folder, a damaged file
            log.info("%s", explained.message, exc_info=True)  # stderr gets it below
            return _refused(out, explained)
        if log_file is None:  # no usable data folder, so no log to point at
            reason = hide_credentials(str(exc))  # an exception may quote a configured URL
            return _refused(out, errors.InternalError(
                f"Repofolio could not start ({type(exc).__name__}: {reason}).",
                suggestion="Check REPOFOLIO_HOME: it must be a folder you can write to."))
        log.exception("Command %s failed", args.command)
        return _refused(out, errors.InternalError(
            f"Unexpected error ({type(exc).__name__}); details are in {log_file}."))
    finally:
        if runtime is not None:
            try:
                runtime.close()
            except (Exception, KeyboardInterrupt):  # the answer is out; never a traceback now
                log.warning("Closing the data folder failed", exc_info=True)


def _start_consumer(runtime: Runtime, workers: int | None = None):
    """Run imports in this process (which alone talks to GitHub, so reads the keyring)."""
    runtime.use_secrets()
    return runtime.start_consumer(workers)


def _usage_error(parser: argparse.ArgumentParser, argv: list[str], message: str) -> int:
    if "--json" in argv:
        error = errors.InvalidInput(message, suggestion="Run `repofolio --help` for the commands.")
        Output(True).result({"error": error.to_dict()}, str)
    else:
        parser.print_usage(sys.stderr)
        print(message, file=sys.stderr)
    return EXIT_INVALID


def _refused(out: Output, error: RepofolioError) -> int:
    data: dict[str, Any] = {"error": error.to_dict()}
    if isinstance(error, errors.DuplicateImport):
        project = Project.get_or_none(Project.id == error.project_id)
        if project is not None:
            data["project"] = project_dict(project)
    if out.as_json:
        out.result(data, str)
    else:
        out.note(f"error [{error.code}]: {error.message}\n  {error.suggestion}")
    return EXIT_BY_CODE.get(error.code, EXIT_OTHER)


def cmd_import(runtime: Runtime, args, out: Output) -> int:
    job = runtime.queue.submit(args.url, profile=args.profile, showcase=not args.no_showcase,
                               private=args.private)
    return _queued(runtime, job, args, out)


def cmd_import_all(runtime: Runtime, args, out: Output) -> int:
    from core import batches

    options = batches.BatchOptions(forks=args.forks, archived=args.archived,
                                   min_stars=args.min_stars, limit=args.limit)
    runtime.use_secrets()  # a token lists private repositories and raises the limit
    try:
        planned = batches.plan_owner(runtime.importer, args.owner, profile=args.profile,
                                     options=options)
    except RepofolioError as error:
        if error.code not in GITHUB_FAILURES:
            raise
        _refused(out, error)
        return EXIT_FAILED  # the import (of them all) failed at its first request
    sentence = batches.estimate_sentence(planned.estimate, limit=planned.limit)
    if sentence:
        out.note(sentence)
    if args.dry_run:
        out.result(planned.to_dict(), lambda: cli_text.plan_text(planned))
        return EXIT_OK
    batch = runtime.queue.submit_import_all(planned.owner, planned.items, profile=args.profile,
                                            url=planned.url, options=options)
    return _queued(runtime, batch, args, out)


def cmd_refresh(runtime: Runtime, args, out: Output) -> int:
    if args.all == (args.project is not None):
        raise errors.InvalidInput("Give a project, or --all for every project of the profile.",
                                  suggestion="repofolio refresh ID, or repofolio refresh --all")
    job = (runtime.queue.refresh_all(args.profile) if args.all
           else runtime.queue.refresh(args.project))
    return _queued(runtime, job, args, out)


def _queued(runtime: Runtime, job: Job, args, out: Output) -> int:
    """Print the queued job, or with --wait run a consumer here if needed and wait for the end."""
    if not args.wait:
        _note_if_no_worker(runtime, out, job)
        out.result(job_dict(job), lambda: cli_text.job_line(job))
        return EXIT_OK
    if not runtime.consumer_available():
        _start_consumer(runtime)
    try:
        job = runtime.wait_for(job.id, on_change=None if out.as_json else
                               lambda j: out.note(cli_text.progress_line(j)),
                               when_unconsumed=lambda: _start_consumer(runtime))
    except KeyboardInterrupt:
        runtime.stop_consumer()  # a running attempt goes back to the queue
        job = Job.get_by_id(job.id)
        if job.status not in FINAL_STATUSES:
            out.note(f"Interrupted: job {job.id} is {job.status}; it continues when the app or "
                     f"`repofolio worker` runs (`repofolio cancel {job.id}` drops it).")
        out.result(job_dict(job), lambda: cli_text.job_line(job))
        return EXIT_OTHER
    out.result(job_dict(job), lambda: cli_text.job_detail(job))
    return _exit_code(job)


def _exit_code(job: Job) -> int:
    """How a waited-for job ended, as an exit code (a batch: 0 when no item failed)."""
    if job.kind == BATCH:
        failed = Job.select().where((Job.parent == job.id) & (Job.status == FAILURE)).exists()
        return EXIT_FAILED if failed or job.status == CANCELLED else EXIT_OK
    if job.status == SUCCESS:
        return EXIT_OK
    if job.error_code == errors.DUPLICATE_IMPORT:
        return EXIT_DUPLICATE
    return EXIT_FAILED


def _note_if_no_worker(runtime: Runtime, out: Output, job: Job) -> None:
    if not runtime.consumer_available():
        out.note(f"Queued job {job.id}. No worker is running: it will run once the app or "
                 "`repofolio worker` is started (or use --wait).")


def cmd_list(runtime: Runtime, args, out: Output) -> int:
    projects = list(catalog.query_projects(ProjectFilter(search=args.search, sort="name")))
    out.result({"projects": [project_dict(p) for p in projects]},
               lambda: cli_text.project_table(projects))
    return EXIT_OK


def cmd_show(runtime: Runtime, args, out: Output) -> int:
    project = catalog.get_project(args.project)
    out.result(project_dict(project, with_readme=True), lambda: cli_text.project_detail(project))
    return EXIT_OK


def cmd_jobs(runtime: Runtime, args, out: Output) -> int:
    query = Job.select(Job, Profile).join(Profile).order_by(Job.id.desc())
    if not args.all:  # the active jobs, however old, and the recent ones
        recent = Job.select(Job.id).order_by(Job.id.desc()).limit(RECENT_JOBS)
        query = query.where(Job.status.in_(ACTIVE_STATUSES) | Job.id.in_(recent))
    found = list(query)
    out.result({"jobs": [job_dict(j) for j in found]}, lambda: cli_text.job_table(found))
    return EXIT_OK


def cmd_status(runtime: Runtime, args, out: Output) -> int:
    job = jobs.get_job(args.job)
    out.result(job_dict(job), lambda: cli_text.job_detail(job))
    return EXIT_OK


def cmd_cancel(runtime: Runtime, args, out: Output) -> int:
    job = runtime.queue.cancel(jobs.get_job(args.job).id)
    if job.status not in (CANCELLED, STARTED):
        out.note(f"Job {job.id} had already ended ({job.status}); nothing to cancel.")
    elif job.status == STARTED:
        out.note(f"Job {job.id} is running; it stops at its next step.")
    out.result(job_dict(job), lambda: cli_text.job_line(job))
    return EXIT_OK if job.status in (CANCELLED, STARTED) else EXIT_OTHER


def cmd_retry(runtime: Runtime, args, out: Output) -> int:
    job = runtime.queue.retry(jobs.get_job(args.job).id)
    _note_if_no_worker(runtime, out, job)
    out.result(job_dict(job), lambda: cli_text.job_line(job))
    return EXIT_OK


def cmd_delete(runtime: Runtime, args, out: Output) -> int:
    project = catalog.delete_project(args.project)
    out.result({"deleted": project_dict(project)}, lambda: f"Deleted {project.full_name}.")
    return EXIT_OK


def cmd_publish(runtime: Runtime, args, out: Output) -> int:
    from core.publish import DEFAULT_BRANCH, PublishOptions, formats_of, publish

    if args.branch is not None and args.git_remote is None:
        raise errors.InvalidInput("--branch needs --git-remote.",
                                  suggestion="Add --git-remote URL, or leave --branch out.")
    options = PublishOptions(out=Path(args.out), profile=args.profile,
                             formats=formats_of(args.format), title=args.title,
                             include_private=args.include_private, git_remote=args.git_remote,
                             branch=args.branch or DEFAULT_BRANCH)
    result = publish(options, progress=None if out.as_json else lambda _s, text: out.note(text))
    out.result(result.to_dict(), lambda: cli_text.publish_summary(
        result, options.branch if args.git_remote else None))
    return EXIT_OK


def cmd_worker(runtime: Runtime, args, out: Output) -> int:
    if args.workers is not None and not 1 <= args.workers <= 64:
        raise errors.InvalidInput("--workers must be between 1 and 64.")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    consumer = _start_consumer(runtime, args.workers)
    out.note(f"Worker running with {consumer.workers} threads on {runtime.settings.home}. "
             "Ctrl-C stops it.")
    started = time.monotonic()
    # A signal may be delivered to any thread; Python runs its handler in the main thread
    # only when that thread wakes. A wait without a timeout may then never wake.
    while not stop.wait(0.2):
        pass
    out.note("Stopping: running imports go back to the queue…")
    runtime.stop_consumer()
    out.result({"worker": {"workers": consumer.workers, "home": str(runtime.settings.home),
                           "seconds": round(time.monotonic() - started, 3), "stopped": True}},
               lambda: "Worker stopped.")
    return EXIT_OK


COMMANDS: dict[str, Callable[[Runtime, Any, Output], int]] = {
    "import": cmd_import, "import-all": cmd_import_all, "list": cmd_list, "show": cmd_show, "jobs": cmd_jobs,
    "status": cmd_status, "cancel": cmd_cancel, "retry": cmd_retry, "refresh": cmd_refresh,
    "delete": cmd_delete, "publish": cmd_publish,
    "worker": cmd_worker,
}
