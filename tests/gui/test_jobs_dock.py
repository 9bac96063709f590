"""The jobs dock as the window shows it: bars that fill from the left, a Status column that
fits its words, counts that follow every change at once (items 1 and 7)."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from gui.job_model import PROGRESS, STATUS, STATUS_TEXT


def _bar(window, job_id, progress: int) -> QImage:
    """The progress cell of a job at ``progress`` %, drawn by the dock's own delegate."""
    from core.models import Job
    Job.update(progress=progress, stage="fetching", message="Reading").where(
        Job.id == job_id).execute()
    panel = window.jobs_panel
    panel.model.reread(job_id)
    index = panel.model.index(panel.model.row_of(job_id), PROGRESS)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 200, 26)
    option.palette = panel.table.palette()
    option.widget = panel.table
    image = QImage(200, 26, QImage.Format.Format_ARGB32)
    image.fill(panel.table.palette().base().color())
    painter = QPainter(image)
    panel.table.itemDelegateForColumn(PROGRESS).paint(painter, option, index)
    painter.end()
    return image


def _filled(image: QImage, x: int, y: int, fill: QColor) -> bool:
    pixel = image.pixelColor(x, y)
    return abs(pixel.hueF() - fill.hueF()) < 0.08 and pixel.saturationF() > 0.3


def test_progress_bars_fill_from_the_left(qtbot, window, runtime):
    """Item 1: the delegate drew vertical bars, filling from the bottom up."""
    job = runtime.queue.submit("pallets/flask")
    fill = window.jobs_panel.table.palette().highlight().color()
    image = _bar(window, job.id, 55)
    for y in (6, 13, 20):  # the whole height, left of the 55 % mark
        assert _filled(image, 40, y, fill), y
        assert not _filled(image, 170, y, fill), y
    image = _bar(window, job.id, 20)
    assert _filled(image, 15, 6, fill) and not _filled(image, 100, 20, fill)


def test_the_status_column_fits_its_longest_word(qtbot, window, runtime):
    """Item 7: sized to the rows shown when the dock was empty, it cut "Queued" to "Que…"."""
    window.show()
    runtime.queue.submit("pallets/flask")
    window.jobs_panel.model.refresh()
    table = window.jobs_panel.table
    needed = max(table.fontMetrics().horizontalAdvance(t) for t in STATUS_TEXT.values())
    assert table.horizontalHeader().sectionSize(STATUS) >= needed + 2 * 4
    index = window.jobs_panel.model.index(0, STATUS)
    assert index.data() == "Queued" and table.visualRect(index).width() > needed


def test_counts_follow_a_retry_and_a_cancel_at_once(qtbot, window, runtime):
    """Item 7: "0 running, 0 queued" while a job was listed as queued."""
    status = window.status
    job = runtime.queue.submit("pallets/flask")
    runtime.queue.cancel(job.id)
    window.jobs_panel.model.refresh()
    qtbot.waitUntil(lambda: status.jobs_label.text() == "Jobs: 0 running, 0 queued")
    window.jobs_panel.perform(job.id, "retry")  # no event, no timer: counted when written
    qtbot.waitUntil(lambda: status.jobs_label.text() == "Jobs: 0 running, 1 queued")
    window.jobs_panel.perform(job.id, "cancel")
    qtbot.waitUntil(lambda: status.jobs_label.text() == "Jobs: 0 running, 0 queued")


def test_the_menu_key_opens_the_current_job_s_menu(qtbot, window, runtime):
    """The Menu key (Shift+F10) opens the actions of the job the keyboard is on, beside it
    — not of whichever row happens to lie under the table's corner."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    window.show()
    cancelled = runtime.queue.submit("psf/requests")
    runtime.queue.cancel(cancelled.id)
    waiting = runtime.queue.submit("pallets/flask")  # no consumer: it stays queued
    panel = window.jobs_panel
    panel.model.reload()
    rows = {job_id: panel.model.row_of(job_id) for job_id in (cancelled.id, waiting.id)}
    for job_id, labels in ((waiting.id, ["Cancel"]), (cancelled.id, ["Retry", "Details…"])):
        panel.table.setFocus()
        panel.table.setCurrentIndex(panel.model.index(rows[job_id], 0))
        QApplication.sendEvent(panel.table, QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, QPoint(1, 1), panel.table.mapToGlobal(QPoint(1, 1))))
        menu = QApplication.activePopupWidget()
        assert menu is not None
        assert [action.text() for action in menu.actions()] == labels
        row = panel.table.visualRect(panel.model.index(rows[job_id], 0))
        shown_at = panel.table.viewport().mapFromGlobal(menu.pos())
        assert QRect(row.left(), row.top(), panel.table.viewport().width(),
                     row.height()).contains(shown_at)
        with qtbot.waitSignal(menu.destroyed, timeout=2000):
            menu.close()
    # The mouse: the row under the pointer, whichever row is current.
    point = panel.table.visualRect(panel.model.index(rows[waiting.id], 0)).center()
    QApplication.sendEvent(panel.table.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, panel.table.viewport().mapToGlobal(point)))
    menu = QApplication.activePopupWidget()
    assert menu is not None and [action.text() for action in menu.actions()] == ["Cancel"]
    menu.close()
