"""The project browser: thousands of projects, reloads, filters that lose their value, keys."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from core.db import DEFAULT_PROFILE
from core.models import Profile, Project
from gui.project_browser import ProjectBrowser
from gui.project_model import ProjectListModel

MANY = 3000


@pytest.fixture
def catalog_statements(runtime):
    """Every SQL statement the GUI thread's catalog connection runs, as SQLite traces it."""
    statements: list[str] = []
    connection = runtime.database.connection()
    connection.set_trace_callback(statements.append)
    yield statements
    connection.set_trace_callback(None)


def _selects(statements):
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


@pytest.fixture
def many_projects(runtime):
    """MANY projects imported a minute apart; returns the id of the oldest (listed last)."""
    owner = Profile.get(Profile.name == DEFAULT_PROFILE)
    start = datetime(2025, 1, 1)
    rows = [dict(profile=owner, slug=f"o-p{n}", key=f"o/p{n}", github_id=n, full_name=f"o/p{n}",
                 title=f"p{n}", url=f"https://github.com/o/p{n}", languages={"Go": n},
                 imported_at=start + timedelta(minutes=n)) for n in range(MANY)]
    Project.insert_many(rows).execute()
    return Project.get(Project.key == "o/p0").id


def test_finding_the_oldest_of_thousands_reads_twice_and_inserts_once(
        qtbot, many_projects, catalog_statements):
    model = ProjectListModel()
    model.reload()
    assert model.rowCount() == 50
    insertions = []
    model.rowsInserted.connect(lambda _parent, first, last: insertions.append((first, last)))
    catalog_statements.clear()
    row = model.find_row(many_projects)
    assert row == MANY - 1 and model.project_at(row).id == many_projects
    # One read of the ids in list order, one read of the rows up to it: not 60 pages.
    assert len(_selects(catalog_statements)) == 2, catalog_statements
    assert insertions == [(50, MANY - 1)]
    catalog_statements.clear()
    assert model.find_row(many_projects) == row and catalog_statements == []  # loaded now


def test_a_project_the_filter_hides_is_not_found(qtbot, many_projects):
    model = ProjectListModel()
    model.update_filter(search="p2999")
    assert model.find_row(many_projects) == -1
    assert model.rowCount() == 1


def test_reloading_keeps_a_far_selection_without_paging_or_reading_languages(
        qtbot, many_projects, catalog_statements):
    browser = ProjectBrowser()
    qtbot.addWidget(browser)
    assert browser.select_project(many_projects)
    catalog_statements.clear()
    browser.reload()  # a flag changed, say
    assert browser.current_project_id() == many_projects
    selects = _selects(catalog_statements)
    assert len(selects) <= 2, selects
    assert not any('"languages" FROM "project"' in s for s in selects)  # the cached list


def test_the_language_list_is_read_again_when_the_catalog_changed(qtbot, make_project):
    browser = ProjectBrowser()
    qtbot.addWidget(browser)
    make_project("a/tool", languages={"Rust": 10})
    browser.reload()
    assert browser.language.count() == 1  # cached: a flag change does not add languages
    browser.reload(catalog_changed=True)  # an import, refresh or delete ended
    assert [browser.language.itemText(i) for i in range(browser.language.count())] == [
        "All languages", "Rust"]


def test_the_first_step_is_not_cut_off(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    page = window.browser.empty_page
    text = next(label for label in page.findChildren(QLabel) if label.wordWrap())
    qtbot.waitUntil(lambda: text.isVisible())
    # The label has the height its text needs at its width (a centred word-wrapped label
    # used to get a guessed size hint: about 200 px wide, too short for the text).
    assert text.width() >= 300
    assert text.height() >= text.heightForWidth(text.width())


def test_enter_in_the_search_field_goes_to_the_first_result(qtbot, window, make_project):
    make_project("pallets/flask", description="micro framework")
    wanted = make_project("psf/requests", description="HTTP for humans")
    window.browser.reload()
    window.show()
    window.activateWindow()
    window.find_action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.browser.search, timeout=2000)
    qtbot.keyClicks(window.browser.search, "humans")
    qtbot.keyClick(window.browser.search, Qt.Key.Key_Return)
    assert window.browser.current_project_id() == wanted.id
    assert window.details.project["id"] == wanted.id
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.browser.view, timeout=2000)


