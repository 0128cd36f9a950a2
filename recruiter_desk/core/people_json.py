"""``people --json`` piped, on SQLite, through the ordinary path: SQLite writes each person's
JSON line around ``core/people.people_statement``, whatever the filters and sort.

The same columns as the quick read path's (``core/quick_read.json_columns``), over the
statement the list itself runs, so the lines are byte for byte what encoding the rows in
Python gives (tests/cli/test_quick_json.py); reading 5k people's lists and encoding them
in Python was most of a filtered ``people --json`` at 100k.
"""

from __future__ import annotations

from sqlalchemy import Connection, literal_column, select

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import PYTHON_WHITESPACE
from recruiter_desk.core.people import PeopleQuery, people_statement
from recruiter_desk.core.quick_read import json_columns, json_line
from recruiter_desk.core.warmth_policy import WarmthPolicy

# The whitespace set as an SQL literal: it holds no quote (a test checks the set).
_HEAD, _TAIL, _ = json_columns(f"'{PYTHON_WHITESPACE}'")


def people_json_lines(
    connection: Connection,
    query: PeopleQuery,
    as_of: AsOf,
    policy: WarmthPolicy,
    *,
    limit: int | None,
) -> list[str] | None:
    """Each listed person's ``json.dumps(row.to_json(), ensure_ascii=False)``, in list
    order; None on a server (its SQL has no ``json_quote``)."""
    if connection.dialect.name != "sqlite":
        return None
    statement = people_statement(connection, query, as_of, policy)
    if limit is not None:
        statement = statement.limit(limit)
    people = statement.subquery("p")
    rows = connection.execute(
        select(
            literal_column(_HEAD), people.c.ratio, people.c.do_not_contact, literal_column(_TAIL)
        ).select_from(people)
    ).all()
    return [json_line(*row) for row in rows]
