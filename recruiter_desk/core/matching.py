"""Who fits a role, and who is left out and why (docs/rules.md, "Preference conflict").

The pool is the people whose title names the role (every role word, seniority aside, found
through the title column of the search index) or whose interests meet its skills. From the
pool, do-not-contact people, people not looking, and people whose known work modes exclude
the role's are left out, each with its reason. The rest are ranked: a known preference that
matches before an unknown one, then (for hybrid and on-site roles) people known to be
elsewhere last, then more open, then a title match and more shared skills, then warmer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Connection, case, func, literal, select, union

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import fold, sort_key
from recruiter_desk.core.opportunities import OpportunitySummary, opportunities_select
from recruiter_desk.core.people import PeopleQuery, PersonRow, list_people, people_statement
from recruiter_desk.core.vocabulary import WORK_MODE_BITS
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db import search_index
from recruiter_desk.db.models import (
    Candidacy,
    Opportunity,
    Organization,
    Person,
    PersonInterest,
    StageChange,
)
from recruiter_desk.errors import NotFoundError

SENIORITY_WORDS = {
    "senior",
    "sr",
    "staff",
    "lead",
    "principal",
    "junior",
    "jr",
    "head",
    "of",
    "the",
    "and",
    "i",
    "ii",
    "iii",
    "iv",
    "mid",
    "level",
    "associate",
    "intern",
    "chief",
    "a",
    "an",
    "for",
}
OPENNESS_RANK = {"active": 0, "open": 1, "not_looking": 2}


@dataclass(frozen=True)
class Fit:
    person: PersonRow
    preference: str  # "match" or "unknown"
    openness: str
    title_match: bool
    shared_skills: list[str]
    location_fit: bool | None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.person.to_json(),
            "openness": self.openness,
            "preference": self.preference,
            "title_match": self.title_match,
            "shared_skills": self.shared_skills,
            "location_fit": self.location_fit,
        }


@dataclass(frozen=True)
class Exclusion:
    person: PersonRow
    reason: str  # "work_mode" | "do_not_contact" | "not_looking"

    def to_json(self) -> dict[str, Any]:
        return {"person": self.person.to_json(), "reason": self.reason}


@dataclass(frozen=True)
class Matches:
    opportunity: OpportunitySummary
    fits: list[Fit]
    excluded: list[Exclusion]

    def to_json(self) -> dict[str, Any]:
        return {
            "opportunity": self.opportunity.to_json(),
            "fits": [f.to_json() for f in self.fits],
            "excluded": [e.to_json() for e in self.excluded],
        }


def conflicts(person_bits: int, role_bit: int) -> bool:
    """The preference conflict: known work modes of the person that exclude the role's."""
    return bool(person_bits and role_bit and not person_bits & role_bit)


def _plain(value: str) -> str:
    return fold(value).strip()


def same_place(a: str, b: str) -> bool:
    """``Berlin`` and ``Berlin, Germany`` are the same place; ``München`` and ``Munchen`` too."""
    first_a, first_b = _plain(a.split(",")[0]), _plain(b.split(",")[0])
    return bool(first_a) and first_a == first_b


def role_words(title: str) -> list[str]:
    words = re.findall(r"\w+", fold(title))
    return [w for w in words if w not in SENIORITY_WORDS and len(w) > 1]


