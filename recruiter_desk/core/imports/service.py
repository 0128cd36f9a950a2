"""Import files in one transaction, list import batches, undo one."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from recruiter_desk.core.bulk import gc_paused
from recruiter_desk.core.identity import display_name, first_email
from recruiter_desk.core.imports import csv_formats
from recruiter_desk.core.imports.merge import apply_merge, plan_merge
from recruiter_desk.core.imports.model import (
    FileReport,
    ImportCancelled,
    ImportReport,
    IncomingPerson,
    Problem,
    Progress,
)
from recruiter_desk.core.imports.reading import FORMATS, SourceText, detect, read_source
from recruiter_desk.core.imports.vcards import parse_vcards
from recruiter_desk.core.interchange.apply import write_records
from recruiter_desk.core.interchange.read import parse_interchange
from recruiter_desk.core.interchange.records import Records
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
class _Parsed:
    source: SourceText
    format: str
    people: list[IncomingPerson]
    problems: list[Problem]
    records: Records | None


def parse_file(
    path: Path, fmt: str | None = None, mapping: dict[str, str] | None = None
) -> _Parsed:
    """Read and parse one file; raises BadImportFile for a file that cannot be imported."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    source = read_source(path)
    chosen = fmt or ("linkedin" if source.from_zip else detect(source))
    records = None
    problems: list[Problem] = []
    if chosen == "json":
        parsed = parse_interchange(source)
        people, records = parsed.people, parsed.records
    elif chosen == "vcard":
        people, problems = parse_vcards(source)
    elif chosen == "linkedin":
        people, problems = csv_formats.parse_linkedin(source)
    elif chosen == "google":
        people, problems = csv_formats.parse_google(source)
    elif chosen == "outlook":
        people, problems = csv_formats.parse_outlook(source)
    else:
        people, problems = csv_formats.parse_generic(source, mapping)
    return _Parsed(source, chosen, people, problems, records)


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

    Every file is read and checked before anything is written. Raises ``BadImportFile`` for
    a file that cannot be imported, ``ImportCancelled`` when cancelled (nothing written).
    """
    report_progress = progress or (lambda _stage, _fraction: None)
    is_cancelled = cancelled or (lambda: False)
    parsed: list[_Parsed] = []
    for index, path in enumerate(paths):
        report_progress(f"Reading {path.name}", 0.2 * index / max(1, len(paths)))
        parsed.append(parse_file(path, fmt, mapping))
        if is_cancelled():
            raise ImportCancelled
    reports: list[FileReport] = []
    try:
        with gc_paused(), database.write() as connection:
            for index, item in enumerate(parsed):
                share = 0.8 / len(parsed)
                base = 0.2 + share * index
                report = FileReport(item.source.name, item.format, problems=list(item.problems))

                def step(
                    fraction: float,
                    name: str = item.source.name,
                    base: float = base,
                    share: float = share,
                ) -> None:
                    report_progress(f"Merging {Path(name).name}", base + share * 0.8 * fraction)

                plan = plan_merge(
                    connection, item.people, fmt=item.format, progress=step, cancelled=is_cancelled
                )
                plan.report(report)
                if is_cancelled():
                    raise ImportCancelled
                report_progress(f"Writing {Path(item.source.name).name}", base + share * 0.85)
                # A dry run writes exactly what a real run would, then rolls it all back:
                # the records of a JSON file point at the people written just before them.
                applied = apply_merge(connection, plan, now=now, source_name=item.source.name)
                report.batch_id = None if dry_run else applied.batch_id
                if item.records is not None:
                    people = {ref: applied.person_id(key) for ref, key in plan.refs.items()}
                    write_records(connection, item.records, people, now, is_cancelled)
                report.problems.sort(key=lambda p: p.line)
                reports.append(report)
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
