"""Relationship engine figures at 100k people / 1M interactions (issue 4).

    python benchmarks/bench_engine.py

Medians of 20 in process: warmth of everyone, the owed list, matches for one opportunity.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, DEFAULT_DB, ensure_database, median_ms, report

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.matching import matches_for
from recruiter_desk.core.opportunities import list_opportunities
from recruiter_desk.core.owed import owed_messages
from recruiter_desk.core.people import status_counts
from recruiter_desk.core.warmth import WarmthPolicy
from recruiter_desk.db.open import open_database
from recruiter_desk.settings import Settings


def main() -> None:
    ensure_database(DEFAULT_DB)
    database = open_database(str(DEFAULT_DB), daily_backup=False)
    as_of = AsOf(AS_OF, local_zone("UTC"))
    policy = WarmthPolicy()
    settings = Settings()
    with database.connect() as connection:
        roles = [r.id for r in list_opportunities(connection)]
    cursor = iter(roles * 20)
    with database.connect() as connection:
        owed = owed_messages(connection, as_of, settings)
        sizes = [len(matches_for(connection, r, as_of, policy, limit=None).fits) for r in roles]

    def warmth() -> None:
        with database.connect() as connection:
            status_counts(connection, as_of, policy)

    def owed_list() -> None:
        with database.connect() as connection:
            owed_messages(connection, as_of, settings)

    def matches() -> None:
        with database.connect() as connection:
            matches_for(connection, next(cursor), as_of, policy)

    report(
        [
            ("warmth of everyone", f"{median_ms(warmth):.1f} ms", "≤ 200 ms"),
            ("owed list", f"{median_ms(owed_list):.1f} ms", "≤ 200 ms"),
            ("matches for one opportunity", f"{median_ms(matches):.1f} ms", "≤ 100 ms"),
        ]
    )
    print(f"  owed entries: {len(owed)}; fits per role: min {min(sizes)}, max {max(sizes)}")
    database.close()


if __name__ == "__main__":
    main()
