"""Alembic environment: runs on the connection the app hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from recruiter_desk.db import interaction_search
from recruiter_desk.db.models import Base
from recruiter_desk.db.search_index import is_index_table
from recruiter_desk.db.warmth_queue import is_queue_table

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # The search indexes (FTS5 tables and their shadow tables, or PostgreSQL's) are made by
    # hand and are not ORM tables; nor is the warmth queue (db/warmth_queue.py).
    return not (
        type_ == "table"
        and name
        and (
            is_index_table(name) or interaction_search.is_index_table(name) or is_queue_table(name)
        )
    )


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through recruiter_desk.db.migrate")
run_with(connection)
