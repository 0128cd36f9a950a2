"""Mail becomes touchpoints: each message to or from a person is an email interaction.

- direction: outbound when the sender is one of my addresses, inbound otherwise;
- an outbound message touches every person it was sent to (To, Cc, Bcc); an inbound one
  touches its sender (people merely copied on someone else's message were not written to);
- never twice: ``mail_interactions`` keeps each (message key, person) pair, and a message
  Compose already sent and logged (same Message-ID) is not counted again;
- bulk mail (mailing lists, newsletters, automatic messages, no-reply senders) is never a
  touch and its senders are never offered as new people;
- one transaction per source (an mbox file, a Maildir folder, the .eml files of a folder);
  one import batch for the whole run, which ``undo-import`` takes back.

Owed replies then follow from the interactions by the usual rule (core/owed.py): an inbound
message with no outbound one after it. See docs/mail.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from recruiter_desk.core.identity import display_name, email_key, first_email
from recruiter_desk.core.imports.model import ImportCancelled, Progress
from recruiter_desk.core.mail.reading import (
    Address,
    addresses,
    body_of,
    decode_text,
    is_bulk,
    is_no_reply,
    message_key,
    parse_headers,
    parse_whole,
    sent_at,
)
from recruiter_desk.core.mail.sources import MBOX, find_sources
from recruiter_desk.core.maintenance import is_forgotten
from recruiter_desk.core.records import PersonFields, create_person
from recruiter_desk.core.wording import count
from recruiter_desk.db import search_index, touch
from recruiter_desk.db.models import (
    ImportBatch,
    ImportBatchItem,
    Interaction,
    MailInteraction,
    Message,
    Person,
    PersonEmail,
)
from recruiter_desk.db.session import Database
from recruiter_desk.errors import UsageError

log = logging.getLogger(__name__)

MAIL_FORMAT = "mail"
_CHUNK = 1000


class _DryRun(Exception):
    """Rolls a source's transaction back once a dry run has worked it out."""


@dataclass(frozen=True)
class AddedMail:
    person_id: int
    name: str
    direction: str
    occurred_at: datetime
    subject: str

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "direction": self.direction,
            "occurred_at": self.occurred_at.isoformat(),
            "subject": self.subject,
        }


@dataclass(frozen=True)
class UnknownCorrespondent:
    address: str
    name: str
    messages: int

    def to_json(self) -> dict[str, Any]:
        return {"address": self.address, "name": self.name, "messages": self.messages}


@dataclass(frozen=True)
class SourceSummary:
    source: str
    kind: str
    messages: int
    added: int
    duplicates: int
    bulk: int
    undated: int

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "messages": self.messages,
            "added": self.added,
            "duplicates": self.duplicates,
            "bulk": self.bulk,
            "undated": self.undated,
        }


@dataclass(frozen=True)
class MailReport:
    sources: tuple[SourceSummary, ...]
    added: tuple[AddedMail, ...]
    unknown: tuple[UnknownCorrespondent, ...]
    people_added: tuple[str, ...]
    batch_id: int | None
    dry_run: bool

    @property
    def messages(self) -> int:
        return sum(s.messages for s in self.sources)

    @property
    def duplicates(self) -> int:
        return sum(s.duplicates for s in self.sources)

    @property
    def bulk(self) -> int:
        return sum(s.bulk for s in self.sources)

    @property
    def undated(self) -> int:
        return sum(s.undated for s in self.sources)

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "batch_id": self.batch_id,
            "messages": self.messages,
            "added": [a.to_json() for a in self.added],
            "duplicates": self.duplicates,
            "bulk": self.bulk,
            "undated": self.undated,
            "people_added": list(self.people_added),
            "unknown": [u.to_json() for u in self.unknown],
            "sources": [s.to_json() for s in self.sources],
        }


@dataclass
class _Unknown:
    address: str
    name: str
    messages: int = 0


@dataclass
class MailRun:
    """What one run knows and has done so far, across its sources."""

    mine: frozenset[str]
    add_unknown: bool
    known: dict[str, int]
    seen: set[tuple[str, int]]
    composed: set[str]
    names: dict[int, str] = field(default_factory=dict)
    unknown: dict[str, _Unknown] = field(default_factory=dict)
    added: list[AddedMail] = field(default_factory=list)
    people_added: list[str] = field(default_factory=list)
    batch_id: int | None = None
    source_label: str = ""
    # What the batch and the people it adds are marked as (a calendar import reuses this).
    batch_format: str = MAIL_FORMAT


