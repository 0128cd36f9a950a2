"""The command line's quick read path: ``people --search Q`` through plain sqlite3.

Importing SQLAlchemy and the models costs a fresh process about 0.3 s, most of what a search
of 100k people takes as the user feels it. So a read-only command that only needs one
query runs it through the standard ``sqlite3`` module instead, with the SQL the SQLAlchemy
path itself emits: ``core/quick_read_sql.py`` is rendered from ``core/people.py``'s
statements by ``core/quick_read_render.py``, and a test renders it again and fails when the
two differ, so they cannot drift (docs/architecture.md, "The quick read path").

It also takes a status filter: each row's status is a column of that SQL, so the filter
keeps the rows whose status is the one asked for, in the order the search gives them.
Whatever this path does not handle (a URL, an encrypted file, a schema that needs
migrating, tag cadences, filters other than the search and a status, a damaged file) makes
it return None, and the command takes the ordinary path, which also words any error.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from math import isfinite
from operator import itemgetter
from pathlib import Path
from typing import Any

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import PYTHON_WHITESPACE, display_name_sql
from recruiter_desk.core.people_rows import PersonLists, PersonRow, person_row
from recruiter_desk.core.quick_read_sql import LIST_QUERIES, PEOPLE_SEARCH
from recruiter_desk.core.vocabulary import bits_to_work_modes
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
        # Pages read through memory instead of a read() each: 12k people's answer read
        # 30k pages, and those calls took 0.12 s of system time out of 0.4 s of CPU.
        connection.execute("PRAGMA mmap_size=1073741824")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        connection.close()
        return None
    if revision is None or revision[0] != HEAD_REVISION:
        connection.close()  # the ordinary path migrates it, or says why it cannot
        return None
    connection.row_factory = sqlite3.Row
    return connection


def _lists(
    connection: sqlite3.Connection, ids: list[int], keys: tuple[str, ...]
) -> dict[int, PersonLists]:
    collected: dict[int, PersonLists] = {}
    # Plain tuples, grouped by person as the queries order them: building a Row and looking
    # up the person for each of tens of thousands of items was most of a 12k-person answer.
    cursor = connection.cursor()
    cursor.row_factory = None
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for key, sql in LIST_QUERIES:
            if key not in keys:
                continue
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
    status: str | None = None,
    emails_only: bool = False,
) -> list[PersonRow] | None:
    """``people --search`` sorted by name (of one ``status`` if given), or None when the
    ordinary path must answer.

    ``emails_only``: of each person's lists only the emails (what their name may need), for
    a table that shows no other list; the rows' phones, tags and interests are left empty.
    """
    match = search_index.match_query(search)
    if match is None or policy.tag_cadences:
        return None
    connection = _open(path)
    if connection is None:
        return None
    try:
        sql, params = PEOPLE_SEARCH
        bound = bind(params, slot_values(as_of, policy, match))
        if status is not None:
            sql, bound = f"SELECT * FROM ({sql}) WHERE status = ?", [*bound, status]
        cursor = connection.execute(sql, bound)
        rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        keys = ("emails",) if emails_only else tuple(key for key, _ in LIST_QUERIES)
        lists = _lists(connection, [row["id"] for row in rows], keys)
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    daily(path, retention, now)  # the periodic backup the ordinary path takes on opening
    return [person_row(row, lists.get(row["id"])) for row in rows]


def _list_json(sql: str) -> str:
    """A rendered list query as SQL for one person's list, as ``json.dumps`` writes it."""
    found = re.fullmatch(
        r"SELECT \w+\.person_id, (\w+\.\w+) \nFROM (\w+) \nWHERE \w+\.person_id IN \(\{ids\}\) "
        r"ORDER BY \w+\.person_id, (.+)",
        sql,
        re.DOTALL,
    )
    assert found is not None, sql  # the renderer's shape changed: see tests/cli/test_quick_read.py
    column, table, order = found.groups()
    # group_concat keeps the order of its ordered subquery (SQLite keeps an ORDER BY under
    # an aggregate other than count/min/max).
    items = (
        f"SELECT json_quote({column}) AS item FROM {table} "
        f"WHERE {table}.person_id = p.id ORDER BY {order}"
    )
    return f"'[' || coalesce((SELECT group_concat(item, ', ') FROM ({items})), '') || ']'"


