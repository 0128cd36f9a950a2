"""mail_folders: how far sync-mail has read each IMAP folder (UIDVALIDITY and last UID)

Revision ID: 0009_mail_folders
Revises: 0008_lawful_basis
Create Date: 2026-11-26

Kept in the database, not in the settings, so the position moves in the same transaction
as the interactions it read (docs/mail.md).
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_mail_folders"
down_revision = "0008_lawful_basis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_folders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=300), nullable=False),
        sa.Column("folder", sa.String(length=300), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_folders")),
        sa.UniqueConstraint("account", "folder", name=op.f("uq_mail_folders_account")),
    )


def downgrade() -> None:
    op.drop_table("mail_folders")
