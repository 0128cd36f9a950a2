"""Team mode: who wrote each interaction and stage change; a version and an editor on
people and opportunities

Revision ID: 0010_team
Revises: 0009_mail_folders
Create Date: 2026-11-26

Rows written before are nobody's (an empty recruiter) and at version 1.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_team"
down_revision = "0009_mail_folders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, on SQLite and PostgreSQL alike: a batch rebuild would drop the
    # tables' AUTOINCREMENT (0006).
    for table in ("interactions", "stage_changes"):
        op.add_column(
            table, sa.Column("recruiter", sa.String(100), nullable=False, server_default="")
        )
    for table in ("people", "opportunities"):
        op.add_column(
            table, sa.Column("version", sa.Integer(), nullable=False, server_default="1")
        )
        op.add_column(
            table, sa.Column("updated_by", sa.String(100), nullable=False, server_default="")
        )


def downgrade() -> None:
    for table in ("people", "opportunities"):
        op.drop_column(table, "updated_by")
        op.drop_column(table, "version")
    for table in ("interactions", "stage_changes"):
        op.drop_column(table, "recruiter")
