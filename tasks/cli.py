"""The command line (DESIGN §5): the same core as the window, with JSON output.

Exit codes: 0 done or queued · 2 invalid input · 3 duplicate · 4 an import is
already in flight · 5 the import failed · 1 anything else. With ``--json``
stdout holds exactly one JSON object; messages go to stderr. Qt is never
imported here.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Any, Callable

from core import catalog, errors, jobs
from core.catalog import ProjectFilter
from core.errors import RepofolioError
from core.logs import setup_logging
from core.models import CANCELLED, STARTED, SUCCESS, Job, Project
from core.records import job_dict, project_dict
from core.secrets import SecretStore, with_secrets
from core.settings import Settings
from tasks import cli_text
from tasks.runtime import Runtime

log = logging.getLogger(__name__)

EXIT_OK, EXIT_OTHER, EXIT_INVALID, EXIT_DUPLICATE, EXIT_IN_FLIGHT, EXIT_FAILED = 0, 1, 2, 3, 4, 5
EXIT_BY_CODE = {
    errors.INVALID_URL: EXIT_INVALID, errors.INVALID_INPUT: EXIT_INVALID,
    errors.DUPLICATE_IMPORT: EXIT_DUPLICATE, errors.IMPORT_IN_PROGRESS: EXIT_IN_FLIGHT,
}


class Output:
    """Where a command's result goes: one JSON object on stdout, or text."""

    def __init__(self, as_json: bool):
        self.as_json = as_json

    def result(self, data: dict[str, Any], text: Callable[[], str]) -> None:
        if self.as_json:
            json.dump(data, sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            print(text())

    def note(self, message: str) -> None:
        print(message, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="repofolio", description=(
        "Turn GitHub repositories into a local portfolio. Without a command, opens the window."))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object")
        return p

    p = command("import", "queue an import of one repository")
    p.add_argument("url", help="repository URL or owner/name")
    p.add_argument("--profile", default="default")
    p.add_argument("--wait", action="store_true", help="wait until the import ends")
    p.add_argument("--private", action="store_true", help="mark the project private")
    p.add_argument("--no-showcase", action="store_true", help="keep it out of the showcase")
    p = command("list", "list projects")
    p.add_argument("--search", default="")
    p = command("show", "show one project, README included")
    p.add_argument("project", metavar="ID|SLUG")
    p = command("jobs", "list jobs (active and recent)")
    p.add_argument("--all", action="store_true", help="every job, not only recent ones")
    for name, text in (("status", "show one job"), ("cancel", "cancel a job"),
                       ("retry", "retry a failed or cancelled job")):
        command(name, text).add_argument("job", metavar="JOB")
    command("delete", "delete a project").add_argument("project", metavar="ID|SLUG")
    p = command("worker", "run a standalone queue consumer until stopped")
    p.add_argument("--workers", type=int, default=None)
    return parser


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    out = Output(getattr(args, "json", False))
    try:
        settings = Settings.from_env()
        settings = with_secrets(settings, SecretStore())
        settings.ensure_dirs()
        setup_logging(settings.log_dir, stderr_level=logging.WARNING,
                      secrets=[settings.github_token or "", settings.openai_api_key or ""])
        runtime = Runtime(settings)
    except RepofolioError as error:
        return _refused(out, error)
    try:
        return COMMANDS[args.command](runtime, args, out)
    except RepofolioError as error:
        return _refused(out, error)
    except KeyboardInterrupt:
        out.note("Interrupted.")
        return EXIT_OTHER
    except Exception as exc:  # no stack trace reaches a user; the log has it
        log.exception("Command %s failed", args.command)
        return _refused(out, errors.InternalError(
            f"Unexpected error ({type(exc).__name__}); details are in "
            f"{settings.log_dir / 'repofolio.log'}."))
    finally:
        runtime.close()


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
    if not args.wait:
        if not runtime.consumer_available():
            out.note(f"Queued job {job.id}. No worker is running: it will run once the app or "
                     "`repofolio worker` is started (or use --wait).")
        out.result(job_dict(job), lambda: cli_text.job_line(job))
        return EXIT_OK
    if not runtime.consumer_available():
        runtime.start_consumer()
    job = runtime.wait_for(job.id, on_change=None if out.as_json else
                           lambda j: out.note(cli_text.progress_line(j)))
    out.result(job_dict(job), lambda: cli_text.job_detail(job))
    if job.status == SUCCESS:
        return EXIT_OK
    if job.error_code == errors.DUPLICATE_IMPORT:
        return EXIT_DUPLICATE
    return EXIT_FAILED


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
    query = Job.select().order_by(Job.id.desc())
    if not args.all:
        query = query.limit(50)
    found = list(query)
    out.result({"jobs": [job_dict(j) for j in found]}, lambda: cli_text.job_table(found))
    return EXIT_OK


def cmd_status(runtime: Runtime, args, out: Output) -> int:
    job = jobs.get_job(args.job)
    out.result(job_dict(job), lambda: cli_text.job_detail(job))
    return EXIT_OK


def cmd_cancel(runtime: Runtime, args, out: Output) -> int:
    job = runtime.queue.cancel(jobs.get_job(args.job).id)
    out.result(job_dict(job), lambda: cli_text.job_line(job))
    return EXIT_OK if job.status in (CANCELLED, STARTED) else EXIT_OTHER


def cmd_retry(runtime: Runtime, args, out: Output) -> int:
    job = runtime.queue.retry(jobs.get_job(args.job).id)
    out.result(job_dict(job), lambda: cli_text.job_line(job))
    return EXIT_OK


def cmd_delete(runtime: Runtime, args, out: Output) -> int:
    project = catalog.delete_project(args.project)
    out.result({"deleted": project_dict(project)}, lambda: f"Deleted {project.full_name}.")
    return EXIT_OK


def cmd_worker(runtime: Runtime, args, out: Output) -> int:
    if args.workers is not None and not 1 <= args.workers <= 64:
        raise errors.InvalidInput("--workers must be between 1 and 64.")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    consumer = runtime.start_consumer(args.workers)
    out.note(f"Worker running with {consumer.workers} threads on {runtime.settings.home}. "
             "Ctrl-C stops it.")
    stop.wait()
    out.note("Stopping: running imports go back to the queue…")
    runtime.stop_consumer()
    return EXIT_OK


COMMANDS: dict[str, Callable[[Runtime, Any, Output], int]] = {
    "import": cmd_import, "list": cmd_list, "show": cmd_show, "jobs": cmd_jobs,
    "status": cmd_status, "cancel": cmd_cancel, "retry": cmd_retry, "delete": cmd_delete,
    "worker": cmd_worker,
}
