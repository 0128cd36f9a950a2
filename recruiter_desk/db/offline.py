"""The last local copy of a team database, for when its server cannot be reached
(docs/team.md, "Offline").

After a window session or ``copy-to`` on a server database, its whole network is copied
(``db/copy.py``, verified) into a SQLite file in the data folder, one per server address.
When the server is unreachable, that copy opens READ-ONLY: SQLite opens the file in
``mode=ro``, so no statement can change it (temporary tables, which exports join against,
still work, in memory), and any write is refused
with one sentence before anything is written. Nothing ever merges back: the copy is a
view of the team's data as it last was, not a second place to work in.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.orm import Session

from recruiter_desk.db.engine import display_location, sqlite_path
from recruiter_desk.db.session import Database
from recruiter_desk.errors import DiskFull, KnownError

FOLDER = "team-copies"


def copy_path(data_dir: Path, location: str) -> Path:
    """Where the local copy of the server database at ``location`` is kept: one file per
    address (the password left out, so changing it keeps the copy)."""
    key = hashlib.sha256(display_location(location).encode()).hexdigest()[:16]
    return data_dir / FOLDER / f"team-{key}.sqlite3"


def copy_taken(path: Path) -> datetime | None:
    """When the local copy was made, or None when there is none."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


def keep_local_copy(
    database: Database, data_dir: Path, as_location: str | None = None
) -> Path | None:
    """Copy the server database into its local file (verified; the old copy is replaced
    only once the new one is complete). None for a SQLite database: it is its own copy.
    ``as_location``: keep it as the copy of that address instead (tests, a moved server)."""
    if database.is_sqlite and as_location is None:
        return None
    from recruiter_desk.db.copy import copy_database
    from recruiter_desk.db.open import open_database
    from recruiter_desk.paths import ensure_private_dir

    final = copy_path(data_dir, as_location or database.location)
    ensure_private_dir(final.parent)
    partial = final.with_name(final.name + ".partial")
    for leftover in (partial, *_sidecars(partial)):
        leftover.unlink(missing_ok=True)
    local = open_database(str(partial), daily_backup=False)
    try:
        copy_database(database, local)
    finally:
        local.close()
    # A read-only open needs no -wal or -shm beside the file: one plain file.
    with sqlite3.connect(partial) as raw:
        raw.execute("PRAGMA journal_mode=DELETE")
    raw.close()
    for sidecar in _sidecars(final):
        sidecar.unlink(missing_ok=True)
    os.replace(partial, final)
    return final


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


class ReadOnlyCopy(Database):
    """The local copy opened read-only: every write is refused with ``reason``."""

    def __init__(
        self, path: Path, reason: str, taken: datetime, *, immutable: bool = False
    ) -> None:
        # ``immutable``: SQLite neither creates nor reads the -shm/-wal files beside it
        # (a full disk has no room for them); only safe while nothing else writes the file.
        uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
        engine = create_engine("sqlite+pysqlite:///" + uri + "&uri=true", hide_parameters=True)
        event.listen(engine, "connect", _read_only_connection)
        super().__init__(engine, str(path))
        self.reason = reason
        self.taken = taken

    @property
    def path(self) -> Any:
        return sqlite_path(self.location)

    def _refuse(self) -> KnownError:
        return KnownError(f"{self.reason}; nothing was written.")

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        if write:
            raise self._refuse()
        with self._refusing(), super().session() as session:
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._refusing(), super().connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        raise self._refuse()
        yield  # pragma: no cover - a generator for contextmanager

    @contextmanager
    def _refusing(self) -> Iterator[None]:
        try:
            yield
        except KnownError as error:
            if "write" in str(error).lower() or "read-only" in str(error).lower():
                raise self._refuse() from error
            raise
        except Exception as error:
            if "readonly" in str(error).lower() or "read-only" in str(error).lower():
                raise self._refuse() from error
            raise

    def checkpoint(self) -> None:
        return None


def _read_only_connection(dbapi_connection: Any, _record: Any) -> None:
    from recruiter_desk.db import interaction_search

    # The search triggers name rd_fold: without it a write would fail on the missing
    # function before it could be refused as a write.
    interaction_search.register_fold(dbapi_connection)
    cursor = dbapi_connection.cursor()
    try:
        # ``mode=ro`` already refuses every change to the file; ``query_only`` would also
        # refuse the temporary tables exports use. Those stay in memory: the disk may be full.
        cursor.execute("PRAGMA temp_store=MEMORY")
    finally:
        cursor.close()


def open_local_copy(data_dir: Path, location: str, unreachable: str) -> ReadOnlyCopy | None:
    """The last local copy of the server at ``location``, read-only; None when there is
    none. ``unreachable`` is the sentence that says why the server is not used."""
    path = copy_path(data_dir, location)
    taken = copy_taken(path)
    if taken is None:
        return None
    copy = ReadOnlyCopy(path, f"{unreachable.rstrip('.')}, and its local copy is read-only", taken)
    return _if_current(copy)


def _if_current(database: ReadOnlyCopy) -> ReadOnlyCopy | None:
    """``database`` when its schema is the current one, else None (closed): a file an older
    app wrote cannot be upgraded read-only, and an unreadable one is not offered."""
    from recruiter_desk.db import migrate

    try:
        state = migrate.schema_state(database.engine, database.location)
    except KnownError:
        state = None
    if state is not migrate.SchemaState.CURRENT:
        database.close()
        return None
    return database


def open_on_full_disk(location: str, full: DiskFull) -> ReadOnlyCopy | None:
    """A SQLite database whose disk is full, opened read-only in place so that reading
    commands and exports elsewhere keep working (docs/architecture.md, "A full disk"); None when
    that would not show every saved change or the file needs upgrading.

    Only a file with no write-ahead log waiting beside it qualifies: every committed change
    is then in the file itself, and a full disk leaves no room for a writer to start one."""
    path = sqlite_path(location)
    if path is None or not path.is_file():
        return None
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    database = ReadOnlyCopy(
        path, f"{full.disk}: it is open read-only", datetime.now(), immutable=True
    )
    return _if_current(database)
