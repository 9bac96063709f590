"""What the user can do with a job or a project, decided by its state and returned as data.

``job_actions`` and ``project_actions`` return ``[(label, key)]``; views build
menus and buttons from them and route each key to one handler, so the rules
are tested without clicking (the qutebrowser download view's habit).
"""

from __future__ import annotations

from typing import Any, Mapping

from core.models import CANCELLED, FAILURE, PENDING, RETRYING, STARTED, SUCCESS

# Action keys: views map these to handlers.
CANCEL, RETRY, DETAILS, OPEN_PROJECT = "cancel", "retry", "details", "open_project"
OPEN_GITHUB, DELETE, TOGGLE_SHOWCASE, TOGGLE_PRIVATE, REFRESH = (
    "open_github", "delete", "toggle_showcase", "toggle_private", "refresh")
# The portfolio order (core.ordering), with the keys the project list answers to.
PIN_TOP, MOVE_UP, MOVE_DOWN, UNPLACE = "pin_top", "move_up", "move_down", "unplace"
ORDER_KEYS = (PIN_TOP, MOVE_UP, MOVE_DOWN, UNPLACE)
SHORTCUTS = {PIN_TOP: "Alt+Home", MOVE_UP: "Alt+Up", MOVE_DOWN: "Alt+Down"}

Action = tuple[str, str]


def job_actions(job: Mapping[str, Any]) -> list[Action]:
    """Actions for a job in the JSON shape of DESIGN §6 (``core.records.job_dict``)."""
    status = job.get("status")
    if status in (PENDING, STARTED, RETRYING):
        return [("Cancel", CANCEL)]
    if status in (FAILURE, CANCELLED):
        actions = [("Retry", RETRY), ("Details…", DETAILS)]
        if job.get("project_id"):  # a duplicate points at the project that exists
            actions.append(("Open project", OPEN_PROJECT))
        return actions
    if status == SUCCESS and job.get("project_id"):
        return [("Open project", OPEN_PROJECT)]
    return []


def project_actions(project: Mapping[str, Any], *, placed: bool = False) -> list[Action]:
    """Actions for a project in the JSON shape of DESIGN §6 (``core.records.project_dict``);
    ``placed``: the user gave it a place in the portfolio order (pinned or moved)."""
    actions: list[Action] = []
    if str(project.get("url", "")).startswith(("https://", "http://")):
        actions.append(("Open on GitHub", OPEN_GITHUB))
    actions.append(("Refresh from GitHub", REFRESH))
    actions.append(("Remove from showcase" if project.get("is_showcase") else "Add to showcase",
                    TOGGLE_SHOWCASE))
    actions.append(("Mark as public" if project.get("is_private") else "Mark as private",
                    TOGGLE_PRIVATE))
    if project.get("is_showcase"):  # only a showcased project has a place in the portfolio
        actions += [("Pin to top", PIN_TOP), ("Move up", MOVE_UP), ("Move down", MOVE_DOWN)]
        if placed:
            actions.append(("Back to star order", UNPLACE))
    actions.append(("Delete…", DELETE))
    return actions


def default_job_action(job: Mapping[str, Any]) -> str | None:
    """The key a double-click runs: opening a project, else showing what went wrong."""
    keys = [key for _, key in job_actions(job)]
    for preferred in (OPEN_PROJECT, DETAILS):
        if preferred in keys:
            return preferred
    return None
