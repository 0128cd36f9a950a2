"""Finding people entered twice, and merging them without losing anything."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from recruiter_desk.core.identity import (
    SAME_EMAIL,
    SAME_NAME,
    SAME_PROFILE,
    Identity,
    PersonValues,
    display_name,
    email_key,
    linkedin_key,
    merge_into,
    name_key,
    same_person,
    sort_key,
)
from recruiter_desk.core.people import PersonLists, PersonRow, person_lists
from recruiter_desk.core.records import OWN_FIELDS, PersonFields
from recruiter_desk.core.trash import DeletedPeople, put_back, snapshot_people
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


@dataclass(frozen=True)
class ProbableMatch:
    """Someone already in the network who is probably the person being added, and why."""

    person_id: int
    name: str
    reason: str  # one of core.identity's SAME_* reasons


def _identities(connection: Connection, ids: Iterable[int]) -> dict[int, tuple[str, Identity]]:
    """Display name and same-person keys of these people."""
    wanted = sorted(set(ids))
    lists = person_lists(connection, wanted)
    found: dict[int, tuple[str, Identity]] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        for row in connection.execute(
            select(
                Person.id, Person.first_name, Person.last_name, Person.company, Person.linkedin_url
            ).where(Person.id.in_(chunk))
        ):
            emails = lists[row.id].emails if row.id in lists else []
            found[row.id] = (
                display_name(row.first_name, row.last_name, emails, row.id),
                Identity.of(row.first_name, row.last_name, row.company, emails, row.linkedin_url),
            )
    return found


def probable_matches(
    connection: Connection, values: PersonFields, ignore: int | None = None
) -> list[ProbableMatch]:
    """Existing people the same-person rule says ``values`` is (the "already here?" warning)."""
    wanted = Identity.of(
        values.first_name, values.last_name, values.company, values.emails, values.linkedin_url
    )
    candidates: list[int] = []
    if wanted.email_keys:
        candidates += connection.execute(
            select(PersonEmail.person_id).where(PersonEmail.address_key.in_(wanted.email_keys))
        ).scalars()
    for key, column in (
        (wanted.linkedin_key, Person.linkedin_key),
        (wanted.name_key, Person.name_key),
    ):
        if key:
            candidates += connection.execute(select(Person.id).where(column == key)).scalars()
    candidates = [c for c in dict.fromkeys(candidates) if c != ignore]
    known = _identities(connection, candidates)
    matches = []
    for person_id in candidates:
        if person_id in known:
            name, identity = known[person_id]
            reason = same_person(wanted, identity)
            if reason:
                matches.append(ProbableMatch(person_id, name, reason))
    return matches


@dataclass(frozen=True)
class DuplicatePair:
    keep_id: int
    other_id: int
    reason: str  # one of core.identity's SAME_* reasons


@dataclass(frozen=True)
class DuplicateView:
    """A proposed pair as the dialog shows it: both people, the reason and its evidence."""

    keep: PersonRow
    other: PersonRow
    reason: str
    evidence: str

    @classmethod
    def of(cls, pair: DuplicatePair, keep: PersonRow, other: PersonRow) -> DuplicateView:
        if pair.reason == SAME_EMAIL:
            theirs = {email_key(e) for e in other.emails}
            evidence = ", ".join(e for e in keep.emails if email_key(e) in theirs)
        elif pair.reason == SAME_PROFILE:
            evidence = keep.linkedin_url or ""
        else:
            evidence = " at ".join(p for p in (keep.full_name, keep.company) if p)
        return cls(keep, other, pair.reason, evidence)


def find_duplicates(connection: Connection, limit: int = 500) -> list[DuplicatePair]:
    """Pairs the same-person rule accepts, strongest evidence first; the older record is
    the one to keep. Shared keys only propose candidates; ``same_person`` decides."""
    candidates: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    sources = (
        (PersonEmail.address_key, PersonEmail.person_id),
        (Person.linkedin_key, Person.id),
        (Person.name_key, Person.id),
    )
    for key, owner in sources:
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
            for position, keep in enumerate(ids):
                for other in ids[position + 1 :]:
                    if (keep, other) not in seen:
                        seen.add((keep, other))
                        candidates.append((keep, other))
    known = _identities(connection, {i for pair in candidates for i in pair})
    pairs: list[DuplicatePair] = []
    for keep, other in candidates:
        if keep in known and other in known:
            reason = same_person(known[keep][1], known[other][1])
            if reason:
                pairs.append(DuplicatePair(keep, other, reason))
    order = (SAME_EMAIL, SAME_PROFILE, SAME_NAME)
    pairs.sort(key=lambda p: order.index(p.reason))
    return pairs[:limit]


@dataclass(frozen=True)
class Merged:
    """A merge that happened, with both people as they were, so it can be undone."""

    keep_id: int
    other_id: int
    before: DeletedPeople


def merge_people(database: Database, keep_id: int, other_id: int, now: datetime) -> Merged:
    """Fold ``other`` into ``keep`` by the identity merge rule (``core.identity.merge_into``);
    every interaction, candidacy and follow-up moves to ``keep``. One transaction."""
    if keep_id == other_id:
        raise KnownError("A person cannot be merged with themselves.")
    with database.connect() as connection:
        rows = {
            row.id: row
            for row in connection.execute(
                select(
                    Person.id,
                    Person.organization_id,
                    Person.work_modes,
                    Person.links,
                    *(getattr(Person, f) for f in OWN_FIELDS),
                ).where(Person.id.in_((keep_id, other_id)))
            )
        }
        if keep_id not in rows or other_id not in rows:
            missing = other_id if keep_id in rows else keep_id
            raise NotFoundError(f"There is no person with id {missing}.")
        before = snapshot_people(connection, [keep_id, other_id])
        lists = person_lists(connection, [keep_id, other_id])
        keep, other = (_values(rows[i], lists.get(i, PersonLists())) for i in (keep_id, other_id))
        outcome = merge_into(keep, other)
        fields = keep.fields
        changes = {name: fields[name] for name in outcome.changed if name in OWN_FIELDS}
        if "company" in outcome.changed:
            changes["organization_id"] = rows[other_id].organization_id
        connection.execute(
            update(Person)
            .where(Person.id == keep_id)
            .values(
                **changes,
                links=keep.links,
                work_modes=keep.work_modes,
                linkedin_key=linkedin_key(fields["linkedin_url"]),
                name_key=name_key(fields["first_name"], fields["last_name"], fields["company"]),
                sort_key=sort_key(fields["first_name"], fields["last_name"]),
                updated_at=now,
            )
        )
        both = (keep_id, other_id)
        for table in (PersonEmail, PersonPhone, PersonTag, PersonInterest):
            connection.execute(delete(table).where(table.person_id.in_(both)))
        for table, rows_of in (
            (
                PersonEmail,
                [
                    {"person_id": keep_id, "address": a, "address_key": email_key(a), "position": i}
                    for i, a in enumerate(keep.emails)
                ],
            ),
            (
                PersonPhone,
                [
                    {"person_id": keep_id, "number": n, "position": i}
                    for i, n in enumerate(keep.phones)
                ],
            ),
            (PersonTag, [{"person_id": keep_id, "tag": t} for t in keep.tags]),
            (PersonInterest, [{"person_id": keep_id, "topic": t} for t in keep.interests]),
        ):
            if rows_of:
                connection.execute(insert(table), rows_of)
        mine = set(
            connection.execute(
                select(ImportBatchItem.batch_id).where(ImportBatchItem.person_id == keep_id)
            ).scalars()
        )
        connection.execute(
            update(ImportBatchItem)
            .where(ImportBatchItem.person_id == other_id, ImportBatchItem.batch_id.not_in(mine))
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
    return Merged(keep_id, other_id, before)


def undo_merge(database: Database, merged: Merged) -> None:
    """Both people back exactly as they were before ``merged``, ids and history included."""
    with database.connect() as connection:
        put_back(connection, merged.before, replace=True)


def _values(row: Any, lists: PersonLists) -> PersonValues:
    return PersonValues(
        {f: getattr(row, f) for f in OWN_FIELDS},
        row.work_modes,
        list(lists.emails),
        list(lists.phones),
        list(lists.tags),
        list(lists.interests),
        list(row.links or []),
    )
