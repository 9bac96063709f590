"""The project browser's table model: the catalog query, loaded lazily a page at a time.

``ProjectListModel`` turns ``core.catalog.query_projects(ProjectFilter)`` into
rows of :class:`ProjectRow`; views ask for more with ``canFetchMore`` /
``fetchMore``, which become ``.offset().limit()`` on the query. Only the
columns the list and the cards show are read (never the README).

Both views show a project by its ``owner/name``: two repositories called
``repo`` must not look alike. :data:`ProjectRowRole` hands a delegate the
whole row; the accessible text says in one sentence what a card shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from core.catalog import ProjectFilter, query_projects
from core.models import Project
from gui.icons import icon
from gui.table_model import FlatTableModel

PAGE_SIZE = 50
ProjectIdRole = Qt.ItemDataRole.UserRole + 1
SortKeyRole = Qt.ItemDataRole.UserRole + 2
ProjectRowRole = Qt.ItemDataRole.UserRole + 3  # the ProjectRow itself (the cards draw it)

_LIST_FIELDS = (Project.id, Project.title, Project.full_name, Project.description,
                Project.category, Project.stars, Project.languages, Project.imported_at,
                Project.is_showcase, Project.is_private, Project.tech_stack)
STACK_GROUPS = ("languages", "frameworks", "tools")


@dataclass(frozen=True)
class ProjectRow:
    """What one line of the browser shows about a project."""

    id: int
    title: str
    full_name: str
    description: str
    category: str
    stars: int
    language: str
    imported_at: datetime | None
    is_showcase: bool
    is_private: bool
    stack: tuple[str, ...] = ()  # the tech stack: languages, then frameworks, then tools

    @classmethod
    def of(cls, project) -> "ProjectRow":
        """From a Project, or a row with the same attribute names."""
        languages = project.languages or {}
        main_language = max(languages, key=languages.get) if languages else ""
        stack = getattr(project, "tech_stack", None) or {}
        names = tuple(dict.fromkeys(
            name for group in STACK_GROUPS for name in (stack.get(group) or [])))
        return cls(project.id, project.title, project.full_name, project.description or "",
                   project.category, project.stars or 0, main_language, project.imported_at,
                   bool(project.is_showcase), bool(project.is_private), names)

    @property
    def marks(self) -> list[str]:
        """What sets it apart in the portfolio: showcased or not, private."""
        marks = ["Showcased" if self.is_showcase else "Not in showcase"]
        if self.is_private:
            marks.append("Private")
        return marks

    def spoken(self) -> str:
        """One sentence for a screen reader: what the card shows, in reading order."""
        parts = [self.full_name, self.category, self.language,
                 f"{self.stars:,} stars", *self.marks]
        return ", ".join(p for p in parts if p)


def _local_date(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


# (header, text of a row, sort key of the catalog or None)
COLUMNS = (
    ("Repository", lambda r: r.full_name, "name"),
    ("Category", lambda r: r.category, None),
    ("Stars", lambda r: f"{r.stars:,}", "stars"),
    ("Language", lambda r: r.language, None),
    ("Imported", lambda r: _local_date(r.imported_at), "imported"),
)
TITLE, CATEGORY, STARS, LANGUAGE, IMPORTED = range(len(COLUMNS))


def read_rows(flt: ProjectFilter, offset: int, count: int) -> list[ProjectRow]:
    """``count`` rows of the list from ``offset``; touches no widget (any thread)."""
    query = query_projects(flt, rows=offset + count).select(*_LIST_FIELDS)
    # Named tuples, not model instances: building those was most of the cost of
    # reading thousands of rows at once (selecting far down a long list).
    return [ProjectRow.of(p) for p in query.offset(offset).limit(count).namedtuples()]


class ProjectListModel(FlatTableModel):
    """Projects matching a filter, newest import first by default, fetched in pages."""

    headers = tuple(title for title, *_ in COLUMNS)

    def __init__(self, parent=None, *, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self.page_size = page_size
        self._filter = ProjectFilter()
        self._rows: list[ProjectRow] = []
        self._exhausted = False
        self._generation = 0  # which reload the rows shown come from

    # -- what to show ---------------------------------------------------------------------

    @property
    def project_filter(self) -> ProjectFilter:
        return self._filter

    def set_filter(self, flt: ProjectFilter) -> None:
        self._filter = flt
        self.reload()

    def update_filter(self, **changes: Any) -> None:
        self.set_filter(replace(self._filter, **changes))

    def reload(self, *, at_least: int = 0) -> None:
        """Read the catalog again (after an import, a delete or a filter change).

        ``at_least`` rows are read back in one query, so a view that had scrolled
        far keeps its rows (and its selection) without paging through them again."""
        self._generation += 1  # a read still on its way is older than this one
        count = self._whole_pages(max(at_least, 1))
        self._show(read_rows(self._filter, 0, count), count)

    def reload_later(self, runner, *, at_least: int = 0,
                     then: Callable[[Any], None] | None = None,
                     also: Callable[[], Any] | None = None) -> None:
        """:meth:`reload`, with the reading on ``runner``'s thread and the rows shown here
        when they come (unless another reload or filter came first). ``also`` is read on
        that thread too and handed to ``then`` once the rows are shown."""
        self._generation += 1
        generation, flt = self._generation, self._filter
        count = self._whole_pages(max(at_least, 1))

        def read() -> tuple[Any, list[ProjectRow]]:
            return (also() if also else None), read_rows(flt, 0, count)

        def done(result: tuple[Any, list[ProjectRow]]) -> None:
            if generation != self._generation:
                return  # superseded: a newer read will show its rows
            extra, rows = result
            self._show(rows, count)
            if then is not None:
                then(extra)
        runner.run(read, done)

    def _show(self, rows: list[ProjectRow], asked: int) -> None:
        self.beginResetModel()
        self._rows, self._exhausted = rows, len(rows) < asked
        self.endResetModel()

    def _whole_pages(self, rows: int) -> int:
        return -(-rows // self.page_size) * self.page_size

    def _read_rows(self, offset: int, count: int) -> list[ProjectRow]:
        rows = read_rows(self._filter, offset, count)
        if len(rows) < count:
            self._exhausted = True
        return rows

    # -- lazy loading ---------------------------------------------------------------------

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid():
            return
        self._fetch(self.page_size)

    def _fetch(self, count: int) -> None:
        """Read ``count`` more rows in one query and announce them as one insertion."""
        if self._exhausted or count <= 0:
            return
        rows = self._read_rows(len(self._rows), count)
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    # -- look-ups -------------------------------------------------------------------------

    def project_at(self, row: int) -> ProjectRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, project_id: int) -> int:
        """The row of a loaded project, else -1 (it may be on a page not read yet)."""
        for row, item in enumerate(self._rows):
            if item.id == project_id:
                return row
        return -1

    def find_row(self, project_id: int) -> int:
        """The row of a project, reading the rows up to it if they are not loaded yet; -1 if
        the filter hides it.

        Paging until it turned up froze the window for 46 s (the oldest of 10,000). Instead one
        query reads only the ids in the list's order (cheap even for many thousands), and
        a second one reads every row up to the project's position at once."""
        row = self.row_of(project_id)
        if row >= 0 or self._exhausted:
            return row
        ids = query_projects(self._filter).select(Project.id).tuples()
        position = next((n for n, (pid,) in enumerate(ids) if pid == project_id), -1)
        if position < len(self._rows):  # hidden by the filter (or loaded after all)
            return self.row_of(project_id)
        self._fetch(self._whole_pages(position + 1) - len(self._rows))
        return self.row_of(project_id)  # the catalog may have moved on between the two reads

    # -- the Qt model --------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.project_at(index.row())
        if item is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column][1](item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(t for t in (item.full_name, item.description,
                                          " · ".join(item.marks)) if t)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == TITLE:
            return item.spoken()
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == TITLE:
            return item.description
        if role == Qt.ItemDataRole.DecorationRole and column == TITLE:
            if item.is_private:
                return icon("private")
            return icon("showcase") if item.is_showcase else None
        if role == ProjectRowRole:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole and column == STARS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ProjectIdRole:
            return item.id
        if role == SortKeyRole:
            return COLUMNS[column][2]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column the catalog can sort by (title, stars, date imported)."""
        if 0 <= column < len(COLUMNS) and COLUMNS[column][2]:
            self.update_filter(sort=COLUMNS[column][2])
