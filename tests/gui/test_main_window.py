"""The main window: first step, search as you type, filters, keys, delete, menus, state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from core.models import Project


def _titles(window):
    model = window.browser.model
    return [model.project_at(r).title for r in range(model.rowCount())]


def test_an_empty_catalog_shows_the_first_step(qtbot, window, make_project):
    browser = window.browser
    assert browser.pages.currentWidget() is browser.empty_page
    assert browser.empty_page.import_button.text() == "Import a repository…"
    make_project("pallets/flask")
    browser.reload()
    assert browser.pages.currentWidget() is browser.views


def test_the_first_step_opens_the_import_dialog(qtbot, window):
    from gui.import_dialog import ImportDialog
    window.browser.empty_page.import_button.click()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_search_as_you_type_is_debounced(qtbot, window, make_project):
    make_project("pallets/flask", description="micro framework", tags=["web"])
    make_project("psf/requests", description="HTTP for humans", tags=["http"])
    window.browser.reload()
    assert len(_titles(window)) == 2
    qtbot.keyClicks(window.browser.search, "humans")
    assert len(_titles(window)) == 2  # not on every key press
    qtbot.waitUntil(lambda: _titles(window) == ["requests"], timeout=2000)
    window.browser.search.clear()
    qtbot.waitUntil(lambda: len(_titles(window)) == 2, timeout=2000)


def test_filter_widgets_drive_the_query(qtbot, window, make_project):
    make_project("a/tool", category="Command-Line Tool", languages={"Rust": 10}, stars=5)
    make_project("a/site", category="Web Application", languages={"Python": 10}, stars=9,
                 is_showcase=False)
    window.browser.reload(catalog_changed=True)  # as when an import ends
    browser = window.browser
    # The languages are read off the GUI thread (every project's are decoded).
    qtbot.waitUntil(lambda: [browser.language.itemText(i) for i in range(
        browser.language.count())] == ["All languages", "Python", "Rust"], timeout=3000)
    browser.language.setCurrentIndex(browser.language.findData("Rust"))
    assert _titles(window) == ["tool"]
    browser.language.setCurrentIndex(0)
    browser.category.setCurrentIndex(browser.category.findData("Web Application"))
    assert _titles(window) == ["site"]
    browser.showcase_only.setChecked(True)
    assert _titles(window) == []
    browser.clear_filters()
    browser.sort.setCurrentIndex(browser.sort.findData("stars"))
    assert _titles(window) == ["site", "tool"]


def test_selecting_shows_details_and_enter_keys_act(qtbot, window, make_project, opened_urls):
    project = make_project("psf/requests", readme="# Requests\n\nHTTP for humans.")
    window.browser.reload()
    window.show()
    assert window.browser.select_project(project.id)
    assert window.details.project["id"] == project.id
    assert "HTTP for humans." in window.details.readme.toPlainText()
    table = window.browser.view
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened_urls == []
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert opened_urls == ["https://github.com/psf/requests"]


def test_delete_asks_first(qtbot, window, make_project, answer):
    project = make_project("psf/requests")
    window.browser.reload()
    window.browser.select_project(project.id)
    asked = answer(QMessageBox.StandardButton.No)
    qtbot.keyClick(window.browser.view, Qt.Key.Key_Delete)
    assert len(asked) == 1 and "psf/requests" in asked[0]
    assert Project.get_or_none(Project.id == project.id) is not None
    answer(QMessageBox.StandardButton.Yes)
    window.details.delete_button.click()  # deleted on the window's writer
    qtbot.waitUntil(lambda: window.details.project is None)
    assert Project.get_or_none(Project.id == project.id) is None
    assert window.browser.model.rowCount() == 0
    assert window.browser.pages.currentWidget() is window.browser.empty_page


def _menu_items(menu):
    return {a.text().replace("&", ""): a.shortcut().toString()
            for a in menu.actions() if not a.isSeparator() and a.menu() is None}


def test_menus_shortcuts_and_help(qtbot, window, opened_urls, monkeypatch):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["File", "Edit", "View", "Project", "Help"]
    assert _menu_items(menus["File"]) == {"Import…": "Ctrl+I", "Publish…": "Ctrl+Shift+P",
                                          "Settings…": "Ctrl+,", "Quit": "Ctrl+Q"}
    # Item 13: Edit and View hold real items, not one each.
    assert _menu_items(menus["Edit"]) == {
        "Find": "Ctrl+F", "Clear search and filters": "Ctrl+Shift+X",
        "Copy repository address": "Ctrl+Shift+C"}
    assert {"Cards": "Ctrl+1", "Table": "Ctrl+2", "Jobs": "Ctrl+J", "Showcase only": "",
            "Next pane": "F6"}.items() <= _menu_items(menus["View"]).items()
    sort_menu = next(a.menu() for a in menus["View"].actions() if a.menu() is not None)
    assert [a.text() for a in sort_menu.actions()] == [
        "Date imported", "Name", "Stars", "Portfolio order"]
    window.show()
    window.activateWindow()
    window.find_action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.browser.search, timeout=2000)
    window.data_folder_action.trigger()
    assert opened_urls == [window.runtime.settings.home.as_uri()]
    shown = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a: shown.append(a[2])))
    window.about_action.trigger()
    assert "Repofolio 0.1.0" in shown[0]


def test_every_menu_item_has_a_distinct_access_key(window):
    """Keyboard reachability: each menu opens with Alt+letter, each item with its letter."""
    def letters(actions):
        found = []
        for action in actions:
            if action.isSeparator():
                continue
            text = action.text()
            assert "&" in text and text.index("&") < len(text) - 1, text
            found.append(text[text.index("&") + 1].lower())
        return found

    tops = letters(window.menuBar().actions())
    assert len(tops) == len(set(tops))
    for top in window.menuBar().actions():
        items = letters(top.menu().actions())
        assert len(items) == len(set(items)), (top.text(), items)


def _arrange(window):
    """Move everything the user can move, away from the defaults."""
    window.show()
    window.resize(777, 517)  # inside the offscreen screen (800 x 600)
    window.jobs_panel.hide()
    window.splitter.setSizes([250, 520])
    return window.splitter.sizes()


def _assert_arranged_like(window, splitter_sizes):
    window.show()
    assert (window.width(), window.height()) == (777, 517)
    assert window.jobs_panel.isHidden()
    assert window.splitter.sizes() == splitter_sizes


def test_quitting_remembers_the_layout(qtbot, make_window, no_tray, window_state):
    first = make_window()
    sizes = _arrange(first)
    first.quit_action.trigger()  # the menu's Quit (Ctrl+Q, the tray's Quit alike)
    assert not first.isVisible()
    _assert_arranged_like(make_window(), sizes)
    # Remembered state lives in its own file, apart from settings and preferences.
    assert not (first.runtime.settings.home / "preferences.json").exists()


def test_closing_the_window_remembers_the_layout(qtbot, make_window, no_tray, window_state):
    first = make_window()
    sizes = _arrange(first)
    first.close()  # without a tray: closing quits
    _assert_arranged_like(make_window(), sizes)


def test_closing_to_the_tray_remembers_the_layout(qtbot, tray_window, make_window):
    sizes = _arrange(tray_window)
    tray_window.close()  # hides to the tray
    assert not tray_window.isVisible()
    _assert_arranged_like(make_window(), sizes)


def test_status_bar_shows_quota_and_jobs(qtbot, window, runtime, fake_github):
    # The quota and the counts are each read off the GUI thread: wait for both.
    qtbot.waitUntil(lambda: window.status.quota_label.text() == "GitHub: 60/60 requests left"
                    and window.status.jobs_label.text() == "Jobs: 0 running, 0 queued",
                    timeout=5000)
    runtime.queue.submit("pallets/flask")  # no consumer: it waits
    window.status.refresh_counts()  # counted off the GUI thread
    qtbot.waitUntil(lambda: window.status.jobs_label.text() == "Jobs: 0 running, 1 queued")
    fake_github.fail(r"^/rate_limit$", 500, times=None)
    window.status.refresh_quota()
    qtbot.waitUntil(lambda: window.status.quota_label.text() == "GitHub: –", timeout=5000)


def test_real_import_appears_in_the_browser_and_can_be_opened(qtbot, window, import_repo):
    job = import_repo("pallets/flask")
    qtbot.waitUntil(lambda: _titles(window) == ["flask"], timeout=5000)
    assert window.open_project(job.project_id)
    assert window.details.project["full_name"] == "pallets/flask"
    assert window.details.readme.toPlainText().strip()


def test_refresh_button_rewrites_the_project_and_the_panel_follows(qtbot, window, import_repo,
                                                                   fake_github):
    from core.models import Job
    job = import_repo("gorilla/mux")
    window.open_project(job.project_id)
    fake_github.reset()
    qtbot.mouseClick(window.details.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: Job.select().order_by(Job.id.desc()).get().kind == "refresh")
    refresh = Job.select().order_by(Job.id.desc()).get()
    assert refresh.project_id == job.project_id
    qtbot.waitUntil(lambda: Job.get_by_id(refresh.id).status == "SUCCESS", timeout=10_000)
    assert Project.select().count() == 1
    assert any(r.status == 304 for r in fake_github.requests)  # conditional requests


def test_refresh_while_the_same_project_is_queued_is_explained_not_raised(
        qtbot, window, make_project, runtime, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(
        lambda parent, title, text: shown.append(title)))
    project = make_project("pallets/flask")
    runtime.queue.refresh(project.id)  # queued (no consumer here)
    window.projects.refresh(project.id)
    qtbot.waitUntil(lambda: shown == ["Cannot refresh now"])


def test_a_language_that_disappears_stops_filtering(qtbot, window, make_project, answer):
    make_project("a/site", languages={"Python": 10})
    tool = make_project("a/tool", languages={"Rust": 10})
    browser = window.browser
    browser.reload(catalog_changed=True)
    qtbot.waitUntil(lambda: browser.language.findData("Rust") > 0, timeout=3000)
    browser.language.setCurrentIndex(browser.language.findData("Rust"))
    assert _titles(window) == ["tool"]
    answer(QMessageBox.StandardButton.Yes)
    assert window.projects.delete(tool.id)  # the last Rust project (asked, then written)
    qtbot.waitUntil(lambda: browser.language.currentText() == "All languages", timeout=3000)
    assert browser.model.project_filter.language == ""  # the list follows the combo
    assert _titles(window) == ["site"]
    assert browser.pages.currentWidget() is browser.views


@pytest.fixture
def tray_window(monkeypatch, make_window):
    from PySide6.QtWidgets import QSystemTrayIcon
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = make_window()
    window.show()
    return window


def _open(window, kind):
    return [d for d in window.findChildren(kind) if d.isVisible()]


def test_the_tray_raises_the_open_import_dialog_instead_of_a_second(qtbot, tray_window):
    from gui.import_dialog import ImportDialog
    window = tray_window
    window.tray.import_requested.emit()
    first = window.import_dialog
    window.tray.import_requested.emit()  # the tray menu again, the dialog still open
    window.import_action.trigger()  # or Ctrl+I
    assert _open(window, ImportDialog) == [first]
    first.reject()
    qtbot.waitUntil(lambda: window.import_dialog is None)
    window.tray.import_requested.emit()
    assert window.import_dialog is not None and window.import_dialog is not first


def test_closing_to_the_tray_closes_the_dialogs(qtbot, tray_window, runtime):
    from PySide6.QtWidgets import QDialog
    from gui.import_dialog import ImportDialog
    from gui.settings_dialog import SettingsDialog
    window = tray_window
    job = runtime.queue.submit("psf/requests")
    runtime.queue.cancel(job.id)
    window.jobs_panel.model.reload()
    window.open_import_dialog()
    window.open_settings_dialog()
    window.open_settings_dialog()
    window.jobs_panel.perform(job.id, "details")
    assert len(_open(window, ImportDialog)) == 1 and len(_open(window, SettingsDialog)) == 1
    assert len(_open(window, QMessageBox)) == 1
    window.close()
    assert not window.isVisible() and _open(window, QDialog) == []


def test_saved_settings_reach_the_app(qtbot, window):
    window.open_settings_dialog()
    with qtbot.waitSignal(window.settings_changed, timeout=1000):
        window.settings_dialog.accept()
    qtbot.waitUntil(lambda: window.settings_dialog is None)


def test_context_menus_and_details_boxes_are_deleted_when_closed(qtbot, window, runtime,
                                                                 make_project):
    window.show()
    project = make_project("pallets/flask")
    window.browser.reload()
    job = runtime.queue.submit("psf/requests")
    runtime.queue.cancel(job.id)
    panel = window.jobs_panel
    panel.model.reload()
    window.browser.select_project(project.id)
    for view in (window.browser.cards, window.browser.table):  # the Menu key, in either view
        window.browser.set_view("cards" if view is window.browser.cards else "table")
        QApplication.sendEvent(view.viewport(), QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), QPoint(0, 0)))
        menu = QApplication.activePopupWidget()
        assert menu is not None and menu.actions()
        with qtbot.waitSignal(menu.destroyed, timeout=2000):
            menu.close()
    for table, index in ((panel.table, panel.model.index(panel.model.row_of(job.id), 0)),):
        table.setCurrentIndex(index)
        QApplication.sendEvent(table, QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), QPoint(0, 0)))
        menu = QApplication.activePopupWidget()
        assert menu is not None and menu.actions()
        with qtbot.waitSignal(menu.destroyed, timeout=2000):
            menu.close()
    panel.perform(job.id, "details")
    box = next(b for b in panel.findChildren(QMessageBox) if b.isVisible())
    with qtbot.waitSignal(box.destroyed, timeout=2000):
        box.reject()
    del project


def test_a_write_still_queued_when_the_window_goes_is_written(qtbot, window):
    """A showcase tick, then Ctrl+Q: the write queued behind another on the writer was
    cancelled by the window's dispose, and lost without a word."""
    import threading
    import time
    started, written = threading.Event(), []

    def first() -> None:  # a write that runs until the window is going away
        started.set()
        deadline = time.monotonic() + 10
        while window.writer.busy and time.monotonic() < deadline:
            time.sleep(0.01)

    window.writer.run(first)
    window.writer.run(lambda: written.append("second"))
    assert started.wait(10)
    window.dispose()
    assert written == ["second"]
