"""One open data folder: the catalog, the importer, the queue and its events.

The command line and the window both start here, so they share one way of
opening the app's state and one way of running the consumer.
"""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Callable

from core import recovery, storage
from core.db import close_catalog, open_catalog
from core.db_servers import check_clock
from core.github.rate_limiter import RateLimiterRegistry
from core.github.shared_rate_state import SharedRateState
from core.importer import Importer
from core.models import FINAL_STATUSES, Job
from core.secrets import (
    DATABASE_PASSWORD, QUEUE_PASSWORD, SecretStore, github_token_lookup, with_secrets,
    with_store_password,
)
from core.settings import Settings
from core.store_urls import StoreURL
from tasks.consumer import ConsumerService
from tasks.events import EventBus
from tasks.queue import ImportQueue
from tasks.queue_storage import close_huey, make_huey
from tasks.watcher import WatcherThread, make_watcher


class Runtime:
    """The app's state for one process; tests build one per temporary folder."""

    def __init__(self, settings: Settings, *, secrets: SecretStore | None = None,
                 preload: bool = False, **importer_options):
        """``settings`` as the environment gives them; :meth:`use_secrets` adds the keyring's.

        ``secrets`` is the process's store, whose redactions its logging reads; every
        secret this runtime is given or reads is added to them. In team mode the
        catalog's and the queue's passwords come from their URLs, else from it (the
        keyring); the SQLite default never reads the keyring. ``preload``: this process
        is about to run an import, so start loading what it needs now, beside opening
        the catalog and the queue (:meth:`Importer.preload`).
        """
        self.importer = Importer(settings, **importer_options)
        if preload:
            self.importer.preload()
        self.secrets = secrets if secrets is not None else SecretStore(settings.home)
        self.secrets.redactions.add(*settings.secrets)
        with storage.naming(settings.home, home=settings.home):
            settings.ensure_dirs()
        self._environment_token = settings.github_token
        catalog, queue = settings.catalog_store, settings.queue_store
        catalog = with_store_password(catalog, self.secrets, DATABASE_PASSWORD)
        queue = with_store_password(queue, self.secrets, QUEUE_PASSWORD)
        # What this process is connected to (shown by the window; display() has no password).
        self.catalog_store, self.queue_store = catalog, queue
        with _faults_named(catalog, settings.home):
            self.database = open_catalog(catalog)
        if catalog.shared:
            check_clock(self.database)  # says so in the log when this machine's is off
        try:
            with _faults_named(queue, settings.home):
                huey = make_huey(queue)
        except BaseException:
            close_catalog(self.database)
            raise
        if queue.shared:  # workers of every machine share what GitHub said of each token
            self.importer.rate_limiters = RateLimiterRegistry(
                shared=lambda api, token: SharedRateState(huey.storage.conn, api, token))
        self.events = EventBus()
        self.queue = ImportQueue(self.importer, self.events, huey=huey)
        self.consumer: ConsumerService | None = None
        # Started by a viewer (the window); the command line has no use for it.
        self.watcher = make_watcher(catalog, self.events)

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
        """Read the job until it ends (or ``timeout`` passes); return the job.

        It is read again every ``poll`` seconds, and at once when this process's own
        consumer publishes an event of the job (so the end of a job run here is seen
        as it happens). ``when_unconsumed`` is called when no consumer is running
        anywhere any more (the app or the worker we relied on stopped), checked every
        ``consumer_check`` s.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        news = threading.Event()
        stop_listening = self.events.subscribe(
            lambda event: news.set() if getattr(event, "job_id", None) == job_id else None)
        try:
            return self._read_until_ended(job_id, news, deadline, poll, on_change,
                                          when_unconsumed, consumer_check)
        finally:
            stop_listening()

    def _read_until_ended(self, job_id: int, news: threading.Event, deadline: float | None,
                          poll: float, on_change, when_unconsumed, consumer_check: float) -> Job:
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
            news.wait(poll)
            news.clear()

    def watch_catalog(self, since: dict[str, int] | None = None) -> WatcherThread:
        """Publish :class:`tasks.watcher.CatalogChanged` when anyone writes the catalog;
        ``since``: the counters read before the caller's first reads (see
        :meth:`~tasks.watcher.WatcherThread.start`)."""
        return self.watcher.start(since)

    def close(self) -> None:
        self.watcher.stop()
        self.stop_consumer()
        self.importer.close()
        close_huey(self.queue.huey)
        close_catalog(self.database)


def _faults_named(store: StoreURL, home: Path) -> AbstractContextManager:
    """A file's faults (full disk, read-only, damaged) explained as that file's; a server's
    are explained where it is opened (STORAGE_UNREACHABLE)."""
    return nullcontext() if store.shared else storage.naming(store.path, home=home)
