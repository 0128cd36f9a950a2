"""What parsers produce and what an import reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from recruiter_desk.errors import KnownError

Progress = Callable[[str, float], None]
PROBLEMS_KEPT = 1000
NAMES_KEPT = 200


class BadImportFile(KnownError):
    """A file that cannot be imported at all; nothing from it (or its batch) is written."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        where = f"{file}, line {line}" if line else file
        super().__init__(f"Cannot import {where}: {message}")
        self.file = file
        self.line = line


class ImportCancelled(Exception):
    """The user cancelled; the transaction was rolled back."""


@dataclass
class IncomingPerson:
    """One contact as a file describes it; ``None`` means "the file does not say"."""

    line: int
    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    company: str = ""
    title: str = ""
    location: str = ""
    linkedin_url: str | None = None
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    notes: str = ""
    connected_on: date | None = None
    work_modes: list[str] | None = None
    openness: str | None = None
    is_applicant: bool | None = None
    do_not_contact: bool | None = None
    cadence_days: int | None = None
    snoozed_until: date | None = None
    source: str = ""
    created_at: datetime | None = None
    # The record's id in an interchange file, so other records can point at it.
    ref: str | None = None

    @property
    def has_identity(self) -> bool:
        return bool(self.first_name or self.last_name or self.emails)


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass
class FileReport:
    file: str
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    job_changes: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Problems past the first PROBLEMS_KEPT are counted, not kept: a file of a million bad
    # rows must not hold a million sentences.
    problems_unlisted: int = 0
    batch_id: int | None = None
    # Who the import adds and updates, in file order: what a dry run shows before writing
    # (the first NAMES_KEPT of each; ``added`` and ``updated`` count them all).
    added_names: list[str] = field(default_factory=list)
    updated_names: list[str] = field(default_factory=list)

    def add_problems(self, problems: list[Problem]) -> None:
        room = max(0, PROBLEMS_KEPT - len(self.problems))
        self.problems.extend(problems[:room])
        self.problems_unlisted += max(0, len(problems) - room)

    def add_names(self, added: list[str], updated: list[str]) -> None:
        self.added_names.extend(added[: max(0, NAMES_KEPT - len(self.added_names))])
        self.updated_names.extend(updated[: max(0, NAMES_KEPT - len(self.updated_names))])


@dataclass
class ImportReport:
    files: list[FileReport]
    dry_run: bool

    def total(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files)

    def to_json(self) -> dict[str, Any]:
        problems: list[dict[str, Any]] = []
        for report in self.files:
            problems.extend(
                {**p.to_json(), "file": report.file} if len(self.files) > 1 else p.to_json()
                for p in report.problems
            )
        return {
            "added": self.total("added"),
            "updated": self.total("updated"),
            "skipped": self.total("skipped"),
            "unchanged": self.total("unchanged"),
            "job_changes": self.total("job_changes"),
            "dry_run": self.dry_run,
            "batches": [f.batch_id for f in self.files if f.batch_id is not None],
            "problems": problems,
            "problems_unlisted": self.total("problems_unlisted"),
        }
