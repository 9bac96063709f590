"""One open data folder: the catalog, the importer, the queue and its events.

The command line and the window both start here, so they share one way of
opening the app's state and one way of running the consumer.
"""

from __future__ import annotations

import time
from typing import Callable

from core import recovery, storage
from core.db import open_catalog
from core.importer import Importer
from core.models import FINAL_STATUSES, Job
from core.secrets import SecretStore, github_token_lookup, with_secrets
from core.settings import Settings
from tasks.consumer import ConsumerService
from tasks.events import EventBus
from tasks.queue import ImportQueue
from tasks.watcher import CatalogWatcher


class Runtime:
    """The app's state for one process; tests build one per temporary folder."""

    def __init__(self, settings: Settings, *, secrets: SecretStore | None = None,
                 **importer_options):
        """``settings`` as the environment gives them; :meth:`use_secrets` adds the keyring's.

        ``secrets`` is the process's store, whose redactions its logging reads; every
        secret this runtime is given or reads is added to them.
        """
        self.secrets = secrets if secrets is not None else SecretStore(settings.home)
        self.secrets.redactions.add(*settings.secrets)
        with storage.naming(settings.home, home=settings.home):
            settings.ensure_dirs()
        self._environment_token = settings.github_token
        with storage.naming(settings.catalog_path, home=settings.home):
            self.database = open_catalog(settings.catalog_path)
        self.importer = Importer(settings, **importer_options)
        self.events = EventBus()
        try:
            with storage.naming(settings.queue_path, home=settings.home):
                self.queue = ImportQueue(self.importer, self.events)
        except BaseException:
            self.database.close()
            raise
        self.consumer: ConsumerService | None = None
        # Started by a viewer (the window); the command line has no use for it.
        self.watcher = CatalogWatcher(settings.catalog_path, self.events)

    @property
    def settings(self) -> Settings:
        return self.importer.settings

    def update_settings(self, settings: Settings) -> None:
        """Use new settings (a token or AI key changed) for the imports that start from now."""
        self.secrets.redactions.add(*settings.secrets)
        self.importer.settings = settings
        self.queue.settings = settings

    def use_secrets(self) -> Settings:
        """Read the keyring, for a process that runs imports: each profile imports with its
        own token (GITHUB_TOKEN still wins), and the AI key is filled in. Safe to repeat."""
        self.importer.token_for = github_token_lookup(self.secrets, self._environment_token)
        self.update_settings(with_secrets(
            self.settings.with_(github_token=self._environment_token), self.secrets))
        return self.settings

    def start_consumer(self, workers: int | None = None) -> ConsumerService:
        if self.consumer is None or not self.consumer.running:
            self.consumer = ConsumerService(self.queue, workers).start()
        return self.consumer

    def stop_consumer(self) -> None:
        if self.consumer is not None:
            self.consumer.stop()
            self.consumer = None

    def consumer_available(self) -> bool:
        """True when some process (this one or another) is consuming the queue."""
        if self.consumer is not None and self.consumer.running:
            return True
        return bool(recovery.live_consumers(stale_after=self.settings.stale_after))

    def wait_for(self, job_id: int, *, timeout: float | None = None, poll: float = 0.1,
                 on_change: Callable[[Job], None] | None = None,
                 when_unconsumed: Callable[[], None] | None = None,
                 consumer_check: float = 3.0) -> Job:
        """Poll the catalog until the job ends (or ``timeout`` passes); return the job.

        ``when_unconsumed`` is called when no consumer is running anywhere any more
        (the app or the worker we relied on stopped), checked every ``consumer_check`` s.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        next_check = time.monotonic() + consumer_check
        seen = None
        while True:
            if when_unconsumed is not None and time.monotonic() >= next_check:
                next_check = time.monotonic() + consumer_check
                if not self.consumer_available():
                    when_unconsumed()
            job = Job.get_by_id(job_id)
            state = (job.status, job.stage, job.progress, job.message)
            if on_change is not None and state != seen:
                on_change(job)
            seen = state
            if job.status in FINAL_STATUSES:
                return job
            if deadline is not None and time.monotonic() > deadline:
                return job
            time.sleep(poll)

    def watch_catalog(self) -> CatalogWatcher:
        """Publish :class:`tasks.watcher.CatalogChanged` when anyone writes the catalog."""
        return self.watcher.start()

    def close(self) -> None:
        self.watcher.stop()
        self.stop_consumer()
        self.queue.huey.storage.close()
        self.database.close()
