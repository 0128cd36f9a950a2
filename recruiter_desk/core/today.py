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

from sqlalchemy import Connection, and_, or_, select, union_all
from sqlalchemy.orm import aliased

from recruiter_desk.core.articles import readers_for
from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.followups import (
    SNOOZE_SUBJECT,
    FollowUpRow,
    count_follow_ups_due,
    follow_up_order,
    list_follow_ups,
)
from recruiter_desk.core.identity import fold
from recruiter_desk.core.owed import (
    OwedMessage,
    OwedSummary,
    owed_messages,
    owed_order,
    owed_summary,
)
from recruiter_desk.core.people import (
    PeopleQuery,
    PersonRow,
    explain_warmths,
    first_ids,
    list_people,
    people_in_order,
)
from recruiter_desk.core.timeline import display_names
from recruiter_desk.core.warmth import WarmthPolicy, newest_interaction_at
from recruiter_desk.core.wording import count, days_ago
from recruiter_desk.db.models import Article, Interaction, Person
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
    # Where the item stands in its section's order (the key the section sorts by), for
    # placing one person's new items among those on screen (splice); none in the
    # sections ranked among everyone (gone cold, not answering, articles).
    rank: tuple[Any, ...] = field(default=(), compare=False, repr=False)

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
    connection: Connection, as_of: AsOf, settings: Settings, limit: int, exact: bool
) -> tuple[list[TodayItem], int, int]:
    """The first owed messages, worded by the owed module; all of them and whom they are to."""
    if exact:
        owed = owed_messages(connection, as_of, settings, narrow=False)
        summary = OwedSummary(owed[:limit], len(owed), len({o.person_id for o in owed}))
    else:
        summary = owed_summary(connection, as_of, settings, limit)
    return _owed_items(summary.first, as_of), summary.total, summary.people


def _owed_items(owed: list[OwedMessage], as_of: AsOf) -> list[TodayItem]:
    return [
        TodayItem(
            "owed",
            o.person_id,
            o.full_name,
            o.describe(as_of),
            o.since,
            o.opportunity,
            o.opportunity_id,
            template=OWED_TEMPLATES.get(o.reason),
            rank=owed_order(o),
        )
        for o in owed
    ]


def _follow_ups(
    connection: Connection, as_of: AsOf, limit: int, exact: bool
) -> tuple[list[TodayItem], int]:
    """The first follow-ups due (never for do-not-contact people), and how many in all."""
    if exact:
        due = list_follow_ups(connection, as_of, due_only=True, contactable_only=True)
        shown, total = due[:limit], len(due)
    else:
        shown = list_follow_ups(
            connection, as_of, due_only=True, contactable_only=True, limit=limit
        )
        total = count_follow_ups_due(connection, as_of)
    return _follow_up_items(shown, as_of), total


def _follow_up_items(shown: list[FollowUpRow], as_of: AsOf) -> list[TodayItem]:
    items = []
    for f in shown:
        late = (as_of.day - f.due_on).days
        when = "due today" if late <= 0 else f"overdue by {count(late, 'day')}"
        why = f"Follow-up {when}: {f.reason}" if f.reason else f"Follow-up {when}"
        items.append(
            TodayItem(
                "follow_ups",
                f.person_id,
                f.full_name,
                why,
                f.due_on,
                follow_up_id=f.id,
                rank=follow_up_order(f),
            )
        )
    return items


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
    connection: Connection, as_of: AsOf, policy: WarmthPolicy, limit: int, exact: bool
) -> tuple[list[TodayItem], list[TodayItem], list[int]]:
    """Gone cold and not answering, both coolest first, from one warmth pass.

    Only the coolest ``COOLEST_CONSIDERED`` cold people are looked at: Today is a short
    queue, and the People list (status filter) holds everyone else.
    """
    query = PeopleQuery(status="cold", sort="status", descending=True)
    # The People list's own first page of its Cold list, coldest first (core/people.py
    # first_ids: each stored cadence walked through its index), unless that is not known.
    coolest = None if exact else first_ids(connection, query, as_of, policy, COOLEST_CONSIDERED)
    if coolest is None:
        rows = list_people(
            connection, query, as_of, policy, limit=COOLEST_CONSIDERED, with_lists=False
        )
    else:
        # In that order; read by ids, not through the status filter, which would have
        # SQLite walk its own candidates (every cold person) instead of these few.
        rows = people_in_order(connection, coolest, as_of, policy, with_lists=False)
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


