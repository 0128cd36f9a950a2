"""Backups with SQLite's online backup API: safe while the database is in use.

A backup holds everyone's personal data, so it is private from its first byte: the file is
created 0600 before SQLite writes to it, folders are created 0700, and a copy that did not
finish is deleted (and swept up on the next run if a crash left it behind).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from recruiter_desk.errors import KnownError
from recruiter_desk.settings import Settings

log = logging.getLogger(__name__)

BACKUP_SUFFIX = ".sqlite3"
PARTIAL_SUFFIX = ".partial"
# The files SQLite keeps beside a database while it is open.
_SIDE_FILES = ("-wal", "-shm", "-journal")


def is_encrypted_file(path: Path) -> bool:
    """Whether ``path`` looks like SQLCipher's (db/encryption.py): whole pages, no header.

    An encrypted file starts with random salt and is a whole number of pages; a file of
    text or of anything else stays "damaged or not a database", never asks for a key.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    if size == 0 or size % 512 or head == b"SQLite format 3\x00":
        return False
    return not all(32 <= byte < 127 or byte in (9, 10, 13) for byte in head)


def backup_dir_for(database_file: Path) -> Path:
    """Beside the database, so a backup lives and moves with the data it protects."""
    return database_file.parent / "recruiter-desk-backups"


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and every missing parent readable by the user alone.

    ``Path.mkdir(parents=True, mode=...)`` applies the mode to the last folder only; the
    parents it creates would follow the umask (0755 on most systems).
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)


def create_private_file(path: Path) -> None:
    """An empty file only the user can read, made so before anything is written into it."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def remove_database_file(path: Path) -> None:
    for name in (path.name, *(path.name + side for side in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            (path.parent / name).unlink()


# A partial file untouched this long belongs to a backup that was killed, not a slow one.
_STALE_PARTIAL_SECONDS = 600


def _sweep_partials(folder: Path) -> None:
    """Delete what interrupted backups left behind (each a full copy of the data)."""
    if not folder.is_dir():
        return
    for stale in folder.glob(f"*{BACKUP_SUFFIX}{PARTIAL_SUFFIX}"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > _STALE_PARTIAL_SECONDS:
                remove_database_file(stale)


class _TimedOut(Exception):
    pass


# How a connection to a database file is opened: plain SQLite, or (for an encrypted
# database) SQLCipher with the key applied first. ``db/encryption.py`` installs its own.
Connector = Callable[..., Any]


def plain_connect(path: str, **kwargs: Any) -> Any:
    return sqlite3.connect(path, **kwargs)


def copy_database(
    source: Path,
    target: Path,
    lock_timeout: float | None = None,
    connect: Connector | None = None,
) -> None:
    """Copy ``source`` into ``target`` page by page with SQLite's backup API.

    The backup API retries a busy database forever; with ``lock_timeout`` it gives up once
    the database has been busy that long and raises ``TimeoutError``.
    """
    deadline = None if lock_timeout is None else time.monotonic() + lock_timeout
    connect = connect or connector_for(source)

    def progress(status: int, _remaining: int, _total: int) -> None:
        busy = status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        if busy and deadline is not None and time.monotonic() > deadline:
            raise _TimedOut

    reader = connect(f"file:{source}?mode=ro", uri=True)
    try:
        writer = connect(str(target), timeout=lock_timeout if lock_timeout else 5.0)
        try:
            reader.backup(writer, progress=progress)
        except _TimedOut as error:
            raise TimeoutError(f"{target} stayed locked") from error
        finally:
            writer.close()
    finally:
        reader.close()


def has_room_for(database_file: Path, folder: Path) -> bool:
    """Whether ``folder``'s disk has room for a copy of the database, with a margin."""
    try:
        free = shutil.disk_usage(folder).free
        size = database_file.stat().st_size
    except OSError:
        return True  # unknown: let the copy itself say what went wrong
    return free > size + size // 10 + 1_000_000


def connector_for(database_file: Path) -> Connector:
    """How to open ``database_file`` and its copies: with SQLCipher's key if encrypted."""
    if is_encrypted_file(database_file):
        from recruiter_desk.db import encryption

        return encryption.connector_for(database_file)
    return plain_connect


def errors_for(database_file: Path) -> tuple[type[Exception], ...]:
    """What a connection from ``connector_for(database_file)`` raises: SQLCipher's module
    has error classes of its own."""
    if is_encrypted_file(database_file):
        from recruiter_desk.db import encryption

        return (sqlite3.Error, encryption.dbapi().Error)
    return (sqlite3.Error,)


def verify_copy(path: Path, connect: Connector = plain_connect) -> None:
    """A copy that SQLite's quick check does not pass is no backup.

    Read-write, so closing it removes the WAL side files a read-only connection would leave.
    """
    connection = connect(str(path))
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()
    finally:
        connection.close()
    if not result or result[0] != "ok":
        raise sqlite3.DatabaseError(f"the copy failed its check ({result[0] if result else ''})")


