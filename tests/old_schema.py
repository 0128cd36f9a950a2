"""Databases frozen at a past schema, as a user who skipped updates still has them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from recruiter_desk.db import migrate, search_index


def database_at_0001(path: Path, names: list[tuple[str, str]]) -> Path:
    """A schema-0001 database (before ``people.sort_key``) holding ``names``."""
    engine = create_engine(f"sqlite:///{path}")
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001_initial")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO people (id, first_name, last_name, company, title, location, links, "
            "name_key, work_modes, openness, is_applicant, do_not_contact, source, notes, "
            "created_at, updated_at) VALUES (?, ?, ?, '', '', '', '[]', '', 0, 'open', 0, 0, "
            "'', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00')",
            [(index, first, last) for index, (first, last) in enumerate(names, start=1)],
        )
    connection.close()
    with engine.begin() as connection:
        search_index.reindex(connection)  # a real 0001 database kept its index in step
    engine.dispose()
    return path
