"""The anti-ghosting ledger: who is owed a message, why, and since when.

docs/rules.md, "Owed a message":

- ``reply``: an inbound message with no outbound one after it, for ``reply_within_days``
  or more; waiting since that (first unanswered) message;
- ``update``: a candidacy in an active stage whose person has had no outbound message since
  its latest stage change, or none for more than ``update_every_days``; waiting since the
  later of the two;
- ``closing``: a candidacy closed as not selected or withdrawn with no outbound message
  since; waiting since the close.

Do-not-contact people are never listed: they cannot be messaged. Candidates come from one
indexed pass over people (denormalised last-touch columns) and the small candidacies table;
only rows that can be owed reach Python, where calendar days are counted in the
recruiter's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import display_name, email_for_display, fold
from recruiter_desk.core.vocabulary import ACTIVE_STAGES, CLOSING_OWED_STAGES
from recruiter_desk.core.warmth import newest_interaction_at, stage_as_of
from recruiter_desk.core.wording import article, waiting
from recruiter_desk.db.models import Candidacy, Interaction, Opportunity, Person, StageChange
from recruiter_desk.db.touch import is_touch
from recruiter_desk.settings import Settings

REASONS = ("reply", "update", "closing")
# What the recruiter owes, by reason; "connect" is what a newly sourced person is due.
REASON_TEXT = {
    "reply": "reply",
    "update": "update",
    "closing": "closing message",
    "connect": "first message",
}


def owed_phrase(reason: str) -> str:
    """``an update``: what the recruiter owes for this reason."""
    return article(REASON_TEXT.get(reason, f"{reason} message"))


def you_owe(name: str, reason: str, opportunity: str | None = None) -> str:
    """The one wording of a debt, always the recruiter's: ``You owe Ana a reply``."""
    about = f" about {opportunity}" if opportunity else ""
    return f"You owe {name} {owed_phrase(reason)}{about}"


@dataclass(frozen=True)
class OwedMessage:
    person_id: int
    full_name: str
    reason: str
    since: date
    opportunity: str | None
    opportunity_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "full_name": self.full_name,
            "reason": self.reason,
            "since": self.since.isoformat(),
            "opportunity": self.opportunity,
        }

    def describe(self, as_of: AsOf) -> str:
        """``You owe Ana a reply about Data Lead (waiting for 3 days)``."""
        waited = waiting((as_of.day - self.since).days)
        return f"{you_owe(self.full_name, self.reason, self.opportunity)} (waiting {waited})"


