"""Finding people entered twice, and merging them without losing anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update

from recruiter_desk.core.normalize import email_key, linkedin_key, name_key, sort_key
from recruiter_desk.core.records import PersonFields
from recruiter_desk.db import search_index, touch
from recruiter_desk.db.models import (
    Candidacy,
    FollowUp,
    ImportBatchItem,
    Interaction,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
    StageChange,
)
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, NotFoundError


def probable_matches(
    connection: Connection, values: PersonFields, ignore: int | None = None
) -> list[int]:
    """Existing people who are probably the same as ``values`` (for the "already here?" warning)."""
    found: list[int] = []
    keys = [email_key(e) for e in values.emails if e.strip()]
    if keys:
        found += (
            connection.execute(
                select(PersonEmail.person_id).where(PersonEmail.address_key.in_(keys))
            )
            .scalars()
            .all()
        )
    profile = linkedin_key(values.linkedin_url)
    if profile:
        found += (
            connection.execute(select(Person.id).where(Person.linkedin_key == profile))
            .scalars()
            .all()
        )
    name = name_key(values.first_name, values.last_name, values.company)
    if name:
        found += (
            connection.execute(select(Person.id).where(Person.name_key == name)).scalars().all()
        )
    unique: list[int] = []
    for person_id in found:
        if person_id != ignore and person_id not in unique:
            unique.append(person_id)
    return unique


@dataclass(frozen=True)
class DuplicatePair:
    keep_id: int
    other_id: int
    reason: str  # "same email" | "same LinkedIn profile" | "same name and company"


def find_duplicates(connection: Connection, limit: int = 500) -> list[DuplicatePair]:
    """Likely pairs, strongest evidence first; the older record is the one to keep."""
    pairs: list[DuplicatePair] = []
    seen: set[tuple[int, int]] = set()
    sources = (
        ("same email", PersonEmail.address_key, PersonEmail.person_id),
        ("same LinkedIn profile", Person.linkedin_key, Person.id),
        ("same name and company", Person.name_key, Person.id),
    )
    for reason, key, owner in sources:
        groups = (
            select(key)
            .where(key.is_not(None), key != "")
            .group_by(key)
            .having(func.count(func.distinct(owner)) > 1)
            .limit(limit)
        )
        rows = connection.execute(
            select(key, owner).where(key.in_(groups)).order_by(key, owner)
        ).all()
        members: dict[object, list[int]] = {}
        for value, person_id in rows:
            if person_id not in members.setdefault(value, []):
                members[value].append(person_id)
        for ids in members.values():
            keep = ids[0]
            for other in ids[1:]:
                pair = (keep, other)
                if pair not in seen:
                    seen.add(pair)
                    pairs.append(DuplicatePair(keep, other, reason))
        if len(pairs) >= limit:
            break
    return pairs[:limit]


def merge_people(database: Database, keep_id: int, other_id: int, now: datetime) -> None:
    """Fold ``other`` into ``keep``: every email, phone, tag, interest, interaction,
    candidacy and follow-up is kept; ``keep``'s own fields win, empty ones are filled."""
    if keep_id == other_id:
        raise KnownError("A person cannot be merged with themselves.")
    with database.connect() as connection:
        people = {
            row.id: row
            for row in connection.execute(select(Person).where(Person.id.in_((keep_id, other_id))))
        }
        if keep_id not in people or other_id not in people:
            missing = other_id if keep_id in people else keep_id
            raise NotFoundError(f"There is no person with id {missing}.")
        keep, other = people[keep_id], people[other_id]
        filled = {}
        for field in (
            "first_name",
            "last_name",
            "company",
            "organization_id",
            "title",
            "location",
            "linkedin_url",
            "linkedin_key",
            "cadence_days",
            "connected_on",
            "source",
        ):
            if getattr(keep, field) in (None, "") and getattr(other, field) not in (None, ""):
                filled[field] = getattr(other, field)
        if not keep.work_modes and other.work_modes:
            filled["work_modes"] = other.work_modes
        if other.notes and other.notes not in keep.notes:
            filled["notes"] = f"{keep.notes}\n\n{other.notes}".strip()
        if other.do_not_contact:
            filled["do_not_contact"] = True
        if other.connected_on and keep.connected_on and other.connected_on < keep.connected_on:
            filled["connected_on"] = other.connected_on
        filled["links"] = list(dict.fromkeys([*(keep.links or []), *(other.links or [])]))
        filled["updated_at"] = now
        first = filled.get("first_name", keep.first_name)
        last = filled.get("last_name", keep.last_name)
        filled["name_key"] = name_key(first, last, filled.get("company", keep.company))
        filled["sort_key"] = sort_key(first, last)
        connection.execute(update(Person).where(Person.id == keep_id).values(**filled))

        known_emails = set(
            connection.execute(
                select(PersonEmail.address_key).where(PersonEmail.person_id == keep_id)
            ).scalars()
        )
        position = len(known_emails)
        for email_id, key in connection.execute(
            select(PersonEmail.id, PersonEmail.address_key)
            .where(PersonEmail.person_id == other_id)
            .order_by(PersonEmail.position)
        ).all():
            if key in known_emails:
                connection.execute(delete(PersonEmail).where(PersonEmail.id == email_id))
            else:
                connection.execute(
                    update(PersonEmail)
                    .where(PersonEmail.id == email_id)
                    .values(person_id=keep_id, position=position)
                )
                known_emails.add(key)
                position += 1
        known_phones = set(
            connection.execute(
                select(PersonPhone.number).where(PersonPhone.person_id == keep_id)
            ).scalars()
        )
        position = len(known_phones)
        for phone_id, number in connection.execute(
            select(PersonPhone.id, PersonPhone.number).where(PersonPhone.person_id == other_id)
        ).all():
            if number in known_phones:
                connection.execute(delete(PersonPhone).where(PersonPhone.id == phone_id))
            else:
                connection.execute(
                    update(PersonPhone)
                    .where(PersonPhone.id == phone_id)
                    .values(person_id=keep_id, position=position)
                )
                position += 1
        for table, column in (
            (PersonTag, PersonTag.tag),
            (PersonInterest, PersonInterest.topic),
            (ImportBatchItem, ImportBatchItem.batch_id),
        ):
            mine = set(
                connection.execute(select(column).where(table.person_id == keep_id)).scalars()
            )
            for value in (
                connection.execute(select(column).where(table.person_id == other_id))
                .scalars()
                .all()
            ):
                if value not in mine:
                    connection.execute(
                        update(table)
                        .where(table.person_id == other_id, column == value)
                        .values(person_id=keep_id)
                    )
        for candidacy_id, opportunity_id in connection.execute(
            select(Candidacy.id, Candidacy.opportunity_id).where(Candidacy.person_id == other_id)
        ).all():
            clash = connection.execute(
                select(Candidacy.id).where(
                    Candidacy.person_id == keep_id, Candidacy.opportunity_id == opportunity_id
                )
            ).scalar()
            if clash is None:
                connection.execute(
                    update(Candidacy).where(Candidacy.id == candidacy_id).values(person_id=keep_id)
                )
            else:
                # Both were in the same process: one candidacy with both histories.
                connection.execute(
                    update(StageChange)
                    .where(StageChange.candidacy_id == candidacy_id)
                    .values(candidacy_id=clash)
                )
                latest = connection.execute(
                    select(StageChange.stage, StageChange.changed_at)
                    .where(StageChange.candidacy_id == clash)
                    .order_by(StageChange.changed_at.desc(), StageChange.id.desc())
                    .limit(1)
                ).one()
                connection.execute(
                    update(Candidacy)
                    .where(Candidacy.id == clash)
                    .values(stage=latest.stage, stage_changed_at=latest.changed_at)
                )
                connection.execute(delete(Candidacy).where(Candidacy.id == candidacy_id))
        for moved in (Interaction, FollowUp):
            connection.execute(
                update(moved).where(moved.person_id == other_id).values(person_id=keep_id)
            )
        connection.execute(delete(Person).where(Person.id == other_id))
        touch.refresh_touch(connection, [keep_id])
        search_index.reindex(connection, [keep_id, other_id])
