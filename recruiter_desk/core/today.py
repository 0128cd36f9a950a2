"""Today: one ranked queue of what to do now, each item with a one-line "why now".

Sections, in the order a recruiter should work them (docs/rules.md has the rules behind
each): messages owed (``core.owed``), follow-ups due (``core.followups``), relationships
gone cold (``core.warmth`` / ``core.people``), people not answering, snoozes ending, job
changes found by an import, and articles to share (``core.articles``). This module only
gathers and words them; every rule is imported from its home.

"Not answering" is decided here: the person's last three or more touches were outbound
with no inbound reply since. They are kept out of "gone cold" so the recruiter does not
nag someone who is not answering; they get a section of their own instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.orm import aliased

from recruiter_desk.core.articles import readers_for
from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.followups import SNOOZE_SUBJECT, list_follow_ups
from recruiter_desk.core.identity import fold
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import PeopleQuery, explain_warmths, list_people
from recruiter_desk.core.timeline import display_names
from recruiter_desk.core.warmth import WarmthPolicy, newest_interaction_at
from recruiter_desk.core.wording import count, days_ago
from recruiter_desk.db.models import Article, FollowUp, Interaction, Person
from recruiter_desk.db.touch import TOUCH_DIRECTIONS, is_touch
from recruiter_desk.settings import Settings

SECTIONS: tuple[str, ...] = (
    "owed",
    "follow_ups",
    "cold",
    "not_answering",
    "snoozes_ending",
    "job_changes",
    "articles",
)
SECTION_TITLES: dict[str, str] = {
    "owed": "Owed a message",
    "follow_ups": "Follow-ups due",
    "cold": "Gone cold",
    "not_answering": "Not answering",
    "snoozes_ending": "Snoozes ending",
    "job_changes": "Changed jobs",
    "articles": "Articles to share",
}
# Which kind of template fits each section, when one does (owed messages: by reason).
SECTION_TEMPLATES: dict[str, str] = {
    "follow_ups": "check_in",
    "cold": "keep_warm",
    "snoozes_ending": "check_in",
    "job_changes": "keep_warm",
    "articles": "article",
}
OWED_TEMPLATES: dict[str, str] = {"update": "update", "closing": "closing"}
# Touches in a row with no reply before someone counts as not answering.
UNANSWERED_IN_A_ROW = 3
# A snooze that ended this many days ago still comes back, in case Today was not opened.
SNOOZE_GRACE_DAYS = 7
# Job changes older than this are no longer news.
JOB_CHANGE_DAYS = 30
ARTICLES_CONSIDERED = 3
# Gone cold and not answering are chosen among this many coolest relationships.
COOLEST_CONSIDERED = 200
JOB_CHANGE_SUBJECT = "Changed jobs"
READERS_PER_ARTICLE = 3
# Each section shows its first items; the totals say how many there are in all.
DEFAULT_LIMIT = 50
COLD_LIMIT = 10


@dataclass(frozen=True)
class TodayItem:
    """One thing to do, with the person it is about and why it is due now."""

    section: str
    person_id: int
    full_name: str
    why: str
    since: date | None = None
    opportunity: str | None = None
    opportunity_id: int | None = None
    follow_up_id: int | None = None
    article_id: int | None = None
    # The purpose of the template that fits (core/templates.py PURPOSES), or None when the
    # message should be the recruiter's own words (a reply) or not be sent (not answering).
    template: str | None = None

    def __post_init__(self) -> None:
        if self.template is None and self.section in SECTION_TEMPLATES:
            object.__setattr__(self, "template", SECTION_TEMPLATES[self.section])

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "full_name": self.full_name,
            "why": self.why,
            "since": self.since.isoformat() if self.since else None,
            "opportunity": self.opportunity,
            "opportunity_id": self.opportunity_id,
            "follow_up_id": self.follow_up_id,
            "article_id": self.article_id,
            "template": self.template,
        }


@dataclass(frozen=True)
class Today:
    as_of: date
    sections: dict[str, tuple[TodayItem, ...]]
    totals: dict[str, int] = field(default_factory=dict)
    # One person can be owed two messages (a reply and an update): the status bar counts
    # people, the owed section counts messages.
    owed_people: int = 0

    def items(self, section: str) -> tuple[TodayItem, ...]:
        return self.sections.get(section, ())

    @property
    def due_count(self) -> int:
        """Owed messages and follow-ups due: what the start-up notification counts."""
        return self.totals.get("owed", 0) + self.totals.get("follow_ups", 0)

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            **{s: [i.to_json() for i in self.items(s)] for s in SECTIONS},
            "totals": {s: self.totals.get(s, 0) for s in SECTIONS},
            "owed_people": self.owed_people,
        }


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


# -- sections ------------------------------------------------------------------------------


def _owed(
    connection: Connection, as_of: AsOf, settings: Settings, limit: int
) -> tuple[list[TodayItem], int, int]:
    """The first owed messages, worded by the owed module; all of them and whom they are to."""
    owed = owed_messages(connection, as_of, settings)
    items = [
        TodayItem(
            "owed",
            o.person_id,
            o.full_name,
            o.describe(as_of),
            o.since,
            o.opportunity,
            o.opportunity_id,
            template=OWED_TEMPLATES.get(o.reason),
        )
        for o in owed[:limit]
    ]
    return items, len(owed), len({o.person_id for o in owed})


def _follow_ups(connection: Connection, as_of: AsOf, limit: int) -> tuple[list[TodayItem], int]:
    """The first follow-ups due (never for do-not-contact people), and how many in all."""
    due = list_follow_ups(connection, as_of, due_only=True)
    hidden = set(
        connection.execute(
            select(FollowUp.person_id)
            .join(Person, Person.id == FollowUp.person_id)
            .where(
                FollowUp.done_at.is_(None),
                FollowUp.due_on <= as_of.day,
                Person.do_not_contact.is_(True),
            )
        ).scalars()
    )
    shown = [f for f in due if f.person_id not in hidden]
    items = []
    for f in shown[:limit]:
        late = (as_of.day - f.due_on).days
        when = "due today" if late <= 0 else f"overdue by {count(late, 'day')}"
        why = f"Follow-up {when}: {f.reason}" if f.reason else f"Follow-up {when}"
        items.append(
            TodayItem("follow_ups", f.person_id, f.full_name, why, f.due_on, follow_up_id=f.id)
        )
    return items, len(shown)


def not_answering_condition(as_of: AsOf) -> Any:
    """True for a person whose last ``UNANSWERED_IN_A_ROW`` touches were all outbound."""
    cut = as_of.end_utc
    last_in = newest_interaction_at(Person.last_inbound_at, ("inbound",), cut)
    # The third newest outbound touch since the last reply, if any: at most three index
    # rows per person, however long the history.
    sent = aliased(Interaction)
    third = (
        select(sent.occurred_at)
        .where(
            sent.person_id == Person.id,
            is_touch(sent.kind, sent.direction, ("outbound",)),
            sent.occurred_at < cut,
            or_(last_in.is_(None), sent.occurred_at > last_in),
        )
        .order_by(sent.occurred_at.desc())
        .limit(1)
        .offset(UNANSWERED_IN_A_ROW - 1)
        .scalar_subquery()
    )
    return and_(
        Person.last_outbound_at.is_not(None),
        or_(Person.last_inbound_at.is_(None), Person.last_outbound_at > Person.last_inbound_at),
        third.is_not(None),
    )


def _coolest(
    connection: Connection, as_of: AsOf, policy: WarmthPolicy, settings: Settings, limit: int
) -> tuple[list[TodayItem], list[TodayItem], list[int]]:
    """Gone cold and not answering, both coolest first, from one warmth pass.

    Only the coolest ``COOLEST_CONSIDERED`` cold people are looked at: Today is a short
    queue, and the People list (status filter) holds everyone else.
    """
    query = PeopleQuery(status="cold", sort="status", descending=True)
    rows = list_people(connection, query, as_of, policy, limit=COOLEST_CONSIDERED, with_lists=False)
    ids = [r.id for r in rows]
    cut = as_of.end_utc
    last_out = newest_interaction_at(Person.last_outbound_at, ("outbound",), cut)
    last_in = newest_interaction_at(Person.last_inbound_at, ("inbound",), cut)
    silent = {
        r.id: r
        for r in connection.execute(
            select(Person.id, last_out.label("last_out"), last_in.label("last_in")).where(
                Person.id.in_(ids), not_answering_condition(as_of)
            )
        )
    }
    names = display_names(connection, ids)
    shown_cold = [r.id for r in rows if r.id not in silent][: min(limit, COLD_LIMIT)]
    explained = explain_warmths(connection, shown_cold, as_of, policy)
    cold: list[TodayItem] = []
    quiet: list[TodayItem] = []
    for row in rows:
        found = silent.get(row.id)
        if found is None:
            if row.id in explained:
                sentence = explained[row.id].sentence
                cold.append(TodayItem("cold", row.id, names[row.id], sentence, row.last_touch))
            continue
        if len(quiet) >= limit:
            continue
        wrote = (as_of.day - as_of.local_date(_as_datetime(found.last_out))).days
        if found.last_in is None:
            heard = "never a reply"
        else:
            day = as_of.local_date(_as_datetime(found.last_in))
            heard = f"last reply {days_ago((as_of.day - day).days)}"
        why = (
            f"{UNANSWERED_IN_A_ROW}+ messages in a row unanswered: "
            f"you last wrote {days_ago(wrote)}, {heard}."
        )
        quiet.append(TodayItem("not_answering", row.id, names[row.id], why, row.last_touch))
    return cold, quiet, ids


def _people_news(connection: Connection, as_of: AsOf) -> tuple[list[TodayItem], list[TodayItem]]:
    """Snoozes ending and job changes: one pass over people for both.

    A snooze comes back on its last day and for a week after, with the reason given when
    snoozing; a job change noted by an import in the last month is a reason to write. Both
    drop off once the person has been touched since.
    """
    cut = as_of.end_utc
    last_touch = newest_interaction_at(Person.last_touch_at, TOUCH_DIRECTIONS, cut)
    rows = connection.execute(
        select(
            Person.id, Person.snoozed_until, Person.job_changed_at, last_touch.label("touched")
        ).where(
            Person.do_not_contact.is_(False),
            or_(
                and_(
                    Person.snoozed_until <= as_of.day,
                    Person.snoozed_until >= as_of.day - timedelta(days=SNOOZE_GRACE_DAYS),
                ),
                and_(
                    Person.job_changed_at < cut,
                    Person.job_changed_at >= cut - timedelta(days=JOB_CHANGE_DAYS + 1),
                ),
            ),
        )
    ).all()
    if not rows:
        return [], []
    ids = [r.id for r in rows]
    notes: dict[tuple[int, str], str] = {}
    for person_id, subject, body in connection.execute(
        select(Interaction.person_id, Interaction.subject, Interaction.body)
        .where(
            Interaction.person_id.in_(ids),
            Interaction.kind == "note",
            Interaction.occurred_at < cut,
            or_(
                Interaction.subject == JOB_CHANGE_SUBJECT,
                Interaction.subject.startswith(SNOOZE_SUBJECT, autoescape=True),
            ),
        )
        .order_by(Interaction.occurred_at, Interaction.id)
    ):
        kind = "job" if subject == JOB_CHANGE_SUBJECT else subject
        notes[(person_id, kind)] = body  # the newest wins
    names = display_names(connection, ids)
    snoozes: list[tuple[date, TodayItem]] = []
    jobs: list[tuple[datetime, TodayItem]] = []
    for row in rows:
        touched = as_of.local_date(_as_datetime(row.touched)) if row.touched else None
        until = row.snoozed_until
        if until is not None and not isinstance(until, date):
            until = date.fromisoformat(str(until))
        if until is not None and until <= as_of.day and (touched is None or touched <= until):
            ended = (as_of.day - until).days
            if ended <= SNOOZE_GRACE_DAYS:
                when = "Snooze ends today" if ended == 0 else f"Snooze ended {days_ago(ended)}"
                reason = notes.get((row.id, f"{SNOOZE_SUBJECT}{until.isoformat()}"))
                why = f"{when}: {reason}" if reason else f"{when} (no reason was given)."
                snoozes.append(
                    (until, TodayItem("snoozes_ending", row.id, names[row.id], why, until))
                )
        if row.job_changed_at is not None:
            changed_at = _as_datetime(row.job_changed_at)
            day = as_of.local_date(changed_at)
            if changed_at < cut and (touched is None or touched < day):
                move = notes.get((row.id, "job"))
                detail = f" ({move})" if move else ""
                why = (
                    f"Changed jobs{detail}, seen {days_ago((as_of.day - day).days)}: "
                    "a natural reason to say congratulations."
                )
                jobs.append((changed_at, TodayItem("job_changes", row.id, names[row.id], why, day)))
    snoozes.sort(key=lambda pair: (pair[0], fold(pair[1].full_name)))
    jobs.sort(key=lambda pair: (pair[0], pair[1].person_id), reverse=True)
    return [i for _, i in snoozes], [i for _, i in jobs]


def _articles(
    connection: Connection, as_of: AsOf, policy: WarmthPolicy, coolest: list[int]
) -> list[TodayItem]:
    """The newest articles, each with the coolest people whose interests it meets."""
    if not coolest:
        return []
    articles = connection.execute(
        select(Article.id, Article.title)
        .order_by(Article.created_at.desc(), Article.id.desc())
        .limit(ARTICLES_CONSIDERED)
    ).all()
    within = select(Person.id).where(Person.id.in_(coolest))
    items = []
    for article in articles:
        for reader in readers_for(
            connection, article.id, as_of, policy, limit=READERS_PER_ARTICLE, within=within
        ):
            topics = ", ".join(reader.topics)
            why = f"Share “{article.title}”: they follow {topics}."
            items.append(
                TodayItem(
                    "articles",
                    reader.person.id,
                    reader.person.full_name,
                    why,
                    reader.person.last_touch,
                    article_id=article.id,
                )
            )
    return items


def today(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    policy: WarmthPolicy,
    *,
    limit: int = DEFAULT_LIMIT,
) -> Today:
    """The whole queue as of a day; each section cut at ``limit`` (totals count them all)."""
    owed, owed_total, owed_people = _owed(connection, as_of, settings, limit)
    follow_ups, due_total = _follow_ups(connection, as_of, limit)
    cold, not_answering, coolest = _coolest(connection, as_of, policy, settings, limit)
    snoozes, jobs = _people_news(connection, as_of)
    articles = _articles(connection, as_of, policy, coolest)
    found = {
        "owed": owed,
        "follow_ups": follow_ups,
        "cold": cold,
        "not_answering": not_answering,
        "snoozes_ending": snoozes,
        "job_changes": jobs,
        "articles": articles,
    }
    totals = {s: len(items) for s, items in found.items()}
    totals.update(owed=owed_total, follow_ups=due_total)
    return Today(as_of.day, {s: tuple(found[s][:limit]) for s in SECTIONS}, totals, owed_people)
