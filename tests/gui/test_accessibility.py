"""What a screen reader finds in Qt's accessibility tree: a name for every control, the
project list and the jobs dock as lists of named items, and nothing reachable only by mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QWidget

from gui.project_model import ProjectRow


def _name(obj) -> str:
    interface = QAccessible.queryAccessibleInterface(obj)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible widgets that take the focus but tell a screen reader no name (their own, a
    text, or a label's buddy)."""
    missing = []
    for widget in (root, *root.findChildren(QWidget)):
        if widget.isVisible() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            if not _name(widget).strip():
                missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return missing


def test_every_control_has_a_name(qtbot, window, make_project, runtime):
    project = make_project("pallets/flask", readme="# Flask\n\n[docs](https://x.org)")
    runtime.queue.submit("psf/requests")  # a job in the dock
    window.browser.reload()
    window.jobs_panel.model.reload()
    window.show()
    window.open_project(project.id)
    for mode in ("cards", "table"):
        window.browser.set_view(mode)
        assert unnamed_controls(window) == [], mode
    window.browser.search.setText("nothing matches this")
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 0, timeout=2000)
    assert unnamed_controls(window) == []  # the way out of an empty result too
    for action in (window.shortcuts_action, window.log_action):
        action.trigger()
    for dialog in (window.shortcuts_dialog, window.log_window):
        assert unnamed_controls(dialog) == [], dialog.windowTitle()


def test_the_project_list_reads_as_named_items(qtbot, window, make_project):
    make_project("flaky/repo", stars=3, is_private=True, category="Developer Tool")
    window.browser.reload()
    window.show()
    cards = QAccessible.queryAccessibleInterface(window.browser.cards)
    assert cards.role() == QAccessible.Role.List and cards.text(QAccessible.Text.Name)
    item = cards.child(0)
    assert item.role() == QAccessible.Role.ListItem
    row: ProjectRow = window.browser.model.project_at(0)
    assert item.text(QAccessible.Text.Name) == row.spoken()
    assert item.text(QAccessible.Text.Name).startswith("flaky/repo, Developer Tool")
    window.browser.set_view("table")
    table = QAccessible.queryAccessibleInterface(window.browser.table)
    assert table.role() == QAccessible.Role.Table
    names = [table.child(n).text(QAccessible.Text.Name) for n in range(table.childCount())]
    assert "Repository" in names  # the header
    assert any(name.startswith("flaky/repo") for name in names)


def test_the_jobs_dock_reads_as_a_table_of_jobs(qtbot, window, runtime):
    runtime.queue.submit("psf/requests")
    window.jobs_panel.model.reload()
    window.show()
    table = QAccessible.queryAccessibleInterface(window.jobs_panel.table)
    assert table.role() == QAccessible.Role.Table and table.text(QAccessible.Text.Name) == "Jobs"
    names = [table.child(n).text(QAccessible.Text.Name) for n in range(table.childCount())]
    assert "psf/requests" in names and "Queued" in names


def test_tab_reaches_every_pane(qtbot, window, make_project):
    project = make_project("pallets/flask")
    window.browser.reload()
    window.show()
    window.open_project(project.id)
    window.activateWindow()
    window.find_action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.browser.search, timeout=2000)
    reached = []
    for _ in range(40):
        widget = QApplication.focusWidget()
        reached.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is window.browser.search:
            break
    for wanted in (window.browser.sort, window.browser.view, window.details.open_button,
                   window.details.showcase, window.details.scroll, window.jobs_panel.table):
        assert wanted in reached, type(wanted).__name__