def load_opportunity(connection: Connection, opportunity_id: int) -> OpportunitySummary:
    row = connection.execute(
        opportunities_select().where(Opportunity.id == opportunity_id)
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
    return OpportunitySummary(
        id=row.id,
        title=row.title,
        company=row.name or "",
        work_mode=row.work_mode,
        location=row.location,
        status=row.status,
        skills=[s.lower() for s in row.skills or []],
    )


def candidate_pool(connection: Connection, opportunity: OpportunitySummary) -> Any:
    """Ids of people relevant to the role, as SQL (it may hold tens of thousands)."""
    parts = []
    words = role_words(opportunity.title)
    titled = (
        search_index.matching_ids(connection, " ".join(words), field="title", prefix=False)
        if words and search_index.is_supported(connection)
        else None
    )
    if titled is not None:
        parts.append(titled)
    elif words:
        parts.append(select(Person.id).where(*(Person.title.ilike(f"%{w}%") for w in words)))
    if opportunity.skills:
        # One shared interest is too weak a signal for a role with several skills.
        needed = min(2, len(opportunity.skills))
        parts.append(
            select(PersonInterest.person_id)
            .where(PersonInterest.topic.in_(opportunity.skills))
            .group_by(PersonInterest.person_id)
            .having(func.count() >= needed)
        )
    if not parts:
        return None
    return union(*parts) if len(parts) > 1 else parts[0]


class _Candidate(NamedTuple):
    """One pool member, light enough to build thousands of per match."""

    id: int
    first_name: str
    last_name: str
    work_modes: int
    openness: str
    do_not_contact: bool
    location: str
    title: str
    ratio: float
    shared_skills: int


def _candidates(
    connection: Connection,
    pool: Any,
    skills: list[str],
    as_of: AsOf,
    policy: WarmthPolicy,
) -> list[_Candidate]:
    """Only what ranking needs, for the whole pool (full records come for the shown few)."""
    statement = people_statement(connection, PeopleQuery(within=pool), as_of, policy)
    columns = statement.selected_columns
    shared = (
        select(func.count())
        .where(PersonInterest.person_id == Person.id, PersonInterest.topic.in_(skills))
        .scalar_subquery()
    )
    light = statement.with_only_columns(
        Person.id,
        Person.first_name,
        Person.last_name,
        Person.work_modes,
        Person.openness,
        Person.do_not_contact,
        Person.location,
        Person.title,
        columns.ratio,
        shared if skills else literal(0),
    ).order_by(None)
    return [_Candidate._make(row) for row in connection.execute(light).all()]


def matches_for(
    connection: Connection,
    opportunity_id: int,
    as_of: AsOf,
    policy: WarmthPolicy,
    *,
    limit: int | None = 50,
) -> Matches:
    opportunity = load_opportunity(connection, opportunity_id)
    pool = candidate_pool(connection, opportunity)
    if pool is None:
        return Matches(opportunity, [], [])
    candidates = _candidates(connection, pool, opportunity.skills, as_of, policy)
    title_words = role_words(opportunity.title)
    role_bit = WORK_MODE_BITS.get(opportunity.work_mode or "", 0)
    place_matters = opportunity.work_mode in ("hybrid", "onsite") and bool(opportunity.location)
    # Titles and places repeat across a network: decide each distinct one once.
    place_fit: dict[str, bool | None] = {"": None}
    title_fit: dict[str, bool] = {}
    fits: list[tuple[tuple[Any, ...], _Candidate, bool | None, bool]] = []
    excluded: list[tuple[str, _Candidate]] = []
    for candidate in candidates:
        bits = candidate.work_modes
        if candidate.do_not_contact:
            excluded.append(("do_not_contact", candidate))
        elif conflicts(bits, role_bit):
            excluded.append(("work_mode", candidate))
        elif candidate.openness == "not_looking":
            excluded.append(("not_looking", candidate))
        else:
            location_fit = None
            if place_matters:
                if candidate.location not in place_fit:
                    place_fit[candidate.location] = same_place(
                        candidate.location, opportunity.location
                    )
                location_fit = place_fit[candidate.location]
            if candidate.title not in title_fit:
                title_fit[candidate.title] = _title_has(candidate.title, title_words)
            title_match = title_fit[candidate.title]
            rank = (
                not (bits and role_bit),
                location_fit is False,
                OPENNESS_RANK.get(candidate.openness, 1),
                not title_match,
                -candidate.shared_skills,
                candidate.ratio,
                candidate.id,
            )
            fits.append((rank, candidate, location_fit, title_match))
    fits.sort(key=lambda f: f[0])
    excluded.sort(key=lambda e: (e[0], sort_key(e[1].first_name, e[1].last_name), e[1].id))
    if limit is not None:
        fits, excluded = fits[:limit], excluded[:limit]
    shown = [f[1].id for f in fits] + [e[1].id for e in excluded]
    skills_of: dict[int, list[str]] = {}
    if opportunity.skills and shown:
        for person_id, topic in connection.execute(
            select(PersonInterest.person_id, PersonInterest.topic).where(
                PersonInterest.topic.in_(opportunity.skills),
                PersonInterest.person_id.in_(shown),
            )
        ):
            skills_of.setdefault(person_id, []).append(topic)
    rows = {r.id: r for r in list_people(connection, PeopleQuery(ids=tuple(shown)), as_of, policy)}
    return Matches(
        opportunity,
        [
            Fit(
                person=rows[candidate.id],
                preference="match" if candidate.work_modes and role_bit else "unknown",
                openness=candidate.openness,
                title_match=title_match,
                shared_skills=sorted(skills_of.get(candidate.id, [])),
                location_fit=location_fit,
            )
            for _rank, candidate, location_fit, title_match in fits
        ],
        [Exclusion(rows[candidate.id], reason) for reason, candidate in excluded],
    )


def _title_has(title: str, words: list[str]) -> bool:
    present = set(re.findall(r"\w+", fold(title)))
    return bool(words) and all(any(p.startswith(w) for p in present) for w in words)


# -- silver medalists ------------------------------------------------------------------------

# How far a closed candidacy got, for "reached shortlisted or offer" (the later wins).
_SILVER_STAGES = ("shortlisted", "offer")


@dataclass(frozen=True)
class SilverMedalist:
    """Someone who reached the shortlist or an offer on an earlier role and was not chosen."""

    person: PersonRow
    opportunity_id: int
    opportunity_title: str
    company: str
    reached: str  # "shortlisted" | "offer"
    closed_on: date
    closed_by: str | None
    close_reason: str | None
    similar: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "person": self.person.to_json(),
            "opportunity": {
                "id": self.opportunity_id,
                "title": self.opportunity_title,
                "company": self.company,
            },
            "reached": self.reached,
            "closed_on": self.closed_on.isoformat(),
            "closed_by": self.closed_by,
            "close_reason": self.close_reason,
            "similar": self.similar,
        }


