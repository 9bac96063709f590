"""SVG icons from ``resources/icons``, drawn in the palette's text colour so they follow dark mode.

Line icons use ``currentColor``; it is replaced with the application palette's
window-text colour when the icon is first asked for. Status icons carry their own
mid-tone colours, readable on light and dark backgrounds alike.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QObject, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from resources import icon_path

# Device pixels: 16, 20 and 24 px icons at 100, 125, 150 and 200 % each find a size at or just
# above what they need (Qt scales the nearest larger one down, never a small one up).
_SIZES = (16, 20, 24, 30, 32, 36, 40, 48, 64, 96)


def _text_colour() -> str:
    app = QGuiApplication.instance()
    palette = app.palette() if app is not None else QPalette()
    return palette.color(QPalette.ColorRole.WindowText).name()


@lru_cache(maxsize=None)
def _icon_for(name: str, colour: str) -> QIcon:
    path = icon_path(name)
    if not path.is_file():
        return QIcon()
    svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def icon(name: str) -> QIcon:
    """The icon called ``name`` (e.g. ``"import"``, ``"job-done"``); an empty icon if unknown."""
    return _icon_for(name, _text_colour())


ICON_PROPERTY = "repofolio_icon"  # the icon's name on a widget or action that shows one


def themed(target: QObject, name: str) -> QObject:
    """Give a widget or action the icon ``name`` and remember the name, so that
    :func:`refresh_icons` draws it again in a new palette's colours (dark mode)."""
    target.setIcon(icon(name))
    target.setProperty(ICON_PROPERTY, name)
    return target


def refresh_icons(root: QObject) -> int:
    """Draw again every remembered icon under ``root`` in the palette's colour now."""
    count = 0
    for item in (root, *root.findChildren(QObject)):
        name = item.property(ICON_PROPERTY)
        if name:
            item.setIcon(icon(name))
            count += 1
    return count


def app_icon() -> QIcon:
    return icon("repofolio")
