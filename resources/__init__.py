"""Where the app's packaged files live: SVG icons, the desktop entry, the optional stylesheet."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
ICONS_DIR = RESOURCES_DIR / "icons"
STYLE_PATH = RESOURCES_DIR / "style.qss"
DESKTOP_ENTRY_PATH = RESOURCES_DIR / "repofolio.desktop"


def icon_path(name: str) -> Path:
    """The SVG file of the icon called ``name`` (without ``.svg``)."""
    return ICONS_DIR / f"{name}.svg"
