"""SQL that differs between SQLite and PostgreSQL only in how it is written.

Each rule lives where it belongs (warmth in core/warmth.py, search in db/search_index.py);
these are the expressions whose spelling changes with the backend, so the rule's module
does not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Connection, Date, DateTime, Integer, Text, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class stored_text(FunctionElement[str]):
    """A column as the text SQLite stores it (``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM:SS.ffffff``,
    JSON as written): fast bulk reads skip type conversion on SQLite, and PostgreSQL gives
    the very same strings, so exports are identical on both."""

    type = Text()
    inherit_cache = True
    name = "stored_text"


@compiles(stored_text, "sqlite")
def _stored_text_sqlite(element: stored_text, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    return str(compiler.process(value, **kw))


@compiles(stored_text)
def _stored_text_default(element: stored_text, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    sql = compiler.process(value, **kw)
    if isinstance(value.type, DateTime):
        return f"to_char({sql}, 'YYYY-MM-DD HH24:MI:SS.US')"
    if isinstance(value.type, Date):
        return f"to_char({sql}, 'YYYY-MM-DD')"
    if isinstance(value.type, JSON):
        return f"CAST({sql} AS TEXT)"
    return f"CAST({sql} AS TEXT)"


def catch_up_sequences(connection: Connection) -> None:
    """After rows were written with their ids given (the demo, a copy), move each id
    sequence past the largest id, so the next row added gets a new one.

    SQLite needs nothing: AUTOINCREMENT already counts from the largest id ever written.
    """
    if connection.dialect.name != "postgresql":
        return
    from recruiter_desk.db.models import Base

    for table in Base.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or not isinstance(key[0].type, Integer):
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
        )
