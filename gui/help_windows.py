"""Help → Keyboard shortcuts, and the log shown in a window when the desktop cannot open it.

:class:`ShortcutsDialog` lists what :func:`gui.window_actions.shortcut_rows`
reads from the menus, so it can never list a key that does nothing.
:class:`LogWindow` is Help → Open log's fallback where no application opens
``.log`` files: the file's path (selectable, with a Copy button) and its
last lines. Logs never hold secrets (they are redacted when written).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from gui.icons import themed

TAIL_BYTES = 64 * 1024  # the end of the log is what explains the last failure
GENERAL_KEYS = ("Tab and Shift+Tab move between controls; Alt opens the menus; the Menu key "
                "opens the selected project's menu. In the jobs dock, Enter opens the "
                "selected job's project or details and Tab reaches its buttons.")


class ShortcutsDialog(QDialog):
    """Every shortcut of the window's menus, grouped by menu."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName("Keyboard shortcuts")
        groups: dict[str, QTreeWidgetItem] = {}
        for menu, text, keys in rows:
            if menu not in groups:
                groups[menu] = QTreeWidgetItem(self.tree, [menu])
                font = groups[menu].font(0)
                font.setBold(True)
                groups[menu].setFont(0, font)
                groups[menu].setFirstColumnSpanned(True)
            QTreeWidgetItem(groups[menu], [text, keys])
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        note = QLabel(GENERAL_KEYS)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        lines = len(rows) + len(groups) + 6  # every row shown, with the note and the button
        self.resize(self.fontMetrics().averageCharWidth() * 64,
                    min(self.fontMetrics().lineSpacing() * int(lines * 1.3),
                        self.screen().availableGeometry().height() * 9 // 10))

    def rows(self) -> list[tuple[str, str, str]]:
        found = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for c in range(group.childCount()):
                item = group.child(c)
                found.append((group.text(0), item.text(0), item.text(1)))
        return found


def read_tail(path: Path, limit: int = TAIL_BYTES) -> str:
    """The last ``limit`` bytes of a text file, from a line start."""
    with path.open("rb") as file:
        file.seek(0, 2)
        size = file.tell()
        file.seek(max(0, size - limit))
        data = file.read()
    if size > limit and b"\n" in data:
        data = data.split(b"\n", 1)[1]
    return data.decode("utf-8", errors="replace")


class LogWindow(QDialog):
    """The log file's path (to copy) and its last lines, for desktops that cannot open it."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.setWindowTitle("Repofolio log")
        intro = QLabel("No application on this desktop opens the log file, so here are "
                       "its last lines. To send the log, attach the file at:")
        intro.setWordWrap(True)
        self.path_field = QLineEdit(str(path))
        self.path_field.setReadOnly(True)
        self.path_field.setAccessibleName("Log file path")
        self.copy_button = themed(QPushButton("&Copy path"), "copy")
        self.copy_button.clicked.connect(self.copy_path)
        row = QHBoxLayout()
        row.addWidget(self.path_field, 1)
        row.addWidget(self.copy_button)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName("Last lines of the log")
        self.status = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.load()
        self.resize(min(self.fontMetrics().averageCharWidth() * 130,
                        self.screen().availableGeometry().width() * 9 // 10),
                    min(self.fontMetrics().lineSpacing() * 32,
                        self.screen().availableGeometry().height() * 9 // 10))

    def load(self) -> None:
        if not self.path.is_file():
            self.text.setPlainText("")
            self.status.setText("Nothing has been logged yet.")
            return
        self.text.setPlainText(read_tail(self.path))
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)
        self.status.setText("")

    def copy_path(self) -> None:
        QGuiApplication.clipboard().setText(str(self.path))
        self.status.setText("Path copied.")
        self.copy_button.setFocus(Qt.FocusReason.OtherFocusReason)