def _owed_replies(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    person_id: int | None,
    within: Any = None,
) -> list[OwedMessage]:
    cut = as_of.end_utc
    last_in = newest_interaction_at(Person.last_inbound_at, ("inbound",), cut)
    last_out = newest_interaction_at(Person.last_outbound_at, ("outbound",), cut)
    touched = (
        select(
            Person.id.label("person_id"),
            Person.first_name,
            Person.last_name,
            last_in.label("last_in"),
            last_out.label("last_out"),
        )
        .where(
            Person.do_not_contact.is_(False),
            Person.last_inbound_at.is_not(None),
            # Only a cheap narrowing, not the rule (that is the WHERE below): a last message
            # out before the cut is the as-of one, and the as-of last message in is no newer
            # than the column, so unless the column is the newer one nothing is owed. It
            # keeps 80k people ever heard from out of the CTE at 100k.
            or_(
                Person.last_outbound_at.is_(None),
                Person.last_outbound_at >= cut,
                Person.last_outbound_at < Person.last_inbound_at,
            ),
            *([Person.id == person_id] if person_id is not None else []),
            *([Person.id.in_(within)] if within is not None else []),
        )
        .cte("touched")
        .prefix_with("MATERIALIZED")
    )
    first_unanswered = (
        select(func.min(Interaction.occurred_at))
        .where(
            Interaction.person_id == touched.c.person_id,
            is_touch(Interaction.kind, Interaction.direction, ("inbound",)),
            Interaction.occurred_at < cut,
            or_(touched.c.last_out.is_(None), Interaction.occurred_at > touched.c.last_out),
        )
        .scalar_subquery()
    )
    statement = select(
        touched.c.person_id,
        touched.c.first_name,
        touched.c.last_name,
        # Looked up for the owed rows only: in the CTE it ran for everyone ever heard from.
        email_for_display(touched.c.person_id, touched.c.first_name, touched.c.last_name),
        first_unanswered,
    ).where(
        touched.c.last_in.is_not(None),
        or_(touched.c.last_out.is_(None), touched.c.last_out < touched.c.last_in),
    )
    owed = []
    for person_id, first, last, email, waiting_since in connection.execute(statement):
        since = as_of.local_date(_as_datetime(waiting_since))
        if (as_of.day - since).days >= settings.reply_within_days:
            owed.append(
                OwedMessage(
                    person_id,
                    display_name(first, last, [email or ""], person_id),
                    "reply",
                    since,
                    None,
                )
            )
    return owed


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _owed_for_candidacies(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    person_id: int | None,
    within: Any = None,
) -> list[OwedMessage]:
    cut = as_of.end_utc
    stage = stage_as_of(cut)
    changed_at = (
        select(func.max(StageChange.changed_at))
        .where(StageChange.candidacy_id == Candidacy.id, StageChange.changed_at < cut)
        .scalar_subquery()
    )
    last_out = newest_interaction_at(Person.last_outbound_at, ("outbound",), cut)
    statement = (
        select(
            Candidacy.person_id,
            Person.first_name,
            Person.last_name,
            email_for_display(Person.id, Person.first_name, Person.last_name).label("email"),
            Opportunity.id,
            Opportunity.title,
            stage.label("stage"),
            func.coalesce(changed_at, Candidacy.stage_changed_at).label("changed_at"),
            last_out.label("last_out"),
        )
        .join(Person, Person.id == Candidacy.person_id)
        .join(Opportunity, Opportunity.id == Candidacy.opportunity_id)
        .where(
            Person.do_not_contact.is_(False),
            Candidacy.created_at < cut,
            stage.in_((*ACTIVE_STAGES, *CLOSING_OWED_STAGES)),
            *([Candidacy.person_id == person_id] if person_id is not None else []),
            *([Candidacy.person_id.in_(within)] if within is not None else []),
        )
    )
    owed = []
    for row in connection.execute(statement):
        name = display_name(row.first_name, row.last_name, [row.email or ""], row.person_id)
        changed = _as_datetime(row.changed_at)
        last = _as_datetime(row.last_out) if row.last_out is not None else None
        if row.stage in CLOSING_OWED_STAGES:
            if last is None or last < changed:
                owed.append(
                    OwedMessage(
                        row.person_id, name, "closing", as_of.local_date(changed), row.title, row.id
                    )
                )
            continue
        if last is None or last < changed:
            owed.append(
                OwedMessage(
                    row.person_id, name, "update", as_of.local_date(changed), row.title, row.id
                )
            )
        elif (as_of.day - as_of.local_date(last)).days > settings.update_every_days:
            owed.append(
                OwedMessage(
                    row.person_id, name, "update", as_of.local_date(last), row.title, row.id
                )
            )
    return owed


def owed_messages(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    person_id: int | None = None,
    *,
    within: Any = None,
) -> list[OwedMessage]:
    """Everyone (or one person, or the people of a SQL selectable of ids such as a role's
    pipeline) owed a message as of the day, most overdue first."""
    owed = _owed_replies(connection, as_of, settings, person_id, within) + _owed_for_candidacies(
        connection, as_of, settings, person_id, within
    )
    owed.sort(key=lambda o: (o.since, REASONS.index(o.reason), fold(o.full_name), o.person_id))
    return owed
