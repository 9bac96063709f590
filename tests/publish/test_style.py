"""The stylesheet's colours meet WCAG 2 AA contrast in both schemes: 4.5:1 for text on
every background it sits on, 3:1 for the focus ring against the page."""

from __future__ import annotations

import re

import pytest

from core.publish.site import environment

TEXT_PAIRS = [("fg", "bg"), ("fg", "surface"), ("muted", "bg"), ("muted", "surface"),
              ("link", "bg"), ("link", "surface"), ("chip-fg", "chip"), ("accent-fg", "accent")]


def palettes() -> dict[str, dict[str, str]]:
    css = environment().get_template("style.css").render(category_keys=[])
    light = re.search(r"^:root \{(.*?)\}", css, re.S | re.M)[1]
    dark = re.search(r"prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", css, re.S)[1]
    return {name: dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))
            for name, block in (("light", light), ("dark", dark))}


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_4_5_to_1(scheme):
    colours = palettes()[scheme]
    assert set(colours) >= {name for pair in TEXT_PAIRS for name in pair} | {"focus"}
    low = {f"{fg} on {bg}": round(contrast(colours[fg], colours[bg]), 2)
           for fg, bg in TEXT_PAIRS if contrast(colours[fg], colours[bg]) < 4.5}
    assert low == {}
    assert contrast(colours["focus"], colours["bg"]) >= 3
    assert contrast(colours["focus"], colours["surface"]) >= 3


def test_the_two_schemes_differ():
    both = palettes()
    assert both["light"]["bg"] != both["dark"]["bg"]


def test_contrast_formula_on_known_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
