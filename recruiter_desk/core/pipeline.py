"""Moving candidacies through stages, with a full history.

Closing a candidacy as not selected or withdrawn schedules a stay-in-touch follow-up at the
person's cadence: "no" never means "gone".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import display_name, first_email, fold
from recruiter_desk.core.matching import load_opportunity
from recruiter_desk.core.opportunities import OpportunitySummary
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import PeopleQuery, list_people, people_statement
from recruiter_desk.core.records import mark_touched
from recruiter_desk.core.stage_messages import purposes_for_move
from recruiter_desk.core.vocabulary import (
    ACTIVE_STAGES,
    CLOSE_REASONS,
    CLOSED_BY,
    CLOSING_OWED_STAGES,
    STAGES,
)
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.models import Candidacy, FollowUp, Opportunity, Person, StageChange
from recruiter_desk.errors import KnownError, NotFoundError, UsageError
from recruiter_desk.settings import Settings


@dataclass(frozen=True)
class StageMove:
    candidacy_id: int
    person_id: int
    opportunity_id: int
    opportunity_title: str
    previous_stage: str | None
    stage: str
    changed_at: datetime
    follow_up_id: int | None
    follow_up_due: str | None
    # The message the move calls for (core.stage_messages purpose), None for ``sourced``.
    suggested_message: str | None


def move_stage(
    session: Session,
    person_id: int,
    opportunity_id: int,
    stage: str,
    at: datetime,
    zone: tzinfo,
    policy: WarmthPolicy,
    *,
    reason: str | None = None,
    closed_by: str | None = None,
    note: str = "",
) -> StageMove:
    """Put a person at ``stage`` on an opportunity at time ``at`` (creating the candidacy).

    Closing as not selected or withdrew records why (``reason``, whose choice: ``closed_by``
    defaults to ours for not selected and theirs for withdrew); any other stage clears it.
    """
    if stage not in STAGES:
        raise UsageError(f"Unknown stage {stage!r}; use one of {', '.join(STAGES)}.")
    if reason is not None and reason not in CLOSE_REASONS:
        raise UsageError(f"Unknown reason {reason!r}; use one of {', '.join(CLOSE_REASONS)}.")
    if closed_by is not None and closed_by not in CLOSED_BY:
        raise UsageError(f"Unknown choice {closed_by!r}; use theirs or ours.")
    if (reason or closed_by) and stage not in CLOSING_OWED_STAGES:
        raise UsageError("A reason is only recorded when closing as not_selected or withdrew.")
    mark_touched(session, person_id)
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None:
        raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
    candidacy = session.scalars(
        select(Candidacy).where(
            Candidacy.person_id == person_id, Candidacy.opportunity_id == opportunity_id
        )
    ).first()
    previous = None
    if candidacy is None:
        candidacy = Candidacy(
            person_id=person_id,
            opportunity_id=opportunity_id,
            stage=stage,
            stage_changed_at=at,
            created_at=at,
        )
        session.add(candidacy)
        session.flush()
    else:
        previous = candidacy.stage
        if previous == stage:
            raise KnownError(f"Person {person_id} is already at {stage} for {opportunity.title}.")
        if at < candidacy.stage_changed_at:
            raise KnownError(
                f"The candidacy last changed on {candidacy.stage_changed_at:%Y-%m-%d %H:%M}; "
                "a new stage cannot be dated before that."
            )
        candidacy.stage = stage
        candidacy.stage_changed_at = at
    if stage in CLOSING_OWED_STAGES:
        candidacy.closed_by = closed_by or ("theirs" if stage == "withdrew" else "ours")
        candidacy.close_reason = reason
        candidacy.close_note = note.strip()[:500]
    else:
        candidacy.closed_by, candidacy.close_reason, candidacy.close_note = None, None, ""
    session.add(StageChange(candidacy_id=candidacy.id, stage=stage, changed_at=at))
    session.flush()
    follow_up = None
    if stage in CLOSING_OWED_STAGES:
        day = AsOf(at.replace(tzinfo=UTC).astimezone(zone).date(), zone)
        with_cadence = list_people(
            session.connection(), PeopleQuery(ids=(person_id,)), day, policy, with_lists=False
        )
        cadence = with_cadence[0].cadence_days if with_cadence else policy.default_cadence_days
        follow_up = FollowUp(
            person_id=person_id,
            due_on=day.day + timedelta(days=cadence),
            reason=f"Stay in touch after {opportunity.title}",
            created_at=at,
        )
        session.add(follow_up)
        session.flush()
    return StageMove(
        candidacy_id=candidacy.id,
        person_id=person_id,
        opportunity_id=opportunity_id,
        opportunity_title=opportunity.title,
        previous_stage=previous,
        stage=stage,
        changed_at=at,
        follow_up_id=follow_up.id if follow_up else None,
        follow_up_due=follow_up.due_on.isoformat() if follow_up else None,
        suggested_message=next(iter(purposes_for_move(previous, stage)), None),
    )


# -- a role's pipeline, as the board and `opportunity ID` show it ----------------------------


@lru_cache(maxsize=4096)
def business_days(start: date, end: date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (0 when end is not later)."""
    if end <= start:
        return 0
    total = (end - start).days
    weeks, rest = divmod(total, 7)
    days = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=weeks * 7 + offset)).weekday() < 5:
            days += 1
    return days


