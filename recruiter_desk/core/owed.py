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
indexed pass over people (denormalised last-touch columns) and the small candidacies table.
"N days" is counted in calendar days of the recruiter's zone, as a moment: a message is
that old when it is before the end of the local day N days before the as-of day
(``reply_owed_before``, ``update_owed_before``), which SQL can compare too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    DateTime,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)

from recruiter_desk.core import warmth_store
from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import display_name, email_for_display, fold
from recruiter_desk.core.vocabulary import ACTIVE_STAGES, CLOSING_OWED_STAGES
from recruiter_desk.core.warmth import newest_interaction_at, stage_as_of
from recruiter_desk.core.wording import article, waiting
from recruiter_desk.db.models import Candidacy, Interaction, Opportunity, Person, StageChange
from recruiter_desk.db.touch import is_touch
from recruiter_desk.settings import Settings

REASONS = ("reply", "update", "closing")
# Earlier than any stored time: what "after the last message out" means when there is none.
_BEFORE_EVERYTHING = literal(datetime(1, 1, 1), DateTime)
# What the recruiter owes, by reason; "connect" is what a newly sourced person is due.
REASON_TEXT = {
    "reply": "reply",
    "update": "update",
    "closing": "closing message",
    "connect": "first message",
}


def reply_owed_before(as_of: AsOf, settings: Settings) -> datetime:
    """A reply is owed once the first unanswered message is before this moment: its local
    day is ``reply_within_days`` or more before the as-of day."""
    return AsOf(as_of.day - timedelta(days=settings.reply_within_days), as_of.zone).end_utc


def update_owed_before(as_of: AsOf, settings: Settings) -> datetime:
    """An update is owed when the last message out is before this moment: its local day is
    more than ``update_every_days`` before the as-of day."""
    return AsOf(as_of.day - timedelta(days=settings.update_every_days + 1), as_of.zone).end_utc


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


def awaiting_reply() -> tuple[ColumnElement[bool], ...]:
    """SQL: the person's newest message in is newer than their newest message out (or
    there is none out): the condition of the partial index ``ix_people_awaiting_reply``
    (db/models.py, 2 % of everyone in the demo), written exactly so, as SQLite uses a
    partial index only for a query that repeats it. Everyone owed a reply by the end of
    the as-of day is among them, or has a newest message out after that day: as that is
    never newer than their newest touch, they are among those whose stored warmth inputs
    have moved since (core/warmth_store.py ``not_fresh``, indexed, kept in step on every
    write)."""
    return (
        Person.last_inbound_at.is_not(None),
        or_(Person.last_outbound_at.is_(None), Person.last_outbound_at < Person.last_inbound_at),
    )


@dataclass(frozen=True)
class _Replies:
    """The reply rule's parts, as SQL over the people who may be owed a reply."""

    touched: Any  # CTE: person_id, first_name, last_name, last_in, last_out (as of the day)
    waiting: ColumnElement[bool]  # their newest message in is newer than the newest out
    first_unanswered: ColumnElement[Any]  # the first message in since the newest out