def silver_medalists(
    connection: Connection, opportunity_id: int, as_of: AsOf, policy: WarmthPolicy
) -> list[SilverMedalist]:
    """For a role: people not selected on another role after reaching shortlisted or offer,
    not already on this one, never do-not-contact or in conflict with its work mode; those
    from a similar role (a shared role word or skill) first, then offer before shortlist,
    then the most recent."""
    opportunity = load_opportunity(connection, opportunity_id)
    reached = (
        select(
            StageChange.candidacy_id,
            func.max(case((StageChange.stage == "offer", 2), else_=1)).label("rank"),
        )
        .where(StageChange.stage.in_(_SILVER_STAGES))
        .group_by(StageChange.candidacy_id)
        .subquery()
    )
    on_this_role = select(Candidacy.person_id).where(Candidacy.opportunity_id == opportunity_id)
    rows = connection.execute(
        select(
            Candidacy.person_id,
            Candidacy.opportunity_id,
            Candidacy.stage_changed_at,
            Candidacy.closed_by,
            Candidacy.close_reason,
            reached.c.rank,
            Opportunity.title,
            Opportunity.skills,
            Organization.name,
            Person.work_modes,
        )
        .join(reached, reached.c.candidacy_id == Candidacy.id)
        .join(Opportunity, Opportunity.id == Candidacy.opportunity_id)
        .outerjoin(Organization, Organization.id == Opportunity.organization_id)
        .join(Person, Person.id == Candidacy.person_id)
        .where(
            Candidacy.stage == "not_selected",
            Candidacy.opportunity_id != opportunity_id,
            Candidacy.person_id.not_in(on_this_role),
            Person.do_not_contact.is_(False),
        )
    ).all()
    role_bit = WORK_MODE_BITS.get(opportunity.work_mode or "", 0)
    words = set(role_words(opportunity.title))
    skills = set(opportunity.skills)
    best: dict[int, tuple[tuple[Any, ...], Any, bool]] = {}
    for row in rows:
        if conflicts(row.work_modes, role_bit):
            continue
        similar = bool(words & set(role_words(row.title))) or bool(
            skills & {s.lower() for s in row.skills or []}
        )
        key = (not similar, -row.rank, -row.stage_changed_at.timestamp(), row.person_id)
        if row.person_id not in best or key < best[row.person_id][0]:
            best[row.person_id] = (key, row, similar)
    ranked = sorted(best.values(), key=lambda b: b[0])
    people = {p.id: p for p in list_people(connection, PeopleQuery(ids=tuple(best)), as_of, policy)}
    return [
        SilverMedalist(
            person=people[row.person_id],
            opportunity_id=row.opportunity_id,
            opportunity_title=row.title,
            company=row.name or "",
            reached=_SILVER_STAGES[row.rank - 1],
            closed_on=as_of.local_date(row.stage_changed_at),
            closed_by=row.closed_by,
            close_reason=row.close_reason,
            similar=similar,
        )
        for _key, row, similar in ranked
        if row.person_id in people
    ]
