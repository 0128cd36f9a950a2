"""The queue of people whose stored warmth inputs are out of date.

``people.warmth_*`` (core/warmth_store.py) derive from a person's own cadence, connection
and creation dates, newest touch (``last_touch_at``), tags and candidacy stages. Triggers
(migration 0012) put the person's id in ``warmth_queue`` whenever any of those change,
whatever writes them: the ORM, a bulk Core statement, an import, a merge, copy-to. A write
through the application settles the queue before it commits (``Database.settle``); a
reader treats a queued person as unknown and computes their warmth the exact way, so a
missed settle is slower, never wrong.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    delete,
    exists,
    insert,
    select,
)

QUEUE_TABLE = "warmth_queue"
BASIS_TABLE = "warmth_basis"

# Not ORM tables (copy-to, exports and the drift check leave them alone): described here for
# the statements that read and write them. The basis holds one row: the settings the stored
# values were worked out with (core/warmth_store.py).
_tables = MetaData()
queue = Table(QUEUE_TABLE, _tables, Column("id", Integer, primary_key=True))
basis = Table(BASIS_TABLE, _tables, Column("policy", Text, nullable=False))


def is_queue_table(name: str) -> bool:
    return name in (QUEUE_TABLE, BASIS_TABLE)


def has_queued(connection: Connection) -> bool:
    return bool(connection.execute(select(exists().select_from(queue))).scalar())


def copy_state(source: Connection, target: Connection) -> None:
    """Give a copy of every person (copy-to, the team's local copy) its source's basis and
    queue: the people rows carry the stored inputs themselves, so the copy then needs only
    what its source still had queued. Without them the copy's triggers queue everyone, and
    the settle recomputes them under whatever settings the copying program has (the
    defaults for the local copy, which being read-only could never settle again)."""
    target.execute(delete(basis))
    target.execute(delete(queue))
    policies = source.execute(select(basis.c.policy)).scalars().all()
    if policies:
        target.execute(insert(basis), [{"policy": p} for p in policies])
    queued = source.execute(select(queue.c.id)).scalars().all()
    for start in range(0, len(queued), 5000):
        target.execute(insert(queue), [{"id": i} for i in queued[start : start + 5000]])
