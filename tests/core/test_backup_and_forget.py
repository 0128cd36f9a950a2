"""Backups restore exactly; forgetting a person leaves nothing of them behind."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from recruiter_desk.core import maintenance
from recruiter_desk.core.records import log_interaction
from recruiter_desk.db import search_index
from recruiter_desk.db.backup import Retention
from recruiter_desk.db.models import Candidacy, FollowUp, Opportunity, StageChange
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError, NotFoundError
from tests.conftest import NOW, add_person, table_names


def count_people(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM people").fetchone()[0]


@pytest.mark.sqlite_only("backups copy the SQLite file")
def test_backup_then_restore_brings_back_the_data(
    database: Database, db_path: Path, tmp_path: Path
) -> None:
    add_person(database, first_name="Ana")
    copy = maintenance.backup_database(str(db_path), tmp_path / "copy.sqlite3", NOW, Retention())
    add_person(database, first_name="Ben")
    database.close()
    result = maintenance.restore_database(str(db_path), copy, NOW, Retention())
    assert count_people(db_path) == 1
    assert result.previous_saved_as is not None
    assert count_people(result.previous_saved_as) == 2


@pytest.mark.sqlite_only("backups copy the SQLite file")
def test_restore_refuses_a_file_that_is_not_a_backup(
    db_path: Path, database: Database, tmp_path: Path
) -> None:
    add_person(database, first_name="Ana")
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("hello")
    with pytest.raises(KnownError, match="not a SQLite database"):
        maintenance.restore_database(str(db_path), junk, NOW, Retention())
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE x (y)")
    with pytest.raises(KnownError, match="not a Recruiter Desk database"):
        maintenance.restore_database(str(db_path), other, NOW, Retention())
    assert count_people(db_path) == 1


@pytest.mark.sqlite_only("backups copy the SQLite file")
def test_restore_refuses_a_damaged_file(db_path: Path, database: Database, tmp_path: Path) -> None:
    add_person(database, first_name="Ana")
    copy = maintenance.backup_database(str(db_path), tmp_path / "copy.sqlite3", NOW, Retention())
    data = bytearray(copy.read_bytes())
    for offset in range(4096, len(data), 997):
        data[offset] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(KnownError):
        maintenance.restore_database(str(db_path), copy, NOW, Retention())
    assert count_people(db_path) == 1


def _every_row_mentioning(database: Database, needles: list[str]) -> list[str]:
    found = []
    tables = [*table_names(database), search_index.index_table(database.engine.dialect.name)]
    with database.engine.connect() as connection:
        for table in tables:
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                flat = " ".join(str(v) for v in row).lower()
                found.extend(f"{table}: {n}" for n in needles if n.lower() in flat)
    return found


def test_forget_erases_everything_about_a_person(database: Database, db_path: Path) -> None:
    keep = add_person(database, first_name="Keep", last_name="Me", emails=["keep@x.example"])
    gone = add_person(
        database,
        first_name="Zebulon",
        last_name="Quixote",
        emails=["zeb@quix.example"],
        phones=["+1 555 0100"],
        tags=["referrer"],
        interests=["rust"],
        linkedin_url="https://www.linkedin.com/in/zebq/",
        notes="Zebulon notes",
    )
    with database.session() as session:
        log_interaction(
            session,
            gone,
            kind="email",
            direction="outbound",
            occurred_at=NOW,
            subject="Zebulon hello",
        )
        opportunity = Opportunity(title="Engineer", created_at=NOW, skills=[])
        session.add(opportunity)
        session.flush()
        candidacy = Candidacy(
            person_id=gone,
            opportunity_id=opportunity.id,
            stage="sourced",
            stage_changed_at=NOW,
            created_at=NOW,
        )
        session.add(candidacy)
        session.flush()
        session.add(StageChange(candidacy_id=candidacy.id, stage="sourced", changed_at=NOW))
        session.add(
            FollowUp(person_id=gone, due_on=NOW.date(), reason="Zebulon call", created_at=NOW)
        )
    report = maintenance.forget_person(database, gone, datetime(2026, 11, 25))
    assert report.erased["interactions"] == 1
    assert report.erased["candidacies"] == 1
    assert report.erased["follow-ups"] == 1
    assert _every_row_mentioning(database, ["zebulon", "quixote", "zeb@quix", "zebq"]) == []
    with database.connect() as connection:
        assert search_index.indexed_ids(connection) == {keep}
        assert maintenance.is_forgotten(connection, ["ZEB@quix.example"], None)
        assert maintenance.is_forgotten(connection, [], "linkedin.com/in/ZebQ?trk=1")
        assert not maintenance.is_forgotten(connection, ["keep@x.example"], None)
    database.close()
    if database.is_sqlite:
        raw = db_path.read_bytes()
        assert b"Zebulon" not in raw and b"Quixote" not in raw


def test_forget_unknown_person_is_a_plain_error(database: Database) -> None:
    with pytest.raises(NotFoundError, match="no person with id 42"):
        maintenance.forget_person(database, 42, NOW)


def test_reopen_after_forget_still_works(database: Database, db_path: Path) -> None:
    person = add_person(database, first_name="Temp")
    maintenance.forget_person(database, person, NOW)
    database.close()
    reopened = open_database(str(db_path), daily_backup=False)
    reopened.close()
