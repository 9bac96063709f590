"""Filler: highlight bullets that pad instead of saying what a project does or offers.

Stars, forks and download counts, the license, the languages, a "built with" list of
the stack and the latest release are shown elsewhere on a project's card (or say
nothing about it); the offline analyzer never writes them and AI output loses them.
"""

from __future__ import annotations

import re

_FILLER = re.compile(
    r"(?i)\b\d[\d,.]*\s*k?\+?\s*(github\s+)?(stars?|forks?|stargazers|downloads|contributors)\b|"
    r"\bstars? on github\b|\b(mit|bsd|apache|gpl|lgpl|mpl|isc)[\w.-]*\s+licen[sc]|"
    r"\blicen[sc]ed?\b|^\s*(written|implemented|coded) in\b|^\s*built (with|using|on)\b|"
    r"^\s*(latest|current) (release|version)\b|^\s*(uses|languages?):")


def is_filler(text: str) -> bool:
    """A bullet that pads: stars, forks, license, languages, the stack, the latest release."""
    return bool(_FILLER.search(text or ""))
