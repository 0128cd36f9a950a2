"""The command line's quick read path: ``people --search Q`` through plain sqlite3.

Importing SQLAlchemy and the models costs a fresh process about 0.3 s, most of what a search
of 100k people takes as the user feels it. So a read-only command that only needs one
query runs it through the standard ``sqlite3`` module instead, with the SQL the SQLAlchemy
path itself emits: ``core/quick_read_sql.py`` is rendered from ``core/people.py``'s
statements by ``core/quick_read_render.py``, and a test renders it again and fails when the
two differ, so they cannot drift (docs/architecture.md, "The quick read path").

Whatever this path does not handle (a URL, an encrypted file, a schema that needs
migrating, tag cadences, filters other than the search, a damaged file) makes it return
None, and the command takes the ordinary path, which also words any error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.people_rows import PersonLists, PersonRow, person_row
from recruiter_desk.core.quick_read_sql import LIST_QUERIES, PEOPLE_SEARCH
from recruiter_desk.core.warmth_policy import WarmthPolicy
from recruiter_desk.db import search_index
from recruiter_desk.db.backup import Retention, daily, is_encrypted_file
from recruiter_desk.db.migrate import HEAD_REVISION

# How SQLAlchemy's SQLite DateTime type writes a datetime parameter; the renderer checks
# that the values below are exactly the ones SQLAlchemy sent.
_STORED_DATETIME = "%Y-%m-%d %H:%M:%S.%f"

# Lists are read for this many people per query, as ``core/people.person_lists`` does.
_CHUNK = 900


def slot_values(as_of: AsOf, policy: WarmthPolicy, match: str) -> dict[str, Any]:
    """What each named parameter of the rendered SQL is for one call, as sent to sqlite3."""
    return {
        "cut": as_of.end_utc.strftime(_STORED_DATETIME),
        "day": as_of.day.isoformat(),
        "offset": f"{as_of.utc_offset_seconds} seconds",
        "active_cadence_days": policy.active_cadence_days,
        "default_cadence_days": policy.default_cadence_days,
        "cooling_at": policy.cooling_at,
        "cold_at": policy.cold_at,
        "match": match,
    }


def bind(params: Sequence[tuple[str, Any]], values: dict[str, Any]) -> list[Any]:
    """The rendered parameter list filled in: a constant, a slot, or a slot inside text."""
    bound = []
    for kind, value in params:
        if kind == "constant":
            bound.append(value)
        elif kind == "slot":
            bound.append(values[value])
        else:  # "format": text around the search expression, e.g. 'name : ({match})'
            bound.append(value.format(**values))
    return bound


def _open(path: Path) -> sqlite3.Connection | None:
    if not path.is_file() or is_encrypted_file(path):
        return None
    connection = sqlite3.connect(str(path))
    try:
        connection.execute("PRAGMA busy_timeout=5000")
        connection.execute("PRAGMA query_only=ON")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        connection.close()
        return None
    if revision is None or revision[0] != HEAD_REVISION:
        connection.close()  # the ordinary path migrates it, or says why it cannot
        return None
    connection.row_factory = sqlite3.Row
    return connection


def _lists(connection: sqlite3.Connection, ids: list[int]) -> dict[int, PersonLists]:
    collected: dict[int, PersonLists] = {}
    # Plain tuples, grouped by person as the queries order them: building a Row and looking
    # up the person for each of tens of thousands of items was most of a 12k-person answer.
    cursor = connection.cursor()
    cursor.row_factory = None
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for key, sql in LIST_QUERIES:
            rows = cursor.execute(sql.format(ids=marks), chunk).fetchall()
            for person_id, items in groupby(rows, key=itemgetter(0)):
                lists = collected.get(person_id)
                if lists is None:
                    lists = collected[person_id] = PersonLists()
                getattr(lists, key).extend(item for _, item in items)
    return collected


def search_people(
    path: Path,
    search: str,
    as_of: AsOf,
    policy: WarmthPolicy,
    *,
    limit: int | None,
    now: datetime,
    retention: Retention,
) -> list[PersonRow] | None:
    """``people --search`` sorted by name, or None when the ordinary path must answer."""
    match = search_index.match_query(search)
    if match is None or policy.tag_cadences:
        return None
    connection = _open(path)
    if connection is None:
        return None
    try:
        sql, params = PEOPLE_SEARCH
        cursor = connection.execute(sql, bind(params, slot_values(as_of, policy, match)))
        rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        lists = _lists(connection, [row["id"] for row in rows])
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    daily(path, retention, now)  # the periodic backup the ordinary path takes on opening
    return [person_row(row, lists.get(row["id"])) for row in rows]
