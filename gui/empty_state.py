"""What a view says when it has nothing to show, instead of a blank area.

:class:`EmptyCatalogPage` is the browser's first step while the catalog is empty.

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
FIRST_STEP_WIDTH = 400


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


class EmptyCatalogPage(QWidget):
    """Shown while the catalog holds no project: what Repofolio does and the first step."""

    def __init__(self, on_import, parent=None):
        super().__init__(parent)
        title = QLabel("Your portfolio is empty")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.text = QLabel("Paste the address of a GitHub repository. Repofolio fetches it "
                           "in the background, writes a portfolio description and keeps it "
                           "here.")
        self.text.setWordWrap(True)
        # Centred in the layout, a word-wrapped label gets its size hint, a guess about
        # 200 px wide and two lines high, and the rest of the text is cut off. A fixed
        # width lets the layout ask for the height that width needs.
        self.text.setFixedWidth(FIRST_STEP_WIDTH)
        self.import_button = themed(QPushButton("Import a repository…"), "import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(on_import)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, self.text, self.import_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
            if isinstance(widget, QLabel):
                widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


def no_match_text(search: str, category: str, language: str, showcase_only: bool) -> str:
    """``No project matches “web” in Rust, showcase only``: what the user asked for."""
    asked = [f"“{search.strip()}”"] if search.strip() else []
    within = [value for value in (category, language) if value]
    if showcase_only:
        within.append("showcase only")
    text = "No project matches " + (" ".join(asked) or "these filters")
    return text + (f" in {', '.join(within)}" if within and asked else
                   f" ({', '.join(within)})" if within else "")
