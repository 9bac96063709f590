"""The command line's grammar (DESIGN §5): every command, its arguments and their help.

:func:`build_parser` gives the argparse parser that :mod:`tasks.cli` runs; a mistake
in the command line raises :class:`UsageError` instead of exiting, so that ``--json``
can still answer with one JSON object.
"""

from __future__ import annotations

import argparse


class UsageError(Exception):
    """The command line itself is wrong (unknown command, missing argument)."""

    def __init__(self, message: str, parser: argparse.ArgumentParser):
        super().__init__(message)
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so ``--json`` can still answer in JSON."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", self)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="repofolio", description=(
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
    p = command("import-all", "queue imports of every repository of a user or organization")
    p.add_argument("owner", metavar="OWNER", help="a login, @login or https://github.com/login")
    p.add_argument("--profile", default="default")
    p.add_argument("--forks", action="store_true", help="include forks")
    p.add_argument("--archived", action="store_true", help="include archived repositories")
    p.add_argument("--min-stars", type=int, default=0, metavar="N",
                   help="leave out repositories with fewer stars")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="import at most N repositories")
    p.add_argument("--dry-run", action="store_true",
                   help="list the plan and its request estimate; queue nothing")
    p.add_argument("--wait", action="store_true", help="wait until every import has ended")
    p = command("list", "list projects")
    p.add_argument("--search", default="")
    p = command("show", "show one project, README included")
    p.add_argument("project", metavar="ID|SLUG")
    p = command("jobs", "list jobs (active and recent)")
    p.add_argument("--all", action="store_true", help="every job, not only recent ones")
    for name, text in (("status", "show one job"), ("cancel", "cancel a job"),
                       ("retry", "retry a failed or cancelled job")):
        command(name, text).add_argument("job", metavar="JOB")
    p = command("refresh", "fetch a project from GitHub again and rewrite it in place")
    p.add_argument("project", metavar="ID|SLUG", nargs="?")
    p.add_argument("--all", action="store_true", help="every project of the profile, as a batch")
    p.add_argument("--profile", default="default", help="with --all: whose projects")
    p.add_argument("--wait", action="store_true", help="wait until the refresh ends")
    command("delete", "delete a project").add_argument("project", metavar="ID|SLUG")
    p = command("publish", "write the showcase as a static site, PORTFOLIO.md and portfolio.json")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder; each publish replaces what it holds")
    p.add_argument("--profile", default="default")
    p.add_argument("--format", default="all", choices=("site", "markdown", "json", "all"))
    p.add_argument("--title", default=None, help="default: the saved title, else the GitHub "
                   "owner of most shown projects, else the profile name")
    p.add_argument("--include-private", action="store_true", help="publish private projects too")
    p.add_argument("--git-remote", metavar="URL", help="commit DIR to a branch of this remote "
                   "and push it (with your own git credentials)")
    p.add_argument("--branch", default=None, help="the remote's branch (default gh-pages)")
    p = command("worker", "run a standalone queue consumer until stopped")
    p.add_argument("--workers", type=int, default=None)
    return parser
