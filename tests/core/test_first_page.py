"""The first page the window shows before a whole list arrives (``people.first_ids``) is
exactly that list's start, for warmth sorts and status filters too.

Sorted by last touch or warmth, the first page is found a cadence at a time from the
stored warmth inputs (core/warmth_store.py) and ordered by the exact query; it must equal
the whole list computed the exact way, whatever the zone, the as-of day (past days make
many people's stored inputs not hold), ties, snoozes, do-not-contact, own and tag
cadences, writes not yet settled, and the filters combined with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Connection, update

from recruiter_desk.core import people, warmth_store
from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.demo import generate_demo
from recruiter_desk.core.people import PeopleQuery, first_ids, matching_ids, people_statement
from recruiter_desk.core.warmth import STATUSES, WarmthPolicy
from recruiter_desk.db.models import Person
from recruiter_desk.db.session import Database
from tests.conftest import AS_OF

POLICY = WarmthPolicy(tag_cadences={"referrer": 21, "alumni": 200})
# (zone, as-of day): offsets east and west of UTC, a daylight-saving change, past days
# (before many people's newest touches) and a future one.
DAYS = [
    ("UTC", AS_OF),
    ("Europe/Paris", AS_OF - timedelta(days=45)),
    ("America/Los_Angeles", AS_OF + timedelta(days=30)),
    ("Asia/Kolkata", AS_OF - timedelta(days=400)),
    ("America/Los_Angeles", date(2026, 3, 8)),
]
QUERIES = [
    PeopleQuery(sort=sort, descending=descending, status=status)
    for sort in ("last_touch", "status")
    for descending in (False, True)
    for status in (None, *STATUSES)
]
QUERIES += [
    PeopleQuery(sort="last_touch", descending=True, search="ma"),
    PeopleQuery(sort="status", descending=True, tag="referrer"),
    PeopleQuery(sort="status", status="cooling", applicant=False),
    PeopleQuery(sort="last_touch", status="cold", search="engineer"),
    *(PeopleQuery(sort=sort, status=status) for sort in ("name", "company") for status in STATUSES),
    PeopleQuery(sort="name", descending=True, status="cold"),
    PeopleQuery(sort="name", status="warm", search="a"),
]


def _exact_ids(connection: Connection, query: PeopleQuery, as_of: AsOf) -> list[int]:
    statement = people_statement(connection, query, as_of, POLICY, use_stored=False)
    return [row.id for row in connection.execute(statement)]


def _network(database: Database) -> None:
    """The demo with what makes warmth orders hard: ties on one day and one moment,
    snoozes, do-not-contact, own cadences, people never touched, tag cadences."""
    generate_demo(database, people=200, seed=5, as_of=AS_OF)
    with database.engine.begin() as connection:
        same_moment = datetime(2026, 10, 1, 23, 30)
        connection.execute(
            update(Person).where(Person.id % 9 == 0).values(last_touch_at=same_moment)
        )
        connection.execute(
            update(Person)
            .where(Person.id % 11 == 0)
            .values(snoozed_until=AS_OF + timedelta(days=20))
        )
        connection.execute(update(Person).where(Person.id % 13 == 0).values(do_not_contact=True))
        connection.execute(update(Person).where(Person.id % 17 == 0).values(cadence_days=45))
        connection.execute(
            update(Person)
            .where(Person.id % 19 == 0)
            .values(last_touch_at=None, connected_on=date(2026, 10, 1))
        )
        connection.execute(
            update(Person)
            .where(Person.id % 23 == 0)
            .values(last_touch_at=None, connected_on=None, created_at=same_moment)
        )
        warmth_store.rebase(connection, POLICY)


def test_the_first_page_of_a_warmth_order_is_the_start_of_the_exact_list(
    database: Database,
) -> None:
    _network(database)
    compared = 0
    with database.connect() as connection:
        assert warmth_store.stored(connection, POLICY) is not None
        for zone, day in DAYS:
            as_of = AsOf(day, local_zone(zone))
            for query in QUERIES:
                whole = matching_ids(connection, query, as_of, POLICY)
                assert whole == _exact_ids(connection, query, as_of), (zone, day, query)
                for limit in (4, 30):
                    first = first_ids(connection, query, as_of, POLICY, limit)
                    if first is None:
                        # A search sorted by warmth reads the whole list (first_ids).
                        assert query.search and query.sort in ("status", "last_touch"), query
                        continue
                    assert first == whole[:limit], (zone, day, query, limit)
                    compared += len(whole) > limit
    assert compared > 200  # most lists are longer than the page


SEARCHED = [
    PeopleQuery(sort=sort, descending=descending, status=status, search=search)
    for sort in ("last_touch", "status")
    for descending in (False, True)
    for status in (None, "cooling", "cold")
    for search in ("a", "ma", "e")
] + [PeopleQuery(sort="status", search="referrer", tag="referrer")]


def test_a_broad_search_sorted_by_warmth_walks_to_the_start_of_the_exact_list(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search matching many walks each cadence among its matches (found once): here every
    search does, as if the network were large."""
    monkeypatch.setattr(people, "_WALK_A_SEARCH_FROM", 0)
    _network(database)
    compared = 0
    with database.connect() as connection:
        for zone, day in DAYS:
            as_of = AsOf(day, local_zone(zone))
            for query in SEARCHED:
                whole = _exact_ids(connection, query, as_of)
                assert matching_ids(connection, query, as_of, POLICY) == whole, query
                for limit in (4, 30):
                    first = first_ids(connection, query, as_of, POLICY, limit)
                    assert first == whole[:limit], (zone, day, query, limit)
                    compared += len(whole) > limit
    assert compared > 100


def test_people_whose_stored_inputs_do_not_hold_are_placed_exactly(database: Database) -> None:
    """A write not yet settled (queued people) and settings other than the stored basis."""
    _network(database)
    as_of = AsOf(AS_OF, local_zone("Europe/Paris"))
    with database.engine.connect() as connection:
        transaction = connection.begin()
        # Triggers queue these people; nothing settles them inside this transaction.
        connection.execute(
            update(Person)
            .where(Person.id % 7 == 0)
            .values(last_touch_at=datetime(2026, 11, 24, 23, 45))
        )
        connection.execute(update(Person).where(Person.id % 29 == 0).values(cadence_days=3))
        store = warmth_store.stored(connection, POLICY)
        assert store is not None and store.queued
        for query in QUERIES:
            whole = _exact_ids(connection, query, as_of)
            assert matching_ids(connection, query, as_of, POLICY) == whole, query
            first = first_ids(connection, query, as_of, POLICY, 20)
            assert first == whole[:20] or (first is None and query.search), query
        # Another policy than the stored one: everything computed the exact way.
        other = replace(POLICY, default_cadence_days=60)
        assert first_ids(connection, PeopleQuery(sort="last_touch"), as_of, other, 20) is None
        transaction.rollback()
