"""The pieces the details pane is built from: labels, headings, chips and the facts it lists.

Every label shows plain text (README-derived and GitHub text is never HTML
here) and wraps, so nothing is cut at the pane's edge at any scale. Chips
take their colours from the palette through the style sheet, so they follow
a light or dark system scheme.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy

from gui.project_cards import mix

STACK_CAPTIONS = (("languages", "Languages"), ("frameworks", "Frameworks and libraries"),
                  ("tools", "Tools and services"))
# palette(...) follows the application palette, light or dark.
CHIP_STYLE = ("QLabel#chip { border: 1px solid palette(mid); border-radius: 9px;"
              " padding: 1px 8px; background-color: palette(alternate-base); }")


def plain_label(*, bold: bool = False, scale: float = 1.0, muted: bool = False) -> QLabel:
    """A wrapping, selectable label that never interprets its text as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if bold or scale != 1.0:
        font = label.font()
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    if muted:
        palette = label.palette()
        role = QPalette.ColorRole.WindowText
        palette.setColor(role, mix(palette.color(role), palette.color(QPalette.ColorRole.Window),
                                   0.3))
        label.setPalette(palette)
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
    label = QLabel(text)
    label.setObjectName("chip")
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


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
