"""Changes to many people at once, each one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from recruiter_desk.core.normalize import clean, tag
from recruiter_desk.db import search_index
from recruiter_desk.db.models import Person, PersonTag
from recruiter_desk.db.session import Database
from recruiter_desk.db.team import edited
from recruiter_desk.errors import UsageError


def change_tag(
    database: Database, person_ids: Sequence[int], label: str, add: bool, now: datetime
) -> int:
    """Add or remove a tag on each person; returns how many people changed."""
    value = tag(label)
    if not clean(value):
        raise UsageError("A tag needs at least one letter.")
    ids = sorted(set(person_ids))
    changed: list[int] = []
    with database.connect() as connection:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            having = set(
                connection.execute(
                    select(PersonTag.person_id).where(
                        PersonTag.person_id.in_(chunk), PersonTag.tag == value
                    )
                ).scalars()
            )
            if add:
                targets = [i for i in chunk if i not in having]
                if targets:
                    connection.execute(
                        insert(PersonTag), [{"person_id": i, "tag": value} for i in targets]
                    )
            else:
                targets = sorted(having)
                connection.execute(
                    delete(PersonTag).where(
                        PersonTag.person_id.in_(targets), PersonTag.tag == value
                    )
                )
            if targets:
                connection.execute(
                    update(Person)
                    .where(Person.id.in_(targets))
                    .values(updated_at=now, **edited(connection))
                )
            changed.extend(targets)
        search_index.reindex(connection, changed)
    return len(changed)


def set_cadence(
    database: Database, person_ids: Sequence[int], days: int | None, now: datetime
) -> int:
    if days is not None and days < 1:
        raise UsageError("A cadence must be at least one day.")
    ids = sorted(set(person_ids))
    with database.connect() as connection:
        for start in range(0, len(ids), 500):
            connection.execute(
                update(Person)
                .where(Person.id.in_(ids[start : start + 500]))
                .values(cadence_days=days, updated_at=now, **edited(connection))
            )
    return len(ids)
