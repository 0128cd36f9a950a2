"""Restore: the one routine behind the window and the command line, and what it refuses."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from recruiter_desk.core import maintenance
from recruiter_desk.db import backup, migrate
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError
from tests.conftest import NOW, add_person
from tests.old_schema import database_at_0001

KEEP = backup.Retention()

# Backups and restore copy the SQLite file (a server database has its own tools: pg_dump).
pytestmark = pytest.mark.sqlite_only("backups copy the SQLite file")


def people(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [r[0] for r in connection.execute("SELECT first_name FROM people ORDER BY id")]


def test_an_older_schema_backup_is_upgraded_as_it_is_restored(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Current")
    database.close()
    old = database_at_0001(tmp_path / "old.sqlite3", [("Álvaro", "Zúñiga"), ("Bea", "Adams")])
    maintenance.restore_database(str(db_path), old, NOW, KEEP)
    with sqlite3.connect(db_path) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        keys = [r[0] for r in connection.execute("SELECT first_name FROM people ORDER BY sort_key")]
    assert revision == migrate.HEAD_REVISION
    assert keys == ["Bea", "Álvaro"]
    assert people(old) == ["Álvaro", "Bea"]  # the backup itself is left as it was
    assert not list(tmp_path.glob(".*restoring*"))


def _look_alike(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (migrate.HEAD_REVISION,))
        connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, first_name TEXT)")
        connection.execute("INSERT INTO people VALUES (1, 'Mallory')")
    connection.close()
    return path


def test_a_look_alike_database_is_refused_and_nothing_changes(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Current")
    database.close()
    before = db_path.read_bytes()
    with pytest.raises(KnownError) as refused:
        maintenance.restore_database(
            str(db_path), _look_alike(tmp_path / "fake.sqlite3"), NOW, KEEP
        )
    message = str(refused.value)
    assert "is not a complete Recruiter Desk database" in message
    assert "table interactions" in message or "missing" in message
    assert message.count(". ") == 0 and message.endswith(".")
    assert db_path.read_bytes() == before
    assert backup.automatic_backups(db_path) == []


@pytest.mark.parametrize("version", [None, ""])
def test_a_look_alike_without_a_version_is_not_called_newer(
    database: Database, db_path: Path, tmp_path: Path, version: str | None
) -> None:
    """Before: "it was written by a newer version of Recruiter Desk" (an empty
    alembic_version table was taken for an unknown, later revision)."""
    database.close()
    fake = tmp_path / "fake.sqlite3"
    with sqlite3.connect(fake) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        if version is not None:
            connection.execute("INSERT INTO alembic_version VALUES (?)", (version,))
        connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY)")
    connection.close()
    before = db_path.read_bytes()
    with pytest.raises(KnownError) as refused:
        maintenance.restore_database(str(db_path), fake, NOW, KEEP)
    assert str(refused.value) == f"Cannot restore {fake}: it is not a Recruiter Desk database."
    assert db_path.read_bytes() == before


def test_a_backup_missing_an_index_is_refused(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Current")
    copy = maintenance.backup_database(str(db_path), tmp_path / "copy.sqlite3", NOW, KEEP)
    with sqlite3.connect(copy) as connection:
        connection.execute("DROP INDEX ix_people_sort_key")
    connection.close()
    with pytest.raises(KnownError, match="missing index ix_people_sort_key"):
        maintenance.restore_database(str(db_path), copy, NOW, KEEP)
    assert people(db_path) == ["Current"]


def test_a_backup_with_broken_references_is_refused(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Current", emails=["c@x.example"])
    copy = maintenance.backup_database(str(db_path), tmp_path / "copy.sqlite3", NOW, KEEP)
    with sqlite3.connect(copy) as connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("DELETE FROM people")
    connection.close()
    with pytest.raises(KnownError, match="point at rows that do not exist"):
        maintenance.restore_database(str(db_path), copy, NOW, KEEP)
    assert people(db_path) == ["Current"]


def test_restore_waits_a_bounded_time_for_a_writer_then_says_so(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Current")
    copy = maintenance.backup_database(str(db_path), tmp_path / "copy.sqlite3", NOW, KEEP)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE people SET first_name = 'Writing'")
    try:
        started = time.monotonic()
        with pytest.raises(KnownError, match=r"kept it locked for writing for 0\.3 seconds"):
            maintenance.restore_database(str(db_path), copy, NOW, KEEP, lock_timeout=0.3)
        assert time.monotonic() - started < 3
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert people(db_path) == ["Current"]


def test_the_page_copy_gives_up_on_a_locked_target(database: Database, tmp_path: Path) -> None:
    add_person(database, first_name="Current")
    target = tmp_path / "target.sqlite3"
    backup.copy_database(database.path, target)
    holder = sqlite3.connect(target, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            backup.copy_database(database.path, target, lock_timeout=0.2)
        assert time.monotonic() - started < 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_restore_is_refused_while_a_window_has_the_database_open(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Current")
    copy = maintenance.backup_database(str(db_path), tmp_path / "copy.sqlite3", NOW, KEEP)
    marker = backup.OpenInWindow(db_path)
    marker.acquire()
    try:
        with pytest.raises(KnownError, match="while a Recruiter Desk window has it open"):
            maintenance.restore_database(str(db_path), copy, NOW, KEEP)
    finally:
        marker.release()
    assert stat.S_IMODE(marker.path.stat().st_mode) == 0o600
    maintenance.restore_database(str(db_path), copy, NOW, KEEP)


def test_restoring_into_a_new_file_makes_it_private(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Ana")
    copy = maintenance.backup_database(str(db_path), tmp_path / "copy.sqlite3", NOW, KEEP)
    fresh = tmp_path / "fresh.sqlite3"
    previous = os.umask(0o022)
    try:
        result = maintenance.restore_database(str(fresh), copy, NOW, KEEP)
    finally:
        os.umask(previous)
    assert result.previous_saved_as is None
    assert people(fresh) == ["Ana"]
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
