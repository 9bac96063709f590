"""GitHubClient.fetch_repository: concurrent vs. sequential, and the ETag cache's second fetch.

Against a loopback fake GitHub that sleeps LATENCY before each answer, so the
figures show how many round trips the client waits for, not the machine's speed.
The sequential baseline is the same client with ``max_workers=1``.
"""

from __future__ import annotations

from collections import Counter

# _support comes first: importing it puts the project on sys.path.
from _support import Timer, fake_github, machine, ms, table, temp_home

from core.github.client import GitHubClient

LATENCY = 0.05
REPOS = ["pallets/flask", "psf/requests", "encode/httpx", "fastapi/fastapi",
         "expressjs/express", "BurntSushi/ripgrep"]


def fetch_all(fake, client: GitHubClient) -> tuple[float, int, int]:
    """Fetch every repo in turn; return wall time, requests seen and rate-limit units spent."""
    fake.reset()
    budget = fake.rate_remaining
    with Timer() as t:
        for full_name in REPOS:
            client.fetch_repository(*full_name.split("/"))
    return t.seconds, fake.request_count, budget - fake.rate_remaining


def main() -> None:
    print(f"bench_fetch: {len(REPOS)} repositories, fake latency {LATENCY * 1000:.0f} ms, "
          f"{machine()}")
    with fake_github(LATENCY) as fake:
        with GitHubClient(fake.url, max_workers=1) as client:
            seq_time, seq_requests, _ = fetch_all(fake, client)
        with GitHubClient(fake.url) as client:  # the default pool (6)
            con_time, con_requests, _ = fetch_all(fake, client)
        with temp_home() as home:
            with GitHubClient(fake.url, cache_dir=home / "cache") as client:
                cold_time, cold_requests, cold_spent = fetch_all(fake, client)
                warm_time, warm_requests, warm_spent = fetch_all(fake, client)
                statuses = Counter(r.status for r in fake.requests)

    table([
        ("sequential (max_workers=1)", f"{seq_time:.2f} s, {seq_requests} requests"),
        ("concurrent (max_workers=6)", f"{con_time:.2f} s, {con_requests} requests"),
        ("speed-up (sequential / concurrent)", f"{seq_time / con_time:.2f}x"),
        ("per repository, concurrent", ms(con_time / len(REPOS))),
    ], "Concurrent client vs. sequential baseline")
    table([
        ("first fetch (cache empty)", f"{cold_time:.2f} s, {cold_requests} requests, "
                                      f"{cold_spent} rate-limit units"),
        ("second fetch (cache warm)", f"{warm_time:.2f} s, {warm_requests} requests, "
                                      f"{warm_spent} rate-limit units"),
        ("second fetch answers", ", ".join(f"{n} x {status}"
                                           for status, n in sorted(statuses.items()))),
        ("time ratio (second / first)", f"{warm_time / cold_time:.2f}"),
    ], "ETag cache (cache_dir set)")


if __name__ == "__main__":
    main()
