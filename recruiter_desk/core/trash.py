"""Deleting people so that Undo can bring them back exactly, ids included."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from recruiter_desk.db import search_index, touch
from recruiter_desk.db.models import (
    Candidacy,
    FollowUp,
    ImportBatchItem,
    Interaction,
    Message,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
    StageChange,
)
from recruiter_desk.db.session import Database

# Parents before children, so restoring in this order satisfies the foreign keys.
_TABLES: tuple[Any, ...] = (
    Person,
    PersonEmail,
    PersonPhone,
    PersonTag,
    PersonInterest,
    Candidacy,
    StageChange,
    Interaction,
    Message,
    FollowUp,
    ImportBatchItem,
)


@dataclass(frozen=True)
class DeletedPeople:
    """Everything about the deleted people, row by row, as it was."""

    person_ids: tuple[int, ...]
    rows: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]

    @property
    def count(self) -> int:
        return len(self.person_ids)


def _rows_of(connection: Connection, table: Any, ids: Sequence[int]) -> list[dict[str, Any]]:
    if table is Person:
        condition = Person.id.in_(ids)
    elif table is StageChange:
        condition = StageChange.candidacy_id.in_(
            select(Candidacy.id).where(Candidacy.person_id.in_(ids))
        )
    else:
        condition = table.person_id.in_(ids)
    columns = table.__table__.columns
    return [dict(row._mapping) for row in connection.execute(select(*columns).where(condition))]


def snapshot_people(connection: Connection, person_ids: Sequence[int]) -> DeletedPeople:
    """Every row about these people as it is now, to put back later with ``put_back``."""
    ids = sorted(set(person_ids))
    saved: list[tuple[str, tuple[dict[str, Any], ...]]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for table in _TABLES:
            saved.append((table.__tablename__, tuple(_rows_of(connection, table, chunk))))
    return DeletedPeople(tuple(ids), tuple(saved))


def put_back(connection: Connection, snapshot: DeletedPeople, *, replace: bool = False) -> None:
    """Make these people exactly what the snapshot holds; with ``replace``, whoever of them
    exists now is replaced first, with everything that points at them."""
    ids = list(snapshot.person_ids)
    if replace:
        for start in range(0, len(ids), 500):
            connection.execute(delete(Person).where(Person.id.in_(ids[start : start + 500])))
    by_name = {table.__tablename__: table for table in _TABLES}
    for name in (t.__tablename__ for t in _TABLES):
        rows = [r for table_name, chunk in snapshot.rows if table_name == name for r in chunk]
        if rows:
            connection.execute(insert(by_name[name]), rows)
    touch.refresh_touch(connection, ids)
    search_index.reindex(connection, ids)


def delete_people(database: Database, person_ids: Sequence[int]) -> DeletedPeople:
    ids = sorted(set(person_ids))
    with database.connect() as connection:
        saved = snapshot_people(connection, ids)
        for start in range(0, len(ids), 500):
            connection.execute(delete(Person).where(Person.id.in_(ids[start : start + 500])))
        search_index.reindex(connection, ids)
    return saved


def restore_people(database: Database, deleted: DeletedPeople) -> int:
    with database.connect() as connection:
        put_back(connection, deleted)
    return deleted.count
