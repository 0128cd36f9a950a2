"""Opening a database: engine, pragmas, file permissions, error translation."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from recruiter_desk.db import interaction_search
from recruiter_desk.db.backup import is_encrypted_file
from recruiter_desk.errors import DiskFull, KnownError, ServerUnreachable, mask_secrets


def is_url(location: str) -> bool:
    return "://" in location


def display_location(location: str) -> str:
    """The location as it may be shown or logged: a URL's password is masked."""
    if not is_url(location):
        return location
    try:
        return mask_secrets(make_url(location).render_as_string(hide_password=True))
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        return _UNREADABLE


# What an address that cannot be parsed is called: the password in it cannot be found.
_UNREADABLE = "the database address given"


def _not_a_url(location: str) -> KnownError:
    shown = display_location(location)
    where = _UNREADABLE if shown == _UNREADABLE else f"the database address {shown}"
    return KnownError(f"Cannot use {where}: it is not a valid database URL.")


def sqlite_path(location: str) -> Path | None:
    """The file behind a location, or None for a non-SQLite URL or an in-memory database."""
    if not is_url(location):
        return Path(location).expanduser().resolve()
    try:
        url = make_url(location)
    except (exc.ArgumentError, ValueError) as error:  # ValueError: a port that is not a number
        raise _not_a_url(location) from error
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().resolve()


def prepare_sqlite_file(path: Path) -> None:
    """Make sure the file can be created, and create it readable by the user alone."""
    if path.is_dir():
        raise KnownError(f"Cannot open the database {path}: it is a folder, not a file.")
    parent = path.parent
    if not parent.exists():
        raise KnownError(f"Cannot open the database {path}: the folder {parent} does not exist.")
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.close(fd)
        except FileExistsError:
            pass
        except OSError as error:
            raise KnownError(
                f"Cannot create the database {path}: {error.strerror or error}."
            ) from error
    elif not os.access(path, os.R_OK | os.W_OK):
        raise KnownError(f"Cannot open the database {path}: permission denied.")


# How long opening a connection to a database server may take before it counts as
# unreachable (seconds).
CONNECT_TIMEOUT_S = 5

# How long a write waits for another program's write to finish before giving up (ms).
BUSY_TIMEOUT_MS = 5000


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _use_write_ahead_log(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # The default 2 MB page cache makes every random row lookup a system call on a
        # 100k-person file; 64 MB keeps lists and searches in memory. (Memory-mapping the
        # file was barely faster and counted the whole file in the app's resident memory.)
        cursor.execute("PRAGMA cache_size=-65536")
    finally:
        cursor.close()
    # The interaction search triggers fold text through it (db/interaction_search.py).
    interaction_search.register_fold(dbapi_connection)


def _set_postgresql_session(dbapi_connection: Any, _record: Any) -> None:
    # The planner's cost estimate of a full pass over people (the owed list, warmth) crosses
    # the JIT threshold, and compiling takes ~300 ms on a 2-core laptop: more than the
    # query itself at 100k. The app's queries are short; JIT never pays for itself here.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    # Committed, or the pool's rollback on return would undo the setting.
    dbapi_connection.commit()


def _use_write_ahead_log(cursor: Any) -> None:
    """Switch a new file to WAL. The switch needs the file to itself, and while another
    program is creating the same file SQLite answers "locked" at once instead of through the
    busy timeout, so the switch is retried for as long as that timeout would have waited."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as error:  # sqlite3's or SQLCipher's OperationalError
            if "database is locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def make_engine(location: str) -> Engine:
    path = sqlite_path(location)
    options: dict[str, Any] = {}
    if path is not None:
        prepare_sqlite_file(path)
        url = f"sqlite+pysqlite:///{path}"
        if is_encrypted_file(path):
            # Only an encrypted file loads SQLCipher; its connections apply the key first.
            from recruiter_desk.db import encryption

            connect = encryption.connector_for(path)
            options = {
                "module": encryption.dbapi(),
                "creator": lambda: connect(str(path), check_same_thread=False),
            }
    else:
        url = location
        if url.startswith("postgresql"):
            # An unreachable server answers "no" in seconds, not after the TCP timeout.
            options = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}
        if url.startswith("postgresql://") or url.startswith("postgresql+psycopg://"):
            # psycopg 3 is the driver the app ships: a plain postgresql:// uses it too,
            # whatever SQLAlchemy's default driver is.
            import psycopg

            url = "postgresql+psycopg://" + url.split("://", 1)[1]
            options["module"] = psycopg
    shown = display_location(location)
    try:
        # SQL parameters carry names and emails: never let an error message repeat them.
        engine = create_engine(url, hide_parameters=True, **options)
    except (exc.ArgumentError, ValueError) as error:
        # The parser's message would repeat the address, password included.
        raise _not_a_url(location) from error
    except (exc.NoSuchModuleError, ImportError) as error:
        raise KnownError(f"Cannot use the database address {shown}: {error}.") from error
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _set_postgresql_session)
    return engine


def postgresql_driver() -> str:
    """The PostgreSQL driver the app connects with, as a line ("psycopg 3.3.9 (binary),
    libpq 170006"): an engine for a PostgreSQL address is made, without connecting. The
    bundle's smoke test calls it, so a build without the dialect, psycopg or its libpq
    fails there rather than at a recruiter's first ``--db postgresql+psycopg://``."""
    import psycopg

    make_engine("postgresql+psycopg://smoke@127.0.0.1:1/smoke").dispose()
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}), libpq {psycopg.pq.version()}"


