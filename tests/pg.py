"""A fresh PostgreSQL database per test, copied from a template migrated once.

The server is the one ``.ci/postgres.sh`` starts (RECRUITER_DESK_TEST_PG_URL, a role that may
create databases). Migrating takes about a second; copying the migrated template takes a few
tens of milliseconds, so each test gets its own database at head and drops it afterwards.
When no server is reachable the PostgreSQL variants skip and say why, unless
RECRUITER_DESK_REQUIRE_SERVICES=1 (CI), where they fail.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from functools import cache
from pathlib import Path

import pytest

URL_VARIABLE = "RECRUITER_DESK_TEST_PG_URL"
REQUIRE_VARIABLE = "RECRUITER_DESK_REQUIRE_SERVICES"
# Serialises building the template across xdist workers (any number will do, fixed).
_TEMPLATE_LOCK = 1_757_017_001
_MIGRATIONS = Path(__file__).parent.parent / "recruiter_desk" / "db" / "migrations" / "versions"
_counter = itertools.count()


def _driver_url(url: str, database: str | None = None) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://...) as a plain libpq one, or another db on it."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _url_for(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


def unavailable(reason: str) -> None:
    """Skip (or, when services are required, fail) a PostgreSQL test, saying why."""
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"PostgreSQL is required here ({REQUIRE_VARIABLE}=1) but {reason}")
    pytest.skip(f"PostgreSQL variant skipped: {reason}")


@cache
def _server() -> tuple[str | None, str]:
    """(the URL, "") when the server answers, else (None, why not)."""
    url = os.environ.get(URL_VARIABLE)
    if not url:
        return None, f"{URL_VARIABLE} is not set (bash .ci/postgres.sh start prints one)"
    import psycopg

    from recruiter_desk.db.engine import display_location

    try:
        with psycopg.connect(_driver_url(url), connect_timeout=3):
            pass
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        return None, f"the server at {display_location(url)} is unreachable ({first_line})"
    return url, ""


def server_url() -> str:
    """The test server's URL, or skip/fail the test."""
    url, why = _server()
    if url is None:
        unavailable(why)
        raise AssertionError("unreachable")  # pytest.skip raised above
    return url


def _template_name() -> str:
    digest = hashlib.sha256()
    for script in sorted(_MIGRATIONS.glob("*.py")):
        digest.update(script.name.encode() + script.read_bytes())
    return f"rd_template_{digest.hexdigest()[:12]}"


@cache
def _template(url: str) -> str:
    """The name of a database migrated to head, built once per schema version."""
    import psycopg

    from recruiter_desk.db.open import open_database

    name = _template_name()
    with psycopg.connect(_driver_url(url), autocommit=True) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", (_TEMPLATE_LOCK,))
        try:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if exists is None:
                stale = admin.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'rd_template_%%'"
                ).fetchall()
                for (old,) in stale:
                    admin.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
                building = f"{name}_building"
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}"')
                opened = open_database(_url_for(url, building), daily_backup=False)
                opened.close()
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", (_TEMPLATE_LOCK,))
    return name


def fresh_database(url: str) -> str:
    """A new database at the schema's head; its URL. Drop it with ``drop_database``."""
    import psycopg

    template = _template(url)
    name = f"rd_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(_driver_url(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # FILE_COPY: a small database copies faster than through the WAL (the PG 15 default).
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return _url_for(url, name)


def empty_database(url: str) -> str:
    """A new database with no schema at all (for tests of creating one)."""
    import psycopg

    name = f"rd_empty_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(_driver_url(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return _url_for(url, name)


def drop_database(database_url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(database_url).database
    with psycopg.connect(_driver_url(server_url()), autocommit=True) as admin:
        for attempt in range(20):
            try:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except psycopg.errors.InsufficientPrivilege:
                # An autovacuum worker in it: only a superuser may end that, so wait for it.
                if attempt == 19:
                    raise
                time.sleep(0.1 * (attempt + 1))
