"""An index on each person's stored cadence and cold moment, so a list sorted by last
touch or by warmth finds its first page without working out everyone's

Revision ID: 0014_warmth_order
Revises: 0013_warmth_store
Create Date: 2026-11-26

Within one cadence the stored cold moment is the last touch plus a fixed number of days,
so walking this index per cadence walks people by last touch (core/people.py,
``first_ids``).
"""
from alembic import op

revision = "0014_warmth_order"
down_revision = "0013_warmth_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_people_warmth_cadence_cold_due "
        "ON people (warmth_cadence, warmth_cold_due)"
    )


def downgrade() -> None:
    op.drop_index("ix_people_warmth_cadence_cold_due", table_name="people")
