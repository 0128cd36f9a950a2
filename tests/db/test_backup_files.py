"""Backups are private from the first byte, leave no partial copies, and a full disk
skips the automatic one instead of stopping the app."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from recruiter_desk.app import main
from recruiter_desk.db import backup
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError
from tests.conftest import add_person

# Backups and restore copy the SQLite file (a server database has its own tools: pg_dump).
pytestmark = pytest.mark.sqlite_only("backups copy the SQLite file")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_backup_is_private_before_its_first_byte(
    database: Database, db_path: Path, tmp_path: Path, loose_umask: None, monkeypatch: Any
) -> None:
    add_person(database, first_name="Ana", emails=["ana@x.example"])
    seen: list[int] = []
    real_copy = backup.copy_database

    def spy(source: Path, target: Path, lock_timeout: float | None = None) -> None:
        seen.append(mode(target))
        real_copy(source, target, lock_timeout)

    monkeypatch.setattr(backup, "copy_database", spy)
    written = backup.automatic_backup(
        db_path, "manual", backup.Retention(), datetime(2026, 11, 25, 9)
    )
    assert seen == [0o600]
    assert mode(written) == 0o600 and mode(written.parent) == 0o700


def test_backup_dash_o_creates_missing_folders_private(
    database: Database, db_path: Path, tmp_path: Path, loose_umask: None
) -> None:
    add_person(database, first_name="Ana")
    target = tmp_path / "usb" / "desk" / "copy.sqlite3"
    assert main(["--db", str(db_path), "backup", "-o", str(target)]) == 0
    assert mode(tmp_path / "usb") == 0o700 and mode(tmp_path / "usb" / "desk") == 0o700
    assert mode(target) == 0o600


def test_an_interrupted_backup_leaves_no_partial_copy(
    database: Database, db_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    add_person(database, first_name="Ana")
    folder = backup.backup_dir_for(db_path)

    def killed(source: Path, target: Path, lock_timeout: float | None = None) -> None:
        target.write_bytes(db_path.read_bytes())  # half-way through the copy
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "copy_database", killed)
    with pytest.raises(KeyboardInterrupt):
        backup.automatic_backup(db_path, "manual", backup.Retention(), datetime(2026, 11, 25, 9))
    assert list(folder.iterdir()) == []
    # A partial a SIGKILL left behind is swept by the next backup once it is clearly stale.
    stale = folder / "desk-20261124-090000-daily.sqlite3.partial"
    stale.write_bytes(b"SQLite format 3\x00 names and emails")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    monkeypatch.undo()
    backup.automatic_backup(db_path, "manual", backup.Retention(), datetime(2026, 11, 25, 10))
    assert [p.name for p in folder.iterdir()] == ["desk-20261125-100000-manual.sqlite3"]


def _full_disk(monkeypatch: Any) -> None:
    real = shutil.disk_usage

    def usage(path: Any) -> Any:
        total, used, _free = real(path)
        return type(real(path))(total, used, 4096)

    monkeypatch.setattr(backup.shutil, "disk_usage", usage)


def test_on_a_full_disk_reading_and_exporting_elsewhere_still_work(
    db_path: Path, tmp_path: Path, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    database = open_database(str(db_path), now=datetime(2026, 11, 24, 9))
    add_person(database, first_name="Ana", emails=["ana@x.example"])
    database.close()
    _full_disk(monkeypatch)
    assert main(["--db", str(db_path), "people", "--json"]) == 0
    captured = capsys.readouterr()
    assert '"Ana"' in captured.out
    assert "periodic backup was skipped" in captured.err and "no room" in captured.err
    elsewhere = tmp_path / "other-disk.csv"
    assert main(["--db", str(db_path), "export", "--format", "csv", "-o", str(elsewhere)]) == 0
    assert "Ana" in elsewhere.read_text()
    assert backup.automatic_backups(db_path) == []


def test_a_backup_that_fills_the_disk_is_a_warning_on_open(
    database: Database, db_path: Path, monkeypatch: Any
) -> None:
    add_person(database, first_name="Ana")
    database.close()

    def full(source: Path, target: Path, lock_timeout: float | None = None) -> None:
        target.write_bytes(b"SQLite format 3\x00")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "copy_database", full)
    reopened = open_database(str(db_path), now=datetime(2030, 1, 1, 9))
    reopened.close()
    folder = backup.backup_dir_for(db_path)
    assert list(folder.iterdir()) == []


def test_a_backup_to_another_disk_works_when_the_database_disk_is_full(
    database: Database, db_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    add_person(database, first_name="Ana")
    database.close()

    def full(self: Database) -> None:
        raise KnownError(f"The disk holding {db_path} is full; free some space and try again.")

    monkeypatch.setattr(Database, "checkpoint", full)
    target = tmp_path / "usb" / "copy.sqlite3"
    assert main(["--db", str(db_path), "backup", "-o", str(target)]) == 0
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT first_name FROM people").fetchall() == [("Ana",)]
    connection.close()