def json_columns(whitespace: str) -> tuple[str, str, tuple[str, ...]]:
    """SQL for ``PersonRow.to_json()`` of each row of a subquery ``p`` with the columns of
    ``core/people.people_statement``: the text before the warmth and the text after it
    (Python writes the warmth between them, see ``json_line``), and the keys written.

    Python rounds and writes the warmth, so the figure is exactly ``round(ratio, 3)`` as
    the ordinary path writes it (SQLite rounds some halves the other way). Separators are
    ``json.dumps``'s (", " and ": "), and ``json_quote`` escapes as it does with
    ``ensure_ascii=False``; a test compares both paths byte for byte. ``whitespace`` is
    SQL for ``PYTHON_WHITESPACE``: a parameter or a literal.
    """
    lists = {key: _list_json(sql) for key, sql in LIST_QUERIES}
    full_name = f"json_quote({display_name_sql('p', whitespace)})"
    modes = " ".join(
        f"WHEN {bits} THEN '{json.dumps(bits_to_work_modes(bits))}'" for bits in range(8)
    )
    before = (
        ("id", "p.id"),
        ("first_name", "json_quote(p.first_name)"),
        ("last_name", "json_quote(p.last_name)"),
        ("full_name", full_name),
        ("emails", lists["emails"]),
        ("phones", lists["phones"]),
        ("company", "json_quote(p.company)"),
        ("title", "json_quote(p.title)"),
        ("location", "json_quote(p.location)"),
        ("linkedin_url", "json_quote(p.linkedin_url)"),
        ("tags", lists["tags"]),
        ("interests", lists["interests"]),
        ("work_modes", f"CASE p.work_modes & 7 {modes} END"),
        ("do_not_contact", "CASE WHEN p.do_not_contact THEN 'true' ELSE 'false' END"),
        (
            "last_touch",
            "CASE WHEN p.last_touch_day IS NULL THEN 'null' "
            "ELSE json_quote(substr(p.last_touch_day, 1, 10)) END",
        ),
    )
    head = " || ".join(
        f"'{', ' if index else '{'}\"{key}\": ' || {value}"
        for index, (key, value) in enumerate(before)
    )
    tail = "', \"status\": ' || json_quote(p.status) || '}'"
    return f"{head} || ', \"warmth\": '", tail, (*(key for key, _ in before), "warmth", "status")


def _json_sql() -> tuple[str, tuple[str, ...]]:
    """The people search's rows as JSON lines: the text before the warmth, the ratio,
    do-not-contact, the text after it."""
    head, tail, keys = json_columns("?")
    sql = f"SELECT {head}, p.ratio, p.do_not_contact, {tail} FROM ({PEOPLE_SEARCH[0]}) AS p"
    return sql, keys


def _of_status(sql: str) -> str:
    """``_JSON_SQL`` for the people of one status (one more parameter, last)."""
    return f"{sql} WHERE p.status = ?"


def json_line(head: str, ratio: Any, do_not_contact: Any, tail: str) -> str:
    """One person's JSON from a row of ``json_columns``: the warmth written in between."""
    return f"{head}{_warmth(ratio, do_not_contact)}{tail}"


def _warmth(ratio: Any, do_not_contact: Any) -> str:
    if do_not_contact:
        return "null"
    value = round(float(ratio), 3)
    # json.dumps writes a finite float as float.__repr__ does, at a tenth of the cost.
    return repr(value) if isfinite(value) else json.dumps(value)


def search_people_json(
    path: Path,
    search: str,
    as_of: AsOf,
    policy: WarmthPolicy,
    *,
    limit: int | None,
    now: datetime,
    retention: Retention,
    status: str | None = None,
) -> list[str] | None:
    """``people --search --json`` piped (of one ``status`` if given): each person's line
    exactly as ``json.dumps(row.to_json(), ensure_ascii=False)`` writes it, or None when the
    ordinary path must answer.

    SQLite writes the JSON: fetching 12k people's 99k list items, building rows and
    encoding them in Python was two thirds of the whole command (docs/architecture.md,
    "The quick read path").
    """
    match = search_index.match_query(search)
    if match is None or policy.tag_cadences:
        return None
    connection = _open(path)
    if connection is None:
        return None
    try:
        connection.row_factory = None
        _, params = PEOPLE_SEARCH
        bound = [PYTHON_WHITESPACE, *bind(params, slot_values(as_of, policy, match))]
        if status is None:
            cursor = connection.execute(_JSON_SQL, bound)
        else:
            cursor = connection.execute(_of_status(_JSON_SQL), [*bound, status])
        rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    daily(path, retention, now)  # the periodic backup the ordinary path takes on opening
    return [json_line(*row) for row in rows]


# JSON_KEYS: the keys written, in order (a test holds them to PersonRow.to_json's).
_JSON_SQL, JSON_KEYS = _json_sql()
