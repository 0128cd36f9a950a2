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
from dataclasses import dataclass, field
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
    same_person,
    sort_key,
)
from recruiter_desk.core.imports.model import (
    FileReport,
    ImportCancelled,
    IncomingPerson,
    Problem,
)
from recruiter_desk.core.maintenance import forget_salt, forgotten_digests
from recruiter_desk.core.normalize import clean
from recruiter_desk.core.vocabulary import work_modes_to_bits
from recruiter_desk.db import search_index
from recruiter_desk.db.models import (
    ForgottenIdentity,
    ImportBatch,
    ImportBatchItem,
    Interaction,
    Organization,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
)
from recruiter_desk.db.session import inserted_id

CHUNK = 500

SCALAR_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "title",
    "location",
    "linkedin_url",
    "notes",
    "connected_on",
    "openness",
    "is_applicant",
    "do_not_contact",
    "cadence_days",
    "snoozed_until",
    "source",
)


@dataclass
class Draft:
    """A person as they will be after the import: loaded from the database or new."""

    id: int
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


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class Merger:
    def __init__(
        self,
        connection: Connection,
        now: datetime,
        *,
        fmt: str,
        linkedin_is_current: bool,
        progress: Callable[[float], None],
        cancelled: Callable[[], bool],
    ) -> None:
        self.connection = connection
        self.now = now
        self.fmt = fmt
        self.linkedin_is_current = linkedin_is_current
        self.progress = progress
        self.cancelled = cancelled

    # -- lookups -------------------------------------------------------------------------

    def _lookup(self, column: Any, owner: Any, keys: set[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        ordered = sorted(keys)
        for chunk in _chunks(ordered):
            for key, person_id in self.connection.execute(
                select(column, owner).where(column.in_(chunk)).order_by(owner)
            ):
                found.setdefault(key, []).append(person_id)
        return found

    def _forgotten(self, incoming: list[IncomingPerson]) -> set[int]:
        """Indexes of incoming contacts that belong to people the recruiter erased."""
        salt = forget_salt(self.connection)
        if salt is None:
            return set()
        digests_of = {
            i: forgotten_digests(self.connection, p.emails, p.linkedin_url, salt)
            for i, p in enumerate(incoming)
        }
        every = sorted({d for ds in digests_of.values() for d in ds})
        if not every:
            return set()
        known: set[str] = set()
        for chunk in _chunks(every):
            known.update(
                self.connection.execute(
                    select(ForgottenIdentity.digest).where(ForgottenIdentity.digest.in_(chunk))
                ).scalars()
            )
        return {i for i, ds in digests_of.items() if known.intersection(ds)}

    def _load(self, ids: set[int]) -> dict[int, Draft]:
        drafts: dict[int, Draft] = {}
        columns = [getattr(Person, f) for f in SCALAR_FIELDS]
        ordered = sorted(ids)
        for chunk in _chunks(ordered):
            for row in self.connection.execute(
                select(Person.id, Person.work_modes, Person.links, *columns).where(
                    Person.id.in_(chunk)
                )
            ):
                drafts[row.id] = Draft(
                    id=row.id,
                    is_new=False,
                    values={f: getattr(row, f) for f in SCALAR_FIELDS},
                    work_modes=row.work_modes,
                    links=list(row.links or []),
                )
            for table, column, target in (
                (PersonEmail, PersonEmail.address, "emails"),
                (PersonPhone, PersonPhone.number, "phones"),
                (PersonTag, PersonTag.tag, "tags"),
                (PersonInterest, PersonInterest.topic, "interests"),
            ):
                order = getattr(table, "position", column)
                for person_id, value in self.connection.execute(
                    select(table.person_id, column)
                    .where(table.person_id.in_(chunk))
                    .order_by(table.person_id, order)
                ):
                    getattr(drafts[person_id], target).append(value)
        return drafts

    # -- merging -------------------------------------------------------------------------

    def merge(self, incoming: list[IncomingPerson], report: FileReport) -> dict[str, int]:
        """Plan the merge; returns interchange ref → person id. ``write`` applies it."""
        usable: list[IncomingPerson] = []
        for person in incoming:
            if person.has_identity:
                usable.append(person)
            else:
                report.skipped += 1
                report.problems.append(Problem(person.line, "no name or email; skipped."))
        forgotten = self._forgotten(usable)
        for index in sorted(forgotten):
            report.skipped += 1
            report.problems.append(
                Problem(usable[index].line, "this person was erased with 'forget'; skipped.")
            )
        usable = [p for i, p in enumerate(usable) if i not in forgotten]

        by_email = self._lookup(
            PersonEmail.address_key,
            PersonEmail.person_id,
            {email_key(e) for p in usable for e in p.emails},
        )
        by_linkedin = self._lookup(
            Person.linkedin_key,
            Person.id,
            {k for p in usable if (k := linkedin_key(p.linkedin_url))},
        )
        by_name = self._lookup(
            Person.name_key,
            Person.id,
            {k for p in usable if (k := name_key(p.first_name, p.last_name, p.company))},
        )
        matched_ids = {
            i for found in (by_email, by_linkedin, by_name) for ids in found.values() for i in ids
        }
        self.drafts: dict[int, Draft] = self._load(matched_ids)
        next_id = (self.connection.execute(select(func.max(Person.id))).scalar() or 0) + 1
        pending_email: dict[str, Draft] = {}
        pending_linkedin: dict[str, Draft] = {}
        pending_name: dict[str, list[Draft]] = {}
        touched: dict[int, str] = {}
        targeted: set[int] = set()
        refs: dict[str, int] = {}
        for position, person in enumerate(usable):
            if position % 1000 == 0:
                if self.cancelled():
                    raise ImportCancelled
                self.progress(position / max(1, len(usable)))
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
                candidates += [self.drafts[i] for i in by_email.get(key, [])[:1]]
            l_key, n_key = identity.linkedin_key, identity.name_key
            if l_key:
                if l_key in pending_linkedin:
                    candidates.append(pending_linkedin[l_key])
                candidates += [self.drafts[i] for i in by_linkedin.get(l_key, [])[:1]]
            if n_key:
                candidates += pending_name.get(n_key, [])
                candidates += [self.drafts[i] for i in by_name.get(n_key, [])]
            target = next(
                (c for c in candidates if same_person(identity, c.as_values().identity)), None
            )
            if target is None:
                target = self._new_draft(next_id, person)
                next_id += 1
                self.drafts[target.id] = target
                touched[target.id] = "added"
                report.added += 1
            else:
                self._fill(target, person)
                if target.is_new:
                    report.problems.append(
                        Problem(
                            person.line,
                            "the same person appears earlier in the file; merged into that row.",
                        )
                    )
                else:
                    targeted.add(target.id)
            for key in target.email_keys:
                pending_email.setdefault(key, target)
            if linkedin_key(target.values["linkedin_url"]):
                pending_linkedin.setdefault(
                    linkedin_key(target.values["linkedin_url"]) or "", target
                )
            target_name = name_key(
                target.values["first_name"], target.values["last_name"], target.values["company"]
            )
            if target_name and target not in pending_name.setdefault(target_name, []):
                pending_name[target_name].append(target)
            if person.ref:
                refs[person.ref] = target.id
        for person_id in sorted(targeted):
            draft = self.drafts[person_id]
            if (
                draft.changed
                or draft.job_change
                or draft.new_emails
                or draft.new_phones
                or (draft.new_tags or draft.new_interests)
            ):
                touched[person_id] = "updated"
                report.updated += 1
            else:
                report.unchanged += 1
        report.job_changes = sum(1 for d in self.drafts.values() if d.job_change)
        for person_id, action in touched.items():
            draft = self.drafts[person_id]
            name = display_name(
                draft.values["first_name"] or "",
                draft.values["last_name"] or "",
                draft.emails,
                person_id,
            )
            (report.added_names if action == "added" else report.updated_names).append(name)
        self.touched = touched
        self.refs = refs
        return refs

    def _new_draft(self, person_id: int, person: IncomingPerson) -> Draft:
        draft = Draft(
            id=person_id,
            is_new=True,
            values={f: None for f in SCALAR_FIELDS},
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
        self._fill(draft, person)
        return draft

    def _fill(self, draft: Draft, person: IncomingPerson) -> None:
        values = draft.values
        company, title = clean(person.company), clean(person.title)
        if (
            self.linkedin_is_current
            and not draft.is_new
            and (company or title)
            and (
                (
                    company
                    and values["company"]
                    and company.casefold() != values["company"].casefold()
                )
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

    # -- writing -------------------------------------------------------------------------

    def write(self, report: FileReport, source_name: str) -> int:
        """Apply the plan in the caller's transaction; returns the import batch id."""
        connection = self.connection
        drafts = [self.drafts[i] for i in sorted(self.touched)]
        organizations = self._organizations(
            {d.values["company"] for d in drafts if d.values["company"]}
        )
        new_rows = []
        for draft in drafts:
            if not draft.is_new:
                continue
            new_rows.append(self._row(draft, organizations, created=draft.created_at or self.now))
        for chunk in _chunks(new_rows):
            connection.execute(insert(Person), list(chunk))
        for draft in drafts:
            if draft.is_new or not (draft.changed or draft.job_change):
                continue
            row = self._row(draft, organizations, created=None)
            row.pop("id")
            if draft.job_change:
                row["job_changed_at"] = self.now
            connection.execute(update(Person).where(Person.id == draft.id).values(**row))
        self._children(drafts)
        notes = [
            {
                "person_id": d.id,
                "kind": "note",
                "direction": "internal",
                "occurred_at": self.now,
                "subject": "Changed jobs",
                "body": f"{d.job_change[0] or '?'} at {d.job_change[1] or '?'} → "
                f"{d.job_change[2] or '?'} at {d.job_change[3] or '?'}",
                "opportunity_id": None,
            }
            for d in drafts
            if d.job_change
        ]
        if notes:
            connection.execute(insert(Interaction), notes)
        batch_id = inserted_id(
            connection.execute(
                insert(ImportBatch).values(
                    started_at=self.now,
                    source=source_name,
                    format=self.fmt,
                    added=report.added,
                    updated=report.updated,
                    skipped=report.skipped,
                )
            )
        )
        items = [
            {"batch_id": batch_id, "person_id": pid, "action": action}
            for pid, action in self.touched.items()
        ]
        for chunk in _chunks(items):
            connection.execute(insert(ImportBatchItem), list(chunk))
        search_index.reindex(connection, list(self.touched))
        return int(batch_id)

    def _row(
        self, draft: Draft, organizations: dict[str, int], created: datetime | None
    ) -> dict[str, Any]:
        values = draft.values
        row: dict[str, Any] = {
            "id": draft.id,
            **{f: values[f] for f in SCALAR_FIELDS},
            "organization_id": organizations.get(values["company"] or ""),
            "linkedin_key": linkedin_key(values["linkedin_url"]),
            "sort_key": sort_key(values["first_name"] or "", values["last_name"] or ""),
            "name_key": name_key(
                values["first_name"] or "", values["last_name"] or "", values["company"] or ""
            ),
            "links": draft.links,
            "work_modes": draft.work_modes,
            "updated_at": self.now,
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

    def _organizations(self, names: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        ordered = sorted(names)
        for chunk in _chunks(ordered):
            found.update(
                {
                    name: oid
                    for oid, name in self.connection.execute(
                        select(Organization.id, Organization.name).where(
                            Organization.name.in_(chunk)
                        )
                    )
                }
            )
        missing = [n for n in ordered if n not in found]
        if missing:
            self.connection.execute(
                insert(Organization),
                [{"name": n, "notes": "", "created_at": self.now} for n in missing],
            )
            for chunk in _chunks(missing):
                found.update(
                    {
                        name: oid
                        for oid, name in self.connection.execute(
                            select(Organization.id, Organization.name).where(
                                Organization.name.in_(chunk)
                            )
                        )
                    }
                )
        return found

    def _children(self, drafts: list[Draft]) -> None:
        emails: list[dict[str, Any]] = []
        phones: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        interests: list[dict[str, Any]] = []
        for draft in drafts:
            offset = len(draft.emails) - len(draft.new_emails)
            emails.extend(
                {
                    "person_id": draft.id,
                    "address": a,
                    "address_key": email_key(a),
                    "position": offset + i,
                }
                for i, a in enumerate(draft.new_emails)
            )
            offset = len(draft.phones) - len(draft.new_phones)
            phones.extend(
                {"person_id": draft.id, "number": n, "position": offset + i}
                for i, n in enumerate(draft.new_phones)
            )
            tags.extend({"person_id": draft.id, "tag": t} for t in draft.new_tags)
            interests.extend({"person_id": draft.id, "topic": t} for t in draft.new_interests)
        for table, rows in (
            (PersonEmail, emails),
            (PersonPhone, phones),
            (PersonTag, tags),
            (PersonInterest, interests),
        ):
            for chunk in _chunks(rows):
                self.connection.execute(insert(table), list(chunk))


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