def stage_level(stage: str, days: int, limits: dict[str, list[int]]) -> str:
    """``ok``, ``amber`` or ``red``: how long someone has waited in a stage, against its limits."""
    amber, red = [*(limits.get(stage) or []), 0, 0][:2]
    if red and days >= red:
        return "red"
    if amber and days >= amber:
        return "amber"
    return "ok"


@dataclass(frozen=True)
class PipelineCard:
    """One person on a role's board (a frozen copy for the GUI and the CLI)."""

    candidacy_id: int
    person_id: int
    name: str
    first_name: str
    email: str | None
    do_not_contact: bool
    stage: str
    since: date
    days_in_stage: int
    level: str  # "ok" | "amber" | "red" against the stage's limits (business days)
    warmth: str  # "warm" | "cooling" | "cold" | "do_not_contact"
    owed: str | None  # "reply" | "update" | "closing"
    closed_by: str | None
    close_reason: str | None
    close_note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "candidacy_id": self.candidacy_id,
            "person_id": self.person_id,
            "full_name": self.name,
            "stage": self.stage,
            "since": self.since.isoformat(),
            "days_in_stage": self.days_in_stage,
            "level": self.level,
            "warmth": self.warmth,
            "owed": self.owed,
            "closed_by": self.closed_by,
            "close_reason": self.close_reason,
            "close_note": self.close_note,
        }


@dataclass(frozen=True)
class Pipeline:
    opportunity: OpportunitySummary
    cards: list[PipelineCard]

    def by_stage(self) -> dict[str, list[PipelineCard]]:
        grouped: dict[str, list[PipelineCard]] = {s: [] for s in STAGES}
        for card in self.cards:
            grouped[card.stage].append(card)
        return grouped

    def to_json(self) -> dict[str, Any]:
        return {
            "opportunity": self.opportunity.to_json(),
            "stages": {s: [c.to_json() for c in cards] for s, cards in self.by_stage().items()},
        }


