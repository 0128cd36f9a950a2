"""Merging incoming contacts into the network: match, fill what is empty, never erase.

Candidates are looked up by email, then LinkedIn profile, then name + company; the first
one that ``core.identity.same_person`` accepts is the match, and ``merge_into`` fills its
empty fields and adds new emails, phones, tags and interests (docs/rules.md, "Identity").
Nothing the recruiter entered is overwritten — except that a LinkedIn export is the
authority on someone's *current* job, so a new company or title there is a job change,
recorded on their timeline. People erased with ``forget`` are skipped.

Everything is looked up with a handful of set queries and written with bulk Core
statements, so 10k rows merge in well under two seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from recruiter_desk.core.identity import (
    Identity,
    PersonValues,
    display_name,
    email_key,
    linkedin_key,
    merge_into,
    name_key,
    readable_url,
    same_person,
    sort_key,
)
from recruiter_desk.core.imports.model import (
    NAMES_KEPT,
    FileReport,
    ImportCancelled,
    IncomingPerson,
    Problem,
)
from recruiter_desk.core.maintenance import forget_salt, forgotten_digests
from recruiter_desk.core.normalize import clean
from recruiter_desk.core.people import PersonLists, person_lists
from recruiter_desk.core.records import OWN_FIELDS, organization_ids
from recruiter_desk.core.vocabulary import work_modes_to_bits
from recruiter_desk.db import search_index
from recruiter_desk.db.models import (
    ForgottenIdentity,
    ImportBatch,
    ImportBatchItem,
    Interaction,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
)
from recruiter_desk.db.session import inserted_id

CHUNK = 500


@dataclass
class Draft:
    """A person as they will be after the import: loaded from the database or new.

    ``key`` is the person's id, or for someone new a negative number that only labels
    them inside the plan: ids are always the database's to give.
    """

    key: int
    is_new: bool
    values: dict[str, Any]
    work_modes: int
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    new_emails: list[str] = field(default_factory=list)
    new_phones: list[str] = field(default_factory=list)
    new_tags: list[str] = field(default_factory=list)
    new_interests: list[str] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    job_change: tuple[str, str, str, str] | None = None
    created_at: datetime | None = None

    @property
    def email_keys(self) -> set[str]:
        return {email_key(e) for e in self.emails}

    @property
    def has_changes(self) -> bool:
        return bool(
            self.changed
            or self.job_change
            or self.new_emails
            or self.new_phones
            or self.new_tags
            or self.new_interests
        )

    @property
    def name(self) -> str:
        return display_name(
            self.values["first_name"] or "",
            self.values["last_name"] or "",
            self.emails,
            self.key,
        )

    def as_values(self) -> PersonValues:
        """The same fields and lists (shared, not copied) as the identity rules see them."""
        return PersonValues(
            self.values,
            self.work_modes,
            self.emails,
            self.phones,
            self.tags,
            self.interests,
            self.links,
        )


@dataclass
class MergePlan:
    """Everything an import will write, worked out from reads alone; ``apply_merge`` writes
    it. The plan is all that passes between the two."""

    fmt: str
    added: list[Draft] = field(default_factory=list)
    updated: list[Draft] = field(default_factory=list)
    unchanged_ids: list[int] = field(default_factory=list)
    # People this import already added or counted (in an earlier part of the file) whom
    # this part changes again: written, not counted twice.
    rewritten: list[Draft] = field(default_factory=list)
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Interchange record id → draft key (a person id, or a new person's negative label).
    refs: dict[str, int] = field(default_factory=dict)

    @property
    def unchanged(self) -> int:
        return len(self.unchanged_ids)

    @property
    def job_changes(self) -> int:
        return sum(1 for d in self.updated if d.job_change)

    def report(self, report: FileReport) -> None:
        """Add the counts, names and problems to a file's report."""
        report.added += len(self.added)
        report.updated += len(self.updated)
        report.unchanged += self.unchanged
        report.skipped += self.skipped
        report.job_changes += self.job_changes
        report.add_problems(self.problems)
        report.add_names(
            [d.name for d in self.added[:NAMES_KEPT]], [d.name for d in self.updated[:NAMES_KEPT]]
        )


