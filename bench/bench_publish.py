"""Publishing 1,000 projects: time of each step, output sizes, an unchanged republish, a push.

Synthetic showcased projects (insert_many) with summaries, highlights and tech
stacks of realistic length; 10 % are private or hidden, so selection has work
to do. Times are medians of REPEAT runs, each into a fresh folder except the
"unchanged" run, which republishes into the same folder (nothing is written).
The push goes to a local bare repository (no network).
"""

from __future__ import annotations

import random
import subprocess
import sys

# _support comes first: importing it puts the project on sys.path.
from _support import Timer, machine, median, ms, table, temp_home

from core import ordering
from core.analysis.types import CATEGORIES
from core.db import ensure_profile, open_catalog
from core.models import Project, database
from core.publish import PublishOptions, publish
from core.publish.content import build
from core.publish.publisher import render
from core.publish.selection import shown_projects
from core.timeutil import utcnow

PROJECTS = 1_000
REPEAT = 5
FRAMEWORKS = ("Flask", "Django", "FastAPI", "React", "Vue", "Express", "Spring", "Rails",
              "Tokio", "Serde", "Click", "Jinja", "SQLAlchemy", "Pydantic", "Gin", "Cobra")
TOOLS = ("Docker", "GitHub Actions", "pytest", "npm", "Cargo", "Make", "PostgreSQL", "Redis",
         "pre-commit", "Ruff", "ESLint", "Webpack", "Vite", "Gradle", "Maven", "tox")
LANGUAGES = ("Python", "Rust", "Go", "JavaScript", "TypeScript", "Java", "Ruby", "C", "Shell")


def fill(rng: random.Random) -> None:
    profile = ensure_profile("default")
    now = utcnow()
    rows = []
    for n in range(PROJECTS):
        language = rng.choice(LANGUAGES)
        rows.append(dict(
            profile=profile, slug=f"owner-project-{n}", key=f"owner/project-{n}", github_id=n,
            full_name=f"owner/project-{n}", title=f"project-{n}",
            url=f"https://github.com/owner/project-{n}",
            description=f"A {language} project that does thing number {n} well.",
            summary=" ".join(["A portfolio paragraph about what the project offers."] * 6),
            category=rng.choice(CATEGORIES), tags=["tag", "another"],
            highlights=[f"Highlight {k} of project {n}" for k in range(4)],
            languages={language: 10_000}, stars=rng.randint(0, 50_000),
            tech_stack={"languages": [language], "frameworks": rng.sample(FRAMEWORKS, 3),
                        "tools": rng.sample(TOOLS, 4)},
            homepage=f"https://owner.example/{n}" if n % 3 == 0 else "",
            is_private=n % 20 == 0, is_showcase=n % 20 != 1, imported_at=now, updated_at=now))
    with database.atomic():
        for start in range(0, len(rows), 250):
            Project.insert_many(rows[start:start + 250]).execute()


def size(folder) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> int:
    rng = random.Random(8)
    with temp_home() as home:
        open_catalog(home / "repofolio.db")
        fill(rng)
        ordering.pin_to_top(Project.get(Project.slug == "owner-project-500").id)

        steps = {"select (catalog -> dicts)": [], "build (cards, skills)": [],
                 "render (all formats, in memory)": [], "whole publish, new folder": [],
                 "republish, nothing changed": []}
        for run in range(REPEAT):
            profile = ensure_profile("default")
            with Timer() as t:
                projects = shown_projects(profile)
            steps["select (catalog -> dicts)"].append(t.seconds)
            with Timer() as t:
                portfolio = build(projects, title="t", intro="i", generated_at="x")
            steps["build (cards, skills)"].append(t.seconds)
            with Timer() as t:
                render(portfolio, frozenset({"site", "markdown", "json"}))
            steps["render (all formats, in memory)"].append(t.seconds)
            out = home / f"site-{run}"
            with Timer() as t:
                result = publish(PublishOptions(out=out))
            steps["whole publish, new folder"].append(t.seconds)
            with Timer() as t:
                again = publish(PublishOptions(out=out))
            assert not again.changed
            steps["republish, nothing changed"].append(t.seconds)

        remote = home / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
        with Timer() as first_push:
            pushed = publish(PublishOptions(out=home / "site-0", git_remote=str(remote)))
        with Timer() as second_push:
            unchanged = publish(PublishOptions(out=home / "site-0", git_remote=str(remote)))
        assert pushed.commit and unchanged.commit is None

        count, total = size(home / "site-0")
        sizes = {name: (home / "site-0" / name).stat().st_size
                 for name in ("index.html", "style.css", "portfolio.json", "PORTFOLIO.md")}
        pages = [p.stat().st_size for p in (home / "site-0" / "projects").iterdir()]

    print(f"Publishing {PROJECTS:,} catalog projects ({result.projects} shown), {machine()}")
    table([(name, ms(median(values))) for name, values in steps.items()],
          f"Median of {REPEAT} runs")
    table([("first push (root commit, local bare repo)", ms(first_push.seconds)),
           ("second push, nothing changed (no commit)", ms(second_push.seconds))],
          "--git-remote")
    table([("files", f"{count:,}"), ("all files", f"{total / 1e6:.2f} MB"),
           *((name, f"{b / 1e3:.0f} kB") for name, b in sizes.items()),
           ("a project page (median)", f"{median(pages) / 1e3:.1f} kB")], "Output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
