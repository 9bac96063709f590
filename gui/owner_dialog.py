"""The checklist of a user's or organization's repositories: choose, then import as one batch.

The listing (every page, then the free ``/rate_limit``) runs off the GUI thread on the
dialog's own :class:`~gui.background.BackgroundRunner` (on the window's, a long listing
held up the reads of the jobs dock and the status bar); the answer is a
:class:`~core.batches.OwnerPlan`. Each row shows the name, stars, language and what
sets it apart (fork, archived, private, already imported, being imported). Forks and
archived ones start unticked; what the catalog holds or the queue has cannot be
ticked. The estimate follows every tick, and when the choice does not fit in what is
left of the hour a plain sentence says how long it would take and what a token does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from core import batches
from core.batch_state import (
    ARCHIVED, BELOW_MIN_STARS, FORK, IN_CATALOG, IN_PROGRESS, OVER_LIMIT,
)
from core.batches import OwnerPlan, PlanItem
from gui.background import BackgroundRunner
from gui.busy import attempt_later, refusal_text
from gui.table_model import FlatTableModel

HEADERS = ("Repository", "Stars", "Language", "Notes")
NAME, STARS, LANGUAGE, NOTES = range(len(HEADERS))
MARKS = {FORK: "fork", ARCHIVED: "archived", IN_CATALOG: "already imported",
         IN_PROGRESS: "being imported", BELOW_MIN_STARS: "few stars", OVER_LIMIT: "over the limit"}
LOCKED = (IN_CATALOG, IN_PROGRESS)  # cannot be chosen: imported, or in the queue already
SortRole = Qt.ItemDataRole.UserRole + 1


def notes_of(item: PlanItem) -> str:
    """What sets a repository apart, as the Notes column shows it."""
    notes = [MARKS[item.reason]] if item.reason in MARKS else []
    for flag, word in (("fork", "fork"), ("archived", "archived")):
        if item.repository.get(flag) and word not in notes:
            notes.append(word)
    if item.private:
        notes.append("private")
    return ", ".join(notes)


def describe_cost(plan: OwnerPlan, chosen: list[PlanItem]) -> tuple[str, str | None]:
    """The estimate line for a choice, and the sentence when it does not fit (else None)."""
    cost = plan.cost_of(chosen)
    left = ("this server sets no limit" if cost["remaining"] is None
            else f"{cost['remaining']:,} left this hour")
    line = (f"{len(chosen)} selected — about {cost['requests']:,} GitHub requests; {left}.")
    return line, batches.estimate_sentence(cost, limit=plan.limit)


class OwnerRepoModel(FlatTableModel):
    """The plan's repositories with a check box each."""

    headers = HEADERS

    choice_changed = Signal()

    def __init__(self, plan: OwnerPlan, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.items = list(plan.items)
        self.checked = [item.reason is None for item in self.items]

    def locked(self, row: int) -> bool:
        return self.items[row].reason in LOCKED

    def chosen(self) -> list[PlanItem]:
        return [PlanItem(item.repository) for item, on in zip(self.items, self.checked) if on]

    def batch_items(self) -> list[PlanItem]:
        """What to submit: the chosen ones, and the ones left out for a reason of their own."""
        return [PlanItem(item.repository) if on else item
                for item, on in zip(self.items, self.checked) if on or item.reason]

    def set_checked(self, rows: list[int], on: bool) -> None:
        changed = [row for row in rows if not self.locked(row) and self.checked[row] != on]
        for row in changed:
            self.checked[row] = on
        if changed:
            self.dataChanged.emit(self.index(min(changed), NAME), self.index(max(changed), NAME),
                                  [Qt.ItemDataRole.CheckStateRole])
            self.choice_changed.emit()

    # -- the Qt model --------------------------------------------------------------

    def row_count(self) -> int:
        return len(self.items)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.locked(index.row()):
            return Qt.ItemFlag.ItemIsSelectable  # shown, greyed, never ticked
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item, column = self.items[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == NAME:
            return (Qt.CheckState.Checked if self.checked[index.row()]
                    else Qt.CheckState.Unchecked)
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            value: Any = {NAME: item.repo.split("/", 1)[1], STARS: item.stars,
                          LANGUAGE: item.repository.get("language") or "",
                          NOTES: notes_of(item)}.get(column)
            if role == Qt.ItemDataRole.DisplayRole and column == STARS:
                return f"{value:,}"
            return value
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME:
            return item.repository.get("description") or item.repo
        if role == Qt.ItemDataRole.TextAlignmentRole and column == STARS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != NAME or \
                self.locked(index.row()):
            return False
        self.set_checked([index.row()], Qt.CheckState(value) == Qt.CheckState.Checked)
        return True


class OwnerImportDialog(QDialog):
    """Lists an owner's repositories off the GUI thread, then queues the chosen ones."""

    submitted = Signal(int)  # the batch job's id

    def __init__(self, runtime, owner: str, *, profile: str = "default",
                 parent: QWidget | None = None, writer=None):
        super().__init__(parent)
        self.runner = BackgroundRunner(self, max_threads=1)  # the listing's own thread
        self.runtime, self.owner, self.profile = runtime, owner, profile
        self.writer = writer  # the submit runs there, off the GUI thread (see gui.busy)
        self._submitting = False  # one submit at a time: Import stays off meanwhile
        self.plan: OwnerPlan | None = None
        self.model: OwnerRepoModel | None = None
        self.setWindowTitle(f"Import the repositories of @{owner}")
        self.setMinimumSize(640, 480)
        self._build()
        self.status_label.setText(f"Listing the repositories of @{owner} on GitHub…")
        self.runner.run(lambda: batches.plan_owner(runtime.importer, owner, profile=profile),
                   self._listed, self._failed)

    def _build(self) -> None:
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Listing status")
        self.filter_field = QLineEdit(self)
        self.filter_field.setPlaceholderText("Filter by name")
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.setAccessibleName("Filter repositories")
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(NAME)
        self.proxy.setSortRole(SortRole)
        self.filter_field.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)  # GitHub's order too
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Repositories")
        self.all_button = QPushButton("Select &all", self)
        self.none_button = QPushButton("Select &none", self)
        self.all_button.clicked.connect(lambda: self._check_shown(True))
        self.none_button.clicked.connect(lambda: self._check_shown(False))
        self.cost_label = QLabel(self)
        self.cost_label.setAccessibleName("Estimate")
        self.warning_label = QLabel(self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setAccessibleName("Rate limit warning")
        self.warning_label.hide()
        self.refusal_label = QLabel(self)
        self.refusal_label.setWordWrap(True)
        self.refusal_label.hide()
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("&Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.filter_field, self.all_button, self.none_button, self.import_button):
            widget.setEnabled(False)
        choose = QHBoxLayout()
        choose.addWidget(self.filter_field, 1)
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.cost_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.refusal_label)
        layout.addWidget(self.buttons)

    # -- the listing's answer ---------------------------------------------------------------

    def _listed(self, plan: OwnerPlan) -> None:
        self.plan = plan
        self.model = OwnerRepoModel(plan, self)
        self.model.choice_changed.connect(self._update_cost)
        self.proxy.setSourceModel(self.model)
        skipped = sum(1 for item in plan.items if item.reason)
        self.status_label.setText(
            f"{len(plan.items)} repositories of @{plan.owner}; forks and archived ones start "
            f"unticked ({skipped} left out), already imported ones cannot be ticked."
            if plan.items else f"@{plan.owner} has no repositories to import.")
        for widget in (self.filter_field, self.all_button, self.none_button):
            widget.setEnabled(bool(plan.items))
        self._update_cost()

    def _failed(self, error: Exception) -> None:
        self.status_label.setText(refusal_text(error) or (
            f"Listing failed ({type(error).__name__}); details are in the log."))

    def _update_cost(self) -> None:
        if self.plan is None or self.model is None:
            return
        chosen = self.model.chosen()
        line, sentence = describe_cost(self.plan, chosen)
        self.cost_label.setText(line)
        self.warning_label.setText(sentence or "")
        self.warning_label.setVisible(sentence is not None)
        self.import_button.setEnabled(bool(chosen) and not self._submitting)
        self.import_button.setText(f"&Import {len(chosen)}" if chosen else "&Import")

    def _check_shown(self, on: bool) -> None:
        """Select all (or none) of the rows the filter shows."""
        if self.model is not None:
            rows = [self.proxy.mapToSource(self.proxy.index(r, NAME)).row()
                    for r in range(self.proxy.rowCount())]
            self.model.set_checked(rows, on)

    # -- submitting -------------------------------------------------------------------------

    def submit(self) -> None:
        if (self._submitting or self.plan is None or self.model is None
                or not self.model.chosen()):
            return  # nothing chosen, or the first is on its way
        self._submitting = True
        plan, items = self.plan, self.model.batch_items()
        self.import_button.setEnabled(False)

        def refused(refusal: str) -> None:
            self._submitting = False
            self.refusal_label.setText(refusal)
            self.refusal_label.show()
            self._update_cost()

        def submitted(batch_id: int) -> None:
            self._submitting = False
            self.submitted.emit(batch_id)
            self.accept()
        attempt_later(self.writer, lambda: self.runtime.queue.submit_import_all(
            plan.owner, items, profile=self.profile, url=plan.url).id, submitted, refused)
