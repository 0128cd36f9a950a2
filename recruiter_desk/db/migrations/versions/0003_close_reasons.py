"""candidacies.closed_by / close_reason / close_note: why a candidacy ended

Revision ID: 0003_close_reasons
Revises: 0002_sort_key
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_close_reasons"
down_revision = "0002_sort_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: no table rebuild, so stage history pointing at candidacies is untouched.
    op.add_column("candidacies", sa.Column("closed_by", sa.String(length=10), nullable=True))
    op.add_column("candidacies", sa.Column("close_reason", sa.String(length=30), nullable=True))
    op.add_column(
        "candidacies",
        sa.Column("close_note", sa.String(length=500), server_default="", nullable=False),
    )
    op.create_index(
        "ix_candidacies_close_reason", "candidacies", ["close_reason"], unique=False
    )


def downgrade() -> None:
    with op.batch_alter_table("candidacies", schema=None) as batch_op:
        batch_op.drop_index("ix_candidacies_close_reason")
        batch_op.drop_column("close_note")
        batch_op.drop_column("close_reason")
        batch_op.drop_column("closed_by")
