"""mail_interactions: which interaction each imported mail message became

Revision ID: 0007_mail_interactions
Revises: 0006_autoincrement_ids
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_mail_interactions"
down_revision = "0006_autoincrement_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_interactions",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(length=300), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"],
            name=op.f("fk_mail_interactions_batch_id_import_batches"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"], ["interactions.id"],
            name=op.f("fk_mail_interactions_interaction_id_interactions"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"],
            name=op.f("fk_mail_interactions_person_id_people"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_mail_interactions")),
        sa.UniqueConstraint(
            "message_key", "person_id", name=op.f("uq_mail_interactions_message_key")
        ),
    )
    with op.batch_alter_table("mail_interactions") as batch:
        batch.create_index(
            batch.f("ix_mail_interactions_batch_id"), ["batch_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("mail_interactions")
