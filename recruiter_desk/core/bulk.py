"""Helpers for work over hundreds of thousands of rows."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Date, DateTime, insert


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small, acyclic objects.

    Each collection rescans the whole growing heap; during a 100k-person export that
    doubled the time. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect_young() -> None:
    """Free what the last part of a paused job left in cycles (only objects made since the
    last collection are looked at), on the main thread only: in the window the job runs
    on a worker, and cycles there may hold Qt objects, which must be freed on the GUI
    thread; the window's collector does that (ui/collector.py)."""
    if threading.current_thread() is threading.main_thread():
        gc.collect(0)


def insert_rows(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert many rows as SQLAlchemy's ``insert(table)`` would, at a fraction of the cost.

    The statement is built once and each value goes through its column type's own bind
    processor (dates, JSON, booleans are stored exactly as the ORM stores them); columns a
    row leaves out get their scalar Python default. Skipping SQLAlchemy's per-row
    parameter compilation halves the time of a million-row insert.
    """
    if not rows:
        return
    sql_table = getattr(table, "__table__", table)
    dialect = connection.dialect
    if dialect.paramstyle != "qmark":  # other drivers: the plain, slower path
        connection.execute(insert(sql_table), rows)
        return
    given = list(rows[0])
    defaults = {
        column.name: column.default.arg
        for column in sql_table.columns
        if column.name not in given
        and column.default is not None
        and getattr(column.default, "is_scalar", False)
    }
    names = [*given, *defaults]
    processors = [
        sql_table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    tail = tuple(
        processor(value) if processor else value
        for processor, value in zip(processors[len(given) :], defaults.values(), strict=True)
    )
    columns = [
        _processed([row[name] for row in rows], processor, sql_table.c[name].type)
        for name, processor in zip(given, processors, strict=False)
    ]
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(sql_table)} "
        f"({', '.join(quote(name) for name in names)}) VALUES ({', '.join('?' for _ in names)})"
    )
    connection.exec_driver_sql(
        statement, [(*values, *tail) for values in zip(*columns, strict=True)]
    )


def _processed(values: list[Any], processor: Any, column_type: Any) -> list[Any]:
    if processor is None:
        return values
    if isinstance(column_type, Date | DateTime):
        # Dates and times repeat across a million rows: format each distinct one once.
        memo: dict[Any, Any] = {}
        return [
            memo[value] if value in memo else memo.setdefault(value, processor(value))
            for value in values
        ]
    return [processor(value) for value in values]
