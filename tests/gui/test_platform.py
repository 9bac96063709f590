"""Respect for the platform: the screen's size, its scale, its palette."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from gui.icons import icon
from gui.main_window import default_geometry
from tests.gui.imaging import painted

PROBE = Path(__file__).with_name("layout_probe.py")
ROOT = PROBE.parents[2]


def test_the_first_start_fits_the_screen(qtbot, window):
    """1180 x 760 did not fit a 1366 x 768 screen with a panel (nor this 800 x 600 one)."""
    window.show()
    available = QGuiApplication.primaryScreen().availableGeometry()
    assert available.contains(window.geometry())
    assert window.width() >= 0.9 * min(1180, available.width())


def test_the_default_size_on_common_screens():
    for width, height in ((1366, 738), (1280, 800), (1920, 1040), (2560, 1400)):
        available = QRect(0, 30, width, height)
        chosen = default_geometry(available)
        assert available.contains(chosen)
        assert chosen.height() <= 0.9 * height  # room for the title bar
        assert chosen.width() == min(1180, int(width * 0.94))


@pytest.mark.parametrize("scale", ["1", "1.5", "2"])
def test_no_text_is_cut_at_100_to_200_percent(tmp_path, scale):
    """The real window on a 1366 x 768 screen at 100, 150 and 200 %: every label, button,
    check box and combo box at least as large as its text needs; the window fits."""
    factor = float(scale)
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "probe", "x": 0, "y": 0, "width": round(1366 * factor),
        "height": round(768 * factor), "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               QT_SCALE_FACTOR=scale, REPOFOLIO_HOME=str(tmp_path / "home"))
    out = tmp_path / "probe.json"
    done = subprocess.run([sys.executable, str(PROBE), scale, str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["screen"] == [1366, 768]  # the scale really applied
    assert result["fits"], result
    assert result["problems"] == []


@pytest.mark.parametrize("ratio", [1.0, 1.25, 1.5, 2.0])
def test_icons_have_sharp_pixmaps_at_each_scale(qtbot, ratio):
    """Each common icon size at each scale has a drawing at (or just above) its pixel size:
    never a small one blown up."""
    sizes = {s.width() for s in icon("import").availableSizes()}
    for logical in (16, 20, 24):
        needed = math.ceil(logical * ratio)
        assert any(needed <= s <= needed * 1.25 for s in sizes), (logical, ratio, sorted(sizes))


def _ink(qicon) -> QColor:
    image = painted(qicon)
    inked = [image.pixelColor(x, y) for x in range(48) for y in range(48)
             if image.pixelColor(x, y).alpha() > 200]
    return inked[len(inked) // 2]


def test_icons_and_secondary_text_follow_a_dark_palette(qtbot, window):
    app = QApplication.instance()
    light = app.palette()
    assert _ink(window.import_action.icon()).lightness() < 128
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.WindowText, "#e8eaed"),
                         (QPalette.ColorRole.Base, "#171717"),
                         (QPalette.ColorRole.Text, "#e8eaed")):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: _ink(window.import_action.icon()).lightness() > 128,
                        timeout=2000)
        assert _ink(window.details.refresh_button.icon()).lightness() > 128
        # Secondary text is re-tinted too: light grey on dark, not the light scheme's grey.
        muted = window.details.full_name.palette().color(QPalette.ColorRole.WindowText)
        assert muted.lightness() > 128
    finally:
        app.setPalette(light)
