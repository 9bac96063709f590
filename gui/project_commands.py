"""What the user does to a project from the window: delete it (after asking), refresh it,
flip its flags, place it in the portfolio order, or pick one of these from its context
menu or a key in the list.

Split out of the main window, which builds one :class:`ProjectCommands` and routes
the browser's, the details pane's and the menus' requests to it. Which actions a
project offers comes from :func:`gui.actions.project_actions`; this maps each key
to one handler. A catalog that another process keeps locked is said in the status
bar (:mod:`gui.busy`), never raised out of a slot.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from core import catalog, ordering
from core.errors import NotFound, RepofolioError
from core.models import Project
from core.records import project_dict
from gui import actions
from gui.busy import BUSY_ERRORS, catalog_busy
from gui.project_browser import ProjectBrowser
from gui.project_details import ProjectDetails
from tasks.runtime import Runtime


class ProjectCommands:
    """Carries out the project actions for one window."""

    def __init__(self, window: QWidget, runtime: Runtime, browser: ProjectBrowser,
                 details: ProjectDetails, *, reveal_job: Callable[[int], None],
                 notify: Callable[[str], None]):
        self.window, self.runtime = window, runtime
        self.browser, self.details = browser, details
        self.reveal_job, self.notify = reveal_job, notify

    def delete(self, project_id: int) -> bool:
        project = Project.get_or_none(Project.id == project_id)
        if project is None:
            return False
        answer = QMessageBox.question(
            self.window, "Delete project",
            f"Delete {project.full_name} from the portfolio?\n\nIts text and README copy are "
            "removed from this computer. The repository on GitHub is not touched.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            catalog.delete_project(project_id)
        except NotFound:
            pass
        except BUSY_ERRORS as error:
            self.notify(catalog_busy(error))
            return False
        self.details.show_project(None)
        self.browser.reload(catalog_changed=True)
        self.notify(f"Deleted {project.full_name}.")
        return True

    def refresh(self, project_id: int) -> int | None:
        """Queue a refresh; a refusal (another import running) is said, not raised."""
        try:
            job = self.runtime.queue.refresh(project_id)
        except RepofolioError as error:
            QMessageBox.information(self.window, "Cannot refresh now",
                                    f"{error.message}\n\n{error.suggestion}")
            return None
        except BUSY_ERRORS as error:
            self.notify(catalog_busy(error))
            return None
        self.reveal_job(job.id)
        self.notify(f"Refreshing {job.repo}…")
        return job.id

    def perform(self, project_id: int, key: str) -> None:
        """Run the action ``key`` (from :func:`gui.actions.project_actions`) on a project."""
        project = Project.get_or_none(Project.id == project_id)
        if project is None:
            return
        if key == actions.OPEN_GITHUB:
            self.details.readme.open_link(QUrl(project.url))
        elif key == actions.DELETE:
            self.delete(project_id)
        elif key == actions.REFRESH:
            self.refresh(project_id)
        elif key in actions.ORDER_KEYS:
            self.reorder(project, key)
        elif key in (actions.TOGGLE_SHOWCASE, actions.TOGGLE_PRIVATE):
            flag = ({"showcase": not project.is_showcase} if key == actions.TOGGLE_SHOWCASE
                    else {"private": not project.is_private})
            try:
                catalog.set_flags(project_id, **flag)
            except BUSY_ERRORS as error:
                self.notify(catalog_busy(error))
                return
            self.browser.reload()
            self.details.refresh()

    def reorder(self, project: Project, key: str) -> None:
        """Pin, move or unplace a project in the portfolio order, and show that order."""
        if not project.is_showcase:
            self.notify(f"{project.title} is not in the showcase, so it has no place in the "
                        "portfolio: add it to the showcase first.")
            return
        change = {actions.PIN_TOP: (ordering.pin_to_top, "pinned to the top"),
                  actions.MOVE_UP: (lambda i: ordering.move(i, ordering.UP), "moved up"),
                  actions.MOVE_DOWN: (lambda i: ordering.move(i, ordering.DOWN), "moved down"),
                  actions.UNPLACE: (ordering.unplace, "back in star order")}[key]
        try:
            change[0](project.id)
        except NotFound:
            return
        except BUSY_ERRORS as error:
            self.notify(catalog_busy(error))
            return
        self.browser.use_sort("portfolio")  # the order just changed is the one to see
        self.browser.reload()
        self.browser.select_project(project.id, clear_filters=False)
        self.notify(f"{project.title}: {change[1]} in the portfolio order.")

    def key_pressed(self, what: str, project_id: int) -> None:
        """Enter, Ctrl+Enter, Delete or Alt+Up/Down/Home in the project list."""
        if what == "details":
            self.details.show_project(project_id)
            self.details.readme.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif what == "github":
            self.perform(project_id, actions.OPEN_GITHUB)
        elif what == "delete":
            self.delete(project_id)
        elif what in actions.ORDER_KEYS:
            self.perform(project_id, what)

    def context_menu(self, project_id: int, global_pos) -> None:
        project = Project.get_or_none(Project.id == project_id)
        if project is None:
            return
        menu = QMenu(self.window)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per right-click
        for label, key in actions.project_actions(project_dict(project),
                                                  placed=project.position is not None):
            action = menu.addAction(label, lambda checked=False, k=key: self.perform(project_id, k))
            if key in actions.SHORTCUTS:  # shown in the menu; the list answers to the keys
                action.setShortcut(QKeySequence(actions.SHORTCUTS[key]))
        menu.popup(global_pos)
