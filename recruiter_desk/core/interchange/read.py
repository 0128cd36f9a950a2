"""Reading the JSON interchange format: the whole file is checked before anything is
written, and a missing required key is an error naming the record
(``interactions[4] (id "i9") has no occurred_at``). Unknown keys are ignored; computed keys
(``full_name``, ``warmth``, ``status``, ``last_touch``) too. See docs/interchange.md.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from recruiter_desk.core.imports.model import BadImportFile, IncomingPerson
from recruiter_desk.core.imports.reading import Source
from recruiter_desk.core.interchange import COLLECTIONS, FORMAT_NAME, VERSION
from recruiter_desk.core.interchange.records import (
    ArticleRecord,
    CandidacyRecord,
    FollowUpRecord,
    InteractionRecord,
    Interchange,
    OpportunityRecord,
    OrganizationRecord,
    Records,
    TemplateRecord,
)
from recruiter_desk.core.normalize import clean, tag
from recruiter_desk.core.vocabulary import (
    DIRECTIONS,
    INTERACTION_KINDS,
    OPENNESS,
    OPPORTUNITY_STATUSES,
    STAGES,
    WORK_MODE_BITS,
)

_T = TypeVar("_T")


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


# Whole numbers past 64 bits fit no database column (and past 4,300 digits Python refuses to
# read them); a Recruiter Desk file never holds one.
_MAX_DIGITS = 18
# An escaped UTF-16 half without its other half: no text can hold it, and SQLite refuses it.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class _NumberTooLong(Exception):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_DIGITS:
        raise _NumberTooLong(digits)
    return int(digits)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, max(0, position)) + 1


def _load_json(source: Source) -> Any:
    """The parsed document; anything JSON allows but no export can hold is one sentence."""
    text = source.read_text()
    lone = _LONE_SURROGATE.search(text)
    if lone:
        raise BadImportFile(
            source.name,
            f"it holds {lone.group(0)}, half of a character without its other half.",
            _line_of(text, lone.start()),
        )
    try:
        return json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as error:
        raise BadImportFile(
            source.name, f"it is not valid JSON ({error.msg}).", error.lineno
        ) from error
    except _NumberTooLong as error:
        # JSON numbers follow ":", "[", "," or white space; the first such run of digits.
        found = re.search(r"[:\[,\s]\s*" + re.escape(error.digits) + r"(?![\d.eE])", text)
        raise BadImportFile(
            source.name,
            f"it holds a whole number of {len(error.digits.lstrip('-'))} digits, too long for "
            "any field.",
            _line_of(text, found.end()) if found else None,
        ) from error
    except RecursionError as error:
        raise BadImportFile(
            source.name, "it nests lists or objects too deeply for a Recruiter Desk export."
        ) from error


def parse_interchange(source: Source) -> Interchange:
    reader = _Reader(source.name)
    document = _load_json(source)
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
) -> Records:
    organization_records = tuple(
        OrganizationRecord(
            ref=o["id"],
            name=organization_names[o["id"]],
            website=reader.text(o, "website", "") or None,
            notes=str(o.get("notes") or ""),
        )
        for o in records["organizations"]
    )
    opportunities: list[OpportunityRecord] = []
    for index, record in enumerate(records["opportunities"]):
        where = reader.where("opportunities", index, record)
        title = reader.text(record, "title", where)
        if not title:
            raise reader.fail(where, "has no title")
        opportunities.append(
            OpportunityRecord(
                ref=record["id"],
                title=title,
                organization=reader.ref(
                    record, "organization_id", where, organizations, required=False
                ),
                company=reader.text(record, "company", where),
                work_mode=reader.choice(record, "work_mode", where, tuple(WORK_MODE_BITS), None),
                location=reader.text(record, "location", where),
                status=reader.choice(record, "status", where, OPPORTUNITY_STATUSES, "open")
                or "open",
                skills=tuple(tag(s) for s in reader.strings(record, "skills", where)),
                description=str(record.get("description") or ""),
                created_at=reader.moment(record, "created_at", where),
            )
        )
    opportunity_refs = {o.ref for o in opportunities}
    candidacies: list[CandidacyRecord] = []
    for index, record in enumerate(records["candidacies"]):
        where = reader.where("candidacies", index, record)
        history = record.get("history") or []
        if not isinstance(history, list):
            raise reader.fail(where, "has a history that is not a list")
        steps: list[tuple[datetime | None, str]] = []
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
        candidacies.append(
            CandidacyRecord(
                ref=record["id"],
                person=_required(reader.ref(record, "person_id", where, people, required=True)),
                opportunity=_required(
                    reader.ref(record, "opportunity_id", where, opportunity_refs, required=True)
                ),
                stage=stage,
                history=tuple(sorted(steps, key=lambda s: s[0] or datetime.min)),
            )
        )
    interactions: list[InteractionRecord] = []
    for index, record in enumerate(records["interactions"]):
        where = reader.where("interactions", index, record)
        kind = reader.choice(record, "kind", where, INTERACTION_KINDS, None)
        if kind is None:
            raise reader.fail(where, "has no kind")
        interactions.append(
            InteractionRecord(
                person=_required(reader.ref(record, "person_id", where, people, required=True)),
                kind=kind,
                direction=reader.choice(record, "direction", where, DIRECTIONS, "outbound")
                or "outbound",
                occurred_at=_required(reader.moment(record, "occurred_at", where, required=True)),
                subject=reader.text(record, "subject", where),
                body=str(record.get("body") or ""),
                opportunity=reader.ref(
                    record, "opportunity_id", where, opportunity_refs, required=False
                ),
            )
        )
    follow_ups: list[FollowUpRecord] = []
    for index, record in enumerate(records["follow_ups"]):
        where = reader.where("follow_ups", index, record)
        follow_ups.append(
            FollowUpRecord(
                person=_required(reader.ref(record, "person_id", where, people, required=True)),
                due_on=_required(reader.day(record, "due_on", where, required=True)),
                reason=reader.text(record, "reason", where),
                done_at=reader.moment(record, "done_at", where),
                created_at=reader.moment(record, "created_at", where),
            )
        )
    articles: list[ArticleRecord] = []
    for index, record in enumerate(records["articles"]):
        where = reader.where("articles", index, record)
        url = reader.text(record, "url", where)
        if not url:
            raise reader.fail(where, "has no url")
        articles.append(
            ArticleRecord(
                url=url,
                title=reader.text(record, "title", where),
                topics=tuple(tag(t) for t in reader.strings(record, "topics", where)),
                created_at=reader.moment(record, "created_at", where),
            )
        )
    templates: list[TemplateRecord] = []
    for index, record in enumerate(records["templates"]):
        where = reader.where("templates", index, record)
        name = reader.text(record, "name", where)
        if not name:
            raise reader.fail(where, "has no name")
        templates.append(
            TemplateRecord(
                name=name,
                purpose=reader.text(record, "purpose", where),
                subject=str(record.get("subject") or ""),
                body=str(record.get("body") or ""),
            )
        )
    return Records(
        organizations=organization_records,
        opportunities=tuple(opportunities),
        candidacies=tuple(candidacies),
        interactions=tuple(interactions),
        follow_ups=tuple(follow_ups),
        articles=tuple(articles),
        templates=tuple(templates),
    )


def _required(value: _T | None) -> _T:
    """A value the reader was told is required (it raised otherwise); narrows the type."""
    assert value is not None
    return value
