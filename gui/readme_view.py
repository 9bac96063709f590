"""The README as a document: rendered, styled, and unable to load anything.

The README is untrusted text. :class:`SafeReadmeBrowser` renders it but loads
no resource of any kind (remote, ``file://``, relative, ``data:``), and
follows no link by itself: a click on an http(s) link opens the system
browser, anything else is ignored. Code blocks get a tinted frame with room
around the text, in colours taken from the palette (light or dark).

In the details pane it is as tall as its text (``fit_to_text``): the pane
scrolls as one page, README included, instead of boxing it in a small area.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSize, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices, QPalette, QTextCursor, QTextFormat, QTextFrameFormat,
)
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QSizePolicy, QTextBrowser

from gui.project_cards import mix
from gui.readme_text import (
    MAX_README_CHARS, close_void_tags, images_as_text, plain_text_html, too_complex_to_format,
)

log = logging.getLogger(__name__)

SAFE_LINK_SCHEMES = ("http", "https")
MAX_CODE_FRAMES = 300  # styling is a walk over the blocks; past this many, leave them plain
CODE_PAD = 8
PAGE_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Up, Qt.Key.Key_Down,
             Qt.Key.Key_Home, Qt.Key.Key_End)


def _style_sheet(palette: QPalette) -> str:
    """Qt's HTML subset: tables with rules, some air around headings and lists."""
    rule = mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text),
               0.25).name()
    return (f"table {{ border-collapse: collapse; margin-top: 6px; margin-bottom: 10px; }}"
            f"th, td {{ border: 1px solid {rule}; padding: 3px 6px; }}"
            "h1, h2, h3 { margin-top: 14px; margin-bottom: 6px; }"
            "dt { font-weight: bold; }")


class SafeReadmeBrowser(QTextBrowser):
    """A QTextBrowser that never loads a resource and opens only http(s) links, on click."""

    def __init__(self, parent=None, *, fit_to_text: bool = False):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.refused_resources: list[str] = []  # for the curious (and the tests)
        self.anchorClicked.connect(self.open_link)
        self.fit_to_text = fit_to_text
        if fit_to_text:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.setFrameShape(QFrame.Shape.NoFrame)
            self.document().documentLayout().documentSizeChanged.connect(self._fit)
            self.cursorPositionChanged.connect(self._reveal_cursor)
        self.setAccessibleName("README")

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

    # -- showing --------------------------------------------------------------------------

    def show_markdown(self, text: str, *, truncated: bool = False) -> None:
        if len(text) > MAX_README_CHARS:
            text, truncated = text[:MAX_README_CHARS], True
        if too_complex_to_format(text):
            note = "(README shortened and shown" if truncated else "(README shown"
            self.setPlainText(f"{note} as plain text: it is too large to format.)\n\n{text}")
            return
        if truncated:
            text += "\n\n*(README shortened.)*"
        self.document().setDefaultStyleSheet(_style_sheet(self.palette()))
        self.setMarkdown(close_void_tags(images_as_text(text)))
        self.style_code_blocks()

    def show_html(self, html: str) -> None:
        """HTML that we made (from rST by docutils); still loads nothing."""
        self.document().setDefaultStyleSheet(_style_sheet(self.palette()))
        self.setHtml(html)
        self.style_code_blocks()

    def show_plain(self, text: str, note: str) -> None:
        self.setHtml(plain_text_html(text, note))
        self.style_code_blocks()

    def style_code_blocks(self) -> int:
        """Put each run of code lines in a tinted frame with padding; returns how many.

        Markdown code blocks carry a code-language property; HTML ``<pre>`` blocks do
        not break lines. Lines inside lists and tables stay as they are."""
        document = self.document()
        runs: list[tuple[int, int]] = []
        block, start, end = document.begin(), None, None
        while block.isValid():
            fmt = block.blockFormat()
            code = (fmt.hasProperty(QTextFormat.Property.BlockCodeLanguage)
                    or fmt.nonBreakableLines())
            if code and block.textList() is None and QTextCursor(block).currentTable() is None:
                start = block.position() if start is None else start
                end = block.position() + block.length() - 1
            elif start is not None:
                runs.append((start, end))
                start = None
                if len(runs) > MAX_CODE_FRAMES:
                    return 0
            block = block.next()
        if start is not None:
            runs.append((start, end))
        if not runs:
            return 0
        palette = self.palette()
        frame = QTextFrameFormat()
        frame.setBackground(mix(palette.color(QPalette.ColorRole.Base),
                                palette.color(QPalette.ColorRole.Text), 0.07))
        frame.setPadding(CODE_PAD)
        frame.setBorder(0)
        frame.setTopMargin(4)
        frame.setBottomMargin(10)
        for first, last in reversed(runs):  # from the end: earlier positions stay valid
            cursor = QTextCursor(document)
            cursor.setPosition(first)
            cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertFrame(frame)
        return len(runs)

    # -- as tall as the text --------------------------------------------------------------

    def _fit(self, size=None) -> None:
        height = self.document().size().height() if size is None else size.height()
        margins = self.contentsMargins()
        bar = self.horizontalScrollBar()
        extra = bar.sizeHint().height() if bar.isVisible() else 0
        self.setFixedHeight(int(height) + margins.top() + margins.bottom() + extra + 2)

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        if self.fit_to_text:
            hint.setHeight(self.height())
        return hint

    def wheelEvent(self, event) -> None:  # noqa: N802
        """As tall as its text, it has nothing to scroll: the page around it scrolls."""
        if self.fit_to_text and event.angleDelta().y():
            event.ignore()
            return
        super().wheelEvent(event)

    def _page(self) -> QScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent

    def keyPressEvent(self, event) -> None:  # noqa: N802
        """Page keys and arrows scroll the page around the README (it has no scroll of its
        own); Tab still walks its links."""
        page = self._page() if self.fit_to_text else None
        if page is not None and event.key() in PAGE_KEYS and not event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier):
            QApplication.sendEvent(page.verticalScrollBar(), event)
            return
        super().keyPressEvent(event)

    def _reveal_cursor(self) -> None:
        """A link reached with Tab is scrolled into view on the page."""
        page = self._page()
        if page is not None and self.hasFocus():
            rect = self.cursorRect()
            corner = self.viewport().mapTo(page.widget(), rect.center())
            page.ensureVisible(corner.x(), corner.y(), 10, rect.height() * 2)
