"""A batch in the window: one tray message when it ends ("2 imported, 1 failed"), none per
item; the jobs dock shows it as one row with its items beneath. Real queue and consumer."""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon

from core.batches import plan_owner
from core.models import Job
from gui.job_model import PROGRESS, REPOSITORY
from gui.tray import batch_news
from tests.fakes.owners import populate


def test_the_tray_tells_the_end_of_a_batch_once_and_not_each_item(qtbot, tray_messages, runtime,
                                                                  fake_github):
    window, shown = tray_messages
    populate(fake_github, "dana", 3)
    fake_github.fail(r"^/repos/dana/tool-02/git/trees/", 403, times=None)
    planned = plan_owner(runtime.importer, "dana")
    runtime.start_consumer(2)
    batch = runtime.queue.submit_import_all(planned.owner, planned.items)
    qtbot.waitUntil(lambda: len(shown) > 0, timeout=30000)
    qtbot.waitUntil(lambda: Job.get_by_id(batch.id).status == "FAILURE", timeout=30000)
    assert shown == [("Import of dana's repositories: some failed", "2 imported, 1 failed",
                      QSystemTrayIcon.MessageIcon.Warning)]
    panel = window.jobs_panel
    panel.model.refresh()
    row = panel.model.row_of(batch.id)
    assert panel.model.index(row, REPOSITORY).data() == "dana: all repositories"
    assert panel.model.index(row, PROGRESS).data() == "3 of 3"
    assert [panel.model.index(row + n, REPOSITORY).data() for n in (1, 2, 3)] == [
        "    dana/tool-01", "    dana/tool-02", "    dana/tool-03"]
    window.tray.icon.messageClicked.emit()  # clicking it shows the batch's row
    assert panel.selected_job()["id"] == batch.id


def test_batch_news_words():
    news = batch_news({"id": 4, "status": "SUCCESS", "repo": "dana",
                       "message": "40 imported, 2 skipped"})
    assert (news.title, news.text, news.succeeded) == (
        "Imported the repositories of dana", "40 imported, 2 skipped", True)
    assert batch_news({"id": 5, "status": "SUCCESS", "repo": "*", "message": "3 refreshed"}
                      ).title == "Refreshed every project"
    assert batch_news({"id": 6, "status": "STARTED", "repo": "dana", "message": ""}) is None
