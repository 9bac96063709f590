"""The window at 10,000 and 100,000 projects: first paint, pauses while imports run, search.

Offscreen Qt (``QT_QPA_PLATFORM=offscreen``), the real :class:`gui.main_window.MainWindow`
on a real Runtime with 4 workers, a catalog of N synthetic projects (each with the ended
import job that made it), and a fake GitHub at 50 ms a request in a process of its own.

- **first paint**: from creating the window to the first page of projects painted;
- **pauses**: a 5 ms timer on the GUI thread while 20 imports run (submitted from another
  thread, as a terminal or the import dialog's worker would): each gap between two ticks
  beyond the 5 ms is a pause of the event loop; p99 and the longest are given;
- **search**: typing "w", "we", "web", "webz", "webzq" into the search field and then
  clearing it, each after the search's debounce: the longest pause while each keystroke's
  search ran;
- **peak RSS** of the process (getrusage), after all of it.

``--baseline DIR`` runs another checkout's code the same way (REPOFOLIO_BENCH_CODE).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# _support comes first: importing it puts the project on sys.path.
import _support
from _support import Timer, machine, ms, percentile, remote_fake_github, table, temp_home

IMPORTS = 20
WORKERS = 4
TICK_MS = 5
TYPED = ("w", "we", "web", "webz", "webzq", "")


def build_catalog(home: Path, size: int) -> None:
    """``size`` projects and their ended import jobs, written straight to the catalog."""
    from core.db import ensure_profile, open_catalog

    db = open_catalog(home / "repofolio.db")
    profile = ensure_profile("default")
    _support.fill_catalog(profile.id, size)
    _support.fill_import_jobs(profile.id)
    db.close()


class Ticks:
    """A 5 ms timer on the GUI thread; the gaps between its ticks beyond 5 ms."""

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.times: list[float] = []
        self.timer = QTimer(interval=TICK_MS)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def start(self) -> None:
        self.times.clear()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return [max(0.0, b - a - TICK_MS / 1000) for a, b in zip(self.times, self.times[1:])]


def spin(app, seconds: float, until=lambda: False) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        app.processEvents()
        time.sleep(0.001)


def measure(size: int) -> list[tuple[str, str]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from core.models import FINAL_STATUSES, Job
    from core.secrets import SecretStore
    from core.settings import Settings
    from gui.main_window import MainWindow
    from tasks.runtime import Runtime

    app = QApplication.instance() or QApplication(sys.argv)
    rows = []
    with remote_fake_github(0.05, copies=IMPORTS) as fake, temp_home() as home:
        with Timer() as building:
            build_catalog(home, size)
        rows.append((f"catalog of {size:,} projects built in", f"{building.seconds:.1f} s"))
        settings = Settings(home=home, github_api=fake.url, analyzer="heuristic",
                            workers=WORKERS)
        runtime = Runtime(settings)
        runtime.start_consumer(WORKERS)
        state = QSettings(str(home / "window.ini"), QSettings.Format.IniFormat)
        painted = threading.Event()
        with Timer() as first_paint:
            window = MainWindow(runtime, SecretStore(home), state=state)
            window.show()
            watch = _PaintWatch(painted)  # kept: an event filter is not owned by its widget
            window.browser.view.viewport().installEventFilter(watch)
            spin(app, 60, lambda: painted.is_set() and window.browser.model.rowCount() > 0)
        rows.append(("first paint (window made, first page of projects painted)",
                     ms(first_paint.seconds)))
        spin(app, 1.0)  # settle: the start's own background reads

        ticks = Ticks()
        ticks.start()
        done = []
        submitter = threading.Thread(target=lambda: done.extend(
            runtime.queue.submit(_support.copy_name(n), profile=f"p{n}").id
            for n in range(IMPORTS)))
        with Timer() as running:
            submitter.start()
            spin(app, 600, lambda: len(done) == IMPORTS and not Job.select().where(
                Job.id.in_(done), Job.status.not_in(FINAL_STATUSES)).exists())
        spin(app, 0.5)  # the last events and what they trigger
        gaps = ticks.stop()
        rows += [(f"{IMPORTS} imports with {WORKERS} workers ran for", f"{running.seconds:.1f} s"),
                 ("  event loop pause p99 / longest (5 ms timer)",
                  f"{ms(percentile(gaps, 99))} / {ms(max(gaps))}"),
                 ("  pauses over 50 ms", str(sum(g > 0.05 for g in gaps)))]

        searched = []
        for text in TYPED:
            ticks.start()
            window.browser.search.setText(text)
            spin(app, 0.6)  # past the debounce and whatever the search then does
            searched.append(max(ticks.stop() or [0.0]))
        rows.append(("search keystrokes, longest pause each",
                     " / ".join(f"{t or '(clear)'} {g * 1000:.0f}" for t, g in
                                zip(TYPED, searched)) + " ms"))
        rows.append(("  longest", ms(max(searched))))
        window.dispose()
        window.deleteLater()
        spin(app, 0.2)
        runtime.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak RSS of the process (getrusage)", f"{peak:.0f} MB"))
    return rows


class _PaintWatch:
    """An event filter that notes the first paint of a widget."""

    def __new__(cls, painted: threading.Event):
        from PySide6.QtCore import QEvent, QObject

        class Watch(QObject):
            def eventFilter(self, _obj, event):  # noqa: N802 (Qt override)
                if event.type() == QEvent.Type.Paint:
                    painted.set()
                return False
        return Watch()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to measure as well")
    parser.add_argument("--size", type=int, action="append",
                        help="projects in the catalog (repeatable; default 10,000 and 100,000)")
    args = parser.parse_args()
    sizes = args.size or [10_000, 100_000]
    print(f"bench_gui: {machine()}, code of {_support.CODE}")
    for size in sizes:  # each in a process of its own: peak RSS is per size
        if len(sizes) > 1:
            print(_support.run_baseline("bench_gui.py", _support.CODE, "--size", str(size)),
                  end="")
        else:
            table(measure(size), f"{size:,} projects, {IMPORTS} imports on {WORKERS} workers")
    if args.baseline:
        for size in sizes:
            print(_support.run_baseline("bench_gui.py", args.baseline, "--size", str(size)),
                  end="")


if __name__ == "__main__":
    main()
