"""``copy-to`` figures (issue 17): a whole network into an empty database, verified.

    python benchmarks/bench_copy_to.py [PEOPLE]        (10,000 by default)

Generates a demo network of PEOPLE into /tmp/team-bench-PEOPLE.sqlite3 (kept for the next
run), then times the whole ``recruiter-desk copy-to`` process as a user runs it — copy,
row-by-row check, commit — into a new SQLite file and, when RECRUITER_DESK_TEST_PG_URL
names a server whose role may create databases, into a new PostgreSQL database. Each
figure is the median of 3 runs, a fresh target each time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_database, report

RUNS = 3


def _run(source: Path, target: str, home: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "recruiter_desk", "--db", str(source), "copy-to", target],
        check=True,
        capture_output=True,
        env={**os.environ, "RECRUITER_DESK_HOME": home},
    )
    return time.perf_counter() - started


def _postgresql(url: str, source: Path, home: str) -> list[float]:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    times = []
    for run in range(RUNS):
        name = f"rd_bench_copy_{os.getpid()}_{run}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            target = parsed.set(database=name).render_as_string(hide_password=False)
            times.append(_run(source, target, home))
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return times


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    source = Path(f"/tmp/team-bench-{people}.sqlite3")
    ensure_database(source, people=people)
    rows = []
    with tempfile.TemporaryDirectory(prefix="team-bench-") as folder:
        sqlite_times = [
            _run(source, str(Path(folder) / f"copy-{run}.sqlite3"), folder) for run in range(RUNS)
        ]
        rows.append(
            (f"copy-to SQLite, {people:,} people", f"{statistics.median(sqlite_times):.1f} s", "-")
        )
        url = os.environ.get("RECRUITER_DESK_TEST_PG_URL")
        if url:
            pg_times = _postgresql(url, source, folder)
            rows.append(
                (
                    f"copy-to PostgreSQL, {people:,} people",
                    f"{statistics.median(pg_times):.1f} s",
                    "-",
                )
            )
    report(rows)


if __name__ == "__main__":
    main()
