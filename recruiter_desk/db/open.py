"""Open (and if needed create or migrate) a Recruiter Desk database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from recruiter_desk.db import backup, migrate
from recruiter_desk.db.backup import daily
from recruiter_desk.db.engine import make_engine, translated_errors
from recruiter_desk.db.session import Database
from recruiter_desk.db.team import RECRUITER_OPTION, with_stored_password

if TYPE_CHECKING:
    from sqlalchemy import Connection

log = logging.getLogger(__name__)


def open_database(
    location: str,
    *,
    retention: backup.Retention | None = None,
    daily_backup: bool = True,
    now: datetime | None = None,
    recruiter: str | None = None,
    settlers: Sequence[Callable[[Connection], None]] = (),
) -> Database:
    """Open ``location`` (a path or SQLAlchemy URL), creating or upgrading its schema.

    An existing database is backed up before any migration, and on open when it changed
    since a backup at least 30 minutes old (``daily_backup``). What it writes is recorded
    under ``recruiter`` (db/team.py; the OS user when not given). ``settlers`` keep derived
    rows in step on every write (``Database.settlers``), the upgrade's included.
    """
    moment = now or datetime.now()
    keep = retention or backup.Retention()
    # A server's password may come from the keyring (db/team.py); ``location`` stays as
    # given, so the password is never shown.
    engine = make_engine(with_stored_password(location))
    if recruiter:
        engine = engine.execution_options(**{RECRUITER_OPTION: recruiter})
    database = Database(engine, location)
    database.retention = keep
    database.settlers[:] = settlers
    try:
        with translated_errors(location):
            state = migrate.schema_state(engine, location)
            file = database.path
            if state is migrate.SchemaState.OLDER and file is not None:
                backup.automatic_backup(file, "before-migration", keep, moment)
            if state is not migrate.SchemaState.CURRENT:
                log.info("migrating database schema (%s) to %s", state.value, migrate.HEAD_REVISION)
                migrate.upgrade_to_head(engine, database.settle)
            elif daily_backup and file is not None:
                daily(file, keep, moment)
    except BaseException:
        engine.dispose()
        raise
    return database
