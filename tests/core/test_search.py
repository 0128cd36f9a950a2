"""Search-as-you-type: prefixes, accents, several words, index in step with writes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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


@pytest.mark.parametrize("limit", [1, 7, 50])
def test_the_first_page_is_the_start_of_the_whole_list(
    database: Database, utc_as_of: AsOf, limit: int
) -> None:
    """What the window shows while a search's whole list is read (first_ids) is that
    list's first rows, for broad and narrow searches, every sort and filter."""
    from dataclasses import replace
    from datetime import date

    from recruiter_desk.core import people
    from recruiter_desk.core.demo import generate_demo

    generate_demo(database, people=300, seed=4, as_of=date(2026, 11, 25))
    policy = WarmthPolicy()
    queries = [
        PeopleQuery(search=search)
        for search in ("m", "a", "jo", "maria", "ma ro", "cloud", "engineer", "søren", "zzz")
    ]
    queries += [replace(q, descending=True) for q in queries[:3]]
    queries += [replace(q, sort="company") for q in queries[:3]]
    queries += [
        PeopleQuery(),
        PeopleQuery(tag="referrer"),
        PeopleQuery(search="m", applicant=False),
    ]
    compared = 0
    with database.connect() as connection:
        for query in queries:
            whole = people.matching_ids(connection, query, utc_as_of, policy)
            first = people.first_ids(connection, query, utc_as_of, policy, limit)
            assert first == whole[:limit], query
            compared += len(whole) > limit
        # Warmth filters and sorts too (tests/core/test_first_page.py tries them all).
        cold = PeopleQuery(status="cold", sort="last_touch")
        whole = people.matching_ids(connection, cold, utc_as_of, policy)
        assert people.first_ids(connection, cold, utc_as_of, policy, 9) == whole[:9]
    assert compared > 5  # many lists are longer than the page


# A fixed corpus with accents, other scripts, email addresses, hyphens and punctuation, for
# the parity of the two search indexes (FTS5 on SQLite, tsvector + unaccent on PostgreSQL).
PARITY_PEOPLE: list[dict[str, object]] = [
    {"first_name": "José", "last_name": "Núñez", "company": "Helix Labs", "tags": ["referrer"]},
    {"first_name": "Søren", "last_name": "Østergaard", "title": "Staff Engineer"},
    {"first_name": "Renée", "last_name": "Müller", "company": "Müller & Söhne"},
    {"first_name": "李明", "last_name": "Li", "notes": "met at PyCon 2024"},
    {
        "first_name": "Joseph",
        "last_name": "Nunes",
        "company": "Cobalt",
        "emails": ["jn@co.example"],
    },
    {"first_name": "Łukasz", "last_name": "Żółć", "title": "Data-Platform Lead"},
    {"first_name": "Ægir", "last_name": "Þórsson", "company": "Straße GmbH"},
    {"first_name": "Zoë", "last_name": "O'Brien", "title": "Senior Data Engineer"},
    {"first_name": "François", "last_name": "d'Arçy", "emails": ["f.darcy@exemple.fr"]},
    {"first_name": "Ana", "last_name": "Lima", "title": "Engineering Manager", "tags": ["alumni"]},
    {"first_name": "Mía", "last_name": "García-López", "company": "Açaí & Co", "notes": "x86_64"},
    {"first_name": "İlkay", "last_name": "Gündoğan", "title": "Engineer II"},
]
PARITY_QUERIES = [
    "jose",
    "nunez",
    "NÚÑEZ",
    "nu",
    "jos nu",
    "soren oster",
    "muller sohne",
    "renee",
    "李",
    "pycon 2024",
    "2024",
    "referrer",
    "jn@co",
    "co.example",
    "staff",
    "lukasz zolc",
    "zol",
    "data platform",
    "data-platform",
    "aegir",
    "thorsson",
    "strasse",
    "zoe obrien",
    "o'brien",
    "brien",
    "francois darcy",
    "f.darcy",
    "exemple",
    "ana",
    "eng",
    "engineer",
    "manager",
    "garcia lopez",
    "acai",
    "x86",
    "64",
    "ilkay",
    "gundogan",
    "i",
    "zzz",
    '"-:*',
    "NEAR(jose)",
]


def _parity_results(database: Database, as_of: AsOf) -> dict[str, object]:
    from recruiter_desk.core.matching import candidate_pool
    from recruiter_desk.core.opportunities import OpportunitySummary
    from recruiter_desk.core.person_lookup import find_people

    for values in PARITY_PEOPLE:
        add_person(database, **values)
    found: dict[str, object] = {}
    with database.connect() as connection:
        for query in PARITY_QUERIES:
            rows = list_people(connection, PeopleQuery(search=query), as_of, WarmthPolicy())
            found[f"search {query}"] = [r.id for r in rows]  # name matches first, then by name
            found[f"name {query}"] = [p.id for p in find_people(connection, query)]
        for title in ("Data Engineer", "Engineer", "Engineering Manager", "Platform"):
            role = OpportunitySummary(0, title, "", None, "", "open", [])
            pool = candidate_pool(connection, role)
            found[f"role {title}"] = sorted(connection.execute(pool).scalars())
    return found


