"""The demo network: deterministic, varied, and showing every state the app cares about."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.demo import _Generator, generate_demo
from recruiter_desk.core.demo_data import CULTURES
from recruiter_desk.core.identity import sort_key
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import PeopleQuery, count_people, list_people
from recruiter_desk.core.vocabulary import STAGES
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.models import Candidacy, Interaction, Opportunity
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from recruiter_desk.errors import KnownError
from recruiter_desk.settings import Settings
from tests.conftest import AS_OF, NOW


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(str(path), daily_backup=False)
    summary = generate_demo(database, people=600, seed=7, as_of=AS_OF)
    assert summary is not None and summary.people == 600
    return database


def test_most_relationships_warm_or_cooling_a_minority_cold(
    demo_db: Database, utc_as_of: AsOf
) -> None:
    with demo_db.connect() as connection:
        counts = {
            status: count_people(connection, PeopleQuery(status=status), utc_as_of, WarmthPolicy())
            for status in ("warm", "cooling", "cold", "do_not_contact")
        }
    assert sum(counts.values()) == 600
    share = {status: count / 600 for status, count in counts.items()}
    assert share["warm"] + share["cooling"] >= 0.7
    assert share["warm"] > share["cooling"] > 0.1
    assert 0.15 <= share["cold"] <= 0.25
    assert share["do_not_contact"] < 0.04


def test_a_few_people_are_owed_a_message(demo_db: Database, utc_as_of: AsOf) -> None:
    with demo_db.connect() as connection:
        owed = owed_messages(connection, utc_as_of, Settings())
    people = {o.person_id for o in owed}
    assert 0.005 <= len(people) / 600 <= 0.05
    assert {"reply", "update"} <= {o.reason for o in owed}


def test_the_list_sorted_by_name_opens_on_varied_names(demo_db: Database, utc_as_of: AsOf) -> None:
    with demo_db.connect() as connection:
        rows = list_people(
            connection, PeopleQuery(sort="name"), utc_as_of, WarmthPolicy(), limit=30
        )
    assert len({r.full_name for r in rows}) >= 25
    # At 100k people the first screen is where one repeated name used to fill the list.
    generator = _Generator(100_000, 1, AS_OF)
    names = sorted(
        (generator.name(int(generator.random() * len(CULTURES))) for _ in range(100_000)),
        key=lambda name: sort_key(*name),
    )
    first_screen = names[:30]
    assert len(set(first_screen)) >= 25
    assert len({last for _first, last in first_screen}) >= 3
    assert max(Counter(names).values()) < 60  # no full name on more than 0.06 % of people


def test_pipelines_look_like_an_agency(demo_db: Database) -> None:
    with demo_db.connect() as connection:
        rows = connection.execute(
            select(Opportunity.id, Opportunity.status, Candidacy.stage).join(
                Candidacy, Candidacy.opportunity_id == Opportunity.id
            )
        ).all()
        statuses = set(connection.execute(select(Opportunity.status)).scalars())
    assert {"open", "on_hold", "filled", "closed"} <= statuses
    by_role: dict[int, Counter[str]] = {}
    status_of = {}
    for role, status, stage in rows:
        by_role.setdefault(role, Counter())[stage] += 1
        status_of[role] = status
    for role, stages in by_role.items():
        if status_of[role] == "filled":
            assert stages["hired"] == 1
        else:
            assert stages["hired"] == 0
        assert stages["offer"] <= 1
        if status_of[role] in ("filled", "closed"):
            assert set(stages) <= {"hired", "not_selected", "withdrew"}
    open_roles = Counter[str]()
    for role, stages in by_role.items():
        if status_of[role] == "open":
            open_roles.update(stages)
    top = open_roles["sourced"] + open_roles["contacted"]
    bottom = open_roles["shortlisted"] + open_roles["offer"]
    assert top >= 4 * max(1, bottom)
    assert len({stages.total() for stages in by_role.values()}) > 1  # not four in every stage


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


def test_rows_added_after_the_demo_get_new_ids(database: Database) -> None:
    """The demo writes its ids itself; on PostgreSQL the sequences must follow them."""
    from tests.conftest import add_person

    generate_demo(database, people=20, seed=1, as_of=AS_OF)
    assert add_person(database, first_name="After", last_name="Demo") == 21
    with database.session() as session:
        from recruiter_desk.core.records import log_interaction

        interaction = log_interaction(
            session, 21, kind="call", direction="outbound", occurred_at=NOW, subject="hello"
        )
        assert interaction.id > 20
