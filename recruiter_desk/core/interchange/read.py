"""Reading the JSON interchange format as it streams: records are built one at a time and
handed on in parts, so an import holds a part, never the file. The syntax, format and
version are checked in a first pass before anything is written; a record's problem is an
error naming it (``interactions[4] (id "i9") has no occurred_at``) that rolls the import
back. Unknown keys are ignored; computed keys (``full_name``, ``warmth``, ``status``,
``last_touch``) too. See docs/interchange.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import ijson
from ijson.common import ObjectBuilder

from recruiter_desk.core.imports import reading
from recruiter_desk.core.imports.model import BadImportFile, IncomingPerson
from recruiter_desk.core.imports.reading import Source
from recruiter_desk.core.interchange import COLLECTIONS, FORMAT_NAME, VERSION
from recruiter_desk.core.interchange.records import (
    ArticleRecord,
    CandidacyRecord,
    FollowUpRecord,
    InteractionRecord,
    OpportunityRecord,
    OrganizationRecord,
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
_TOO_BIG = 10**_MAX_DIGITS
# An export nests four deep (a candidacy's history steps); far deeper is not one, and
# deep nesting is what makes JSON readers recurse or build huge paths.
_MAX_DEPTH = 32
# An escaped UTF-16 half without its other half: no text can hold it, and SQLite refuses it.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_LONG_NUMBER = re.compile(rf"[:\[,\s]\s*(-?\d{{{_MAX_DIGITS + 1},}})(?![\d.eE])")
# What is looked at again of a piece's end when the next one comes: twice a pair's length.
_TAIL = 24
# What each collection's records point at: it is read once those are written.
_NEEDS: dict[str, tuple[str, ...]] = {
    "people": (),
    "organizations": (),
    "opportunities": ("organizations",),
    "candidacies": ("people", "opportunities"),
    "interactions": ("people", "opportunities"),
    "follow_ups": ("people",),
    "articles": (),
    "templates": (),
}


class _Unreadable(Exception):
    """Parsing stopped at the current line: a syntax error, or a number no field holds."""

    def __init__(self, reason: str, digits: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.digits = digits


class _Feed:
    """The source's text as UTF-8 bytes for the parser, a piece at a time (a line at a time
    from line ``exact_from`` on, so a failure can be pinned to its line). Lone surrogates
    are refused here, on the text: parsers pass them on or mangle them silently."""

    def __init__(self, source: Source, exact_from: int | None = None) -> None:
        self._name = source.name
        self._pieces = source.pieces()
        self._pending = ""
        self._tail = ""
        self._exact_from = exact_from
        self._line = 1  # the line the next character handed over is on
        self.first_line = 1  # where the text handed over last starts
        self.last_line = 1  # and where it ends
        self.last_text = ""
        self.chars_read = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks for nothing first, to learn whether it gets bytes
        if not self._pending:
            self._pending = self._next_piece()
        text = self._pending
        if self._exact_from is not None and self._line + text.count("\n") >= self._exact_from:
            # Whole lines up to the line before ``exact_from``, then one line at a time.
            lines = max(1, self._exact_from - self._line)
            cut = 0
            for _ in range(lines):
                cut = text.find("\n", cut) + 1
                if not cut:
                    cut = len(text)
                    break
            text, self._pending = text[:cut], text[cut:]
        else:
            self._pending = ""
        self.first_line = self._line
        newlines = text.count("\n")
        self._line += newlines
        self.last_line = self._line - 1 if text.endswith("\n") else self._line
        self.last_text = text
        self.chars_read += len(text)
        return text.encode("utf-8")

    def _next_piece(self) -> str:
        piece = next((p for p in self._pieces if p), "")
        if "\\" in piece or self._tail:
            self._check(piece)
        return piece

    def _check(self, piece: str) -> None:
        """Refuse a lone surrogate escape. An escape may be cut between two pieces, so the
        last characters of the one before are looked at again with this one, and a match
        near the end waits for the next piece (it may be the first half of a pair)."""
        final = not piece
        text = self._tail + piece
        for lone in _LONE_SURROGATE.finditer(text):
            # Judged with the piece before (it had the six characters after it)?
            judged_before = bool(self._tail) and lone.start() <= len(self._tail) - 12
            if judged_before or (not final and lone.end() + 6 > len(text)):
                continue
            before = len(self._tail)
            line = (
                self._line + text.count("\n", before, lone.start())
                if lone.start() >= before
                else self._line - text.count("\n", lone.start(), before)
            )
            raise BadImportFile(
                self._name,
                f"it holds {lone.group(0)}, half of a character without its other half.",
                line,
            )
        self._tail = text[-_TAIL:] if "\\" in text[-_TAIL:] else ""


def _reason(error: Exception) -> str:
    """The parser's own words for what is wrong, short: ``parse error: invalid object key
    (must be a string)`` → ``invalid object key (must be a string)``."""
    text = str(error).strip().split("\n", 1)[0]
    text = re.sub(r"^(parse|lexical) error: ", "", text)
    text = re.sub(r" at \d+$", "", text)
    return text[:1].lower() + text[1:120] if text else "it ends too early"


class _TooDeep(Exception):
    pass


class _NotAnExport(Exception):
    pass


_END = -1  # the index of the marker a walk yields when a collection's list closes


class _Walk:
    """One pass over the document. At the top level it keeps the scalars and what each key
    holds; the items of the wanted collections are built one at a time and yielded as
    ``(collection, index, item)``, then ``(collection, _END, None)`` when its list closes.
    Everything else is skipped without building anything."""

    def __init__(self, source: Source, exact_from: int | None = None) -> None:
        self.feed = _Feed(source, exact_from)
        self.scalars: dict[str, Any] = {}
        self.kinds: dict[str, str] = {}

    def items(self, wanted: Callable[[str], bool]) -> Iterator[tuple[str, int, Any]]:
        try:
            yield from self._items(wanted)
        except ijson.JSONError as error:
            raise _Unreadable(_reason(error)) from error
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            # Each of ijson's parsers has its own ways of failing on bad input.
            raise _Unreadable(_reason(error)) from error

    def _items(self, wanted: Callable[[str], bool]) -> Iterator[tuple[str, int, Any]]:
        # Millions of events go through here: the common ones (inside a record) are decided
        # with as few tests as possible.
        depth = 0
        key = ""
        collecting = False
        builder: ObjectBuilder | None = None
        index = 0
        for event, value in ijson.basic_parse(self.feed, use_float=True):
            if event == "start_map" or event == "start_array":
                depth += 1
                if depth > 2:
                    if depth > _MAX_DEPTH:
                        raise _TooDeep
                    if depth == 3 and collecting:
                        builder = ObjectBuilder()
                elif depth == 2:
                    self.kinds[key] = "list" if event == "start_array" else "object"
                    collecting = event == "start_array" and wanted(key)
                    index = 0
                elif event == "start_array":
                    raise _NotAnExport
            elif event == "end_map" or event == "end_array":
                depth -= 1
                if depth == 2 and builder is not None:
                    builder.event(event, value)
                    yield key, index, builder.value
                    builder = None
                    index += 1
                    continue
                if depth == 1 and collecting:
                    collecting = False
                    yield key, _END, None
            elif depth > 2:
                # Whole numbers past 18 digits fit no field. (``basic_parse`` gives the
                # events without the paths ``parse`` builds, which grow with the depth.)
                if event == "number" and type(value) is int and not -_TOO_BIG < value < _TOO_BIG:
                    raise _Unreadable("too long", str(value))
            elif depth == 0:
                raise _NotAnExport
            elif event == "number" and type(value) is int and not -_TOO_BIG < value < _TOO_BIG:
                raise _Unreadable("too long", str(value))
            elif depth == 1:
                if event == "map_key":
                    key = value
                else:
                    self.scalars[key] = value
                    self.kinds[key] = "scalar"
            elif collecting:
                yield key, index, value  # a list item that is not an object
                index += 1
            if builder is not None:
                builder.event(event, value)


def _walk(
    walk: _Walk, source: Source, wanted: Callable[[str], bool]
) -> Iterator[tuple[str, int, Any]]:
    """``walk.items(wanted)``, its failures as one sentence naming the line: a pass that
    stops is run again a line at a time from where it stopped, which pins the line down."""
    try:
        yield from walk.items(wanted)
    except _TooDeep as error:
        raise BadImportFile(
            source.name, "it nests lists or objects too deeply for a Recruiter Desk export."
        ) from error
    except _NotAnExport as error:
        raise _not_an_export(source) from error
    except _Unreadable as error:
        stopped = error
        # The same failure, met again with the line known.
        exact = _Walk(source, exact_from=walk.feed.first_line)
        try:
            for _item in exact.items(lambda _key: False):
                pass
        except _Unreadable as again:
            stopped = again
        except (_TooDeep, _NotAnExport):
            pass
        digits = stopped.digits
        if not digits:
            found = _LONG_NUMBER.search(exact.feed.last_text)
            digits = found.group(1) if found else ""
        line = exact.feed.last_line or None
        if digits:
            raise BadImportFile(
                source.name,
                f"it holds a whole number of {len(digits.lstrip('-'))} digits, too long for "
                "any field.",
                line,
            ) from error
        raise BadImportFile(
            source.name, f"it is not valid JSON ({stopped.reason}).", line
        ) from error


def _not_an_export(source: Source) -> BadImportFile:
    return BadImportFile(
        source.name, 'it is not a Recruiter Desk export (no "format": "recruiter-desk").'
    )


def read_interchange(source: Source) -> Iterator[tuple[str, list[Any]]]:
    """The file's records a part at a time, as ``(collection, records)``: people as
    ``IncomingPerson``, the rest as the records of ``records.py``. A record comes only after
    everything it points at (people before their interactions), whatever the file's order.

    A first pass checks the syntax, format and version and keeps the organizations (few,
    and people may point at them); then passes hand on the records a part at a time (one
    pass for the app's own exports, whose order already fits). Raises ``BadImportFile``
    naming the record or the line.
    """
    reader = _Reader(source.name)
    first = _Walk(source)
    organizations = [
        item for _key, index, item in _walk(first, source, "organizations".__eq__)
        if index != _END
    ]  # fmt: skip
    scalars, kinds = first.scalars, first.kinds
    if scalars.get("format") != FORMAT_NAME:
        raise _not_an_export(source)
    version = scalars.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadImportFile(source.name, "it has no valid version number.")
    if version > VERSION:
        raise BadImportFile(
            source.name,
            f"it was written by a newer version of Recruiter "
            f"Desk (format version {version}); update the app.",
        )
    for collection in COLLECTIONS:
        if kinds.get(collection, "list") != "list":
            raise BadImportFile(source.name, f'"{collection}" is not a list.')
    ids = _Ids(reader)
    names: dict[str, str] = {}
    for index, item in enumerate(organizations):
        ref = ids.check("organizations", index, item)
        where = reader.where("organizations", index, item)
        names[ref] = reader.text(item, "name", where)
        if not names[ref]:
            raise reader.fail(where, "has no name")
    convert = _Converter(reader, names)
    convert.ids = ids
    done = {c for c in COLLECTIONS if kinds.get(c) != "list"}
    while len(done) < len(COLLECTIONS):
        before = len(done)

        def wanted(key: str) -> bool:
            return key in _NEEDS and key not in done and all(n in done for n in _NEEDS[key])

        walk = _Walk(source)
        part: list[Any] = []
        start = 0
        for key, index, item in _walk(walk, source, wanted):
            if index == _END:
                if part:
                    yield key, part
                part, start = [], walk.feed.chars_read
                done.add(key)
                continue
            if key != "organizations":
                ids.check(key, index, item)
            part.append(convert.record(key, index, item))
            if len(part) >= reading.PART or walk.feed.chars_read - start >= reading.PART_BYTES:
                yield key, part
                part, start = [], walk.feed.chars_read
        if len(done) == before:  # cannot happen: _NEEDS has no cycle
            raise AssertionError("interchange collections point at each other in a cycle")


class _Ids:
    """Every record has a string id, unique in its collection. Only the ids other records
    point at are kept (people, opportunities): they are what references are checked
    against. The rest are kept as 8-byte digests, so a file of a million interactions
    costs megabytes, not the file."""

    _KEPT = ("people", "opportunities", "organizations")

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.kept: dict[str, set[str]] = {c: set() for c in COLLECTIONS}
        self.digests: dict[str, set[int]] = {c: set() for c in COLLECTIONS}

    def check(self, collection: str, index: int, item: Any) -> str:
        where = f"{collection}[{index}]"
        if not isinstance(item, dict):
            raise self.reader.fail(where, "is not an object")
        ref = item.get("id")
        if not isinstance(ref, str) or not ref:
            raise self.reader.fail(where, 'has no string "id"')
        if collection in self._KEPT:
            seen: set[Any] = self.kept[collection]
            marker: Any = ref
        else:
            seen = self.digests[collection]
            marker = int.from_bytes(hashlib.blake2b(ref.encode(), digest_size=8).digest())
        if marker in seen:
            raise self.reader.fail(self.reader.where(collection, index, item), "repeats an id")
        seen.add(marker)
        return ref


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


class _Converter:
    """A record of the file, checked, as the typed record the import writes. References
    are checked against the ids read so far, which holds everything a record may point
    at: ``read_interchange`` hands a collection on only after those it points at."""

    def __init__(self, reader: _Reader, organization_names: dict[str, str]) -> None:
        self.reader = reader
        self.organization_names = organization_names
        self.ids: _Ids | None = None

    def record(self, collection: str, index: int, record: dict[str, Any]) -> Any:
        where = self.reader.where(collection, index, record)
        if collection == "people":
            return _person(self.reader, index, record, self.organization_names)
        return getattr(self, collection)(record, where)

    def _known(self, collection: str) -> set[str]:
        assert self.ids is not None
        return self.ids.kept[collection]

    def organizations(self, record: dict[str, Any], _where: str) -> OrganizationRecord:
        return OrganizationRecord(
            ref=record["id"],
            name=self.organization_names[record["id"]],
            website=self.reader.text(record, "website", "") or None,
            notes=str(record.get("notes") or ""),
        )

    def opportunities(self, record: dict[str, Any], where: str) -> OpportunityRecord:
        reader = self.reader
        title = reader.text(record, "title", where)
        if not title:
            raise reader.fail(where, "has no title")
        return OpportunityRecord(
            ref=record["id"],
            title=title,
            organization=reader.ref(
                record, "organization_id", where, set(self.organization_names), required=False
            ),
            company=reader.text(record, "company", where),
            work_mode=reader.choice(record, "work_mode", where, tuple(WORK_MODE_BITS), None),
            location=reader.text(record, "location", where),
            status=reader.choice(record, "status", where, OPPORTUNITY_STATUSES, "open") or "open",
            skills=tuple(tag(s) for s in reader.strings(record, "skills", where)),
            description=str(record.get("description") or ""),
            created_at=reader.moment(record, "created_at", where),
        )

    def candidacies(self, record: dict[str, Any], where: str) -> CandidacyRecord:
        reader = self.reader
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
        return CandidacyRecord(
            ref=record["id"],
            person=_required(
                reader.ref(record, "person_id", where, self._known("people"), required=True)
            ),
            opportunity=_required(
                reader.ref(
                    record,
                    "opportunity_id",
                    where,
                    self._known("opportunities"),
                    required=True,
                )
            ),
            stage=stage,
            history=tuple(sorted(steps, key=lambda s: s[0] or datetime.min)),
        )

    def interactions(self, record: dict[str, Any], where: str) -> InteractionRecord:
        reader = self.reader
        kind = reader.choice(record, "kind", where, INTERACTION_KINDS, None)
        if kind is None:
            raise reader.fail(where, "has no kind")
        return InteractionRecord(
            person=_required(
                reader.ref(record, "person_id", where, self._known("people"), required=True)
            ),
            kind=kind,
            direction=reader.choice(record, "direction", where, DIRECTIONS, "outbound")
            or "outbound",
            occurred_at=_required(reader.moment(record, "occurred_at", where, required=True)),
            subject=reader.text(record, "subject", where),
            body=str(record.get("body") or ""),
            opportunity=reader.ref(
                record, "opportunity_id", where, self._known("opportunities"), required=False
            ),
        )

    def follow_ups(self, record: dict[str, Any], where: str) -> FollowUpRecord:
        reader = self.reader
        return FollowUpRecord(
            person=_required(
                reader.ref(record, "person_id", where, self._known("people"), required=True)
            ),
            due_on=_required(reader.day(record, "due_on", where, required=True)),
            reason=reader.text(record, "reason", where),
            done_at=reader.moment(record, "done_at", where),
            created_at=reader.moment(record, "created_at", where),
        )

    def articles(self, record: dict[str, Any], where: str) -> ArticleRecord:
        reader = self.reader
        url = reader.text(record, "url", where)
        if not url:
            raise reader.fail(where, "has no url")
        return ArticleRecord(
            url=url,
            title=reader.text(record, "title", where),
            topics=tuple(tag(t) for t in reader.strings(record, "topics", where)),
            created_at=reader.moment(record, "created_at", where),
        )

    def templates(self, record: dict[str, Any], where: str) -> TemplateRecord:
        reader = self.reader
        name = reader.text(record, "name", where)
        if not name:
            raise reader.fail(where, "has no name")
        return TemplateRecord(
            name=name,
            purpose=reader.text(record, "purpose", where),
            subject=str(record.get("subject") or ""),
            body=str(record.get("body") or ""),
        )


def _required(value: _T | None) -> _T:
    """A value the reader was told is required (it raised otherwise); narrows the type."""
    assert value is not None
    return value
