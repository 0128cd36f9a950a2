"""What a JSON interchange file holds, as typed records (docs/interchange.md).

References between records stay the file's own string ids (``person``, ``opportunity``,
``organization``) until ``apply`` maps them to the database's ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class OrganizationRecord:
    ref: str
    name: str
    website: str | None
    notes: str


@dataclass(frozen=True)
class OpportunityRecord:
    ref: str
    title: str
    organization: str | None
    company: str
    work_mode: str | None
    location: str
    status: str
    skills: tuple[str, ...]
    description: str
    created_at: datetime | None


@dataclass(frozen=True)
class CandidacyRecord:
    ref: str
    person: str
    opportunity: str
    stage: str
    # (changed_at, stage), oldest first; a step without a time is taken as "now".
    history: tuple[tuple[datetime | None, str], ...]


@dataclass(frozen=True)
class InteractionRecord:
    person: str
    kind: str
    direction: str
    occurred_at: datetime
    subject: str
    body: str
    opportunity: str | None


@dataclass(frozen=True)
class FollowUpRecord:
    person: str
    due_on: date
    reason: str
    done_at: datetime | None
    created_at: datetime | None


@dataclass(frozen=True)
class ArticleRecord:
    url: str
    title: str
    topics: tuple[str, ...]
    created_at: datetime | None


@dataclass(frozen=True)
class TemplateRecord:
    name: str
    purpose: str
    subject: str
    body: str
