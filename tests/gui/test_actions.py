"""Job and project actions follow state, as data (no clicking)."""

from __future__ import annotations

import pytest

from gui import actions


def _job(status, project_id=None):
    return {"id": 1, "status": status, "project_id": project_id, "error": None}


@pytest.mark.parametrize("status", ["PENDING", "STARTED", "RETRYING"])
def test_active_jobs_can_be_cancelled(status):
    assert actions.job_actions(_job(status)) == [("Cancel", actions.CANCEL)]


@pytest.mark.parametrize("status", ["FAILURE", "CANCELLED"])
def test_ended_jobs_can_be_retried_and_explained(status):
    assert actions.job_actions(_job(status)) == [("Retry", actions.RETRY),
                                                 ("Details…", actions.DETAILS)]


def test_a_duplicate_failure_also_opens_the_existing_project():
    keys = [key for _, key in actions.job_actions(_job("FAILURE", project_id=7))]
    assert keys == [actions.RETRY, actions.DETAILS, actions.OPEN_PROJECT]


def test_done_job_opens_its_project():
    assert actions.job_actions(_job("SUCCESS", 3)) == [("Open project", actions.OPEN_PROJECT)]
    assert actions.default_job_action(_job("SUCCESS", 3)) == actions.OPEN_PROJECT
    assert actions.default_job_action(_job("FAILURE")) == actions.DETAILS
    assert actions.default_job_action(_job("STARTED")) is None


def test_project_actions_follow_flags():
    project = {"url": "https://github.com/pallets/flask", "is_showcase": True,
               "is_private": False}
    assert actions.project_actions(project) == [
        ("Open on GitHub", actions.OPEN_GITHUB), ("Refresh from GitHub", actions.REFRESH),
        ("Remove from showcase", actions.TOGGLE_SHOWCASE),
        ("Mark as private", actions.TOGGLE_PRIVATE), ("Pin to top", actions.PIN_TOP),
        ("Move up", actions.MOVE_UP), ("Move down", actions.MOVE_DOWN), ("Delete…", actions.DELETE)]
    flipped = dict(project, is_showcase=False, is_private=True)
    labels = [label for label, _ in actions.project_actions(flipped)]
    assert "Add to showcase" in labels and "Mark as public" in labels
    assert not {"Pin to top", "Move up", "Move down"} & set(labels)  # no place outside it


def test_a_placed_project_can_go_back_to_star_order():
    project = {"url": "https://github.com/a/b", "is_showcase": True}
    assert ("Back to star order", actions.UNPLACE) in actions.project_actions(project, placed=True)
    assert ("Back to star order", actions.UNPLACE) not in actions.project_actions(project)
