"""The two views of the project list, the cards and the table, answering the same keys.

Both views show one :class:`gui.project_model.ProjectListModel` and share one
selection. Enter, Ctrl+Enter, Delete and Alt+Up/Down/Home become
``activated_with_keys``; a right-click or the Menu key becomes
``menu_requested`` for the current project, placed at its row or card (a
keyboard user's menu must not open wherever the mouse happens to be).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFontMetrics, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QListView, QStyle, QTableView,
)

from core.analysis.types import CATEGORIES
from gui import actions
from gui.project_cards import MIN_CARD_WIDTH, ProjectCardDelegate, card_height
from gui.project_model import CATEGORY, COLUMNS, IMPORTED, LANGUAGE, STARS, TITLE

# Alt + a key moves the selected project in the portfolio order (gui.actions.SHORTCUTS).
ORDER_KEYS = {Qt.Key.Key_Up: actions.MOVE_UP, Qt.Key.Key_Down: actions.MOVE_DOWN,
              Qt.Key.Key_Home: actions.PIN_TOP}
# Widths of the table's narrow columns, from texts as wide as their widest value, so they
# never follow the rows shown (an empty result made them jump).
COLUMN_SAMPLES = {CATEGORY: max(CATEGORIES, key=len), STARS: "888,888",
                  LANGUAGE: "JavaScript", IMPORTED: "2088-08-28 88:88"}


def key_action(view: QAbstractItemView, event: QKeyEvent) -> str | None:
    """The project action a key press asks for in a project view, or None."""
    if not view.currentIndex().isValid():
        return None
    key, mods = event.key(), event.modifiers()
    if mods & Qt.KeyboardModifier.AltModifier and key in ORDER_KEYS:
        return ORDER_KEYS[key]
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return "github" if mods & Qt.KeyboardModifier.ControlModifier else "details"
    if key == Qt.Key.Key_Delete:
        return "delete"
    return None


def menu_place(view: QAbstractItemView, event: QContextMenuEvent) -> tuple[QModelIndex, object]:
    """The project a context menu is for, and where it opens (global position)."""
    if event.reason() == QContextMenuEvent.Reason.Mouse:
        return view.indexAt(event.pos()), event.globalPos()
    index = view.currentIndex()
    return index, view.viewport().mapToGlobal(view.visualRect(index).center())


class _ProjectKeys:
    """The keys and the context menu both views answer to (a mixin before the Qt view)."""

    def keyPressEvent(self, event) -> None:  # noqa: N802
        what = key_action(self, event)
        if what is not None:
            self.activated_with_keys.emit(what)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        index, where = menu_place(self, event)
        if index.isValid():
            self.menu_requested.emit(index.row(), where)


class ProjectTable(_ProjectKeys, QTableView):
    """The projects as a table: owner/name, category, stars, language, date imported."""

    activated_with_keys = Signal(str)  # "details", "github", "delete" or an ORDER_KEYS value
    menu_requested = Signal(int, object)  # row, global position

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.setAccessibleName("Projects (table)")

    def setModel(self, model) -> None:  # noqa: N802
        super().setModel(model)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Fixed widths from the font (they follow the scale, not the rows shown)."""
        header = self.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = QFontMetrics(self.font())
        bold = self.horizontalHeader().font()
        bold.setBold(True)
        header_metrics = QFontMetrics(bold)
        icon_room = self.iconSize().width() if self.iconSize().isValid() else 16
        for column, sample in COLUMN_SAMPLES.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            width = max(metrics.horizontalAdvance(sample),
                        header_metrics.horizontalAdvance(COLUMNS[column][0]) + icon_room)
            header.resizeSection(column, width + 2 * self.style().pixelMetric(
                QStyle.PixelMetric.PM_FocusFrameHMargin) + 16)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.FontChange and self.model() is not None:
            self.fit_columns()


class ProjectCardView(_ProjectKeys, QListView):
    """The projects as cards in a grid as wide as the view allows."""

    activated_with_keys = Signal(str)
    menu_requested = Signal(int, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)  # hovered cards show it
        self.setSpacing(0)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.delegate = ProjectCardDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setAccessibleName("Projects (cards)")
        self.fit_grid()

    def fit_grid(self) -> None:
        """As many columns of cards as fit at least MIN_CARD_WIDTH wide, sharing the width."""
        width = max(1, self.viewport().width())
        columns = max(1, width // MIN_CARD_WIDTH)
        # One pixel of slack: a row exactly as wide as the viewport wraps its last card.
        size = QSize(width // columns - 1, card_height(self.font()))
        self.verticalScrollBar().setSingleStep(max(20, size.height() // 4))
        if size != self.gridSize():
            self.delegate.card_width = size.width()
            self.setGridSize(size)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_grid()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self.fit_grid()
