"""The details pane: one project as a page — what it is, its stack, its facts, its README.

A fixed header names the project and holds its actions (Open on GitHub,
Refresh, Delete, the showcase and private flags). Below it one page scrolls
as a whole: description, summary, highlights, the tech stack and tags as
chips, the facts, and the README as tall as its text. Everything from
GitHub is shown as plain text; the README is rendered by
:class:`gui.readme_view.SafeReadmeBrowser`, which loads nothing. An rST
README is rendered to HTML by docutils off the GUI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QFrame, QLabel, QPushButton, QScrollArea, QStackedWidget,
    QVBoxLayout, QWidget,
)

from core import catalog
from core.errors import NotFound
from core.models import Project
from core.records import project_dict
from gui.background import BackgroundRunner
from gui.busy import BUSY_ERRORS, catalog_busy
from gui.flow_layout import FlowLayout
from gui.icons import themed
from gui.project_details_parts import chip, fact_rows, heading, plain_label, stack_groups
from gui.readme_text import MAX_README_CHARS, looks_like_rst, rst_to_html
from gui.readme_view import SafeReadmeBrowser

log = logging.getLogger(__name__)

NO_README = "*This repository has no README.*"


class ProjectDetails(QWidget):
    """Shows the selected project and offers Open on GitHub, Refresh, Delete and the flags."""

    delete_requested = Signal(int)  # the window confirms and deletes
    refresh_requested = Signal(int)  # the window queues a refresh
    project_changed = Signal(int)  # a flag changed: the list should refresh
    notice = Signal(str)  # a one-line message for the status bar

    def __init__(self, parent=None, *, runner: BackgroundRunner | None = None):
        super().__init__(parent)
        self.runner = runner  # renders rST off the GUI thread when given
        self.project: dict | None = None
        self._shown_version: tuple | None = None  # what the page shows (see _version)
        self._render_ticket = 0  # an rST rendering that comes back late is dropped

        self.title = plain_label(bold=True, scale=1.45)
        self.full_name = plain_label(muted=True)
        self.marks = plain_label(muted=True)
        self.open_button = themed(QPushButton("Open on &GitHub"), "open-external")
        self.refresh_button = themed(QPushButton("&Refresh"), "refresh")
        self.refresh_button.setToolTip("Fetch it from GitHub again and rewrite its description")
        self.delete_button = themed(QPushButton("&Delete…"), "delete")
        self.showcase = QCheckBox("Sho&wcase")
        self.showcase.setToolTip("Show this project in the published portfolio")
        self.private = QCheckBox("Priva&te")
        self.private.setToolTip("Keep this project out of anything you share")
        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(4, 0, 4, 6)
        header_layout.setSpacing(2)
        for widget in (self.title, self.full_name, self.marks):
            header_layout.addWidget(widget)
        actions = FlowLayout(spacing=6)
        for widget in (self.open_button, self.refresh_button, self.delete_button,
                       self.showcase, self.private):
            actions.addWidget(widget)
        header_layout.addSpacing(4)
        header_layout.addLayout(actions)

        self.description = plain_label()
        self.summary = plain_label()
        self.highlights = plain_label()
        self.tech_stack = QWidget()
        self.tech_stack.setLayout(QVBoxLayout())
        self.tech_stack.layout().setContentsMargins(0, 0, 0, 0)
        self.tags = QWidget()
        self.tags.setLayout(FlowLayout(spacing=5))
        self.facts = QWidget()
        self.facts_form = QFormLayout(self.facts)
        self.facts_form.setContentsMargins(0, 0, 0, 0)
        self.facts_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.readme = SafeReadmeBrowser(fit_to_text=True)

        page = QWidget()
        page.setObjectName("details-page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 0, 8, 8)
        self.sections: dict[str, tuple[QLabel, QWidget]] = {}
        for name, widget in (("About", self.description), ("Summary", self.summary),
                             ("Highlights", self.highlights), ("Tech stack", self.tech_stack),
                             ("Tags", self.tags), ("Facts", self.facts),
                             ("README", self.readme)):
            title = heading(name)
            title.setBuddy(widget)
            layout.addWidget(title)
            layout.addWidget(widget)
            self.sections[name] = (title, widget)
        layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Page Up/Down, arrows
        self.scroll.setAccessibleName("Project details")
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(header)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        content_layout.addWidget(line)
        content_layout.addWidget(self.scroll, 1)

        self.placeholder = QLabel("Select a project to see its details.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.placeholder.setWordWrap(True)
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

    @staticmethod
    def _version(project_id: int) -> tuple | None:
        """What decides whether the page is current: one small row, no README."""
        return (Project.select(Project.updated_at, Project.is_showcase, Project.is_private)
                .where(Project.id == project_id).tuples().first())

    def show_project(self, project_id: int | None, *, force: bool = False) -> None:
        """Show a project (None: the placeholder). The same project again is only read
        again when it changed (a refresh, a flag), so reselecting it costs one small read."""
        if (project_id and not force and self.project is not None
                and self.project["id"] == project_id):
            self.refresh_if_changed()
            return
        project = Project.get_or_none(Project.id == project_id) if project_id else None
        if project is None:
            self._clear()
            return
        data = project_dict(project, with_readme=True)
        self.project = data
        self._shown_version = (project.updated_at, project.is_showcase, project.is_private)
        self.title.setText(data["title"])
        self.full_name.setText(data["full_name"])
        marks = ["★ Showcased" if data["is_showcase"] else "Not in the showcase"]
        if data["is_private"]:
            marks.append("Private")
        self.marks.setText("  ·  ".join(marks))
        self.description.setText(data["description"] or "No description.")
        self._fill_section("Summary", self.summary, data["summary"])
        self._fill_section("Highlights", self.highlights,
                           "\n".join(f"•  {h}" for h in data["highlights"]))
        self._fill_stack(data["tech_stack"])
        self._fill_chips(self.tags.layout(), data["tags"])
        self._set_section_visible("Tags", bool(data["tags"]))
        self._fill_facts(data)
        self.showcase.setChecked(data["is_showcase"])
        self.private.setChecked(data["is_private"])
        self.open_button.setEnabled(data["url"].startswith(("https://", "http://")))
        self._show_readme(data.get("readme") or "", bool(data.get("readme_truncated")))
        self.pages.setCurrentWidget(self.pages.widget(1))
        self.scroll.verticalScrollBar().setValue(0)

    def _clear(self) -> None:
        self.project = None
        self._shown_version = None
        self._render_ticket += 1
        self.readme.clear()
        self.pages.setCurrentWidget(self.placeholder)

    def _fill_section(self, name: str, label: QLabel, text: str) -> None:
        label.setText(text)
        self._set_section_visible(name, bool(text))

    def _set_section_visible(self, name: str, visible: bool) -> None:
        for widget in self.sections[name]:
            widget.setVisible(visible)

    @staticmethod
    def _fill_chips(layout: FlowLayout, names: list[str]) -> None:
        layout.clear()
        for name in names:
            layout.addWidget(chip(name))

    def _fill_stack(self, stack: dict[str, list[str]]) -> None:
        box = self.tech_stack.layout()
        while box.count():
            widget = box.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.setParent(None)
                widget.deleteLater()
        groups = stack_groups(stack)
        for caption, names in groups:
            label = plain_label(muted=True, scale=0.9)
            label.setText(caption)
            row = QWidget()
            flow = FlowLayout(row, spacing=5)
            self._fill_chips(flow, names)
            row.setAccessibleName(f"{caption}: {', '.join(names)}")
            box.addWidget(label)
            box.addWidget(row)
        self._set_section_visible("Tech stack", bool(groups))

    def _fill_facts(self, data: dict) -> None:
        while self.facts_form.rowCount():
            self.facts_form.removeRow(0)
        for name, value in fact_rows(data):
            label = plain_label()
            label.setText(value)
            label.setAccessibleName(name)
            self.facts_form.addRow(f"{name}:", label)

    def chip_texts(self, section: str) -> list[str]:
        """The chips a section shows (``"Tech stack"`` or ``"Tags"``), in order."""
        widget = self.sections[section][1]
        return [c.text() for c in widget.findChildren(QLabel, "chip") if not c.isHidden()
                and c.parent() is not None]

    def fact_texts(self) -> dict[str, str]:
        form = self.facts_form
        texts = {}
        for row in range(form.rowCount()):
            name = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text()
            value = form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget().text()
            texts[name.rstrip(":")] = value
        return texts

    def _show_readme(self, text: str, truncated: bool) -> None:
        self._render_ticket += 1
        if not text.strip():
            self.readme.show_markdown(NO_README)
            return
        if not looks_like_rst(text):
            self.readme.show_markdown(text, truncated=truncated)
            return
        text = text[:MAX_README_CHARS]
        ticket, note = self._render_ticket, "(README shortened.)" if truncated else ""
        if self.runner is None:
            self._show_rst(ticket, self._render_rst(text, note))
            return
        self.readme.show_markdown("*Rendering the README…*")
        self.runner.run(lambda: self._render_rst(text, note),
                        lambda html: self._show_rst(ticket, html),
                        lambda error: self._show_rst(ticket, None, text))

    @staticmethod
    def _render_rst(text: str, note: str) -> str:
        """Runs on a pool thread: docutils only, no widget."""
        html = rst_to_html(text)
        return html + (f"<p><i>{note}</i></p>" if note else "")

    def _show_rst(self, ticket: int, html: str | None, text: str = "") -> None:
        if ticket != self._render_ticket:
            return  # another project (or none) is shown now
        if html is None:
            log.info("An rST README could not be rendered; shown as text")
            self.readme.show_plain(text, "(README shown as text: it could not be formatted.)")
            return
        self.readme.show_html(html)

    def refresh(self) -> None:
        self.show_project(self.project["id"] if self.project else None, force=True)

    def refresh_if_changed(self) -> None:
        """Read the shown project again only if it changed, or clear the page if it is gone."""
        if self.project is None:
            return
        version = self._version(self.project["id"])
        if version is None:
            self._clear()
        elif version != self._shown_version:
            self.refresh()

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
