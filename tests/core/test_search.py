"""Search-as-you-type: prefixes, accents, several words, index in step with writes."""

from __future__ import annotations

from datetime import datetime

import pytest

from recruiter_desk.core.clock import AsOf
from recruiter_desk.core.people import PeopleQuery, list_people
from recruiter_desk.core.records import PersonFields, apply_fields, get_person
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db import search_index
from recruiter_desk.db.session import Database
from tests.conftest import NOW, add_person


def names(database: Database, as_of: AsOf, search: str) -> list[str]:
    with database.connect() as connection:
        rows = list_people(connection, PeopleQuery(search=search), as_of, WarmthPolicy())
    return sorted(r.full_name for r in rows)


@pytest.fixture
def network(database: Database) -> Database:
    add_person(
        database,
        first_name="José",
        last_name="Núñez",
        company="Helix Labs",
        emails=["jose@helix.example"],
        tags=["referrer"],
    )
    add_person(database, first_name="Søren", last_name="Østergaard", title="Staff Engineer")
    add_person(database, first_name="Renée", last_name="Müller", company="Müller & Söhne")
    add_person(database, first_name="李明", last_name="Li", notes="met at PyCon")
    add_person(database, first_name="Joseph", last_name="Nunes", company="Cobalt")
    return database


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jose", ["José Núñez", "Joseph Nunes"]),
        ("nunez", ["José Núñez"]),
        ("NÚÑEZ", ["José Núñez"]),
        ("nun", ["José Núñez", "Joseph Nunes"]),
        ("jos nu", ["José Núñez", "Joseph Nunes"]),
        ("jose helix", ["José Núñez"]),
        ("soren oster", ["Søren Østergaard"]),
        ("müller söhne", ["Renée Müller"]),
        ("renee", ["Renée Müller"]),
        ("李", ["李明 Li"]),
        ("pycon", ["李明 Li"]),
        ("referrer", ["José Núñez"]),
        ("jose@helix", ["José Núñez"]),
        ("staff", ["Søren Østergaard"]),
        ("zzz", []),
    ],
)
def test_search(network: Database, utc_as_of: AsOf, query: str, expected: list[str]) -> None:
    assert names(network, utc_as_of, query) == sorted(expected)


@pytest.mark.parametrize("query", ["   ", '"-:*', "()"])
def test_search_without_words_lists_everyone(
    network: Database, utc_as_of: AsOf, query: str
) -> None:
    assert len(names(network, utc_as_of, query)) == 5


def test_fts_syntax_is_treated_as_text(network: Database, utc_as_of: AsOf) -> None:
    assert names(network, utc_as_of, 'jose" OR "zzz') == []
    assert names(network, utc_as_of, "NEAR(jose)") == []


def test_index_follows_edits_and_deletes(database: Database, utc_as_of: AsOf) -> None:
    person_id = add_person(database, first_name="Ana", last_name="Silva", company="Arbor")
    assert names(database, utc_as_of, "arbor") == ["Ana Silva"]
    with database.session() as session:
        person = get_person(session, person_id)
        apply_fields(
            session,
            person,
            PersonFields(first_name="Ana", last_name="Silva", company="Beacon", tags=["alumni"]),
            datetime(2026, 11, 26),
        )
    assert names(database, utc_as_of, "arbor") == []
    assert names(database, utc_as_of, "beacon alumni") == ["Ana Silva"]
    with database.session() as session:
        session.delete(get_person(session, person_id))
    assert names(database, utc_as_of, "ana") == []
    with database.connect() as connection:
        assert search_index.indexed_ids(connection) == set()


def test_failed_transaction_leaves_index_untouched(database: Database, utc_as_of: AsOf) -> None:
    add_person(database, first_name="Kept")
    with pytest.raises(RuntimeError), database.session() as session:
        from recruiter_desk.core.records import create_person

        create_person(session, PersonFields(first_name="Phantom"), NOW)
        raise RuntimeError("boom")
    assert names(database, utc_as_of, "phantom") == []
    assert names(database, utc_as_of, "kept") == ["Kept"]


@pytest.mark.parametrize("broad", [False, True])
def test_the_lists_ids_keep_the_name_first_order_of_the_full_rows(
    database: Database, utc_as_of: AsOf, monkeypatch: pytest.MonkeyPatch, broad: bool
) -> None:
    """The window's id list (partitioned in Python, a broad search walking the name index)
    ranks exactly as the rows the command line lists (ranked in SQL)."""
    from datetime import date

    from recruiter_desk.core import people
    from recruiter_desk.core.demo import generate_demo

    generate_demo(database, people=300, seed=4, as_of=date(2026, 11, 25))
    if broad:
        monkeypatch.setattr(people, "_BROAD_SEARCH", 0)
    policy = WarmthPolicy()
    with database.connect() as connection:
        for search in ("m", "a", "jo", "maria", "cloud", "engineer", "søren"):
            query = PeopleQuery(search=search)
            rows = [r.id for r in list_people(connection, query, utc_as_of, policy)]
            assert people.matching_ids(connection, query, utc_as_of, policy) == rows
            named = people._named_ids(connection, query) or set()
            assert 0 < len(named) < len(rows) or search not in ("m", "a")
