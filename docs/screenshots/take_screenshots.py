"""Take the README's screenshots from the real app pieces, against the fake GitHub.

Runs a Runtime on a temporary data folder, the loopback fake GitHub from
``tests/fakes`` (so no network and no token: nothing secret can appear), the
real consumer and the real MainWindow. Run it under a virtual X server:

    xvfb-run -a -s "-screen 0 1280x800x24" python docs/screenshots/take_screenshots.py

Writes ``main-window.png``, ``import-duplicate.png`` and ``jobs-running.png`` next
to this script, or into the folder given as the first argument (the Xvfb test
uses that to check the real app renders under a real X server).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from core.models import FINAL_STATUSES, Job  # noqa: E402
from core.secrets import SecretStore  # noqa: E402
from core.settings import Settings  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from tasks.runtime import Runtime  # noqa: E402
from tests.fakes.github_server import FakeGitHub  # noqa: E402

CATALOG = ("pallets/flask", "psf/requests", "encode/httpx", "BurntSushi/ripgrep",
           "spf13/cobra", "expressjs/express", "fastapi/fastapi", "jqlang/jq")
SELECTED = "pallets/flask"
RUNNING = "gorilla/mux"


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
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
    """One at a time, as the profile's rule says; returns full name -> project id."""
    projects = {}
    for name in names:
        job = runtime.queue.submit(name)
        wait_until(app, lambda: Job.get_by_id(job.id).status in FINAL_STATUSES)
        projects[name] = Job.get_by_id(job.id).project_id
    return projects


def grab_screen(path: Path) -> None:
    """The whole virtual screen cropped to the window: shows a dialog over it."""
    QGuiApplication.primaryScreen().grabWindow(0).save(str(path))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Repofolio")
    home = Path(tempfile.mkdtemp(prefix="repofolio-shots-"))
    with FakeGitHub() as fake:
        fake.rate_limit = fake.rate_remaining = 5000  # as with a token: room for every import
        settings = Settings(home=home, github_api=fake.url, analyzer="heuristic", workers=1)
        runtime = Runtime(settings)
        runtime.start_consumer(1)
        state = QSettings(str(home / "window-state.ini"), QSettings.Format.IniFormat)
        window = MainWindow(runtime, SecretStore(), state=state)
        window.setGeometry(0, 0, 1280, 800)
        window.show()
        pump(app, 0.5)

        projects = import_all(app, runtime, CATALOG)
        pump(app, 0.5)  # the last import's news arrives queued
        window.banner.hide()
        window.open_project(projects[SELECTED])
        pump(app, 1.0)
        window.grab().save(str(out / "main-window.png"))

        QGuiApplication.clipboard().setText(f"https://github.com/{SELECTED}")
        window.open_import_dialog()
        dialog = window.import_dialog
        pump(app, 1.0)
        grab_screen(out / "import-duplicate.png")
        dialog.reject()
        pump(app, 0.3)

        fake.latency = 0.6  # keep the next import running long enough to see it
        job = runtime.queue.submit(RUNNING)
        window.jobs_panel.reveal_job(job.id)
        panel = window.jobs_panel.model
        wait_until(app, lambda: (panel.job_at(panel.row_of(job.id)) or {}).get("progress", 0) >= 20)
        pump(app, 1.2)
        window.grab().save(str(out / "jobs-running.png"))

        fake.latency = 0.0
        window.dispose()
        runtime.close()
    print("Saved:", *(str(out / n) for n in
                      ("main-window.png", "import-duplicate.png", "jobs-running.png")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
