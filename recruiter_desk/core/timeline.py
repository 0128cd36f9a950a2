"""The timeline: every touchpoint, stage change and import, newest first, a page at a time.

Entries come from three tables (interactions, stage changes, import batches) merged in SQL.
Pages are keyset-paged on (time, source rank, id): each page starts where the last one
ended, so the thousandth page costs what the first does, and every source walks an index
on its time column. Text search is full-text over subjects and bodies of interactions
(``db/interaction_search.py``: every word as a prefix, accents and case ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.followups import FollowUpRow, list_follow_ups
from recruiter_desk.core.identity import display_name, email_for_display
from recruiter_desk.core.records import get_person, log_interaction
from recruiter_desk.core.team import attribution
from recruiter_desk.core.vocabulary import DIRECTIONS, INTERACTION_KINDS
from recruiter_desk.db import interaction_search
from recruiter_desk.db.models import (
    Candidacy,
    ImportBatch,
    Interaction,
    Opportunity,
    Person,
    StageChange,
)
from recruiter_desk.db.team import recruiter_of
from recruiter_desk.errors import NotFoundError, UsageError

ENTRY_KINDS: tuple[str, ...] = (*INTERACTION_KINDS, "stage", "import")
# Order of sources within one instant, newest first: what happened as a result comes first.
_RANKS = {"import": 0, "stage": 1, "interaction": 2}
PAGE_SIZE = 100


@dataclass(frozen=True)
class TimelineQuery:
    """What a timeline shows: everything, or narrowed by any of these."""

    person_id: int | None = None
    opportunity_id: int | None = None
    kind: str | None = None
    direction: str | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in ENTRY_KINDS:
            raise UsageError(f"Unknown kind {self.kind!r}; use one of {', '.join(ENTRY_KINDS)}.")
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise UsageError(
                f"Unknown direction {self.direction!r}; use one of {', '.join(DIRECTIONS)}."
            )
        if self.since and self.until and self.since > self.until:
            raise UsageError(f"The date range {self.since} to {self.until} ends before it starts.")


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the next page holds only entries strictly older than this."""

    at: datetime
    rank: int
    id: int


@dataclass(frozen=True)
class TimelineEntry:
    source: str  # interaction, stage or import
    id: int
    at: datetime
    day: date  # the local calendar day
    time: str  # the local time of day, "14:05"
    kind: str  # an interaction kind, "stage" or "import"
    direction: str
    person_id: int | None
    person_name: str
    subject: str
    snippet: str  # the first line of the body
    opportunity_id: int | None
    opportunity: str | None
    # Who logged it or moved the stage (docs/team.md); "by Bob" for a teammate's, else "".
    recruiter: str = ""
    by: str = ""

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, _RANKS[self.source], self.id)

    @property
    def editable(self) -> bool:
        return self.source == "interaction"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "id": self.id,
            "at": self.at.isoformat(),
            "day": self.day.isoformat(),
            "time": self.time,
            "kind": self.kind,
            "direction": self.direction,
            "person_id": self.person_id,
            "full_name": self.person_name or None,
            "subject": self.subject,
            "snippet": self.snippet,
            "opportunity_id": self.opportunity_id,
            "opportunity": self.opportunity,
            "recruiter": self.recruiter or None,
        }


@dataclass(frozen=True)
class TimelinePage:
    entries: tuple[TimelineEntry, ...]
    next: Cursor | None  # None: this was the last page


def _after(at: Any, rank: int, key: Any, cursor: Cursor | None) -> list[Any]:
    """Keyset condition for one source, written so SQLite walks the time index."""
    if cursor is None:
        return []
    if rank < cursor.rank:
        return [at <= cursor.at]
    if rank > cursor.rank:
        return [at < cursor.at]
    return [at <= cursor.at, or_(at < cursor.at, key < cursor.id)]


def _range(at: Any, query: TimelineQuery, as_of: AsOf) -> list[Any]:
    conditions = []
    if query.since is not None:
        conditions.append(at >= AsOf(query.since - timedelta(days=1), as_of.zone).end_utc)
    if query.until is not None:
        conditions.append(at < AsOf(query.until, as_of.zone).end_utc)
    return conditions


