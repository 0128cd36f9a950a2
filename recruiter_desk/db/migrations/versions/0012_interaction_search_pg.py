"""interactions_search: PostgreSQL's full-text index of interaction subjects and bodies

Revision ID: 0012_interaction_search_pg
Revises: 0011_interaction_search
Create Date: 2026-11-26

A position-free tsvector per interaction behind a GIN index, the server-side fold it is
built with, and the triggers that keep it in step (db/interaction_search.py explains them);
filled here for the interactions already recorded. The statements come from the live module
because the server's fold is generated from the one letter table (recruiter_desk/folding.py):
a later change of the fold recreates the function and rebuilds in a revision of its own.
SQLite has had its FTS5 index since 0011 and gets nothing here.
"""
from alembic import op

from recruiter_desk.db import interaction_search

revision = "0012_interaction_search_pg"
down_revision = "0011_interaction_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    interaction_search.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for statement in interaction_search.PG_DROP_SQL:
        op.execute(statement)