def _replies(
    as_of: AsOf, person_id: int | None, within: Any = None, *, narrow: bool = True
) -> _Replies:
    cut = as_of.end_utc
    last_in = newest_interaction_at(Person.last_inbound_at, ("inbound",), cut)
    last_out = newest_interaction_at(Person.last_outbound_at, ("outbound",), cut)
    columns = (
        Person.id.label("person_id"),
        Person.first_name,
        Person.last_name,
        last_in.label("last_in"),
        last_out.label("last_out"),
    )
    conditions = (
        Person.do_not_contact.is_(False),
        Person.last_inbound_at.is_not(None),
        # Only a cheap narrowing, not the rule (that is ``waiting``): a last message out
        # before the cut is the as-of one, and the as-of last message in is no newer than
        # the column, so unless the column is the newer one nothing is owed. It keeps 80k
        # people ever heard from out of the CTE at 100k.
        or_(
            Person.last_outbound_at.is_(None),
            Person.last_outbound_at >= cut,
            Person.last_outbound_at < Person.last_inbound_at,
        ),
        *([Person.id == person_id] if person_id is not None else []),
        *([Person.id.in_(within)] if within is not None else []),
    )
    candidates: Select | CompoundSelect = select(*columns).where(*conditions)
    if narrow and person_id is None:
        # Those awaiting a reply now straight from their partial index, which holds every
        # column read here; then those whose newest message out may be after the as-of
        # day (one in the past), found through the warmth store's moments.
        awaiting = awaiting_reply()
        candidates = union_all(
            select(*columns).where(*conditions, *awaiting),
            select(*columns).where(
                *conditions,
                ~and_(*awaiting),
                Person.id.in_(union_all(*warmth_store.not_fresh(as_of))),
            ),
        )
    touched = candidates.cte("touched").prefix_with("MATERIALIZED")
    first_unanswered = (
        select(func.min(Interaction.occurred_at))
        .where(
            Interaction.person_id == touched.c.person_id,
            is_touch(Interaction.kind, Interaction.direction, ("inbound",)),
            Interaction.occurred_at < cut,
            # One bound, not "no message out, or after it": the index then starts at the
            # last message out instead of reading every message the person ever had.
            Interaction.occurred_at > func.coalesce(touched.c.last_out, _BEFORE_EVERYTHING),
        )
        .scalar_subquery()
    )
    waiting = and_(
        touched.c.last_in.is_not(None),
        or_(touched.c.last_out.is_(None), touched.c.last_out < touched.c.last_in),
    )
    return _Replies(touched, waiting, first_unanswered)


def _reply_messages(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    replies: _Replies,
    *conditions: ColumnElement[bool],
) -> list[OwedMessage]:
    touched = replies.touched
    statement = select(
        touched.c.person_id,
        touched.c.first_name,
        touched.c.last_name,
        # Looked up for the owed rows only: in the CTE it ran for everyone ever heard from.
        email_for_display(touched.c.person_id, touched.c.first_name, touched.c.last_name),
        replies.first_unanswered,
    ).where(replies.waiting, *conditions)
    owed = []
    before = reply_owed_before(as_of, settings)
    for person_id, first, last, email, waiting_since in connection.execute(statement):
        since = _as_datetime(waiting_since)
        if since < before:
            owed.append(
                OwedMessage(
                    person_id,
                    display_name(first, last, [email or ""], person_id),
                    "reply",
                    as_of.local_date(since),
                    None,
                )
            )
    return owed


def _owed_replies(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    person_id: int | None,
    within: Any = None,
    *,
    narrow: bool = True,
) -> list[OwedMessage]:
    replies = _replies(as_of, person_id, within, narrow=narrow)
    return _reply_messages(connection, as_of, settings, replies)


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
    changed_moment = func.coalesce(changed_at, Candidacy.stage_changed_at)
    statement = (
        select(
            Candidacy.person_id,
            Person.first_name,
            Person.last_name,
            email_for_display(Person.id, Person.first_name, Person.last_name).label("email"),
            Opportunity.id,
            Opportunity.title,
            stage.label("stage"),
            changed_moment.label("changed_at"),
            last_out.label("last_out"),
        )
        .join(Person, Person.id == Candidacy.person_id)
        .join(Opportunity, Opportunity.id == Candidacy.opportunity_id)
        .where(
            Person.do_not_contact.is_(False),
            Candidacy.created_at < cut,
            stage.in_((*ACTIVE_STAGES, *CLOSING_OWED_STAGES)),
            # The rules themselves, so that only what is owed is named and read: none
            # out since the change, or (in an active stage) none for too long.
            or_(
                last_out.is_(None),
                last_out < changed_moment,
                and_(stage.in_(ACTIVE_STAGES), last_out < update_owed_before(as_of, settings)),
            ),
            *([Candidacy.person_id == person_id] if person_id is not None else []),
            *([Candidacy.person_id.in_(within)] if within is not None else []),
        )
    )
    owed = []
    for row in connection.execute(statement):
        name = display_name(row.first_name, row.last_name, [row.email or ""], row.person_id)
        changed = _as_datetime(row.changed_at)
        last = _as_datetime(row.last_out) if row.last_out is not None else None
        reason = "closing" if row.stage in CLOSING_OWED_STAGES else "update"
        # Waiting since the change, or since the last message out when that came after it.
        since = changed if last is None or last < changed else last
        owed.append(
            OwedMessage(row.person_id, name, reason, as_of.local_date(since), row.title, row.id)
        )
    return owed


