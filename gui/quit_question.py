"""The question asked before quitting with imports unfinished: what happens to them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

RESUME_TEXT = ("Quitting stops a running import and puts it back in the queue. Unfinished "
               "imports carry on by themselves the next time Repofolio starts (or when "
               "`repofolio worker` runs); nothing is lost.")


def quit_text(unfinished: int) -> str:
    return ("1 import has not finished." if unfinished == 1
            else f"{unfinished} imports have not finished.")


def open_quit_question(parent: QWidget, unfinished: int,
                       quit_now: Callable[[], None]) -> QMessageBox:
    """Open the question (window-modal, not blocking); "Keep running" is the default and
    Esc; "Quit" calls ``quit_now``. The box deletes itself when closed."""
    box = QMessageBox(QMessageBox.Icon.Question, "Quit Repofolio?", quit_text(unfinished),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(RESUME_TEXT)
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("&Keep running", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda button: button is quit_button and quit_now())
    box.open()
    return box
