"""The details pane: one project's portfolio text, facts, flags and README.

The README is untrusted Markdown. :class:`SafeReadmeBrowser` renders it but
loads no resource of any kind (remote, ``file://``, relative, ``data:``), and
follows no link by itself: a click on an http(s) link opens the system browser,
anything else is ignored.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter,
    QStackedWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from core import catalog
from core.errors import NotFound
from core.models import Project
from core.records import project_dict
from gui.busy import BUSY_ERRORS, catalog_busy
from gui.icons import icon

log = logging.getLogger(__name__)

MAX_README_CHARS = 300_000  # rendering more would stall the GUI thread
# Qt's Markdown import and layout grow faster than linearly with the items of one list and
# the cells of tables (60,000 list items: minutes). Past these counts the README is shown as
# plain text, which costs the same for any shape of text.
MAX_LIST_ITEMS = 3000
MAX_TABLE_PIPES = 6000
SAFE_LINK_SCHEMES = ("http", "https")
# Every pattern here runs on README text on the GUI thread, so none may backtrack
# quadratically: each repeated class excludes the characters that could start or end the
# next attempt (so "![" * 20000 is one pass, not 20,000 scans to the end of the text).
# HTML void elements written without "/>" make Qt's Markdown reader drop the rest of the text.
_VOID_TAG = re.compile(
    r"<(area|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^<>]*?)/?>", re.IGNORECASE)
# ![alt](target): the alt holds no bracket (a badge inside a link, [![b](u)](l), keeps its
# link); the target may hold one level of parentheses, as Wikipedia addresses do.
_MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_HTML_IMAGE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]", re.MULTILINE)
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def _image_text(alt: str) -> str:
    alt = " ".join(alt.replace("[", "(").replace("]", ")").replace("<", "").split())
    return f"(image: {alt})" if alt else ""


def images_as_text(markdown: str) -> str:
    """Show each image as its alt text: images are never loaded, so this reads better."""
    markdown = _MARKDOWN_IMAGE.sub(lambda m: _image_text(m.group(1)), markdown)

    def html_image(match: re.Match) -> str:
        alt = _ALT.search(match.group(0))
        return _image_text(alt.group(2) if alt else "")
    return _HTML_IMAGE.sub(html_image, markdown)


def too_complex_to_format(markdown: str) -> bool:
    """True when Qt would take seconds to lay the Markdown out (long lists, big tables)."""
    if markdown.count("|") > MAX_TABLE_PIPES:
        return True
    items = 0
    for _ in _LIST_ITEM.finditer(markdown):
        items += 1
        if items > MAX_LIST_ITEMS:
            return True
    return False


def close_void_tags(markdown: str) -> str:
    """``<img src=x>`` -> ``<img src=x />``, so everything after an HTML image still shows."""
    return _VOID_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2).rstrip()} />", markdown)


class SafeReadmeBrowser(QTextBrowser):
    """A QTextBrowser that never loads a resource and opens only http(s) links, on click."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.refused_resources: list[str] = []  # for the curious (and the tests)
        self.anchorClicked.connect(self.open_link)

    def loadResource(self, resource_type: int, url: QUrl) -> QByteArray:  # noqa: N802
        """Refuse every resource: images in a README must not reach the network or disk.

        The answer must be an empty value, not None: for a null answer,
        ``QTextDocument::loadResource`` falls back to decoding ``data:`` URLs and to
        reading ``file://`` and relative paths from the local disk itself.
        """
        self.refused_resources.append(url.toString())
        return QByteArray()

    def open_link(self, url: QUrl) -> bool:
        if url.scheme().lower() in SAFE_LINK_SCHEMES and url.host():
            return QDesktopServices.openUrl(url)
        log.info("Ignored a README link with scheme %r", url.scheme())
        return False

    def show_markdown(self, text: str, *, truncated: bool = False) -> None:
        if len(text) > MAX_README_CHARS:
            text, truncated = text[:MAX_README_CHARS], True
        if too_complex_to_format(text):
            note = "(README shortened and shown" if truncated else "(README shown"
            self.setPlainText(f"{note} as plain text: it is too large to format.)\n\n{text}")
            return
        if truncated:
            text += "\n\n*(README shortened.)*"
        self.setMarkdown(close_void_tags(images_as_text(text)))


