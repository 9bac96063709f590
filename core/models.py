"""The catalog's tables (Peewee; SQLite or PostgreSQL): profiles, projects, jobs, run slots,
consumers.

The unique indexes are the last line of defence against duplicates: per
profile, a repository's numeric GitHub id and its canonical key
(lowercase ``owner/name``) can each appear once.

Both backends must take the same values: text that comes from outside and
that nothing bounds (a homepage, a branch, a model name, a title typed in the
window) is a TextField, since PostgreSQL enforces VARCHAR(255) where SQLite
does not; GitHub ids are 64-bit (PostgreSQL's INTEGER stops at 2^31).
"""

from __future__ import annotations

import json

from peewee import (
    BigIntegerField, BooleanField, CharField, DatabaseProxy, DateTimeField, ForeignKeyField,
    IntegerField, Model, TextField,
)

from core.timeutil import utcnow

database = DatabaseProxy()

# Job statuses (DESIGN §6).
PENDING, STARTED, RETRYING = "PENDING", "STARTED", "RETRYING"
SUCCESS, FAILURE, CANCELLED = "SUCCESS", "FAILURE", "CANCELLED"
ACTIVE_STATUSES = (PENDING, STARTED, RETRYING)
FINAL_STATUSES = (SUCCESS, FAILURE, CANCELLED)
# Job stages.
QUEUED, FETCHING, ANALYZING, SAVING, DONE = "queued", "fetching", "analyzing", "saving", "done"
# Job kinds: a first import creates a project; a refresh rewrites one in place; a batch
# groups item jobs (each an import or a refresh) and is never run itself.
IMPORT, REFRESH, BATCH = "import", "refresh", "batch"


class JSONField(TextField):
    """A JSON value stored as text."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database


class Profile(BaseModel):
    """Whose catalog: the unit of the run-slot rule (at most N imports at once)."""

    name = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    # What the published portfolio says at its top (the window sets them; empty: defaults).
    publish_title = TextField(default="")
    publish_intro = TextField(default="")


class Project(BaseModel):
    """One imported repository, with the portfolio text written for it."""

    profile = ForeignKeyField(Profile, backref="projects", on_delete="CASCADE")
    slug = CharField(unique=True)
    key = CharField()  # lowercase owner/name
    github_id = BigIntegerField()
    full_name = CharField()
    title = CharField()
    url = CharField()
    description = TextField(default="")
    summary = TextField(default="")
    category = CharField(default="Other")
    tags = JSONField(default=list)
    highlights = JSONField(default=list)
    languages = JSONField(default=dict)
    tech_stack = JSONField(default=dict)
    stars = IntegerField(default=0)
    forks = IntegerField(default=0)
    license = CharField(null=True)
    default_branch = TextField(default="main")
    homepage = TextField(default="")
    is_showcase = BooleanField(default=True)
    is_private = BooleanField(default=False)
    analyzer = TextField(default="heuristic")
    readme = TextField(default="")
    readme_truncated = BooleanField(default=False)
    imported_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    # The user's portfolio order (pin to top, move up/down): lower first; None follows
    # every placed project, by stars (core.ordering).
    position = IntegerField(null=True)

    class Meta:
        indexes = (
            (("profile", "github_id"), True),
            (("profile", "key"), True),
            # The browser's sort orders; without them every page walks the whole table.
            (("imported_at", "id"), False),
            (("stars",), False),
        )


class Job(BaseModel):
    """One import request (or a batch of them) and everything known about how it went.

    Written only by :mod:`core.jobs`.
    """

    profile = ForeignKeyField(Profile, backref="jobs", on_delete="CASCADE")
    kind = CharField(default=IMPORT)
    url = CharField()
    repo = CharField()  # owner/name; canonical once fetched
    key = CharField(index=True)
    status = CharField(default=PENDING, index=True)
    stage = CharField(default=QUEUED)
    progress = IntegerField(default=0)
    message = TextField(default="Queued")
    attempts = IntegerField(default=0)
    error_code = CharField(null=True)
    error_message = TextField(null=True)
    error_suggestion = TextField(null=True)
    project = ForeignKeyField(Project, null=True, backref="jobs", on_delete="SET NULL")
    showcase = BooleanField(default=True)
    private = BooleanField(default=False)
    cancel_requested = BooleanField(default=False)
    task_id = CharField(null=True)  # the queue's id for the current attempt
    worker = TextField(null=True)  # host:pid:thread of the attempt running now
    created_at = DateTimeField(default=utcnow)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    heartbeat_at = DateTimeField(null=True)
    deadline_at = DateTimeField(null=True)
    next_run_at = DateTimeField(null=True)
    # The profile's queue order: set when the job is queued (or queued again by a retry).
    queued_at = DateTimeField(default=utcnow)
    # An item job's batch; deleting the batch deletes its items.
    parent = ForeignKeyField("self", null=True, backref="items", on_delete="CASCADE")
    # A batch: its plan (skipped items, options); an item: the listing's repository object.
    payload = JSONField(null=True)


class Lease(BaseModel):
    """One of a profile's run slots, held by the job that runs in it (through its retries).

    ``(profile, slot)`` is unique and ``slot`` is below the profile's concurrency, so
    taking a slot inside ``BEGIN IMMEDIATE`` can never hand out more than N.
    """

    profile = ForeignKeyField(Profile, on_delete="CASCADE")
    slot = IntegerField()
    job = ForeignKeyField(Job, unique=True, on_delete="CASCADE")
    acquired_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()

    class Meta:
        table_name = "run_slot"
        indexes = ((("profile", "slot"), True),)


class Consumer(BaseModel):
    """A running queue consumer (the app or `repofolio worker`), seen by its heartbeat."""

    id = CharField(primary_key=True)  # host:pid
    host = CharField()
    pid = IntegerField()
    workers = IntegerField(default=1)
    started_at = DateTimeField(default=utcnow)
    seen_at = DateTimeField(default=utcnow)


ALL_MODELS = (Profile, Project, Job, Lease, Consumer)
