"""Every test runs offscreen, with every app folder in a temporary home."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.records import PersonFields, create_person
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database

AS_OF = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0)


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("RECRUITER_DESK_HOME", str(home))
    monkeypatch.delenv("RECRUITER_DESK_DB", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    opened = open_database(str(db_path), daily_backup=False)
    yield opened
    opened.close()


@pytest.fixture
def utc_as_of() -> AsOf:
    return AsOf(AS_OF, local_zone("UTC"))


def add_person(database: Database, now: datetime = NOW, **values: object) -> int:
    with database.session() as session:
        return create_person(session, PersonFields(**values), now).id  # type: ignore[arg-type]


def table_rows(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the search indexes', to prove nothing else changed."""
    from sqlalchemy import text

    with database.engine.connect() as connection:
        tables = [
            r[0]
            for r in connection.execute(
                text(
                    "SELECT name FROM sqlite_master "
                    "WHERE type='table' AND name NOT LIKE 'people_fts%' "
                    "AND name NOT LIKE 'interactions_fts%'"
                )
            )
        ]
        return {
            t: sorted(tuple(r) for r in connection.execute(text(f'SELECT * FROM "{t}"')))
            for t in tables
        }
