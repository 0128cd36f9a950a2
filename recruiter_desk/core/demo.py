"""A realistic generated network, the same for the same seed and as-of day.

Written with SQLAlchemy Core in one transaction: 100k people and 1M interactions in well
under a minute, where the ORM would take ten times as long.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select

from recruiter_desk.core import demo_data as words
from recruiter_desk.core import warmth_store  # noqa: F401  (its settler fills the people's)
from recruiter_desk.core.bulk import gc_paused, insert_rows
from recruiter_desk.core.identity import email_key, fold, linkedin_key, name_key, sort_key
from recruiter_desk.core.templates import STARTER_TEMPLATES
from recruiter_desk.core.vocabulary import ACTIVE_STAGES, CLOSE_REASONS, STAGES
from recruiter_desk.db import interaction_search, search_index, touch
from recruiter_desk.db.dialect import catch_up_sequences
from recruiter_desk.db.models import (
    Article,
    Candidacy,
    FollowUp,
    Interaction,
    Opportunity,
    Organization,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
    StageChange,
    Template,
)
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, UsageError

Progress = Callable[[str, float], None]

INSERT_CHUNK = 20_000


@dataclass(frozen=True)
class DemoSummary:
    people: int
    interactions: int
    organizations: int
    opportunities: int
    candidacies: int
    follow_ups: int
    articles: int


class _Cancelled(Exception):
    pass


def _ascii(value: str) -> str:
    kept = "".join(c for c in fold(value) if c.isascii() and (c.isalnum() or c in " -'"))
    return kept.replace("'", "").replace(" ", "").replace("-", "")


# How the demo's relationships are spread, before processes and replies move a few:
# most warm or cooling, a minority cold (DESIGN: a network kept warm, with work to do).
WARM_SHARE = 0.60
COOLING_SHARE = 0.20
# Final stages of the candidacies of an open role: a funnel, wide at the top.
_OPEN_FUNNEL = (
    ("sourced", 28),
    ("contacted", 22),
    ("interested", 12),
    ("submitted", 8),
    ("interviewing", 7),
    ("shortlisted", 3),
    ("offer", 2),
    ("not_selected", 12),
    ("withdrew", 6),
)
_ON_HOLD_FUNNEL = (
    ("sourced", 30),
    ("contacted", 25),
    ("interested", 12),
    ("submitted", 8),
    ("interviewing", 5),
    ("not_selected", 12),
    ("withdrew", 8),
)
# The first roles cover every state a recruiter's list holds; the rest are drawn.
_FIRST_STATUSES = ("open", "filled", "on_hold", "open", "closed", "open")


class _Generator:
    def __init__(self, count: int, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.count = count
        self.as_of = as_of
        self.people: list[dict[str, Any]] = []
        self.do_not_contact: list[bool] = []
        self.written = {"people": 0, "interactions": 0}
        self.emails: list[dict[str, Any]] = []
        self.phones: list[dict[str, Any]] = []
        self.tags: list[dict[str, Any]] = []
        self.interests: list[dict[str, Any]] = []
        self.interactions: list[dict[str, Any]] = []
        self.organizations: list[dict[str, Any]] = []
        self.opportunities: list[dict[str, Any]] = []
        self.candidacies: list[dict[str, Any]] = []
        self.stage_changes: list[dict[str, Any]] = []
        self.follow_ups: list[dict[str, Any]] = []
        self.articles: list[dict[str, Any]] = []
        self._interaction_id = 0
        self._days: dict[int, date] = {}
        self._keys: dict[tuple[Any, ...], str] = {}
        self._moments: dict[tuple[int, int], datetime] = {}
        self.first_names = [
            firsts + more
            for (firsts, _lasts, _cities), more in zip(
                words.CULTURES, words.MORE_FIRST_NAMES, strict=True
            )
        ]

    def keys(self, rule: Callable[..., str], *parts: str) -> str:
        """``rule(*parts)``, remembered: names repeat across a large network."""
        key = (rule, *parts)
        found = self._keys.get(key)
        if found is None:
            found = self._keys[key] = rule(*parts)
        return found

    def pick(self, values: Any) -> Any:
        return values[int(self.random() * len(values))]

    def day(self, days_ago: float) -> date:
        whole = int(days_ago)
        found = self._days.get(whole)
        if found is None:
            found = self._days[whole] = self.as_of - timedelta(days=whole)
        return found

    def moment(self, days_ago: float) -> datetime:
        """A working-hours time ``days_ago`` days before the as-of day (UTC)."""
        # Five-minute steps, as people book their days.
        key = (int(days_ago), int(self.random() * 132))
        found = self._moments.get(key)
        if found is None:
            day = self.day(days_ago)
            minutes = key[1] * 5
            found = datetime(day.year, day.month, day.day, 7 + minutes // 60, minutes % 60)
            # One object per minute: the bulk insert formats each distinct value once.
            self._moments[key] = found
        return found

    def name(self, culture: int) -> tuple[str, str]:
        """A first name and surname as the culture gives them; one in six first names
        comes from elsewhere, as in any international network."""
        random_ = self.random
        source = culture if random_() > 1 / 6 else int(random_() * len(words.CULTURES))
        first = self.pick(self.first_names[source])
        lasts = words.CULTURES[culture][1]
        parts = words.SURNAME_PARTS.get(culture)
        if parts and random_() < 0.7:
            roots, endings = parts
            if culture in words.PARTICLE_FIRST:
                last = self.pick(endings) + self.pick(roots)
            else:
                last = self.pick(roots) + self.pick(endings)
        else:
            last = self.pick(lasts)
        if culture in words.DOUBLE_SURNAMES and random_() < 0.6:
            second = self.pick(lasts)
            if second != last:
                last = f"{last} {second}"
        return first, last

    def organizations_pool(self) -> None:
        rng = self.rng
        names: set[str] = set()
        target = max(20, min(400, self.count // 150))
        while len(names) < target:
            names.add(
                f"{rng.choice(words.COMPANY_STEMS)} {rng.choice(words.COMPANY_SUFFIXES)}"
                f"{rng.choice(words.COMPANY_FORMS)}"
            )
        for index, name in enumerate(sorted(names), start=1):
            slug = _ascii(name.split(" ")[0]) + _ascii(name.split(" ")[1])
            self.organizations.append(
                {
                    "id": index,
                    "name": name,
                    "website": f"https://{slug}.example",
                    "notes": "",
                    "created_at": self.moment(rng.uniform(400, 1500)),
                }
            )

    def person(self, person_id: int) -> None:
        random_, pick = self.random, self.pick
        culture = int(random_() * len(words.CULTURES))
        first, last = self.name(culture)
        organization = pick(self.organizations)
        is_leader = random_() < 0.08
        title = (
            pick(words.LEADER_TITLES) if is_leader else pick(words.SENIORITY) + pick(words.ROLES)
        )
        cadence = pick((30, 60, 180)) if random_() < 0.05 else None
        newest_age = self.planned_touch_age(cadence or 90)
        # The first contact came before the newest touch; a few are brand-new connections.
        fresh = random_() < 0.05
        connected_days = newest_age if fresh else newest_age + random_() * (6 * 365 - newest_age)
        created = self.moment(max(0.0, connected_days - random_() * 20))
        first_slug = self.keys(_ascii, first) or "p"
        last_slug = self.keys(_ascii, last) or "x"
        linkedin = (
            f"https://www.linkedin.com/in/{first_slug}-{last_slug}-{person_id:x}"
            if random_() < 0.85
            else None
        )
        modes_roll = random_()
        work_modes = (
            0
            if modes_roll < 0.25
            else 1
            if modes_roll < 0.5
            else 2
            if modes_roll < 0.62
            else 3
            if modes_roll < 0.82
            else 6
            if modes_roll < 0.94
            else 7
        )
        openness_roll = random_()
        openness = (
            "active" if openness_roll < 0.15 else "open" if openness_roll < 0.75 else "not_looking"
        )
        company = organization["name"]
        self.people.append(
            {
                "id": person_id,
                "first_name": first,
                "last_name": last,
                "organization_id": organization["id"],
                "company": company,
                "title": title,
                "location": pick(words.CULTURES[culture][2]),
                "linkedin_url": linkedin,
                "linkedin_key": linkedin_key(linkedin),
                "name_key": self.keys(name_key, first, last, company),
                "sort_key": self.keys(sort_key, first, last),
                "links": [],
                "work_modes": work_modes,
                "openness": openness,
                "is_applicant": random_() < 0.3,
                "do_not_contact": random_() < 0.015,
                "cadence_days": cadence,
                "snoozed_until": None,
                "source": pick(words.SOURCES),
                "notes": "Met at a meetup; prefers email." if random_() < 0.1 else "",
                "connected_on": self.day(connected_days),
                "created_at": created,
                "updated_at": created,
                "job_changed_at": None,
                **_room_for_later(created),
            }
        )
        self.do_not_contact.append(self.people[-1]["do_not_contact"])
        mail_user = f"{first_slug}.{last_slug}{person_id}"
        address = f"{mail_user}@{pick(_MAIL_DOMAINS)}"
        self.emails.append(
            {
                "person_id": person_id,
                "address": address,
                "address_key": email_key(address),
                "position": 0,
            }
        )
        if random_() < 0.3:
            address = f"{mail_user}@{organization['website'].removeprefix('https://')}"
            self.emails.append(
                {
                    "person_id": person_id,
                    "address": address,
                    "address_key": email_key(address),
                    "position": 1,
                }
            )
        if random_() < 0.6:
            self.phones.append(
                {
                    "person_id": person_id,
                    "number": f"+{1 + int(random_() * 98)} {100 + int(random_() * 900)} "
                    f"{100 + int(random_() * 900)} {1000 + int(random_() * 9000)}",
                    "position": 0,
                }
            )
        tags = set(self.rng.sample(words.TAGS, pick((0, 0, 1, 1, 2, 3))))
        if is_leader:
            tags.add("hiring-manager")
        self.tags.extend({"person_id": person_id, "tag": tag} for tag in sorted(tags))
        for topic in self.rng.sample(words.TOPICS, pick((0, 1, 2, 2, 3, 4))):
            self.interests.append({"person_id": person_id, "topic": topic})
        if not fresh:
            self.history(person_id, newest_age, connected_days)

    def write_people(self, connection: Connection, cancel: Callable[[], bool]) -> None:
        """Insert the people invented so far with their details and history, then forget
        them: memory stays bounded whatever the size of the network."""
        for table, rows in (
            (Person, self.people),
            (PersonEmail, self.emails),
            (PersonPhone, self.phones),
            (PersonTag, self.tags),
            (PersonInterest, self.interests),
            (Interaction, self.interactions),
        ):
            _insert(connection, table, rows, cancel)
        self.written["people"] += len(self.people)
        self.written["interactions"] += len(self.interactions)
        for rows in (
            self.people,
            self.emails,
            self.phones,
            self.tags,
            self.interests,
            self.interactions,
        ):
            rows.clear()

    def planned_touch_age(self, cadence: int) -> float:
        """Days since the newest touch, chosen so warmth lands warm, cooling or cold."""
        roll = self.random()
        if roll < WARM_SHARE:
            return self.random() * 0.72 * cadence
        if roll < WARM_SHARE + COOLING_SHARE:
            return (0.77 + self.random() * 0.2) * cadence
        return (1.05 + self.random() * 4) * cadence

    def add_interaction(
        self,
        person_id: int,
        kind: str,
        direction: str,
        occurred_at: datetime,
        opportunity_id: int | None = None,
        subject: str | None = None,
    ) -> None:
        self._interaction_id += 1
        self.interactions.append(
            {
                "id": self._interaction_id,
                "person_id": person_id,
                "kind": kind,
                "direction": direction,
                "occurred_at": occurred_at,
                "subject": subject or self.pick(words.INTERACTION_SUBJECTS[kind]),
                "body": "",
                "opportunity_id": opportunity_id,
            }
        )

    def history(self, person_id: int, newest_age: float, connected_days: float) -> None:
        """About nine touchpoints over up to three years, the newest ``newest_age`` days ago."""
        random_, pick = self.random, self.pick
        span = max(newest_age, min(connected_days, 3 * 365))
        count = pick((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18))
        for index in range(count):
            age = newest_age if index == 0 else newest_age + random_() * (span - newest_age)
            kind = pick(_KINDS)
            if kind == "note":
                direction = "internal"
                if index == 0:
                    kind, direction = "email", "outbound"
            elif kind == "article":
                direction = "outbound"
            else:
                direction = "outbound" if random_() < 0.58 else "inbound"
            self.add_interaction(person_id, kind, direction, self.moment(age))
            # Replies the next day, but for a few newest messages: those are owed a reply.
            answered = index > 0 or random_() > 0.06
            if direction == "inbound" and age >= 1 and answered:
                self.add_interaction(
                    person_id,
                    "email",
                    "outbound",
                    self.moment(age - 1),
                    subject="Re: " + self.interactions[-1]["subject"],
                )
        if random_() < 0.004:
            self.add_interaction(
                person_id, "meeting", "outbound", self.moment(-1 - random_() * 19), subject="Coffee"
            )

    def opportunities_and_pipeline(self) -> None:
        rng = self.rng
        count = max(6, min(60, self.count // 1500))
        modes = ("remote", "hybrid", "onsite")
        for opportunity_id in range(1, count + 1):
            organization = rng.choice(self.organizations)
            status = (
                _FIRST_STATUSES[opportunity_id - 1]
                if opportunity_id <= len(_FIRST_STATUSES)
                else rng.choices(("open", "on_hold", "filled", "closed"), (60, 10, 18, 12))[0]
            )
            title = rng.choice(words.SENIORITY) + rng.choice(words.ROLES)
            opened = {
                "open": rng.uniform(10, 150),
                "on_hold": rng.uniform(60, 200),
                "filled": rng.uniform(90, 330),
                "closed": rng.uniform(90, 365),
            }[status]
            self.opportunities.append(
                {
                    "id": opportunity_id,
                    "title": title,
                    "organization_id": organization["id"],
                    "work_mode": rng.choice(modes),
                    "location": rng.choice(rng.choice(words.CULTURES)[2]),
                    "status": status,
                    "skills": rng.sample(words.TOPICS, 3),
                    "description": f"{title} at {organization['name']}.",
                    "created_at": self.moment(opened),
                }
            )
            self.pipeline(self.opportunities[-1], opened)

    def pipeline(self, opportunity: dict[str, Any], opened: float) -> None:
        """Candidacies for one role, as a funnel: many sourced, few at offer."""
        rng = self.rng
        status = opportunity["status"]
        per_role = max(8, min(60, self.count // 40))
        size = min(self.count, int(per_role * rng.uniform(0.6, 1.4)))
        chosen = [p for p in rng.sample(range(1, self.count + 1), size)]
        # A filled or closed role ended some weeks after it opened; an open one runs on.
        ended = 0.0 if status in ("open", "on_hold") else opened * rng.uniform(0.2, 0.6)
        hired_one = offered = False
        for person_id in chosen:
            if self.do_not_contact[person_id - 1]:
                continue
            if status == "filled" and not hired_one:
                final, hired_one = "hired", True
            elif status in ("filled", "closed"):
                final = "not_selected" if rng.random() < 0.7 else "withdrew"
            elif status == "open" and opportunity["id"] == 1 and not offered:
                final, offered = "offer", True  # the first role is about to close
            else:
                funnel = _OPEN_FUNNEL if status == "open" else _ON_HOLD_FUNNEL
                final = rng.choices([s for s, _ in funnel], [w for _, w in funnel])[0]
                if final == "offer":
                    final = "shortlisted" if offered else final
                    offered = True
            self.candidacy(opportunity, person_id, final, opened, ended)

    def candidacy(
        self, opportunity: dict[str, Any], person_id: int, final: str, opened: float, ended: float
    ) -> None:
        rng = self.rng
        if final in ("not_selected", "withdrew", "hired"):
            path = [*STAGES[: rng.randint(1, 6)], final]
        else:
            path = list(STAGES[: STAGES.index(final) + 1])
        start = rng.uniform(max(ended, opened * 0.5), opened)
        if final in ACTIVE_STAGES and opportunity["status"] == "open":
            # Live processes move: the latest step is days, not months, old.
            finish = rng.uniform(0, min(start, 21))
        elif final == "sourced" or opportunity["status"] == "on_hold":
            finish = rng.uniform(max(ended, start * 0.5), start)
        else:
            finish = rng.uniform(ended, start)
        step = (start - finish) / max(1, len(path) - 1)
        candidacy_id = len(self.candidacies) + 1
        changed_at = self.moment(start)
        owed_update = final in ACTIVE_STAGES and rng.random() < 0.12
        for position, stage in enumerate(path):
            age = start - step * position
            changed_at = self.moment(age)
            self.stage_changes.append(
                {
                    "id": len(self.stage_changes) + 1,
                    "candidacy_id": candidacy_id,
                    "stage": stage,
                    "changed_at": changed_at,
                }
            )
            last = position == len(path) - 1
            if stage in ACTIVE_STAGES and not (last and owed_update) and rng.random() < 0.85:
                self.add_interaction(
                    person_id,
                    "email",
                    "outbound",
                    changed_at + timedelta(hours=2),
                    opportunity["id"],
                    f"{opportunity['title']}: {stage.replace('_', ' ')}",
                )
        if final in ACTIVE_STAGES and not owed_update and finish > 5:
            # A good recruiter keeps candidates posted: an update within the week.
            self.add_interaction(
                person_id,
                "call" if rng.random() < 0.4 else "email",
                "outbound",
                self.moment(rng.uniform(0, min(finish, 6))),
                opportunity["id"],
                f"{opportunity['title']}: where things stand",
            )
        closed_by = close_reason = None
        if final in ("not_selected", "withdrew"):
            closed_by = "theirs" if final == "withdrew" else "ours"
            close_reason = (
                "role_closed"
                if opportunity["status"] == "closed" and final == "not_selected"
                else rng.choice(CLOSE_REASONS[:-1])
            )
            if rng.random() < 0.9:  # the rest are owed a closing message
                self.add_interaction(
                    person_id,
                    "email",
                    "outbound",
                    changed_at + timedelta(days=1),
                    opportunity["id"],
                    f"{opportunity['title']}: thank you",
                )
        self.candidacies.append(
            {
                "id": candidacy_id,
                "person_id": person_id,
                "opportunity_id": opportunity["id"],
                "stage": final,
                "stage_changed_at": changed_at,
                "created_at": self.stage_changes[-len(path)]["changed_at"],
                "closed_by": closed_by,
                "close_reason": close_reason,
                "close_note": "",
            }
        )

    def follow_ups_and_articles(self) -> None:
        rng = self.rng
        follow_up_id = 0
        reasons = (
            "Check in after their product launch",
            "Send the salary survey",
            "Ask about the team lead role",
            "Congratulate on the promotion",
            "Stay in touch after the decision",
        )
        random_ = self.random
        for person_id in range(1, self.count + 1):
            if random_() < 0.05:
                follow_up_id += 1
                due = self.as_of + timedelta(days=rng.randint(-30, 30))
                done = random_() < 0.3 and due < self.as_of
                self.follow_ups.append(
                    {
                        "id": follow_up_id,
                        "person_id": person_id,
                        "due_on": due,
                        "reason": self.pick(reasons),
                        "done_at": datetime.combine(due, time(10)) if done else None,
                        "created_at": self.moment(rng.uniform(30, 90)),
                    }
                )
        for article_id, (title, topics) in enumerate(words.ARTICLE_TITLES, start=1):
            slug = _ascii(title.replace(" ", "-"))[:40]
            self.articles.append(
                {
                    "id": article_id,
                    "url": f"https://blog.example/{slug}",
                    "title": title,
                    "topics": topics,
                    "created_at": self.moment(rng.uniform(0, 60)),
                }
            )


_MAIL_DOMAINS = ("gmail.com", "outlook.com", "proton.me", "fastmail.com", "icloud.com")
# Interaction kinds weighted as a recruiter's week: email 40, message 20, call 12,
# meeting 8, article 5, note 15.
_KINDS = (
    ("email",) * 40
    + ("message",) * 20
    + ("call",) * 12
    + ("meeting",) * 8
    + ("article",) * 5
    + ("note",) * 15
)


def _room_for_later(moment: datetime) -> dict[str, Any]:
    """Stand-ins as long as what the load writes into each person after inserting them
    (the last touches, ``touch.refresh_touch``; the stored warmth inputs, the settle before
    commit), all overwritten before the transaction commits. A row that grows after its
    insert splits its page: people's pages were left a sixth empty (about 80 MB at 1M)."""
    return {
        "last_touch_at": moment,
        "last_inbound_at": moment,
        "last_outbound_at": moment,
        "warmth_cadence": 90,
        "warmth_source": "default",
        "warmth_cooling_due": 1_800_000_000,
        "warmth_cold_due": 1_800_000_000,
        "warmth_moved_at": moment,
    }


