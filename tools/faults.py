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
          "return [s for s in (self.github_token, self.openai_api_key, *passwords) if s]",
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
          "        if done:\n            _ended(job_id)\n    return bool(done)\n\n\n"
          "def schedule_retry",
          "        if done and status != CANCELLED:\n            _ended(job_id)\n"
          "    return bool(done)\n\n\ndef schedule_retry",
          (LEASES,)),
    Fault("the duplicate check at submit is gone", "core/importer.py",
          "            refuse_duplicate(owner, ref.key)\n"
          "            queue_order.refuse_in_flight(owner, ref.key)",
          "            queue_order.refuse_in_flight(owner, ref.key)",
          ("tests/core/test_importer.py::test_duplicate_is_refused_before_any_request",)),
    Fault("the README view loads file:// images", "gui/readme_view.py",
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

    # -- more of the same kind: one line, plausible, each held by a named test ----------------
    Fault("retry waits are not capped", "core/retry_policy.py",
          "delay = min(settings.retry_max_delay, base * jitter)",
          "delay = base * jitter",
          (RETRY,)),
    Fault("jitter may halve or double a wait", "core/retry_policy.py",
          "jitter = (rng or random).uniform(0.8, 1.2)",
          "jitter = (rng or random).uniform(0.5, 2.0)",
          (RETRY,)),
    Fault("a rate-limited retry comes before the reset", "core/retry_policy.py",
          "delay = max(1.0, error.wait_seconds + 1.0)  # never before the reset",
          "delay = min(settings.retry_max_delay, error.wait_seconds)",
          (RETRY,)),
    Fault("a retry may start past the deadline", "core/retry_policy.py",
          "if deadline is not None and now is not None and now + timedelta(seconds=delay) > deadline:",
          "if False:",
          (RETRY,)),
    Fault("a 404 or a 401 is retried", "core/retry_policy.py",
          "    elif error.retryable:",
          "    elif True:",
          (RETRY, "tests/tasks/test_queue.py::test_not_found_and_bad_credentials_are_never_retried")),
    Fault("a success keeps the lease", "core/jobs.py",
          "    if done:\n        _ended(job_id)\n    return bool(done)\n\n\n# -- back to the queue",
          "    return bool(done)\n\n\n# -- back to the queue",
          (LEASES,)),
    Fault("a failure keeps the lease", "core/jobs.py",
          "        if done:\n            _ended(job_id)\n    return bool(done)\n\n\n"
          "def schedule_retry",
          "    return bool(done)\n\n\ndef schedule_retry",
          (LEASES,)),
    Fault("a queued job's cancel keeps the lease", "core/jobs.py",
          "    _ended(job.id, settle=settle)\n",
          "    if settle and job.parent_id is not None:\n        settle_batch(job.parent_id)\n",
          (LEASES,)),
    Fault("a scheduled retry drops the lease", "core/jobs.py",
          "            leases.renew(job_id, delay + lease_ttl)",
          "            leases.release(job_id)",
          (LEASES,)),
    Fault("an attempt given back is spent anyway", "core/jobs.py",
          '        values["attempts"] = Job.attempts - 1\n',
          "        pass\n",
          ("tests/tasks/test_queue.py::"
           "test_stopping_the_consumer_puts_a_running_import_back_without_spending_it",)),
    Fault("an attempt given back keeps its old deadline", "core/jobs.py",
          "deadline_at=None, next_run_at=None, message=message)",
          "next_run_at=None, message=message)",
          ("tests/tasks/test_crash_recovery.py::"
           "test_an_import_given_back_at_quit_gets_a_fresh_time_limit",)),
    Fault("a stray queue task starts the job", "core/jobs.py",
          "        if task_id is not None and job.task_id != task_id:\n            return None\n",
          "",
          ("tests/tasks/test_crash_recovery.py::test_a_stray_second_queue_task_for_a_job_does_nothing",)),
    Fault("a cancel is not checked between steps", "core/attempt_check.py",
          "        if asked[1]:\n            raise Cancelled(\"Cancelled by the user.\")",
          "        pass",
          ("tests/tasks/test_queue.py::test_cancel_a_running_job_stops_at_the_next_step",
           LEASES)),
    Fault("a renamed repository is not found by its id", "core/importer.py",
          "            refuse_renamed_duplicate(job, repo)\n",
          "",
          ("tests/core/test_importer.py::test_renamed_repository_is_a_duplicate_found_by_its_id",)),
    Fault("a duplicate refusal names no project", "core/saving.py",
          'f"(project {existing.id}).", project_id=existing.id)',
          'f"(project {existing.id}).", project_id=0)',
          ("tests/core/test_importer.py::test_duplicate_is_refused_before_any_request",)),
    Fault("a heartbeat older than stale_after is not stale", "core/recovery.py",
          "stale = job.heartbeat_at is None or job.heartbeat_at < limit",
          "stale = job.heartbeat_at is None",
          ("tests/tasks/test_crash_recovery.py::"
           "test_stale_job_with_spent_attempts_fails_and_frees_the_profile",)),
    Fault("the GitHub client no longer redacts its token", "core/github/http.py",
          'return text.replace(self._token, "***") if self._token else text',
          "return text",
          (SECRETS_E2E,)),
    Fault("the client fetches one request at a time", "core/github/client.py",
          'self._pool = DaemonPool(max_workers, "github-client")',
          'self._pool = DaemonPool(1, "github-client")',
          ("tests/core/test_github_client.py::test_requests_of_each_step_are_out_at_once",)),
    Fault("a snapshot waits for its answers before checking", "core/github/client.py",
          "                if pending:\n                    check()\n",
          "",
          ("tests/core/test_github_client.py::test_check_stops_the_snapshot",)),
    Fault("the AI timeout setting is not passed on", "core/analysis/factory.py",
          "model=settings.ai_model, timeout=settings.ai_timeout,",
          "model=settings.ai_model,",
          ("tests/core/test_openai_analyzer.py::"
           "test_a_timeout_falls_back_without_waiting_for_the_answer",)),
    Fault("README text can close its fence early", "core/analysis/prompt.py",
          "    return _DELIMITER_LOOKALIKE.sub(replace, readme)",
          "    return readme",
          ("tests/core/test_openai_analyzer.py::test_a_hostile_readme_alone_decides_nothing",)),
    Fault("a job's end is announced twice", "gui/main_window.py",
          "        if ended in self._announced:\n            return\n",
          "",
          ("tests/gui/test_tray.py::test_a_job_run_here_is_announced_once",
           "tests/gui/test_tray.py::test_a_job_another_process_ran_is_announced_once")),
    Fault("a closed bridge still delivers events", "gui/bridge.py",
          '        """Stop listening (the window is going away)."""\n        self._unsubscribe()',
          '        """Stop listening (the window is going away)."""',
          ("tests/gui/test_bridge.py::test_final_events_are_also_job_finished",)),
    Fault("a quit throws away a finished analysis", "core/importer.py",
          "        return self._finish(job, attempt, snapshot, analysis, analysis.note)",
          "        check()  # the job's check, the app's quit included\n"
          "        return self._finish(job, attempt, snapshot, analysis, analysis.note)",
          ("tests/tasks/test_queue.py::test_an_analysis_finished_while_the_app_quits_is_still_saved",)),
    Fault("a token typed only to test it is not redacted", "gui/settings_dialog.py",
          "        self.secrets.redactions.add(token)  # typed, not saved, but in use from now on\n",
          "",
          ("tests/gui/test_settings_dialog.py::"
           "test_a_token_typed_only_to_test_it_is_redacted_from_the_log",)),
]
