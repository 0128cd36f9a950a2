"""Backups with SQLite's online backup API: safe while the database is in use."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from recruiter_desk.errors import KnownError

log = logging.getLogger(__name__)

BACKUP_SUFFIX = ".sqlite3"


def backup_dir_for(database_file: Path) -> Path:
    """Beside the database, so a backup lives and moves with the data it protects."""
    return database_file.parent / "recruiter-desk-backups"


def backup_to(database_file: Path, target: Path) -> Path:
    """Copy a live database to ``target`` consistently (WAL content included)."""
    if target.exists() and target.resolve() == database_file.resolve():
        raise KnownError(f"Cannot back up {database_file} onto itself.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        source = sqlite3.connect(database_file)
        try:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        partial.chmod(0o600)
        partial.replace(target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise KnownError(f"Backing up {database_file} to {target} failed: {error}.") from error
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise KnownError(f"Backing up to {target} failed: {error.strerror or error}.") from error
    return target


def automatic_backup(database_file: Path, reason: str, keep: int, now: datetime) -> Path:
    """A rotating backup in the ``backups`` folder beside the database."""
    folder = backup_dir_for(database_file)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{database_file.stem}-{stamp}-{reason}{BACKUP_SUFFIX}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{database_file.stem}-{stamp}-{reason}-{counter}{BACKUP_SUFFIX}"
    backup_to(database_file, target)
    rotate(database_file, keep)
    log.info("automatic backup (%s) written to %s", reason, target)
    return target


def automatic_backups(database_file: Path) -> list[Path]:
    folder = backup_dir_for(database_file)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{database_file.stem}-*{BACKUP_SUFFIX}"))


def rotate(database_file: Path, keep: int) -> None:
    backups = automatic_backups(database_file)
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)


def has_backup_from(database_file: Path, day: datetime) -> bool:
    marker = f"{database_file.stem}-{day.strftime('%Y%m%d')}-"
    return any(path.name.startswith(marker) for path in automatic_backups(database_file))


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database."""
    if not path.is_file():
        raise KnownError(f"Cannot restore {path}: no such file.")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise KnownError(f"Cannot restore {path}: it is not a SQLite database.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        # A damaged file's report can quote garbage bytes; never fail on decoding it.
        connection.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
        finally:
            connection.close()
    except UnicodeDecodeError as error:
        # SQLite's error message quoted bytes from the damaged pages.
        raise KnownError(f"Cannot restore {path}: the file is damaged.") from error
    except sqlite3.Error as error:
        raise KnownError(f"Cannot restore {path}: {error}.") from error
    if not result or result[0] != "ok":
        detail = (result[0] if result else "no answer").splitlines()[0][:200]
        raise KnownError(f"Cannot restore {path}: its integrity check failed ({detail}).")