def role_pipeline(
    connection: Connection,
    opportunity_id: int,
    as_of: AsOf,
    policy: WarmthPolicy,
    settings: Settings,
) -> Pipeline:
    """Everyone on a role, by stage, with days in stage (business days), warmth and owed."""
    opportunity = load_opportunity(connection, opportunity_id)
    rows = connection.execute(
        select(
            Candidacy.id,
            Candidacy.person_id,
            Candidacy.stage,
            Candidacy.stage_changed_at,
            Candidacy.closed_by,
            Candidacy.close_reason,
            Candidacy.close_note,
        ).where(Candidacy.opportunity_id == opportunity_id)
    ).all()
    within = select(Candidacy.person_id).where(Candidacy.opportunity_id == opportunity_id)
    # Only what a card shows, in one query: building full person rows for 2,000 people cost
    # more than everything else on the board.
    statement = people_statement(connection, PeopleQuery(within=within), as_of, policy)
    light = statement.with_only_columns(
        Person.id,
        Person.first_name,
        Person.last_name,
        Person.do_not_contact,
        statement.selected_columns.status,
        first_email(Person.id),
    ).order_by(None)
    people = {row[0]: row for row in connection.execute(light).all()}
    owed: dict[int, str] = {}
    for message in owed_messages(connection, as_of, settings, within=within):
        if message.opportunity_id in (None, opportunity_id):
            owed.setdefault(message.person_id, message.reason)
    limits = settings.stage_limits
    cards = []
    order = {stage: i for i, stage in enumerate(STAGES)}
    # Rows unpacked by position: named access on thousands of rows is measurably slower.
    for candidacy_id, person_id, stage, changed_at, closed_by, reason, note in rows:
        person = people.get(person_id)
        if person is None:
            continue
        _id, first, last, do_not_contact, warmth, email = person
        since = as_of.local_date(changed_at)
        days = business_days(since, as_of.day)
        cards.append(
            PipelineCard(
                candidacy_id=candidacy_id,
                person_id=person_id,
                name=display_name(first, last, [email or ""], person_id),
                first_name=first,
                email=email,
                do_not_contact=bool(do_not_contact),
                stage=stage,
                since=since,
                days_in_stage=days,
                level=stage_level(stage, days, limits),
                warmth=warmth,
                owed=owed.get(person_id),
                closed_by=closed_by,
                close_reason=reason,
                close_note=note or "",
            )
        )
    cards.sort(key=lambda c: (order[c.stage], -c.days_in_stage, fold(c.name), c.person_id))
    return Pipeline(opportunity, cards)


# -- ending a role -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingOwed:
    """Someone who was still in process when their role ended: owed the closing message."""

    person_id: int
    name: str
    first_name: str
    email: str | None
    previous_stage: str


def end_role(
    session: Session,
    opportunity_id: int,
    status: str,
    at: datetime,
    zone: tzinfo,
    policy: WarmthPolicy,
) -> list[ClosingOwed]:
    """Fill or close a role; everyone still in an active stage is closed as not selected
    (our choice: the role closed), so the owed list holds their closing message until sent."""
    if status not in ("filled", "closed"):
        raise UsageError(f"A role ends as filled or closed, not {status!r}.")
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None:
        raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
    opportunity.status = status
    active = session.execute(
        select(Candidacy.person_id, Candidacy.stage).where(
            Candidacy.opportunity_id == opportunity_id, Candidacy.stage.in_(ACTIVE_STAGES)
        )
    ).all()
    owed = []
    for person_id, _stage in active:
        move_stage(
            session,
            person_id,
            opportunity_id,
            "not_selected",
            at,
            zone,
            policy,
            reason="role_closed",
            closed_by="ours",
        )
        owed.append(person_id)
    session.flush()
    day = AsOf(at.replace(tzinfo=UTC).astimezone(zone).date(), zone)
    people = {
        p.id: p
        for p in list_people(session.connection(), PeopleQuery(ids=tuple(owed)), day, policy)
    }
    previous = dict(active)
    return [
        ClosingOwed(
            person_id=pid,
            name=people[pid].full_name,
            first_name=people[pid].first_name,
            email=people[pid].emails[0] if people[pid].emails else None,
            previous_stage=previous[pid],
        )
        for pid in sorted(owed, key=lambda i: (fold(people[i].full_name), i))
        if pid in people
    ]


def add_to_role(session: Session, person_ids: list[int], opportunity_id: int, at: datetime) -> int:
    """Put people on a role at ``sourced``; anyone already on it keeps their stage.
    Returns how many were added."""
    if session.get(Opportunity, opportunity_id) is None:
        raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
    already = set(
        session.scalars(
            select(Candidacy.person_id).where(Candidacy.opportunity_id == opportunity_id)
        )
    )
    added = 0
    for person_id in dict.fromkeys(person_ids):
        if person_id in already:
            continue
        mark_touched(session, person_id, at)
        candidacy = Candidacy(
            person_id=person_id,
            opportunity_id=opportunity_id,
            stage="sourced",
            stage_changed_at=at,
            created_at=at,
        )
        session.add(candidacy)
        session.flush()
        session.add(StageChange(candidacy_id=candidacy.id, stage="sourced", changed_at=at))
        added += 1
    session.flush()
    return added
