"""Finding projects without reading every one: a full-text index and a language table.

Searching used to test ``LIKE '%word%'`` on four columns of every project (250 ms a
keystroke at 100,000 projects when nothing matched), and the language list decoded
every project's JSON in Python (1–2.8 s). Two structures, kept in step with
``project`` by triggers (so every writer, in any process, keeps them right):

- ``project_search``: an FTS5 table with the trigram tokenizer (SQLite's standard
  tool for substring search) over the title, ``owner/name``, description and tags of
  each project, ``rowid`` = the project's id. A word of three characters or more is a
  phrase query: it finds what ``LIKE '%word%'`` finds, case-insensitively beyond ASCII
  too ("ärger" finds "Ärger"; LIKE folds ASCII only). A shorter word has no trigram:
  it is a ``LIKE`` on this table's own small copy of the four columns, not on the
  projects' rows (README and all).
- ``project_language``: (language, project) pairs from each project's ``languages``
  object; the language list reads its distinct names by index (a skip scan: one probe
  a language), and the language filter is an index lookup.

:func:`install` creates both, fills them from the projects there are, and adds the
triggers (catalog migration v8). On a catalog without them (another database server,
see issue 13) :func:`condition` falls back to ``LIKE`` and :func:`languages` to the
JSON: one function each, so callers never know.
"""

from __future__ import annotations

import weakref

from peewee import SQL, Database, Expression, Select, fn
from playhouse.sqlite_ext import FTS5Model, RowIDField, SearchField

from core.db_servers import is_postgres
from core.models import Project, database

SEARCH, LANGUAGES = "project_search", "project_language"
MIN_TRIGRAM = 3  # the trigram tokenizer needs this many characters to use its index
_COLUMNS = ("title", "full_name", "description", "tags")
_TAGS_TEXT = "NEW.tags"  # the JSON text, as LIKE searched it: ["web", "cli"]
_LANGUAGES_OF = ("SELECT {id}, language.key FROM json_each(CASE WHEN json_valid({languages}) "
                 "AND json_type({languages}) = 'object' THEN {languages} ELSE '{{}}' END) "
                 "AS language")

_TRIGGERS = {
    "project_search_insert": (
        "AFTER INSERT ON project BEGIN INSERT INTO project_search "
        "(rowid, title, full_name, description, tags) "
        f"VALUES (NEW.id, NEW.title, NEW.full_name, NEW.description, {_TAGS_TEXT}); END"),
    "project_search_update": (
        "AFTER UPDATE OF title, full_name, description, tags ON project BEGIN "
        "UPDATE project_search SET title = NEW.title, full_name = NEW.full_name, "
        f"description = NEW.description, tags = {_TAGS_TEXT} WHERE rowid = NEW.id; END"),
    "project_search_delete": (
        "AFTER DELETE ON project BEGIN DELETE FROM project_search WHERE rowid = OLD.id; END"),
    "project_language_insert": (
        "AFTER INSERT ON project BEGIN INSERT OR IGNORE INTO project_language "
        "(project_id, name) " + _LANGUAGES_OF.format(id="NEW.id", languages="NEW.languages")
        + "; END"),
    "project_language_update": (
        "AFTER UPDATE OF languages ON project BEGIN "
        "DELETE FROM project_language WHERE project_id = OLD.id; "
        "INSERT OR IGNORE INTO project_language (project_id, name) "
        + _LANGUAGES_OF.format(id="NEW.id", languages="NEW.languages") + "; END"),
    "project_language_delete": (
        "AFTER DELETE ON project BEGIN DELETE FROM project_language "
        "WHERE project_id = OLD.id; END"),
}


def available(db: Database) -> bool:
    return not is_postgres(db)


def install(db: Database) -> None:
    """Create the index and the language table, fill them, add the triggers (SQLite)."""
    if not available(db):
        return
    db.execute_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH} USING fts5("
                   f"{', '.join(_COLUMNS)}, tokenize = 'trigram')")
    db.execute_sql(f"DELETE FROM {SEARCH}")
    db.execute_sql(f"INSERT INTO {SEARCH} (rowid, {', '.join(_COLUMNS)}) "
                   f"SELECT id, {', '.join(_COLUMNS)} FROM project")
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {LANGUAGES} (name TEXT NOT NULL, "
                   "project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE, "
                   "PRIMARY KEY (name, project_id)) WITHOUT ROWID")
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS {LANGUAGES}_project ON {LANGUAGES} (project_id)")
    db.execute_sql(f"DELETE FROM {LANGUAGES}")
    db.execute_sql(f"INSERT OR IGNORE INTO {LANGUAGES} (project_id, name) "
                   + _LANGUAGES_OF.format(id="project.id", languages="project.languages")
                   .replace("FROM json_each", "FROM project, json_each"))
    for name, body in _TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    _INDEXED[db] = True


class ProjectSearch(FTS5Model):
    """The index as Peewee sees it (queries only: the migration creates it)."""

    rowid = RowIDField()
    title = SearchField()
    full_name = SearchField()
    description = SearchField()
    tags = SearchField()

    class Meta:
        database = database
        table_name = SEARCH


_INDEXED: "weakref.WeakKeyDictionary[Database, bool]" = weakref.WeakKeyDictionary()
# Choosing how to fill a page (see condition), from costs measured at 100,000 projects:
# gathering the matches from the index costs ~3 us a match; testing a row in the page's
# order ~1 us with LIKE on its own columns, or ~20 us a trigram with the index (a word
# with letters beyond ASCII, which LIKE would not fold). Walking costs rows x N / matches
# tests, so it wins when matches^2 > rows x N x (cost of a test / 3 us): the factors.
WALK_FACTOR = 1 / 3
INDEX_WALK_FACTOR = 7  # a test by the index, a trigram of the query
LANGUAGE_WALK_FACTOR = 1  # an index probe of the language table costs about a gathered match
SAMPLE = 2_000  # rows a short word is tried on, to tell a common one from a rare one


