"""Edits of a project racing the imports that rewrite it.

A refresh saves new text into a project while the user flips its showcase or private
flag in the window. Each must keep the other's write: an edit changes its own columns,
decided inside its own write transaction.
"""

from __future__ import annotations

from core import catalog
from core.models import Project
from tests.interleave import commit_while_it_reads


def test_flipping_a_flag_keeps_what_a_refresh_saved_meanwhile(runtime, make_project):
    project = make_project("pallets/flask", description="Old text.", stars=1)

    commit_while_it_reads(  # a refresh saves the project while the flag is being set
        lambda: Project.update(description="New text.", stars=70000).where(
            Project.id == project.id).execute(),
        lambda: catalog.set_flags(project.id, showcase=False))

    saved = Project.get_by_id(project.id)
    assert (saved.description, saved.stars, saved.is_showcase) == ("New text.", 70000, False)
