"""The real app renders under a real X server (Xvfb), not only offscreen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "screenshots" / "take_screenshots.py"


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_screenshots_render_under_xvfb(tmp_path):
    from PySide6.QtGui import QImage
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["REPOFOLIO_HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", sys.executable, str(SCRIPT),
         str(tmp_path / "shots"), "--quick"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    for name in ("main-window.png", "import-duplicate.png", "jobs-running.png",
                 "main-window-table.png", "details-rst.png", "no-match.png",
                 "quit-question.png", "main-window-dark.png"):
        image = QImage(str(tmp_path / "shots" / name))
        assert image.width() >= 800 and image.height() >= 500, name
        # A real rendering has many colours; a blank or black window has one or two.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                   for y in range(0, image.height(), 29)}
        assert len(colours) > 20, name