def backup_to(database_file: Path, target: Path) -> Path:
    """Copy a live database to ``target`` consistently (WAL content included), then check it."""
    connect = connector_for(database_file)
    if target.exists() and target.resolve() == database_file.resolve():
        raise KnownError(f"Cannot back up {database_file} onto itself.")
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        make_private_dirs(target.parent)
        remove_database_file(partial)  # left by an interrupted backup to the same file
        create_private_file(partial)
        copy_database(database_file, partial)
        verify_copy(partial, connect)
        partial.replace(target)
    except sqlite3.Error as error:
        remove_database_file(partial)
        if "full" in str(error).lower():
            raise KnownError(f"Backing up to {target} failed: the disk is full.") from error
        raise KnownError(f"Backing up {database_file} to {target} failed: {error}.") from error
    except OSError as error:
        remove_database_file(partial)
        reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror or error
        raise KnownError(f"Backing up to {target} failed: {reason}.") from error
    except BaseException:
        remove_database_file(partial)
        raise
    return target


@dataclass(frozen=True)
class Retention:
    """How many automatic backups are kept, the way Anki keeps them.

    Every backup of today and yesterday is kept; of older ones, the newest of each of the
    last ``daily`` days, then of ``weekly`` weeks, then of ``monthly`` months.
    """

    daily: int = 12
    weekly: int = 10
    monthly: int = 9

    @classmethod
    def from_settings(cls, settings: Settings) -> Retention:
        return cls(settings.backups_daily, settings.backups_weekly, settings.backups_monthly)


# A backup while the data changes, at most this often.
PERIODIC_INTERVAL = timedelta(minutes=30)


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str
    taken_at: datetime  # local time, as in the name
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "time": self.taken_at.isoformat(timespec="seconds"),
            "size": self.size,
        }


