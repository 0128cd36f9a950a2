"""Timeline text search on PostgreSQL at 100k people / about 1M interactions (issue 17).

    python benchmarks/bench_postgresql_timeline.py --url postgresql+psycopg://USER:PW@HOST:PORT/DB

The URL names a database the role may create others beside (``bash .ci/postgres.sh start``
prints one). The script makes ``rd_bench_timeline_100k`` beside it (the demo network, seed 1,
generated once and kept) and times the core query behind the Timeline's search box and
``timeline --search``: the first page of 100 entries, in process, median of ``--runs``. Words:
common ones (tens of thousands of matches), a two-letter prefix (a third of them), one with
about 1.4k matches (just under the few-matches path's 2,000) and one in no interaction.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, median_ms, report
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.demo import generate_demo
from recruiter_desk.core.timeline import TimelineQuery, timeline_page
from recruiter_desk.db.open import open_database

DATABASE = "rd_bench_timeline_100k"
WORDS = ("checking", "article", "re", "staff", "kubernetes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    url = make_url(arguments.url).set(database=DATABASE).render_as_string(hide_password=False)
    admin = create_engine(arguments.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": DATABASE}
        ).first()
        if found is None:
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    database = open_database(url, daily_backup=False)
    rows: list[tuple[str, str, str]] = []
    if found is None:
        started = time.perf_counter()
        generate_demo(database, people=100_000, seed=1, as_of=AS_OF)
        rows.append(("demo 100,000 people (once)", f"{time.perf_counter() - started:.1f} s", "—"))
    as_of = AsOf(AS_OF, local_zone("UTC"))
    with database.connect() as connection:
        for word in WORDS:
            matches = connection.execute(
                text(
                    "SELECT count(*) FROM interactions_search "
                    "WHERE document @@ to_tsquery('simple', :query)"
                ),
                {"query": f"'{word}':*"},
            ).scalar_one()
            figure = median_ms(
                lambda word=word: timeline_page(  # type: ignore[misc]
                    connection, TimelineQuery(text=word), as_of, limit=100
                ),
                runs=arguments.runs,
                warmup=1,
            )
            rows.append((f"search {word!r} ({matches:,} matches)", f"{figure:.0f} ms", "—"))
    database.close()
    report(rows)


if __name__ == "__main__":
    main()
