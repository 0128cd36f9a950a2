"""``timeline --search``: full-text over interaction subjects and bodies (issue 10), kept in
step with every write by the index's triggers."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.timeline import InteractionDraft, delete_interaction, update_interaction
from recruiter_desk.db import migrate
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from tests.cli.helpers import run
from tests.conftest import add_person

# The interaction text index is FTS5 (db/interaction_search.py); PostgreSQL matches substrings.
pytestmark = pytest.mark.sqlite_only("interaction text search is an FTS5 index")


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


def _found(db_path: Path, *words: str) -> list[str]:
    out = run("--db", str(db_path), "timeline", "--search", " ".join(words), "--json").stdout
    return [entry["subject"] for entry in json.loads(out)]


def test_search_finds_words_in_subjects_and_bodies_by_prefix_with_any_accents(
    database: Database, db_path: Path
) -> None:
    ana = add_person(database, first_name="Ana", last_name="Lima")
    bo = add_person(database, first_name="Bo", last_name="Ek")
    _log(database, ana, "2026-11-20T09:00", "Sobre a função", "Falei com o Søren ontem.")
    _log(database, bo, "2026-11-21T09:00", "Kubernetes platform role", "Straße und Ærø")
    _log(database, bo, "2026-11-22T09:00", "Lunch?", "Recruiting offsite next week")
    _log(database, ana, "2026-11-23T09:00", "", "")  # a logged call: nothing to search

    assert _found(db_path, "funcao") == ["Sobre a função"]  # accents ignored
    assert _found(db_path, "SOREN") == ["Sobre a função"]  # ø folds to o, case ignored
    assert _found(db_path, "strasse", "aero") == ["Kubernetes platform role"]
    assert _found(db_path, "kube") == ["Kubernetes platform role"]  # a prefix
    assert _found(db_path, "recruit") == ["Lunch?"]  # in the body only
    assert _found(db_path, "platform", "lunch") == []  # every word must be there
    assert _found(db_path, "role") == ["Kubernetes platform role"]
    assert _found(db_path, '"role" - : *') == ["Kubernetes platform role"]  # syntax is data
    text = run("--db", str(db_path), "timeline", "--search", "nothing-like-this").stdout
    assert "Kubernetes" not in text


def test_edits_deletes_and_erased_people_leave_the_index(database: Database, db_path: Path) -> None:
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
    assert _found(db_path, "salary") == ["Salary question"]
    assert _found(db_path, "vesting") == ["Offer"]
    with database.session() as session:
        delete_interaction(session, second)
    assert _found(db_path, "salary") == []
    run("--db", str(db_path), "forget", str(ana))
    assert _found(db_path, "vesting") == []


def test_the_migration_indexes_interactions_recorded_before_it(db_path: Path) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009_mail_folders")
    engine.dispose()
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "INSERT INTO people (id, first_name, last_name, company, title, location, links, "
            "name_key, work_modes, openness, is_applicant, do_not_contact, source, notes, "
            "created_at, updated_at) VALUES (1, 'Zoë', 'Ek', '', '', '', '[]', '', 0, 'open', "
            "0, 0, '', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
        )
        connection.execute(
            "INSERT INTO interactions (person_id, kind, direction, occurred_at, subject, body) "
            "VALUES (1, 'email', 'inbound', '2025-01-01 10:00:00', 'Re: Zürich', 'Grüße')"
        )
    connection.close()
    open_database(str(db_path), daily_backup=False).close()
    assert _found(db_path, "zurich") == ["Re: Zürich"]
    assert _found(db_path, "grusse") == ["Re: Zürich"]


def test_the_index_and_its_triggers_exist_at_head(database: Database) -> None:
    # A later migration that rebuilds ``interactions`` (a batch ALTER) drops its triggers
    # with it: this is where that would show.
    from recruiter_desk.db import interaction_search

    with database.engine.connect() as connection:
        names = {
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
            )
        }
    assert interaction_search.FTS_TABLE in names
    assert set(interaction_search.TRIGGERS) <= names


def test_the_demo_indexes_its_interactions_and_keeps_the_triggers(db_path: Path) -> None:
    # The demo loads with the triggers set aside and indexes everything in one pass.
    run("--db", str(db_path), "demo", "--people", "60", "--as-of", "2026-11-25")
    database = open_database(str(db_path), daily_backup=False)
    try:
        test_the_index_and_its_triggers_exist_at_head(database)
        with database.engine.connect() as connection:
            subjects = connection.exec_driver_sql(
                "SELECT count(*) FROM interactions WHERE subject LIKE '%Checking in%'"
            ).scalar()
        person = add_person(database, first_name="Zoë", last_name="Ek")
        _log(database, person, "2026-11-24T09:00", "Quixotic plan")
    finally:
        database.close()
    assert subjects and len(_found(db_path, "checking")) == min(subjects, 100)
    assert _found(db_path, "quixot") == ["Quixotic plan"]
