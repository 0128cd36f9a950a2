"""Import files in one transaction, list import batches, undo one."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update

from recruiter_desk.core.bulk import collect_young, gc_paused
from recruiter_desk.core.identity import display_name, first_email
from recruiter_desk.core.imports import csv_formats, reading
from recruiter_desk.core.imports.merge import MergeRun, apply_merge, plan_merge
from recruiter_desk.core.imports.model import (
    FileReport,
    ImportCancelled,
    ImportReport,
    IncomingPerson,
    Problem,
    Progress,
)
from recruiter_desk.core.imports.reading import FORMATS, Source, detect, read_source
from recruiter_desk.core.imports.vcards import parse_vcards
from recruiter_desk.core.interchange.apply import RecordWriter
from recruiter_desk.core.interchange.read import read_interchange
from recruiter_desk.core.mail.importer import remove_batch_mail
from recruiter_desk.db import search_index
from recruiter_desk.db.models import ImportBatch, ImportBatchItem, Person
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, NotFoundError, UsageError

log = logging.getLogger(__name__)

FORMAT_LABELS = {
    "linkedin": "LinkedIn connections",
    "vcard": "vCard",
    "google": "Google Contacts CSV",
    "outlook": "Outlook CSV",
    "csv": "CSV",
    "json": "Recruiter Desk JSON",
    "mail": "Mail (interactions)",
    "calendar": "Calendar (meetings)",
}


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run after it was fully computed."""


@dataclass
class _Opened:
    """A file checked and ready to read: what can be refused without reading it was."""

    source: Source
    format: str


def open_file(path: Path, fmt: str | None = None) -> _Opened:
    """Check one file and detect its format; raises BadImportFile for a file that cannot be
    imported (missing, a pipe or device, over the size limits, a zip bomb, empty)."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    source = read_source(path)
    return _Opened(source, fmt or ("linkedin" if source.from_zip else detect(source)))


def _parts(
    opened: _Opened, mapping: dict[str, str] | None, problems: list[Problem]
) -> Iterator[tuple[str, list[Any]]]:
    """The file's records a part at a time, as ``(collection, records)`` (problems gathered
    as they are read): contacts are ``people``; an interchange file has other collections
    too, each after the people and records it points at."""
    source, chosen = opened.source, opened.format
    if chosen == "json":
        return read_interchange(source)
    people: Iterator[IncomingPerson]
    if chosen == "vcard":
        people = parse_vcards(source, problems)
    elif chosen == "linkedin":
        people = csv_formats.parse_linkedin(source, problems)
    elif chosen == "google":
        people = csv_formats.parse_google(source, problems)
    elif chosen == "outlook":
        people = csv_formats.parse_outlook(source, problems)
    else:
        people = csv_formats.parse_generic(source, problems, mapping)
    return _batched(people, source)


def _batched(
    people: Iterator[IncomingPerson], source: Source
) -> Iterator[tuple[str, list[IncomingPerson]]]:
    part: list[IncomingPerson] = []
    start = source.bytes_read
    for person in people:
        part.append(person)
        if len(part) >= reading.PART or source.bytes_read - start >= reading.PART_BYTES:
            yield "people", part
            part, start = [], source.bytes_read
    if part:
        yield "people", part


def import_files(
    database: Database,
    paths: Sequence[Path],
    *,
    now: datetime,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import every file in one transaction: all of them or nothing.

    Every file is checked before anything is written, then read and merged a part at a time
    (memory stays bounded whatever the size); a bad row anywhere rolls everything back.
    Raises ``BadImportFile`` for a file that cannot be imported, ``ImportCancelled`` when
    cancelled (nothing written).
    """
    report_progress = progress or (lambda _stage, _fraction: None)
    is_cancelled = cancelled or (lambda: False)
    opened = [open_file(path, fmt) for path in paths]
    if is_cancelled():
        raise ImportCancelled
    reports: list[FileReport] = []
    try:
        with gc_paused(), database.write() as connection:
            for index, item in enumerate(opened):
                reports.append(
                    _import_one(
                        connection,
                        item,
                        mapping,
                        now,
                        dry_run,
                        lambda name, fraction, index=index: report_progress(  # type: ignore[misc]
                            name, (index + fraction) / len(opened)
                        ),
                        is_cancelled,
                    )
                )
            if is_cancelled():
                raise ImportCancelled
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report_progress("Done", 1.0)
    for report in reports:
        log.info(
            "imported %s (%s): %d added, %d updated, %d skipped%s",
            report.file,
            report.format,
            report.added,
            report.updated,
            report.skipped,
            " (dry run)" if dry_run else "",
        )
    return ImportReport(reports, dry_run)


