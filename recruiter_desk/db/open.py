"""Open (and if needed create or migrate) a Recruiter Desk database."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from recruiter_desk.db import backup, migrate
from recruiter_desk.db.engine import make_engine, translated_errors
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError

log = logging.getLogger(__name__)


def open_database(
    location: str,
    *,
    backups_to_keep: int = 10,
    daily_backup: bool = True,
    now: datetime | None = None,
) -> Database:
    """Open ``location`` (a path or SQLAlchemy URL), creating or upgrading its schema.

    An existing database is backed up before any migration, and once a day on open.
    """
    moment = now or datetime.now()
    engine = make_engine(location)
    database = Database(engine, location)
    try:
        with translated_errors(location):
            state = migrate.schema_state(engine, location)
            file = database.path
            if state is migrate.SchemaState.OLDER and file is not None:
                backup.automatic_backup(file, "before-migration", backups_to_keep, moment)
            if state is not migrate.SchemaState.CURRENT:
                log.info("migrating database schema (%s) to %s", state.value, migrate.HEAD_REVISION)
                migrate.upgrade_to_head(engine)
            elif daily_backup and file is not None and not backup.has_backup_from(file, moment):
                daily(file, backups_to_keep, moment)
    except BaseException:
        engine.dispose()
        raise
    return database


def daily(file: Path, keep: int, now: datetime) -> None:
    """Today's backup, or a warning: a full disk must not stop reading and exporting."""
    try:
        backup.automatic_backup(file, "daily", keep, now)
    except KnownError as error:
        log.warning("The daily backup was skipped: %s", error, extra={"notice": True})
