"""Hand-made labels of what a reader should see in a corpus repository's stack, and scoring.

A labels file (``tests/data/labels/*.json``) maps a corpus folder to
``{"ecosystem", "expected": [...], "also_true": [...]}``. ``expected`` names what a
reader of the portfolio should see (``"Jinja|Jinja2"`` accepts either spelling);
``also_true`` names what the repository's files really declare or use without being
worth expecting (a minor dependency, a CI helper). A claimed name in neither list is
a wrong claim: either the detection is wrong, or the label misses a true fact —
which is decided by reading the repository's files, never by editing labels to fit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Label:
    folder: str
    ecosystem: str
    expected: tuple[frozenset[str], ...]  # each item: accepted spellings, normalised
    also_true: frozenset[str]


@dataclass(frozen=True)
class Score:
    found: int
    expected: int
    missed: list[str]
    wrong: list[str]


def norm(name: str) -> str:
    """Compare names loosely: case, spaces and punctuation other than + and # do not count."""
    return re.sub(r"[^a-z0-9+#]", "", name.lower())


def load_labels(path: Path) -> dict[str, Label]:
    data = json.loads(Path(path).read_text())
    return {folder: Label(folder, entry["ecosystem"],
                          tuple(frozenset(norm(n) for n in item.split("|"))
                                for item in entry["expected"]),
                          frozenset(norm(n) for n in entry.get("also_true", [])))
            for folder, entry in data.items() if not folder.startswith("_")}


def score(label: Label, claimed: list[str]) -> Score:
    got = {norm(n): n for n in claimed}
    missed = [sorted(item)[0] for item in label.expected if not item & got.keys()]
    allowed = set().union(*label.expected, label.also_true) if label.expected else label.also_true
    wrong = [name for key, name in got.items() if key not in allowed]
    return Score(len(label.expected) - len(missed), len(label.expected), missed, wrong)


# Filler: facts the card shows anyway (stars, license, languages) or release trivia.
FILLER = re.compile(r"(?i)\b\d[\d,.]*\s*k?\s+(stars|forks)\b|\bstars? on github\b|"
                    r"\blicen[sc]e[d]?\b|^written in\b|^built with\b|^latest release\b")


def filler_highlights(highlights: list[str]) -> list[str]:
    return [h for h in highlights if FILLER.search(h)]
