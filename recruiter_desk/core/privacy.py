"""Privacy rights: erasure that leaves no trace, and forgets that survive restores and backups.

``forget`` (core/maintenance.py) deletes a person's rows and keeps keyed hashes of their
email and LinkedIn keys so imports skip them. This module makes the erasure complete in
the file: the search index's segments and SQLite's free pages still hold the words of
deleted rows until the index is merged and the file rewritten. It also re-applies every
recorded forget to a database copy (a restore's staged file, a backup being scrubbed), and
finds the backups that still hold an erased person.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, exists, func, select, update

from recruiter_desk.core import maintenance
from recruiter_desk.core.identity import display_name, first_email
from recruiter_desk.core.vocabulary import ACTIVE_STAGES
from recruiter_desk.core.wording import count
from recruiter_desk.db import backup
from recruiter_desk.db.interaction_search import FTS_TABLE as INTERACTIONS_FTS
from recruiter_desk.db.models import (
    Base,
    Candidacy,
    Person,
    PersonEmail,
    StageChange,
)
from recruiter_desk.db.search_index import FTS_TABLE
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, NotFoundError

_SALT_KEY = "forget_salt"


@dataclass(frozen=True)
class Identity:
    """What identifies a person across copies of the database: their folded keys."""

    email_keys: tuple[str, ...]
    linkedin_key: str | None


@dataclass(frozen=True)
class ErasureReport:
    forget: maintenance.ForgetReport
    # Backups in the rotating folder that still hold the person, oldest first.
    backups_holding: tuple[Path, ...]
    backups_scrubbed: tuple[Path, ...]


def identity_of(connection: Connection, person_id: int) -> Identity:
    keys = connection.execute(
        select(PersonEmail.address_key).where(PersonEmail.person_id == person_id)
    ).scalars()
    linkedin = connection.execute(
        select(Person.linkedin_key).where(Person.id == person_id)
    ).scalar_one_or_none()
    return Identity(tuple(k for k in keys if k), linkedin or None)


def erase_person(
    database: Database,
    person_id: int,
    now: datetime,
    *,
    scrub_backups: bool = False,
) -> ErasureReport:
    """Forget a person completely: rows, search index, free pages, and (asked) backups."""
    with database.connect() as connection:
        identity = identity_of(connection, person_id)
    report = maintenance.forget_person(database, person_id, now)
    path = database.path if database.is_sqlite else None
    if path is not None:
        scrub_file(Path(path))
        holding = backups_holding(Path(path), identity)
        scrubbed: tuple[Path, ...] = ()
        if scrub_backups and holding:
            for file in holding:
                scrub_backup(Path(path), file)
            scrubbed = holding
            holding = backups_holding(Path(path), identity)
        return ErasureReport(report, holding, scrubbed)
    return ErasureReport(report, (), ())


@dataclass(frozen=True)
class BulkErasure:
    """Everyone erased at once (the retention review's "erase all"), like ``forget`` each."""

    erased: tuple[maintenance.ForgetReport, ...]
    # Taken before erasing (a bulk delete is backed up); it holds them until it rotates out.
    safety_backup: Path | None
    backups_holding: tuple[Path, ...]
    backups_scrubbed: tuple[Path, ...]


def erase_people(
    database: Database,
    person_ids: list[int],
    now: datetime,
    *,
    scrub_backups: bool = False,
) -> BulkErasure:
    """Forget every person in ``person_ids`` in one transaction (all or none), each recorded
    as ``forget`` records one; then the file is rewritten once, and the backups that still
    hold any of them are named (or, asked, scrubbed)."""
    if not person_ids:
        return BulkErasure((), None, (), ())
    with database.connect() as connection:
        identities = [identity_of(connection, person_id) for person_id in person_ids]
    safety = maintenance.safety_backup(database, "before-erase", now)
    reports = tuple(maintenance.forget_people(database, person_ids, now))
    path = database.path if database.is_sqlite else None
    if path is None:
        return BulkErasure(reports, safety, (), ())
    scrub_file(Path(path))
    holding = backups_holding_any(Path(path), identities)
    scrubbed: tuple[Path, ...] = ()
    if scrub_backups and holding:
        for file in holding:
            scrub_backup(Path(path), file)
        scrubbed = holding
        holding = backups_holding_any(Path(path), identities)
    return BulkErasure(reports, safety, holding, scrubbed)


def scrub_file(path: Path) -> None:
    """Rewrite the file so deleted rows leave no bytes in it or in its WAL.

    FTS5 keeps a deleted document's terms in its segments until they are merged
    ('optimize'), and SQLite keeps freed pages' old content until they are reused; VACUUM
    writes every live page anew and the TRUNCATE checkpoint empties the WAL.
    """
    # An encrypted database is rewritten with its key (db/encryption.py).
    connection = backup.connector_for(path)(str(path), timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA secure_delete = ON")
        present = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        # A backup older than the interaction search has no index of mail bodies to merge.
        for index in (FTS_TABLE, INTERACTIONS_FTS):
            if index in present:
                connection.execute(f"INSERT INTO {index}({index}) VALUES ('optimize')")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except backup.errors_for(path) as error:
        raise KnownError(
            f"The person was erased, but {path} could not be rewritten to remove their last "
            f"traces ({error}); run forget's cleanup again when no other program uses it."
        ) from error
    finally:
        connection.close()


# -- copies of the database: backups and restores ---------------------------------------


def scrub_all_backups(live: Path) -> tuple[Path, ...]:
    """Rewrite every rotating backup that holds someone forgotten in ``live``."""
    salt_hex, rows = _read_forgets(live)
    if salt_hex is None or not rows:
        return ()
    salt, digests = bytes.fromhex(salt_hex), {row[0] for row in rows}
    scrubbed = []
    for file in backup.automatic_backups(live):
        errors = backup.errors_for(file)
        connection = backup.connector_for(file)(f"file:{file}?mode=ro", uri=True)
        try:
            holds = bool(_matching_people(connection, salt, digests))
        except errors:
            holds = False  # not a database this app can read: left alone
        finally:
            connection.close()
        if holds:
            scrub_backup(live, file)
            scrubbed.append(file)
    return tuple(scrubbed)


def _read_forgets(live: Path) -> tuple[str | None, list[tuple[str, str, str]]]:
    try:
        errors = backup.errors_for(live)
        connection = backup.connector_for(live)(f"file:{live}?mode=ro", uri=True)
    except (sqlite3.Error, KnownError):
        return None, []  # no live database yet: nothing was forgotten
    try:
        salt = connection.execute("SELECT value FROM meta WHERE key = ?", (_SALT_KEY,)).fetchone()
        rows = connection.execute(
            "SELECT digest, kind, forgotten_at FROM forgotten_identities"
        ).fetchall()
    except errors:
        return None, []
    finally:
        connection.close()
    return (salt[0] if salt else None), rows


def _matching_people(copy: Any, salt: bytes, digests: set[str]) -> list[int]:
    """People in a copy whose email or LinkedIn key hashes to one of ``digests``."""
    found: set[int] = set()
    for person_id, key in copy.execute(
        "SELECT person_id, address_key FROM person_emails WHERE address_key != ''"
    ):
        if maintenance.identity_digest(salt, "email", key) in digests:
            found.add(person_id)
    for person_id, key in copy.execute(
        "SELECT id, linkedin_key FROM people WHERE linkedin_key IS NOT NULL AND linkedin_key != ''"
    ):
        if maintenance.identity_digest(salt, "linkedin", key) in digests:
            found.add(person_id)
    return sorted(found)


def reapply_forgets(live: Path, copy: Path) -> int:
    """Erase from ``copy`` everyone forgotten in ``live``, and carry the forgets over.

    Used on a restore's staged file before it goes live (so an older backup cannot bring
    an erased person back, nor lose the hashes that keep them out of imports) and on a
    backup being scrubbed. Returns how many people were erased from the copy.
    """
    from recruiter_desk.db.engine import make_engine

    salt_hex, rows = _read_forgets(live)
    if salt_hex is None or not rows:
        return 0
    salt = bytes.fromhex(salt_hex)
    connection = backup.connector_for(copy)(str(copy), timeout=30)
    try:
        with connection:
            # The live key wins: the copy's own forgets were made with the same key unless
            # it came from another database, whose hashes nothing could match anyway.
            connection.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (_SALT_KEY, salt_hex)
            )
            connection.executemany(
                "INSERT OR IGNORE INTO forgotten_identities(digest, kind, forgotten_at) "
                "VALUES (?, ?, ?)",
                rows,
            )
        people = _matching_people(connection, salt, {row[0] for row in rows})
    finally:
        connection.close()
    if people:
        engine = make_engine(str(copy))
        database = Database(engine, str(copy))
        try:
            maintenance.forget_people(database, people, datetime.now())
        finally:
            database.close()
        scrub_file(copy)
    return len(people)


def backups_holding(live: Path, identity: Identity) -> tuple[Path, ...]:
    """The rotating backups beside ``live`` that still hold someone with this identity."""
    return backups_holding_any(live, [identity])


def backups_holding_any(live: Path, identities: Iterable[Identity]) -> tuple[Path, ...]:
    """The rotating backups beside ``live`` that still hold anyone with these identities."""
    email_keys = sorted({key for identity in identities for key in identity.email_keys})
    linkedin_keys = sorted(
        {identity.linkedin_key for identity in identities if identity.linkedin_key}
    )
    if not email_keys and not linkedin_keys:
        return ()
    holding = []
    for file in backup.automatic_backups(live):
        with contextlib.suppress(*backup.errors_for(file)):
            if _holds(file, email_keys, linkedin_keys):
                holding.append(file)
    return tuple(holding)


# Keys per query: well under SQLite's limit on bound parameters.
_KEYS_PER_QUERY = 500


def _holds(file: Path, email_keys: list[str], linkedin_keys: list[str]) -> bool:
    connection = backup.connector_for(file)(f"file:{file}?mode=ro", uri=True)
    try:
        for column, table, keys in (
            ("address_key", "person_emails", email_keys),
            ("linkedin_key", "people", linkedin_keys),
        ):
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                chunk = keys[start : start + _KEYS_PER_QUERY]
                marks = ",".join("?" * len(chunk))
                row = connection.execute(
                    f"SELECT 1 FROM {table} WHERE {column} IN ({marks}) LIMIT 1", chunk
                ).fetchone()
                if row:
                    return True
        return False
    finally:
        connection.close()


def scrub_backup(live: Path, file: Path) -> None:
    """Rewrite one backup without anyone forgotten in ``live``: a private copy is scrubbed,
    checked, and then atomically takes the backup's place."""
    partial = file.with_name(file.name + backup.PARTIAL_SUFFIX)
    failures: tuple[type[Exception], ...] = (OSError, *backup.errors_for(file))
    backup.remove_database_file(partial)
    try:
        backup.create_private_file(partial)
        backup.copy_database(file, partial)
        reapply_forgets(live, partial)
        # The backup API leaves the copy in the source's journal mode; a backup is one file.
        connection = backup.connector_for(partial)(str(partial), isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = DELETE")
            connection.execute("VACUUM")
        finally:
            connection.close()
        backup.check_backup_file(partial)
        partial.replace(file)
    except failures as error:
        raise KnownError(f"Scrubbing the backup {file} failed: {error}.") from error
    finally:
        backup.remove_database_file(partial)


def describe_backups(paths: Iterable[Path], keep: int) -> str:
    """One sentence telling the recruiter where the erased person still is."""
    shown = list(paths)
    if not shown:
        return "No backup in the backup folder holds them."
    plural = "backup still holds" if len(shown) == 1 else "backups still hold"
    names = "\n".join(f"  {p}" for p in shown)
    return (
        f"{len(shown)} {plural} them (each leaves as newer backups arrive; the newest {keep} "
        f"are kept); 'recruiter-desk scrub-backups' removes them now:\n{names}"
    )


# -- subject access ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """Everything stored about one person, table by table, as plain JSON-ready rows."""

    person_id: int
    name: str
    tables: dict[str, list[dict[str, object]]]

    def to_json(self) -> dict[str, object]:
        return {"person_id": self.person_id, "name": self.name, "tables": self.tables}


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def person_record(connection: Connection, person_id: int) -> PersonRecord:
    """Every row of every table that belongs to the person (subject access).

    Found from the schema, not a list kept by hand: a table with a ``person_id`` column,
    the person's own row, and the rows that hang off their candidacies (stage changes).
    """
    person = connection.execute(select(Person).where(Person.id == person_id)).mappings().first()
    if person is None:
        raise NotFoundError(f"There is no person with id {person_id}.")
    tables: dict[str, list[dict[str, object]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == Person.__tablename__:
            where = table.c.id == person_id
        elif "person_id" in table.c:
            where = table.c.person_id == person_id
        elif table.name == StageChange.__tablename__:
            candidacies = select(Candidacy.id).where(Candidacy.person_id == person_id)
            where = table.c.candidacy_id.in_(candidacies)
        else:
            continue
        rows = connection.execute(select(table).where(where)).mappings()
        tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    emails = [str(r["address"]) for r in tables.get(PersonEmail.__tablename__, [])]
    name = display_name(person["first_name"], person["last_name"], emails, person_id)
    return PersonRecord(person_id, name, tables)


def write_person_record(record: PersonRecord, target: Path, now: datetime) -> tuple[Path, Path]:
    """``target`` as JSON for machines and an HTML page beside it for the person."""
    target = target.expanduser()
    page = target.with_suffix(".html")
    if page == target:
        page = target.with_name(target.name + ".html")
    document = {"exported_at": now.isoformat(timespec="seconds"), **record.to_json()}
    try:
        backup.make_private_dirs(target.parent)
        _write_private(target, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        _write_private(page, _html(record, now))
    except OSError as error:
        raise KnownError(f"Cannot write {target}: {error.strerror or error}.") from error
    return target, page


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _html(record: PersonRecord, now: datetime) -> str:
    esc = html.escape
    parts = [
        "<!doctype html>",
        '<html><head><meta charset="utf-8">',
        f"<title>What is stored about {esc(record.name)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}"
        "</style></head><body>",
        f"<h1>What is stored about {esc(record.name)}</h1>",
        f"<p>Exported {esc(now.strftime('%Y-%m-%d %H:%M'))}. Every record kept about you "
        "is listed below, section by section.</p>",
    ]
    for name, rows in record.tables.items():
        title = name.replace("_", " ").capitalize()
        parts.append(f"<h2>{esc(title)} ({len(rows)})</h2>")
        if not rows:
            parts.append("<p>None.</p>")
            continue
        columns = list(rows[0])
        parts.append("<table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + "</tr>")
        for row in rows:
            cells = "".join(
                f"<td>{esc('' if row[c] is None else str(row[c]))}</td>" for c in columns
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# -- retention review -------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionItem:
    person_id: int
    name: str
    last_touch: date | None
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.person_id,
            "name": self.name,
            "last_touch": self.last_touch.isoformat() if self.last_touch else None,
            "reason": self.reason,
        }


def retention_review(connection: Connection, as_of: date, years: int) -> list[RetentionItem]:
    """People untouched for ``years`` (added as long ago when never touched) and in no
    open process (a candidacy in an active stage), oldest first."""
    cutoff = datetime.combine(_years_before(as_of, years), time.min)
    last = func.coalesce(Person.last_touch_at, Person.created_at)
    in_process = exists().where(
        Candidacy.person_id == Person.id, Candidacy.stage.in_(ACTIVE_STAGES)
    )
    rows = connection.execute(
        select(
            Person.id,
            Person.first_name,
            Person.last_name,
            Person.last_touch_at,
            first_email(Person.id),
        )
        .where(last < cutoff, ~in_process)
        .order_by(last, Person.id)
    ).all()
    items = []
    for pid, first, last_name, touched, email in rows:
        reason = (
            f"no touch since {touched.date().isoformat()}" if touched else "never touched"
        ) + f", over {count(years, 'year')}, and in no open process"
        items.append(
            RetentionItem(
                pid,
                display_name(first, last_name, [email] if email else [], pid),
                touched.date() if touched else None,
                reason,
            )
        )
    return items


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# -- lawful basis -----------------------------------------------------------------------

LAWFUL_BASES: tuple[str, ...] = ("legitimate_interest", "consent", "contract")
# How far ahead the retention review looks for consents that end.
CONSENT_WARNING_DAYS = 30


@dataclass(frozen=True)
class LawfulBasis:
    basis: str | None
    since: date | None
    consent_expires: date | None

    def to_json(self) -> dict[str, object]:
        return {
            "basis": self.basis,
            "since": self.since.isoformat() if self.since else None,
            "consent_expires": self.consent_expires.isoformat() if self.consent_expires else None,
        }


def lawful_basis(connection: Connection, person_id: int) -> LawfulBasis:
    row = connection.execute(
        select(Person.lawful_basis, Person.lawful_basis_on, Person.consent_expires_on).where(
            Person.id == person_id
        )
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"There is no person with id {person_id}.")
    return LawfulBasis(*row)


def set_lawful_basis(
    connection: Connection,
    person_id: int,
    basis: str,
    since: date,
    consent_expires: date | None,
) -> LawfulBasis:
    """Record why the person's data is held; an expiry belongs to a consent only."""
    if basis not in LAWFUL_BASES:
        raise KnownError(f"Unknown lawful basis '{basis}': use one of {', '.join(LAWFUL_BASES)}.")
    if consent_expires is not None and basis != "consent":
        raise KnownError("Only a consent has an expiry date; leave it out for " + basis + ".")
    if consent_expires is not None and consent_expires < since:
        raise KnownError(
            f"The consent cannot expire ({consent_expires}) before it was given ({since})."
        )
    changed = connection.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(lawful_basis=basis, lawful_basis_on=since, consent_expires_on=consent_expires)
    ).rowcount
    if not changed:
        raise NotFoundError(f"There is no person with id {person_id}.")
    return LawfulBasis(basis, since, consent_expires)


def consents_expiring(
    connection: Connection, as_of: date, days: int = CONSENT_WARNING_DAYS
) -> list[RetentionItem]:
    """Consents that end within ``days`` of ``as_of`` (or have ended), soonest first."""
    rows = connection.execute(
        select(
            Person.id,
            Person.first_name,
            Person.last_name,
            Person.consent_expires_on,
            first_email(Person.id),
        )
        .where(
            Person.lawful_basis == "consent",
            Person.consent_expires_on.is_not(None),
            Person.consent_expires_on <= as_of + timedelta(days=days),
        )
        .order_by(Person.consent_expires_on, Person.id)
    ).all()
    return [
        RetentionItem(
            pid,
            display_name(first, last_name, [email] if email else [], pid),
            None,
            (
                f"consent ended on {ends.isoformat()}"
                if ends < as_of
                else f"consent ends on {ends.isoformat()}"
            ),
        )
        for pid, first, last_name, ends, email in rows
    ]


def describe_basis(basis: LawfulBasis) -> str:
    """The basis in words, for the command line and the person panel alike."""
    if basis.basis is None:
        return "no lawful basis recorded."
    words = basis.basis.replace("_", " ")
    text = f"{words} since {basis.since.isoformat()}" if basis.since else words
    if basis.consent_expires:
        text += f", consent ends on {basis.consent_expires.isoformat()}"
    return text + "."