def import_mail(
    database: Database,
    paths: Sequence[Path],
    *,
    my_addresses: Iterable[str],
    now: datetime,
    add_unknown: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MailReport:
    """Import every message under ``paths``; see the module docstring for the rules.

    Raises ``KnownError`` for a path that holds no mail, ``ImportCancelled`` when cancelled
    (the source being read is rolled back; sources finished before it stay imported).
    """
    report_progress = progress or (lambda _stage, _fraction: None)
    is_cancelled = cancelled or (lambda: False)
    run = start_run(
        database,
        my_addresses=my_addresses,
        add_unknown=add_unknown,
        label=", ".join(str(p) for p in paths),
    )
    sources = find_sources(paths)
    summaries: list[SourceSummary] = []
    for index, source in enumerate(sources):

        def step(done: float, index: int = index, name: str = source.path.name) -> None:
            report_progress(f"Reading {name}", (index + min(1.0, done)) / len(sources))

        summaries.append(
            import_source(database, run, source, now, step, is_cancelled, dry_run=dry_run)
        )
    report_progress("Done", 1.0)
    return run_report(run, summaries, dry_run)


class MessageSource(Protocol):
    """What a mailbox gives the importer: a file source (sources.py) or an IMAP batch."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    def messages(self) -> Iterable[bytes]: ...

    def count_hint(self) -> int: ...


def start_run(
    database: Database, *, my_addresses: Iterable[str], add_unknown: bool, label: str
) -> MailRun:
    """What one import or sync needs to know before its first source; refuses to start
    without any address of mine, since Sent mail would be read as received."""
    mine = frozenset(k for a in my_addresses if "@" in a and (k := email_key(a)))
    if not mine:
        raise UsageError(
            "Say which addresses are yours first: set my_addresses in Settings "
            "or pass --me ADDRESS."
        )
    with database.connect() as connection:
        run = MailRun(
            mine,
            add_unknown,
            _known_addresses(connection),
            {
                (k, p)
                for k, p in connection.execute(
                    select(MailInteraction.message_key, MailInteraction.person_id)
                )
            },
            {
                m.strip().strip("<>")
                for m in connection.execute(select(Message.message_id)).scalars()
            },
        )
    run.source_label = label[:1000]
    return run


def import_source(
    database: Database,
    run: MailRun,
    source: MessageSource,
    now: datetime,
    step: Callable[[float], None],
    is_cancelled: Callable[[], bool],
    *,
    dry_run: bool = False,
    also: Callable[[Connection], None] | None = None,
) -> SourceSummary:
    """One source in one transaction; ``also`` writes in that same transaction (sync-mail
    moves its folder position with the mail it read). On failure nothing of the source
    stays, in the database or in ``run``."""
    batch_before = run.batch_id
    added_before, people_before = len(run.added), len(run.people_added)
    known_before = dict(run.known)
    seen_before = set(run.seen)
    names_before = dict(run.names)
    unknown_before = {k: _Unknown(u.address, u.name, u.messages) for k, u in run.unknown.items()}
    summary: SourceSummary | None = None
    try:
        with database.write() as connection:
            summary = _import_source(connection, run, source, now, step, is_cancelled)
            if also is not None:
                also(connection)
            if dry_run:
                raise _DryRun
    except _DryRun:
        # Nothing was written: ids handed out in the rolled-back transaction are gone.
        run.batch_id = batch_before
        run.known = known_before
        run.seen = seen_before
        run.names = names_before
    except BaseException:
        run.batch_id = batch_before
        run.known = known_before
        run.seen = seen_before
        run.names = names_before
        run.unknown = unknown_before
        del run.added[added_before:]
        del run.people_added[people_before:]
        raise
    assert summary is not None
    return summary


def run_report(run: MailRun, summaries: Sequence[SourceSummary], dry_run: bool) -> MailReport:
    log.info(
        "mail import: %d messages, %d interactions added, %d duplicates%s",
        sum(s.messages for s in summaries),
        len(run.added),
        sum(s.duplicates for s in summaries),
        " (dry run)" if dry_run else "",
    )
    unknown = sorted(run.unknown.values(), key=lambda u: (-u.messages, u.address))
    return MailReport(
        tuple(summaries),
        tuple(run.added),
        tuple(UnknownCorrespondent(u.address, u.name, u.messages) for u in unknown),
        tuple(run.people_added),
        None if dry_run else run.batch_id,
        dry_run,
    )


def summary_lines(report: MailReport) -> list[str]:
    """What an import did, in the words both the command line and the window use."""
    lines = [
        f"{source.source} ({source.kind}): {count(source.messages, 'message')}, "
        f"{count(source.added, 'interaction')} added, {source.duplicates} already here, "
        f"{source.bulk} bulk."
        for source in report.sources
    ]
    verb = "Would add" if report.dry_run else "Added"
    batch = f" (import batch {report.batch_id})" if report.batch_id else ""
    lines.append(f"{verb} {count(len(report.added), 'email interaction')}{batch}.")
    if report.people_added:
        lines.append(
            f"{verb} {count(len(report.people_added), 'person')} you corresponded with: "
            + ", ".join(report.people_added[:20])
            + (" …" if len(report.people_added) > 20 else "")
        )
    if report.undated:
        lines.append(f"Left out {count(report.undated, 'message')} without a usable date.")
    if report.unknown:
        lines.append(f"{count(len(report.unknown), 'correspondent')} not in your network.")
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return lines


def _known_addresses(connection: Connection) -> dict[str, int]:
    """Every person's addresses by key; an address two people share goes to the older one."""
    known: dict[str, int] = {}
    rows = connection.execute(
        select(PersonEmail.address_key, PersonEmail.person_id).order_by(
            PersonEmail.person_id.desc()
        )
    )
    for key, person_id in rows:
        if key:
            known[key] = person_id
    return known


@dataclass
class _Pending:
    key: str
    person_id: int
    row: dict[str, Any]


def _import_source(
    connection: Connection,
    run: MailRun,
    source: MessageSource,
    now: datetime,
    step: Callable[[float], None],
    is_cancelled: Callable[[], bool],
) -> SourceSummary:
    messages = duplicates = bulk = undated = 0
    pending: list[_Pending] = []
    touched: set[int] = set()
    added_here = 0
    hint = max(1, source.count_hint())
    consumed = 0
    for data in source.messages():
        messages += 1
        consumed += len(data) if source.kind == MBOX else 1
        if messages % 200 == 0:
            step(consumed / hint)
            if is_cancelled():
                raise ImportCancelled
        headers = parse_headers(data)
        senders = addresses(headers, "From") or addresses(headers, "Sender")
        sender = senders[0] if senders else None
        outbound = sender is not None and sender.key in run.mine
        if not outbound and is_bulk(headers, sender):
            bulk += 1
            continue
        when = sent_at(headers)
        if when is None:
            undated += 1
            continue
        key = message_key(headers, sender, when)
        if outbound:
            if key in run.composed:
                duplicates += 1  # sent from Compose, which logged it already
                continue
            others = [a for a in addresses(headers, "To", "Cc", "Bcc") if a.key not in run.mine]
        else:
            others = [sender] if sender is not None else []
        targets: list[int] = []
        for correspondent in others:
            person_id = _person_for(connection, run, correspondent, now)
            if person_id is None:
                continue
            if (key, person_id) in run.seen:
                duplicates += 1
                continue
            targets.append(person_id)
        if not targets:
            continue
        whole = parse_whole(data)
        body = body_of(whole)
        text = body.text
        if body.attachments:
            text = f"{text}\n\n[Attached: {', '.join(body.attachments)}]".strip()
        subject = decode_text(headers.get("Subject"))[:500]
        direction = "outbound" if outbound else "inbound"
        for person_id in targets:
            run.seen.add((key, person_id))
            pending.append(
                _Pending(
                    key,
                    person_id,
                    {
                        "person_id": person_id,
                        "kind": "email",
                        "direction": direction,
                        "occurred_at": when,
                        "subject": subject,
                        "body": text,
                    },
                )
            )
        if len(pending) >= _CHUNK:
            added_here += _write(connection, run, pending, now, touched)
            pending = []
    added_here += _write(connection, run, pending, now, touched)
    if touched:
        # The denormalised last-touch columns move with the interactions (db/touch.py), so
        # warmth and owed read the new mail at once.
        touch.refresh_touch(connection, touched)
        _name(connection, run, touched)
    if run.batch_id is not None:
        connection.execute(
            update(ImportBatch)
            .where(ImportBatch.id == run.batch_id)
            .values(
                added=ImportBatch.added + added_here,
                skipped=ImportBatch.skipped + duplicates,
            )
        )
    step(1.0)
    return SourceSummary(source.name, source.kind, messages, added_here, duplicates, bulk, undated)


def _batch(connection: Connection, run: MailRun, now: datetime) -> int:
    if run.batch_id is None:
        inserted = connection.execute(
            insert(ImportBatch).values(
                started_at=now,
                source=run.source_label,
                format=run.batch_format,
                added=0,
                updated=0,
                skipped=0,
            )
        ).inserted_primary_key
        assert inserted is not None
        run.batch_id = int(inserted[0])
    return run.batch_id


def _write(
    connection: Connection, run: MailRun, pending: list[_Pending], now: datetime, touched: set[int]
) -> int:
    if not pending:
        return 0
    batch_id = _batch(connection, run, now)
    ids = (
        connection.execute(
            insert(Interaction).returning(Interaction.id, sort_by_parameter_order=True),
            [p.row for p in pending],
        )
        .scalars()
        .all()
    )
    connection.execute(
        insert(MailInteraction),
        [
            {
                "interaction_id": interaction_id,
                "message_key": p.key,
                "person_id": p.person_id,
                "batch_id": batch_id,
            }
            for interaction_id, p in zip(ids, pending, strict=True)
        ],
    )
    for p in pending:
        touched.add(p.person_id)
        run.added.append(
            AddedMail(
                p.person_id,
                "",
                p.row["direction"],
                p.row["occurred_at"],
                p.row["subject"],
            )
        )
    return len(pending)


def _name(connection: Connection, run: MailRun, person_ids: set[int]) -> None:
    """Fill in the names of the people this source added mail for (the report shows them)."""
    wanted = sorted(i for i in person_ids if i not in run.names)
    for start in range(0, len(wanted), 500):
        rows = connection.execute(
            select(Person.id, Person.first_name, Person.last_name, first_email(Person.id)).where(
                Person.id.in_(wanted[start : start + 500])
            )
        )
        for person_id, first, last, email in rows:
            run.names[person_id] = display_name(first, last, [email or ""], person_id)
    run.added[:] = [
        AddedMail(a.person_id, run.names.get(a.person_id, a.name), *_rest(a)) if not a.name else a
        for a in run.added
    ]


def _rest(added: AddedMail) -> tuple[str, datetime, str]:
    return added.direction, added.occurred_at, added.subject


def _person_for(
    connection: Connection, run: MailRun, correspondent: Address, now: datetime
) -> int | None:
    """The person behind an address; with ``add_unknown``, a new person for a stranger."""
    person_id = run.known.get(correspondent.key)
    if person_id is not None:
        return person_id
    if is_no_reply(correspondent.key):
        return None
    if not run.add_unknown:
        entry = run.unknown.setdefault(
            correspondent.key, _Unknown(correspondent.address, correspondent.name)
        )
        entry.messages += 1
        if not entry.name and correspondent.name:
            entry.name = correspondent.name
        return None
    if is_forgotten(connection, [correspondent.address], None):
        return None  # erased on request: never brought back by an import
    first, last = split_name(correspondent.name, correspondent.address)
    session = Session(bind=connection)
    person = create_person(
        session,
        PersonFields(
            first_name=first,
            last_name=last,
            emails=[correspondent.address],
            source=run.batch_format,
        ),
        now,
    )
    person_id = person.id
    session.close()
    search_index.reindex(connection, [person_id])
    connection.execute(
        insert(ImportBatchItem).values(
            batch_id=_batch(connection, run, now), person_id=person_id, action="added"
        )
    )
    run.known[correspondent.key] = person_id
    run.people_added.append(display_name(first, last, [correspondent.address], person_id))
    return person_id


def split_name(name: str, address: str) -> tuple[str, str]:
    """``Ana Lima`` and ``Lima, Ana`` are first Ana, last Lima; a bare address gives no name."""
    name = " ".join(name.split())
    if not name or "@" in name or email_key(name) == email_key(address):
        return "", ""
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.partition(" ")
    return first, last


def remove_batch_mail(connection: Connection, batch_id: int) -> int:
    """Take back the interactions a mail import batch added; returns how many.

    The last-touch columns of their people are refreshed in the same transaction, and the
    message keys go with them, so importing the same mail again adds it again.
    """
    rows = connection.execute(
        select(MailInteraction.interaction_id, MailInteraction.person_id).where(
            MailInteraction.batch_id == batch_id
        )
    ).all()
    ids = [r.interaction_id for r in rows]
    for start in range(0, len(ids), 500):
        connection.execute(delete(Interaction).where(Interaction.id.in_(ids[start : start + 500])))
    connection.execute(delete(MailInteraction).where(MailInteraction.batch_id == batch_id))
    touch.refresh_touch(connection, {r.person_id for r in rows})
    return len(ids)