def _interactions(
    query: TimelineQuery, as_of: AsOf, cursor: Cursor | None, n: int, matching: Any
) -> Any:
    if query.kind in ("stage", "import"):
        return None
    rank = _RANKS["interaction"]
    conditions = [
        *_after(Interaction.occurred_at, rank, Interaction.id, cursor),
        *_range(Interaction.occurred_at, query, as_of),
    ]
    if query.person_id is not None:
        conditions.append(Interaction.person_id == query.person_id)
    if query.opportunity_id is not None:
        conditions.append(Interaction.opportunity_id == query.opportunity_id)
    if query.kind is not None:
        conditions.append(Interaction.kind == query.kind)
    if query.direction is not None:
        conditions.append(Interaction.direction == query.direction)
    if matching is not None:
        conditions.append(matching)
    return (
        select(
            literal("interaction").label("source"),
            literal(rank).label("rank"),
            Interaction.id.label("id"),
            Interaction.occurred_at.label("at"),
            Interaction.kind.label("kind"),
            Interaction.direction.label("direction"),
            Interaction.person_id.label("person_id"),
            Interaction.subject.label("subject"),
            Interaction.body.label("body"),
            Interaction.opportunity_id.label("opportunity_id"),
            Interaction.recruiter.label("recruiter"),
        )
        .where(*conditions)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(n)
    )


def _stage_changes(query: TimelineQuery, as_of: AsOf, cursor: Cursor | None, n: int) -> Any:
    if query.kind not in (None, "stage") or query.direction or query.text:
        return None
    rank = _RANKS["stage"]
    conditions = [
        *_after(StageChange.changed_at, rank, StageChange.id, cursor),
        *_range(StageChange.changed_at, query, as_of),
    ]
    if query.person_id is not None:
        conditions.append(Candidacy.person_id == query.person_id)
    if query.opportunity_id is not None:
        conditions.append(Candidacy.opportunity_id == query.opportunity_id)
    return (
        select(
            literal("stage").label("source"),
            literal(rank).label("rank"),
            StageChange.id.label("id"),
            StageChange.changed_at.label("at"),
            literal("stage").label("kind"),
            literal("internal").label("direction"),
            Candidacy.person_id.label("person_id"),
            StageChange.stage.label("subject"),
            literal("").label("body"),
            Candidacy.opportunity_id.label("opportunity_id"),
            StageChange.recruiter.label("recruiter"),
        )
        .join(Candidacy, Candidacy.id == StageChange.candidacy_id)
        .where(*conditions)
        .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
        .limit(n)
    )


def _imports(query: TimelineQuery, as_of: AsOf, cursor: Cursor | None, n: int) -> Any:
    if (
        query.kind not in (None, "import")
        or query.person_id is not None
        or query.opportunity_id is not None
        or query.direction
        or query.text
    ):
        return None
    rank = _RANKS["import"]
    return (
        select(
            literal("import").label("source"),
            literal(rank).label("rank"),
            ImportBatch.id.label("id"),
            ImportBatch.started_at.label("at"),
            literal("import").label("kind"),
            literal("internal").label("direction"),
            # Typed: PostgreSQL will not unite an untyped NULL with the other parts' ids.
            cast(null(), Integer).label("person_id"),
            ImportBatch.source.label("subject"),
            literal("").label("body"),
            cast(null(), Integer).label("opportunity_id"),
            literal("").label("recruiter"),
        )
        .where(
            ImportBatch.undone_at.is_(None),
            *_after(ImportBatch.started_at, rank, ImportBatch.id, cursor),
            *_range(ImportBatch.started_at, query, as_of),
        )
        .order_by(ImportBatch.started_at.desc(), ImportBatch.id.desc())
        .limit(n)
    )


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def display_names(connection: Connection, ids: list[int]) -> dict[int, str]:
    """What to call a few people (``core.identity``), in one query."""
    if not ids:
        return {}
    email = email_for_display(Person.id, Person.first_name, Person.last_name)
    rows = connection.execute(
        select(Person.id, Person.first_name, Person.last_name, email.label("email")).where(
            Person.id.in_(set(ids))
        )
    )
    return {
        r.id: display_name(r.first_name, r.last_name, [r.email] if r.email else [], r.id)
        for r in rows
    }


