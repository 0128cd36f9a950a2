"""The window's writers take the write lock before reading what they write (issue 9): a
second program writing in between would otherwise make those reads stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event

from recruiter_desk.core.opportunities import add_opportunity
from recruiter_desk.core.services import Services
from recruiter_desk.db.session import Database
from recruiter_desk.paths import app_paths
from recruiter_desk.settings import Settings
from tests.conftest import NOW, add_person


def _first_statement(database: Database, action: Callable[[], Any]) -> str:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.strip().split()[0].upper() + " " + statement.strip().split()[1])

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    return seen[0]


@pytest.mark.parametrize("writer", ["log_interaction", "snooze", "add_to_role"])
def test_a_window_write_takes_the_lock_before_its_first_read(
    database: Database, writer: str
) -> None:
    services = Services(database, Settings(), app_paths())
    person = add_person(database, first_name="Ana", emails=["ana@x.example"])
    with database.session() as session:
        role = add_opportunity(session, title="Data Engineer", company="Acme", now=NOW).id
    actions: dict[str, Callable[[], Any]] = {
        "log_interaction": lambda: services.log_interaction(person, "email", "outbound", "Hi", NOW),
        "snooze": lambda: services.snooze(person, 7, "on leave"),
        "add_to_role": lambda: services.add_to_role([person], role),
    }
    lock = database.write_lock_sql
    assert lock is not None
    assert _first_statement(database, actions[writer]) == lock.split()[0] + " " + lock.split()[1]
