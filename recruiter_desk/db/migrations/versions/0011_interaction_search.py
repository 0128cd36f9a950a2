"""interactions_fts: full-text search over interaction subjects and bodies (SQLite only)

Revision ID: 0011_interaction_search
Revises: 0010_team
Create Date: 2026-11-26

A contentless FTS5 index of folded subjects and bodies, kept in step by triggers
(db/interaction_search.py explains them), filled here for the interactions already
recorded. The SQL is written out, not imported, so this revision stays what it was.
Other databases search with their own means and get nothing here.
"""
from alembic import op

from recruiter_desk.db.interaction_search import register_fold

revision = "0011_interaction_search"
down_revision = "0010_team"
branch_labels = None
depends_on = None

_HAS_TEXT = "(coalesce({row}.subject, '') != '' OR coalesce({row}.body, '') != '')"
_INSERT = (
    "INSERT INTO interactions_fts(rowid, subject, body) "
    "SELECT new.id, rd_fold(new.subject), rd_fold(new.body) "
    f"WHERE {_HAS_TEXT.format(row='new')};"
)
_DELETE = (
    "INSERT INTO interactions_fts(interactions_fts, rowid, subject, body) "
    "SELECT 'delete', old.id, rd_fold(old.subject), rd_fold(old.body) "
    f"WHERE {_HAS_TEXT.format(row='old')};"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # The triggers and the fill call rd_fold: the connection migrating needs it too.
    register_fold(bind.connection.driver_connection)
    # IF NOT EXISTS and 'delete-all': a file whose schema version was set back by hand
    # still upgrades, and ends with the index filled once.
    op.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS interactions_fts USING fts5(subject, body, "
        "content = '', tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS interactions_fts_insert AFTER INSERT ON interactions "
        f"BEGIN {_INSERT} END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS interactions_fts_delete AFTER DELETE ON interactions "
        f"BEGIN {_DELETE} END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS interactions_fts_update "
        f"AFTER UPDATE OF subject, body ON interactions BEGIN {_DELETE} {_INSERT} END"
    )
    op.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('delete-all')")
    op.execute(
        "INSERT INTO interactions_fts(rowid, subject, body) "
        "SELECT id, rd_fold(subject), rd_fold(body) FROM interactions "
        f"WHERE {_HAS_TEXT.format(row='interactions')}"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("interactions_fts_insert", "interactions_fts_delete", "interactions_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS interactions_fts")
