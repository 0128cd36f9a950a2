"""``timeline --search``: full-text over interaction subjects and bodies (issue 10), kept in
step with every write by the index's triggers, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.timeline import InteractionDraft, delete_interaction, update_interaction
from recruiter_desk.db import migrate
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from tests.cli.helpers import run
from tests.conftest import add_person


def _log(database: Database, person_id: int, when: str, subject: str, body: str = "") -> int:
    with database.session() as session:
        return log_interaction(
            session,
            person_id,
            kind="email",
            direction="inbound",
            occurred_at=datetime.fromisoformat(when),
            subject=subject,
            body=body,
        ).id


def _found(location: str | Path, *words: str) -> list[str]:
    out = run("--db", str(location), "timeline", "--search", " ".join(words), "--json").stdout
    return [entry["subject"] for entry in json.loads(out)]


def test_search_finds_words_in_subjects_and_bodies_by_prefix_with_any_accents(
    database: Database, db_location: str
) -> None:
    ana = add_person(database, first_name="Ana", last_name="Lima")
    bo = add_person(database, first_name="Bo", last_name="Ek")
    _log(database, ana, "2026-11-20T09:00", "Sobre a função", "Falei com o Søren ontem.")
    _log(database, bo, "2026-11-21T09:00", "Kubernetes platform role", "Straße und Ærø")
    _log(database, bo, "2026-11-22T09:00", "Lunch?", "Recruiting offsite next week")
    _log(database, ana, "2026-11-23T09:00", "", "")  # a logged call: nothing to search

    assert _found(db_location, "funcao") == ["Sobre a função"]  # accents ignored
    assert _found(db_location, "SOREN") == ["Sobre a função"]  # ø folds to o, case ignored
    assert _found(db_location, "strasse", "aero") == ["Kubernetes platform role"]
    assert _found(db_location, "kube") == ["Kubernetes platform role"]  # a prefix
    assert _found(db_location, "recruit") == ["Lunch?"]  # in the body only
    assert _found(db_location, "platform", "lunch") == []  # every word must be there
    assert _found(db_location, "role") == ["Kubernetes platform role"]
    assert _found(db_location, '"role" - : *') == ["Kubernetes platform role"]  # syntax is data
    text = run("--db", db_location, "timeline", "--search", "nothing-like-this").stdout
    assert "Kubernetes" not in text


def test_edits_deletes_and_erased_people_leave_the_index(
    database: Database, db_location: str
) -> None:
    ana = add_person(database, first_name="Ana", last_name="Lima", emails=["ana@x.example"])
    bo = add_person(database, first_name="Bo", last_name="Ek")
    first = _log(database, ana, "2026-11-20T09:00", "Offer details", "Salary band attached")
    second = _log(database, bo, "2026-11-21T09:00", "Salary question", "")
    with database.session() as session:
        update_interaction(
            session,
            first,
            InteractionDraft(
                ana, "email", "inbound", datetime(2026, 11, 20, 9), "Offer", "Vesting"
            ),
        )
    assert _found(db_location, "salary") == ["Salary question"]
    assert _found(db_location, "vesting") == ["Offer"]
    with database.session() as session:
        delete_interaction(session, second)
    assert _found(db_location, "salary") == []
    assert _indexed(database, "vesting") == 1
    run("--db", db_location, "forget", str(ana))
    assert _found(db_location, "vesting") == []
    # No word of theirs is left in the index itself, on either backend.
    for word in ("vesting", "offer", "ana", "lima"):
        assert _indexed(database, word) == 0


@pytest.fixture
def empty_location(backend: str, db_path: Path) -> Iterator[str]:
    """A database with no schema yet: a new SQLite file, or an empty PostgreSQL database."""
    if backend == "sqlite":
        yield str(db_path)
        return
    from tests import pg

    url = pg.empty_database(pg.server_url())
    yield url
    pg.drop_database(url)


def _indexed(database: Database, word: str) -> int:
    """How many interactions the index itself holds a word for (what erasure must empty)."""
    from recruiter_desk.db import interaction_search

    with database.engine.connect() as connection:
        if database.is_sqlite:
            statement = (
                f"SELECT count(*) FROM {interaction_search.FTS_TABLE} "
                f"WHERE {interaction_search.FTS_TABLE} MATCH :word"
            )
        else:
            statement = (
                f"SELECT count(*) FROM {interaction_search.PG_TABLE} "
                "WHERE document @@ to_tsquery('simple', :word)"
            )
        return int(connection.execute(text(statement), {"word": word}).scalar_one())


def test_the_migration_indexes_interactions_recorded_before_it(empty_location: str) -> None:
    from recruiter_desk.db.engine import make_engine

    engine = make_engine(empty_location)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009_mail_folders")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO people (id, first_name, last_name, company, title, location, links, "
                "name_key, work_modes, openness, is_applicant, do_not_contact, source, notes, "
                "created_at, updated_at) VALUES (1, 'Zoë', 'Ek', '', '', '', '[]', '', 0, "
                "'open', false, false, '', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO interactions (person_id, kind, direction, occurred_at, subject, "
                "body) VALUES (1, 'email', 'inbound', '2025-01-01 10:00:00', 'Re: Zürich', "
                "'Grüße')"
            )
        )
    engine.dispose()
    open_database(empty_location, daily_backup=False).close()
    assert _found(empty_location, "zurich") == ["Re: Zürich"]
    assert _found(empty_location, "grusse") == ["Re: Zürich"]


def test_the_index_and_its_triggers_exist_at_head(database: Database) -> None:
    # A later migration that rebuilds ``interactions`` (a batch ALTER) drops its triggers
    # with it: this is where that would show.
    from recruiter_desk.db import interaction_search

    with database.engine.connect() as connection:
        if database.is_sqlite:
            names = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
                )
            }
            expected = {interaction_search.FTS_TABLE, *interaction_search.TRIGGERS}
        else:
            names = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'interactions'::regclass "
                    "UNION SELECT tablename FROM pg_tables UNION SELECT indexname FROM pg_indexes"
                )
            }
            expected = {
                interaction_search.PG_TABLE,
                interaction_search.PG_INDEX,
                *interaction_search.PG_TRIGGERS,
            }
    assert expected <= names


def test_the_demo_indexes_its_interactions_and_keeps_the_triggers(db_location: str) -> None:
    # The demo loads with the triggers set aside and indexes everything in one pass.
    run("--db", db_location, "demo", "--people", "60", "--as-of", "2026-11-25")
    database = open_database(db_location, daily_backup=False)
    try:
        test_the_index_and_its_triggers_exist_at_head(database)
        with database.engine.connect() as connection:
            subjects = connection.execute(
                text("SELECT count(*) FROM interactions WHERE subject LIKE '%Checking in%'")
            ).scalar()
        person = add_person(database, first_name="Zoë", last_name="Ek")
        _log(database, person, "2026-11-24T09:00", "Quixotic plan")
    finally:
        database.close()
    assert subjects and len(_found(db_location, "checking")) == min(subjects, 100)
    assert _found(db_location, "quixot") == ["Quixotic plan"]


def test_many_matches_walk_the_timeline_and_find_the_same(
    database: Database, db_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Above DENSE_MATCHES a search walks the timeline in time order instead of being driven
    # by its matches: the same entries either way.
    from recruiter_desk.db import interaction_search

    ana = add_person(database, first_name="Ana", last_name="Lima")
    for day in range(1, 6):
        _log(database, ana, f"2026-11-{day:02d}T09:00", f"Checking in {day}", "Søren says hi")
    _log(database, ana, "2026-11-10T09:00", "Lunch?", "")
    few = _found(db_location, "checking", "soren")
    monkeypatch.setattr(interaction_search, "DENSE_MATCHES", 2)
    assert (
        _found(db_location, "checking", "soren")
        == few
        == [f"Checking in {day}" for day in range(5, 0, -1)]
    )
    assert _found(db_location, "zzz") == []
