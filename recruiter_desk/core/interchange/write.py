"""Writing the JSON interchange format (docs/interchange.md): everything about the chosen
people, plus the records they point at, with ids that are unique in the file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import Connection, select

from recruiter_desk import __version__
from recruiter_desk.core.exports.people import ExportPerson, stored_time_iso
from recruiter_desk.core.interchange import FORMAT_NAME, VERSION, iso_day, iso_time
from recruiter_desk.db.models import (
    Article,
    Candidacy,
    FollowUp,
    Interaction,
    Opportunity,
    Organization,
    StageChange,
    Template,
)


def _ids(prefix: str, value: int | None) -> str | None:
    return f"{prefix}{value}" if value is not None else None


def write_json(
    connection: Connection,
    pages: Iterator[list[ExportPerson]],
    out: TextIO,
    now: datetime,
    tick: Callable[[int], None],
) -> int:
    people: list[dict[str, Any]] = []
    person_ids: list[int] = []
    for page in pages:
        for p in page:
            person_ids.append(p.id)
            people.append(
                {
                    "id": f"p{p.id}",
                    "first_name": p.first_name,
                    "last_name": p.last_name,
                    "full_name": p.full_name,
                    "emails": p.emails,
                    "phones": p.phones,
                    "company": p.company,
                    "title": p.title,
                    "location": p.location,
                    "linkedin_url": p.linkedin_url,
                    "links": p.links,
                    "tags": p.tags,
                    "interests": p.interests,
                    "work_modes": p.work_modes,
                    "do_not_contact": p.do_not_contact,
                    "last_touch": p.last_touch,
                    "warmth": p.warmth,
                    "status": p.status,
                    "openness": p.openness,
                    "is_applicant": p.is_applicant,
                    "cadence_days": p.cadence_days,
                    "snoozed_until": p.snoozed_until,
                    "source": p.source,
                    "notes": p.notes,
                    "connected_on": p.connected_on,
                    "created_at": stored_time_iso(p.created_at),
                }
            )
        tick(len(people))
    chosen = set(person_ids)

    def mine(rows: Sequence[Any]) -> list[Any]:
        return [r for r in rows if r.person_id in chosen]

    organizations = [
        {"id": f"org{r.id}", "name": r.name, "website": r.website, "notes": r.notes}
        for r in connection.execute(
            select(
                Organization.id, Organization.name, Organization.website, Organization.notes
            ).order_by(Organization.name, Organization.id)
        )
    ]
    opportunities = [
        {
            "id": f"opp{r.id}",
            "title": r.title,
            "organization_id": _ids("org", r.organization_id),
            "work_mode": r.work_mode,
            "location": r.location,
            "status": r.status,
            "skills": list(r.skills or []),
            "description": r.description,
            "created_at": iso_time(r.created_at),
        }
        for r in connection.execute(
            select(
                Opportunity.id,
                Opportunity.title,
                Opportunity.organization_id,
                Opportunity.work_mode,
                Opportunity.location,
                Opportunity.status,
                Opportunity.skills,
                Opportunity.description,
                Opportunity.created_at,
            ).order_by(Opportunity.id)
        )
    ]
    history: dict[int, list[dict[str, Any]]] = {}
    for r in connection.execute(
        select(StageChange.candidacy_id, StageChange.stage, StageChange.changed_at).order_by(
            StageChange.changed_at, StageChange.id
        )
    ):
        history.setdefault(r.candidacy_id, []).append(
            {"stage": r.stage, "changed_at": iso_time(r.changed_at)}
        )
    candidacies = [
        {
            "id": f"cand{r.id}",
            "person_id": f"p{r.person_id}",
            "opportunity_id": f"opp{r.opportunity_id}",
            "stage": r.stage,
            "history": history.get(r.id, []),
        }
        for r in mine(
            connection.execute(
                select(
                    Candidacy.id, Candidacy.person_id, Candidacy.opportunity_id, Candidacy.stage
                ).order_by(Candidacy.id)
            ).all()
        )
    ]
    interactions = []
    for start in range(0, len(person_ids), 900):
        for row in connection.execute(
            select(
                Interaction.id,
                Interaction.person_id,
                Interaction.kind,
                Interaction.direction,
                Interaction.occurred_at,
                Interaction.subject,
                Interaction.body,
                Interaction.opportunity_id,
            ).where(Interaction.person_id.in_(person_ids[start : start + 900]))
        ):
            interactions.append(row)
    interactions.sort(key=lambda r: r.id)
    follow_ups = [
        {
            "id": f"fu{r.id}",
            "person_id": f"p{r.person_id}",
            "due_on": iso_day(r.due_on),
            "reason": r.reason,
            "done_at": iso_time(r.done_at),
            "created_at": iso_time(r.created_at),
        }
        for r in mine(
            connection.execute(
                select(
                    FollowUp.id,
                    FollowUp.person_id,
                    FollowUp.due_on,
                    FollowUp.reason,
                    FollowUp.done_at,
                    FollowUp.created_at,
                ).order_by(FollowUp.id)
            ).all()
        )
    ]
    document = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "exported_at": iso_time(now),
        "app_version": __version__,
        "people": people,
        "organizations": organizations,
        "opportunities": opportunities,
        "candidacies": candidacies,
        "interactions": [
            {
                "id": f"i{r.id}",
                "person_id": f"p{r.person_id}",
                "kind": r.kind,
                "direction": r.direction,
                "occurred_at": iso_time(r.occurred_at),
                "subject": r.subject,
                "body": r.body,
                "opportunity_id": _ids("opp", r.opportunity_id),
            }
            for r in interactions
        ],
        "follow_ups": follow_ups,
        "articles": [
            {
                "id": f"a{r.id}",
                "url": r.url,
                "title": r.title,
                "topics": list(r.topics or []),
                "created_at": iso_time(r.created_at),
            }
            for r in connection.execute(
                select(
                    Article.id, Article.url, Article.title, Article.topics, Article.created_at
                ).order_by(Article.id)
            )
        ],
        "templates": [
            {
                "id": f"t{r.id}",
                "name": r.name,
                "purpose": r.purpose,
                "subject": r.subject,
                "body": r.body,
            }
            for r in connection.execute(
                select(
                    Template.id, Template.name, Template.purpose, Template.subject, Template.body
                ).order_by(Template.id)
            )
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(people)