class IdSet:
    """Person ids as bits: what an import has added or counted so far, in 125 KB per
    million ids, whatever the file's size."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, person_id: int) -> None:
        byte = person_id >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(byte + 1 - len(self._bits) + 4096))
        self._bits[byte] |= 1 << (person_id & 7)

    def __contains__(self, person_id: object) -> bool:
        if not isinstance(person_id, int) or person_id < 0:
            return False
        byte = person_id >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (person_id & 7)))


@dataclass
class MergeRun:
    """One file's import, merged part by part in one transaction: a file of any size is
    read a few thousand contacts at a time, and each part sees the people the parts before
    it wrote (docs/architecture.md, "Imports stream")."""

    fmt: str
    source_name: str
    now: datetime
    batch_id: int | None = None
    added: int = 0
    updated: int = 0
    skipped: int = 0
    added_here: IdSet = field(default_factory=IdSet)
    counted: IdSet = field(default_factory=IdSet)

    def finish(self, connection: Connection) -> int | None:
        """Write the batch's counts; the batch id, or None for a file with no rows."""
        if self.batch_id is not None:
            connection.execute(
                update(ImportBatch)
                .where(ImportBatch.id == self.batch_id)
                .values(added=self.added, updated=self.updated, skipped=self.skipped)
            )
        return self.batch_id


@dataclass(frozen=True)
class AppliedMerge:
    batch_id: int | None
    # Draft key → person id, for everyone the plan added or touched.
    ids: dict[int, int]

    def person_id(self, key: int) -> int:
        return self.ids.get(key, key)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# -- planning (reads only) ---------------------------------------------------------------


def _lookup(
    connection: Connection, column: Any, owner: Any, keys: set[str]
) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for chunk in _chunks(sorted(keys)):
        for key, person_id in connection.execute(
            select(column, owner).where(column.in_(chunk)).order_by(owner)
        ):
            found.setdefault(key, []).append(person_id)
    return found


def _forgotten(connection: Connection, incoming: list[IncomingPerson]) -> set[int]:
    """Indexes of incoming contacts that belong to people the recruiter erased."""
    salt = forget_salt(connection)
    if salt is None:
        return set()
    digests_of = {
        i: forgotten_digests(connection, p.emails, p.linkedin_url, salt)
        for i, p in enumerate(incoming)
    }
    every = sorted({d for ds in digests_of.values() for d in ds})
    if not every:
        return set()
    known: set[str] = set()
    for chunk in _chunks(every):
        known.update(
            connection.execute(
                select(ForgottenIdentity.digest).where(ForgottenIdentity.digest.in_(chunk))
            ).scalars()
        )
    return {i for i, ds in digests_of.items() if known.intersection(ds)}


def _load(connection: Connection, ids: set[int]) -> dict[int, Draft]:
    drafts: dict[int, Draft] = {}
    columns = [getattr(Person, f) for f in OWN_FIELDS]
    for chunk in _chunks(sorted(ids)):
        lists = person_lists(connection, chunk)
        for row in connection.execute(
            select(Person.id, Person.work_modes, Person.links, *columns).where(Person.id.in_(chunk))
        ):
            own = lists.get(row.id, PersonLists())
            drafts[row.id] = Draft(
                key=row.id,
                is_new=False,
                values={f: getattr(row, f) for f in OWN_FIELDS},
                work_modes=row.work_modes,
                emails=own.emails,
                phones=own.phones,
                tags=own.tags,
                interests=own.interests,
                links=list(row.links or []),
            )
    return drafts


