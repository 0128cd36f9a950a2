"""Partial indexes Today reads through on a large network: of the few people awaiting a
reply, whose job changed or not to be contacted (the snoozed have theirs since 0015)

Revision ID: 0017_today_indexes
Revises: 0016_smaller_file
Create Date: 2026-11-26

Without them Today read the whole people table three times (1M people). The partial
indexes hold only the people they are about (2 % of everyone awaits a reply in the demo).
The condition is written out, not imported, so this revision stays what it was.
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_today_indexes"
down_revision = "0016_smaller_file"
branch_labels = None
depends_on = None

_AWAITING_REPLY = (
    "last_inbound_at IS NOT NULL"
    " AND (last_outbound_at IS NULL OR last_outbound_at < last_inbound_at)"
)
_INDEXES = (
    (
        "ix_people_awaiting_reply",
        ["last_inbound_at", "last_outbound_at", "do_not_contact", "first_name", "last_name"],
        _AWAITING_REPLY,
    ),
    ("ix_people_job_changed_at", ["job_changed_at"], "job_changed_at IS NOT NULL"),
    ("ix_people_do_not_contact", ["id"], {"sqlite": "do_not_contact = 1",
                                          "postgresql": "do_not_contact = true"}),
)


def upgrade() -> None:
    for name, columns, where in _INDEXES:
        if isinstance(where, str):
            where = {"sqlite": where, "postgresql": where}
        condition = {f"{dialect}_where": sa.text(sql) for dialect, sql in where.items()}
        op.create_index(name, "people", columns, unique=False, if_not_exists=True, **condition)


def downgrade() -> None:
    for name, _columns, _where in reversed(_INDEXES):
        op.drop_index(name, table_name="people", if_exists=True)
