"""People as the lists show them: frozen rows built from a query's columns.

Both read paths build their rows here: the SQLAlchemy one (``core/people.py``) and the
command line's plain-sqlite3 one (``core/quick_read.py``), so this module imports no
SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from recruiter_desk.core.identity import display_name
from recruiter_desk.core.vocabulary import bits_to_work_modes


@dataclass(frozen=True)
class PersonRow:
    """A person as the list and ``people --json`` show them (a frozen copy, no ORM)."""

    id: int
    first_name: str
    last_name: str
    company: str
    title: str
    location: str
    linkedin_url: str | None
    work_modes: list[str]
    do_not_contact: bool
    openness: str
    last_touch: date | None
    warmth: float | None
    status: str
    days_since_touch: int
    cadence_days: int
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.emails, self.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "full_name": self.full_name,
            "emails": self.emails,
            "phones": self.phones,
            "company": self.company,
            "title": self.title,
            "location": self.location,
            "linkedin_url": self.linkedin_url,
            "tags": self.tags,
            "interests": self.interests,
            "work_modes": self.work_modes,
            "do_not_contact": self.do_not_contact,
            "last_touch": self.last_touch.isoformat() if self.last_touch else None,
            "warmth": self.warmth,
            "status": self.status,
        }


@dataclass
class PersonLists:
    """A person's emails (in order), phones (in order), tags and interests."""

    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class Columns(Protocol):
    """A result row read by column name: SQLAlchemy's ``row._mapping`` or a ``sqlite3.Row``."""

    def __getitem__(self, name: str, /) -> Any: ...


def person_row(row: Columns, lists: PersonLists | None) -> PersonRow:
    """A row of ``people_statement``'s columns, by name, and the person's lists."""
    extra = lists or PersonLists()
    dnc = bool(row["do_not_contact"])
    return PersonRow(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        company=row["company"],
        title=row["title"],
        location=row["location"],
        linkedin_url=row["linkedin_url"],
        work_modes=bits_to_work_modes(row["work_modes"]),
        do_not_contact=dnc,
        openness=row["openness"],
        last_touch=_as_date(row["last_touch_day"]),
        warmth=None if dnc else round(float(row["ratio"]), 3),
        status=row["status"],
        days_since_touch=int(row["days"]),
        cadence_days=int(row["cadence"]),
        emails=extra.emails,
        phones=extra.phones,
        tags=extra.tags,
        interests=extra.interests,
    )
