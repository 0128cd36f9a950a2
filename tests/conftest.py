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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): a test about the SQLite file itself (backups, encryption, "
        "permissions); its PostgreSQL variant is skipped with the reason",
    )


# The backends a test of the data runs on. The db, core and cli suites override this fixture
# with both (tests/backends.py); elsewhere (the window) only SQLite.
@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.fixture
def db_location(backend: str, db_path: Path) -> Iterator[str]:
    """Where the test's database lives: a SQLite file, or a fresh PostgreSQL database (URL)."""
    if backend == "sqlite":
        yield str(db_path)
        return
    from tests import pg

    url = pg.fresh_database(pg.server_url())
    yield url
    pg.drop_database(url)


@pytest.fixture
def database(db_location: str) -> Iterator[Database]:
    opened = open_database(db_location, daily_backup=False)
    yield opened
    opened.close()


@pytest.fixture
def utc_as_of() -> AsOf:
    return AsOf(AS_OF, local_zone("UTC"))


def add_person(database: Database, now: datetime = NOW, **values: object) -> int:
    with database.session() as session:
        return create_person(session, PersonFields(**values), now).id  # type: ignore[arg-type]


def table_names(database: Database) -> list[str]:
    """Every table but the search index's, on either backend."""
    from sqlalchemy import inspect

    from recruiter_desk.db import interaction_search
    from recruiter_desk.db.search_index import is_index_table

    with database.engine.connect() as connection:
        return [
            t
            for t in inspect(connection).get_table_names()
            if not (is_index_table(t) or interaction_search.is_index_table(t))
        ]


def table_rows(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the search indexes', to prove nothing else changed."""
    from sqlalchemy import text

    tables = table_names(database)
    with database.engine.connect() as connection:
        return {
            t: sorted(tuple(r) for r in connection.execute(text(f'SELECT * FROM "{t}"')))
            for t in tables
        }
