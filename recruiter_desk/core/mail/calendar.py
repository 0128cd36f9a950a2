"""Calendar files become touchpoints: each meeting held with a person is a meeting interaction.

- read: ``.ics`` files (Google Calendar's export, Outlook's, Apple Calendar's, an invitation
  saved from a mail) and folders of them; each file is one transaction, the whole run one
  import batch that ``undo-import`` takes back (the mail import's machinery, core/mail);
- who: the organizer and every attendee whose address is a person's, except rooms,
  resources and groups, attendees who declined, and my own addresses;
- direction: inbound when the person organised the meeting (they reached out), outbound
  otherwise (you or a colleague did);
- what: SUMMARY as the subject, the first lines of DESCRIPTION as the body, DTSTART in the
  event's own time zone as the time (stored in UTC); an all-day event at noon, and a time
  without a zone in your time (the ``timezone`` setting);
- which: a meeting counts once it has started, up to the as-of moment; a recurring one
  (RRULE, RDATE, EXDATE, moved or cancelled occurrences) once per occurrence; cancelled
  events (STATUS:CANCELLED, or a file whose METHOD is CANCEL) never;
- never twice: each occurrence is keyed by its UID and the start it was scheduled for
  (RECURRENCE-ID, else DTSTART), so importing the same calendar again, or a later export of
  it, adds nothing new for meetings already counted.

See docs/mail.md, "Calendar files".
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from recruiter_desk.core.identity import email_key
from recruiter_desk.core.imports.model import ImportCancelled, Progress
from recruiter_desk.core.mail import importer
from recruiter_desk.core.mail.importer import AddedMail, UnknownCorrespondent
from recruiter_desk.core.mail.reading import Address, is_no_reply
from recruiter_desk.core.wording import count
from recruiter_desk.db import touch
from recruiter_desk.db.models import ImportBatch, MailInteraction
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError

log = logging.getLogger(__name__)

CALENDAR_FORMAT = "calendar"
# Calendar exports of many years stay a few MB; anything far larger is not a calendar.
MAX_FILE_BYTES = 200 * 1024 * 1024
# How much of a description becomes the body: its first lines, not the dial-in details.
BODY_LINES = 6
BODY_CHARS = 1000
_NOT_PEOPLE = ("ROOM", "RESOURCE", "GROUP")
_EARLIEST = date(1970, 1, 1)


class _DryRun(Exception):
    """Rolls a file's transaction back once a dry run has worked it out."""


@dataclass(frozen=True)
class CalendarFileSummary:
    source: str
    events: int  # VEVENTs in the file (a recurring event with its moved occurrences is one)
    occurrences: int  # meetings held up to the as-of moment, cancelled ones excepted
    added: int
    duplicates: int
    cancelled: int
    upcoming: int  # events that had not started yet: counted once they have
    without_people: int  # occurrences with nobody from your network (or no attendees)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "events": self.events,
            "occurrences": self.occurrences,
            "added": self.added,
            "duplicates": self.duplicates,
            "cancelled": self.cancelled,
            "upcoming": self.upcoming,
            "without_people": self.without_people,
        }


@dataclass(frozen=True)
class CalendarReport:
    sources: tuple[CalendarFileSummary, ...]
    added: tuple[AddedMail, ...]
    unknown: tuple[UnknownCorrespondent, ...]
    people_added: tuple[str, ...]
    batch_id: int | None
    dry_run: bool

    def total(self, name: str) -> int:
        return sum(int(getattr(s, name)) for s in self.sources)

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "batch_id": self.batch_id,
            "events": self.total("events"),
            "occurrences": self.total("occurrences"),
            "added": [a.to_json() for a in self.added],
            "duplicates": self.total("duplicates"),
            "cancelled": self.total("cancelled"),
            "upcoming": self.total("upcoming"),
            "without_people": self.total("without_people"),
            "people_added": list(self.people_added),
            "unknown": [
                {"address": u.address, "name": u.name, "meetings": u.messages} for u in self.unknown
            ],
            "sources": [s.to_json() for s in self.sources],
        }