def _has_index() -> bool:
    """Whether the open catalog has the index (asked once per database object)."""
    db = getattr(database, "obj", database)
    if db not in _INDEXED:
        _INDEXED[db] = available(db) and bool(db.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (SEARCH,)).fetchone())
    return _INDEXED[db]


def condition(words: list[str], rows: int | None = None) -> Expression | None:
    """Projects in which every word appears (in the title, ``owner/name``, description
    or tags, any case): the one place the catalog decides how to search.

    ``rows``: how many rows of the result the caller reads (a page: offset + limit), or
    None for all. With a page to fill and many matches, each row the page's order walks
    past is tested (a page of a common word is found in a few hundred tests, with LIKE on
    the row as before the index, or the index for a word beyond ASCII); otherwise the
    matches are gathered from the index first (a rare word, or no match at all, costs
    what its matches cost, not a read of every project).
    """
    words = [w for w in words if w]
    if not words:
        return None
    if not _has_index():
        return like_condition(words)
    long = [w for w in words if len(w) >= MIN_TRIGRAM]
    parts = []
    if long:
        found = ProjectSearch.match(" AND ".join(_phrase(w) for w in long))
        if rows is not None and _common(found, rows, long):
            parts += [_tested(w, ProjectSearch.match(_phrase(w))) for w in long]
        else:
            parts.append(_gathered(found))
    for word in (w for w in words if len(w) < MIN_TRIGRAM):
        # contains() escapes LIKE wildcards and matches case-insensitively (ASCII).
        found = (ProjectSearch.title.contains(word) | ProjectSearch.full_name.contains(word)
                 | ProjectSearch.description.contains(word) | ProjectSearch.tags.contains(word))
        walk = rows is not None and _common_in_sample(found)
        parts.append(_tested(word, found) if walk else _gathered(found))
    result = parts[0]
    for part in parts[1:]:
        result &= part
    return result


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _gathered(found: Expression) -> Expression:
    return Project.id.in_(ProjectSearch.select(ProjectSearch.rowid).where(found))


def _tested(word: str, found: Expression) -> Expression:
    """``word`` tested on each row as the page's order reaches it: LIKE on the row's own
    columns for a word in ASCII (what the index finds, at a twentieth of a probe), the
    index's row otherwise."""
    if word.isascii():
        return like_condition([word])
    return fn.EXISTS(ProjectSearch.select(SQL("1")).where(
        (ProjectSearch.rowid == Project.id) & found))


def _common(found: Expression, rows: int, words: list[str]) -> bool:
    """Whether the matches are many enough to walk (counting them reads the index only)."""
    matches = ProjectSearch.select().where(found).count()
    size = Project.select(fn.MAX(Project.id)).scalar() or 0
    factor = (WALK_FACTOR if all(w.isascii() for w in words)
              else INDEX_WALK_FACTOR * sum(len(w) - MIN_TRIGRAM + 1 for w in words))
    return matches * matches > factor * max(rows, 1) * size


def _common_in_sample(found: Expression) -> bool:
    """A short word has no trigrams to count by: whether it appears in a sample."""
    sample = ProjectSearch.select(ProjectSearch.rowid).limit(SAMPLE)
    return ProjectSearch.select().where(ProjectSearch.rowid.in_(sample) & found).count() > 1


def like_condition(words: list[str]) -> Expression:
    """Without the index: every word a substring of one of the four columns (LIKE)."""
    found = None
    for word in words:
        # contains() escapes LIKE wildcards and matches case-insensitively.
        hit = (Project.title.contains(word) | Project.full_name.contains(word)
               | Project.description.contains(word)
               # JSON columns: cast, or Peewee JSON-encodes the LIKE pattern too.
               | Project.tags.cast("TEXT").contains(word))
        found = hit if found is None else found & hit
    return found


def language_condition(language: str, rows: int | None = None) -> Expression:
    """Projects whose languages include ``language`` (exactly, as GitHub names it);
    ``rows`` as for :func:`condition`."""
    if not _has_index():
        # languages is a JSON object of name -> bytes; match the quoted key.
        return Project.languages.cast("TEXT").contains(f'"{language}":')
    table = SQL(LANGUAGES)
    if rows is not None:
        matches = _scalar(f"SELECT count(*) FROM {LANGUAGES} WHERE name = ?", language)
        size = Project.select(fn.MAX(Project.id)).scalar() or 0
        if matches * matches > LANGUAGE_WALK_FACTOR * max(rows, 1) * size:
            return fn.EXISTS(Select([table], [SQL("1")]).where(
                (SQL("name") == language) & (SQL("project_id") == Project.id)))
    return Project.id.in_(Select([table], [SQL("project_id")]).where(SQL("name") == language))


def _scalar(sql: str, *params: object) -> int:
    return getattr(database, "obj", database).execute_sql(sql, params).fetchone()[0]


def languages() -> list[str] | None:
    """Every language of the catalog's projects, by name, read by index (one probe a
    language, whatever the number of projects); None without the table."""
    if not _has_index():
        return None
    db = Project._meta.database
    rows = db.execute_sql(
        f"WITH RECURSIVE seen(name) AS (SELECT min(name) FROM {LANGUAGES} UNION ALL "
        f"SELECT (SELECT min(name) FROM {LANGUAGES} WHERE name > seen.name) FROM seen "
        "WHERE seen.name IS NOT NULL) SELECT name FROM seen WHERE name IS NOT NULL")
    return sorted((name for (name,) in rows), key=str.lower)
