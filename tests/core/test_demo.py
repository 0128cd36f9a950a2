"""The demo network: deterministic, varied, and showing every state the app cares about."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.demo import generate_demo
from recruiter_desk.core.people import PeopleQuery, count_people, list_people
from recruiter_desk.core.vocabulary import STAGES
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.models import Candidacy, Interaction
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(str(path), daily_backup=False)
    summary = generate_demo(database, people=600, seed=7, as_of=AS_OF)
    assert summary is not None and summary.people == 600
    return database


def test_mix_of_warm_cooling_and_cold(demo_db: Database, utc_as_of: AsOf) -> None:
    with demo_db.connect() as connection:
        counts = {
            status: count_people(connection, PeopleQuery(status=status), utc_as_of, WarmthPolicy())
            for status in ("warm", "cooling", "cold", "do_not_contact")
        }
    assert counts["warm"] > 60 and counts["cooling"] > 20 and counts["cold"] > 60
    assert sum(counts.values()) == 600


def test_every_stage_and_about_ten_interactions_per_person(demo_db: Database) -> None:
    with demo_db.connect() as connection:
        stages = set(connection.execute(select(Candidacy.stage).distinct()).scalars())
        interactions = connection.execute(select(func.count(Interaction.id))).scalar_one()
        kinds = set(connection.execute(select(Interaction.kind).distinct()).scalars())
        directions = set(connection.execute(select(Interaction.direction).distinct()).scalars())
    assert stages == set(STAGES)
    assert 8 <= interactions / 600 <= 13
    assert kinds == {"email", "call", "meeting", "message", "article", "note"}
    assert directions == {"inbound", "outbound", "internal"}


def test_same_seed_same_network(tmp_path: Path, utc_as_of: AsOf) -> None:
    def snapshot(name: str, seed: int) -> list[tuple[str, str, str | None]]:
        database = open_database(str(tmp_path / name), daily_backup=False)
        generate_demo(database, people=150, seed=seed, as_of=AS_OF)
        with database.connect() as connection:
            rows = list_people(connection, PeopleQuery(), utc_as_of, WarmthPolicy())
        database.close()
        return [(r.full_name, r.company, r.last_touch and r.last_touch.isoformat()) for r in rows]

    first = snapshot("a.sqlite3", 3)
    assert first == snapshot("b.sqlite3", 3)
    assert first != snapshot("c.sqlite3", 4)


def test_demo_refuses_a_database_with_people(demo_db: Database) -> None:
    with pytest.raises(KnownError, match="already holds 600 people"):
        generate_demo(demo_db, people=10, seed=1, as_of=AS_OF)


def test_cancelled_demo_writes_nothing(database: Database) -> None:
    calls = []

    def cancel_midway() -> bool:
        calls.append(1)
        return len(calls) > 3

    assert generate_demo(database, people=300, seed=1, as_of=AS_OF, cancelled=cancel_midway) is None
    with database.connect() as connection:
        assert connection.execute(select(func.count(Interaction.id))).scalar_one() == 0
