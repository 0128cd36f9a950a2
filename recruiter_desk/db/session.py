"""The unit of work: short sessions, one transaction each, derived data kept in step.

Every ORM write that changes a person's searchable text or their interactions marks the
person; just before commit the FTS rows and last-touch columns of those people are rebuilt
in the same transaction, so the index can never disagree with the data. Bulk Core writes
call ``search_index.reindex`` / ``touch.refresh_touch`` themselves.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from recruiter_desk.db import search_index, touch
from recruiter_desk.db.engine import display_location, sqlite_path, translated_errors
from recruiter_desk.db.models import Interaction, Person, PersonEmail, PersonTag

_SEARCH_DIRTY = "recruiter_desk.search_dirty"
_TOUCH_DIRTY = "recruiter_desk.touch_dirty"
_WROTE = "recruiter_desk.wrote"
_DATABASE = "recruiter_desk.database"

# The settlers of a database nobody attached any to (a script, a test, the demo): registered
# by the modules that keep derived rows (core/warmth_store.py), once they are imported.
DEFAULT_SETTLERS: list[Callable[[Connection], None]] = []


def _person_id_of(instance: Any) -> int | None:
    if isinstance(instance, Person):
        return instance.id
    if isinstance(instance, PersonEmail | PersonTag | Interaction):
        return instance.person_id
    return None


def _collect(session: Session, _flush_context: Any) -> None:
    search_dirty: set[int] = session.info.setdefault(_SEARCH_DIRTY, set())
    touch_dirty: set[int] = session.info.setdefault(_TOUCH_DIRTY, set())
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True
    for instance in (*session.new, *session.dirty, *session.deleted):
        person_id = _person_id_of(instance)
        if person_id is None:
            continue
        if isinstance(instance, Interaction):
            touch_dirty.add(person_id)
            # An interaction moved to another person changes that person's touch too.
            history = inspect(instance).attrs.person_id.history
            touch_dirty.update(pid for pid in history.deleted or () if pid is not None)
        else:
            search_dirty.add(person_id)


def _apply(session: Session) -> None:
    session.flush()
    search_dirty: set[int] = session.info.pop(_SEARCH_DIRTY, set())
    touch_dirty: set[int] = session.info.pop(_TOUCH_DIRTY, set())
    connection = session.connection()
    if touch_dirty:
        touch.refresh_touch(connection, touch_dirty)
    if search_dirty:
        search_index.reindex(connection, search_dirty)
    database = session.info.get(_DATABASE)
    wrote = session.info.pop(_WROTE, False)
    if (_wrote(connection) or wrote) and database is not None:
        database.settle(connection)


def _note_write(
    connection: Connection, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool
) -> None:
    """Remember that a transaction changed rows, so it settles before it commits."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        connection.info[_WROTE] = True


def _wrote(connection: Connection) -> bool:
    return bool(connection.info.pop(_WROTE, False))


def _forget_pending(session: Session, *_args: Any) -> None:
    session.info.pop(_SEARCH_DIRTY, None)
    session.info.pop(_TOUCH_DIRTY, None)
    session.info.pop(_WROTE, None)


# One writer at a time, as SQLite's BEGIN IMMEDIATE gives: on PostgreSQL a transaction-scoped
# advisory lock (released at commit or rollback) so what a write reads first is not stale by
# the time it writes. Any fixed number will do; every Recruiter Desk writer uses this one.
_PG_WRITE_LOCK = 1_757_017_000


def write_lock_sql(dialect_name: str) -> str | None:
    """The statement that takes the database-wide write lock, first thing in a transaction."""
    if dialect_name == "sqlite":
        return "BEGIN IMMEDIATE"
    if dialect_name == "postgresql":
        return f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})"
    return None


