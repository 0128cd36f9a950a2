"""The SQLite file: permissions, pragmas, and plain errors for a bad environment."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from recruiter_desk.db.open import open_database
from recruiter_desk.errors import KnownError
from recruiter_desk.paths import app_paths, database_location


def test_file_is_private_and_pragmas_are_on(db_path: Path) -> None:
    database = open_database(str(db_path), daily_backup=False)
    try:
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
        with database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        database.close()


def test_default_database_lives_in_a_private_data_folder() -> None:
    location = database_location(None)
    assert Path(location) == app_paths().default_database
    assert stat.S_IMODE(app_paths().data_dir.stat().st_mode) == 0o700


def test_environment_variable_chooses_the_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RECRUITER_DESK_DB", str(tmp_path / "team.sqlite3"))
    assert database_location(None) == str(tmp_path / "team.sqlite3")
    assert database_location("other.sqlite3") == "other.sqlite3"


def test_missing_folder_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="does not exist"):
        open_database(str(tmp_path / "nope" / "desk.sqlite3"))


def test_a_file_that_is_not_a_database_is_a_plain_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"this is not a database at all, just text" * 100)
    with pytest.raises(KnownError, match="damaged or is not a Recruiter Desk database"):
        open_database(str(bogus))


def test_opening_backs_up_only_after_a_change_and_30_minutes(db_path: Path) -> None:
    from datetime import datetime

    from recruiter_desk.db.backup import automatic_backups

    open_database(str(db_path), now=datetime(2026, 11, 25, 8)).close()  # creates: no backup
    assert automatic_backups(db_path) == []
    open_database(str(db_path), now=datetime(2026, 11, 25, 9)).close()  # the first backup
    assert len(automatic_backups(db_path)) == 1
    open_database(str(db_path), now=datetime(2026, 11, 25, 11)).close()  # nothing changed
    assert len(automatic_backups(db_path)) == 1
    database = open_database(str(db_path), now=datetime(2026, 11, 25, 11))
    with database.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE scratch (x)")
    database.close()
    open_database(str(db_path), now=datetime(2026, 11, 25, 9, 20)).close()  # too soon
    assert len(automatic_backups(db_path)) == 1
    open_database(str(db_path), now=datetime(2026, 11, 25, 9, 31)).close()
    assert len(automatic_backups(db_path)) == 2


def test_postgresql_connections_run_without_jit() -> None:
    """JIT compiling cost the owed list 290 ms of 398 at 100k; every connection of the app
    turns it off, and keeps it off after the pool's rollback hands the connection back."""
    from tests import pg

    url = pg.fresh_database(pg.server_url())
    opened = open_database(url, daily_backup=False)
    try:
        for _ in range(2):
            with opened.connect() as connection:
                assert connection.execute(text("SHOW jit")).scalar() == "off"
    finally:
        opened.close()
        pg.drop_database(url)