def _insert(
    connection: Connection,
    table: Any,
    rows: list[dict[str, Any]],
    cancel: Callable[[], bool],
) -> None:
    for start in range(0, len(rows), INSERT_CHUNK):
        if cancel():
            raise _Cancelled
        insert_rows(connection, table, rows[start : start + INSERT_CHUNK])


def generate_demo(
    database: Database,
    *,
    people: int = 2000,
    seed: int = 1,
    as_of: date,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    if_empty: bool = False,
) -> DemoSummary | None:
    """Fill an empty database with a demo network; None if cancelled (nothing written) or,
    with ``if_empty``, when the database already holds people.

    The emptiness check and the ids are read under the write lock: a second demo run at the
    same time waits for the first and then finds the database full (DatabaseNotEmpty).
    """
    if people < 1 or people > 1_000_000:
        raise UsageError("--people must be between 1 and 1,000,000.")
    report = progress or (lambda _stage, _fraction: None)
    cancel = cancelled or (lambda: False)
    with gc_paused():
        return _generate(database, people, seed, as_of, report, cancel, if_empty)


class DatabaseNotEmpty(KnownError):
    """The demo only fills an empty database; ``--if-empty`` turns this into a no-op."""


def _people_in(connection: Connection) -> int:
    return int(connection.execute(select(func.count(Person.id))).scalar_one())


