"""Synthetic GitHub accounts for batch tests: an owner with N small repositories.

``populate(fake, "dana", 25)`` adds the user ``dana`` (or an organization) to a
:class:`~tests.fakes.github_server.FakeGitHub` with repositories ``dana/tool-01`` …
``dana/tool-25``: a README and a ``pyproject.toml`` each (five requests to import),
distinct ids from ``start_id``, stars ``n`` (tool-07 has 7). ``forks``, ``archived``
and ``private`` name the numbers that are so.
"""

from __future__ import annotations

from collections.abc import Collection


def repo_name(owner: str, n: int) -> str:
    return f"{owner}/tool-{n:02d}"


def populate(fake, owner: str, count: int, *, start_id: int = 700_000, kind: str = "User",
             forks: Collection[int] = (), archived: Collection[int] = (),
             private: Collection[int] = ()) -> list[str]:
    """Add the owner and its repositories; returns their full names in listing order."""
    fake.add_owner(owner, type=kind)
    names = []
    for n in range(1, count + 1):
        name = repo_name(owner, n)
        fake.add_repo(name, id=start_id + n, description=f"Tool number {n}.",
                      topics=("cli", "python"), languages={"Python": 1000 + n},
                      files={"README.md": f"# Tool {n}\n\nA small command-line tool.\n",
                             "pyproject.toml": "[project]\nname = 'tool'\n"
                                               "dependencies = ['click']\n"},
                      license="MIT", private=n in private, fork=n in forks,
                      archived=n in archived, stargazers_count=n)
        names.append(name)
    return sorted(names, key=str.lower)
