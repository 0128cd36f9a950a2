"""Full-text search over interaction subjects and bodies (SQLite FTS5), kept in step by triggers.

The index is a contentless FTS5 table whose rowid is the interaction id: it holds the terms
only, the text stays in ``interactions``. Text is folded with the one letter fold
(``recruiter_desk.folding``, docs/rules.md "Identity") before it is indexed and before it is
searched, as people search does, so "soren" finds "Søren" in a mail body.

Triggers on ``interactions`` keep the index in step with every write (the ORM, bulk imports,
cascades from deleting a person), so no write path can forget it. They fold through the SQL
function ``rd_fold``, which every connection the app opens registers (``db/engine.py``); a
program that writes interactions without it fails with "no such function: rd_fold" rather
than leaving the index stale. Reading needs nothing.

A contentless table is told what to delete by the values it indexed, so changing the fold
means rebuilding this index (``rebuild``) in the migration that changes it.

``matches`` is the one place the timeline's text condition is written, per dialect.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, literal_column, or_, text

from recruiter_desk.db.models import Interaction
from recruiter_desk.db.search_index import match_query
from recruiter_desk.folding import fold

FTS_TABLE = "interactions_fts"
FOLD_FUNCTION = "rd_fold"
TRIGGERS = ("interactions_fts_insert", "interactions_fts_delete", "interactions_fts_update")

# Notes without a subject or body (a logged call) are not indexed at all; the delete side
# uses the same test, so the index is only ever told to forget what it was given.
_HAS_TEXT = "(coalesce({row}.subject, '') != '' OR coalesce({row}.body, '') != '')"
_INSERT = (
    f"INSERT INTO {FTS_TABLE}(rowid, subject, body) "
    f"SELECT new.id, {FOLD_FUNCTION}(new.subject), {FOLD_FUNCTION}(new.body) "
    f"WHERE {_HAS_TEXT.format(row='new')};"
)
_DELETE = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, subject, body) "
    f"SELECT 'delete', old.id, {FOLD_FUNCTION}(old.subject), {FOLD_FUNCTION}(old.body) "
    f"WHERE {_HAS_TEXT.format(row='old')};"
)

CREATE_SQL: tuple[str, ...] = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "subject, body, content = '', tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS interactions_fts_insert AFTER INSERT ON interactions "
    f"BEGIN {_INSERT} END",
    f"CREATE TRIGGER IF NOT EXISTS interactions_fts_delete AFTER DELETE ON interactions "
    f"BEGIN {_DELETE} END",
    f"CREATE TRIGGER IF NOT EXISTS interactions_fts_update AFTER UPDATE OF subject, body "
    f"ON interactions BEGIN {_DELETE} {_INSERT} END",
)
DROP_SQL: tuple[str, ...] = (
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def fold_for_sql(value: Any) -> str:
    """``rd_fold``: NULL and non-text fold to '' so a trigger never indexes 'None'."""
    return fold(value) if isinstance(value, str) and value else ""


def register_fold(dbapi_connection: Any) -> None:
    """Make ``rd_fold`` callable on a raw SQLite (or SQLCipher) connection."""
    dbapi_connection.create_function(FOLD_FUNCTION, 1, fold_for_sql, deterministic=True)


def is_supported(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def purge(connection: Connection) -> None:
    """Merge the index so the terms of deleted interactions leave the file (erasure): a
    contentless index only marks them deleted until its segments are merged."""
    if is_supported(connection) and exists(connection):
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def exists(connection: Connection) -> bool:
    """Whether the index is there (a backup from before migration 0011 has none)."""
    found = connection.exec_driver_sql(
        f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{FTS_TABLE}'"
    )
    return found.first() is not None


def suspend(connection: Connection) -> bool:
    """Drop the triggers for a bulk load into an empty database; ``resume`` indexes what
    was loaded in one pass and puts them back. One INSERT … SELECT costs a tenth of the
    CPU of a trigger per row (demo, 104k interactions: 0.19 s against 1.7 s). Use both in
    one transaction, so a rollback leaves the triggers where they were. False where there
    is nothing to suspend (another database, or a file from before migration 0011)."""
    if not (is_supported(connection) and exists(connection)):
        return False
    for name in TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    return True


def resume(connection: Connection) -> None:
    """Index every interaction and put the triggers back (after ``suspend``)."""
    rebuild(connection)
    for statement in CREATE_SQL:
        connection.exec_driver_sql(statement)


def rebuild(connection: Connection) -> None:
    """Index every interaction anew (after a migration, or a change of the fold)."""
    if not is_supported(connection):
        return
    # rd_fold is there: every connection of the app's engine registers it (db/engine.py).
    connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, subject, body) "
        f"SELECT id, {FOLD_FUNCTION}(subject), {FOLD_FUNCTION}(body) FROM interactions "
        f"WHERE {_HAS_TEXT.format(row='interactions')}"
    )


def match_expression(user_text: str) -> str | None:
    """The FTS5 MATCH for what the recruiter typed: every word, as a prefix, any accents."""
    return match_query(user_text)


# Above this many matches a search walks the timeline in time order (see ``matches``).
DENSE_MATCHES = 2000


def _is_dense(connection: Connection, expression: str) -> bool:
    probe = text(
        f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expression "
        f"LIMIT {DENSE_MATCHES + 1})"
    ).bindparams(expression=expression)
    return int(connection.execute(probe).scalar_one()) > DENSE_MATCHES


def matching_rowids(expression: str, limit: int | None = None) -> Any:
    """``SELECT rowid`` of the interactions an FTS5 expression matches, newest ids first."""
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expression"
    if limit is not None:
        sql += f" ORDER BY rowid DESC LIMIT {int(limit)}"
    return text(sql).bindparams(expression=expression)


def matches(connection: Connection, user_text: str) -> ColumnElement[bool] | None:
    """The condition "this interaction's subject or body holds these words", or None when
    the text has no words (nothing to filter on).

    SQLite: the FTS5 index. Other databases: a case-insensitive substring of subject or
    body until they get their own index (PostgreSQL's tsvector belongs here).
    """
    if is_supported(connection):
        expression = match_expression(user_text)
        if expression is None:
            return None
        ids = matching_rowids(expression)
        if _is_dense(connection, expression):
            # Many matches ("checking" in 50k of 1M): walk the time index and test each
            # entry against the set of matches, stopping once the page is full; the unary
            # plus keeps SQLite from driving by id, which would fetch and sort every match
            # (87 ms against 15 ms at 1M). Few matches: fetch and sort just them.
            return literal_column("+interactions.id").in_(ids)
        return Interaction.id.in_(ids)
    words = user_text.strip()
    if not words:
        return None
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(
        Interaction.subject.ilike(pattern, escape="\\"),
        Interaction.body.ilike(pattern, escape="\\"),
    )
