"""The issue 17 figures on a local PostgreSQL, beside the SQLite ones (same code, same data).

    python benchmarks/bench_postgresql.py --url postgresql+psycopg://USER:PASSWORD@127.0.0.1:PORT/DB
    python benchmarks/bench_postgresql.py --sqlite /tmp/FILE.sqlite3   # the same, on SQLite

The URL names a database the role owns (``bash .ci/postgres.sh start`` prints one); the role
must be allowed to create databases. The script makes ``rd_bench_100k`` beside it (the demo
network at 100k people / 1M interactions, generated once and kept) and one fresh database
per import run, dropped afterwards. Figures, in process, medians:

- ``people --search``: 20 different searches (prefixes of first names, first name +
  company), as bench_foundation.py does on SQLite (median of 20);
- warmth of everyone (the status counts of all people, median of 20);
- the owed list (median of 20);
- importing a 10k-row LinkedIn Connections.csv into an empty database (median of 5).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import_export import linkedin_file
from common import AS_OF, median_ms, report
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.demo import generate_demo
from recruiter_desk.core.imports.service import import_files
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import PeopleQuery, list_people, status_counts
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.open import open_database
from recruiter_desk.settings import Settings

BENCH_DATABASE = "rd_bench_100k"


def on(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def admin(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def exists(url: str, database: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        ).first()
    engine.dispose()
    return found is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("RECRUITER_DESK_TEST_PG_URL"))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sqlite", type=Path, help="measure this SQLite file instead")
    arguments = parser.parse_args()
    if arguments.sqlite:
        measure(str(arguments.sqlite), [], arguments.runs, None)
        return
    if not arguments.url:
        parser.error("give --url (or set RECRUITER_DESK_TEST_PG_URL)")
    url, rows = arguments.url, []
    bench = (
        f"{BENCH_DATABASE}_{arguments.people}" if arguments.people != 100_000 else BENCH_DATABASE
    )
    if not exists(url, bench):
        admin(url, f'CREATE DATABASE "{bench}_building"')
        database = open_database(on(url, f"{bench}_building"), daily_backup=False)
        started = time.perf_counter()
        generate_demo(database, people=arguments.people, seed=1, as_of=AS_OF)
        generated = time.perf_counter() - started
        database.close()
        admin(url, f'ALTER DATABASE "{bench}_building" RENAME TO "{bench}"')
        admin(on(url, bench), "VACUUM ANALYZE")
        rows.append((f"demo {arguments.people:,} people (once)", f"{generated:.1f} s", "—"))
    with create_engine(url).connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar()
    print(f"PostgreSQL {version}, {make_url(url).host}")
    measure(on(url, bench), rows, arguments.runs, url)


def measure(location: str, rows: list[tuple[str, str, str]], runs: int, url: str | None) -> None:
    """The four figures on ``location``; imports into fresh databases on the same server
    (``url``) or into fresh SQLite files (None)."""
    if url is None and not Path(location).exists():
        database = open_database(location, daily_backup=False)
        generate_demo(database, people=100_000, seed=1, as_of=AS_OF)
        database.close()
    database = open_database(location, daily_backup=False)
    as_of = AsOf(AS_OF, local_zone("UTC"))
    policy, settings = WarmthPolicy(), Settings()
    with database.connect() as connection:
        names = [
            r.first_name
            for r in list_people(
                connection, PeopleQuery(), as_of, policy, limit=2000, with_lists=False
            )
        ]
        companies = [
            r.company
            for r in list_people(
                connection, PeopleQuery(sort="company"), as_of, policy, limit=2000, with_lists=False
            )
        ]
        owed = owed_messages(connection, as_of, settings)
    rng = random.Random(1)
    queries = [rng.choice(names)[:3] for _ in range(10)] + [
        f"{rng.choice(names)} {rng.choice(companies).split()[0]}" for _ in range(10)
    ]
    cursor = iter(queries * 10)

    def search() -> None:
        with database.connect() as connection:
            list_people(connection, PeopleQuery(search=next(cursor)), as_of, policy)

    def warmth_everyone() -> None:
        with database.connect() as connection:
            status_counts(connection, as_of, policy)

    def owed_list() -> None:
        with database.connect() as connection:
            owed_messages(connection, as_of, settings)

    rows.append(("people --search (20 searches)", f"{median_ms(search, runs):.1f} ms", "≤ 50 ms"))
    rows.append(("warmth of everyone", f"{median_ms(warmth_everyone, runs):.1f} ms", "≤ 300 ms"))
    rows.append(
        (f"owed list ({len(owed):,} entries)", f"{median_ms(owed_list, runs):.1f} ms", "≤ 300 ms")
    )
    database.close()

    imports = []
    now = datetime(2026, 11, 25, 12)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "Connections.csv"
        linkedin_file(source, 10_000)
        for run in range(5):
            name = f"rd_bench_import_{os.getpid()}_{run}"
            if url is not None:
                admin(url, f'CREATE DATABASE "{name}"')
            try:
                where = on(url, name) if url else str(Path(folder) / f"{name}.sqlite3")
                target = open_database(where, daily_backup=False)
                started = time.perf_counter()
                result = import_files(target, [source], now=now)
                imports.append(time.perf_counter() - started)
                assert result.total("added") == 10_000, result.to_json()
                target.close()
            finally:
                if url is not None:
                    admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    rows.append(
        (
            "import 10k LinkedIn rows (empty database)",
            f"{statistics.median(imports):.2f} s",
            "≤ 3 s",
        )
    )
    print(f"load average {os.getloadavg()[0]:.1f}")
    report(rows)


if __name__ == "__main__":
    main()