def test_postgresql_search_finds_what_fts5_finds(tmp_path: Path, utc_as_of: AsOf) -> None:
    from recruiter_desk.db.open import open_database
    from tests import pg

    url = pg.fresh_database(pg.server_url())
    sqlite_db = open_database(str(tmp_path / "parity.sqlite3"), daily_backup=False)
    postgres_db = open_database(url, daily_backup=False)
    try:
        on_sqlite = _parity_results(sqlite_db, utc_as_of)
        on_postgres = _parity_results(postgres_db, utc_as_of)
    finally:
        sqlite_db.close()
        postgres_db.close()
        pg.drop_database(url)
    assert on_postgres == on_sqlite
    # And the corpus does exercise the index: most queries find someone, some find no one.
    assert sum(1 for ids in on_sqlite.values() if ids) > 60
    assert on_sqlite["search zzz"] == []


# The same kind of corpus for the timeline's text search over interaction subjects and bodies
# (FTS5 on SQLite, the tsvector index and the server's own fold on PostgreSQL).
PARITY_INTERACTIONS: list[tuple[str, str]] = [
    ("Sobre a função", "Falei com o Søren ontem, às 14h."),
    ("Kubernetes platform role", "Straße und Ærø; Œuvre complète"),
    ("Re: Zürich offsite", "Grüße aus Łódź — Þórsson & Ðaníel"),
    ("李明: PyCon 2024", "会议 notes, x86_64 build, v1.5 release"),
    ("Offer for İlkay", "The Data-Platform Lead role, salary €120k"),
    ("", "jean-luc@exemple.fr wrote: ‘ça marche’ (naïve café)"),
    ("Ｆｕｌｌ width and ﬁne ligatures", "e\u0301tude decomposed, ǅ digraph"),
    ("Lunch?", "Recruiting offsite next week with García-López"),
    ("", ""),  # a logged call: nothing to search
    ("Ħal Far", "ıi dotless, ﬀ, 𝔣raktur"),
]
TIMELINE_PARITY_QUERIES = [
    "funcao",
    "soren",
    "SØREN ONTEM",
    "14h",
    "kube",
    "strasse aero",
    "oeuvre complete",
    "zurich",
    "grusse lodz",
    "thorsson",
    "daniel",
    "李明",
    "会议",
    "pycon 2024",
    "x86",
    "64",
    "1 5",
    "ilkay",
    "data platform",
    "data-platform",
    "salary 120",
    "jean",
    "luc exemple",
    "ca marche",
    "naive cafe",
    "full",
    "fine",
    "etude",
    "dz",
    "recruit off",
    "garcia lopez",
    "hal far",
    "ii",
    "ff",
    "fraktur",
    "lunch kube",
    "zzz",
    '"-:*',
    "NEAR(offer)",
]


def _timeline_parity_results(database: Database, as_of: AsOf) -> dict[str, list[str]]:
    from recruiter_desk.core.records import log_interaction
    from recruiter_desk.core.timeline import TimelineQuery, timeline_page

    person = add_person(database, first_name="Ana", last_name="Lima")
    with database.session() as session:
        for n, (subject, body) in enumerate(PARITY_INTERACTIONS):
            log_interaction(
                session,
                person,
                kind="email",
                direction="inbound",
                occurred_at=datetime(2026, 11, 1 + n, 9),
                subject=subject,
                body=body,
            )
    found: dict[str, list[str]] = {}
    with database.connect() as connection:
        for query in TIMELINE_PARITY_QUERIES:
            page = timeline_page(connection, TimelineQuery(text=query), as_of, limit=50)
            found[query] = [f"{e.subject}|{e.snippet}" for e in page.entries]
    return found


def test_postgresql_timeline_search_finds_what_fts5_finds(tmp_path: Path, utc_as_of: AsOf) -> None:
    from recruiter_desk.db.open import open_database
    from tests import pg

    url = pg.fresh_database(pg.server_url())
    sqlite_db = open_database(str(tmp_path / "parity.sqlite3"), daily_backup=False)
    postgres_db = open_database(url, daily_backup=False)
    try:
        on_sqlite = _timeline_parity_results(sqlite_db, utc_as_of)
        on_postgres = _timeline_parity_results(postgres_db, utc_as_of)
    finally:
        sqlite_db.close()
        postgres_db.close()
        pg.drop_database(url)
    assert on_postgres == on_sqlite
    # The corpus does exercise the index: most queries find something, some find nothing.
    assert sum(1 for found in on_sqlite.values() if found) > 30
    assert on_sqlite["zzz"] == [] and on_sqlite["lunch kube"] == []
    assert len(on_sqlite["soren"]) == 1 and len(on_sqlite["recruit off"]) == 1