def _local(moment: datetime) -> datetime:
    """Backup names are stamped in local time, whichever clock the caller holds."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def automatic_backup(
    database_file: Path,
    reason: str,
    keep: Retention,
    now: datetime,
) -> Path:
    """A rotating backup in the ``backups`` folder beside the database."""
    now = _local(now)
    folder = backup_dir_for(database_file)
    make_private_dirs(folder)
    _sweep_partials(folder)
    if not has_room_for(database_file, folder):
        raise KnownError(
            f"There is no room on the disk for a backup of {database_file} in {folder}."
        )
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{database_file.stem}-{stamp}-{reason}{BACKUP_SUFFIX}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{database_file.stem}-{stamp}-{reason}-{counter}{BACKUP_SUFFIX}"
    backup_to(database_file, target)
    rotate(database_file, keep, now)
    log.info("automatic backup (%s) written", reason)
    return target


def automatic_backups(database_file: Path) -> list[Path]:
    return [entry.path for entry in list_backups(database_file)]


def _parse(database_file: Path, path: Path) -> BackupFile | None:
    rest = path.name[len(database_file.stem) + 1 : -len(BACKUP_SUFFIX)]
    try:
        taken_at = datetime.strptime(rest[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    kind = rest[16:]
    head, _, tail = kind.rpartition("-")
    if head and tail.isdigit():
        kind = head
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupFile(path, kind or "manual", taken_at, size)


def list_backups(database_file: Path) -> list[BackupFile]:
    """The automatic backups of ``database_file``, oldest first."""
    folder = backup_dir_for(database_file)
    if not folder.is_dir():
        return []
    found = [
        entry
        for path in folder.glob(f"{database_file.stem}-*{BACKUP_SUFFIX}")
        if (entry := _parse(database_file, path)) is not None
    ]
    return sorted(found, key=lambda entry: (entry.taken_at, entry.name))


def backups_to_remove(
    backups: list[BackupFile], keep: Retention, now: datetime
) -> list[BackupFile]:
    """Which backups rotation deletes (Anki's rule; see ``Retention``)."""
    yesterday = _local(now).date() - timedelta(days=1)
    left = {"daily": keep.daily, "weekly": keep.weekly, "monthly": keep.monthly}
    last: tuple[object, object, object] | None = None
    obsolete = []
    for entry in sorted(backups, key=lambda e: (e.taken_at, e.name), reverse=True):
        day = entry.taken_at.date()
        periods = (day, day.isocalendar()[:2], (day.year, day.month))
        if day >= yesterday:
            last = periods
            continue
        for index, stage in enumerate(("daily", "weekly", "monthly")):
            if left[stage] > 0 and (last is None or periods[index] != last[index]):
                left[stage] -= 1
                last = periods
                break
        else:
            obsolete.append(entry)
    return obsolete


def rotate(database_file: Path, keep: Retention, now: datetime) -> None:
    for old in backups_to_remove(list_backups(database_file), keep, now):
        old.path.unlink(missing_ok=True)


def _changed_since(database_file: Path, moment: float) -> bool:
    """Whether a write reached the file or its WAL after ``moment`` (an empty WAL is only
    a reader having opened the database)."""
    for name in (database_file.name, database_file.name + "-wal"):
        with contextlib.suppress(OSError):
            stat = (database_file.parent / name).stat()
            if stat.st_size > 0 and stat.st_mtime > moment:
                return True
    return False


def periodic_backup(database_file: Path, keep: Retention, now: datetime) -> Path | None:
    """A backup if the data changed since the last one and that one is 30 minutes old."""
    backups = list_backups(database_file)
    if backups:
        newest = backups[-1]
        if _local(now) - newest.taken_at < PERIODIC_INTERVAL:
            return None
        try:
            written = newest.path.stat().st_mtime
        except OSError:
            written = 0.0
        if not _changed_since(database_file, written):
            return None
    return automatic_backup(database_file, "periodic", keep, now)


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not an intact SQLite database with consistent references."""
    if not path.is_file():
        raise KnownError(f"Cannot restore {path}: no such file.")
    connect: Connector = plain_connect
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            from recruiter_desk.db import encryption

            known = encryption.known_connector(path) if handle.tell() else None
            if known is None:
                raise KnownError(
                    f"Cannot restore {path}: it is not a SQLite database "
                    "(nor one encrypted with this app's key)."
                )
            connect = known
    try:
        connection = connect(f"file:{path}?mode=ro", uri=True)
        # A damaged file's report can quote garbage bytes; never fail on decoding it.
        connection.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            broken = connection.execute("PRAGMA foreign_key_check").fetchone()
        finally:
            connection.close()
    except UnicodeDecodeError as error:
        # SQLite's error message quoted bytes from the damaged pages.
        raise KnownError(f"Cannot restore {path}: the file is damaged.") from error
    except (sqlite3.Error, ImportError) as error:
        raise KnownError(f"Cannot restore {path}: {error}.") from error
    except Exception as error:  # SQLCipher's own exception classes
        raise KnownError(f"Cannot restore {path}: {error}.") from error
    if not result or result[0] != "ok":
        detail = (result[0] if result else "no answer").splitlines()[0][:200]
        raise KnownError(f"Cannot restore {path}: its integrity check failed ({detail}).")
    if broken:
        raise KnownError(
            f"Cannot restore {path}: rows in its table {broken[0]} point at rows that do not exist."
        )


# -- "the window has this database open" ------------------------------------------------


def _marker_path(database_file: Path) -> Path:
    return database_file.with_name(database_file.name + "-window.lock")


class WindowAlreadyOpen(KnownError):
    """Another Recruiter Desk window has this database open (one window per database)."""

    def __init__(self, database_file: Path) -> None:
        super().__init__(f"The database {database_file} is already open in another window.")
        self.database_file = database_file


class OpenInWindow:
    """Held while a window has a database open: one window per database, and a restore or
    conversion elsewhere can refuse.

    The window holds an exclusive lock on a file beside the database (``DATABASE-window.lock``);
    a second window and a restore ask for it without waiting. The operating system drops the
    lock when the process ends, so a crashed window's lock is simply taken over.
    """

    def __init__(self, database_file: Path) -> None:
        self.database_file = database_file
        self.path = _marker_path(database_file)
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def claim(self) -> None:
        """Take the lock, or raise ``WindowAlreadyOpen`` when another window holds it."""
        if self._handle is not None:
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no marker
            return
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError as error:
            # A folder the window may read but not write in: one window can't be enforced.
            log.warning("cannot mark the database as open in the window: %s", error.strerror)
            return
        handle = os.fdopen(fd, "r+b")
        # A restore or a conversion checking for a window holds the lock for an instant.
        for _attempt in range(20):
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                time.sleep(0.01)
        else:
            handle.close()
            raise WindowAlreadyOpen(self.database_file)
        self._handle = handle

    def acquire(self) -> None:
        """``claim`` for a window taking its lock back (after a restore); never raises."""
        with contextlib.suppress(WindowAlreadyOpen):
            self.claim()

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def open_in_a_window(database_file: Path) -> bool:
    """Whether some Recruiter Desk window (this process or another) has the database open."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    path = _marker_path(database_file)
    if not path.exists():
        return False
    try:
        with path.open("rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def missing_schema(path: Path) -> list[str]:
    """The tables, columns and indexes of the current schema that ``path`` lacks."""
    from recruiter_desk.db.models import Base
    from recruiter_desk.db.search_index import FTS_TABLE

    connection = connector_for(path)(f"file:{path}?mode=ro", uri=True)
    try:
        present = {
            (kind, name)
            for kind, name in connection.execute("SELECT type, name FROM sqlite_master")
        }
        missing = [
            f"table {name}"
            for name in ("alembic_version", FTS_TABLE)
            if ("table", name) not in present
        ]
        for table in Base.metadata.sorted_tables:
            if ("table", table.name) not in present:
                missing.append(f"table {table.name}")
                continue
            columns = {row[1] for row in connection.execute(f'PRAGMA table_info("{table.name}")')}
            missing.extend(
                f"column {table.name}.{column.name}"
                for column in table.columns
                if column.name not in columns
            )
            missing.extend(
                f"index {index.name}"
                for index in table.indexes
                if ("index", str(index.name)) not in present
            )
    finally:
        connection.close()
    return missing


def daily(file: Path, keep: Retention, now: datetime) -> None:
    """The periodic backup, or a warning: a full disk must not stop reading and exporting."""
    try:
        periodic_backup(file, keep, now)
    except KnownError as error:
        log.warning("The periodic backup was skipped: %s", error, extra={"notice": True})
