"""A lawful basis per person (legitimate interest, consent, contract), its date, and when
a consent expires

Revision ID: 0008_lawful_basis
Revises: 0007_mail_interactions
Create Date: 2026-11-26

The recruiter is the data controller: each person's data is held on a basis, recorded with
the day it was set; a consent can end on a day, and the retention review lists those ending
soon. All three are empty for people added before.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_lawful_basis"
down_revision = "0007_mail_interactions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch rebuild would drop the table's AUTOINCREMENT (0006).
    op.add_column("people", sa.Column("lawful_basis", sa.String(30), nullable=True))
    op.add_column("people", sa.Column("lawful_basis_on", sa.Date(), nullable=True))
    op.add_column("people", sa.Column("consent_expires_on", sa.Date(), nullable=True))


def downgrade() -> None:
    for column in ("consent_expires_on", "lawful_basis_on", "lawful_basis"):
        op.drop_column("people", column)
