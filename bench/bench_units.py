"""GitHub requests and rate-limit units per import and per portfolio of 25 repositories.

Rate-limit units are what the fake server's bucket loses (GitHub's rule: every answer
counts except a 304 and ``/rate_limit``). Every run starts with an empty data folder,
so the ETag cache saves nothing here; ``bench_fetch.py`` measures that.

1. Each of the 15 corpus repositories imported on its own (``import URL``).
2. A portfolio of 25 repositories under one owner, ``bench-dana``: the 15 corpus
   repositories' contents under new names, 5 small tools with a README and a manifest,
   3 without a README and 2 holding only documentation (no language). First imported one
   by one, the only way before ``import-all``; then as one ``import-all`` batch (when this
   checkout has it), listing included.

Runs on any checkout with ``Importer.submit`` / ``run`` (the numbers "before" in
docs/PERFORMANCE.md come from running this file against the code before issue 7).
"""

from __future__ import annotations

import statistics

# _support comes first: importing it puts the project on sys.path.
from _support import CORPUS, fake_github, machine, table, temp_home

from core.models import PENDING, RETRYING, STARTED, SUCCESS, Job
from core.settings import Settings
from tasks.runtime import Runtime
from tests.fakes import corpus

OWNER = "bench-dana"


def spent(fake) -> tuple[int, int]:
    return fake.request_count, fake.rate_limit - fake.rate_remaining


def add_portfolio(fake) -> list[str]:
    """25 repositories of OWNER; returns their full names."""
    names = []
    for n, folder in enumerate(corpus.names(), start=1):
        c = corpus.load(folder)
        r = c.repo
        name = f"{OWNER}/{r['full_name'].split('/')[1]}"
        fake.add_repo(name, id=900_000 + n, description=r.get("description") or "",
                      topics=r.get("topics") or (), languages=r.get("languages") or {},
                      tree=c.tree, files=c.files, license=r.get("license"),
                      default_branch=r.get("default_branch", "main"),
                      language=r.get("language"), stargazers_count=r.get("stargazers_count", 0))
        names.append(name)
    for n in range(1, 11):
        files = {"README.md": f"# Tool {n}\n\nA small tool.\n",
                 "pyproject.toml": "[project]\nname = 'tool'\ndependencies = ['click']\n"}
        languages = {"Python": 2000}
        if n in (6, 7, 8):  # no README
            del files["README.md"]
        if n in (9, 10):  # documentation only: GitHub detects no language
            files, languages = {"README.md": "# Notes\n", "docs/guide.md": "# Guide\n"}, {}
        fake.add_repo(f"{OWNER}/tool-{n:02d}", id=900_100 + n, languages=languages,
                      files=files, license="MIT", stargazers_count=n)
        names.append(f"{OWNER}/tool-{n:02d}")
    if hasattr(fake, "add_owner"):
        fake.add_owner(OWNER)
    return names


def runtime_for(fake, home) -> Runtime:
    return Runtime(Settings(home=home, github_api=fake.url, analyzer="heuristic"))


def run_to_end(rt: Runtime, job_ids: list[int]) -> None:
    for _ in range(10):
        waiting = [j.id for j in Job.select().where(Job.id.in_(job_ids)
                                                    & Job.status.in_((PENDING, RETRYING,
                                                                      STARTED)))]
        if not waiting:
            return
        for job_id in waiting:
            rt.importer.run(job_id)


def one_by_one(fake, names: list[str]) -> list[tuple[str, int, int, str]]:
    rows = []
    with temp_home() as home:
        rt = runtime_for(fake, home)
        try:
            for name in names:
                before = spent(fake)
                job = rt.importer.submit(name)
                run_to_end(rt, [job.id])
                after = spent(fake)
                rows.append((name, after[0] - before[0], after[1] - before[1],
                             Job.get_by_id(job.id).status))
        finally:
            rt.close()
    return rows


def as_batch(fake) -> tuple[int, int, int, int, str]:
    from core.batches import plan_owner
    with temp_home() as home:
        rt = runtime_for(fake, home)
        try:
            before = spent(fake)
            planned = plan_owner(rt.importer, OWNER)
            listed = spent(fake)
            batch = rt.queue.submit_import_all(planned.owner, planned.items)
            items = [j.id for j in Job.select().where(Job.parent == batch.id)]
            run_to_end(rt, items)
            after = spent(fake)
            done = sum(Job.get_by_id(i).status == SUCCESS for i in items)
            return (after[0] - before[0], after[1] - before[1], listed[0] - before[0],
                    done, Job.get_by_id(batch.id).status)
        finally:
            rt.close()


def main() -> None:
    print(f"bench_units: {machine()}")
    with fake_github() as fake:
        names = add_portfolio(fake)
        single = one_by_one(fake, CORPUS)
        rows = [(name, f"{requests} requests, {units} units ({status})")
                for name, requests, units, status in single]
        units = [u for _, _, u, _ in single]
        rows.append(("mean per import", f"{statistics.mean(units):.2f} units "
                                        f"(min {min(units)}, max {max(units)})"))
        table(rows, "1. Corpus, one import each")

        portfolio = one_by_one(fake, names)
        req = sum(r for _, r, _, _ in portfolio)
        uni = sum(u for _, _, u, _ in portfolio)
        ok = sum(s == SUCCESS for *_, s in portfolio)
        rows = [("25 imports one by one", f"{req} requests, {uni} units, {ok}/25 succeeded, "
                                          f"{uni / 25:.2f} units per repository")]
        try:
            import core.batches  # noqa: F401 (only checkouts with import-all have it)
        except ImportError:
            rows.append(("import-all batch", "not in this checkout"))
        else:
            req, uni, listing, ok, status = as_batch(fake)
            rows.append(("import-all batch of 25", f"{req} requests ({listing} for the "
                                                   f"listing), {uni} units, {ok}/25 "
                                                   f"succeeded ({status}), "
                                                   f"{uni / 25:.2f} units per repository"))
        table(rows, f"2. A portfolio of 25 ({OWNER})")


if __name__ == "__main__":
    main()
