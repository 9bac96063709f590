"""The portfolio order from the window: Alt+Up/Down/Home in the list and the context menu's
Pin to top / Move up / Move down, stored in the catalog and shown by the "Portfolio order" sort."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.models import Project
from gui import actions


def titles(window) -> list[str]:
    model = window.browser.model
    return [model.project_at(row).title for row in range(model.rowCount())]


def test_alt_keys_move_the_selected_project_and_show_the_portfolio_order(qtbot, window,
                                                                         make_project):
    for title, stars in (("A", 30), ("B", 20), ("C", 10)):
        make_project(f"alice/{title}", title=title, stars=stars)
    window.browser.reload(catalog_changed=True)
    window.show()
    c = Project.get(Project.title == "C")
    assert window.browser.select_project(c.id)
    qtbot.keyClick(window.browser.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.browser.sort.currentData() == "portfolio"
    assert titles(window) == ["A", "C", "B"]
    assert window.browser.current_project_id() == c.id  # still selected
    qtbot.keyClick(window.browser.view, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    assert titles(window) == ["C", "A", "B"]
    qtbot.keyClick(window.browser.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert titles(window) == ["A", "C", "B"]
    assert "moved down in the portfolio order" in window.statusBar().currentMessage()
    assert [p.title for p in Project.select().order_by(Project.position)
            if p.position is not None] == ["A", "C"]


def test_menu_actions_and_a_project_outside_the_showcase(qtbot, window, make_project):
    make_project("alice/a", title="A", stars=30)
    hidden = make_project("alice/h", title="H", stars=20, is_showcase=False)
    b = make_project("alice/b", title="B", stars=10)
    window.browser.reload(catalog_changed=True)
    window.projects.perform(b.id, actions.PIN_TOP)
    assert titles(window) == ["B", "A", "H"]
    window.projects.perform(b.id, actions.UNPLACE)
    assert titles(window) == ["A", "H", "B"]
    window.projects.perform(hidden.id, actions.MOVE_UP)
    assert titles(window) == ["A", "H", "B"]  # unchanged, and said why
    assert "not in the showcase" in window.statusBar().currentMessage()


def test_the_context_menu_shows_the_ordering_shortcuts(qtbot, window, make_project,
                                                       monkeypatch):
    from PySide6.QtWidgets import QMenu
    project = make_project("alice/a", title="A")
    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, pos: shown.append(menu))
    window.projects.context_menu(project.id, window.mapToGlobal(window.rect().center()))
    items = {a.text(): a.shortcut().toString() for a in shown[0].actions()}
    assert items["Pin to top"] == "Alt+Home" and items["Move up"] == "Alt+Up"
    assert items["Move down"] == "Alt+Down" and "Back to star order" not in items
    shown[0].close()