def _import_line(connection: Connection, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        b.id: f"{b.added} added, {b.updated} updated, {b.skipped} skipped ({b.format or 'file'})"
        for b in connection.execute(
            select(
                ImportBatch.id,
                ImportBatch.added,
                ImportBatch.updated,
                ImportBatch.skipped,
                ImportBatch.format,
            ).where(ImportBatch.id.in_(ids))
        )
    }


def timeline_page(
    connection: Connection,
    query: TimelineQuery,
    as_of: AsOf,
    *,
    after: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> TimelinePage:
    """One page of the timeline, newest first, starting strictly after ``after``."""
    if limit < 1:
        raise UsageError("The limit must be at least 1.")
    matching = interaction_search.matches(connection, query.text) if query.text else None
    parts = [
        part.subquery()
        for part in (
            _interactions(query, as_of, after, limit + 1, matching),
            _stage_changes(query, as_of, after, limit + 1),
            _imports(query, as_of, after, limit + 1),
        )
        if part is not None
    ]
    if not parts:
        return TimelinePage((), None)
    merged = union_all(*(select(p) for p in parts)).subquery()
    rows = connection.execute(
        select(merged)
        .order_by(merged.c.at.desc(), merged.c.rank.desc(), merged.c.id.desc())
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    names = display_names(connection, [r.person_id for r in rows if r.person_id is not None])
    titles = _titles(connection, {r.opportunity_id for r in rows if r.opportunity_id})
    imports = _import_line(connection, [r.id for r in rows if r.source == "import"])
    me = recruiter_of(connection)
    entries = []
    for row in rows:
        at = _as_datetime(row.at)
        local = at.replace(tzinfo=UTC).astimezone(as_of.zone)
        body = imports.get(row.id, "") if row.source == "import" else (row.body or "")
        subject = row.subject or ""
        if row.source == "stage":
            subject = f"Moved to {subject.replace('_', ' ')}"
        elif row.source == "import":
            subject = f"Imported {subject}" if subject else "Imported a file"
        entries.append(
            TimelineEntry(
                source=row.source,
                id=row.id,
                at=at,
                day=local.date(),
                time=f"{local:%H:%M}",
                kind=row.kind,
                direction=row.direction,
                person_id=row.person_id,
                person_name=names.get(row.person_id, "") if row.person_id else "",
                subject=subject,
                snippet=_first_line(body),
                opportunity_id=row.opportunity_id,
                opportunity=titles.get(row.opportunity_id) if row.opportunity_id else None,
                recruiter=row.recruiter or "",
                by=attribution(row.recruiter or "", me),
            )
        )
    return TimelinePage(tuple(entries), entries[-1].cursor if more and entries else None)


def _titles(connection: Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    statement = select(Opportunity.id, Opportunity.title).where(Opportunity.id.in_(ids))
    return {opportunity_id: title for opportunity_id, title in connection.execute(statement)}


def _first_line(body: str, width: int = 160) -> str:
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


@dataclass(frozen=True)
class LatestMail:
    """A person's newest email interaction, as the person panel shows it."""

    direction: str  # inbound (from them) or outbound (from you)
    at: datetime
    day: date  # the local calendar day
    subject: str
    lines: str  # the first lines of the body


# How much of a mail the panel shows: enough to recall the thread, not to read it there.
LATEST_MAIL_LINES = 3
LATEST_MAIL_CHARS = 280


def latest_mail(connection: Connection, person_id: int, as_of: AsOf) -> LatestMail | None:
    """The newest email to or from the person up to the as-of day, or None."""
    row = connection.execute(
        select(
            Interaction.direction, Interaction.occurred_at, Interaction.subject, Interaction.body
        )
        .where(
            Interaction.person_id == person_id,
            Interaction.kind == "email",
            Interaction.occurred_at < as_of.end_utc,
        )
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    at = _as_datetime(row.occurred_at)
    lines = [line.strip() for line in (row.body or "").splitlines() if line.strip()]
    text = "\n".join(lines[:LATEST_MAIL_LINES])
    if len(text) > LATEST_MAIL_CHARS:
        text = text[: LATEST_MAIL_CHARS - 1].rstrip() + "…"
    elif len(lines) > LATEST_MAIL_LINES:
        text += " …"
    return LatestMail(row.direction, at, as_of.local_date(at), row.subject or "", text)


def upcoming_follow_ups(
    connection: Connection, as_of: AsOf, person_id: int | None = None, limit: int = 5
) -> list[FollowUpRow]:
    """Open follow-ups, overdue and soonest first, shown above the feed."""
    # The first few in SQL: everyone's open follow-ups took 0.1-0.4 s at 100k people.
    return list_follow_ups(connection, as_of, person_id=person_id, limit=limit)


def day_heading(day: date, today: date) -> str:
    """The heading an entry is grouped under: Today, Yesterday, This week, then the date."""
    days = (today - day).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if 1 < days < 7:
        return "This week"
    if days < 0:
        return "Coming up"
    return long_day(day)


def long_day(day: date) -> str:
    """ "Wednesday 25 November 2026"."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_day(day: date) -> str:
    """ "Wed 25 Nov"."""
    return f"{_WEEKDAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1][:3]}"


# Day and month names from fixed tables: strftime("%A", "%B") follows the locale Qt sets.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# -- editing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InteractionDraft:
    """An interaction's values: what the editor shows, and what an undone delete restores."""

    person_id: int
    kind: str
    direction: str
    occurred_at: datetime
    subject: str = ""
    body: str = ""
    opportunity_id: int | None = None


def _interaction(session: Session, interaction_id: int) -> Interaction:
    found = session.get(Interaction, interaction_id)
    if found is None:
        raise NotFoundError(f"There is no timeline entry (interaction) with id {interaction_id}.")
    return found


def _draft(found: Interaction) -> InteractionDraft:
    return InteractionDraft(
        found.person_id,
        found.kind,
        found.direction,
        found.occurred_at,
        found.subject,
        found.body,
        found.opportunity_id,
    )


def read_interaction(session: Session, interaction_id: int) -> InteractionDraft:
    return _draft(_interaction(session, interaction_id))


def update_interaction(session: Session, interaction_id: int, values: InteractionDraft) -> None:
    if values.kind not in INTERACTION_KINDS:
        raise UsageError(
            f"Unknown kind {values.kind!r}; use one of {', '.join(INTERACTION_KINDS)}."
        )
    if values.direction not in DIRECTIONS:
        raise UsageError(
            f"Unknown direction {values.direction!r}; use one of {', '.join(DIRECTIONS)}."
        )
    found = _interaction(session, interaction_id)
    get_person(session, values.person_id)
    found.person_id = values.person_id
    found.kind = values.kind
    found.direction = values.direction
    found.occurred_at = values.occurred_at
    found.subject = values.subject
    found.body = values.body
    found.opportunity_id = values.opportunity_id


def delete_interaction(session: Session, interaction_id: int) -> InteractionDraft:
    """Delete one interaction; returns its values so the delete can be undone."""
    found = _interaction(session, interaction_id)
    draft = _draft(found)
    session.delete(found)
    return draft


def restore_interaction(session: Session, draft: InteractionDraft) -> int:
    """Put a deleted interaction back (under a new id: ids are never reused)."""
    return log_interaction(
        session,
        draft.person_id,
        kind=draft.kind,
        direction=draft.direction,
        occurred_at=draft.occurred_at,
        subject=draft.subject,
        body=draft.body,
        opportunity_id=draft.opportunity_id,
    ).id