def _type_search(qtbot, browser, text):
    browser.search.setText(text)
    qtbot.waitUntil(lambda: browser.model.project_filter.search == text, timeout=2000)


def test_a_search_without_results_says_so_and_leads_out(qtbot, window, make_project):
    """Item 3: an empty result showed a blank table whose columns jumped."""
    make_project("pallets/flask", description="micro framework")
    make_project("psf/requests", description="HTTP for humans")
    browser = window.browser
    browser.reload()
    window.show()
    browser.set_view("table")
    qtbot.waitExposed(window)
    header = browser.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(1, header.count())]
    overlay = browser.no_match[1]
    assert not overlay.isVisible()
    _type_search(qtbot, browser, "zzzz")
    assert browser.model.rowCount() == 0
    assert overlay.isVisible() and overlay.title.text() == "No project matches “zzzz”"
    assert browser.pages.currentWidget() is browser.views  # not the first step
    assert [header.sectionSize(c) for c in range(1, header.count())] == widths
    browser.showcase_only.setChecked(True)
    assert overlay.title.text() == "No project matches “zzzz” in showcase only"
    browser.set_view("cards")
    assert browser.no_match[0].isVisible()
    qtbot.mouseClick(browser.no_match[0].button, Qt.MouseButton.LeftButton)
    assert browser.model.rowCount() == 2 and browser.search.text() == ""
    assert not browser.showcase_only.isChecked() and not browser.no_match[0].isVisible()


def test_an_empty_jobs_dock_says_so(qtbot, window, runtime):
    """Item 3: the empty jobs dock said nothing."""
    window.show()
    overlay = window.jobs_empty
    qtbot.waitUntil(overlay.isVisible, timeout=2000)
    assert "No imports yet" in overlay.title.text()
    runtime.queue.submit("pallets/flask")  # no consumer: it waits
    qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=5000)


def test_a_search_that_hides_the_selected_project_clears_its_details(qtbot, window,
                                                                     make_project):
    """Item 4: a search that hid the selected project left its details on screen."""
    flask = make_project("pallets/flask", description="micro framework")
    make_project("psf/requests", description="HTTP for humans")
    browser = window.browser
    browser.reload()
    assert window.open_project(flask.id)
    _type_search(qtbot, browser, "micro")  # still shown: still selected, still detailed
    assert browser.current_project_id() == flask.id
    assert window.details.project["id"] == flask.id
    _type_search(qtbot, browser, "humans")
    assert browser.current_project_id() is None
    assert window.details.project is None
    assert window.details.pages.currentWidget() is window.details.placeholder
    browser.category.setCurrentIndex(browser.category.findData("Game"))  # a filter alike
    assert window.details.project is None


def test_reloading_without_the_selected_project_clears_its_details(qtbot, window,
                                                                   make_project):
    """Item 4: after a delete (by anyone) the details showed a project whose row was gone."""
    flask = make_project("pallets/flask")
    make_project("psf/requests")
    window.browser.reload()
    window.open_project(flask.id)
    Project.delete().where(Project.id == flask.id).execute()
    window.browser.reload()
    assert window.details.project is None
    assert [window.browser.model.project_at(r).full_name
            for r in range(window.browser.model.rowCount())] == ["psf/requests"]


def test_reselecting_the_shown_project_does_not_render_it_again(qtbot, window, make_project):
    project = make_project("psf/requests", readme="# Requests")
    window.browser.reload()
    window.open_project(project.id)
    rendered = []
    window.details.readme.document().contentsChanged.connect(lambda: rendered.append(1))
    _type_search(qtbot, window.browser, "requests")
    assert window.details.project["id"] == project.id and rendered == []


def test_the_empty_result_stays_in_view_after_scrolling(qtbot, window, make_project):
    """A view moves its viewport's children as it scrolls: the message must not go with
    them (it sat far down after a search from a scrolled list)."""
    for n in range(30):
        make_project(f"o/p{n}")
    browser = window.browser
    browser.reload()
    window.show()
    qtbot.waitExposed(window)
    cards = browser.cards
    cards.verticalScrollBar().setValue(cards.verticalScrollBar().maximum())
    assert cards.verticalScrollBar().value() > 100
    window.resize(window.width() - 40, window.height())  # placed while scrolled
    _type_search(qtbot, browser, "nothing like this")  # back to the top
    overlay = browser.no_match[0]
    assert overlay.isVisible() and overlay.geometry() == cards.viewport().rect()
