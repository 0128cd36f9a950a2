"""Exports other tools read: CSV (Excel, LibreOffice), vCard 4.0/3.0, the app's JSON, and
iCalendar of follow-ups. Each export writes exactly what the filtered list shows.

Files are written to a temporary name and renamed into place, so a crash or a full disk
never leaves half a file where the old one was.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    insert,
    select,
    type_coerce,
)

from recruiter_desk import __version__
from recruiter_desk.core.bulk import gc_paused
from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import display_name
from recruiter_desk.core.imports.interchange import FORMAT_NAME, VERSION, iso_day, iso_time
from recruiter_desk.core.people import PeopleQuery, people_statement
from recruiter_desk.core.vocabulary import bits_to_work_modes
from recruiter_desk.core.warmth import WarmthPolicy
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

EXPORT_FORMATS = ("csv", "vcard", "json", "ics")
CSV_COLUMNS = (
    "ID",
    "First Name",
    "Last Name",
    "Emails",
    "Phones",
    "Company",
    "Title",
    "Location",
    "LinkedIn URL",
    "Tags",
    "Interests",
    "Work Modes",
    "Openness",
    "Do Not Contact",
    "Applicant",
    "Cadence Days",
    "Source",
    "Connected On",
    "Status",
    "Last Touch",
    "Notes",
)
LIST_SEPARATOR = "; "
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
PAGE = 2000

Progress = Callable[[str, float], None]


class ExportCancelled(Exception):
    pass


def neutralise(cell: str) -> str:
    """OWASP's CSV-injection guard: a formula trigger at the start becomes text."""
    if cell.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class _Person(NamedTuple):
    """Everything an export writes about one person (a tuple: 100k are built per export)."""

    id: int
    first_name: str
    last_name: str
    company: str
    title: str
    location: str
    linkedin_url: str | None
    links: list[str]
    work_modes: list[str]
    openness: str
    do_not_contact: bool
    is_applicant: bool
    cadence_days: int | None
    source: str
    # Dates as stored ISO text ("2026-11-25", "2026-11-25 09:30:00.000000"): converting
    # 100k of them to objects and back costs more than the rest of a CSV export.
    connected_on: str | None
    snoozed_until: str | None
    created_at: str
    notes: str
    status: str
    last_touch: str | None
    warmth: float | None
    emails: list[str]
    phones: list[str]
    tags: list[str]
    interests: list[str]

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.emails, self.id)


def _stored_time_iso(value: str | None) -> str | None:
    """``2026-11-25 09:30:00.000000`` as stored → ``2026-11-25T09:30:00+00:00``."""
    return iso_time(datetime.fromisoformat(value)) if value else None


_LIST_SOURCES = (
    ("emails", PersonEmail.address, PersonEmail.person_id, PersonEmail.position),
    ("phones", PersonPhone.number, PersonPhone.person_id, PersonPhone.position),
    ("tags", PersonTag.tag, PersonTag.person_id, PersonTag.tag),
    ("interests", PersonInterest.topic, PersonInterest.person_id, PersonInterest.topic),
)


