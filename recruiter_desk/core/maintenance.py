"""Backups, restore and erasing a person: the recruiter owns their data."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, delete, exists, func, insert, select

from recruiter_desk.core.identity import display_name, email_key, linkedin_key
from recruiter_desk.db import backup, interaction_search, migrate, search_index
from recruiter_desk.db.engine import sqlite_path
from recruiter_desk.db.models import (
    Candidacy,
    FollowUp,
    ForgottenIdentity,
    ImportBatchItem,
    Interaction,
    MetaValue,
    Opportunity,
    Organization,
    Person,
    PersonEmail,
    PersonInterest,
    PersonPhone,
    PersonTag,
    StageChange,
)
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, NotFoundError

log = logging.getLogger(__name__)


# What each file-only command says on a server database: one sentence naming the tool to
# use instead (README, "PostgreSQL").
_SERVER_INSTEAD = {
    "backup": "Backups copy a SQLite file; back up a PostgreSQL database with the server's "
    "own tools (pg_dump).",
    "restore": "Restore replaces a SQLite file; restore a PostgreSQL database with the "
    "server's own tools (pg_restore or psql, from a pg_dump).",
    "encrypt": "Encryption is for a SQLite file; a PostgreSQL database is protected by its "
    "server (its roles, TLS and disk), and backed up with pg_dump.",
}


def _require_file(location: str, action: str = "backup") -> Path:
    path = sqlite_path(location)
    if path is None:
        raise KnownError(_SERVER_INSTEAD[action])
    return path


def backup_database(
    location: str, target: Path | None, now: datetime, keep: backup.Retention
) -> Path:
    """A consistent copy of the live database: to ``target``, or a rotating manual backup."""
    source = _require_file(location)
    if not source.exists() or source.stat().st_size == 0:
        raise KnownError(f"There is no database at {source} to back up.")
    if target is None:
        return backup.automatic_backup(source, "manual", keep, now)
    return backup.backup_to(source, target.expanduser().resolve())


def list_backups(location: str) -> list[backup.BackupFile]:
    """The automatic backups of the database, oldest first."""
    return backup.list_backups(_require_file(location))


def backup_named(location: str, name: str) -> Path:
    """A backup given by its name as ``backups`` lists it, or else a file's path."""
    database_file = _require_file(location, "restore")
    for entry in backup.list_backups(database_file):
        if name in (entry.name, entry.path.stem):
            return entry.path
    return Path(name)


def safety_backup(database: Database, reason: str, now: datetime) -> Path | None:
    """The backup taken before an import or a bulk delete; a warning if it cannot be made.

    Refusing the import because the disk is too full for a copy would lose the work the
    recruiter came to do; the warning says the backup is missing.
    """
    file = database.path
    if file is None or not file.exists():
        return None
    try:
        database.checkpoint()
        return backup.automatic_backup(file, reason, database.retention or backup.Retention(), now)
    except KnownError as error:
        log.warning("The backup %s was skipped: %s", reason, error, extra={"notice": True})
        return None


def claim_window(location: str) -> backup.OpenInWindow | None:
    """The window's hold on its database file, taken before the file is opened: one window
    per database. Raises ``backup.WindowAlreadyOpen`` when another window has it; None for a
    server database, which any number of windows may share."""
    path = sqlite_path(location)
    if path is None:
        return None
    marker = backup.OpenInWindow(path)
    marker.claim()
    return marker