def plan_merge(
    connection: Connection,
    incoming: list[IncomingPerson],
    *,
    fmt: str,
    progress: Callable[[float], None],
    cancelled: Callable[[], bool],
    run: MergeRun | None = None,
) -> MergePlan:
    """Match every incoming contact and work out what changes; writes nothing.

    Run it in the transaction that applies it, after the write lock is taken: a plan made
    from reads outside that transaction can be stale by the time it is written. ``run``
    carries what earlier parts of the same file added and counted.
    """
    plan = MergePlan(fmt)
    earlier = run or MergeRun(fmt, "", datetime.min)
    # A LinkedIn export is the authority on someone's current job.
    linkedin_is_current = fmt == "linkedin"
    usable: list[IncomingPerson] = []
    for person in incoming:
        if person.linkedin_url and not readable_url(person.linkedin_url):
            plan.problems.append(
                Problem(
                    person.line,
                    f"the LinkedIn URL {person.linkedin_url!r} is not a web address; left out.",
                )
            )
            person = replace(person, linkedin_url=None)
        if person.has_identity:
            usable.append(person)
        else:
            plan.skipped += 1
            plan.problems.append(Problem(person.line, "no name or email; skipped."))
    forgotten = _forgotten(connection, usable)
    for index in sorted(forgotten):
        plan.skipped += 1
        plan.problems.append(
            Problem(usable[index].line, "this person was erased with 'forget'; skipped.")
        )
    usable = [p for i, p in enumerate(usable) if i not in forgotten]

    by_email = _lookup(
        connection,
        PersonEmail.address_key,
        PersonEmail.person_id,
        {email_key(e) for p in usable for e in p.emails},
    )
    by_linkedin = _lookup(
        connection,
        Person.linkedin_key,
        Person.id,
        {k for p in usable if (k := linkedin_key(p.linkedin_url))},
    )
    by_name = _lookup(
        connection,
        Person.name_key,
        Person.id,
        {k for p in usable if (k := name_key(p.first_name, p.last_name, p.company))},
    )
    matched_ids = {
        i for found in (by_email, by_linkedin, by_name) for ids in found.values() for i in ids
    }
    drafts = _load(connection, matched_ids)
    pending_email: dict[str, Draft] = {}
    pending_linkedin: dict[str, Draft] = {}
    pending_name: dict[str, list[Draft]] = {}
    targeted: dict[int, Draft] = {}
    for position, person in enumerate(usable):
        if position % 1000 == 0:
            if cancelled():
                raise ImportCancelled
            progress(position / max(1, len(usable)))
        identity = Identity.of(
            person.first_name,
            person.last_name,
            person.company,
            person.emails,
            person.linkedin_url,
        )
        candidates: list[Draft] = []
        for key in dict.fromkeys(k for e in person.emails if (k := email_key(e))):
            if key in pending_email:
                candidates.append(pending_email[key])
            candidates += [drafts[i] for i in by_email.get(key, [])[:1]]
        l_key, n_key = identity.linkedin_key, identity.name_key
        if l_key:
            if l_key in pending_linkedin:
                candidates.append(pending_linkedin[l_key])
            candidates += [drafts[i] for i in by_linkedin.get(l_key, [])[:1]]
        if n_key:
            candidates += pending_name.get(n_key, [])
            candidates += [drafts[i] for i in by_name.get(n_key, [])]
        target = next(
            (c for c in candidates if same_person(identity, c.as_values().identity)), None
        )
        if target is None:
            target = _new_draft(-1 - len(plan.added), person)
            plan.added.append(target)
        else:
            added_earlier = target.is_new or target.key in earlier.added_here
            _fill(target, person, linkedin_is_current and not added_earlier)
            if added_earlier:
                plan.problems.append(
                    Problem(
                        person.line,
                        "the same person appears earlier in the file; merged into that row.",
                    )
                )
            if not target.is_new:
                targeted[target.key] = target
        for key in target.email_keys:
            pending_email.setdefault(key, target)
        if linkedin_key(target.values["linkedin_url"]):
            pending_linkedin.setdefault(linkedin_key(target.values["linkedin_url"]) or "", target)
        target_name = name_key(
            target.values["first_name"], target.values["last_name"], target.values["company"]
        )
        if target_name and target not in pending_name.setdefault(target_name, []):
            pending_name[target_name].append(target)
        if person.ref:
            plan.refs[person.ref] = target.key
    for person_id in sorted(targeted):
        draft = targeted[person_id]
        if person_id in earlier.added_here or person_id in earlier.counted:
            if draft.has_changes:
                plan.rewritten.append(draft)
        elif draft.has_changes:
            plan.updated.append(draft)
        else:
            plan.unchanged_ids.append(person_id)
    return plan


def _new_draft(key: int, person: IncomingPerson) -> Draft:
    draft = Draft(
        key=key,
        is_new=True,
        values={f: None for f in OWN_FIELDS},
        work_modes=0,
        created_at=person.created_at,
    )
    draft.values.update(
        first_name="",
        last_name="",
        company="",
        title="",
        location="",
        notes="",
        source=person.source,
        openness="open",
        is_applicant=False,
        do_not_contact=False,
    )
    _fill(draft, person, linkedin_is_current=False)
    return draft


