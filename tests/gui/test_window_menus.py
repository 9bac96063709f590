"""Menus from data: the Project menu follows the selection, shortcuts are listed from the
actions, Help → Open log always shows something (items 8 and 13)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from core.logs import LOG_FILE
from core.models import Project
from gui import actions
from gui.help_windows import LogWindow, ShortcutsDialog
from gui.icons import icon
from gui.project_model import TITLE
from gui.window_actions import shortcut_rows
from tests.gui.imaging import painted


@pytest.fixture
def no_log_handler(desktop_urls):
    """A desktop where nothing opens a .log file (Qt's answer, as on a bare X server)."""
    return desktop_urls(opens=False)


def test_open_log_without_a_handler_shows_the_path_and_the_last_lines(qtbot, window,
                                                                      no_log_handler):
    """Item 8: Help → Open log did nothing visible where no application opens the file."""
    log_file = window.runtime.settings.log_dir / LOG_FILE
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text("".join(f"line {n}\n" for n in range(20_000)) + "the last line\n")
    window.show()
    assert window.log_action.trigger() is None
    assert no_log_handler == [log_file.as_uri()]  # the desktop was asked first
    shown = window.log_window
    assert isinstance(shown, LogWindow) and shown.isVisible()
    assert shown.path_field.text() == str(log_file) and shown.path_field.isReadOnly()
    text = shown.text.toPlainText()
    assert text.rstrip().endswith("the last line") and "line 0\n" not in text  # the tail
    shown.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(log_file)
    assert shown.status.text() == "Path copied."
    window.log_action.trigger()  # again: the same window, read again
    assert window.log_window is shown


def test_open_log_before_anything_was_logged_says_so(qtbot, window, no_log_handler):
    window.log_action.trigger()
    assert no_log_handler == []  # no file to hand to the desktop
    assert window.log_window.status.text() == "Nothing has been logged yet."


def test_the_shortcut_list_is_read_from_the_actions(qtbot, window):
    """Item 13: Help → Keyboard shortcuts, generated from the actions themselves."""
    window.shortcuts_action.trigger()
    dialog = window.shortcuts_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    rows = dialog.rows()
    assert ("File", "Import…", "Ctrl+I") in rows
    assert ("View", "Jobs", "Ctrl+J") in rows
    assert ("Project", "Delete…", "Del") in rows
    assert ("Help", "Keyboard shortcuts", "F1") in rows
    # Every listed key is an action's own: change one, and the list follows.
    window.find_action.setShortcut("Ctrl+K")
    assert ("Edit", "Find", "Ctrl+K") in shortcut_rows(window.menuBar())
    every = [action for menu in window.menus.menus.values() for action in menu.actions()
             if not action.isSeparator() and action.menu() is None
             and not action.shortcut().isEmpty()]
    assert len(rows) == len(every)  # the jobs dock's toggle included


def test_the_project_menu_follows_the_selected_project(qtbot, window, make_project,
                                                       opened_urls):
    flask = make_project("pallets/flask", is_showcase=False)
    window.browser.reload()
    made = window.menus.actions
    assert not made[actions.DELETE].isEnabled() and not made[actions.OPEN_GITHUB].isEnabled()
    window.open_project(flask.id)
    assert made[actions.DELETE].isEnabled()
    assert not made[actions.TOGGLE_SHOWCASE].isChecked()
    assert not made[actions.PIN_TOP].isEnabled()  # only a showcased project has a place
    made[actions.TOGGLE_SHOWCASE].trigger()  # written on the window's writer
    # The menu and the details each show the write when it is read back: wait for both.
    qtbot.waitUntil(lambda: made[actions.TOGGLE_SHOWCASE].isChecked()
                    and window.details.showcase.isChecked())
    assert Project.get_by_id(flask.id).is_showcase and made[actions.PIN_TOP].isEnabled()
    made[actions.OPEN_GITHUB].trigger()
    assert opened_urls == ["https://github.com/pallets/flask"]
    made["copy_address"].trigger()
    assert QGuiApplication.clipboard().text() == "https://github.com/pallets/flask"


def test_list_keys_work_only_in_the_list(window):
    """Enter and Delete act on a project in the list; in the search field they edit text."""
    made = window.menus.actions
    for key in ("show_details", actions.DELETE, actions.MOVE_UP):
        action = made[key]
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
        assert action in window.browser.cards.actions() and action in window.browser.table.actions()
        assert action not in window.browser.search.actions()
    assert made[actions.OPEN_GITHUB].shortcutContext() == Qt.ShortcutContext.WindowShortcut


def test_view_menu_switches_and_remembers_cards_or_table(qtbot, make_window, no_tray,
                                                         window_state):
    first = make_window()
    assert first.browser.view_mode == "cards"  # a portfolio first, not a spreadsheet
    first.menus.actions["view_table"].trigger()
    assert first.browser.views.currentWidget() is first.browser.table
    first.quit_action.trigger()
    second = make_window()
    assert second.browser.view_mode == "table"
    assert second.menus.actions["view_table"].isChecked()
    second.browser.view_buttons["cards"].click()
    assert second.menus.actions["view_cards"].isChecked()
    assert window_state.value("browser/view") == "cards"


def _opaque_centre(qicon) -> bool:
    return painted(qicon).pixelColor(24, 26).alpha() > 200


def test_the_showcase_mark_reads_as_showcased(qtbot, window, make_project):
    """Item 13: an outline star read as "not starred"; the mark is a filled star."""
    make_project("pallets/flask", is_showcase=True)
    window.browser.reload()
    mark = window.browser.model.index(0, TITLE).data(Qt.ItemDataRole.DecorationRole)
    assert _opaque_centre(mark)
    assert _opaque_centre(icon("showcase"))
    tip = window.browser.model.index(0, TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Showcased" in tip


def test_every_toolbar_action_is_in_a_menu(window):
    in_menus = {a for menu in window.menus.menus.values() for a in menu.actions()}
    assert set(window.menus.toolbar.actions()) <= in_menus


def test_f6_moves_between_panes(qtbot, window, make_project):
    project = make_project("pallets/flask")
    window.browser.reload()
    window.open_project(project.id)
    window.show()
    window.activateWindow()
    window.find_action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.browser.search, timeout=2000)
    for pane in (window.browser.view, window.details.scroll, window.jobs_panel.table,
                 window.browser.search):
        window.menus.move_focus(1)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is pane, timeout=2000)
    window.menus.move_focus(-1)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.jobs_panel.table, timeout=2000)
