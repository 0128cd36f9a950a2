"""Writes ``core/quick_read_sql.py``: the SQL the SQLAlchemy path sends, for the quick path.

    python -m recruiter_desk.core.quick_read_render

The statements of ``core/people.py`` run once on an empty database with unmistakable
values (a day in 1901, a zone 1 h 23 min east, cadences of 7001 and 9001 days, a search for
"qzxjv"); every parameter sqlite3 receives is either one of those values, which
``quick_read.slot_values`` must produce exactly as SQLAlchemy did, or a constant of the
query. ``tests/core/test_quick_read.py`` renders again and fails when the module is stale.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import event

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.people import LIST_SOURCES, PeopleQuery, people_statement, person_lists
from recruiter_desk.core.quick_read import slot_values
from recruiter_desk.core.warmth_policy import WarmthPolicy
from recruiter_desk.db import search_index
from recruiter_desk.db.open import open_database

MODULE = Path(__file__).with_name("quick_read_sql.py")

_AS_OF = AsOf(date(1901, 2, 3), timezone(timedelta(hours=1, minutes=23)))
_POLICY = WarmthPolicy(
    active_cadence_days=7001, default_cadence_days=9001, cooling_at=0.6125, cold_at=1.4375
)
_SENTINEL_NUMBERS = (7001, 9001, 0.6125, 1.4375)
_SEARCH = "qzxjv"
_PERSON = 987654321

Rendered = tuple[str, tuple[tuple[str, Any], ...]]


def _slots(parameters: Any) -> tuple[tuple[str, Any], ...]:
    match = search_index.match_query(_SEARCH)
    assert match is not None
    values = slot_values(_AS_OF, _POLICY, match)
    named = {repr(value): name for name, value in values.items()}
    result = []
    for parameter in parameters:
        if repr(parameter) in named:
            result.append(("slot", named[repr(parameter)]))
        elif isinstance(parameter, str) and match in parameter:
            result.append(("format", parameter.replace(match, "{match}")))
        else:
            # A sentinel left as a constant means slot_values writes it unlike SQLAlchemy.
            assert "1901" not in repr(parameter) and parameter not in _SENTINEL_NUMBERS, parameter
            result.append(("constant", parameter))
    missing = set(values) - {value for kind, value in result if kind == "slot"}
    assert not missing, f"the rendered query no longer uses {sorted(missing)}"
    return tuple(result)


def render() -> tuple[Rendered, tuple[tuple[str, str], ...]]:
    """The people search (sorted by name) and the four list queries, as sqlite3 gets them."""
    with tempfile.TemporaryDirectory(prefix="quick-read-render-") as folder:
        database = open_database(str(Path(folder) / "render.sqlite3"), daily_backup=False)
        sent: list[tuple[str, Any]] = []

        def capture(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            sent.append((statement, parameters))

        event.listen(database.engine, "before_cursor_execute", capture)
        try:
            with database.connect() as connection:
                query = PeopleQuery(search=_SEARCH)
                built = people_statement(connection, query, _AS_OF, _POLICY, use_stored=False)
                connection.execute(built).all()
                (statement, parameters), *_ = sent
                people = (statement, _slots(parameters))
                sent.clear()
                person_lists(connection, [_PERSON])
        finally:
            database.close()
    lists = []
    for (key, *_), (statement, parameters) in zip(LIST_SOURCES, sent, strict=True):
        assert tuple(parameters) == (_PERSON,) and statement.count("IN (?)") == 1, statement
        lists.append((key, statement.replace("IN (?)", "IN ({ids})")))
    return people, tuple(lists)


def module_text() -> str:
    people, lists = render()
    return (
        '"""Rendered by ``python -m recruiter_desk.core.quick_read_render``: do not edit.\n\n'
        "The SQL ``core/people.py`` sends for ``people --search``, for ``core/quick_read.py``.\n"
        '"""\n\n'
        "# ruff: noqa: E501\n\n"
        "from typing import Any\n\n"
        f"PEOPLE_SEARCH: tuple[str, tuple[tuple[str, Any], ...]] = {people!r}\n\n"
        f"LIST_QUERIES: tuple[tuple[str, str], ...] = {lists!r}\n"
    )


if __name__ == "__main__":
    MODULE.write_text(module_text(), encoding="utf-8")
    print(f"wrote {MODULE}; now run: ruff format {MODULE}")
