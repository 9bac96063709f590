"""Data that crosses the analysis boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from core.github.snapshot import RepoSnapshot

CATEGORIES: tuple[str, ...] = (
    "AI & Machine Learning",
    "Web Application",
    "Mobile App",
    "Developer Tool",
    "Library / Framework",
    "Command-Line Tool",
    "Data & Analytics",
    "DevOps & Infrastructure",
    "Game",
    "Education",
    "Design & Creative",
    "Hardware & IoT",
    "Security",
    "Science & Research",
    "Other",
)


@dataclass
class TechStack:
    """Display names of technologies (never file names)."""

    languages: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str]]:
        return {"languages": list(self.languages), "frameworks": list(self.frameworks),
                "tools": list(self.tools)}

    def names(self) -> list[str]:
        return [*self.languages, *self.frameworks, *self.tools]


@dataclass
class Analysis:
    """The portfolio text for one repository, ready to save."""

    description: str
    summary: str
    tags: list[str]
    category: str
    highlights: list[str]
    tech_stack: TechStack
    analyzer: str  # "heuristic" or "openai:<model>"
    note: str = ""  # e.g. "AI output was unusable; used the offline analyzer"


class Analyzer(Protocol):
    """Anything that writes an Analysis for a snapshot."""

    name: str

    def analyze(self, snapshot: RepoSnapshot, stack: TechStack) -> Analysis: ...
