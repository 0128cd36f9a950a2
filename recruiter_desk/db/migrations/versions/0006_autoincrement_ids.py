"""AUTOINCREMENT ids on the tables whose rows Undo puts back, so no id is ever reused

Revision ID: 0006_autoincrement_ids
Revises: 0005_messages
Create Date: 2026-11-25

SQLite hands out max(rowid) + 1: after the newest person is deleted, the next person added
takes their id, and Undo then collides with them. AUTOINCREMENT never gives an id twice.
The tables are rebuilt (SQLite cannot change this in place) with foreign keys off, which
db/migrate.py guarantees, so nothing pointing at them is cascaded away.
"""
from alembic import op

revision = "0006_autoincrement_ids"
down_revision = "0005_messages"
branch_labels = None
depends_on = None

TABLES = (
    "people",
    "person_emails",
    "person_phones",
    "candidacies",
    "stage_changes",
    "interactions",
    "follow_ups",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other databases never reuse a sequence value
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
