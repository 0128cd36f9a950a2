"""Roles with their pipelines, and the one-person card the CLI and the panel show."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.orm import Session

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.followups import FollowUpRow, list_follow_ups
from recruiter_desk.core.identity import fold
from recruiter_desk.core.normalize import clean, tag
from recruiter_desk.core.owed import OwedMessage, owed_messages
from recruiter_desk.core.people import (
    PeopleQuery,
    PersonRow,
    WarmthExplanation,
    explain_warmth,
    list_people,
)
from recruiter_desk.core.records import organization_id_for
from recruiter_desk.core.vocabulary import OPPORTUNITY_STATUSES, STAGES, WORK_MODE_BITS
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.dialect import stored_text
from recruiter_desk.db.models import Candidacy, Opportunity, Organization, Person
from recruiter_desk.errors import NotFoundError, UsageError
from recruiter_desk.settings import Settings


@dataclass(frozen=True)
class OpportunitySummary:
    """A role as lists and matches show it."""

    id: int
    title: str
    company: str
    work_mode: str | None
    location: str
    status: str
    skills: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "company": self.company,
            "work_mode": self.work_mode,
            "location": self.location,
            "status": self.status,
            "skills": self.skills,
        }


@dataclass(frozen=True)
class OpportunityRow(OpportunitySummary):
    """A role with how many candidacies sit at each stage."""

    pipeline: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "pipeline": self.pipeline}


def opportunities_select() -> Select:
    """A role's essentials with its organization's name, for lists and single roles."""
    return select(
        Opportunity.id,
        Opportunity.title,
        Organization.name,
        Opportunity.work_mode,
        Opportunity.location,
        Opportunity.status,
        Opportunity.skills,
    ).outerjoin(Organization, Organization.id == Opportunity.organization_id)


def list_opportunities(connection: Connection) -> list[OpportunityRow]:
    counts: dict[int, dict[str, int]] = {}
    for opportunity_id, stage, number in connection.execute(
        select(Candidacy.opportunity_id, Candidacy.stage, func.count()).group_by(
            Candidacy.opportunity_id, Candidacy.stage
        )
    ):
        counts.setdefault(opportunity_id, {})[stage] = number
    # Skills as their stored text: decoding thousands of empty JSON lists through the
    # column type was a third of the list's time.
    statement = (
        opportunities_select()
        .with_only_columns(
            Opportunity.id,
            Opportunity.title,
            Organization.name,
            Opportunity.work_mode,
            Opportunity.location,
            Opportunity.status,
            stored_text(Opportunity.skills).label("skills"),
        )
        .order_by(Opportunity.status != "open", Opportunity.title, Opportunity.id)
    )
    # Fetched at once and unpacked by position: named access on 5,000 rows cost more
    # than the query.
    rows = []
    for role_id, title, company, work_mode, location, status, skills in connection.execute(
        statement
    ).all():
        stage_counts = counts.get(role_id, {})
        rows.append(
            OpportunityRow(
                id=role_id,
                title=title,
                company=company or "",
                work_mode=work_mode,
                location=location,
                status=status,
                skills=json.loads(skills) if skills and skills != "[]" else [],
                pipeline={s: stage_counts[s] for s in STAGES if s in stage_counts},
            )
        )
    return rows


CLOSE_REASON_TEXT = {
    "compensation": "compensation",
    "work_mode_or_location": "work mode or location",
    "role_fit": "role fit",
    "timing": "timing",
    "role_closed": "the role was filled or closed",
    "other": "other",
}
CLOSED_BY_TEXT = {"theirs": "their choice", "ours": "our choice"}


def describe_close(closed_by: str | None, reason: str | None, note: str = "") -> str:
    """Why a candidacy ended, as a recruiter reads it: "our choice: role fit"."""
    parts = [CLOSED_BY_TEXT.get(closed_by or "", "")]
    if reason:
        parts.append(CLOSE_REASON_TEXT.get(reason, reason))
    text = ": ".join(p for p in parts if p) or "reason not recorded"
    return f"{text} — {note}" if note else text


@dataclass(frozen=True)
class PersonCard:
    person: PersonRow
    warmth: WarmthExplanation
    owed: list[OwedMessage]
    candidacies: list[str]
    follow_ups: list[FollowUpRow]
    # Team mode (core/team.py): a teammate's recent touch, and who last edited the fields.
    teammate: str | None = None
    edited: str = ""


def person_card(
    connection: Connection, person_id: int, as_of: AsOf, policy: WarmthPolicy, settings: Settings
) -> PersonCard:
    rows = list_people(connection, PeopleQuery(ids=(person_id,)), as_of, policy)
    if not rows:
        raise NotFoundError(f"There is no person with id {person_id}.")
    candidacies = [
        f"{title} — {stage.replace('_', ' ')} since {changed:%Y-%m-%d}"
        + (f" ({describe_close(closed_by, reason, note)})" if closed_by else "")
        for title, stage, changed, closed_by, reason, note in connection.execute(
            select(
                Opportunity.title,
                Candidacy.stage,
                Candidacy.stage_changed_at,
                Candidacy.closed_by,
                Candidacy.close_reason,
                Candidacy.close_note,
            )
            .join(Opportunity, Opportunity.id == Candidacy.opportunity_id)
            .where(Candidacy.person_id == person_id)
            .order_by(Candidacy.stage_changed_at.desc())
        )
    ]
    from recruiter_desk.core.team import edited_line, teammate_contacts

    teammate = teammate_contacts(connection, [person_id], as_of, settings.teammate_window_days)
    return PersonCard(
        person=rows[0],
        warmth=explain_warmth(connection, person_id, as_of, policy),
        owed=owed_messages(connection, as_of, settings, person_id),
        candidacies=candidacies,
        follow_ups=list_follow_ups(connection, as_of, person_id=person_id),
        teammate=teammate[person_id].sentence if person_id in teammate else None,
        edited=edited_line(connection, Person, person_id),
    )


@dataclass(frozen=True)
class OpportunityFields:
    """Everything the role editor shows and saves."""

    title: str
    company: str = ""
    work_mode: str | None = None
    location: str = ""
    status: str = "open"
    skills: list[str] = field(default_factory=list)
    description: str = ""
    # The version these values were read at (core/team.py); None saves without asking.
    version: int | None = None


# What the conflict message calls each field of a role.
OPPORTUNITY_LABELS: dict[str, str] = {
    "title": "title",
    "company": "company",
    "work_mode": "work mode",
    "location": "location",
    "status": "status",
    "skills": "skills",
    "description": "description",
}


def opportunity_fields(session: Session, opportunity_id: int) -> OpportunityFields:
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None:
        raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
    company = session.get(Organization, opportunity.organization_id or 0)
    return OpportunityFields(
        title=opportunity.title,
        company=company.name if company else "",
        work_mode=opportunity.work_mode,
        location=opportunity.location,
        status=opportunity.status,
        skills=list(opportunity.skills or []),
        description=opportunity.description,
        version=opportunity.version,
    )


def _check(title: str, work_mode: str | None, status: str) -> None:
    if not clean(title):
        raise UsageError("An opportunity needs a title.")
    if work_mode is not None and work_mode not in WORK_MODE_BITS:
        raise UsageError(f"Unknown work mode {work_mode!r}; use remote, hybrid or onsite.")
    if status not in OPPORTUNITY_STATUSES:
        raise UsageError(
            f"Unknown status {status!r}; use one of {', '.join(OPPORTUNITY_STATUSES)}."
        )


def update_opportunity(
    session: Session, opportunity_id: int, values: OpportunityFields, now: datetime
) -> None:
    """Save the editor's fields (the status too: open and on hold; ending a role is
    ``pipeline.end_role``, which also closes everyone still in process)."""
    _check(values.title, values.work_mode, values.status)
    opportunity = session.get(Opportunity, opportunity_id, with_for_update=True)
    if opportunity is None:
        raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
    if values.version is not None and values.version != opportunity.version:
        from recruiter_desk.core.team import EditConflict, differences

        theirs = opportunity_fields(session, opportunity_id)
        raise EditConflict(
            opportunity.title,
            opportunity.updated_by,
            opportunity.version,
            values.version,
            differences(theirs, values, OPPORTUNITY_LABELS),
            theirs,
        )
    from recruiter_desk.db.team import recruiter_of

    opportunity.version = (opportunity.version or 1) + 1
    opportunity.updated_by = recruiter_of(session.connection())
    opportunity.title = clean(values.title)
    opportunity.organization_id = organization_id_for(session, values.company, now)
    opportunity.work_mode = values.work_mode
    opportunity.location = clean(values.location)
    opportunity.status = values.status
    opportunity.skills = sorted({tag(s) for s in values.skills if clean(s)})
    opportunity.description = values.description.strip()


def add_opportunity(
    session: Session,
    *,
    title: str,
    now: datetime,
    company: str = "",
    work_mode: str | None = None,
    location: str = "",
    status: str = "open",
    skills: list[str] | None = None,
    description: str = "",
) -> Opportunity:
    _check(title, work_mode, status)
    opportunity = Opportunity(
        title=clean(title),
        organization_id=organization_id_for(session, company, now),
        work_mode=work_mode,
        location=clean(location),
        status=status,
        skills=sorted({tag(s) for s in skills or [] if clean(s)}),
        description=description.strip(),
        created_at=now,
    )
    session.add(opportunity)
    session.flush()
    return opportunity


# Which statuses each choice of the roles list's status filter shows.
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "active": ("open", "on_hold"),
    **{status: (status,) for status in OPPORTUNITY_STATUSES},
    "all": OPPORTUNITY_STATUSES,
}


def filter_roles(rows: list[OpportunityRow], status: str, search: str) -> list[OpportunityRow]:
    """The roles list as filtered: by status choice, and every search word found (prefix,
    accents and case ignored) in the title, company or location."""
    statuses = STATUS_FILTERS.get(status, OPPORTUNITY_STATUSES)
    words = fold(search).split()
    shown = []
    for row in rows:
        if row.status not in statuses:
            continue
        if words:
            text = _role_words(row.title, row.company, row.location)
            if not all(any(t.startswith(w) for t in text) for w in words):
                continue
        shown.append(row)
    return shown


@lru_cache(maxsize=50_000)
def _role_words(title: str, company: str, location: str) -> tuple[str, ...]:
    # Each keystroke filters every role: fold each role's words once, not per keystroke.
    return tuple(fold(f"{title} {company} {location}").split())