def _fill(draft: Draft, person: IncomingPerson, linkedin_is_current: bool) -> None:
    values = draft.values
    company, title = clean(person.company), clean(person.title)
    if (
        linkedin_is_current
        and not draft.is_new
        and (company or title)
        and (
            (company and values["company"] and company.casefold() != values["company"].casefold())
            or (title and values["title"] and title.casefold() != values["title"].casefold())
        )
    ):
        draft.job_change = (
            values["title"],
            values["company"],
            title or values["title"],
            company or values["company"],
        )
        for name, value in (("company", company), ("title", title)):
            if value and value != values[name]:
                values[name] = value
                draft.changed.add(name)
    merged = draft.as_values()
    outcome = merge_into(merged, _incoming_values(person))
    draft.work_modes = merged.work_modes
    draft.changed |= outcome.changed
    draft.new_emails += outcome.new_emails
    draft.new_phones += outcome.new_phones
    draft.new_tags += outcome.new_tags
    draft.new_interests += outcome.new_interests


# -- applying (writes only what the plan says) -------------------------------------------


def apply_merge(
    connection: Connection,
    plan: MergePlan,
    *,
    now: datetime,
    source_name: str,
    run: MergeRun | None = None,
) -> AppliedMerge:
    """Write the plan in the caller's transaction: new people, changes, the import batch.

    With a ``run``, the batch is made by the first part that has rows and its counts are
    written by ``MergeRun.finish``; without one, the plan is the whole file.
    """
    whole = run is None
    run = run or MergeRun(plan.fmt, source_name, now)
    organizations = organization_ids(
        connection,
        {
            d.values["company"]
            for d in (*plan.added, *plan.updated, *plan.rewritten)
            if d.values["company"]
        },
        now,
    )
    ids: dict[int, int] = {}
    new_rows = [
        _row(draft, organizations, now, created=draft.created_at or now) for draft in plan.added
    ]
    new_ids = _insert_people(connection, new_rows)
    ids.update((draft.key, person_id) for draft, person_id in zip(plan.added, new_ids, strict=True))
    for draft in (*plan.updated, *plan.rewritten):
        ids[draft.key] = draft.key
        if not (draft.changed or draft.job_change):
            continue
        row = _row(draft, organizations, now, created=None)
        if draft.job_change:
            row["job_changed_at"] = now
        connection.execute(update(Person).where(Person.id == draft.key).values(**row))
    touched = [*plan.added, *plan.updated, *plan.rewritten]
    _children(connection, touched, ids)
    notes = [
        {
            "person_id": ids[d.key],
            "kind": "note",
            "direction": "internal",
            "occurred_at": now,
            "subject": "Changed jobs",
            "body": f"{d.job_change[0] or '?'} at {d.job_change[1] or '?'} → "
            f"{d.job_change[2] or '?'} at {d.job_change[3] or '?'}",
            "opportunity_id": None,
        }
        for d in (*plan.updated, *plan.rewritten)
        if d.job_change
    ]
    if notes:
        connection.execute(insert(Interaction), notes)
    for person_id in new_ids:
        run.added_here.add(person_id)
    for person_id in (*(d.key for d in plan.updated), *plan.unchanged_ids):
        run.counted.add(person_id)
    run.added += len(plan.added)
    run.updated += len(plan.updated)
    run.skipped += plan.skipped
    if run.batch_id is None and (plan.added or plan.updated or plan.unchanged or plan.skipped):
        run.batch_id = inserted_id(
            connection.execute(
                insert(ImportBatch).values(
                    started_at=run.now,
                    source=run.source_name,
                    format=run.fmt,
                    added=0,
                    updated=0,
                    skipped=0,
                )
            )
        )
    if run.batch_id is not None:
        items = [
            {"batch_id": run.batch_id, "person_id": ids[d.key], "action": action}
            for action, drafts in (("added", plan.added), ("updated", plan.updated))
            for d in drafts
        ]
        for chunk in _chunks(items):
            connection.execute(insert(ImportBatchItem), list(chunk))
    search_index.reindex(connection, list(ids.values()))
    if whole:
        run.finish(connection)
    return AppliedMerge(run.batch_id, ids)