def _lists(connection: Connection, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """Emails, phones, tags and interests of the exported people, one query each.

    The ids go into a temporary table to join against: 100k bound parameters in IN lists
    cost more than the export itself.
    """
    chosen = Table(
        "export_people", MetaData(), Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"]
    )
    chosen.create(connection)
    try:
        for start in range(0, len(ids), 20_000):
            connection.execute(insert(chosen), [{"id": i} for i in ids[start : start + 20_000]])
        found: dict[str, dict[int, list[str]]] = {}
        for key, value, owner, order in _LIST_SOURCES:
            grouped: dict[int, list[str]] = {}
            rows = connection.execute(
                select(owner, value).join(chosen, chosen.c.id == owner).order_by(owner, order)
            ).all()
            for person_id, item in rows:
                if person_id in grouped:
                    grouped[person_id].append(item)
                else:
                    grouped[person_id] = [item]
            found[key] = grouped
    finally:
        chosen.drop(connection)
    return found


def _people_pages(
    connection: Connection, query: PeopleQuery, as_of: AsOf, policy: WarmthPolicy
) -> tuple[int, Iterator[list[_Person]]]:
    statement = people_statement(connection, query, as_of, policy)
    columns = statement.selected_columns
    full = statement.with_only_columns(
        Person.id,
        Person.first_name,
        Person.last_name,
        Person.company,
        Person.title,
        Person.location,
        Person.linkedin_url,
        # Raw JSON text: almost every list is empty, and decoding "[]" 100k times is slow.
        type_coerce(Person.links, Text),
        Person.work_modes,
        Person.openness,
        Person.do_not_contact,
        Person.is_applicant,
        Person.cadence_days,
        Person.source,
        type_coerce(Person.connected_on, Text),
        type_coerce(Person.snoozed_until, Text),
        type_coerce(Person.created_at, Text),
        Person.notes,
        columns.status,
        type_coerce(columns.last_touch_day, Text),
        columns.ratio,
    )
    rows = connection.execute(full).all()
    lists = _lists(connection, [r[0] for r in rows])
    emails, phones, tags, interests = (lists[k] for k in ("emails", "phones", "tags", "interests"))
    no_items: list[str] = []

    def pages() -> Iterator[list[_Person]]:
        for start in range(0, len(rows), PAGE):
            yield [
                _Person(
                    pid,
                    first,
                    last,
                    company,
                    title,
                    location,
                    linkedin,
                    json.loads(links) if links and links != "[]" else [],
                    bits_to_work_modes(modes),
                    openness,
                    bool(dnc),
                    bool(applicant),
                    cadence,
                    source,
                    connected,
                    snoozed,
                    created,
                    notes,
                    status,
                    last_touch,
                    None if dnc else round(float(ratio), 3),
                    emails.get(pid, no_items),
                    phones.get(pid, no_items),
                    tags.get(pid, no_items),
                    interests.get(pid, no_items),
                )
                for (
                    pid,
                    first,
                    last,
                    company,
                    title,
                    location,
                    linkedin,
                    links,
                    modes,
                    openness,
                    dnc,
                    applicant,
                    cadence,
                    source,
                    connected,
                    snoozed,
                    created,
                    notes,
                    status,
                    last_touch,
                    ratio,
                ) in rows[start : start + PAGE]
            ]

    return len(rows), pages()


# -- CSV ---------------------------------------------------------------------------------


_TRIGGERS = frozenset(FORMULA_TRIGGERS)


def _csv_row(person: _Person) -> list[str]:
    cells = [
        str(person.id),
        person.first_name,
        person.last_name,
        LIST_SEPARATOR.join(person.emails),
        LIST_SEPARATOR.join(person.phones),
        person.company,
        person.title,
        person.location,
        person.linkedin_url or "",
        LIST_SEPARATOR.join(person.tags),
        LIST_SEPARATOR.join(person.interests),
        LIST_SEPARATOR.join(person.work_modes),
        person.openness,
        "yes" if person.do_not_contact else "no",
        "yes" if person.is_applicant else "no",
        str(person.cadence_days) if person.cadence_days else "",
        person.source,
        person.connected_on or "",
        person.status,
        person.last_touch or "",
        person.notes,
    ]
    # neutralise(), inlined: this runs for two million cells in a 100k export.
    return [
        "'" + c if c and c[0] in _TRIGGERS and not _PLAIN_NUMBER.fullmatch(c) else c for c in cells
    ]


def write_csv(pages: Iterator[list[_Person]], out: TextIO, tick: Callable[[int], None]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for page in pages:
        writer.writerows(_csv_row(p) for p in page)
        count += len(page)
        tick(count)
    return count


# -- vCard -------------------------------------------------------------------------------


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 6350 3.2),
    never splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line + "\r\n"
    parts = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def vcard_for(person: _Person, version: str) -> str:
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if version == "4.0":
        lines.append(f"UID:urn:recruiter-desk:person:{person.id}")
    lines.append(f"FN:{_escape(person.full_name)}")
    lines.append(f"N:{_escape(person.last_name)};{_escape(person.first_name)};;;")
    for index, address in enumerate(person.emails):
        preference = ("PREF=1" if version == "4.0" else "TYPE=pref") if index == 0 else ""
        kind = "TYPE=INTERNET" if version == "3.0" else ""
        params = ";".join(p for p in (kind, preference) if p)
        lines.append(f"EMAIL{';' + params if params else ''}:{_escape(address)}")
    lines.extend(f"TEL:{_escape(number)}" for number in person.phones)
    if person.company:
        lines.append(f"ORG:{_escape(person.company)}")
    if person.title:
        lines.append(f"TITLE:{_escape(person.title)}")
    if person.location:
        lines.append(f"ADR:;;;{_escape(person.location)};;;")
    if person.linkedin_url:
        lines.append(f"URL:{_escape(person.linkedin_url)}")
        lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{_escape(person.linkedin_url)}")
    lines.extend(f"URL:{_escape(link)}" for link in person.links)
    if person.tags:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in person.tags))
    if person.notes:
        lines.append(f"NOTE:{_escape(person.notes)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def write_vcards(
    pages: Iterator[list[_Person]], out: TextIO, version: str, tick: Callable[[int], None]
) -> int:
    count = 0
    for page in pages:
        out.write("".join(vcard_for(p, version) for p in page))
        count += len(page)
        tick(count)
    return count