def owed_order(owed: OwedMessage) -> tuple[Any, ...]:
    """Most overdue first (then replies, updates, closings; then by name): the owed list's
    order, also for placing one person's messages among others (Today's splice)."""
    return (owed.since, REASONS.index(owed.reason), fold(owed.full_name), owed.person_id)


def owed_messages(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    person_id: int | None = None,
    *,
    within: Any = None,
    narrow: bool = True,
) -> list[OwedMessage]:
    """Everyone (or one person, or the people of a SQL selectable of ids such as a role's
    pipeline) owed a message as of the day, most overdue first. ``narrow=False`` reads
    every person instead of the candidates the indexes give (tests compare the two)."""
    owed = _owed_replies(
        connection, as_of, settings, person_id, within, narrow=narrow
    ) + _owed_for_candidacies(connection, as_of, settings, person_id, within)
    owed.sort(key=owed_order)
    return owed


@dataclass(frozen=True)
class OwedSummary:
    """What Today shows of the owed list: its first messages, how many messages in all,
    and to how many people."""

    first: list[OwedMessage]
    total: int
    people: int


def owed_summary(
    connection: Connection, as_of: AsOf, settings: Settings, limit: int
) -> OwedSummary:
    """``owed_messages(...)[:limit]``, its length and its people, without listing every
    reply owed (18k on the 1M network, each a look into the person's messages).

    One pass over the people who may be owed a reply tells which are: a reply is owed once
    its first unanswered message is before the end of the day ``reply_within_days`` days
    before the as-of day (``reply_owed_before``), which their newest message in already
    tells for all but those heard from lately.
    The first few are found by bounds: the first unanswered message is after the newest
    message out and no later than the newest in, so the first unanswered messages of the
    replies with the earliest newest-in bound how late the first few can be, and only
    people written to before that bound need looking into.
    """
    candidacies = _owed_for_candidacies(connection, as_of, settings, None)
    replies = _replies(as_of, None)
    touched = replies.touched
    owed_from = reply_owed_before(as_of, settings)
    # CASE: the look into the messages only for those heard from lately.
    owed = case((touched.c.last_in < owed_from, True), else_=replies.first_unanswered < owed_from)
    rows = [
        (person_id, _as_datetime(last_in), None if last_out is None else _as_datetime(last_out))
        for person_id, last_in, last_out, is_owed in connection.execute(
            select(touched.c.person_id, touched.c.last_in, touched.c.last_out, owed).where(
                replies.waiting
            )
        )
        if is_owed
    ]
    replied = {person_id for person_id, _, _ in rows}
    people = len(replied | {o.person_id for o in candidacies})
    first = list(candidacies)
    if rows and limit > 0:  # no first messages asked for: the counts alone
        rows.sort(key=lambda row: row[1])
        earliest = _owed_to(connection, as_of, settings, [row[0] for row in rows[:limit]])
        until = AsOf(max(o.since for o in earliest), as_of.zone).end_utc
        written_before = [i for i, _, out in rows if out is None or out < until]
        first += _owed_to(connection, as_of, settings, written_before, until)
    first.sort(key=owed_order)
    return OwedSummary(first[:limit], len(rows) + len(candidacies), people)


def _owed_to(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    ids: list[int],
    before: datetime | None = None,
) -> list[OwedMessage]:
    """The replies owed to these people (a few: read one by one, not through the indexes),
    waiting since before ``before`` if given."""
    found: list[OwedMessage] = []
    for start in range(0, len(ids), 500):
        replies = _replies(as_of, None, ids[start : start + 500], narrow=False)
        since = [] if before is None else [replies.first_unanswered < before]
        found += _reply_messages(connection, as_of, settings, replies, *since)
    return found
