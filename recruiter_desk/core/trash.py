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


def delete_people(database: Database, person_ids: Sequence[int]) -> DeletedPeople:
    ids = sorted(set(person_ids))
    saved: list[tuple[str, tuple[dict[str, Any], ...]]] = []
    with database.connect() as connection:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for table in _TABLES:
                saved.append((table.__tablename__, tuple(_rows_of(connection, table, chunk))))
            connection.execute(delete(Person).where(Person.id.in_(chunk)))
        search_index.reindex(connection, ids)
    return DeletedPeople(tuple(ids), tuple(saved))


def restore_people(database: Database, deleted: DeletedPeople) -> int:
    by_name = {table.__tablename__: table for table in _TABLES}
    with database.connect() as connection:
        for name in (t.__tablename__ for t in _TABLES):
            rows = [r for table_name, chunk in deleted.rows if table_name == name for r in chunk]
            if rows:
                connection.execute(insert(by_name[name]), rows)
        touch.refresh_touch(connection, deleted.person_ids)
        search_index.reindex(connection, deleted.person_ids)
    return deleted.count
