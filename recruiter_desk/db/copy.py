"""``copy-to``: a whole network into an empty database, verified row by row (docs/team.md).

Moving to a team server (SQLite to PostgreSQL) and back (a local copy) is one routine: the
target is created or migrated to the same schema, refused unless every table is empty,
filled in ONE transaction in the order of the foreign keys, and checked before that
transaction commits: each table's row count and a checksum of every row, read back through
the same types on both sides. Any difference rolls everything back. Ids are copied as they
are, so a server's sequences are moved past the highest id afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from recruiter_desk.db import search_index, warmth_queue
from recruiter_desk.db.dialect import catch_up_sequences
from recruiter_desk.db.models import Base
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError

# Rows per INSERT batch: big enough for few round trips to a server, small enough to hold.
BATCH = 2000


class CopyCancelled(Exception):
    """The copy was cancelled: its transaction rolled back, the target is left empty."""


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    tables: tuple[TableCopy, ...]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "rows": self.rows,
            "tables": [
                {"name": t.name, "rows": t.rows, "checksum": t.checksum} for t in self.tables
            ],
        }


def tables() -> list[Table]:
    """Every table of the schema, parents before the rows that refer to them."""
    return list(Base.metadata.sorted_tables)


def _canonical(value: Any) -> str:
    """One value as text that reads the same from SQLite and PostgreSQL."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


def _rows(connection: Connection, table: Table) -> Iterator[Any]:
    result = connection.execution_options(yield_per=BATCH).execute(_ordered(table))
    yield from result


def table_checksum(connection: Connection, table: Table) -> TableCopy:
    """The number of rows and a SHA-256 over every value of every row, in key order."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(connection, table):
        digest.update("\x1f".join(_canonical(v) for v in row).encode())
        digest.update(b"\x1e")
        count += 1
    return TableCopy(table.name, count, digest.hexdigest())


def checksums(connection: Connection) -> tuple[TableCopy, ...]:
    return tuple(table_checksum(connection, t) for t in tables())


def _held(connection: Connection) -> dict[str, int]:
    found = {}
    for table in tables():
        count = connection.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            found[table.name] = count
    return found


def _reset_sequences(connection: Connection) -> None:
    """After explicit ids, a server's next id must come after the highest copied one."""
    catch_up_sequences(connection)  # the one home of this rule, shared with the demo


def copy_database(
    source: Database,
    target: Database,
    progress: Callable[[str, float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target`` (both at the same schema) and
    verify it; nothing is kept in ``target`` unless every table matches. ``cancelled`` is
    asked between batches; a cancel raises ``CopyCancelled`` and keeps nothing."""
    shown = target.display_location
    tell = progress or (lambda _step, _share: None)
    stop = cancelled or (lambda: False)
    every = tables()
    with source.engine.connect() as reading:
        if reading.dialect.name == "postgresql":
            # One snapshot of the source for the copy and its checksums.
            reading = reading.execution_options(isolation_level="REPEATABLE READ")
        with reading.begin(), target.write() as writing:
            if reading.dialect.name == "sqlite":
                # pysqlite starts no transaction for reads: without one, a write by another
                # program between the copy and its check would fail the check.
                reading.exec_driver_sql("BEGIN")
            held = _held(writing)
            if held:
                name, count = next(iter(held.items()))
                raise KnownError(
                    f"The database {shown} is not empty ({name} holds {count} rows); copy-to "
                    "only fills an empty database, so nothing was copied."
                )
            # Progress by rows: a million interactions are most of the work.
            sizes = [
                reading.execute(select(func.count()).select_from(t)).scalar_one() for t in every
            ]
            total = max(1, sum(sizes))
            done = 0
            for table in every:
                batch: list[dict[str, Any]] = []
                for row in _rows(reading, table):
                    batch.append(dict(row._mapping))
                    if len(batch) >= BATCH:
                        if stop():
                            raise CopyCancelled
                        writing.execute(insert(table), batch)
                        done += len(batch)
                        batch = []
                        tell(f"Copying {table.name}", 0.8 * done / total)
                if batch:
                    writing.execute(insert(table), batch)
                    done += len(batch)
                tell(f"Copying {table.name}", 0.8 * done / total)
            if stop():
                raise CopyCancelled
            _reset_sequences(writing)
            warmth_queue.copy_state(reading, writing)
            search_index.reindex(writing, None)
            tell("Checking every row", 0.8)
            theirs = checksums(reading)
            ours = checksums(writing)
            for expected, found in zip(theirs, ours, strict=True):
                if expected != found:
                    raise KnownError(
                        f"The copy in {shown} differs from the original in {found.name} "
                        f"({found.rows} rows against {expected.rows}); nothing was copied."
                    )
    tell("Done", 1.0)
    return CopyReport(source.display_location, shown, ours)