def _insert_people(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert new people and return the ids the database gave them, in the rows' order.

    An id is never worked out here: one could already be taken, or be reused by SQLite after
    a delete. PostgreSQL returns them in order with RETURNING. SQLite would do that only one
    row per statement (ten times slower), so the rows go in as one bulk insert and their ids
    are read back: the caller holds the write lock (``Database.write``) and the ids of
    ``people`` only ever grow (AUTOINCREMENT), so the rows added are exactly those above
    the largest id before, in insertion order.
    """
    if not rows:
        return []
    if connection.dialect.name != "sqlite":
        returned = connection.execute(
            insert(Person).returning(Person.id, sort_by_parameter_order=True), rows
        )
        return list(returned.scalars())
    largest_before = connection.execute(select(func.max(Person.id))).scalar() or 0
    for chunk in _chunks(rows):
        connection.execute(insert(Person), list(chunk))
    added = list(
        connection.execute(
            select(Person.id).where(Person.id > largest_before).order_by(Person.id)
        ).scalars()
    )
    if len(added) != len(rows):
        raise RuntimeError("people were added by another writer during an import")
    return added


def _row(
    draft: Draft, organizations: dict[str, int], now: datetime, created: datetime | None
) -> dict[str, Any]:
    values = draft.values
    row: dict[str, Any] = {
        **{f: values[f] for f in OWN_FIELDS},
        "organization_id": organizations.get(values["company"] or ""),
        "linkedin_key": linkedin_key(values["linkedin_url"]),
        "sort_key": sort_key(values["first_name"] or "", values["last_name"] or ""),
        "name_key": name_key(
            values["first_name"] or "", values["last_name"] or "", values["company"] or ""
        ),
        "links": draft.links,
        "work_modes": draft.work_modes,
        "updated_at": now,
    }
    for text_field in (
        "first_name",
        "last_name",
        "company",
        "title",
        "location",
        "notes",
        "source",
    ):
        row[text_field] = row[text_field] or ""
    row["openness"] = row["openness"] or "open"
    row["is_applicant"] = bool(row["is_applicant"])
    row["do_not_contact"] = bool(row["do_not_contact"])
    if created is not None:
        row["created_at"] = created
    return row


def _children(connection: Connection, drafts: list[Draft], ids: dict[int, int]) -> None:
    emails: list[dict[str, Any]] = []
    phones: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    interests: list[dict[str, Any]] = []
    for draft in drafts:
        person_id = ids[draft.key]
        offset = len(draft.emails) - len(draft.new_emails)
        emails.extend(
            {
                "person_id": person_id,
                "address": a,
                "address_key": email_key(a),
                "position": offset + i,
            }
            for i, a in enumerate(draft.new_emails)
        )
        offset = len(draft.phones) - len(draft.new_phones)
        phones.extend(
            {"person_id": person_id, "number": n, "position": offset + i}
            for i, n in enumerate(draft.new_phones)
        )
        tags.extend({"person_id": person_id, "tag": t} for t in draft.new_tags)
        interests.extend({"person_id": person_id, "topic": t} for t in draft.new_interests)
    for table, rows in (
        (PersonEmail, emails),
        (PersonPhone, phones),
        (PersonTag, tags),
        (PersonInterest, interests),
    ):
        for chunk in _chunks(rows):
            connection.execute(insert(table), list(chunk))


def _incoming_values(person: IncomingPerson) -> PersonValues:
    """A contact from a file as the identity rules see a person."""
    return PersonValues(
        {
            "first_name": clean(person.first_name),
            "last_name": clean(person.last_name),
            "company": clean(person.company),
            "title": clean(person.title),
            "location": clean(person.location),
            "linkedin_url": clean(person.linkedin_url) or None,
            "notes": person.notes.strip(),
            "connected_on": person.connected_on,
            "openness": person.openness,
            "is_applicant": person.is_applicant,
            "do_not_contact": person.do_not_contact,
            "cadence_days": person.cadence_days,
            "snoozed_until": person.snoozed_until,
            "source": person.source,
        },
        work_modes_to_bits(person.work_modes or []),
        list(person.emails),
        list(person.phones),
        list(person.tags),
        list(person.interests),
        list(person.links),
    )