def _plain_label(*, bold: bool = False, scale: float = 1.0) -> QLabel:
    """A label that never interprets its text as HTML (the text comes from GitHub)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold or scale != 1.0:
        font = label.font()
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


class ProjectDetails(QWidget):
    """Shows the selected project and offers Open on GitHub, Delete and the two flags."""

    delete_requested = Signal(int)  # the window confirms and deletes
    refresh_requested = Signal(int)  # the window queues a refresh
    project_changed = Signal(int)  # a flag changed: the list should refresh
    notice = Signal(str)  # a one-line message for the status bar

    def __init__(self, parent=None):
        super().__init__(parent)
        self.project: dict | None = None
        self.title = _plain_label(bold=True, scale=1.5)
        self.full_name = _plain_label()
        self.description = _plain_label()
        self.facts = _plain_label()
        self.summary = _plain_label()
        self.highlights = _plain_label()
        self.tags = _plain_label()
        self.tech_stack = _plain_label()
        self.open_button = QPushButton(icon("open-external"), "Open on GitHub")
        self.delete_button = QPushButton(icon("delete"), "Delete…")
        self.refresh_button = QPushButton(icon("refresh"), "Refresh")
        self.refresh_button.setToolTip("Fetch it from GitHub again and rewrite its description")
        self.showcase = QCheckBox("Showcase")
        self.showcase.setToolTip("Show this project in the portfolio")
        self.private = QCheckBox("Private")
        self.private.setToolTip("Keep this project out of anything you share")
        self.readme = SafeReadmeBrowser()

        buttons = QHBoxLayout()
        for widget in (self.open_button, self.refresh_button, self.delete_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        flags = QHBoxLayout()
        for widget in (self.showcase, self.private):
            flags.addWidget(widget)
        flags.addStretch(1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Summary", self.summary)
        form.addRow("Highlights", self.highlights)
        form.addRow("Tags", self.tags)
        form.addRow("Tech stack", self.tech_stack)
        facts = QWidget()
        layout = QVBoxLayout(facts)
        layout.setContentsMargins(0, 0, 4, 0)
        for widget in (self.title, self.full_name, self.description, self.facts):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addLayout(flags)
        layout.addLayout(form)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(facts)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The portfolio text above, the README below; the user moves the line between.
        content = QSplitter(Qt.Orientation.Vertical)
        content.setObjectName("details-splitter")
        content.setChildrenCollapsible(False)
        content.addWidget(scroll)
        content.addWidget(self.readme)
        content.setStretchFactor(0, 1)
        content.setStretchFactor(1, 1)

        self.placeholder = QLabel("Select a project to see its details.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self.open_button.clicked.connect(self.open_on_github)
        self.delete_button.clicked.connect(
            lambda: self.project and self.delete_requested.emit(self.project["id"]))
        self.refresh_button.clicked.connect(
            lambda: self.project and self.refresh_requested.emit(self.project["id"]))
        self.showcase.clicked.connect(lambda checked: self.set_flags(showcase=checked))
        self.private.clicked.connect(lambda checked: self.set_flags(private=checked))

    # -- showing --------------------------------------------------------------------------

    def show_project(self, project_id: int | None) -> None:
        project = Project.get_or_none(Project.id == project_id) if project_id else None
        if project is None:
            self.project = None
            self.readme.clear()
            self.pages.setCurrentWidget(self.placeholder)
            return
        data = project_dict(project, with_readme=True)
        self.project = data
        self.title.setText(data["title"])
        self.full_name.setText(data["full_name"])
        self.description.setText(data["description"] or "No description.")
        facts = [f"★ {data['stars']:,} stars", f"{data['forks']:,} forks",
                 data["license"] or "No license", data["category"]]
        self.facts.setText("  ·  ".join(facts))
        self.summary.setText(data["summary"] or "—")
        self.highlights.setText("\n".join(f"• {h}" for h in data["highlights"]) or "—")
        self.tags.setText(", ".join(data["tags"]) or "—")
        stack = data["tech_stack"]
        self.tech_stack.setText(", ".join(
            stack["languages"] + stack["frameworks"] + stack["tools"]) or "—")
        self.showcase.setChecked(data["is_showcase"])
        self.private.setChecked(data["is_private"])
        self.open_button.setEnabled(data["url"].startswith(("https://", "http://")))
        self.readme.show_markdown(data.get("readme") or "*This repository has no README.*",
                                  truncated=bool(data.get("readme_truncated")))
        self.pages.setCurrentWidget(self.pages.widget(1))

    def refresh(self) -> None:
        self.show_project(self.project["id"] if self.project else None)

    # -- acting ---------------------------------------------------------------------------

    def open_on_github(self) -> bool:
        if not self.project:
            return False
        return self.readme.open_link(QUrl(self.project["url"]))

    def set_flags(self, *, showcase: bool | None = None, private: bool | None = None) -> None:
        if not self.project:
            return
        try:
            catalog.set_flags(self.project["id"], showcase=showcase, private=private)
        except NotFound:  # deleted meanwhile (from the command line)
            self.show_project(None)
            return
        except BUSY_ERRORS as error:
            self.refresh()  # the box shows the flag as it still is
            self.notice.emit(catalog_busy(error))
            return
        project_id = self.project["id"]
        self.refresh()
        self.project_changed.emit(project_id)
