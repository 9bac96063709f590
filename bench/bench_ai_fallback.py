"""How long an import waits for an AI model that does not answer, and what cancelling costs.

Two figures the tests hold only as behaviour (tests never time anything):

- the AI fallback: ``analyze`` with the OpenAI-compatible analyzer against a fake
  model whose answer is held back; the wall time to the offline fallback, for a
  few ``ai_timeout`` values (it should track the timeout, not the held answer);
- a cancelled snapshot: ``fetch_snapshot`` whose ``check`` raises once the first
  requests are out; the wall time from the raise to the return, with answers held
  (the client polls ``check`` every 0.1 s while requests are out).
"""

from __future__ import annotations

import logging

# _support comes first: importing it puts the project on sys.path.
from _support import Timer, fake_github, machine, median, ms, table

from core.analysis.factory import analyze
from core.analysis.heuristic import HeuristicAnalyzer
from core.analysis.openai_analyzer import OpenAIAnalyzer
from core.github.client import GitHubClient
from tests.fakes import corpus
from tests.fakes.openai_server import FakeOpenAI

TIMEOUTS = [0.2, 0.5, 1.0]
RUNS = 3


def ai_fallback_seconds(timeout: float) -> float:
    snap = corpus.snapshot("pallets__flask")
    times = []
    for _ in range(RUNS):
        with FakeOpenAI() as ai:
            ai.hold()
            with OpenAIAnalyzer("k", base_url=ai.url, timeout=timeout, max_retries=0,
                                fallback=HeuristicAnalyzer()) as analyzer, Timer() as t:
                result = analyze(snap, analyzer)
            assert result.analyzer == "heuristic"
            times.append(t.seconds)
    return median(times)


def cancel_seconds() -> float:
    times = []
    with fake_github() as fake, GitHubClient(fake.url) as client:
        repo = client.get_repository("pallets", "flask")
        for _ in range(RUNS):
            hold = fake.hold(r"/(languages|readme|git/trees/main|releases/latest)$")

            def check() -> None:
                if hold.held:
                    raise InterruptedError

            with Timer() as t:
                try:
                    client.fetch_snapshot(repo, check=check)
                except InterruptedError:
                    pass
            hold.release()
            times.append(t.seconds)
    return median(times)


def main() -> None:
    logging.getLogger("core").setLevel(logging.ERROR)  # each fallback warns; expected here
    print(f"bench_ai_fallback: median of {RUNS} runs, {machine()}")
    table([(f"ai_timeout {timeout:g} s", ms(ai_fallback_seconds(timeout)))
           for timeout in TIMEOUTS], "Wall time to the offline fallback, answer held back")
    table([("cancelled snapshot, answers held", ms(cancel_seconds()))],
          "Wall time of fetch_snapshot when check() raises with requests out")


if __name__ == "__main__":
    main()