def _generate(
    database: Database,
    people: int,
    seed: int,
    as_of: date,
    report: Progress,
    cancel: Callable[[], bool],
    if_empty: bool = False,
) -> DemoSummary | None:
    generator = _Generator(people, seed, as_of)
    report("Inventing people", 0.0)
    generator.organizations_pool()
    # Every table written here, with the indexes to build once the rows are in.
    tables = (
        Organization,
        Person,
        PersonEmail,
        PersonPhone,
        PersonTag,
        PersonInterest,
        Opportunity,
        Candidacy,
        StageChange,
        Interaction,
        FollowUp,
        Article,
    )
    templates = [
        {"name": name, "purpose": purpose, "subject": subject, "body": body}
        # The app's own starter set (core/templates.py), so the demo reads like a new desk.
        for name, purpose, subject, body in STARTER_TEMPLATES
    ]
    try:
        with database.write() as connection:
            existing = _people_in(connection)
            if existing and if_empty:
                return None
            if existing:
                raise DatabaseNotEmpty(
                    f"The database {database.display_location} already holds {existing} "
                    "people; the demo network only fills an empty database "
                    "(choose another with --db)."
                )
            # Into an empty database, building each index once from sorted data is several
            # times faster than updating it row by row (the interactions' three indexes
            # were most of the write time). Same transaction: a cancel leaves them intact.
            indexes = [index for table in tables for index in cast(Table, table.__table__).indexes]
            for index in indexes:
                index.drop(connection)
            # The interaction search likewise: indexed in one pass at the end.
            searchable = interaction_search.suspend(connection)
            _insert(connection, Organization, generator.organizations, cancel)
            for person_id in range(1, people + 1):
                generator.person(person_id)
                if person_id % 5_000 == 0 or person_id == people:
                    generator.write_people(connection, cancel)
                    report("Inventing and writing people", 0.75 * person_id / people)
            report("Writing roles and pipelines", 0.75)
            generator.opportunities_and_pipeline()
            generator.follow_ups_and_articles()
            for table, rows in (
                (Opportunity, generator.opportunities),
                (Candidacy, generator.candidacies),
                (StageChange, generator.stage_changes),
                (Interaction, generator.interactions),
                (FollowUp, generator.follow_ups),
                (Article, generator.articles),
                (Template, templates),
            ):
                _insert(connection, table, rows, cancel)
            report("Indexing", 0.78)
            # People's indexes once their last touches and stored warmth inputs are in:
            # built from the final values rather than updated person by person (those on
            # the warmth moments were left a tenth empty).
            people_indexes = [i for i in indexes if i.table is Person.__table__]
            for index in indexes:
                if index not in people_indexes:
                    index.create(connection)
            report("Computing last touches", 0.86)
            touch.refresh_touch(connection)
            database.settle(connection)
            for index in people_indexes:
                index.create(connection)
            report("Building the search index", 0.9)
            search_index.reindex(connection)
            if searchable:
                interaction_search.resume(connection)
            catch_up_sequences(connection)
            if cancel():
                raise _Cancelled
    except _Cancelled:
        return None
    report("Done", 1.0)
    return DemoSummary(
        people=generator.written["people"],
        interactions=generator.written["interactions"] + len(generator.interactions),
        organizations=len(generator.organizations),
        opportunities=len(generator.opportunities),
        candidacies=len(generator.candidacies),
        follow_ups=len(generator.follow_ups),
        articles=len(generator.articles),
    )
