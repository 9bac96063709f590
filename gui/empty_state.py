"""What a view says when it has nothing to show, laid over it instead of a blank area.

:class:`EmptyState` sits on a view's viewport, follows its size, and shows
itself only while the model has no rows, so the view keeps its header and
column widths (nothing jumps when rows come back). It carries a title, a line
of explanation and, optionally, one button that leads out of the empty state
("Clear filters", "Import a repository…").
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QPushButton, QVBoxLayout, QWidget

from gui.icons import themed

TEXT_WIDTH = 360  # a fixed width lets the wrapped text ask for the height it needs


class EmptyState(QWidget):
    """A centred message (and one button) over ``view`` while ``view``'s model is empty."""

    def __init__(self, view: QAbstractItemView, *, title: str, text: str = "",
                 button_text: str = "", button_icon: str = "",
                 on_button: Callable[[], None] | None = None,
                 shown_when: Callable[[], bool] | None = None):
        host = view.viewport()
        super().__init__(host)
        self.view, self._shown_when = view, shown_when
        self.title = QLabel(title)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setFixedWidth(TEXT_WIDTH)
        self.button = QPushButton(button_text)
        if button_icon:
            themed(self.button, button_icon)
        self.button.setVisible(bool(button_text))
        if on_button is not None:
            self.button.clicked.connect(lambda: on_button())
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.text, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        for label in (self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged):
            signal.connect(self.update_visibility)
        # A view scrolls its viewport's children with its items: stay where the eye is.
        for bar in (view.verticalScrollBar(), view.horizontalScrollBar()):
            bar.valueChanged.connect(lambda _value: self.setGeometry(host.rect()))
        self.update_visibility()

    def set_text(self, title: str, text: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
        self._fit()

    def update_visibility(self, *_args) -> None:
        model: QAbstractItemModel = self.view.model()
        empty = model.rowCount() == 0
        if empty and self._shown_when is not None:
            empty = self._shown_when()
        if empty:
            self.setGeometry(self.parentWidget().rect())
        self.setVisible(empty)
        if empty:
            self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
            self._fit()
        return False

    def _fit(self) -> None:
        """In a short view (the jobs dock) the explanation goes before anything is cut."""
        # The box layout asks a wrapped label's height for the layout's whole width, not
        # for the label's fixed one: say the height that width needs.
        self.text.setMinimumHeight(self.text.heightForWidth(TEXT_WIDTH))
        wanted = bool(self.text.text())
        layout = self.layout()
        room = self.height() - layout.contentsMargins().top() - layout.contentsMargins().bottom()
        needed = (self.title.sizeHint().height() + self.text.heightForWidth(TEXT_WIDTH)
                  + (self.button.sizeHint().height() if self.button.isVisibleTo(self) else 0)
                  + 2 * layout.spacing())
        self.text.setVisible(wanted and needed <= room)
