"""What counts as a touch, and the denormalised last-touch columns of ``people`` kept by it.

A touch is an interaction with the person that is not a note, in either direction: internal
records (a note, a job change an import wrote down) are not contact with the person
(docs/rules.md, "Last touch"). ``is_touch`` is that definition as SQL; the refresh below, the
warmth and owed rules and Today all build on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, select, update

from recruiter_desk.db.models import Interaction, Person

NOT_A_TOUCH = "note"
TOUCH_DIRECTIONS: tuple[str, ...] = ("inbound", "outbound")


def is_touch(
    kind: Any, direction: Any, directions: tuple[str, ...] = TOUCH_DIRECTIONS
) -> ColumnElement[bool]:
    """SQL: this interaction is a touch (in one of ``directions``, a subset of both)."""
    return and_(kind != NOT_A_TOUCH, direction.in_(directions))


def _newest(directions: tuple[str, ...]) -> Any:
    return (
        select(func.max(Interaction.occurred_at))
        .where(
            Interaction.person_id == Person.id,
            is_touch(Interaction.kind, Interaction.direction, directions),
        )
        .scalar_subquery()
    )


def _refresh() -> Any:
    return update(Person).values(
        last_touch_at=_newest(TOUCH_DIRECTIONS),
        last_inbound_at=_newest(("inbound",)),
        last_outbound_at=_newest(("outbound",)),
    )


def refresh_touch(connection: Connection, person_ids: Iterable[int] | None = None) -> None:
    if person_ids is None:
        connection.execute(_refresh())
        return
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), 500):
        connection.execute(_refresh().where(Person.id.in_(ids[start : start + 500])))
