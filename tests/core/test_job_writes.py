"""Only core/jobs.py writes job rows: a scan of the source of core/, tasks/ and gui/.

Three modules used to write jobs, each with its own idea of what "back in the
queue" resets; this keeps the rule from eroding again. The scan looks for the
Peewee write calls on ``Job`` (``Job.update``, ``Job.create``, ...), ``.save()`` and
``.delete_instance()`` on anything named like a job, and raw SQL that writes the
``job`` table.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "core" / "jobs.py"
# Schema migrations fill new columns of old rows; that is the schema's business, not a job's.
MIGRATIONS = ROOT / "core" / "db.py"
WRITE_METHODS = {"update", "create", "insert", "insert_many", "insert_from", "replace",
                 "replace_many", "delete", "delete_by_id", "bulk_create", "bulk_update",
                 "get_or_create", "set_by_id"}
INSTANCE_WRITES = {"save", "delete_instance"}
RAW_SQL = re.compile(r"\b(insert\s+into|update|delete\s+from|replace\s+into)\s+\"?job\b",
                     re.IGNORECASE)


def job_writes(source: str, filename: str) -> list[str]:
    """``file:line what`` for every job write found in ``source``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target, method = node.func.value, node.func.attr
            if method in WRITE_METHODS and isinstance(target, ast.Name) and target.id == "Job":
                found.append((node.lineno, f"Job.{method}"))
            if method in INSTANCE_WRITES and "job" in ast.unparse(target).lower():
                found.append((node.lineno, f"{ast.unparse(target)}.{method}()"))
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and RAW_SQL.search(node.value)):
            found.append((node.lineno, f"SQL {node.value[:40]!r}"))
    return [f"{filename}:{line} {what}" for line, what in sorted(found)]


def test_no_module_but_core_jobs_writes_job_rows():
    sources = [p for folder in ("core", "tasks", "gui") for p in (ROOT / folder).rglob("*.py")]
    assert OWNER in sources and len(sources) > 30
    writes = [hit for path in sources if path not in (OWNER, MIGRATIONS)
              for hit in job_writes(path.read_text(encoding="utf-8"),
                                    str(path.relative_to(ROOT)))]
    assert writes == []


def test_the_scan_finds_each_kind_of_write():
    source = '''
Job.update(status="PENDING").where(Job.id == 1).execute()
Job.create(profile=p, url=u)
Job.insert(profile=p).execute()
job.save()
self.current_job.delete_instance()
db.execute_sql("UPDATE job SET status = 'PENDING'")
Project.update(title="x").execute()   # other tables are fine
project.save()
Job.select().where(Job.id == 1)       # reads are fine
'''
    hits = job_writes(source, "example.py")
    assert [hit.split(" ", 1)[1] for hit in hits] == [
        "Job.update", "Job.create", "Job.insert", "job.save()", "self.current_job.delete_instance()",
        "SQL \"UPDATE job SET status = 'PENDING'\""]
    # And it owns its writes: core/jobs.py itself is full of them.
    assert len(job_writes(OWNER.read_text(encoding="utf-8"), "core/jobs.py")) > 10
