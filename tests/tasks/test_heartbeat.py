"""A slow import that is alive keeps its job: its heartbeat, not its speed, says so.

Recovery takes back a running job whose heartbeat is older than ``stale_after``
(or whose worker's process is gone). An import can legitimately run longer than
that — a slow server, a long AI answer — and while its heartbeat thread beats, no
consumer may take it back and start it a second time.
"""

from __future__ import annotations

from datetime import timedelta

from core.models import STARTED, SUCCESS, Job
from core.timeutil import utcnow
from tasks.runtime import Runtime
from tests.waiting import wait_until

STALE_AFTER = 1.0


def test_a_consumer_leaves_a_slow_live_import_alone(settings, fake_github):
    rt = Runtime(settings.with_(stale_after=STALE_AFTER, heartbeat_interval=0.1))
    try:
        readme = fake_github.hold(r"/readme$")  # the import is slow here, for as long as we like
        rt.start_consumer(1)
        job = rt.queue.submit("pallets/flask")
        readme.wait_until_held()
        started = Job.get_by_id(job.id).started_at
        # Until the attempt has run for well over stale_after, stuck in one request.
        wait_until(lambda: utcnow() - started > timedelta(seconds=1.5 * STALE_AFTER),
                   what="the import running past stale_after")
        rt.consumer.maintain_once()  # what every consumer does every few seconds
        row = Job.get_by_id(job.id)
        assert (row.status, row.attempts) == (STARTED, 1)
        assert utcnow() - row.heartbeat_at < timedelta(seconds=STALE_AFTER)  # it beat

        readme.release()
        done = rt.wait_for(job.id, timeout=20)
        assert (done.status, done.attempts) == (SUCCESS, 1)
        assert fake_github.count("/readme") == 1  # fetched once: never started again
    finally:
        rt.close()