def _people_news(
    connection: Connection, as_of: AsOf, exact: bool, person_id: int | None = None
) -> tuple[list[TodayItem], list[TodayItem]]:
    """Snoozes ending and job changes: one pass over people for both.

    A snooze comes back on its last day and for a week after, with the reason given when
    snoozing; a job change noted by an import in the last month is a reason to write. Both
    drop off once the person has been touched since.
    """
    cut = as_of.end_utc
    last_touch = newest_interaction_at(Person.last_touch_at, TOUCH_DIRECTIONS, cut)
    snooze_ending = and_(
        Person.snoozed_until <= as_of.day,
        Person.snoozed_until >= as_of.day - timedelta(days=SNOOZE_GRACE_DAYS),
    )
    job_changed = and_(
        Person.job_changed_at < cut,
        Person.job_changed_at >= cut - timedelta(days=JOB_CHANGE_DAYS + 1),
    )
    # Each through its own (partial) index, rather than one pass over everyone.
    news = union_all(select(Person.id).where(snooze_ending), select(Person.id).where(job_changed))
    if person_id is not None:
        scope = [Person.id == person_id]
    else:
        scope = [] if exact else [Person.id.in_(news)]
    rows = connection.execute(
        select(
            Person.id, Person.snoozed_until, Person.job_changed_at, last_touch.label("touched")
        ).where(
            *scope,
            Person.do_not_contact.is_(False),
            or_(snooze_ending, job_changed),
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
    snoozes: list[TodayItem] = []
    rank: tuple[Any, ...]
    jobs: list[TodayItem] = []
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
                # Earliest ending first, then by name.
                rank = (until, fold(names[row.id]), row.id)
                snoozes.append(
                    TodayItem("snoozes_ending", row.id, names[row.id], why, until, rank=rank)
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
                # Newest first (the time left until the latest moment there is).
                rank = (datetime.max - changed_at.replace(tzinfo=None), -row.id)
                jobs.append(TodayItem("job_changes", row.id, names[row.id], why, day, rank=rank))
    snoozes.sort(key=lambda item: item.rank)
    jobs.sort(key=lambda item: item.rank)
    return snoozes, jobs


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
    exact: bool = False,
) -> Today:
    """The whole queue as of a day; each section cut at ``limit`` (totals count them all).

    Each section reads only its candidates, through indexes, and counts what it does not
    show; ``exact=True`` reads everyone and lists everything instead, the plain statement
    of the rules the tests hold the quick way to (tests/core/test_today_fast_path.py)."""
    owed, owed_total, owed_people = _owed(connection, as_of, settings, limit, exact)
    follow_ups, due_total = _follow_ups(connection, as_of, limit, exact)
    cold, not_answering, coolest = _coolest(connection, as_of, policy, limit, exact)
    snoozes, jobs = _people_news(connection, as_of, exact)
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


# -- one person's part, spliced into a Today on screen ------------------------------------
# After a touch only the person touched changes; reading the whole queue again costs
# 0.15-0.4 s at 100k people. docs/architecture.md (Today) says when the splice is exact.

# Sections whose items are each about one person and ordered by a key of their own: the
# person's items are found by the section's own code restricted to them.
PERSON_SECTIONS: tuple[str, ...] = ("owed", "follow_ups", "snoozes_ending", "job_changes")
# Sections chosen among the coolest of everyone: a person entering or leaving them moves
# others in or out, which one person's read cannot know.
RANKED_SECTIONS: tuple[str, ...] = ("cold", "not_answering", "articles")


@dataclass(frozen=True)
class PersonToday:
    """One person's part of Today on a day: their items in ``PERSON_SECTIONS`` (all of
    them, uncut), and whether they are cold (among whom the ranked sections choose)."""

    as_of: date
    person_id: int
    listed: bool
    cold: bool
    sections: dict[str, tuple[TodayItem, ...]]

    def items(self, section: str) -> tuple[TodayItem, ...]:
        return self.sections.get(section, ())


def person_today(
    connection: Connection,
    as_of: AsOf,
    settings: Settings,
    policy: WarmthPolicy,
    person_id: int,
    *,
    row: PersonRow | None = None,
    owed: list[OwedMessage] | None = None,
) -> PersonToday:
    """``person_id``'s part of ``today(...)``: each section's own code, for them alone.
    ``row`` and ``owed``: their row and owed messages as a read in the same transaction
    found them (the person panel's card), not read again."""
    if row is None:
        rows = list_people(
            connection, PeopleQuery(ids=(person_id,)), as_of, policy, with_lists=False
        )
    else:
        rows = [row]
    if owed is None:
        owed = owed_messages(connection, as_of, settings, person_id)
    owed_items = _owed_items(owed, as_of)
    due = list_follow_ups(
        connection, as_of, due_only=True, contactable_only=True, person_id=person_id
    )
    snoozes, jobs = _people_news(connection, as_of, exact=False, person_id=person_id)
    sections = {
        "owed": tuple(owed_items),
        "follow_ups": tuple(_follow_up_items(due, as_of)),
        "snoozes_ending": tuple(snoozes),
        "job_changes": tuple(jobs),
    }
    cold = bool(rows) and rows[0].status == "cold"
    return PersonToday(as_of.day, person_id, bool(rows), cold, sections)


@dataclass(frozen=True)
class Spliced:
    """A Today with one person's part replaced. ``exact``: it is what ``today(...)`` reads
    in full; otherwise it is what is known (the person's old items gone, their new ones
    placed where they surely go) and the caller reads the whole queue again."""

    today: Today
    exact: bool


def splice(
    shown: Today, before: PersonToday, after: PersonToday, limit: int = DEFAULT_LIMIT
) -> Spliced:
    """``shown`` (read with ``limit``) with ``before``'s part of it replaced by ``after``."""
    person = after.person_id
    exact = before.as_of == after.as_of == shown.as_of and before.person_id == person
    sections: dict[str, tuple[TodayItem, ...]] = {}
    totals = dict(shown.totals)
    for section in PERSON_SECTIONS:
        items, placed = _splice_section(
            shown.items(section), shown.totals.get(section, 0), before, after, section, limit
        )
        exact = exact and placed
        sections[section] = items
        totals[section] = (
            shown.totals.get(section, 0) - len(before.items(section)) + len(after.items(section))
        )
    ranked_moved = before.cold or after.cold
    for section in RANKED_SECTIONS:
        items = shown.items(section)
        if ranked_moved and not after.cold:
            # No longer cold: surely out of them (who comes in instead is not known).
            items = tuple(i for i in items if i.person_id != person)
            dropped = len(shown.items(section)) - len(items)
            totals[section] = shown.totals.get(section, 0) - dropped
        sections[section] = items
    owed_people = shown.owed_people - bool(before.items("owed")) + bool(after.items("owed"))
    today = Today(shown.as_of, {s: sections[s] for s in SECTIONS}, totals, owed_people)
    return Spliced(today, exact and not ranked_moved)


def _splice_section(
    shown: tuple[TodayItem, ...],
    total: int,
    before: PersonToday,
    after: PersonToday,
    section: str,
    limit: int,
) -> tuple[tuple[TodayItem, ...], bool]:
    """The section's first ``limit`` items with the person's replaced, and whether that is
    surely them: others not shown come after the last one shown, so the person's new
    items before it go in their place; once fewer than ``limit`` are left while others
    are not shown, those others (or the person's later items) would move up. Ranks are
    never equal between two people (each ends with the person or follow-up id)."""
    person = after.person_id
    mine = [i for i in shown if i.person_id == person]
    rest = [i for i in shown if i.person_id != person]
    # What is on screen must be what the person's part was before (else it is stale).
    consistent = all(i in before.items(section) for i in mine)
    hidden = total - len(before.items(section)) - len(rest)
    new = list(after.items(section))
    if hidden <= 0 or not shown:
        merged = sorted(rest + new, key=lambda i: i.rank)
        return tuple(merged[:limit]), consistent and hidden == 0
    boundary = shown[-1].rank
    merged = sorted(rest + [i for i in new if i.rank <= boundary], key=lambda i: i.rank)
    return tuple(merged[:limit]), consistent and len(merged) >= limit
