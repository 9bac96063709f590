"""Run as a script: open the real window at a scale and list every control whose text is cut.

``python tests/gui/layout_probe.py SCALE OUT.json [SHOT.png]`` starts a Qt
application (the caller chooses the platform and ``QT_SCALE_FACTOR``), fills a
catalog in a temporary folder, shows the window at the size a first start
gives it, selects a project, opens the dialogs this window owns, and writes
``{"screen": [w, h], "window": [w, h], "problems": [...]}``. A problem is a
label, button, check box or combo box smaller than the text it must show.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton, QApplication, QComboBox, QLabel, QWidget,
)

from core.db import DEFAULT_PROFILE  # noqa: E402
from core.models import Profile, Project  # noqa: E402
from core.secrets import SecretStore  # noqa: E402
from core.settings import Settings  # noqa: E402

LONG = ("A library for building command-line applications with nested subcommands, "
        "flags, help text and shell completion")


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def cut_off(root: QWidget) -> list[str]:
    """Every visible text control under ``root`` smaller than its text needs."""
    problems = []
    for widget in (root, *root.findChildren(QWidget)):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        name = f"{type(widget).__name__} {text!r}"[:90]
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if widget.height() < need:
                    problems.append(f"{name}: {widget.height()} px high, needs {need}")
                continue
            need = widget.minimumSizeHint()
        elif isinstance(widget, QComboBox) or (isinstance(widget, QAbstractButton)
                                                and widget.text()):
            need = widget.minimumSizeHint()
        else:
            continue
        if widget.width() < need.width() or widget.height() < need.height():
            problems.append(f"{name}: {widget.width()}x{widget.height()}, needs "
                            f"{need.width()}x{need.height()}")
    return problems


def main() -> int:
    out = Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    home = Path(tempfile.mkdtemp(prefix="repofolio-probe-"))
    from gui.main_window import MainWindow
    from tasks.runtime import Runtime
    # Nothing answers on this port: the quota read fails quietly, as offline.
    runtime = Runtime(Settings(home=home, github_api="http://127.0.0.1:9", analyzer="heuristic",
                               request_timeout=1.0))
    owner = Profile.get(Profile.name == DEFAULT_PROFILE)
    for n, (name, description) in enumerate((("spf13/cobra", LONG), ("a/b", "Short."),
                                             ("pallets/flask", "A micro framework."))):
        Project.create(profile=owner, slug=f"p{n}", key=name, github_id=n, full_name=name,
                       title=name.split("/")[1], url=f"https://github.com/{name}",
                       description=description, summary=LONG, highlights=[LONG, "Fast"],
                       category="DevOps & Infrastructure", tags=["cli", "go", "completion"],
                       languages={"Go": 10, "Shell": 2}, stars=40000 + n,
                       tech_stack={"languages": ["Go"], "frameworks": ["pflag", "Viper"],
                                   "tools": ["GitHub Actions", "golangci-lint"]},
                       readme="# Cobra\n\n" + LONG + "\n\n```\ngo get x\n```\n", is_private=n == 1)
    state = QSettings(str(home / "state.ini"), QSettings.Format.IniFormat)
    window = MainWindow(runtime, SecretStore(), state=state)
    window.show()
    pump(app, 0.5)
    window.open_project(Project.get(Project.key == "spf13/cobra").id)
    pump(app, 0.5)
    problems = [f"window: {p}" for p in cut_off(window)]
    window.browser.set_view("table")
    pump(app, 0.3)
    problems += [f"table: {p}" for p in cut_off(window)]
    if len(sys.argv) > 3:
        window.grab().save(sys.argv[3])
    for action in (window.shortcuts_action, window.log_action):
        action.trigger()
        pump(app, 0.3)
        dialog = app.activeModalWidget() or next(
            d for d in window.findChildren(QWidget) if d.isWindow() and d.isVisible()
            and d is not window)
        problems += [f"{dialog.windowTitle()}: {p}" for p in cut_off(dialog)]
        dialog.close()
    screen = QGuiApplication.primaryScreen().availableGeometry()
    frame = window.frameGeometry()
    result = {"screen": [screen.width(), screen.height()],
              "window": [frame.width(), frame.height()],
              "fits": screen.contains(frame), "problems": problems}
    out.write_text(json.dumps(result, indent=1))
    window.dispose()
    runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
