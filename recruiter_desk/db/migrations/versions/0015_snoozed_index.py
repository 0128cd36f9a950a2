"""A partial index on snooze ends, so the first page of the cooling people sorted by last
touch or warmth finds the snoozed among them without reading everyone

Revision ID: 0015_snoozed_index
Revises: 0014_warmth_order
Create Date: 2026-11-26
"""
from alembic import op

revision = "0015_snoozed_index"
down_revision = "0014_warmth_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_people_snoozed_until ON people (snoozed_until) "
        "WHERE snoozed_until IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_people_snoozed_until", table_name="people")