def import_calendar(
    database: Database,
    paths: Sequence[Path],
    *,
    my_addresses: Iterable[str],
    zone: tzinfo,
    until: datetime,
    now: datetime,
    add_unknown: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CalendarReport:
    """Import the meetings in ``paths`` held up to ``until`` (UTC, naive); see the module
    docstring for the rules. ``zone`` places all-day events and times without a zone.

    Raises ``KnownError`` for a path that holds no calendar or a file that is not one,
    ``ImportCancelled`` when cancelled (the file being read is rolled back; files finished
    before it stay imported).
    """
    mine = frozenset(k for a in my_addresses if "@" in a and (k := email_key(a)))
    report_progress = progress or (lambda _stage, _fraction: None)
    is_cancelled = cancelled or (lambda: False)
    files = find_calendars(paths)
    with database.connect() as connection:
        run = importer.MailRun(
            mine,
            add_unknown,
            importer._known_addresses(connection),
            {
                (k, p)
                for k, p in connection.execute(
                    select(MailInteraction.message_key, MailInteraction.person_id).where(
                        MailInteraction.message_key.like("ics:%")
                    )
                )
            },
            set(),
            batch_format=CALENDAR_FORMAT,
        )
    run.source_label = ", ".join(str(p) for p in paths)[:1000]
    summaries: list[CalendarFileSummary] = []
    for index, path in enumerate(files):
        report_progress(f"Reading {path.name}", index / len(files))
        if is_cancelled():
            raise ImportCancelled
        events = _read(path)
        batch_before = run.batch_id
        added_before, people_before = len(run.added), len(run.people_added)
        known_before, seen_before = dict(run.known), set(run.seen)
        names_before = dict(run.names)
        try:
            with database.write() as connection:
                summary = _import_file(connection, run, path, events, zone, until, now)
                summaries.append(summary)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            run.batch_id = batch_before
            run.known, run.seen, run.names = known_before, seen_before, names_before
        except BaseException:
            del run.added[added_before:]
            del run.people_added[people_before:]
            raise
    report_progress("Done", 1.0)
    log.info(
        "calendar import: %d occurrences, %d interactions added%s",
        sum(s.occurrences for s in summaries),
        len(run.added),
        " (dry run)" if dry_run else "",
    )
    unknown = sorted(run.unknown.values(), key=lambda u: (-u.messages, u.address))
    return CalendarReport(
        tuple(summaries),
        tuple(run.added),
        tuple(UnknownCorrespondent(u.address, u.name, u.messages) for u in unknown),
        tuple(run.people_added),
        None if dry_run else run.batch_id,
        dry_run,
    )


def summary_lines(report: CalendarReport) -> list[str]:
    """What a calendar import did, in the words both the command line and the window use."""
    lines = []
    for s in report.sources:
        extra = [
            f"{s.duplicates} already here" if s.duplicates else "",
            f"{s.cancelled} cancelled" if s.cancelled else "",
            f"{s.upcoming} still to come" if s.upcoming else "",
            f"{s.without_people} with nobody from your network" if s.without_people else "",
        ]
        lines.append(
            f"{s.source}: {count(s.events, 'event')}, {count(s.occurrences, 'meeting')} held, "
            f"{s.added} added" + "".join(f", {e}" for e in extra if e) + "."
        )
    verb = "Would add" if report.dry_run else "Added"
    batch = f" (import batch {report.batch_id})" if report.batch_id else ""
    lines.append(f"{verb} {count(len(report.added), 'meeting interaction')}{batch}.")
    if report.people_added:
        lines.append(
            f"{verb} {count(len(report.people_added), 'person')} you met: "
            + ", ".join(report.people_added[:20])
            + (" …" if len(report.people_added) > 20 else "")
        )
    if report.unknown:
        lines.append(f"{count(len(report.unknown), 'attendee')} not in your network.")
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return lines


# -- reading --------------------------------------------------------------------------------


def find_calendars(paths: Sequence[Path]) -> list[Path]:
    """The .ics files under ``paths``; a path that holds none is one clear error."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise KnownError(f"There is no file or folder {path}.")
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() == ".ics"
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                raise KnownError(f"No calendar found in {path}: expected .ics files.")
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            raise KnownError(f"Cannot read {path}: it is not a file or a folder.")
    return list(dict.fromkeys(found))


def _read(path: Path) -> Any:
    import icalendar

    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KnownError(f"Cannot import {path}: it is over 200 MB, too large for a calendar.")
        data = path.read_bytes()
    except OSError as exc:
        raise KnownError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise KnownError(f"Cannot import {path}: it is not an iCalendar (.ics) file.")
    if b"END:VCALENDAR" not in data[-4096:].upper():
        raise KnownError(f"Cannot import {path}: the calendar is cut short (no END:VCALENDAR).")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise KnownError(f"Cannot import {path}: the calendar is damaged ({exc}).") from exc
    return calendars


@dataclass
class _Occurrence:
    key: str
    start: datetime  # naive UTC
    subject: str
    body: str
    organizer: Address | None
    attendees: list[Address] = field(default_factory=list)


def _address(value: Any) -> Address | None:
    raw = str(value or "").strip()
    if raw.lower().startswith("mailto:"):
        raw = raw[7:]
    key = email_key(raw) if "@" in raw else ""
    if not key:
        return None
    params = getattr(value, "params", {}) or {}
    return Address(key, raw, str(params.get("CN", "") or "").strip().strip('"'))


def _people(component: Any, master: Any | None) -> tuple[Address | None, list[Address]]:
    """The organizer and attendees who are people; a moved occurrence that repeats none
    keeps its series' (a meeting moved to Thursday has the same people)."""
    source = component if component.get("ATTENDEE") or master is None else master
    organizer_value = component.get("ORGANIZER") or (master.get("ORGANIZER") if master else None)
    organizer = _address(organizer_value) if organizer_value else None
    values = source.get("ATTENDEE") or []
    if not isinstance(values, list):
        values = [values]
    attendees = []
    for value in values:
        params = getattr(value, "params", {}) or {}
        if str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE:
            continue
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        address = _address(value)
        if address is not None:
            attendees.append(address)
    return organizer, attendees


def _inherited(component: Any, master: Any | None, name: str) -> Any:
    """A moved occurrence's own value, else its series' (exports often repeat only what
    changed)."""
    value = component.get(name)
    if value is None and master is not None:
        value = master.get(name)
    return value


def _utc(value: Any, zone: tzinfo, *, all_day_at: time = time(12)) -> datetime:
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=zone)
    else:
        moment = datetime.combine(value, all_day_at, tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _key(uid: str, scheduled: Any, zone: tzinfo) -> str:
    when = scheduled.isoformat() if not isinstance(scheduled, datetime) else None
    if when is None:
        when = _utc(scheduled, zone).isoformat()
    key = f"ics:{uid}/{when}"
    if len(key) <= 300:
        return key
    return "ics:" + hashlib.sha256(key.encode()).hexdigest()


def _first_lines(description: Any) -> str:
    text = str(description or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    kept = "\n".join(lines[:BODY_LINES]).strip()
    return kept if len(kept) <= BODY_CHARS else kept[: BODY_CHARS - 1].rstrip() + "…"


@dataclass
class _Counts:
    events: int = 0
    occurrences: int = 0
    cancelled: int = 0
    upcoming: int = 0


def _occurrences(
    calendars: Any, zone: tzinfo, until: datetime, counts: _Counts
) -> Iterator[_Occurrence]:
    import recurring_ical_events

    for calendar in calendars:
        method = str(calendar.get("METHOD", "")).upper()
        events = list(calendar.walk("VEVENT"))
        counts.events += sum(1 for e in events if e.get("RECURRENCE-ID") is None)
        if method == "CANCEL":
            counts.cancelled += len(events)
            continue
        masters = {str(e.get("UID", "")): e for e in events if e.get("RECURRENCE-ID") is None}
        counts.upcoming += sum(
            1
            for e in masters.values()
            if e.get("DTSTART") is not None
            and e.get("RRULE") is None
            and _utc(e.decoded("DTSTART"), zone) >= until
        )
        end = (until.replace(tzinfo=UTC).astimezone(zone)).date()
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
        for component in query.between(_EARLIEST, date.fromordinal(end.toordinal() + 1)):
            start_value = component.get("DTSTART")
            if start_value is None:
                continue
            start = _utc(start_value.dt, zone)
            if start >= until:
                continue
            if str(component.get("STATUS", "")).upper() == "CANCELLED":
                counts.cancelled += 1
                continue
            counts.occurrences += 1
            uid = str(component.get("UID", "")).strip()
            recurrence = component.get("RECURRENCE-ID")
            scheduled = recurrence.dt if recurrence is not None else start_value.dt
            if not uid:
                # No UID (rare, hand-made files): what the meeting was and when stands in.
                uid = hashlib.sha256(
                    f"{component.get('SUMMARY', '')}|{start.isoformat()}".encode()
                ).hexdigest()
            master = masters.get(uid)
            organizer, attendees = _people(component, master)
            yield _Occurrence(
                _key(uid, scheduled, zone),
                start,
                str(_inherited(component, master, "SUMMARY") or "").strip()[:500],
                _first_lines(_inherited(component, master, "DESCRIPTION")),
                organizer,
                attendees,
            )


def _import_file(
    connection: Connection,
    run: importer.MailRun,
    path: Path,
    calendars: Any,
    zone: tzinfo,
    until: datetime,
    now: datetime,
) -> CalendarFileSummary:
    counts = _Counts()
    duplicates = without_people = 0
    pending: list[importer._Pending] = []
    touched: set[int] = set()
    try:
        occurrences = list(_occurrences(calendars, zone, until, counts))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KnownError(f"Cannot import {path}: an event in it is damaged ({exc}).") from exc
    for occurrence in occurrences:
        everyone = ([occurrence.organizer] if occurrence.organizer else []) + [
            a for a in occurrence.attendees if a.key != getattr(occurrence.organizer, "key", None)
        ]
        targets: list[tuple[int, str]] = []
        counted_before = duplicates
        for address in everyone:
            if address.key in run.mine or is_no_reply(address.key):
                continue
            person_id = importer._person_for(connection, run, address, now)
            if person_id is None or any(t[0] == person_id for t in targets):
                continue
            if (occurrence.key, person_id) in run.seen:
                duplicates += 1
                continue
            organised_by_them = occurrence.organizer is not None and (
                occurrence.organizer.key == address.key
            )
            targets.append((person_id, "inbound" if organised_by_them else "outbound"))
        if not targets:
            if duplicates == counted_before:
                without_people += 1
            continue
        for person_id, direction in targets:
            run.seen.add((occurrence.key, person_id))
            pending.append(
                importer._Pending(
                    occurrence.key,
                    person_id,
                    {
                        "person_id": person_id,
                        "kind": "meeting",
                        "direction": direction,
                        "occurred_at": occurrence.start,
                        "subject": occurrence.subject,
                        "body": occurrence.body,
                    },
                )
            )
    added = importer._write(connection, run, pending, now, touched)
    if touched:
        touch.refresh_touch(connection, touched)
        importer._name(connection, run, touched)
    if run.batch_id is not None:
        connection.execute(
            update(ImportBatch)
            .where(ImportBatch.id == run.batch_id)
            .values(added=ImportBatch.added + added, skipped=ImportBatch.skipped + duplicates)
        )
    return CalendarFileSummary(
        str(path),
        counts.events,
        counts.occurrences,
        added,
        duplicates,
        counts.cancelled,
        counts.upcoming,
        without_people,
    )