class Database:
    """An open database: the engine plus a factory for short sessions."""

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location
        # Set by open_database from the settings; what safety backups keep.
        self.retention: Any = None
        # What brings derived rows the storage layer cannot compute itself in step before
        # a write commits (core/warmth_store.py attaches the stored warmth inputs').
        self.settlers: list[Callable[[Connection], None]] = []
        self._sessions = sessionmaker(engine, expire_on_commit=False, info={_DATABASE: self})
        event.listen(self._sessions, "after_flush", _collect)
        event.listen(self._sessions, "before_commit", _apply)
        event.listen(self._sessions, "after_rollback", _forget_pending)
        event.listen(engine, "after_cursor_execute", _note_write)
        # The driver connections in use, so that quitting can interrupt their statements.
        self._in_use: dict[Any, int] = {}  # driver connection: the thread using it
        self._in_use_lock = threading.Lock()
        event.listen(engine, "checkout", self._checked_out)
        event.listen(engine, "checkin", self._checked_in)

    def _checked_out(self, driver_connection: Any, _record: Any, _proxy: Any) -> None:
        with self._in_use_lock:
            self._in_use[driver_connection] = threading.get_ident()

    def _checked_in(self, driver_connection: Any, _record: Any) -> None:
        with self._in_use_lock:
            self._in_use.pop(driver_connection, None)

    def interrupt(self, thread: int | None = None) -> None:
        """Stop the statements running on the connections one thread uses (all threads'
        with None), from any thread: each fails as interrupted, its transaction rolls back."""
        with self._in_use_lock:
            connections = [c for c, user in self._in_use.items() if thread in (None, user)]
        for connection in connections:
            stop = getattr(connection, "interrupt", None) or getattr(connection, "cancel", None)
            if stop is not None:
                with contextlib.suppress(Exception):  # it may have just finished
                    stop()

    def settle(self, connection: Connection) -> None:
        """Run the settlers in the transaction of a write, just before it commits."""
        # A connection that streamed rows (copy-to's checksums) would declare a server-side
        # cursor for every later statement, which PostgreSQL allows for queries only.
        connection.execution_options(yield_per=None, stream_results=False)
        for settler in self.settlers or DEFAULT_SETTLERS:
            settler(connection)

    @property
    def display_location(self) -> str:
        """Where the data lives, safe to show and log (no password)."""
        return display_location(self.location)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def write_lock_sql(self) -> str | None:
        return write_lock_sql(self.engine.dialect.name)

    @property
    def path(self) -> Any:
        return sqlite_path(self.location)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One unit of work: committed if the block ends normally, rolled back otherwise.

        ``write`` takes the write lock before the first read, as ``write()`` does: for work
        that reads what it then writes (an organisation found by name, or else created).
        """
        with translated_errors(self.location), self._sessions() as session, session.begin():
            # A flag left on the pooled connection by a transaction rolled back is not ours.
            session.connection().info.pop(_WROTE, None)
            if write:
                session.info[_WROTE] = True
                if self.write_lock_sql:
                    session.connection().exec_driver_sql(self.write_lock_sql)
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A Core connection in one transaction, for bulk reads and writes."""
        with translated_errors(self.location), self.engine.begin() as connection:
            connection.info.pop(_WROTE, None)
            yield connection
            # Some bulk writes run here rather than in write(): they settle the same way.
            if _wrote(connection):
                self.settle(connection)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A Core connection in one transaction that holds the write lock from the start.

        Whatever a write is worked out from (who exists already, which organisation has a
        name) must be read inside it: SQLite otherwise reads outside any transaction until
        the first INSERT, and a second process writing in between makes those reads stale.
        A second writer waits here (busy timeout) for the first to finish.
        """
        with translated_errors(self.location), self.engine.begin() as connection:
            if self.write_lock_sql:
                connection.exec_driver_sql(self.write_lock_sql)
            yield connection
            _wrote(connection)
            self.settle(connection)

    def checkpoint(self) -> None:
        if self.is_sqlite:
            with translated_errors(self.location), self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.engine.dispose()

    def table_names(self) -> list[str]:
        with self.engine.connect() as connection:
            if self.is_sqlite:
                rows = connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table'")
                )
                return [row[0] for row in rows]
            return inspect(connection).get_table_names()


def inserted_id(result: Any) -> int:
    """The primary key a single-row Core insert created."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError("the insert did not report its new primary key")
    return int(key[0])
