"""Moving candidacies through stages, with a full history.

Closing a candidacy as not selected or withdrawn schedules a stay-in-touch follow-up at the
person's cadence: "no" never means "gone".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.people import PeopleQuery, list_people
from recruiter_desk.core.records import mark_touched
from recruiter_desk.core.vocabulary import ACTIVE_STAGES, CLOSING_OWED_STAGES, STAGES
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.models import Candidacy, FollowUp, Opportunity, StageChange
from recruiter_desk.errors import KnownError, NotFoundError, UsageError

# Which kind of message each stage calls for (template purposes).
MESSAGE_FOR_STAGE = {
    **dict.fromkeys(ACTIVE_STAGES, "update"),
    "sourced": "connect",
    "hired": "update",
    "not_selected": "closing",
    "withdrew": "closing",
}


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
    suggested_message: str


def move_stage(
    session: Session,
    person_id: int,
    opportunity_id: int,
    stage: str,
    at: datetime,
    zone: tzinfo,
    policy: WarmthPolicy,
) -> StageMove:
    """Put a person at ``stage`` on an opportunity at time ``at`` (creating the candidacy)."""
    if stage not in STAGES:
        raise UsageError(f"Unknown stage {stage!r}; use one of {', '.join(STAGES)}.")
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
        suggested_message=MESSAGE_FOR_STAGE[stage],
    )
