"""Foundation figures at 100k people / 1M interactions (issue 2).

    python benchmarks/bench_foundation.py [--fresh]

Times the demo generation (into a fresh file), ``people --search`` in process (median of
20 different searches) and warmth of everyone (median of 20).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, DEFAULT_DB, ensure_database, median_ms, report

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.people import PeopleQuery, list_people, status_counts
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.open import open_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fresh", action="store_true", help="also time a fresh generation")
    args = parser.parse_args()
    rows = []
    if args.fresh or not DEFAULT_DB.exists():
        with tempfile.TemporaryDirectory() as folder:
            target = DEFAULT_DB if not DEFAULT_DB.exists() else Path(folder) / "gen.sqlite3"
            started = time.perf_counter()
            ensure_database(target)
            rows.append(
                (
                    "demo 100k people / 1M interactions",
                    f"{time.perf_counter() - started:.1f} s",
                    "< 60 s",
                )
            )
    database = open_database(str(DEFAULT_DB), daily_backup=False)
    as_of = AsOf(AS_OF, local_zone("UTC"))
    policy = WarmthPolicy()
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

    rows.append(("people --search (in process)", f"{median_ms(search):.1f} ms", "≤ 30 ms"))
    rows.append(("warmth of everyone", f"{median_ms(warmth_everyone):.1f} ms", "≤ 200 ms"))
    with database.connect() as connection:
        counts = status_counts(connection, as_of, policy)
    database.close()
    report(rows)
    print(f"  statuses as of {AS_OF}: {counts}")


if __name__ == "__main__":
    main()
