"""The people an export writes: one query for the filtered list, one per kind of list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    insert,
    select,
)

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.identity import display_name
from recruiter_desk.core.interchange import iso_time
from recruiter_desk.core.people import LIST_SOURCES, PeopleQuery, people_statement
from recruiter_desk.core.vocabulary import bits_to_work_modes
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.dialect import stored_text
from recruiter_desk.db.models import Person

PAGE = 2000


class ExportPerson(NamedTuple):
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


def stored_time_iso(value: str | None) -> str | None:
    """``2026-11-25 09:30:00.000000`` as stored → ``2026-11-25T09:30:00+00:00``."""
    return iso_time(datetime.fromisoformat(value)) if value else None


def _lists(connection: Connection, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """Emails, phones, tags and interests of the exported people, one query each: the bulk
    form of ``core.people.person_lists`` for a whole export.

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
        for key, value, owner, order in LIST_SOURCES:
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


def people_pages(
    connection: Connection, query: PeopleQuery, as_of: AsOf, policy: WarmthPolicy
) -> tuple[int, Iterator[list[ExportPerson]]]:
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
        stored_text(Person.links),
        Person.work_modes,
        Person.openness,
        Person.do_not_contact,
        Person.is_applicant,
        Person.cadence_days,
        Person.source,
        stored_text(Person.connected_on),
        stored_text(Person.snoozed_until),
        stored_text(Person.created_at),
        Person.notes,
        columns.status,
        stored_text(columns.last_touch_day),
        columns.ratio,
    )
    rows = connection.execute(full).all()
    lists = _lists(connection, [r[0] for r in rows])
    emails, phones, tags, interests = (lists[k] for k in ("emails", "phones", "tags", "interests"))
    no_items: list[str] = []

    def pages() -> Iterator[list[ExportPerson]]:
        for start in range(0, len(rows), PAGE):
            yield [
                ExportPerson(
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
