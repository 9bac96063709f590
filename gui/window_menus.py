"""The window's menus, toolbar and Help, kept in step with what the window shows.

:class:`WindowMenus` builds the actions of :mod:`gui.window_actions`, maps
each key to one handler, and keeps their state current: the project actions
follow the selected project (labels from :func:`gui.actions.project_actions`),
the view, sort and showcase items follow the browser. Help → Keyboard
shortcuts lists the menus' own shortcuts; Help → Open log falls back to a
window with the path and the last lines where the desktop opens no log file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from core.catalog import query_projects
from core.logs import LOG_FILE
from core.models import Project
from core.records import project_dict
from gui.help_windows import LogWindow, ShortcutsDialog
from gui.icons import themed
from gui.project_browser import CARDS, SORT_CHOICES, TABLE
from gui.window_actions import (
    PROJECT_KEYS, build_actions, build_menus, relabel_project_actions, shortcut_rows,
)

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# Attributes the window has always had (tests and the app use them).
WINDOW_ATTRIBUTES = ("import", "publish", "settings", "quit", "find", "about", "data_folder",
                     "log", "shortcuts")


class WindowMenus:
    """Owns the window's actions; ``actions[key]`` is the QAction of a spec's key."""

    def __init__(self, window: "MainWindow"):
        self.window = window
        browser = window.browser
        handlers: dict[str, Callable[[], None]] = {
            "import": window.open_import_dialog, "publish": window.open_publish_dialog,
            "settings": window.open_settings_dialog, "quit": window.request_quit,
            "find": browser.focus_search, "clear_filters": browser.clear_filters,
            "copy_address": self.copy_address,
            "view_cards": lambda: browser.set_view(CARDS),
            "view_table": lambda: browser.set_view(TABLE),
            "showcase_only": lambda: browser.showcase_only.setChecked(
                self.actions["showcase_only"].isChecked()),
            "next_pane": lambda: self.move_focus(1),
            "previous_pane": lambda: self.move_focus(-1),
            "show_details": lambda: self._on_project(
                lambda pid: window.projects.key_pressed("details", pid)),
            "shortcuts": self.show_shortcuts, "data_folder": self.open_data_folder,
            "log": self.open_log, "about": window.show_about,
        }
        for key in PROJECT_KEYS:
            handlers[key] = (lambda k=key: self._on_project(
                lambda pid: window.projects.perform(pid, k)))
        self.actions = build_actions(window, handlers, [browser.cards, browser.table])
        for key in WINDOW_ATTRIBUTES:
            setattr(window, f"{key}_action", self.actions[key])
        self.menus = build_menus(window.menuBar(), self.actions)
        self.jobs_toggle = window.jobs_panel.toggleViewAction()
        self.jobs_toggle.setText("&Jobs")
        themed(self.jobs_toggle, "jobs")
        self.jobs_toggle.setShortcut(QKeySequence("Ctrl+J"))
        self.jobs_toggle.setStatusTip("Show or hide the imports and their progress")
        view = self.menus["view"]
        view.insertAction(self.actions["showcase_only"], self.jobs_toggle)
        view.insertSeparator(self.actions["showcase_only"])
        self.sort_actions = self._sort_menu()
        toolbar = window.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.actions["import"], self.actions["publish"],
                            self.actions["settings"], self.jobs_toggle])
        self.toolbar = toolbar

        browser.view_changed.connect(self.show_view)
        browser.showcase_only.toggled.connect(self.actions["showcase_only"].setChecked)
        browser.model.modelReset.connect(  # clear_filters changes the box without a signal
            lambda: self.actions["showcase_only"].setChecked(browser.showcase_only.isChecked()))
        browser.sort.currentIndexChanged.connect(self._show_sort)
        browser.project_selected.connect(lambda _id: self.sync_project())
        self.show_view(browser.view_mode)
        self._show_sort()
        self.sync_project()

    # -- keeping state --------------------------------------------------------------------

    def _sort_menu(self) -> dict[str, QAction]:
        menu = self.menus["view"].addMenu("Sort &by")
        self.menus["view"].insertMenu(self.actions["next_pane"], menu)
        self.menus["view"].insertSeparator(self.actions["next_pane"])
        group = QActionGroup(menu)
        made = {}
        for label, key in SORT_CHOICES:
            action = menu.addAction(label, lambda k=key: self.window.browser.use_sort(k))
            action.setCheckable(True)
            group.addAction(action)
            made[key] = action
        return made

    def _show_sort(self, *_args) -> None:
        chosen = self.window.browser.sort.currentData()
        if chosen in self.sort_actions:
            self.sort_actions[chosen].setChecked(True)

    def show_view(self, mode: str) -> None:
        self.actions["view_cards" if mode == CARDS else "view_table"].setChecked(True)

    def selected_project_id(self) -> int | None:
        browser, details = self.window.browser, self.window.details
        chosen = browser.current_project_id()
        if chosen is None and details.project is not None:
            chosen = details.project["id"]
        return chosen

    def sync_project(self) -> None:
        """Enable and label the Project menu for the selected project (one small read)."""
        chosen = self.selected_project_id()
        row = (query_projects().where(Project.id == chosen).first()
               if chosen is not None else None)
        relabel_project_actions(self.actions, project_dict(row) if row else None,
                                placed=row is not None and row.position is not None)
        self.actions["copy_address"].setEnabled(row is not None)

    def _on_project(self, act: Callable[[int], None]) -> None:
        chosen = self.selected_project_id()
        if chosen is None:
            self.window.status.showMessage("Select a project first.", 5000)
            return
        act(chosen)
        self.sync_project()

    # -- commands -------------------------------------------------------------------------

    def copy_address(self) -> None:
        chosen = self.selected_project_id()
        project = Project.get_or_none(Project.id == chosen) if chosen is not None else None
        if project is None:
            return
        QGuiApplication.clipboard().setText(project.url)
        self.window.status.showMessage(f"Copied {project.url}", 5000)

    def panes(self) -> list[QWidget]:
        """Where F6 goes, in order: search, list, details, jobs (those shown)."""
        w = self.window
        panes = [w.browser.search, w.browser.view]
        if w.details.project is not None:
            panes.append(w.details.scroll)
        if w.jobs_panel.isVisible():
            panes.append(w.jobs_panel.table)
        return panes

    def move_focus(self, step: int) -> None:
        panes = self.panes()
        focus = QGuiApplication.focusObject()
        here = next((n for n, pane in enumerate(panes)
                     if focus is pane or (isinstance(focus, QWidget) and pane.isAncestorOf(focus))),
                    -1)
        panes[(here + step) % len(panes)].setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- help -----------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        if not self.window._raise_open("shortcuts_dialog"):
            self.window._open_dialog("shortcuts_dialog", ShortcutsDialog(
                shortcut_rows(self.window.menuBar()), self.window))

    def open_data_folder(self) -> bool:
        home = self.window.runtime.settings.home
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(home))):
            return True
        QMessageBox.information(self.window, "Data folder",
                                f"Repofolio keeps its data in:\n\n{home}")
        return False

    def open_log(self) -> bool:
        """Open the log with the desktop's application; where there is none (or no log
        yet), show its path and last lines here. True if the desktop opened it."""
        path = self.window.runtime.settings.log_dir / LOG_FILE
        if path.is_file() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            return True
        if self.window._raise_open("log_window"):
            self.window.log_window.load()
        else:
            self.window._open_dialog("log_window", LogWindow(path, self.window))
        return False
