"""Schema versions. Alembic is imported only when a migration has to run.

``KNOWN_REVISIONS`` lists every revision this app can read, oldest first; a test keeps it in
step with the migration scripts. Reading ``alembic_version`` is one cheap query, so the
"at head?" check at start costs nothing noticeable.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from recruiter_desk.errors import KnownError

if TYPE_CHECKING:
    from collections.abc import Callable

    from alembic.config import Config
    from sqlalchemy import Connection, Engine

# SQLAlchemy is imported inside the functions: the command line's quick read path
# (core/quick_read.py) compares the file's revision with HEAD_REVISION without loading it.

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_sort_key",
    "0003_close_reasons",
    "0004_folded_keys",
    "0005_messages",
    "0006_autoincrement_ids",
    "0007_mail_interactions",
    "0008_lawful_basis",
    "0009_mail_folders",
    "0010_team",
    "0011_interaction_search",
    "0012_interaction_search_pg",
    "0013_warmth_store",
    "0014_warmth_order",
    "0015_snoozed_index",
    "0016_smaller_file",
    "0017_today_indexes",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class SchemaState(Enum):
    EMPTY = "empty"
    CURRENT = "current"
    OLDER = "older"


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state(engine: Engine, location: str) -> SchemaState:
    from sqlalchemy import inspect

    from recruiter_desk.db.engine import display_location

    location = display_location(location)
    revision = current_revision(engine)
    if revision is None:
        with engine.connect() as connection:
            tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
        if tables:
            raise KnownError(
                f"The database {location} was not made by Recruiter Desk; "
                "choose another file with --db."
            )
        return SchemaState.EMPTY
    if revision == HEAD_REVISION:
        return SchemaState.CURRENT
    if revision in KNOWN_REVISIONS:
        return SchemaState.OLDER
    raise KnownError(
        f"The database {location} was written by a newer version of Recruiter Desk "
        f"(schema {revision}); update the app to open it."
    )


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_to_head(engine: Engine, settle: Callable[[Connection], None] | None = None) -> None:
    """Run the migrations with foreign keys off, then check them.

    SQLite rebuilds a table to change it; with foreign keys on, dropping the old copy of
    ``people`` would cascade-delete every email and interaction pointing at it.

    ``settle`` (``Database.settle``; the default settlers without one) then brings derived
    rows a migration cannot compute itself in step, in the same transaction: a migration
    that adds stored warmth inputs (0013) queues everyone, and an upgraded database would
    otherwise stay unsettled until its first write, and a read-only copy forever.
    """
    from alembic import command

    from recruiter_desk.db.session import DEFAULT_SETTLERS

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A pragma inside a transaction is ignored: set it, end the implicit one.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if sqlite:
                    # The write lock before Alembic reads the version: a second program
                    # creating the same new file waits, then finds it at head, and adds nothing.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if settle is not None:
                    settle(connection)
                else:
                    for settler in DEFAULT_SETTLERS:
                        settler(connection)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise KnownError(
                            "The database upgrade would leave broken references; nothing was "
                            "changed and the backup taken before it is kept."
                        )
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
