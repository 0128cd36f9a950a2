"""Stored warmth inputs: each person's effective cadence and the moments they turn cooling
and cold, kept in step through a queue that triggers fill

Revision ID: 0013_warmth_store
Revises: 0012_interaction_search_pg
Create Date: 2026-11-26

The columns are worked out by the application (core/warmth_store.py) from the settings'
cadences, which this migration cannot read: it queues every person, and the first write
through the application fills them. Until then every reader computes warmth the exact
way, as before. The trigger SQL is written out, not imported, so this revision stays what
it was (db/warmth_queue.py explains the triggers).
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_warmth_store"
down_revision = "0012_interaction_search_pg"
branch_labels = None
depends_on = None

# What changes a person's cadence or last-touch day: their own cadence, connection and
# creation dates and newest touch; their tags; their candidacies' stages.
_PEOPLE_COLUMNS = ("cadence_days", "connected_on", "created_at", "last_touch_at")
_SQLITE_QUEUE = "INSERT OR IGNORE INTO warmth_queue(id) VALUES ({row}.{column});"
_SQLITE_TRIGGERS = (
    ("warmth_people_insert", "AFTER INSERT ON people", "", [("new", "id")]),
    (
        "warmth_people_update",
        f"AFTER UPDATE OF {', '.join(_PEOPLE_COLUMNS)} ON people",
        "WHEN " + " OR ".join(f"new.{c} IS NOT old.{c}" for c in _PEOPLE_COLUMNS),
        [("new", "id")],
    ),
    ("warmth_tags_insert", "AFTER INSERT ON person_tags", "", [("new", "person_id")]),
    ("warmth_tags_delete", "AFTER DELETE ON person_tags", "", [("old", "person_id")]),
    (
        "warmth_tags_update",
        "AFTER UPDATE ON person_tags",
        "",
        [("old", "person_id"), ("new", "person_id")],
    ),
    ("warmth_candidacies_insert", "AFTER INSERT ON candidacies", "", [("new", "person_id")]),
    ("warmth_candidacies_delete", "AFTER DELETE ON candidacies", "", [("old", "person_id")]),
    (
        "warmth_candidacies_update",
        "AFTER UPDATE OF stage, stage_changed_at, person_id ON candidacies",
        "",
        [("old", "person_id"), ("new", "person_id")],
    ),
)

_PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION warmth_queue_person() RETURNS trigger AS $$
BEGIN
    INSERT INTO warmth_queue(id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION warmth_queue_reference() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO warmth_queue(id) VALUES (OLD.person_id) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO warmth_queue(id) VALUES (NEW.person_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""
_PG_TRIGGERS = (
    "CREATE TRIGGER warmth_people_insert AFTER INSERT ON people "
    "FOR EACH ROW EXECUTE FUNCTION warmth_queue_person()",
    "CREATE TRIGGER warmth_people_update AFTER UPDATE ON people FOR EACH ROW WHEN ("
    + " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _PEOPLE_COLUMNS)
    + ") EXECUTE FUNCTION warmth_queue_person()",
    "CREATE TRIGGER warmth_tags_change AFTER INSERT OR UPDATE OR DELETE ON person_tags "
    "FOR EACH ROW EXECUTE FUNCTION warmth_queue_reference()",
    "CREATE TRIGGER warmth_candidacies_change AFTER INSERT OR DELETE "
    "OR UPDATE OF stage, stage_changed_at, person_id ON candidacies "
    "FOR EACH ROW EXECUTE FUNCTION warmth_queue_reference()",
)
_PG_TRIGGER_TABLES = (
    ("warmth_people_insert", "people"),
    ("warmth_people_update", "people"),
    ("warmth_tags_change", "person_tags"),
    ("warmth_candidacies_change", "candidacies"),
)
_COLUMNS = (
    ("warmth_cadence", sa.Integer()),
    ("warmth_source", sa.String(120)),
    ("warmth_cooling_due", sa.BigInteger()),
    ("warmth_cold_due", sa.BigInteger()),
    ("warmth_moved_at", sa.DateTime()),
)


def upgrade() -> None:
    # Whatever is there already is kept: a file whose schema version was set back by hand
    # still upgrades.
    bind = op.get_bind()
    present = {c["name"] for c in sa.inspect(bind).get_columns("people")}
    # Plain ADD COLUMN: a batch rebuild would drop the tables' AUTOINCREMENT (0006).
    for name, kind in _COLUMNS:
        if name not in present:
            op.add_column("people", sa.Column(name, kind, nullable=True))
    for name in ("cold_due", "cooling_due", "moved_at"):
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_people_warmth_{name} ON people (warmth_{name})"
        )
    # Not ORM tables: copy-to and exports leave them alone (a copy's triggers fill its
    # own queue).
    op.execute("CREATE TABLE IF NOT EXISTS warmth_queue (id INTEGER PRIMARY KEY)")
    # The settings the stored values were worked out with: none yet.
    op.execute("CREATE TABLE IF NOT EXISTS warmth_basis (policy TEXT NOT NULL)")
    if bind.dialect.name == "postgresql":
        op.execute(_PG_FUNCTIONS)
        for (name, table), statement in zip(_PG_TRIGGER_TABLES, _PG_TRIGGERS, strict=True):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(statement)
    else:
        for name, event, when, rows in _SQLITE_TRIGGERS:
            body = " ".join(_SQLITE_QUEUE.format(row=r, column=c) for r, c in rows)
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {event} {when} BEGIN {body} END")
    op.execute("DELETE FROM warmth_queue")
    op.execute("INSERT INTO warmth_queue(id) SELECT id FROM people")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in _PG_TRIGGER_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS warmth_queue_person()")
        op.execute("DROP FUNCTION IF EXISTS warmth_queue_reference()")
    else:
        for name, *_ in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS warmth_queue")
    op.execute("DROP TABLE IF EXISTS warmth_basis")
    for name in ("cold_due", "cooling_due", "moved_at"):
        op.drop_index(f"ix_people_warmth_{name}", table_name="people")
    for name, _kind in reversed(_COLUMNS):
        op.drop_column("people", name)