# How a server that cannot be reached says so (libpq through psycopg), and the words
# that tell the user why.
_UNREACHABLE = (
    ("connection refused", "connection refused"),
    ("could not translate host name", "unknown host"),
    ("name or service not known", "unknown host"),
    ("timeout expired", "no answer"),
    ("timed out", "no answer"),
    ("no route to host", "no route to the host"),
    ("network is unreachable", "no network"),
    ("server closed the connection unexpectedly", "the connection was lost"),
    ("connection to server", "no connection"),
)
_REFUSED_LOGIN = ("no password supplied", "password authentication failed")


def _server_problem(message: str, location: str) -> KnownError | None:
    if any(words in message for words in _REFUSED_LOGIN):
        return KnownError(
            f"The database server at {location} asked for a password it was not given or "
            "refused it; put it in ~/.pgpass or in the keyring (service "
            "recruiter-desk-database, account user@host:port/database)."
        )
    for words, why in _UNREACHABLE:
        if words in message:
            return ServerUnreachable(f"The team database {location} cannot be reached ({why}).")
    return None


def explain_database_error(error: BaseException, location: str) -> KnownError | None:
    """The plain sentence for an environment failure, or None if this looks like a bug."""
    original = getattr(error, "orig", error)
    message = str(original).lower()
    server = is_url(location) and sqlite_path(location) is None
    file = None if server else sqlite_path(location)
    location = display_location(location)
    if server:
        problem = _server_problem(message, location)
        if problem is not None:
            return problem
    if "database is locked" in message or "database table is locked" in message:
        return KnownError(
            f"The database {location} is still locked by another program after "
            f"{BUSY_TIMEOUT_MS / 1000:g} seconds; close it and try again."
        )
    if "disk is full" in message or "database or disk is full" in message:
        return DiskFull(location)
    if (
        "file is not a database" in message
        or "malformed" in message
        or "not a database" in (message)
    ):
        return KnownError(
            f"The database {location} is damaged or is not a Recruiter Desk database; "
            "restore a backup with 'recruiter-desk restore FILE'."
        )
    if "unable to open database" in message or "readonly database" in message:
        return KnownError(f"Cannot write to the database {location}; check the file permissions.")
    if "disk i/o error" in message:
        if file is not None and _no_room_beside(file):
            # Even reading needs room: the write-ahead log's index file beside the
            # database is created (and grown) on opening, which a full disk refuses.
            return DiskFull(location)
        return KnownError(f"Reading or writing {location} failed with a disk error.")
    if isinstance(original, sqlite3.OperationalError | exc.OperationalError):
        return KnownError(f"The database {location} could not be used: {original}.")
    return None


def _no_room_beside(file: Path) -> bool:
    try:
        return shutil.disk_usage(file.parent).free < 64 * 1024
    except OSError:
        return False


@contextmanager
def translated_errors(location: str) -> Iterator[None]:
    try:
        yield
    except (exc.OperationalError, exc.DatabaseError, sqlite3.DatabaseError) as error:
        known = explain_database_error(error, location)
        if known is None:
            raise
        raise known from error
