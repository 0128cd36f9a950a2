"""people.sort_key: sort by name on an index, surname first, accents ignored

Revision ID: 0002_sort_key
Revises: 0001_initial
Create Date: 2026-11-25
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002_sort_key"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _plain(value: str) -> str:
    # Frozen copy of recruiter_desk.core.normalize as of this revision.
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _clean(value: str) -> str:
    return " ".join((value or "").split())


def _sort_key(first_name: str, last_name: str) -> str:
    surname = _clean(last_name) or _clean(first_name)
    return f"{_plain(surname)}\x1f{_plain(_clean(first_name))}"


def upgrade() -> None:
    # A plain ADD COLUMN: no table rebuild, so nothing that points at people is touched.
    op.add_column(
        "people", sa.Column("sort_key", sa.String(length=600), server_default="", nullable=False)
    )
    op.create_index("ix_people_sort_key", "people", ["sort_key", "id"], unique=False)
    connection = op.get_bind()
    people = connection.execute(sa.text("SELECT id, first_name, last_name FROM people")).all()
    for start in range(0, len(people), 5000):
        connection.execute(
            sa.text("UPDATE people SET sort_key = :key WHERE id = :id"),
            [{"key": _sort_key(first, last), "id": pid}
             for pid, first, last in people[start:start + 5000]],
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_sort_key")
        batch_op.drop_column("sort_key")