def convert_encryption(
    location: str,
    *,
    encrypt: bool,
    from_its_window: bool = False,
    passphrase: str | None = None,
    progress: Callable[[str, float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Encrypt or decrypt the database file in place (db/encryption.convert).

    Refused while a window has the file open, unless it is that window asking
    (``from_its_window``: it has let go of its connections first).
    """
    from recruiter_desk.db import encryption

    path = _require_file(location, "encrypt")
    if not from_its_window and backup.open_in_a_window(path):
        raise KnownError(
            f"Cannot {'encrypt' if encrypt else 'decrypt'} {path} while a Recruiter Desk "
            "window has it open; close the window first, or use its Settings."
        )
    encryption.convert(path, encrypt, passphrase=passphrase, progress=progress, cancelled=cancelled)
    return path


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_saved_as: Path | None
    # People forgotten since the backup was taken, erased from it again (core/privacy.py).
    erased_again: int = 0


# How long a restore waits for another program's write to end before saying so.
RESTORE_LOCK_TIMEOUT = 5.0


def restore_database(
    location: str,
    file: Path,
    now: datetime,
    keep: backup.Retention,
    *,
    lock_timeout: float = RESTORE_LOCK_TIMEOUT,
) -> RestoreResult:
    """Replace the database with ``file``: the one restore, for the window and the CLI.

    ``file`` is checked (integrity, references, schema), copied beside the database,
    upgraded to the current schema and checked again before anything is replaced, so the
    database is either the complete restored one or untouched. What it replaces is kept
    as a backup.
    """
    destination = _require_file(location, "restore")
    file = file.expanduser().resolve()
    if file == destination:
        raise KnownError(f"Cannot restore {file} onto itself.")
    backup.check_backup_file(file)
    _check_revision(file)
    if backup.open_in_a_window(destination):
        raise KnownError(
            f"Cannot restore into {destination} while a Recruiter Desk window has it open; "
            "close the window, or use Restore… in its File menu."
        )
    staging = destination.with_name(f".{destination.name}.restoring")
    try:
        _stage(file, staging)
        from recruiter_desk.core import privacy  # privacy builds on this module

        erased_again = privacy.reapply_forgets(destination, staging)
        previous = None
        if destination.exists() and destination.stat().st_size > 0:
            _wait_for_writers(destination, lock_timeout)
            previous = backup.automatic_backup(destination, "before-restore", keep, now)
        try:
            if not destination.exists():
                backup.create_private_file(destination)
            # Copying through the backup API rewrites the live file page by page and
            # keeps its WAL consistent; a plain file copy would not.
            backup.copy_database(staging, destination, lock_timeout)
        except TimeoutError as error:
            raise _locked(destination, lock_timeout) from error
        except (sqlite3.Error, OSError) as error:
            raise KnownError(f"Restoring {file} into {destination} failed: {error}.") from error
    finally:
        backup.remove_database_file(staging)
    return RestoreResult(file, previous, erased_again)


def _locked(destination: Path, waited: float) -> KnownError:
    return KnownError(
        f"Cannot restore into {destination}: another program kept it locked for writing for "
        f"{waited:g} seconds (a Recruiter Desk command or window still working); nothing was "
        "changed, try again when it is done."
    )


def _wait_for_writers(destination: Path, lock_timeout: float) -> None:
    """Wait a bounded time for the write lock, so a busy database is reported, not waited on."""
    connection = backup.connector_for(destination)(str(destination), timeout=lock_timeout)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.rollback()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise _locked(destination, lock_timeout) from error
        raise KnownError(f"Cannot restore into {destination}: {error}.") from error
    finally:
        connection.close()


def _stage(file: Path, staging: Path) -> None:
    """Copy ``file`` to ``staging``, bring it to the current schema and check it is whole."""
    from recruiter_desk.db.engine import make_engine

    backup.remove_database_file(staging)
    try:
        backup.create_private_file(staging)
        backup.copy_database(file, staging)
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        raise KnownError(f"Cannot restore {file}: copying it failed ({reason}).") from error
    engine = make_engine(str(staging))
    try:
        if migrate.current_revision(engine) != migrate.HEAD_REVISION:
            try:
                migrate.upgrade_to_head(engine)
            except KnownError:
                raise
            except Exception as error:
                raise KnownError(
                    f"Cannot restore {file}: it is not a complete Recruiter Desk database "
                    "(upgrading its schema failed)."
                ) from error
    finally:
        engine.dispose()
    missing = backup.missing_schema(staging)
    if missing:
        shown = ", ".join(missing[:3]) + (" …" if len(missing) > 3 else "")
        raise KnownError(
            f"Cannot restore {file}: it is not a complete Recruiter Desk database "
            f"(missing {shown})."
        )
    backup.check_backup_file(staging)


def _check_revision(file: Path) -> None:
    connection = backup.connector_for(file)(f"file:{file}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables or "people" not in tables:
            raise KnownError(f"Cannot restore {file}: it is not a Recruiter Desk database.")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise KnownError(f"Cannot restore {file}: {error}.") from error
    finally:
        connection.close()
    if not revision or not revision[0]:
        # The tables without the version the app writes: a look-alike, not an old copy.
        raise KnownError(f"Cannot restore {file}: it is not a Recruiter Desk database.")
    if revision[0] not in migrate.KNOWN_REVISIONS:
        raise KnownError(
            f"Cannot restore {file}: it was written by a newer version of Recruiter Desk."
        )


# -- forgetting -------------------------------------------------------------------------

_SALT_KEY = "forget_salt"


def _salt(connection: Connection, create: bool) -> bytes | None:
    value = connection.execute(
        select(MetaValue.value).where(MetaValue.key == _SALT_KEY)
    ).scalar_one_or_none()
    if value is None and create:
        value = secrets.token_hex(32)
        connection.execute(insert(MetaValue).values(key=_SALT_KEY, value=value))
    return bytes.fromhex(value) if value else None


def _digest(salt: bytes, kind: str, key: str) -> str:
    return hmac.new(salt, f"{kind}:{key}".encode(), hashlib.sha256).hexdigest()


identity_digest = _digest  # core/privacy.py matches copies of the database by it


def forget_salt(connection: Connection) -> bytes | None:
    """The database's key for identity hashes; None if no one was ever forgotten."""
    return _salt(connection, create=False)


def forgotten_digests(
    connection: Connection,
    emails: Iterable[str],
    linkedin_url: str | None,
    salt: bytes | None = None,
) -> list[str]:
    salt = salt or _salt(connection, create=False)
    if salt is None:
        return []
    digests = [_digest(salt, "email", email_key(e)) for e in emails if e]
    key = linkedin_key(linkedin_url)
    if key:
        digests.append(_digest(salt, "linkedin", key))
    return digests


def is_forgotten(connection: Connection, emails: Iterable[str], linkedin_url: str | None) -> bool:
    """Whether an incoming contact belongs to someone the recruiter erased."""
    digests = forgotten_digests(connection, emails, linkedin_url)
    if not digests:
        return False
    found = connection.execute(
        select(func.count()).where(ForgottenIdentity.digest.in_(digests))
    ).scalar_one()
    return bool(found)


@dataclass(frozen=True)
class ForgetReport:
    person_id: int
    full_name: str
    erased: dict[str, int]


def forget_person(database: Database, person_id: int, now: datetime) -> ForgetReport:
    return forget_people(database, [person_id], now)[0]


def forget_people(database: Database, person_ids: list[int], now: datetime) -> list[ForgetReport]:
    """Erase each person and everything about them in one transaction, keeping keyed hashes
    of their emails and LinkedIn key so later imports skip them. One unknown id erases
    nobody. Their organisations go too when nothing else refers to them."""
    reports = []
    with database.write() as connection:
        if database.is_sqlite:
            # Overwrite freed pages so the erased text does not linger in the file.
            connection.exec_driver_sql("PRAGMA secure_delete = ON")
        salt = _salt(connection, create=True)
        assert salt is not None
        organizations: set[int] = set()
        for person_id in person_ids:
            report, organization_id = _forget_one(connection, salt, person_id, now)
            reports.append(report)
            if organization_id is not None:
                organizations.add(organization_id)
        search_index.reindex(connection, list(person_ids))
        # Their mail and meeting text leaves the interaction search too (db/interaction_search).
        interaction_search.purge(connection)
        for organization_id in sorted(organizations):
            _drop_orphan_organization(connection, organization_id)
    database.checkpoint()
    return reports


def _forget_one(
    connection: Connection, salt: bytes, person_id: int, now: datetime
) -> tuple[ForgetReport, int | None]:
    person = connection.execute(
        select(
            Person.first_name, Person.last_name, Person.linkedin_url, Person.organization_id
        ).where(Person.id == person_id)
    ).one_or_none()
    if person is None:
        raise NotFoundError(f"There is no person with id {person_id}.")
    emails = list(
        connection.execute(
            select(PersonEmail.address).where(PersonEmail.person_id == person_id)
        ).scalars()
    )
    identities = {_digest(salt, "email", email_key(e)): "email" for e in emails}
    key = linkedin_key(person.linkedin_url)
    if key:
        identities[_digest(salt, "linkedin", key)] = "linkedin"
    known = set(
        connection.execute(
            select(ForgottenIdentity.digest).where(ForgottenIdentity.digest.in_(identities))
        ).scalars()
    )
    fresh = [
        {"digest": d, "kind": k, "forgotten_at": now}
        for d, k in identities.items()
        if d not in known
    ]
    if fresh:
        connection.execute(insert(ForgottenIdentity), fresh)
    candidacy_ids = select(Candidacy.id).where(Candidacy.person_id == person_id)
    erased = {
        "emails": len(emails),
        "stage changes": connection.execute(
            delete(StageChange).where(StageChange.candidacy_id.in_(candidacy_ids))
        ).rowcount,
    }
    for label, table in (
        ("phones", PersonPhone),
        ("tags", PersonTag),
        ("interests", PersonInterest),
        ("interactions", Interaction),
        ("candidacies", Candidacy),
        ("follow-ups", FollowUp),
        ("import records", ImportBatchItem),
    ):
        erased[label] = connection.execute(
            delete(table).where(table.person_id == person_id)
        ).rowcount
    connection.execute(delete(PersonEmail).where(PersonEmail.person_id == person_id))
    connection.execute(delete(Person).where(Person.id == person_id))
    name = display_name(person.first_name, person.last_name, emails, person_id)
    return ForgetReport(person_id, name, erased), person.organization_id


def _drop_orphan_organization(connection: Connection, organization_id: int) -> None:
    """The erased person's organisation row goes too when nothing else refers to it."""
    used = select(
        exists().where(Person.organization_id == organization_id)
        | exists().where(Opportunity.organization_id == organization_id)
    )
    if not connection.execute(used).scalar():
        connection.execute(delete(Organization).where(Organization.id == organization_id))
