"""Who fits a role, and who is left out and why (DESIGN.md §2, preference conflict).

The pool is the people whose title names the role (every role word, seniority aside, found
through the title column of the search index) or whose interests meet its skills. From the
pool, do-not-contact people, people not looking, and people whose known work modes exclude
the role's are left out, each with its reason. The rest are ranked: a known preference that
matches before an unknown one, then (for hybrid and on-site roles) people known to be
elsewhere last, then more open, then a title match and more shared skills, then warmer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Integer, column, func, select, text, union

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.people import PeopleQuery, PersonRow, list_people, with_lists
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db import search_index
from recruiter_desk.db.models import (
    WORK_MODE_BITS,
    Opportunity,
    Organization,
    Person,
    PersonInterest,
    work_modes_to_bits,
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
class OpportunitySummary:
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


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", search_index.fold(value))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def same_place(a: str, b: str) -> bool:
    """``Berlin`` and ``Berlin, Germany`` are the same place; ``München`` and ``Munchen`` too."""
    first_a, first_b = _plain(a.split(",")[0]), _plain(b.split(",")[0])
    return bool(first_a) and first_a == first_b


def role_words(title: str) -> list[str]:
    words = re.findall(r"\w+", search_index.fold(title).lower())
    return [w for w in words if w not in SENIORITY_WORDS and len(w) > 1]


def load_opportunity(connection: Connection, opportunity_id: int) -> OpportunitySummary:
    row = connection.execute(
        select(
            Opportunity.id,
            Opportunity.title,
            Organization.name,
            Opportunity.work_mode,
            Opportunity.location,
            Opportunity.status,
            Opportunity.skills,
        )
        .outerjoin(Organization, Organization.id == Opportunity.organization_id)
        .where(Opportunity.id == opportunity_id)
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
    if words and search_index.is_supported(connection):
        expression = " AND ".join(f'title : "{w}"' for w in words)
        parts.append(
            select(column("rowid", Integer))
            .select_from(text(search_index.FTS_TABLE))
            .where(
                text(f"{search_index.FTS_TABLE} MATCH :role_title").bindparams(
                    role_title=expression
                )
            )
        )
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
    rows = list_people(connection, PeopleQuery(within=pool), as_of, policy, with_lists=False)
    title_words = role_words(opportunity.title)
    skills_of: dict[int, list[str]] = {}
    if opportunity.skills:
        for person_id, topic in connection.execute(
            select(PersonInterest.person_id, PersonInterest.topic).where(
                PersonInterest.topic.in_(opportunity.skills), PersonInterest.person_id.in_(pool)
            )
        ):
            skills_of.setdefault(person_id, []).append(topic)
    role_bit = WORK_MODE_BITS.get(opportunity.work_mode or "", 0)
    place_matters = opportunity.work_mode in ("hybrid", "onsite") and bool(opportunity.location)
    fits: list[Fit] = []
    excluded: list[Exclusion] = []
    for row in rows:
        bits = work_modes_to_bits(row.work_modes)
        if row.do_not_contact:
            excluded.append(Exclusion(row, "do_not_contact"))
        elif bits and role_bit and not bits & role_bit:
            excluded.append(Exclusion(row, "work_mode"))
        elif row.openness == "not_looking":
            excluded.append(Exclusion(row, "not_looking"))
        else:
            location_fit = (
                same_place(row.location, opportunity.location)
                if place_matters and row.location
                else None
            )
            fits.append(
                Fit(
                    person=row,
                    preference="match" if bits and role_bit else "unknown",
                    openness=row.openness,
                    title_match=_title_has(row.title, title_words),
                    shared_skills=sorted(skills_of.get(row.id, [])),
                    location_fit=location_fit,
                )
            )
    fits.sort(
        key=lambda f: (
            f.preference != "match",
            f.location_fit is False,
            OPENNESS_RANK.get(f.openness, 1),
            not f.title_match,
            -len(f.shared_skills),
            f.person.warmth if f.person.warmth is not None else 99.0,
            f.person.id,
        )
    )
    excluded.sort(key=lambda e: (e.reason, e.person.full_name.lower(), e.person.id))
    if limit is not None:
        fits, excluded = fits[:limit], excluded[:limit]
    full = {
        r.id: r
        for r in with_lists(connection, [*(f.person for f in fits), *(e.person for e in excluded)])
    }
    return Matches(
        opportunity,
        [replace(f, person=full[f.person.id]) for f in fits],
        [replace(e, person=full[e.person.id]) for e in excluded],
    )


def _title_has(title: str, words: list[str]) -> bool:
    present = set(re.findall(r"\w+", search_index.fold(title).lower()))
    return bool(words) and all(any(p.startswith(w) for p in present) for w in words)
