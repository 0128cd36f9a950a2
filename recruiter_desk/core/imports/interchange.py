"""The app's own JSON format, version 1 (DESIGN.md §4): everything, round-trippable.

Reading validates the whole file before anything is written: a missing required key is an
error naming the record (``interactions[4] (id "i9") has no occurred_at``). Unknown keys are
ignored; computed keys (``full_name``, ``warmth``, ``status``, ``last_touch``) too.
Writing people goes through the same merge as every other format, so importing a file twice
adds nothing; the other records are matched on their natural keys for the same reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from recruiter_desk.core.imports.model import BadImportFile, IncomingPerson
from recruiter_desk.core.imports.reading import SourceText
from recruiter_desk.core.normalize import clean, tag
from recruiter_desk.core.vocabulary import (
    DIRECTIONS,
    INTERACTION_KINDS,
    OPENNESS,
    OPPORTUNITY_STATUSES,
    STAGES,
    WORK_MODE_BITS,
)
from recruiter_desk.db import touch
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
from recruiter_desk.db.session import inserted_id

FORMAT_NAME = "recruiter-desk"
VERSION = 1
COLLECTIONS = (
    "people",
    "organizations",
    "opportunities",
    "candidacies",
    "interactions",
    "follow_ups",
    "articles",
    "templates",
)


def iso_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.replace(microsecond=0, tzinfo=UTC).isoformat()


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Interchange:
    people: list[IncomingPerson] = field(default_factory=list)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> BadImportFile:
        return BadImportFile(self.name, f"{where} {message}.")

    def where(self, collection: str, index: int, record: dict[str, Any]) -> str:
        ref = record.get("id")
        return f"{collection}[{index}]" + (f" (id {ref!r})" if isinstance(ref, str) else "")

    def text(self, record: dict[str, Any], key: str, where: str) -> str:
        value = record.get(key)
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            raise self.fail(where, f"has a {key} that is not text")
        return clean(str(value))

    def strings(self, record: dict[str, Any], key: str, where: str) -> list[str]:
        value = record.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value] if value.strip() else []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, f"has a {key} that is not a list of text")
        return [v for v in value if v.strip()]

    def day(
        self, record: dict[str, Any], key: str, where: str, required: bool = False
    ) -> date | None:
        value = record.get(key)
        if value in (None, ""):
            if required:
                raise self.fail(where, f"has no {key}")
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError as error:
            raise self.fail(where, f"has a {key} that is not a date ({value!r})") from error

    def moment(
        self, record: dict[str, Any], key: str, where: str, required: bool = False
    ) -> datetime | None:
        value = record.get(key)
        if value in (None, ""):
            if required:
                raise self.fail(where, f"has no {key}")
            return None
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as error:
            raise self.fail(where, f"has a {key} that is not an ISO time ({value!r})") from error
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed

    def choice(
        self,
        record: dict[str, Any],
        key: str,
        where: str,
        allowed: tuple[str, ...],
        default: str | None,
    ) -> str | None:
        value = record.get(key)
        if value in (None, ""):
            return default
        if value not in allowed:
            raise self.fail(where, f"has {key} {value!r}; expected one of {', '.join(allowed)}")
        return str(value)

    def ref(
        self, record: dict[str, Any], key: str, where: str, known: set[str], required: bool
    ) -> str | None:
        value = record.get(key)
        if value in (None, ""):
            if required:
                raise self.fail(where, f"has no {key}")
            return None
        value = str(value)
        if value not in known:
            raise self.fail(where, f"refers to {key} {value!r}, which is not in the file")
        return value


def parse_interchange(source: SourceText) -> Interchange:
    reader = _Reader(source.name)
    try:
        document = json.loads(source.text)
    except json.JSONDecodeError as error:
        raise BadImportFile(
            source.name, f"it is not valid JSON ({error.msg}).", error.lineno
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise BadImportFile(
            source.name, 'it is not a Recruiter Desk export (no "format": "recruiter-desk").'
        )
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise BadImportFile(source.name, "it has no valid version number.")
    if version > VERSION:
        raise BadImportFile(
            source.name,
            f"it was written by a newer version of Recruiter "
            f"Desk (format version {version}); update the app.",
        )
    records: dict[str, list[dict[str, Any]]] = {}
    for collection in COLLECTIONS:
        items = document.get(collection, [])
        if not isinstance(items, list):
            raise BadImportFile(source.name, f'"{collection}" is not a list.')
        seen: set[str] = set()
        for index, item in enumerate(items):
            where = f"{collection}[{index}]"
            if not isinstance(item, dict):
                raise reader.fail(where, "is not an object")
            ref = item.get("id")
            if not isinstance(ref, str) or not ref:
                raise reader.fail(where, 'has no string "id"')
            if ref in seen:
                raise reader.fail(reader.where(collection, index, item), "repeats an id")
            seen.add(ref)
        records[collection] = items
    result = Interchange()
    organization_names = {
        str(o["id"]): reader.text(o, "name", reader.where("organizations", i, o))
        for i, o in enumerate(records["organizations"])
    }
    for index, record in enumerate(records["organizations"]):
        if not organization_names[record["id"]]:
            raise reader.fail(reader.where("organizations", index, record), "has no name")
    for index, record in enumerate(records["people"]):
        result.people.append(_person(reader, index, record, organization_names))
    people = {p.ref or "" for p in result.people}
    result.records = _validated(
        reader, records, people, set(organization_names), organization_names
    )
    return result


def _person(
    reader: _Reader, index: int, record: dict[str, Any], organizations: dict[str, str]
) -> IncomingPerson:
    where = reader.where("people", index, record)
    company = reader.text(record, "company", where)
    org_ref = record.get("organization_id")
    if not company and org_ref is not None:
        if str(org_ref) not in organizations:
            raise reader.fail(
                where, f"refers to organization_id {org_ref!r}, which is not in the file"
            )
        company = organizations[str(org_ref)]
    modes = reader.strings(record, "work_modes", where)
    unknown = [m for m in modes if m not in WORK_MODE_BITS]
    if unknown:
        raise reader.fail(where, f"has work mode {unknown[0]!r}; expected remote, hybrid or onsite")
    cadence = record.get("cadence_days")
    if cadence is not None and (not isinstance(cadence, int) or cadence < 1):
        raise reader.fail(where, "has a cadence_days that is not a whole number of days")
    person = IncomingPerson(
        line=index + 1,
        first_name=reader.text(record, "first_name", where),
        last_name=reader.text(record, "last_name", where),
        emails=reader.strings(record, "emails", where),
        phones=reader.strings(record, "phones", where),
        company=company,
        title=reader.text(record, "title", where),
        location=reader.text(record, "location", where),
        linkedin_url=reader.text(record, "linkedin_url", where) or None,
        links=reader.strings(record, "links", where),
        tags=reader.strings(record, "tags", where),
        interests=reader.strings(record, "interests", where),
        notes=str(record.get("notes") or ""),
        connected_on=reader.day(record, "connected_on", where),
        work_modes=modes,
        openness=reader.choice(record, "openness", where, OPENNESS, "open"),
        is_applicant=bool(record.get("is_applicant", False)),
        do_not_contact=bool(record.get("do_not_contact", False)),
        cadence_days=cadence,
        snoozed_until=reader.day(record, "snoozed_until", where),
        source=reader.text(record, "source", where),
        created_at=reader.moment(record, "created_at", where),
        ref=str(record["id"]),
    )
    if not (person.first_name or person.last_name or person.emails):
        if reader.text(record, "full_name", where):
            first, _, last = reader.text(record, "full_name", where).rpartition(" ")
            person.first_name, person.last_name = (first, last) if first else (last, "")
        else:
            raise reader.fail(where, "has neither a name nor an email")
    return person


def _validated(
    reader: _Reader,
    records: dict[str, list[dict[str, Any]]],
    people: set[str],
    organizations: set[str],
    organization_names: dict[str, str],
) -> dict[str, list[dict[str, Any]]]:
    clean_records: dict[str, list[dict[str, Any]]] = {c: [] for c in COLLECTIONS}
    clean_records["organizations"] = [
        {
            "ref": o["id"],
            "name": organization_names[o["id"]],
            "website": reader.text(o, "website", "") or None,
            "notes": str(o.get("notes") or ""),
        }
        for o in records["organizations"]
    ]
    opportunities: set[str] = set()
    for index, record in enumerate(records["opportunities"]):
        where = reader.where("opportunities", index, record)
        title = reader.text(record, "title", where)
        if not title:
            raise reader.fail(where, "has no title")
        org = reader.ref(record, "organization_id", where, organizations, required=False)
        clean_records["opportunities"].append(
            {
                "ref": record["id"],
                "title": title,
                "organization": org,
                "company": reader.text(record, "company", where),
                "work_mode": reader.choice(record, "work_mode", where, tuple(WORK_MODE_BITS), None),
                "location": reader.text(record, "location", where),
                "status": reader.choice(record, "status", where, OPPORTUNITY_STATUSES, "open"),
                "skills": [tag(s) for s in reader.strings(record, "skills", where)],
                "description": str(record.get("description") or ""),
                "created_at": reader.moment(record, "created_at", where),
            }
        )
        opportunities.add(record["id"])
    for index, record in enumerate(records["candidacies"]):
        where = reader.where("candidacies", index, record)
        history = record.get("history") or []
        if not isinstance(history, list):
            raise reader.fail(where, "has a history that is not a list")
        steps = []
        for step_index, step in enumerate(history):
            step_where = f"{where} history[{step_index}]"
            if not isinstance(step, dict):
                raise reader.fail(step_where, "is not an object")
            stage = reader.choice(step, "stage", step_where, STAGES, None)
            if stage is None:
                raise reader.fail(step_where, "has no stage")
            steps.append((reader.moment(step, "changed_at", step_where, required=True), stage))
        stage = reader.choice(record, "stage", where, STAGES, steps[-1][1] if steps else None)
        if stage is None:
            raise reader.fail(where, "has no stage")
        clean_records["candidacies"].append(
            {
                "ref": record["id"],
                "person": reader.ref(record, "person_id", where, people, required=True),
                "opportunity": reader.ref(
                    record, "opportunity_id", where, opportunities, required=True
                ),
                "stage": stage,
                "history": sorted(steps, key=lambda s: s[0] or datetime.min),
            }
        )
    for index, record in enumerate(records["interactions"]):
        where = reader.where("interactions", index, record)
        kind = reader.choice(record, "kind", where, INTERACTION_KINDS, None)
        if kind is None:
            raise reader.fail(where, "has no kind")
        clean_records["interactions"].append(
            {
                "person": reader.ref(record, "person_id", where, people, required=True),
                "kind": kind,
                "direction": reader.choice(record, "direction", where, DIRECTIONS, "outbound"),
                "occurred_at": reader.moment(record, "occurred_at", where, required=True),
                "subject": reader.text(record, "subject", where),
                "body": str(record.get("body") or ""),
                "opportunity": reader.ref(
                    record, "opportunity_id", where, opportunities, required=False
                ),
            }
        )
    for index, record in enumerate(records["follow_ups"]):
        where = reader.where("follow_ups", index, record)
        clean_records["follow_ups"].append(
            {
                "person": reader.ref(record, "person_id", where, people, required=True),
                "due_on": reader.day(record, "due_on", where, required=True),
                "reason": reader.text(record, "reason", where),
                "done_at": reader.moment(record, "done_at", where),
                "created_at": reader.moment(record, "created_at", where),
            }
        )
    for index, record in enumerate(records["articles"]):
        where = reader.where("articles", index, record)
        url = reader.text(record, "url", where)
        if not url:
            raise reader.fail(where, "has no url")
        clean_records["articles"].append(
            {
                "url": url,
                "title": reader.text(record, "title", where),
                "topics": [tag(t) for t in reader.strings(record, "topics", where)],
                "created_at": reader.moment(record, "created_at", where),
            }
        )
    for index, record in enumerate(records["templates"]):
        where = reader.where("templates", index, record)
        name = reader.text(record, "name", where)
        if not name:
            raise reader.fail(where, "has no name")
        clean_records["templates"].append(
            {
                "name": name,
                "purpose": reader.text(record, "purpose", where),
                "subject": str(record.get("subject") or ""),
                "body": str(record.get("body") or ""),
            }
        )
    return clean_records


def write_records(
    connection: Connection,
    records: dict[str, list[dict[str, Any]]],
    people: dict[str, int],
    now: datetime,
    cancelled: Callable[[], bool],
) -> dict[str, int]:
    """Everything but people, matched on natural keys so a second import adds nothing."""
    added = dict.fromkeys(
        ("opportunities", "candidacies", "interactions", "follow_ups", "articles", "templates"), 0
    )
    organizations: dict[str, int] = {}
    for record in records["organizations"]:
        organizations[record["ref"]] = _organization(
            connection, record["name"], now, record["website"], record["notes"]
        )
    opportunities: dict[str, int] = {}
    for record in records["opportunities"]:
        org_id = organizations.get(record["organization"] or "") or (
            _organization(connection, record["company"], now) if record["company"] else None
        )
        existing = connection.execute(
            select(Opportunity.id).where(
                Opportunity.title == record["title"],
                Opportunity.organization_id.is_(org_id)
                if org_id is None
                else Opportunity.organization_id == org_id,
            )
        ).scalar()
        if existing is None:
            existing = inserted_id(
                connection.execute(
                    insert(Opportunity).values(
                        title=record["title"],
                        organization_id=org_id,
                        work_mode=record["work_mode"],
                        location=record["location"],
                        status=record["status"],
                        skills=record["skills"],
                        description=record["description"],
                        created_at=record["created_at"] or now,
                    )
                )
            )
            added["opportunities"] += 1
        opportunities[record["ref"]] = int(existing)
    for record in records["candidacies"]:
        person_id = people.get(record["person"])
        if person_id is None:
            continue  # the person was skipped (e.g. erased with forget)
        opportunity_id = opportunities[record["opportunity"]]
        history = [(when or now, stage) for when, stage in record["history"]] or [
            (now, record["stage"])
        ]
        candidacy = connection.execute(
            select(Candidacy.id, Candidacy.stage_changed_at).where(
                Candidacy.person_id == person_id, Candidacy.opportunity_id == opportunity_id
            )
        ).one_or_none()
        if candidacy is None:
            candidacy_id = inserted_id(
                connection.execute(
                    insert(Candidacy).values(
                        person_id=person_id,
                        opportunity_id=opportunity_id,
                        stage=record["stage"],
                        stage_changed_at=history[-1][0],
                        created_at=history[0][0],
                    )
                )
            )
            added["candidacies"] += 1
            known: set[tuple[datetime, str]] = set()
        else:
            candidacy_id = candidacy.id
            known = {
                (when, stage)
                for when, stage in connection.execute(
                    select(StageChange.changed_at, StageChange.stage).where(
                        StageChange.candidacy_id == candidacy_id
                    )
                )
            }
            if history[-1][0] > candidacy.stage_changed_at:
                connection.execute(
                    update(Candidacy)
                    .where(Candidacy.id == candidacy_id)
                    .values(stage=record["stage"], stage_changed_at=history[-1][0])
                )
        fresh = [
            {"candidacy_id": candidacy_id, "stage": s, "changed_at": w}
            for w, s in history
            if (w, s) not in known
        ]
        if fresh:
            connection.execute(insert(StageChange), fresh)
    touched_people: set[int] = set()
    batch: list[dict[str, Any]] = []
    wanted = [r for r in records["interactions"] if r["person"] in people]
    existing_keys: set[tuple[Any, ...]] = set()
    for chunk_start in range(0, len(wanted), 500):
        if cancelled():
            from recruiter_desk.core.imports.model import ImportCancelled

            raise ImportCancelled
        ids = sorted({people[r["person"]] for r in wanted[chunk_start : chunk_start + 500]})
        existing_keys.update(
            tuple(row)
            for row in connection.execute(
                select(
                    Interaction.person_id,
                    Interaction.kind,
                    Interaction.direction,
                    Interaction.occurred_at,
                    Interaction.subject,
                ).where(Interaction.person_id.in_(ids))
            ).all()
        )
    for record in wanted:
        person_id = people[record["person"]]
        key = (
            person_id,
            record["kind"],
            record["direction"],
            record["occurred_at"],
            record["subject"],
        )
        if key in existing_keys:
            continue
        existing_keys.add(key)
        batch.append(
            {
                "person_id": person_id,
                "kind": record["kind"],
                "direction": record["direction"],
                "occurred_at": record["occurred_at"],
                "subject": record["subject"],
                "body": record["body"],
                "opportunity_id": opportunities.get(record["opportunity"] or ""),
            }
        )
        touched_people.add(person_id)
    for start in range(0, len(batch), 5000):
        connection.execute(insert(Interaction), batch[start : start + 5000])
    added["interactions"] = len(batch)
    if touched_people:
        touch.refresh_touch(connection, touched_people)
    for record in records["follow_ups"]:
        person_id = people.get(record["person"])
        if person_id is not None and _add_unless_present(
            connection,
            FollowUp,
            {"person_id": person_id, "due_on": record["due_on"], "reason": record["reason"]},
            {"done_at": record["done_at"], "created_at": record["created_at"] or now},
        ):
            added["follow_ups"] += 1
    for record in records["articles"]:
        if _add_unless_present(
            connection,
            Article,
            {"url": record["url"]},
            {
                "title": record["title"],
                "topics": record["topics"],
                "created_at": record["created_at"] or now,
            },
        ):
            added["articles"] += 1
    for record in records["templates"]:
        if _add_unless_present(
            connection,
            Template,
            {"name": record["name"]},
            {"purpose": record["purpose"], "subject": record["subject"], "body": record["body"]},
        ):
            added["templates"] += 1
    return added


def _add_unless_present(
    connection: Connection, table: Any, key: dict[str, Any], values: dict[str, Any]
) -> bool:
    """Insert a record unless one with the same natural key is there (imports repeat)."""
    same = [getattr(table, column) == value for column, value in key.items()]
    if connection.execute(select(table.id).where(*same)).first() is not None:
        return False
    connection.execute(insert(table).values(**key, **values))
    return True


def _organization(
    connection: Connection, name: str, now: datetime, website: str | None = None, notes: str = ""
) -> int:
    found = connection.execute(select(Organization.id).where(Organization.name == name)).scalar()
    if found is not None:
        return int(found)
    return int(
        inserted_id(
            connection.execute(
                insert(Organization).values(name=name, website=website, notes=notes, created_at=now)
            )
        )
    )
