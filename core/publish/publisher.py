"""One publish from start to end: select, build, render, write, push (DESIGN §7).

``publish(options)`` returns the ``--json`` answer of DESIGN §5:
``{"out", "projects", "files", "commit"}``. It reads the catalog, so the
caller has opened it (a ``Runtime`` does); it never imports Qt, and the window
calls it on a worker thread with a ``progress`` callback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from core.catalog import profile_named
from core.publish import output
from core.publish.content import Portfolio, build
from core.publish.deploy import deploy
from core.publish.markdown import render_markdown
from core.publish.options import JSON, MARKDOWN, SITE, PublishOptions
from core.publish.selection import default_intro, default_title, shown_projects
from core.publish.site import render_site
from core.timeutil import iso, utcnow

JSON_FILE, MARKDOWN_FILE = "portfolio.json", "PORTFOLIO.md"
# Stages reported to ``progress(stage, text)``, in order.
READING, RENDERING, WRITING, PUSHING = "reading", "rendering", "writing", "pushing"
Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class PublishResult:
    out: str
    projects: int
    files: list[str]
    commit: str | None
    changed: bool  # False: the folder already held exactly this output

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` answer (DESIGN §5)."""
        return {"out": self.out, "projects": self.projects, "files": self.files,
                "commit": self.commit}


def feed_json(portfolio: Portfolio) -> str:
    """portfolio.json: ``{"title", "generated_at", "projects": [§6 without readme]}``."""
    return json.dumps({"title": portfolio.title, "generated_at": portfolio.generated_at,
                       "projects": portfolio.projects}, ensure_ascii=False, indent=2) + "\n"


def render(portfolio: Portfolio, formats: frozenset[str]) -> dict[str, bytes]:
    """Every file of the chosen formats, ``{relative path: bytes}``."""
    texts: dict[str, str] = {}
    if SITE in formats:
        feeds = [(name, label) for fmt, name, label in ((JSON, JSON_FILE, "JSON"),
                                                         (MARKDOWN, MARKDOWN_FILE, "Markdown"))
                 if fmt in formats]
        texts.update(render_site(portfolio, feeds))
    if MARKDOWN in formats:
        texts[MARKDOWN_FILE] = render_markdown(portfolio)
    if JSON in formats:
        texts[JSON_FILE] = feed_json(portfolio)
    return {name: text.encode("utf-8") for name, text in sorted(texts.items())}


def publish(options: PublishOptions, progress: Progress | None = None) -> PublishResult:
    tell = progress or (lambda stage, text: None)
    options = options.checked()
    out = options.out
    output.check_output_folder(out)  # before anything is read or written
    tell(READING, "Reading the catalog…")
    profile = profile_named(options.profile, create=False)
    projects = shown_projects(profile, options.include_private)
    title = options.title or default_title(profile, projects)
    intro = options.intro if options.intro is not None else default_intro(profile, len(projects))

    tell(RENDERING, f"Rendering {len(projects)} projects…")
    # The time of the output as it stands: an unchanged publish keeps the old one, so it
    # writes nothing and makes no commit.
    previous = output.previous_generated_at(out)
    existing = output.read_folder(out)
    portfolio = build(projects, title=title, intro=intro, generated_at=previous or iso(utcnow()))
    files = render(portfolio, options.formats)
    if previous is not None and files != existing:
        portfolio = build(projects, title=title, intro=intro, generated_at=iso(utcnow()))
        files = render(portfolio, options.formats)

    tell(WRITING, f"Writing {len(files)} files to {out}…")
    changed = output.replace_folder(out, files, existing)
    commit = None
    if options.git_remote:
        tell(PUSHING, f"Pushing to the {options.branch} branch…")
        commit = deploy(out, options.git_remote, options.branch,
                        message=f"Publish portfolio: {len(projects)} projects "
                                f"({portfolio.generated_at})")
    return PublishResult(out=str(out), projects=len(projects), files=sorted(files),
                         commit=commit, changed=changed)
