"""Drawing an icon into an image, for tests that look at the pixels it paints."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPainter

SIZE = 48


def painted(qicon, size: int = SIZE) -> QImage:
    """``qicon`` painted at ``size`` x ``size`` on a transparent image."""
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    qicon.paint(painter, 0, 0, size, size)
    painter.end()
    return image
