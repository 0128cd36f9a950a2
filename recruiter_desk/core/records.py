"""Writing people and their touchpoints through the unit of work.

Every write goes through an ORM session, whose hooks keep the search index and the
denormalised last-touch columns in step (see ``recruiter_desk.db.session``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from recruiter_desk.core.identity import (
    display_name,
    email_key,
    linkedin_key,
    name_key,
    phone_key,
    readable_url,
    sort_key,
)
from recruiter_desk.core.maintenance import is_forgotten
from recruiter_desk.core.normalize import clean, tag
from recruiter_desk.core.vocabulary import (
    DIRECTIONS,
    INTERACTION_KINDS,
    OPENNESS,
    WORK_MODE_BITS,
    work_modes_to_bits,
)
from recruiter_desk.db.models import (
    Interaction,
    Opportunity,
    Organization,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
)
from recruiter_desk.errors import NotFoundError, UsageError

# A person's own single-valued columns in ``people``: what import and Find duplicates read,
# merge (``core.identity.merge_into``) and write back. Lists (emails, phones, tags,
# interests, links) and work modes are kept apart. A new field goes here, in ``PersonFields``,
# the model and a migration.
OWN_FIELDS: tuple[str, ...] = (
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
class PersonFields:
    """Editable fields of a person; lists replace what was there."""

    first_name: str = ""
    last_name: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    company: str = ""
    title: str = ""
    location: str = ""
    linkedin_url: str | None = None
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    work_modes: list[str] = field(default_factory=list)
    openness: str = "open"
    is_applicant: bool = False
    do_not_contact: bool = False
    cadence_days: int | None = None
    source: str = ""
    notes: str = ""
    connected_on: date | None = None
    # The version these values were read at (docs/team.md): saving them over a newer one
    # is refused with an EditConflict; None saves without asking (a new person, a script).
    version: int | None = None

    def validate(self) -> None:
        if not clean(self.first_name) and not clean(self.last_name) and not self.emails:
            raise UsageError("A person needs a name or an email address.")
        unknown = [m for m in self.work_modes if m not in WORK_MODE_BITS]
        if unknown:
            raise UsageError(f"Unknown work mode {unknown[0]!r}; use remote, hybrid or onsite.")
        if self.openness not in OPENNESS:
            raise UsageError(f"Unknown openness {self.openness!r}; use {', '.join(OPENNESS)}.")
        if self.cadence_days is not None and self.cadence_days < 1:
            raise UsageError("A cadence must be at least one day.")
        if not readable_url(self.linkedin_url):
            raise UsageError(
                f"The LinkedIn URL {clean(self.linkedin_url)!r} is not a web address; "
                "correct or clear it."
            )


def organization_ids(
    connection: Connection,
    names: Iterable[str],
    now: datetime,
    details: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, int]:
    """The one organisation get-or-create: the id of each named organisation, created on
    first mention (with its ``details`` — website, notes — when given). A set query per 500
    names, so an import of 10k people costs a handful of statements."""
    ordered = sorted({n for n in names if n})
    found: dict[str, int] = {}

    def read(chunk: Sequence[str]) -> None:
        statement = select(Organization.id, Organization.name).where(Organization.name.in_(chunk))
        found.update({name: oid for oid, name in connection.execute(statement)})

    for start in range(0, len(ordered), 500):
        read(ordered[start : start + 500])
    missing = [n for n in ordered if n not in found]
    if missing:
        connection.execute(
            insert(Organization),
            [
                {"name": n, "website": None, "notes": "", "created_at": now}
                | dict((details or {}).get(n, {}))
                for n in missing
            ],
        )
        for start in range(0, len(missing), 500):
            read(missing[start : start + 500])
    return found


def organization_id_for(session: Session, company: str, now: datetime) -> int | None:
    """The organization of this name, created on first mention."""
    name = clean(company)
    if not name:
        return None
    return organization_ids(session.connection(), [name], now)[name]


def _unique(values: list[str], key: Callable[[str], str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for value in values:
        text = clean(value)
        marker = key(text)
        if text and marker not in seen:
            seen.add(marker)
            result.append(text)
    return result


# What the conflict message calls each field (core/team.py).
FIELD_LABELS: dict[str, str] = {
    "first_name": "first name",
    "last_name": "last name",
    "emails": "emails",
    "phones": "phones",
    "company": "company",
    "title": "title",
    "location": "location",
    "linkedin_url": "LinkedIn",
    "links": "links",
    "tags": "tags",
    "interests": "interests",
    "work_modes": "work modes",
    "openness": "openness",
    "is_applicant": "applicant",
    "do_not_contact": "do not contact",
    "cadence_days": "cadence",
    "source": "source",
    "notes": "notes",
    "connected_on": "connected on",
}


def changed_fields(before: PersonFields, after: PersonFields) -> frozenset[str]:
    """The editable fields (``FIELD_LABELS``' names) whose values differ."""
    return frozenset(a for a in FIELD_LABELS if getattr(after, a) != getattr(before, a))


def fields_of(person: Person) -> PersonFields:
    """What the editor shows of a saved person, with the version it was read at."""
    from recruiter_desk.core.vocabulary import bits_to_work_modes

    return PersonFields(
        first_name=person.first_name,
        last_name=person.last_name,
        emails=[e.address for e in person.emails],
        phones=[p.number for p in person.phones],
        company=person.company,
        title=person.title,
        location=person.location,
        linkedin_url=person.linkedin_url,
        links=list(person.links or []),
        tags=[t.tag for t in person.tags],
        interests=[i.topic for i in person.interests],
        work_modes=bits_to_work_modes(person.work_modes),
        openness=person.openness,
        is_applicant=person.is_applicant,
        do_not_contact=person.do_not_contact,
        cadence_days=person.cadence_days,
        source=person.source,
        notes=person.notes,
        connected_on=person.connected_on,
        version=person.version,
    )


def apply_fields(session: Session, person: Person, values: PersonFields, now: datetime) -> None:
    """Write the editor's values; for a saved person, refused (nothing written) when
    ``values.version`` is older than the saved one, else one more version by this
    recruiter."""
    values.validate()
    if person.id is not None:
        from recruiter_desk.core.team import EditConflict, differences
        from recruiter_desk.db.team import recruiter_of

        if values.version is not None and values.version != person.version:
            theirs = fields_of(person)
            raise EditConflict(
                display_name(person.first_name, person.last_name, theirs.emails, person.id),
                person.updated_by,
                person.version,
                values.version,
                differences(theirs, values, FIELD_LABELS),
                theirs,
            )
        person.version = (person.version or 1) + 1
        person.updated_by = recruiter_of(session.connection())
    person.first_name = clean(values.first_name)
    person.last_name = clean(values.last_name)
    person.company = clean(values.company)
    person.organization_id = organization_id_for(session, person.company, now)
    person.title = clean(values.title)
    person.location = clean(values.location)
    person.linkedin_url = clean(values.linkedin_url) or None
    person.linkedin_key = linkedin_key(values.linkedin_url)
    person.name_key = name_key(person.first_name, person.last_name, person.company)
    person.sort_key = sort_key(person.first_name, person.last_name)
    person.links = _unique(values.links, str)
    person.work_modes = work_modes_to_bits(values.work_modes)
    person.openness = values.openness
    person.is_applicant = values.is_applicant
    person.do_not_contact = values.do_not_contact
    person.cadence_days = values.cadence_days
    person.source = clean(values.source)
    person.notes = values.notes.strip()
    person.connected_on = values.connected_on
    person.updated_at = now
    person.emails = [
        PersonEmail(address=a, address_key=email_key(a), position=i)
        for i, a in enumerate(_unique(values.emails, email_key))
    ]
    person.phones = [
        PersonPhone(number=n, position=i) for i, n in enumerate(_unique(values.phones, phone_key))
    ]
    person.tags = [PersonTag(tag=t) for t in sorted({tag(t) for t in values.tags if clean(t)})]
    person.interests = [
        PersonInterest(topic=t) for t in sorted({tag(t) for t in values.interests if clean(t)})
    ]


def create_person(session: Session, values: PersonFields, now: datetime) -> Person:
    """A new person; refused when an email or the LinkedIn URL belongs to someone the
    recruiter erased with ``forget`` (the same check import makes)."""
    values.validate()
    if is_forgotten(session.connection(), values.emails, values.linkedin_url):
        raise UsageError(
            "This email or LinkedIn URL belongs to someone you erased with 'forget'; "
            "they are not added again."
        )
    person = Person(created_at=now, updated_at=now)
    apply_fields(session, person, values, now)
    session.add(person)
    session.flush()
    return person


def mark_touched(session: Session, person_id: int, now: datetime | None = None) -> None:
    """Record that the recruiter did something with this person (undo-import keeps them)."""
    from recruiter_desk.core.clock import utc_now

    get_person(session, person_id).updated_at = now or utc_now()


def get_person(session: Session, person_id: int, *, for_update: bool = False) -> Person:
    """The person, locked until the end of the transaction with ``for_update`` (a server
    database; SQLite's write lock covers the whole file already)."""
    person = session.get(Person, person_id, with_for_update=for_update or None)
    if person is None:
        raise NotFoundError(f"There is no person with id {person_id}.")
    return person


def log_interaction(
    session: Session,
    person_id: int,
    *,
    kind: str,
    direction: str,
    occurred_at: datetime,
    subject: str = "",
    body: str = "",
    opportunity_id: int | None = None,
    now: datetime | None = None,
) -> Interaction:
    if kind not in INTERACTION_KINDS:
        raise UsageError(f"Unknown kind {kind!r}; use one of {', '.join(INTERACTION_KINDS)}.")
    if direction not in DIRECTIONS:
        raise UsageError(f"Unknown direction {direction!r}; use one of {', '.join(DIRECTIONS)}.")
    mark_touched(session, person_id, now)
    if opportunity_id is not None and session.get(Opportunity, opportunity_id) is None:
        raise NotFoundError(f"There is no opportunity with id {opportunity_id}.")
    interaction = Interaction(
        person_id=person_id,
        kind=kind,
        direction=direction,
        occurred_at=occurred_at,
        subject=subject,
        body=body,
        opportunity_id=opportunity_id,
    )
    session.add(interaction)
    session.flush()
    return interaction
