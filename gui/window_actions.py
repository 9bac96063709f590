"""The window's actions and menus, declared once as data.

Each :class:`Spec` names an action, its menu, label, shortcut and icon; the
window maps each key to one handler. Menus, the toolbar and Help → Keyboard
shortcuts are all built from the same actions, so a shortcut shown anywhere
is one that works. Project actions use the keys of :mod:`gui.actions` and
take their labels from :func:`gui.actions.project_actions` for the selected
project (state decides actions); the ones whose keys mean "this project in
the list" (Enter, Delete, Alt+arrows) work only while the list has the focus,
so they never steal a key from the search field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from gui import actions
from gui.icons import themed

WINDOW, LIST = "window", "list"  # where a shortcut works: anywhere, or in the project list


@dataclass(frozen=True)
class Spec:
    key: str
    menu: str
    text: str
    shortcut: str = ""
    icon: str = ""
    tip: str = ""
    scope: str = WINDOW
    checkable: bool = False


SEPARATOR = None
MENUS = (("file", "&File"), ("edit", "&Edit"), ("view", "&View"), ("project", "&Project"),
         ("help", "&Help"))
SPECS: tuple[Spec | tuple[str, None], ...] = (
    Spec("import", "file", "&Import…", "Ctrl+I", "import", "Import a GitHub repository"),
    Spec("publish", "file", "&Publish…", "Ctrl+Shift+P", "publish",
         "Write the portfolio as a website, Markdown and JSON"),
    Spec("settings", "file", "&Settings…", "Ctrl+,", "settings",
         "GitHub token, AI provider, worker threads"),
    ("file", SEPARATOR),
    Spec("quit", "file", "&Quit", "Ctrl+Q", "quit"),
    Spec("find", "edit", "&Find", "Ctrl+F", "search", "Search the projects"),
    Spec("clear_filters", "edit", "&Clear search and filters", "Ctrl+Shift+X",
         "filter-clear"),
    ("edit", SEPARATOR),
    Spec("copy_address", "edit", "C&opy repository address", "Ctrl+Shift+C", "copy",
         "Copy the selected project's GitHub address"),
    Spec("view_cards", "view", "&Cards", "Ctrl+1", "view-cards", checkable=True),
    Spec("view_table", "view", "&Table", "Ctrl+2", "view-table", checkable=True),
    ("view", SEPARATOR),
    Spec("showcase_only", "view", "Showcase &only", "", checkable=True),
    ("view", SEPARATOR),
    Spec("next_pane", "view", "&Next pane", "F6", tip="Search, list, details, jobs"),
    Spec("previous_pane", "view", "P&revious pane", "Shift+F6"),
    Spec("show_details", "project", "Show d&etails", "Return", scope=LIST),
    Spec(actions.OPEN_GITHUB, "project", "&Open on GitHub", "Ctrl+Return", "open-external"),
    Spec(actions.REFRESH, "project", "&Refresh from GitHub", "Ctrl+R", "refresh"),
    ("project", SEPARATOR),
    Spec(actions.TOGGLE_SHOWCASE, "project", "In the &showcase", "", "showcase",
         checkable=True),
    Spec(actions.TOGGLE_PRIVATE, "project", "&Private", "", "private", checkable=True),
    ("project", SEPARATOR),
    Spec(actions.PIN_TOP, "project", "Pin to &top", actions.SHORTCUTS[actions.PIN_TOP],
         scope=LIST),
    Spec(actions.MOVE_UP, "project", "Move &up", actions.SHORTCUTS[actions.MOVE_UP],
         scope=LIST),
    Spec(actions.MOVE_DOWN, "project", "Move do&wn", actions.SHORTCUTS[actions.MOVE_DOWN],
         scope=LIST),
    Spec(actions.UNPLACE, "project", "&Back to star order"),
    ("project", SEPARATOR),
    Spec(actions.DELETE, "project", "&Delete…", "Del", "delete", scope=LIST),
    Spec("shortcuts", "help", "&Keyboard shortcuts", "F1", "keyboard"),
    Spec("data_folder", "help", "Open &data folder", "", "folder"),
    Spec("log", "help", "Open &log", "", "log"),
    ("help", SEPARATOR),
    Spec("about", "help", "&About Repofolio", "", "about"),
)
# Keys of project_actions() whose label there names the action for the project's state.
PROJECT_KEYS = (actions.OPEN_GITHUB, actions.REFRESH, actions.TOGGLE_SHOWCASE,
                actions.TOGGLE_PRIVATE, *actions.ORDER_KEYS, actions.DELETE)


def build_actions(owner: QWidget, handlers: dict[str, Callable[[], None]],
                  list_widgets: list[QWidget]) -> dict[str, QAction]:
    """One QAction per spec, connected to ``handlers[key]``. LIST-scoped ones are added to
    ``list_widgets`` and answer only while the focus is in one of them."""
    made: dict[str, QAction] = {}
    for spec in SPECS:
        if not isinstance(spec, Spec):
            continue
        action = QAction(spec.text, owner)
        if spec.icon:
            themed(action, spec.icon)
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        action.setData(spec.key)
        handler = handlers[spec.key]
        action.triggered.connect(lambda checked=False, run=handler: run())
        if spec.scope == LIST:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            for widget in list_widgets:
                widget.addAction(action)
        else:
            owner.addAction(action)  # works while the menu bar is hidden, too
        made[spec.key] = action
    group = QActionGroup(owner)
    for key in ("view_cards", "view_table"):
        group.addAction(made[key])
    return made


def build_menus(bar: QMenuBar, made: dict[str, QAction]) -> dict[str, QMenu]:
    menus = {key: bar.addMenu(title) for key, title in MENUS}
    for spec in SPECS:
        if isinstance(spec, Spec):
            menus[spec.menu].addAction(made[spec.key])
        else:
            menus[spec[0]].addSeparator()
    return menus


def relabel_project_actions(made: dict[str, QAction], project: dict | None,
                            *, placed: bool = False) -> None:
    """Enable, label and check the project actions for the selected project (or none)."""
    offered = dict((key, label) for label, key in (
        actions.project_actions(project, placed=placed) if project else []))
    for key in (*PROJECT_KEYS, "show_details"):
        action = made[key]
        action.setEnabled(key in offered or (key == "show_details" and project is not None))
        if key == actions.UNPLACE:
            action.setVisible(key in offered)
    if project is not None:
        made[actions.TOGGLE_SHOWCASE].setChecked(bool(project.get("is_showcase")))
        made[actions.TOGGLE_PRIVATE].setChecked(bool(project.get("is_private")))
        for key in (actions.TOGGLE_SHOWCASE, actions.TOGGLE_PRIVATE):
            made[key].setToolTip(offered.get(key, ""))
    else:
        for key in (actions.TOGGLE_SHOWCASE, actions.TOGGLE_PRIVATE):
            made[key].setChecked(False)


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, shortcut) for every action in the menus that has a shortcut, read
    from the actions themselves (the dock's own toggle included)."""
    rows = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                walk(action.menu(), f"{path} › {action.text().replace('&', '')}")
                continue
            keys = action.shortcuts()
            if keys:
                rows.append((path, action.text().replace("&", ""),
                             ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                                       for k in keys)))
    for top in bar.actions():
        if top.menu() is not None:
            walk(top.menu(), top.text().replace("&", ""))
    return rows
