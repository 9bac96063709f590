"""ProjectListModel: a valid Qt model over the catalog, lazy pages, search, filters, sort."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.catalog import ProjectFilter
from gui.project_model import IMPORTED, STARS, TITLE, ProjectIdRole, ProjectListModel


def _titles(model):
    return [model.project_at(r).title for r in range(model.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, make_project):
    for i in range(7):
        make_project(f"owner/project{i}", stars=i)
    model = ProjectListModel(page_size=3)
    model.reload()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model)
    assert model.rowCount() == 7


def test_lazy_loading_reads_pages(runtime, make_project):
    for i in range(120):
        make_project(f"owner/p{i:03d}")
    model = ProjectListModel()  # pages of 50
    model.reload()
    assert model.rowCount() == 50 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 100 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 120 and not model.canFetchMore()
    model.fetchMore()  # nothing left: a no-op
    assert model.rowCount() == 120


def test_a_view_fetches_more_as_it_scrolls(qtbot, make_project):
    from PySide6.QtWidgets import QTableView
    for i in range(30):
        make_project(f"owner/v{i:02d}")
    model = ProjectListModel(page_size=10)
    model.reload()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 200)
    view.show()
    qtbot.waitUntil(lambda: model.rowCount() >= 10)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 10)


def test_search_matches_title_description_and_tags(make_project):
    make_project("pallets/flask", description="A micro web framework", tags=["wsgi"])
    make_project("psf/requests", description="HTTP for humans", tags=["http", "client"])
    make_project("BurntSushi/ripgrep", description="Fast search", tags=["cli", "grep"],
                 languages={"Rust": 10})
    model = ProjectListModel()
    model.set_filter(ProjectFilter(search="flask", sort="name"))
    assert _titles(model) == ["flask"]
    model.update_filter(search="humans")
    assert _titles(model) == ["requests"]
    model.update_filter(search="WSGI")  # a tag only, any case
    assert _titles(model) == ["flask"]
    model.update_filter(search="grep")
    assert _titles(model) == ["ripgrep"]
    model.update_filter(search="nothing-like-this")
    assert model.rowCount() == 0


def test_filters_by_category_language_and_showcase(make_project):
    make_project("a/web", category="Web Application", languages={"Python": 9, "HTML": 1})
    make_project("a/cli", category="Command-Line Tool", languages={"Rust": 5})
    make_project("a/hidden", category="Web Application", languages={"Go": 5}, is_showcase=False)
    model = ProjectListModel()
    model.set_filter(ProjectFilter(category="Web Application", sort="name"))
    assert _titles(model) == ["hidden", "web"]
    model.update_filter(showcase_only=True)
    assert _titles(model) == ["web"]
    model.set_filter(ProjectFilter(language="Rust"))
    assert _titles(model) == ["cli"]
    index = model.index(0, 3)
    assert index.data() == "Rust"


def test_sorts_by_name_stars_and_date_imported(make_project):
    now = datetime(2026, 1, 1)
    make_project("x/beta", stars=100, imported_at=now - timedelta(days=2))
    make_project("x/Alpha", stars=50, imported_at=now - timedelta(days=1))
    make_project("x/gamma", stars=1, imported_at=now)
    model = ProjectListModel()
    model.set_filter(ProjectFilter(sort="name"))
    assert _titles(model) == ["Alpha", "beta", "gamma"]
    model.update_filter(sort="stars")
    assert _titles(model) == ["beta", "Alpha", "gamma"]
    model.sort(IMPORTED)
    assert _titles(model) == ["gamma", "Alpha", "beta"]
    model.sort(STARS)
    assert model.project_filter.sort == "stars"
    assert model.index(0, STARS).data() == "100"
    assert model.index(0, TITLE).data(ProjectIdRole) == model.project_at(0).id


def test_two_repositories_of_the_same_name_read_apart(qtbot, make_project):
    """Item 2: the list showed only the name, so flaky/repo and limited/repo looked alike."""
    from PySide6.QtCore import Qt
    make_project("flaky/repo", stars=3, is_private=True)
    make_project("limited/repo", stars=5, is_showcase=False)
    model = ProjectListModel()
    model.update_filter(sort="stars")
    shown = [model.index(r, TITLE).data() for r in range(model.rowCount())]
    assert shown == ["limited/repo", "flaky/repo"]
    spoken = [model.index(r, TITLE).data(Qt.ItemDataRole.AccessibleTextRole)
              for r in range(model.rowCount())]
    assert spoken[0].startswith("limited/repo, Library / Framework, Python, 5 stars")
    assert "Not in showcase" in spoken[0] and "Private" in spoken[1]
