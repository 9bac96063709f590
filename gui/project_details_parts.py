"""The pieces the details pane is built from: labels, headings, chips and the facts it lists.

Every label shows plain text (README-derived and GitHub text is never HTML
here) and wraps, so nothing is cut at the pane's edge at any scale. Colours
come from the palette when they are painted (no style sheet, no colour set
once), so a switch between a light and a dark system scheme repaints them.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy

from gui.project_cards import mix

STACK_CAPTIONS = (("languages", "Languages"), ("frameworks", "Frameworks and libraries"),
                  ("tools", "Tools and services"))
CHIP_PAD = (8, 2)  # horizontal, vertical


class MutedLabel(QLabel):
    """Secondary text: the window text moved towards the background, again at every
    palette change (a colour set once would stay light-scheme grey in a dark scheme)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tinting = False
        self._tint()

    def _tint(self) -> None:
        self._tinting = True
        source = self.parentWidget().palette() if self.parentWidget() else QLabel().palette()
        palette = self.palette()
        role = QPalette.ColorRole.WindowText
        palette.setColor(role, mix(source.color(role), source.color(QPalette.ColorRole.Window),
                                   0.32))
        self.setPalette(palette)
        self._tinting = False

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange) and (
                not self._tinting):
            self._tint()


class Chip(QLabel):
    """A name in a rounded box, drawn in the palette's colours when it is painted."""

    def __init__(self, text: str, parent=None):
        super().__init__(text, parent)
        self.setObjectName("chip")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setContentsMargins(CHIP_PAD[0], CHIP_PAD[1], CHIP_PAD[0], CHIP_PAD[1])

    def paintEvent(self, event) -> None:  # noqa: N802
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(
            QPalette.ColorRole.WindowText)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(mix(base, text, 0.25), 1.0))
        painter.setBrush(mix(base, text, 0.07))
        box = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
        painter.end()
        super().paintEvent(event)


def plain_label(*, bold: bool = False, scale: float = 1.0, muted: bool = False) -> QLabel:
    """A wrapping, selectable label that never interprets its text as HTML."""
    label = MutedLabel() if muted else QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if bold or scale != 1.0:
        font = label.font()
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


def heading(text: str) -> QLabel:
    """A section's title: bold, a little larger, with room above it."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.08)
    label.setFont(font)
    label.setContentsMargins(0, 10, 0, 2)
    return label


def chip(text: str) -> QLabel:
    return Chip(text)


def stack_groups(stack: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """(caption, names) for each part of the tech stack that has any."""
    return [(caption, list(stack.get(key) or [])) for key, caption in STACK_CAPTIONS
            if stack.get(key)]


def _local(iso_time: str | None) -> str:
    if not iso_time:
        return ""
    moment = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def fact_rows(data: dict) -> list[tuple[str, str]]:
    """The facts section, from a project in the JSON shape of DESIGN §6."""
    languages = data.get("languages") or {}
    total = sum(languages.values()) or 1
    shares = ", ".join(f"{name} {100 * size / total:.0f} %" for name, size in
                       sorted(languages.items(), key=lambda kv: -kv[1])[:4])
    analyzer = data.get("analyzer") or ""
    rows = [("Stars", f"{data['stars']:,}"), ("Forks", f"{data['forks']:,}"),
            ("License", data.get("license") or "None given"),
            ("Category", data.get("category") or ""),
            ("Languages", shares),
            ("Homepage", data.get("homepage") or ""),
            ("Default branch", data.get("default_branch") or ""),
            ("Imported", _local(data.get("imported_at"))),
            ("Updated", _local(data.get("updated_at"))),
            ("Written by", "the offline analyzer" if analyzer == "heuristic"
             else analyzer.replace("openai:", "the AI model ")),
            ]
    return [(name, value) for name, value in rows if value]
