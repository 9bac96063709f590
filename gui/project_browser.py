"""The central project browser: search as you type, filters, sort, cards or table, the first step.

An empty catalog shows one clear first step (an "Import a repository" button)
instead of an empty list; a search or filter that matches nothing says so
over the list, with a way out ("Clear search and filters"). The selection
never outlives what is shown: when a reload or a filter hides the selected
project (or it is gone), ``project_selected(None)`` tells the details pane.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit,
    QStackedWidget, QToolButton, QVBoxLayout, QWidget,
)

from core import changes
from core.analysis.types import CATEGORIES
from core.catalog import all_languages, query_projects
from core.models import Project, database
from gui.background import BackgroundRunner
from gui.empty_state import EmptyCatalogPage, EmptyState, no_match_text
from gui.icons import themed
from gui.project_model import TITLE, ProjectListModel
from gui.project_views import ProjectCardView, ProjectTable

SEARCH_DELAY_MS = 200
SORT_CHOICES = (("Date imported", "imported"), ("Name", "name"), ("Stars", "stars"),
                ("Portfolio order", "portfolio"))
CARDS, TABLE = "cards", "table"
VIEWS = ((CARDS, "Cards", "view-cards"), (TABLE, "Table", "view-table"))
ANY = ""


class ProjectBrowser(QWidget):
    """Filter bar over the project cards or table, or the first step when there is nothing yet."""

    project_selected = Signal(object)  # project id, or None when nothing is selected
    key_action = Signal(str, int)  # ("details" | "github" | "delete" | order key, project id)
    import_requested = Signal()
    context_menu_requested = Signal(int, object)  # project id, global position
    view_changed = Signal(str)  # CARDS or TABLE

    def __init__(self, parent=None, *, page_size: int | None = None,
                 runner: BackgroundRunner | None = None):
        super().__init__(parent)
        self.runner = runner  # reads the language list off the GUI thread when given
        self.model = ProjectListModel(self, **({"page_size": page_size} if page_size else {}))
        self._languages: list[str] | None = None  # read again when imports or deletes end
        self._languages_wanted = False
        self.catalog_version: int | None = None  # the project counter at the last reload
        self.search = QLineEdit(placeholderText="Search title, description and tags")
        self.search.setAccessibleName("Search projects")
        self.search.setClearButtonEnabled(True)
        themed(self.search.addAction(QIcon(), QLineEdit.ActionPosition.LeadingPosition), "search")
        self.category = QComboBox()
        self.language = QComboBox()
        for combo in (self.category, self.language):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(8)
        self.showcase_only = QCheckBox("Showcase o&nly")
        self.sort = QComboBox()
        for label, key in SORT_CHOICES:
            self.sort.addItem(label, key)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)

        self.table = ProjectTable()
        self.table.setModel(self.model)
        self.cards = ProjectCardView()
        self.cards.setModel(self.model)
        self.cards.setSelectionModel(self.table.selectionModel())  # one selection, two views
        self.views = QStackedWidget()
        self.views.addWidget(self.cards)
        self.views.addWidget(self.table)
        self.view_group = QButtonGroup(self)
        self.view_buttons: dict[str, QToolButton] = {}
        for key, label, icon_name in VIEWS:
            button = QToolButton()
            themed(button, icon_name)
            button.setText(label)
            button.setToolTip(f"Show the projects as {label.lower()}")
            button.setAccessibleName(f"Show as {label.lower()}")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            self.view_group.addButton(button)
            self.view_buttons[key] = button
        self.view_buttons[CARDS].setChecked(True)
        self.no_match = [EmptyState(view, title="", button_text="Clear search &and filters",
                                    button_icon="filter-clear", on_button=self.clear_filters)
                         for view in (self.cards, self.table)]
        self.empty_page = EmptyCatalogPage(self.import_requested.emit)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.views)
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
        for button in self.view_buttons.values():
            search_row.addWidget(button)
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
        for view in (self.table, self.cards):
            view.activated_with_keys.connect(self._key_pressed)
            view.doubleClicked.connect(lambda index: self._key_pressed("github"))
            view.menu_requested.connect(self._context_menu)
        for key, button in self.view_buttons.items():
            button.clicked.connect(lambda checked=False, k=key: self.set_view(k))
        self.model.modelReset.connect(self._show_right_page)
        self._fill_choices()
        self._reload_model()

    # -- views ----------------------------------------------------------------------------

    @property
    def view(self) -> QAbstractItemView:
        """The view shown now (cards or table)."""
        return self.views.currentWidget()

    @property
    def view_mode(self) -> str:
        return CARDS if self.view is self.cards else TABLE

    def set_view(self, mode: str) -> None:
        """Show the cards or the table; the selection and the scroll position follow."""
        view = self.table if mode == TABLE else self.cards
        self.view_buttons[TABLE if mode == TABLE else CARDS].setChecked(True)
        if view is self.view:
            return
        had_focus = self.view.hasFocus()
        self.views.setCurrentWidget(view)
        if view.currentIndex().isValid():
            view.scrollTo(view.currentIndex())
        if had_focus:
            view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view_changed.emit(self.view_mode)

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
        self.category.setAccessibleName("Category")
        self.language.setAccessibleName("Language")
        self.sort.setAccessibleName("Sort by")

    def _apply_search(self) -> None:
        self._search_timer.stop()
        if self.search.text() != self.model.project_filter.search:
            self._update_filter(search=self.search.text())

    def _search_entered(self) -> None:
        """Enter in the search field: search now and go to the first result."""
        self._apply_search()
        if self.model.rowCount() > 0:
            self._select_row(0)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_choices(self, *_args) -> None:
        self._update_filter(category=self.category.currentData() or "",
                            language=self.language.currentData() or "",
                            showcase_only=self.showcase_only.isChecked(),
                            sort=self.sort.currentData() or "imported")

    def clear_filters(self) -> None:
        choices = (self.category, self.language, self.sort, self.showcase_only)
        for widget in choices:
            widget.blockSignals(True)
        self.search.clear()  # not blocked: the field's clear button must hear it
        self.category.setCurrentIndex(0)
        self.language.setCurrentIndex(0)
        self.showcase_only.setChecked(False)
        for widget in choices:
            widget.blockSignals(False)
        self._search_timer.stop()  # one read below, not another when the timer fires
        self._update_filter(search="", category="", language="", showcase_only=False)

    def _update_filter(self, **changes_) -> None:
        """Change the filter and keep the selected project selected, if it is still shown."""
        chosen = self.current_project_id()
        self.model.update_filter(**changes_)
        self._reselect(chosen)

    # -- selection and reloads ------------------------------------------------------------

    def _reload_model(self, *, at_least: int = 0) -> None:
        self.model.reload(at_least=at_least)
        self.catalog_version = changes.current(database).get(changes.PROJECTS)

    def reload(self, *, catalog_changed: bool = False) -> None:
        """Read the catalog again, keeping the selected project selected if it still exists.

        ``catalog_changed`` (an import, refresh or delete ended) reads the languages again:
        off the GUI thread when the browser has a runner (it reads every project)."""
        chosen = self.current_project_id()
        loaded = self.model.rowCount()
        if catalog_changed:
            if self.runner is None:
                self._languages = None
            else:
                self._read_languages()
        self._fill_choices()
        if not self._follow_choices():
            self._reload_model(at_least=loaded)  # the rows the user had, in one read
        self._reselect(chosen)

    def _follow_choices(self) -> bool:
        """A language whose last project went away is no longer offered: the combo falls
        back to "All languages" and the list must follow, or it stays empty. True if the
        filter changed (and the list was read again)."""
        shown = {"category": self.category.currentData() or "",
                 "language": self.language.currentData() or ""}
        flt = self.model.project_filter
        if (flt.category, flt.language) == (shown["category"], shown["language"]):
            return False
        self.model.update_filter(**shown)
        self.catalog_version = changes.current(database).get(changes.PROJECTS)
        return True

    def _read_languages(self) -> None:
        if self._languages_wanted:
            return  # one read at a time; it reads what the catalog holds when it runs
        self._languages_wanted = True
        self.runner.run(all_languages, self._languages_read, self._languages_failed)

    def _languages_read(self, languages: list[str]) -> None:
        self._languages_wanted = False
        if languages == self._languages:
            return
        chosen = self.current_project_id()
        self._languages = languages
        self._fill_choices()
        if self._follow_choices():
            self._reselect(chosen)

    def _languages_failed(self, _error: Exception) -> None:
        self._languages_wanted = False

    def _reselect(self, project_id: int | None) -> None:
        """Select ``project_id`` again after the list was read; if the list no longer shows
        it (a filter hides it, or it was deleted), say that nothing is selected."""
        if project_id is None:
            return
        row = self.model.row_of(project_id)
        if row < 0 and query_projects(self.model.project_filter).where(
                Project.id == project_id).exists():  # by its key: cheap at any catalog size
            row = self.model.find_row(project_id)  # shown, further down: read up to it
        if row >= 0:
            self._select_row(row)
        else:
            self.project_selected.emit(None)

    def current_project_id(self) -> int | None:
        item = self.model.project_at(self.table.selectionModel().currentIndex().row())
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
        self.view.scrollTo(index)

    def use_sort(self, key: str) -> None:
        """Sort by ``key`` (one of SORT_CHOICES), as if the user chose it."""
        index = self.sort.findData(key)
        if index >= 0 and index != self.sort.currentIndex():
            self.sort.setCurrentIndex(index)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_list(self) -> None:
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def filtered(self) -> bool:
        flt = self.model.project_filter
        return bool(flt.search.strip() or flt.category or flt.language or flt.showcase_only)

    def _show_right_page(self) -> None:
        empty = self.model.rowCount() == 0 and not Project.select().exists()
        self.pages.setCurrentWidget(self.empty_page if empty else self.views)
        flt = self.model.project_filter
        text = no_match_text(flt.search, flt.category, flt.language, flt.showcase_only)
        for overlay in self.no_match:
            overlay.set_text(text, "Try other words, or clear the search and filters.")
            overlay.update_visibility()
        if self.model.rowCount() == 0:
            self.project_selected.emit(None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.project_at(current.row())
        self.project_selected.emit(item.id if item is not None else None)

    def _key_pressed(self, what: str) -> None:
        project_id = self.current_project_id()
        if project_id is not None:
            self.key_action.emit(what, project_id)

    def _context_menu(self, row: int, global_pos) -> None:
        item = self.model.project_at(row)
        if item is not None:
            self.context_menu_requested.emit(item.id, global_pos)
