"""A smaller file: the timeline's full-text index without its size table, and the index on
an interaction's opportunity over the few interactions that have one

Revision ID: 0016_smaller_file
Revises: 0015_snoozed_index
Create Date: 2026-11-26

- SQLite: ``interactions_fts`` is made anew with ``columnsize=0``. FTS5 keeps the number of
  tokens of each column of each row in a table of its own, for ranking (bm25); the timeline
  lists matches in time order and never ranks, and that table was 124 MB of the 1M demo's
  file. FTS5 options cannot be changed in place: the table, its triggers and its terms are
  made again (db/interaction_search.py explains them).
- SQLite: ``person_tags`` and ``person_interests`` are made again WITHOUT ROWID. Their
  key is the whole row: with a rowid SQLite kept each pair in the table and again in the
  key's index (70 MB of the 1M demo's file). Nothing reads their rowid.
- Both: ``ix_interactions_opportunity_id`` holds only the interactions about an opportunity
  (under 1 % in the demo; every query through it asks for one opportunity, which SQLite and
  PostgreSQL know implies NOT NULL). Deleting an opportunity sets its interactions' id to
  NULL through the same index.

The SQL is written out, not imported, so this revision stays what it was.
"""
import sqlalchemy as sa
from alembic import op

from recruiter_desk.db.interaction_search import register_fold

revision = "0016_smaller_file"
down_revision = "0015_snoozed_index"
branch_labels = None
depends_on = None

_TRIGGERS = ("interactions_fts_insert", "interactions_fts_delete", "interactions_fts_update")
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
_OPPORTUNITY_INDEX = "ix_interactions_opportunity_id"
_ABOUT_AN_OPPORTUNITY = sa.text("opportunity_id IS NOT NULL")


def _remake_search(options: str) -> None:
    bind = op.get_bind()
    # The triggers and the fill call rd_fold: the connection migrating needs it too.
    register_fold(bind.connection.driver_connection)
    for trigger in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS interactions_fts")
    op.execute(
        "CREATE VIRTUAL TABLE interactions_fts USING fts5(subject, body, content = '', "
        f"{options}tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO interactions_fts(rowid, subject, body) "
        "SELECT id, rd_fold(subject), rd_fold(body) FROM interactions "
        f"WHERE {_HAS_TEXT.format(row='interactions')}"
    )
    op.execute(
        "CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions "
        f"BEGIN {_INSERT} END"
    )
    op.execute(
        "CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions "
        f"BEGIN {_DELETE} END"
    )
    op.execute(
        "CREATE TRIGGER interactions_fts_update "
        f"AFTER UPDATE OF subject, body ON interactions BEGIN {_DELETE} {_INSERT} END"
    )


# The warmth queue's triggers on person_tags (0013), put back after its table is made again.
_TAG_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS warmth_tags_insert AFTER INSERT ON person_tags "
    "BEGIN INSERT OR IGNORE INTO warmth_queue(id) VALUES (new.person_id); END",
    "CREATE TRIGGER IF NOT EXISTS warmth_tags_delete AFTER DELETE ON person_tags "
    "BEGIN INSERT OR IGNORE INTO warmth_queue(id) VALUES (old.person_id); END",
    "CREATE TRIGGER IF NOT EXISTS warmth_tags_update AFTER UPDATE ON person_tags "
    "BEGIN INSERT OR IGNORE INTO warmth_queue(id) VALUES (old.person_id); "
    "INSERT OR IGNORE INTO warmth_queue(id) VALUES (new.person_id); END",
)
_PAIRS = (("person_tags", "tag"), ("person_interests", "topic"))


def _remake_pairs(without_rowid: bool) -> None:
    """Copy each pair table into one made with (or without) a rowid, under the same name,
    constraints and index. The migration runs with foreign keys off (db/migrate.py)."""
    for name, second in _PAIRS:
        op.execute(f"DROP TABLE IF EXISTS {name}_remade")
        op.execute(
            f"CREATE TABLE {name}_remade (person_id INTEGER NOT NULL, "
            f"{second} VARCHAR(100) NOT NULL, "
            f"CONSTRAINT pk_{name} PRIMARY KEY (person_id, {second}), "
            f"CONSTRAINT fk_{name}_person_id_people FOREIGN KEY(person_id) "
            "REFERENCES people (id) ON DELETE CASCADE)"
            + (" WITHOUT ROWID" if without_rowid else "")
        )
        op.execute(
            f"INSERT INTO {name}_remade (person_id, {second}) "
            f"SELECT person_id, {second} FROM {name} ORDER BY person_id, {second}"
        )
        # Its index and triggers go with it.
        op.execute(f"DROP TABLE {name}")
        op.execute(f"ALTER TABLE {name}_remade RENAME TO {name}")
        op.execute(f"CREATE INDEX ix_{name}_{second} ON {name} ({second})")
    for statement in _TAG_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    op.drop_index(_OPPORTUNITY_INDEX, table_name="interactions", if_exists=True)
    op.create_index(
        _OPPORTUNITY_INDEX,
        "interactions",
        ["opportunity_id"],
        sqlite_where=_ABOUT_AN_OPPORTUNITY,
        postgresql_where=_ABOUT_AN_OPPORTUNITY,
    )
    if op.get_bind().dialect.name == "sqlite":
        _remake_search("columnsize = 0, ")
        _remake_pairs(without_rowid=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _remake_pairs(without_rowid=False)
        _remake_search("")
    op.drop_index(_OPPORTUNITY_INDEX, table_name="interactions")
    op.create_index(_OPPORTUNITY_INDEX, "interactions", ["opportunity_id"])
