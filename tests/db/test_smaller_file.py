"""Migration 0016 (a smaller file) keeps every row and every search result, on SQLite and
PostgreSQL, through upgrade, downgrade and upgrade again; writes after it keep the timeline's
index in step."""

from __future__ import annotations

import json
from typing import Any

from alembic import command
from sqlalchemy import text

from recruiter_desk.db import interaction_search, migrate
from recruiter_desk.db.engine import make_engine
from recruiter_desk.db.open import open_database
from recruiter_desk.db.search_index import match_query
from tests.cli.helpers import run
from tests.conftest import table_rows

WORDS = ("checking", "quick hello", "interview", "re", "zzz")


def _found(location: str, words: str) -> list[dict[str, Any]]:
    out = run("--db", location, "timeline", "--search", words, "--json", "--limit", "500").stdout
    found: list[dict[str, Any]] = json.loads(out)
    return found


def _seen(location: str) -> dict[str, Any]:
    """What a recruiter reads: every row, the searches, a tag filter, an opportunity's
    timeline."""
    database = open_database(location, daily_backup=False)
    try:
        rows = table_rows(database)
        with database.engine.connect() as connection:
            opportunity = connection.execute(
                text("SELECT min(opportunity_id) FROM interactions")
            ).scalar()
    finally:
        database.close()
    tagged = run("--db", location, "people", "--tag", "alumni", "--json").stdout
    about = run("--db", location, "timeline", "--opportunity", str(opportunity), "--json").stdout
    return {
        "rows": rows,
        "searches": {words: _found(location, words) for words in WORDS},
        "tagged": [p["id"] for p in json.loads(tagged)],
        "about": json.loads(about),
    }


def _downgrade(location: str, revision: str) -> None:
    database = open_database(location, daily_backup=False)
    try:
        config = migrate.alembic_config()
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        database.close()


def _schema(location: str) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Without upgrading: the definitions 0016 changes (SQL text per name) and the ids the
    SQLite index holds for each search."""
    engine = make_engine(location)
    try:
        with engine.connect() as connection:
            if engine.dialect.name != "sqlite":
                rows = connection.exec_driver_sql("SELECT indexname, indexdef FROM pg_indexes")
                return {name: sql for name, sql in rows}, {}
            rows = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master")
            schema = {name: sql or "" for name, sql in rows}
            indexed = {}
            for words in WORDS:
                statement = interaction_search.matching_rowids(str(match_query(words)))
                indexed[words] = sorted(connection.execute(statement).scalars())
            return schema, indexed
    finally:
        engine.dispose()


def test_the_smaller_file_keeps_rows_and_searches_and_goes_back(db_location: str) -> None:
    run("--db", db_location, "demo", "--people", "300", "--as-of", "2026-11-25")
    before = _seen(db_location)
    assert before["searches"]["checking"] and before["tagged"] and before["about"]
    new, indexed = _schema(db_location)

    _downgrade(db_location, "0015_snoozed_index")
    old, indexed_before = _schema(db_location)
    assert indexed_before == indexed
    assert "WHERE" not in old["ix_interactions_opportunity_id"]
    if engine_is_sqlite := "interactions_fts" in old:
        assert "interactions_fts_docsize" in old
        for name in ("person_tags", "person_interests"):
            assert "WITHOUT ROWID" not in old[name]

    assert _seen(db_location) == before  # opening upgrades it again
    new, indexed_after = _schema(db_location)
    assert indexed_after == indexed_before
    assert "opportunity_id IS NOT NULL" in new["ix_interactions_opportunity_id"]
    if engine_is_sqlite:
        assert "interactions_fts_docsize" not in new
        assert "columnsize = 0" in new["interactions_fts"]
        for name in ("person_tags", "person_interests"):
            assert new[name].endswith("WITHOUT ROWID")
        # The warmth queue's and the search's triggers came back with their tables.
        assert {"warmth_tags_insert", "warmth_tags_delete", "warmth_tags_update"} <= set(new)
        assert {"interactions_fts_insert", "interactions_fts_delete"} <= set(new)

    # Writes after it keep the index and the pairs in step.
    person = before["tagged"][0]
    run("--db", db_location, "log", str(person), "--kind", "email", "--subject", "Quixotic plan")
    assert [entry["subject"] for entry in _found(db_location, "quixot")] == ["Quixotic plan"]
    run(
        "--db",
        db_location,
        "add-person",
        "--first",
        "Zoë",
        "--last",
        "Ek",
        "--tag",
        "zebra",
        "--interest",
        "rust",
    )
    tagged = run("--db", db_location, "people", "--tag", "zebra", "--json").stdout
    assert [(p["first_name"], p["last_name"]) for p in json.loads(tagged)] == [("Zoë", "Ek")]