def _quiet(_fraction: float) -> None:
    """A part merges in well under a second: progress is reported between parts."""


def _import_one(
    connection: Connection,
    item: _Opened,
    mapping: dict[str, str] | None,
    now: datetime,
    dry_run: bool,
    progress: Progress,
    cancelled: Callable[[], bool],
) -> FileReport:
    source = item.source
    label = Path(source.name).name
    report = FileReport(source.name, item.format)
    run = MergeRun(item.format, source.name, now)
    problems: list[Problem] = []
    records = RecordWriter(connection, now, cancelled)
    progress(f"Importing {label}", 0.0)
    for collection, part in _parts(item, mapping, problems):
        if collection != "people":
            if cancelled():
                raise ImportCancelled
            records.write(collection, part)
            progress(f"Importing {label}", source.fraction_read)
            continue
        plan = plan_merge(
            connection,
            part,
            fmt=item.format,
            progress=lambda _f: None,
            cancelled=cancelled,
            run=run,
        )
        if cancelled():
            raise ImportCancelled
        # A dry run writes exactly what a real run would, then rolls it all back: the
        # records of a JSON file point at the people written just before them.
        applied = apply_merge(connection, plan, now=now, source_name=source.name, run=run)
        problems.extend(plan.problems)
        plan.problems = []
        plan.report(report)
        report.add_problems(sorted(problems, key=lambda p: p.line))
        problems.clear()
        records.people.update({ref: applied.person_id(key) for ref, key in plan.refs.items()})
        # The cyclic collector is paused for speed; what one part left in cycles goes now.
        collect_young()
        progress(f"Importing {label}", source.fraction_read)
    report.add_problems(sorted(problems, key=lambda p: p.line))
    batch_id = run.finish(connection)
    report.batch_id = None if dry_run else batch_id
    return report


@dataclass(frozen=True)
class BatchRow:
    id: int
    started_at: datetime
    source: str
    format: str
    added: int
    updated: int
    skipped: int
    undone_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "source": self.source,
            "format": self.format,
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "undone_at": self.undone_at.isoformat() if self.undone_at else None,
        }


def list_batches(database: Database) -> list[BatchRow]:
    with database.connect() as connection:
        rows = connection.execute(
            select(
                ImportBatch.id,
                ImportBatch.started_at,
                ImportBatch.source,
                ImportBatch.format,
                ImportBatch.added,
                ImportBatch.updated,
                ImportBatch.skipped,
                ImportBatch.undone_at,
            ).order_by(ImportBatch.id.desc())
        ).all()
    return [BatchRow(*row) for row in rows]


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    removed: int
    kept: list[str]
    updated_kept: int
    mail_removed: int = 0
    format: str | None = None


def undo_batch(database: Database, batch_id: int, now: datetime) -> UndoResult:
    """Remove the people a batch added, unless the recruiter has touched them since."""
    with database.connect() as connection:
        batch = connection.execute(
            select(ImportBatch.started_at, ImportBatch.undone_at, ImportBatch.format).where(
                ImportBatch.id == batch_id
            )
        ).one_or_none()
        if batch is None:
            raise NotFoundError(f"There is no import batch {batch_id}.")
        if batch.undone_at is not None:
            raise KnownError(
                f"Import batch {batch_id} was already undone on {batch.undone_at:%Y-%m-%d %H:%M}."
            )
        rows = connection.execute(
            select(
                Person.id,
                Person.first_name,
                Person.last_name,
                first_email(Person.id).label("email"),
                Person.updated_at,
                ImportBatchItem.action,
            )
            .join(ImportBatchItem, ImportBatchItem.person_id == Person.id)
            .where(ImportBatchItem.batch_id == batch_id)
        ).all()
        # A mail import's batch also added interactions (core/mail): they go first.
        mail_removed = remove_batch_mail(connection, batch_id)
        removable = [r.id for r in rows if r.action == "added" and r.updated_at <= batch.started_at]
        kept = [
            display_name(r.first_name, r.last_name, [r.email or ""], r.id)
            for r in rows
            if r.action == "added" and r.updated_at > batch.started_at
        ]
        for start in range(0, len(removable), 500):
            connection.execute(delete(Person).where(Person.id.in_(removable[start : start + 500])))
        search_index.reindex(connection, removable)
        connection.execute(
            update(ImportBatch).where(ImportBatch.id == batch_id).values(undone_at=now)
        )
    return UndoResult(
        batch_id,
        len(removable),
        kept,
        sum(1 for r in rows if r.action == "updated"),
        mail_removed,
        batch.format,
    )
