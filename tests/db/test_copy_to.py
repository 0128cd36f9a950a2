"""``copy-to``: a whole network into an empty database and back, verified row by row;
a database that holds anything is refused; a password is never shown."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from recruiter_desk.core.demo import generate_demo
from recruiter_desk.db.copy import checksums
from recruiter_desk.db.models import Person
from recruiter_desk.db.open import open_database
from recruiter_desk.db.session import Database
from tests.cli.helpers import run
from tests.conftest import AS_OF, add_person
from tests.mail_server import memory_keyring  # noqa: F401  (fixture)


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "mine.sqlite3"
    database = open_database(str(path), daily_backup=False, recruiter="ana")
    generate_demo(database, people=60, seed=5, as_of=AS_OF)
    add_person(database, first_name="Søren", last_name="Ødegård", notes="ünïcödé, 'quotes'")
    database.close()
    yield path


def _sums(location: str) -> tuple[object, ...]:
    database = open_database(location, daily_backup=False)
    try:
        with database.connect() as connection:
            return checksums(connection)
    finally:
        database.close()


def test_sqlite_to_sqlite_round_trips_exactly(network: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    done = run("--db", str(network), "copy-to", str(copy))
    assert done.stdout.startswith("Copied ")
    assert "every table was checked row by row" in done.stdout
    back = tmp_path / "back.sqlite3"
    run("--db", str(copy), "copy-to", str(back))
    original = _sums(str(network))
    assert _sums(str(copy)) == original == _sums(str(back))
    assert any(t.name == "interactions" and t.rows > 100 for t in original)  # type: ignore[attr-defined]
    # The copy is a working network: search finds people, new ids follow the copied ones.
    found = run("--db", str(back), "people", "--search", "soren", "--json")
    assert '"last_name": "Ødegård"' in found.stdout
    added = run("--db", str(back), "add-person", "--first", "New")
    with open_database(str(back), daily_backup=False).connect() as connection:
        highest = connection.execute(select(Person.id).order_by(Person.id.desc())).first()
    assert added.stdout == f"Added person {highest[0]}.\n"  # type: ignore[index]


def test_a_target_holding_anything_is_refused_and_left_as_it_was(
    network: Path, tmp_path: Path
) -> None:
    target = tmp_path / "busy.sqlite3"
    busy = open_database(str(target), daily_backup=False)
    add_person(busy, first_name="Already", last_name="Here")
    busy.close()
    before = _sums(str(target))
    refused = run("--db", str(network), "copy-to", str(target), check_ok=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"recruiter-desk: The database {target} is not empty (people holds 1 rows); copy-to "
        "only fills an empty database, so nothing was copied.\n"
    )
    assert _sums(str(target)) == before


def test_a_failed_check_keeps_nothing(network: Path, tmp_path: Path) -> None:
    """Everything is one transaction: a difference found by the check rolls it all back."""
    from recruiter_desk.db import copy as copying
    from recruiter_desk.errors import KnownError

    target = tmp_path / "target.sqlite3"
    source = open_database(str(network), daily_backup=False)
    destination = open_database(str(target), daily_backup=False)
    real = copying.checksums
    calls = [0]

    def one_row_off(connection):  # type: ignore[no-untyped-def]
        calls[0] += 1
        sums = real(connection)
        if calls[0] == 2:  # the target's side
            sums = (sums[0].__class__(sums[0].name, sums[0].rows + 1, "x"), *sums[1:])
        return sums

    copying.checksums = one_row_off  # type: ignore[assignment]
    try:
        with pytest.raises(KnownError, match="differs from the original"):
            copying.copy_database(source, destination)
    finally:
        copying.checksums = real
    with destination.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM people")).scalar_one() == 0
    source.close()
    destination.close()


# -- PostgreSQL ------------------------------------------------------------------------------


def _server() -> str:
    url = os.environ.get("RECRUITER_DESK_TEST_PG_URL")
    if not url:
        if os.environ.get("RECRUITER_DESK_REQUIRE_SERVICES") == "1":
            pytest.fail("PostgreSQL is required but RECRUITER_DESK_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL variant skipped: RECRUITER_DESK_TEST_PG_URL is not set")
    return url


def pg_database() -> Iterator[str]:
    """A new empty PostgreSQL database on the test server, dropped afterwards; the test
    skips (or, with RECRUITER_DESK_REQUIRE_SERVICES=1, fails) when there is no server."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(_server())
    name = f"rd_team_{os.getpid()}_{next(_numbers)}"
    admin_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        if os.environ.get("RECRUITER_DESK_REQUIRE_SERVICES") == "1":
            raise
        pytest.skip(f"PostgreSQL variant skipped: the server is unreachable ({error})")
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_numbers = itertools.count()


@pytest.fixture
def pg_empty() -> Iterator[str]:
    yield from pg_database()


def test_sqlite_to_postgresql_and_back_round_trips_exactly(
    network: Path, tmp_path: Path, pg_empty: str
) -> None:
    run("--db", str(network), "copy-to", pg_empty)
    back = tmp_path / "back.sqlite3"
    run("--db", pg_empty, "copy-to", str(back))
    original = _sums(str(network))
    assert _sums(pg_empty) == original == _sums(str(back))
    # The server's ids continue after the copied ones (its sequences were moved on).
    added = run("--db", pg_empty, "add-person", "--first", "Next")
    database: Database = open_database(pg_empty, daily_backup=False)
    with database.connect() as connection:
        highest = connection.execute(select(Person.id).order_by(Person.id.desc())).scalar()
    database.close()
    assert added.stdout == f"Added person {highest}.\n"
    # A second copy into it is refused, and a password in the address is never shown.
    from sqlalchemy.engine import make_url

    with_password = make_url(pg_empty).set(password="s3cr3t-pw").render_as_string(False)
    refused = run("--db", str(network), "copy-to", with_password, check_ok=False)
    assert refused.returncode == 1
    assert "s3cr3t-pw" not in refused.stderr + refused.stdout
    assert "is not empty" in refused.stderr


def test_a_server_password_can_come_from_the_keyring(memory_keyring: object) -> None:  # noqa: F811
    import keyring

    from recruiter_desk.db.team import KEYRING_SERVICE, with_stored_password

    keyring.set_password(KEYRING_SERVICE, "team@db.example:5432/crm", "pw from the keyring")
    from sqlalchemy.engine import make_url

    found = make_url(with_stored_password("postgresql+psycopg://team@db.example/crm"))
    assert (found.username, found.password, found.host) == (
        "team",
        "pw from the keyring",
        "db.example",
    )
    own = "postgresql+psycopg://team:given@db.example/crm"
    assert with_stored_password(own) == own
    # No entry: as given, and libpq reads ~/.pgpass (or PGPASSWORD) itself.
    assert with_stored_password("postgresql+psycopg://x@db.example/crm").endswith(
        "x@db.example/crm"
    )
    assert with_stored_password("/tmp/desk.sqlite3") == "/tmp/desk.sqlite3"