# -- JSON --------------------------------------------------------------------------------


def _ids(prefix: str, value: int | None) -> str | None:
    return f"{prefix}{value}" if value is not None else None


def write_json(
    connection: Connection,
    pages: Iterator[list[_Person]],
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
                    "created_at": _stored_time_iso(p.created_at),
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


# -- iCalendar ---------------------------------------------------------------------------


def write_ics(
    connection: Connection,
    pages: Iterator[list[_Person]],
    out: TextIO,
    now: datetime,
    tick: Callable[[int], None],
) -> int:
    import icalendar

    names: dict[int, _Person] = {}
    for page in pages:
        names.update({p.id: p for p in page})
        tick(len(names))
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Recruiter Desk//{__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Recruiter Desk follow-ups")
    count = 0
    for r in connection.execute(
        select(FollowUp.id, FollowUp.person_id, FollowUp.due_on, FollowUp.reason)
        .where(FollowUp.done_at.is_(None))
        .order_by(FollowUp.due_on)
    ):
        person = names.get(r.person_id)
        if person is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"follow-up-{r.id}@recruiter-desk")
        event.add("dtstamp", now)
        event.add("dtstart", r.due_on)
        event.add(
            "summary", f"Follow up: {person.full_name}" + (f" — {r.reason}" if r.reason else "")
        )
        role = " at ".join(part for part in (person.title, person.company) if part)
        details = [role, *person.emails, *person.phones]
        event.add("description", "\n".join(d for d in details if d))
        calendar.add_component(event)
        count += 1
    out.write(calendar.to_ical().decode("utf-8"))
    return count


# -- entry point -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    format: str
    written: int
    target: str


def export(
    database: Database,
    fmt: str,
    target: Path | None,
    *,
    query: PeopleQuery,
    as_of: AsOf,
    policy: WarmthPolicy,
    now: datetime,
    vcard_version: str = "4.0",
    stdout: TextIO | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write an export to ``target`` (None: ``stdout``) and say how many records it holds."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}.")
    if vcard_version not in ("3.0", "4.0"):
        raise UsageError("--vcard-version must be 3.0 or 4.0.")
    report = progress or (lambda _stage, _fraction: None)
    is_cancelled = cancelled or (lambda: False)
    buffer = io.StringIO()
    with gc_paused(), database.connect() as connection:
        total, pages = _people_pages(connection, query, as_of, policy)

        def tick(done: int) -> None:
            if is_cancelled():
                raise ExportCancelled
            report("Writing", done / max(1, total))

        if fmt == "csv":
            buffer.write("\ufeff")  # Excel needs the BOM to read UTF-8
            written = write_csv(pages, buffer, tick)
        elif fmt == "vcard":
            written = write_vcards(pages, buffer, vcard_version, tick)
        elif fmt == "json":
            written = write_json(connection, pages, buffer, now, tick)
        else:
            written = write_ics(connection, pages, buffer, now, tick)
    text = buffer.getvalue()
    if target is None:
        out = stdout
        assert out is not None
        out.write(text)
        return ExportResult(fmt, written, "-")
    _write_atomically(target, text)
    report("Done", 1.0)
    return ExportResult(fmt, written, str(target))


def _write_atomically(target: Path, text: str) -> None:
    target = target.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise KnownError(f"Cannot write {target}: the folder {folder} does not exist.")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise KnownError(f"Cannot write {target}: {error.strerror or error}.") from error
