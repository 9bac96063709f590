"""The central project browser: search as you type, filters, sort, the table, the first step.

An empty catalog shows one clear first step (an "Import a repository"
button) instead of an empty table.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from core.analysis.types import CATEGORIES
from core.catalog import all_languages
from core.models import Project
from gui import actions
from gui.icons import icon
from gui.project_model import CATEGORY, IMPORTED, LANGUAGE, STARS, TITLE, ProjectListModel

SEARCH_DELAY_MS = 200
SORT_CHOICES = (("Date imported", "imported"), ("Name", "name"), ("Stars", "stars"),
                ("Portfolio order", "portfolio"))
# Alt + a key moves the selected project in the portfolio order (gui.actions.SHORTCUTS).
ORDER_KEYS = {Qt.Key.Key_Up: actions.MOVE_UP, Qt.Key.Key_Down: actions.MOVE_DOWN,
              Qt.Key.Key_Home: actions.PIN_TOP}
ANY = ""
TEXT_WIDTH = 400  # of the first step's explanation


class ProjectTable(QTableView):
    """The list of projects; Enter, Ctrl+Enter, Delete and Alt+Up/Down/Home become signals
    for the window."""

    activated_with_keys = Signal(str)  # "details", "github", "delete" or an ORDER_KEYS value

    def keyPressEvent(self, event) -> None:
        key, mods = event.key(), event.modifiers()
        if (mods & Qt.KeyboardModifier.AltModifier and key in ORDER_KEYS
                and self.currentIndex().isValid()):
            self.activated_with_keys.emit(ORDER_KEYS[key])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            self.activated_with_keys.emit("github" if ctrl else "details")
            return
        if key == Qt.Key.Key_Delete and self.currentIndex().isValid():
            self.activated_with_keys.emit("delete")
            return
        super().keyPressEvent(event)


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
        self.text.setFixedWidth(TEXT_WIDTH)
        self.import_button = QPushButton(icon("import"), "Import a repository…")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(on_import)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, self.text, self.import_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
            if isinstance(widget, QLabel):
                widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class ProjectBrowser(QWidget):
    """Filter bar over the project table, or the first step when there is nothing yet."""

    project_selected = Signal(object)  # project id, or None when nothing is selected
    key_action = Signal(str, int)  # ("details" | "github" | "delete", project id)
    import_requested = Signal()
    context_menu_requested = Signal(int, object)  # project id, global position

    def __init__(self, parent=None, *, page_size: int | None = None):
        super().__init__(parent)
        self.model = ProjectListModel(self, **({"page_size": page_size} if page_size else {}))
        self._languages: list[str] | None = None  # read again when imports or deletes end
        self.search = QLineEdit(placeholderText="Search title, description and tags")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.category = QComboBox()
        self.language = QComboBox()
        for combo in (self.category, self.language):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(8)
        self.showcase_only = QCheckBox("Showcase only")
        self.sort = QComboBox()
        for label, key in SORT_CHOICES:
            self.sort.addItem(label, key)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)

        self.table = ProjectTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (CATEGORY, STARS, LANGUAGE, IMPORTED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_page = EmptyCatalogPage(self.import_requested.emit)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty_page)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        filter_row = QHBoxLayout()
        for label, widget in (("&Category", self.category), ("&Language", self.language),
                              ("S&ort by", self.sort)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            (search_row if widget is self.sort else filter_row).addWidget(caption)
            (search_row if widget is self.sort else filter_row).addWidget(widget, 0)
        filter_row.addWidget(self.showcase_only)
        filter_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.pages, 1)

        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._search_entered)
        self.category.currentIndexChanged.connect(self._apply_choices)
        self.language.currentIndexChanged.connect(self._apply_choices)
        self.sort.currentIndexChanged.connect(self._apply_choices)
        self.showcase_only.toggled.connect(self._apply_choices)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated_with_keys.connect(self._key_pressed)
        self.table.doubleClicked.connect(lambda index: self._key_pressed("github"))
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.model.modelReset.connect(self._show_right_page)
        self._fill_choices()
        self.model.reload()

    # -- filters --------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        """Categories are fixed; languages are the ones the catalog held at the last import
        or delete (reading them decodes every project's languages, so not on every reload)."""
        if self._languages is None:
            self._languages = all_languages()
        for combo, values, label in ((self.category, CATEGORIES, "All categories"),
                                     (self.language, self._languages, "All languages")):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, ANY)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)

    def _apply_search(self) -> None:
        self._search_timer.stop()
        if self.search.text() != self.model.project_filter.search:
            self.model.update_filter(search=self.search.text())

    def _search_entered(self) -> None:
        """Enter in the search field: search now and go to the first result."""
        self._apply_search()
        if self.model.rowCount() > 0:
            self._select_row(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_choices(self, *_args) -> None:
        self.model.update_filter(category=self.category.currentData() or "",
                                 language=self.language.currentData() or "",
                                 showcase_only=self.showcase_only.isChecked(),
                                 sort=self.sort.currentData() or "imported")

    def clear_filters(self) -> None:
        for widget in (self.search, self.category, self.language, self.sort, self.showcase_only):
            widget.blockSignals(True)
        self.search.clear()
        self.category.setCurrentIndex(0)
        self.language.setCurrentIndex(0)
        self.showcase_only.setChecked(False)
        for widget in (self.search, self.category, self.language, self.sort, self.showcase_only):
            widget.blockSignals(False)
        self._search_timer.stop()
        self.model.update_filter(search="", category="", language="", showcase_only=False)

    # -- selection and reloads ------------------------------------------------------------

    def reload(self, *, catalog_changed: bool = False) -> None:
        """Read the catalog again, keeping the selected project selected if it still exists.

        ``catalog_changed`` (an import, refresh or delete ended) reads the languages again."""
        chosen = self.current_project_id()
        loaded = self.model.rowCount()
        if catalog_changed:
            self._languages = None
        self._fill_choices()
        # A language whose last project went away is no longer offered: the combo falls
        # back to "All languages" and the list must follow, or it stays empty.
        shown = {"category": self.category.currentData() or "",
                 "language": self.language.currentData() or ""}
        flt = self.model.project_filter
        if (flt.category, flt.language) != (shown["category"], shown["language"]):
            self.model.update_filter(**shown)
        else:
            self.model.reload(at_least=loaded)  # the rows the user had, in one read
        if chosen is not None:
            row = self.model.find_row(chosen)  # usually among the rows read back; else 2 reads
            if row >= 0:
                self._select_row(row)

    def current_project_id(self) -> int | None:
        item = self.model.project_at(self.table.currentIndex().row())
        return item.id if item is not None else None

    def select_project(self, project_id: int, *, clear_filters: bool = True) -> bool:
        """Select and reveal a project; filters are cleared if they hide it."""
        row = self.model.find_row(project_id)
        if row < 0 and clear_filters and Project.get_or_none(Project.id == project_id):
            self.clear_filters()
            row = self.model.find_row(project_id)
        if row < 0:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, TITLE)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def use_sort(self, key: str) -> None:
        """Sort by ``key`` (one of SORT_CHOICES), as if the user chose it."""
        index = self.sort.findData(key)
        if index >= 0 and index != self.sort.currentIndex():
            self.sort.setCurrentIndex(index)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _show_right_page(self) -> None:
        empty = self.model.rowCount() == 0 and not Project.select().exists()
        self.pages.setCurrentWidget(self.empty_page if empty else self.table)
        if self.model.rowCount() == 0:
            self.project_selected.emit(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.project_at(current.row())
        self.project_selected.emit(item.id if item is not None else None)

    def _key_pressed(self, what: str) -> None:
        project_id = self.current_project_id()
        if project_id is not None:
            self.key_action.emit(what, project_id)

    def _context_menu(self, pos) -> None:
        item = self.model.project_at(self.table.indexAt(pos).row())
        if item is not None:
            self.context_menu_requested.emit(item.id, self.table.viewport().mapToGlobal(pos))
