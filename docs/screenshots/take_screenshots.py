"""Take the README's screenshots from the real app pieces, against the fake GitHub.

Runs a Runtime on a temporary data folder, the loopback fake GitHub from
``tests/fakes`` (so no network and no token: nothing secret can appear), the
real consumer and the real MainWindow, and walks through what the README
describes: the first start, imports and their news, the cards and the table,
a project's details (a Markdown and an rST README), a search without results,
the import dialog, a running import, Settings, the shortcuts, the log, the
question when quitting with imports unfinished, and the dark palette. Run it
under a virtual X server:

    xvfb-run -a -s "-screen 0 1280x800x24" python docs/screenshots/take_screenshots.py

Writes the PNGs next to this script, or into the folder given as the first
argument (the Xvfb test uses that, with ``--quick``: shorter pauses for the window
to settle, to check the real app renders under a real X server). ``QT_SCALE_FACTOR=1.5`` (with a screen that much larger) takes the same
pictures at that scale.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QRect, QSettings  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from core.logs import LOG_FILE, setup_logging  # noqa: E402
from core.models import FINAL_STATUSES, Job  # noqa: E402
from core.secrets import SecretStore  # noqa: E402
from core.settings import Settings  # noqa: E402
from gui.help_windows import LogWindow  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from tasks.runtime import Runtime  # noqa: E402
from tests.fakes.github_server import FakeGitHub  # noqa: E402

CATALOG = ("pallets/flask", "psf/requests", "encode/httpx", "BurntSushi/ripgrep",
           "spf13/cobra", "expressjs/express", "fastapi/fastapi", "jqlang/jq",
           "coleifer/huey")
SELECTED, RST = "pallets/flask", "coleifer/huey"
RUNNING = "gorilla/mux"
WIDTH, HEIGHT = 1280, 800


SETTLE = 0.3 if "--quick" in sys.argv else 1.0  # how long the pauses below last


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds * SETTLE
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_until(app: QApplication, condition, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def import_all(app: QApplication, runtime: Runtime, names) -> dict[str, int]:
    """One after the other; returns full name -> project id."""
    projects = {}
    for name in names:
        job = runtime.queue.submit(name)
        wait_until(app, lambda: Job.get_by_id(job.id).status in FINAL_STATUSES)
        projects[name] = Job.get_by_id(job.id).project_id
    return projects


def grab_screen(path: Path, around: QWidget | None = None) -> None:
    """The virtual screen (a dialog over the window), cropped to ``around`` if given."""
    shot = QGuiApplication.primaryScreen().grabWindow(0)
    if around is not None:
        frame = around.frameGeometry()
        scale = shot.devicePixelRatio()
        shot = shot.copy(QRect(int(frame.x() * scale), int(frame.y() * scale),
                               int(frame.width() * scale), int(frame.height() * scale)))
    shot.save(str(path))


def dark_palette(light: QPalette) -> QPalette:
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#232629"),
                         (QPalette.ColorRole.WindowText, "#eff0f1"),
                         (QPalette.ColorRole.Base, "#1b1e20"),
                         (QPalette.ColorRole.AlternateBase, "#2a2e32"),
                         (QPalette.ColorRole.Text, "#eff0f1"),
                         (QPalette.ColorRole.Button, "#31363b"),
                         (QPalette.ColorRole.ButtonText, "#eff0f1"),
                         (QPalette.ColorRole.Mid, "#4d5257"),
                         (QPalette.ColorRole.Highlight, "#3daee9"),
                         (QPalette.ColorRole.HighlightedText, "#fcfcfc"),
                         (QPalette.ColorRole.Link, "#5eb4f0"),
                         (QPalette.ColorRole.PlaceholderText, "#9a9ea2")):
        dark.setColor(role, QColor(colour))
    return dark


def main() -> int:
    folders = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    out = Path(folders[0]) if folders else HERE
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Repofolio")
    home = Path(tempfile.mkdtemp(prefix="repofolio-shots-"))
    saved = []

    def save(window: QWidget, name: str) -> None:
        window.grab().save(str(out / name))
        saved.append(name)

    def screen(name: str, around: QWidget | None = None) -> None:
        grab_screen(out / name, around)
        saved.append(name)

    with FakeGitHub() as fake:
        fake.rate_limit = fake.rate_remaining = 5000  # as with a token: room for every import
        settings = Settings(home=home, github_api=fake.url, analyzer="heuristic", workers=1)
        secrets = SecretStore(home)  # no secret here; its redactions are the log's
        setup_logging(settings.log_dir, secrets.redactions)
        runtime = Runtime(settings, secrets=secrets)
        runtime.start_consumer(1)
        state = QSettings(str(home / "window-state.ini"), QSettings.Format.IniFormat)
        window = MainWindow(runtime, secrets, state=state)
        window.setGeometry(0, 0, WIDTH, HEIGHT)
        window.show()
        pump(app, 0.5)
        save(window, "first-start.png")

        projects = import_all(app, runtime, CATALOG)
        pump(app, 0.5)  # the last import's news arrives queued
        save(window, "news-banner.png")
        window.banner.hide()
        window.open_project(projects[SELECTED])
        pump(app, 1.0)
        save(window, "main-window.png")
        window.browser.set_view("table")
        pump(app, 0.3)
        save(window, "main-window-table.png")
        window.browser.set_view("cards")

        window.open_project(projects[RST])
        wait_until(app, lambda: not window.runner.busy)  # docutils, off the GUI thread
        pump(app, 0.5)
        readme = window.details.readme
        window.details.scroll.ensureWidgetVisible(readme, 0, 0)
        bar = window.details.scroll.verticalScrollBar()
        bar.setValue(min(bar.maximum(), readme.y() - 60))
        pump(app, 0.3)
        save(window, "details-rst.png")

        window.browser.search.setText("graphql")
        pump(app, 0.6)
        save(window, "no-match.png")
        window.browser.clear_filters()
        window.open_project(projects[SELECTED])
        pump(app, 0.3)

        QGuiApplication.clipboard().setText(f"https://github.com/{SELECTED}")
        window.open_import_dialog()
        dialog = window.import_dialog
        pump(app, 1.0)
        screen("import-duplicate.png")
        dialog.reject()
        pump(app, 0.3)

        window.open_settings_dialog()
        pump(app, 0.8)
        screen("settings.png", window.settings_dialog)
        window.settings_dialog.reject()
        pump(app, 0.3)

        window.shortcuts_action.trigger()
        pump(app, 0.5)
        save(window.shortcuts_dialog, "shortcuts.png")
        window.shortcuts_dialog.reject()
        log_window = LogWindow(settings.log_dir / LOG_FILE, window)  # as on a bare desktop
        log_window.show()
        pump(app, 0.5)
        save(log_window, "log-window.png")
        log_window.close()

        fake.latency = 0.6  # keep the next import running long enough to see it
        job = runtime.queue.submit(RUNNING)
        window.jobs_panel.reveal_job(job.id)
        panel = window.jobs_panel.model
        wait_until(app, lambda: (panel.job_at(panel.row_of(job.id)) or {}).get("progress", 0) >= 20)
        pump(app, 1.2)
        save(window, "jobs-running.png")
        fake.latency = 0.0
        wait_until(app, lambda: Job.get_by_id(job.id).status in FINAL_STATUSES)
        pump(app, 0.3)
        window.banner.hide()
        runtime.stop_consumer()  # an import that waits: quitting now asks first
        runtime.queue.submit("sinatra/sinatra")
        window.close()
        pump(app, 0.5)
        screen("quit-question.png")
        keep = next(b for b in window.quit_question.buttons() if "Keep" in b.text())
        keep.click()

        light = app.palette()
        app.setPalette(dark_palette(light))
        window.open_project(projects[SELECTED])
        pump(app, 0.5)
        save(window, "main-window-dark.png")
        app.setPalette(light)

        window.dispose()
        runtime.close()
    print("Saved:", *(str(out / n) for n in saved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
