"""Full-text search over people, kept in step with every write: SQLite FTS5 or a PostgreSQL
``tsvector``, with the same results on the same data (docs/architecture.md, "Backends").

Text is folded before it is indexed and before it is searched, with the one letter fold
(``recruiter_desk.folding``, docs/rules.md "Identity"), so search, same-person keys and name
order agree: Søren is Soren. Words are cut here too (``words``), so both backends see the same
words whatever their own tokenizers would make of an email address or a hyphen: FTS5 reads
the words as they come; PostgreSQL passes them through ``unaccent`` and the ``simple``
configuration (no stemming, no stop words), which leave folded words as they are.

- SQLite: an FTS5 table ``people_fts`` whose rowid is the person id, a column per field.
- PostgreSQL: ``people_search(person_id, document)``, one weighted ``tsvector`` per person
  (name A, title B, company C, the rest D) behind a GIN index; a search limited to the name
  or the title asks for that weight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from recruiter_desk.folding import fold

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.sql import Select

# SQLAlchemy is imported by the functions that run SQL: ``match_query`` serves the command
# line's quick read path (core/quick_read.py), which must not load it.

FTS_TABLE = "people_fts"
FTS_COLUMNS = ("name", "emails", "company", "title", "tags", "notes")
PG_TABLE = "people_search"
# The tsvector weight each field is indexed with on PostgreSQL.
PG_WEIGHTS = {"name": "A", "title": "B", "company": "C", "emails": "D", "tags": "D", "notes": "D"}

CREATE_FTS_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    + ", ".join(FTS_COLUMNS)
    + ", tokenize = 'unicode61 remove_diacritics 2')"
)

# The text search configuration: words as they are, no stemming and no stop words (FTS5's).
_SIMPLE = "'simple'::regconfig"

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def words(value: str) -> list[str]:
    """The searchable words of a text: folded, split on anything but letters and digits."""
    return _TOKEN.findall(fold(value))


def is_index_table(name: str) -> bool:
    """Whether a table is the search index (FTS5 keeps shadow tables beside its own)."""
    return name.startswith(FTS_TABLE) or name == PG_TABLE


def is_supported(connection: Connection) -> bool:
    return connection.dialect.name in ("sqlite", "postgresql")


def match_query(user_query: str) -> str | None:
    """An FTS5 MATCH expression where every word must prefix-match, or None if no words.

    Each word is quoted, so characters FTS5 treats as syntax (``"``, ``-``, ``:``) are data.
    """
    found = words(user_query)
    if not found:
        return None
    return " ".join(f'"{word}"*' for word in found)


def matching_ids(
    connection: Connection,
    user_query: str,
    *,
    field: str | None = None,
    prefix: bool = True,
) -> Select[Any] | None:
    """Ids of the people whose text has every word of the query (as prefixes, or whole words
    with ``prefix=False``), in one field or any; None when the query has no words.

    The result is one integer column, for ``Person.id.in_(...)``.
    """
    from sqlalchemy import Integer, bindparam, column, func, literal_column, select, table, text

    found = words(user_query)
    if not found:
        return None
    if connection.dialect.name == "postgresql":
        # 'word':*A is "a word starting with word, in the name"; the words hold only letters
        # and digits, so quoting them keeps them data.
        suffix = ("*" if prefix else "") + (PG_WEIGHTS[field] if field else "")
        tsquery = " & ".join(f"'{word}'" + (f":{suffix}" if suffix else "") for word in found)
        document: Any = column("document")
        return (
            select(column("person_id", Integer))
            .select_from(table(PG_TABLE))
            .where(
                document.op("@@")(func.to_tsquery(literal_column(_SIMPLE), func.unaccent(tsquery)))
            )
        )
    expression = " ".join(f'"{word}"' + ("*" if prefix else "") for word in found)
    if field:
        expression = f"{field} : ({expression})"
    return (
        select(column("rowid", Integer))
        .select_from(table(FTS_TABLE))
        # unique: a statement may hold two searches (all fields, and the name alone).
        .where(
            text(f"{FTS_TABLE} MATCH :fts_query").bindparams(
                bindparam("fts_query", expression, unique=True)
            )
        )
    )


def reindex(connection: Connection, person_ids: Iterable[int] | None = None) -> None:
    """Rebuild the index rows of these people (all people when ``person_ids`` is None).

    Ids of people who no longer exist just lose their rows, so callers can pass every id a
    transaction touched, deleted or not.
    """
    from sqlalchemy import text

    if not is_supported(connection):
        return
    key = _key_column(connection)
    target = _table_name(connection)
    if person_ids is None:
        connection.execute(text(f"DELETE FROM {target}"))
        _insert_documents(connection, None)
        return
    ids = sorted(set(person_ids))
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        placeholders = ",".join(str(int(i)) for i in chunk)
        connection.execute(text(f"DELETE FROM {target} WHERE {key} IN ({placeholders})"))
        _insert_documents(connection, chunk)


def index_table(dialect_name: str) -> str:
    """The search index's table on this backend."""
    return PG_TABLE if dialect_name == "postgresql" else FTS_TABLE


def _table_name(connection: Connection) -> str:
    return index_table(connection.dialect.name)


def _key_column(connection: Connection) -> str:
    return "person_id" if connection.dialect.name == "postgresql" else "rowid"


def _insert_documents(connection: Connection, ids: Sequence[int] | None) -> None:
    from sqlalchemy import text

    where = "" if ids is None else "WHERE p.id IN (" + ",".join(str(int(i)) for i in ids) + ")"
    # group_concat on SQLite, string_agg on PostgreSQL (their names for the same aggregate).
    joined = "string_agg" if connection.dialect.name == "postgresql" else "group_concat"
    rows = connection.execute(
        text(
            f"""
            SELECT p.id, p.first_name || ' ' || p.last_name, p.company, p.title, p.notes,
                   (SELECT {joined}(e.address, ' ') FROM person_emails e
                     WHERE e.person_id = p.id),
                   (SELECT {joined}(t.tag, ' ') FROM person_tags t
                     WHERE t.person_id = p.id)
            FROM people p {where}
            """
        )
    )
    documents = [
        {
            "rowid": pid,
            "name": " ".join(words(name or "")),
            "emails": " ".join(words(emails or "")),
            "company": " ".join(words(company or "")),
            "title": " ".join(words(title or "")),
            "tags": " ".join(words(tags or "")),
            "notes": " ".join(words(notes or "")),
        }
        for pid, name, company, title, notes, emails, tags in rows
    ]
    if not documents:
        return
    if connection.dialect.name == "postgresql":
        vector = " || ".join(
            f"setweight(to_tsvector('simple', unaccent(:{c})), '{PG_WEIGHTS[c]}')"
            for c in FTS_COLUMNS
        )
        statement = f"INSERT INTO {PG_TABLE}(person_id, document) VALUES (:rowid, {vector})"
    else:
        statement = (
            f"INSERT INTO {FTS_TABLE}(rowid, {', '.join(FTS_COLUMNS)}) VALUES "
            f"(:rowid, {', '.join(':' + c for c in FTS_COLUMNS)})"
        )
    connection.execute(text(statement), documents)


def indexed_ids(connection: Connection) -> set[int]:
    from sqlalchemy import text

    if not is_supported(connection):
        return set()
    key, target = _key_column(connection), _table_name(connection)
    return {row[0] for row in connection.execute(text(f"SELECT {key} FROM {target}"))}
