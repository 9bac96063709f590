"""The faults ``tools/mutations.py`` applies, one at a time, and the tests that must catch each.

A fault is a small, plausible mistake: a line someone could delete or get subtly wrong
while changing nearby code. ``original`` must occur exactly once in ``path``; when the
code around it changes, the runner reports an ERROR and the fault is updated here (or
removed, with its promise, from docs/RELIABILITY.md). ``tests`` are pytest node ids or
files, the fewer the faster; they must all pass on the unmutated tree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    name: str
    path: str
    original: str
    replacement: str
    tests: tuple[str, ...]


SECRETS_E2E = "tests/cli/test_secrets_in_files.py"
ZOMBIE = "tests/core/test_zombie_guard.py"
LEASES = "tests/core/test_lease_release.py"
RETRY = "tests/core/test_retry_policy.py"

FAULTS: list[Fault] = [
    # -- the faults the audit of issue 14 listed ---------------------------------------------
    Fault("Settings.secrets returns nothing", "core/settings.py",
          "return [s for s in (self.github_token, self.openai_api_key) if s]",
          "return []",
          (SECRETS_E2E,)),
    Fault("other profiles' tokens are not redacted", "core/secrets.py",
          "        value = self._read(name)\n        self.redactions.add(value)\n",
          "        value = self._read(name)\n",
          (SECRETS_E2E,)),
    Fault("the heartbeat never beats", "core/heartbeat.py",
          "if not jobs.beat(self.job_id, self.attempt, self.lease_ttl):",
          "if False:",
          ("tests/tasks/test_heartbeat.py",)),
    Fault("conditional writes ignore the attempt number", "core/jobs.py",
          "return (Job.id == job_id) & (Job.attempts == attempt) & (Job.status == STARTED)",
          "return (Job.id == job_id) & (Job.status == STARTED)",
          (ZOMBIE,)),
    Fault("retry waits do not grow", "core/retry_policy.py",
          "base = settings.retry_base_delay * 2 ** max(0, attempts - 1)",
          "base = settings.retry_base_delay",
          (RETRY,)),
    Fault("a running job's cancel keeps the lease", "core/jobs.py",
          "        if done:\n            leases.release(job_id)\n    return bool(done)\n\n\n"
          "def schedule_retry",
          "        if done and status != CANCELLED:\n            leases.release(job_id)\n"
          "    return bool(done)\n\n\ndef schedule_retry",
          (LEASES,)),
    Fault("the duplicate check at submit is gone", "core/importer.py",
          "            _refuse_duplicate(owner, ref.key)\n            leases.refuse_if_busy(owner)",
          "            leases.refuse_if_busy(owner)",
          ("tests/core/test_importer.py::test_duplicate_is_refused_before_any_request",)),
    Fault("the README view loads file:// images", "gui/project_details.py",
          "        self.refused_resources.append(url.toString())\n        return QByteArray()",
          "        self.refused_resources.append(url.toString())\n"
          "        return super().loadResource(resource_type, url)",
          ("tests/gui/test_project_details.py",)),
    Fault("the dead-worker check is off", "core/recovery.py",
          "return stale or _worker_gone(job.worker)",
          "return stale",
          ("tests/tasks/test_crash_recovery.py::test_live_job_in_another_process_is_left_alone",)),
    Fault("tracebacks are not redacted", "core/logs.py",
          '                text += "\\n" + logging.Formatter().formatException(record.exc_info)\n'
          "                record.exc_info, record.exc_text = None, None\n",
          "                pass  # the traceback is formatted later, unfiltered\n",
          ("tests/core/test_settings.py::test_log_file_never_holds_a_secret",)),
]
