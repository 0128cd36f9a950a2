"""Full-text search over people (SQLite FTS5), kept in step with every write.

The index is a plain FTS5 table whose rowid is the person id. Text is folded before it is
indexed and before it is searched, with the one letter fold (``recruiter_desk.folding``,
docs/rules.md "Identity"), so search, same-person keys and name order agree: Søren is Soren.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from recruiter_desk.folding import fold

if TYPE_CHECKING:
    from sqlalchemy import Connection

# SQLAlchemy is imported by the functions that run SQL: ``match_query`` serves the command
# line's quick read path (core/quick_read.py), which must not load it.

FTS_TABLE = "people_fts"
FTS_COLUMNS = ("name", "emails", "company", "title", "tags", "notes")

CREATE_FTS_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    + ", ".join(FTS_COLUMNS)
    + ", tokenize = 'unicode61 remove_diacritics 2')"
)

_TOKEN = re.compile(r"\w+", re.UNICODE)


def match_query(user_query: str) -> str | None:
    """An FTS5 MATCH expression where every word must prefix-match, or None if no words.

    Each word is quoted, so characters FTS5 treats as syntax (``"``, ``-``, ``:``) are data.
    """
    words = _TOKEN.findall(fold(user_query).replace("_", " "))
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def is_supported(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def reindex(connection: Connection, person_ids: Iterable[int] | None = None) -> None:
    """Rebuild the index rows of these people (all people when ``person_ids`` is None).

    Ids of people who no longer exist just lose their rows, so callers can pass every id a
    transaction touched, deleted or not.
    """
    from sqlalchemy import text

    if not is_supported(connection):
        return
    if person_ids is None:
        connection.execute(text(f"DELETE FROM {FTS_TABLE}"))
        _insert_documents(connection, None)
        return
    ids = sorted(set(person_ids))
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        placeholders = ",".join(str(int(i)) for i in chunk)
        connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})"))
        _insert_documents(connection, chunk)


def _insert_documents(connection: Connection, ids: Sequence[int] | None) -> None:
    from sqlalchemy import text

    where = "" if ids is None else "WHERE p.id IN (" + ",".join(str(int(i)) for i in ids) + ")"
    rows = connection.execute(
        text(
            f"""
            SELECT p.id, p.first_name || ' ' || p.last_name, p.company, p.title, p.notes,
                   (SELECT group_concat(e.address, ' ') FROM person_emails e
                     WHERE e.person_id = p.id),
                   (SELECT group_concat(t.tag, ' ') FROM person_tags t
                     WHERE t.person_id = p.id)
            FROM people p {where}
            """
        )
    )
    documents = [
        {
            "rowid": pid,
            "name": fold(name or ""),
            "emails": fold(emails or ""),
            "company": fold(company or ""),
            "title": fold(title or ""),
            "tags": fold(tags or ""),
            "notes": fold(notes or ""),
        }
        for pid, name, company, title, notes, emails, tags in rows
    ]
    if documents:
        connection.execute(
            text(
                f"INSERT INTO {FTS_TABLE}(rowid, {', '.join(FTS_COLUMNS)}) VALUES "
                f"(:rowid, {', '.join(':' + c for c in FTS_COLUMNS)})"
            ),
            documents,
        )


def indexed_ids(connection: Connection) -> set[int]:
    from sqlalchemy import text

    if not is_supported(connection):
        return set()
    return {row[0] for row in connection.execute(text(f"SELECT rowid FROM {FTS_TABLE}"))}
