"""The card view: cards that fill the width, follow the font and the palette, cut nothing."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette

from gui.project_cards import MIN_CARD_WIDTH, card_height, elided_lines
from gui.project_model import ProjectListModel
from gui.project_views import ProjectCardView

LONG = ("A fast, portable and dependency-free command-line processor for structured data "
        "that slices, filters, maps and transforms it with the ease of sed and awk")


def test_a_long_description_takes_two_lines_and_says_it_goes_on(qtbot):
    font = QFont()
    lines = elided_lines(LONG, font, 260, 2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert elided_lines("Short.", font, 260, 2) == ["Short."]


def test_cards_grow_with_the_font():
    small, large = QFont(), QFont()
    small.setPointSizeF(9)
    large.setPointSizeF(18)
    text_lines = 5  # name, two of description, facts, chips: each grows with the font
    assert card_height(large) - card_height(small) >= text_lines * 9


def _view(qtbot, make_project, width):
    for n in range(4):
        make_project(f"o/p{n}", description=LONG, stars=n,
                     tech_stack={"languages": ["Go"], "frameworks": ["Cobra", "Viper"],
                                 "tools": ["Make"] * 0})
    model = ProjectListModel()
    model.reload()
    view = ProjectCardView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(width, 500)
    view.show()
    qtbot.waitExposed(view)
    return view, model


def test_cards_share_the_width_in_columns(qtbot, make_project):
    view, model = _view(qtbot, make_project, 2 * MIN_CARD_WIDTH + 60)
    first, second = (view.visualRect(model.index(r, 0)) for r in (0, 1))
    assert first.top() == second.top() and second.left() > first.left()  # side by side
    assert view.gridSize().width() * 2 <= view.viewport().width()
    view.resize(MIN_CARD_WIDTH + 40, 500)
    qtbot.waitUntil(lambda: view.visualRect(model.index(1, 0)).top()
                    > view.visualRect(model.index(0, 0)).top(), timeout=2000)


def test_a_card_is_drawn_in_the_palette_colours(qtbot, make_project):
    view, model = _view(qtbot, make_project, 700)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#141414"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    view.setPalette(palette)
    rect = view.visualRect(model.index(0, 0))
    image = view.viewport().grab(rect).toImage()
    inside = image.pixelColor(image.width() // 2, image.height() - 14)
    assert inside.lightness() < 60  # the card's own background: the dark base
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3)
               for y in range(0, image.height(), 3)}
    assert len(colours) > 10  # text and chips drawn on it
