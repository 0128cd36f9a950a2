"""Warmth rules of DESIGN.md §2 with fixed dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.people import PeopleQuery, list_people
from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.session import Database
from tests.conftest import AS_OF, add_person

POLICY = WarmthPolicy()


def status_of(database: Database, person_id: int, as_of: AsOf, policy: WarmthPolicy = POLICY):
    with database.connect() as connection:
        rows = list_people(connection, PeopleQuery(ids=(person_id,)), as_of, policy)
    assert len(rows) == 1
    return rows[0]


def touch(
    database: Database,
    person_id: int,
    when: datetime,
    kind: str = "email",
    direction: str = "outbound",
) -> None:
    with database.session() as session:
        log_interaction(session, person_id, kind=kind, direction=direction, occurred_at=when)


@pytest.mark.parametrize(
    ("days_ago", "expected_status", "expected_ratio"),
    [
        (0, "warm", 0.0),
        (67, "warm", 0.744),  # 67 / 90 just under 0.75
        (68, "cooling", 0.756),  # 68 / 90 = 0.7556
        (89, "cooling", 0.989),
        (90, "cold", 1.0),  # the boundary itself is cold
        (400, "cold", 4.444),
    ],
)
def test_status_boundaries_at_default_cadence(
    database: Database,
    utc_as_of: AsOf,
    days_ago: int,
    expected_status: str,
    expected_ratio: float,
) -> None:
    person = add_person(database, first_name="Ana", last_name="Silva", now=datetime(2020, 1, 1))
    touch(database, person, datetime(2026, 11, 25, 9) - timedelta(days=days_ago))
    row = status_of(database, person, utc_as_of)
    assert row.status == expected_status
    assert row.warmth == pytest.approx(expected_ratio, abs=0.001)
    assert row.days_since_touch == days_ago


def test_exact_three_quarters_is_cooling(database: Database, utc_as_of: AsOf) -> None:
    person = add_person(database, first_name="Quarter", cadence_days=4, now=datetime(2020, 1, 1))
    touch(database, person, datetime(2026, 11, 22, 9))  # 3 days / 4 = 0.75
    assert status_of(database, person, utc_as_of).status == "cooling"


def test_notes_do_not_count_as_a_touch(database: Database, utc_as_of: AsOf) -> None:
    person = add_person(database, first_name="Noor", now=datetime(2026, 1, 1))
    touch(database, person, datetime(2026, 5, 1, 9))
    touch(database, person, datetime(2026, 11, 24, 9), kind="note", direction="internal")
    row = status_of(database, person, utc_as_of)
    assert row.last_touch == date(2026, 5, 1)
    assert row.status == "cold"


def test_without_interactions_connected_on_then_created_at(
    database: Database, utc_as_of: AsOf
) -> None:
    connected = add_person(
        database, first_name="Con", connected_on=date(2026, 11, 1), now=datetime(2024, 1, 1)
    )
    created = add_person(database, first_name="Cre", now=datetime(2026, 6, 1, 8))
    assert status_of(database, connected, utc_as_of).last_touch == date(2026, 11, 1)
    assert status_of(database, connected, utc_as_of).status == "warm"
    created_row = status_of(database, created, utc_as_of)
    assert created_row.last_touch == date(2026, 6, 1)
    assert created_row.status == "cold"


def test_do_not_contact_is_never_cold(database: Database, utc_as_of: AsOf) -> None:
    person = add_person(database, first_name="Dee", do_not_contact=True, now=datetime(2020, 1, 1))
    row = status_of(database, person, utc_as_of)
    assert row.status == "do_not_contact"
    assert row.warmth is None
    with database.connect() as connection:
        cold = list_people(connection, PeopleQuery(status="cold"), utc_as_of, POLICY)
    assert person not in [r.id for r in cold]


def test_person_cadence_overrides_the_default(database: Database, utc_as_of: AsOf) -> None:
    person = add_person(database, first_name="Fast", cadence_days=10, now=datetime(2020, 1, 1))
    touch(database, person, datetime(2026, 11, 10, 9))  # 15 days
    row = status_of(database, person, utc_as_of)
    assert (row.status, row.cadence_days) == ("cold", 10)


def test_as_of_in_the_past_ignores_later_interactions(database: Database) -> None:
    person = add_person(database, first_name="Past", now=datetime(2020, 1, 1))
    touch(database, person, datetime(2026, 1, 10, 9))
    touch(database, person, datetime(2026, 11, 20, 9))
    earlier = AsOf(date(2026, 5, 1), local_zone("UTC"))
    row = status_of(database, person, earlier)
    assert row.last_touch == date(2026, 1, 10)
    assert row.status == "cold"


def test_future_interaction_does_not_warm_early(database: Database, utc_as_of: AsOf) -> None:
    person = add_person(database, first_name="Soon", now=datetime(2020, 1, 1))
    touch(database, person, datetime(2026, 3, 1, 9))
    touch(database, person, datetime(2026, 12, 20, 9), kind="meeting")
    row = status_of(database, person, utc_as_of)
    assert row.last_touch == date(2026, 3, 1)
    assert row.status == "cold"


def test_days_count_in_the_recruiters_time_zone(database: Database) -> None:
    person = add_person(database, first_name="Late", cadence_days=1, now=datetime(2020, 1, 1))
    # 23:30 in New York on the 24th is 04:30 UTC on the 25th.
    touch(database, person, datetime(2026, 11, 25, 4, 30))
    new_york = AsOf(AS_OF, local_zone("America/New_York"))
    utc = AsOf(AS_OF, local_zone("UTC"))
    assert status_of(database, person, new_york).last_touch == date(2026, 11, 24)
    assert status_of(database, person, new_york).days_since_touch == 1
    assert status_of(database, person, utc).days_since_touch == 0
