"""Repofolio's entry point: no arguments opens the window, a subcommand runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        if "--wait" in argv or argv[0] == "worker":  # imports will run in this process
            from core import preload
            preload.in_background(preload.network)  # beside loading the command line
        from tasks.cli import run
        return run(argv)
    from gui.app import run_app  # Qt is imported only for the window
    return run_app()


if __name__ == "__main__":
    sys.exit(main())
