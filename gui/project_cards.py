"""How one project looks as a card: name, description, category, marks and stack chips.

:class:`ProjectCardDelegate` paints a :class:`gui.project_model.ProjectRow`
from the palette alone (base, text, highlight), so a card follows the
system's light or dark scheme; its size follows the font, so nothing is cut
at any scale. The text comes from GitHub and is drawn as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from gui.icons import icon
from gui.project_model import ProjectRow, ProjectRowRole

MARGIN = 6  # around a card, inside its grid cell
PAD = 12  # inside a card
RADIUS = 8
DESCRIPTION_LINES = 2
CHIP_PAD = 7
MIN_CARD_WIDTH = 300


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` of the way to ``b`` (0: a, 1: b)."""
    return QColor.fromRgbF(*(x + (y - x) * amount for x, y in zip(
        (a.redF(), a.greenF(), a.blueF()), (b.redF(), b.greenF(), b.blueF()))))


def card_fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    """The name's, the body's and the small print's fonts, from the view's font."""
    name = QFont(base)
    name.setBold(True)
    name.setPointSizeF(base.pointSizeF() * 1.1)
    small = QFont(base)
    small.setPointSizeF(base.pointSizeF() * 0.9)
    return name, QFont(base), small


def card_height(base: QFont) -> int:
    """What a card needs for its five lines of text at this font (any scale)."""
    name, body, small = (QFontMetricsF(f) for f in card_fonts(base))
    content = (name.height() + 6 + body.lineSpacing() * DESCRIPTION_LINES + 6
               + small.height() + 8 + small.height() + 6)
    return int(content + 2 * (PAD + MARGIN) + 1)


def elided_lines(text: str, font: QFont, width: float, lines: int) -> list[str]:
    """``text`` wrapped at ``width`` into at most ``lines`` lines, the last one elided."""
    layout = QTextLayout(" ".join(text.split()), font)
    layout.beginLayout()
    found: list[tuple[int, int]] = []
    while len(found) < lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        found.append((line.textStart(), line.textLength()))
    layout.endLayout()
    flat = layout.text()
    out = [flat[start:start + length].rstrip() for start, length in found]
    if found and sum(found[-1]) < len(flat):  # more text than room: elide the last line
        rest = flat[found[-1][0]:]
        out[-1] = QFontMetricsF(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return out


class ProjectCardDelegate(QStyledItemDelegate):
    """Paints a project as a card; the view decides the card's width (its grid)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.card_width = MIN_CARD_WIDTH

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802
        return QSize(self.card_width, card_height(option.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        row: ProjectRow | None = index.data(ProjectRowRole)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        muted = mix(text, base, 0.38)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        card = QRectF(option.rect).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        painter.setPen(QPen(highlight if selected else mix(base, text, 0.4 if hovered else 0.2),
                            2.0 if selected else 1.0))
        painter.setBrush(mix(base, highlight, 0.14) if selected else base)
        painter.drawRoundedRect(card, RADIUS, RADIUS)
        inner = card.adjusted(PAD, PAD, -PAD, -PAD)
        name_font, body_font, small_font = card_fonts(option.font)
        top = self._heading(painter, row, inner, name_font, small_font, text, muted)
        painter.setFont(body_font)
        painter.setPen(text if row.description else muted)
        body = QFontMetricsF(body_font)
        y = top
        for line in elided_lines(row.description or "No description.", body_font,
                                 inner.width(), DESCRIPTION_LINES):
            painter.drawText(QPointF(inner.left(), y + body.ascent()), line)
            y += body.lineSpacing()
        y = top + DESCRIPTION_LINES * body.lineSpacing() + 6  # the same for every card
        y = self._facts(painter, row, inner, y, small_font, muted)
        self._chips(painter, row, inner, y + 8, small_font, text, base)
        painter.restore()

    def _heading(self, painter, row, inner, name_font, small_font, text, muted) -> float:
        """owner/name on the left, the star count on the right; returns the next line's top."""
        small = QFontMetricsF(small_font)
        stars = f"{row.stars:,} stars"
        stars_width = small.horizontalAdvance(stars)
        name = QFontMetricsF(name_font)
        painter.setFont(name_font)
        painter.setPen(text)
        title = name.elidedText(row.full_name, Qt.TextElideMode.ElideMiddle,
                                inner.width() - stars_width - 12)
        painter.drawText(QPointF(inner.left(), inner.top() + name.ascent()), title)
        painter.setFont(small_font)
        painter.setPen(muted)
        painter.drawText(QPointF(inner.right() - stars_width,
                                 inner.top() + name.ascent()), stars)
        return inner.top() + name.height() + 6

    def _facts(self, painter, row, inner, y, small_font, muted) -> float:
        """Category · language on the left; Private / Showcased or Hidden on the right."""
        small = QFontMetricsF(small_font)
        painter.setFont(small_font)
        x = inner.right()
        marks = [("private", "Private")] if row.is_private else []
        marks.append(("showcase", "Showcased") if row.is_showcase else ("", "Hidden"))
        size = int(small.height())
        for icon_name, label in reversed(marks):
            x -= small.horizontalAdvance(label)
            painter.setPen(muted)
            painter.drawText(QPointF(x, y + small.ascent()), label)
            if icon_name:
                x -= size + 3
                icon(icon_name).paint(painter, int(x), int(y), size, size)
            x -= 12
        facts = " · ".join(t for t in (row.category, row.language) if t)
        painter.setPen(muted)
        painter.drawText(QPointF(inner.left(), y + small.ascent()),
                         small.elidedText(facts, Qt.TextElideMode.ElideRight,
                                          max(0.0, x - inner.left())))
        return y + small.height()

    def _chips(self, painter, row, inner, y, small_font, text, base) -> None:
        """The tech stack as chips, as many as fit on one line, then "+N"."""
        small = QFontMetricsF(small_font)
        height = small.height() + 4
        x = inner.left()
        painter.setFont(small_font)
        names = list(row.stack)
        for n, name in enumerate(names):
            width = small.horizontalAdvance(name) + 2 * CHIP_PAD
            rest = f"+{len(names) - n - 1}" if n < len(names) - 1 else ""
            reserve = small.horizontalAdvance(rest) + 2 * CHIP_PAD + 6 if rest else 0
            if x + width + reserve > inner.right():
                self._chip(painter, f"+{len(names) - n}", x, y, height, small, text, base)
                return
            self._chip(painter, name, x, y, height, small, text, base)
            x += width + 6

    @staticmethod
    def _chip(painter, label, x, y, height, small, text, base) -> None:
        width = small.horizontalAdvance(label) + 2 * CHIP_PAD
        painter.setPen(QPen(mix(base, text, 0.22), 1.0))
        painter.setBrush(mix(base, text, 0.07))
        painter.drawRoundedRect(QRectF(x, y, width, height), height / 2, height / 2)
        painter.setPen(text)
        painter.drawText(QRectF(x, y, width, height), Qt.AlignmentFlag.AlignCenter, label)
