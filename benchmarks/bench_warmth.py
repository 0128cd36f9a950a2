"""Warmth readers with the stored inputs (issue 15), beside the exact computation they replace.

    recruiter-desk --db /tmp/warmstore-100k.sqlite3 demo --people 100000 --as-of 2026-11-25
    BENCH_DB=/tmp/warmstore-100k.sqlite3 python benchmarks/bench_warmth.py [--runs N]

In process, medians of N, through ``Services`` as the window asks (the query part of a click;
bench_gui.py measures click to repaint): the People view's id list for Status → Cold, sorted
by last touch and by warmth, the status counts (warmth of everyone), Today and the owed list.
Each figure is measured twice: with the stored inputs, and with every person's computed the
exact way (what every reader did before them); wall and CPU milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, report

DB = Path(os.environ.get("BENCH_DB", "/tmp/warmstore-100k.sqlite3"))


def medians(action: Callable[[], Any], runs: int, warmup: int = 1) -> tuple[float, float]:
    """Median wall and CPU milliseconds: on a shared machine the CPU time is the steadier."""
    for _ in range(warmup):
        action()
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--target-ms", type=float, default=100, help="filter/sort target")
    runs = parser.parse_args().runs
    target = parser.parse_args().target_ms
    if not DB.exists():
        raise SystemExit(f"{DB} does not exist: generate it first (see this script's help).")

    from recruiter_desk.core import warmth_store
    from recruiter_desk.core.clock import AsOf, local_zone
    from recruiter_desk.core.owed import owed_messages
    from recruiter_desk.core.people import PeopleQuery
    from recruiter_desk.core.services import Services
    from recruiter_desk.db.open import open_database
    from recruiter_desk.db.warmth_queue import has_queued
    from recruiter_desk.paths import app_paths
    from recruiter_desk.settings import Settings

    settings = Settings()
    database = open_database(str(DB), daily_backup=False)
    services = Services(database, settings, app_paths())
    day = AsOf(AS_OF, local_zone(settings.timezone))
    services.as_of = lambda _day=None: day  # type: ignore[method-assign]
    with database.connect() as connection:
        usable = warmth_store.stored(connection, services.policy)
        if usable is None or has_queued(connection):
            raise SystemExit("the stored warmth inputs are not settled: write once first")

    def owed() -> None:
        with database.connect() as connection:
            owed_messages(connection, day, settings)

    actions = {
        "Status → Cold (id list)": (
            lambda: services.people_ids(PeopleQuery(status="cold")),
            target,
        ),
        "sort by last touch (id list)": (
            lambda: services.people_ids(PeopleQuery(sort="last_touch")),
            target,
        ),
        "sort by warmth (id list)": (
            lambda: services.people_ids(PeopleQuery(sort="status")),
            target,
        ),
        "Cold, sorted by last touch": (
            lambda: services.people_ids(PeopleQuery(status="cold", sort="last_touch")),
            target,
        ),
        "warmth of everyone (counts)": (lambda: services.counts(), 200),
        "Today computed": (lambda: services.today(limit=10), 1000),
        "owed list": (owed, 1000),
    }
    stored = {name: medians(action, runs) for name, (action, _) in actions.items()}
    with mock.patch.object(warmth_store, "stored", lambda *_args: None):
        exact = {name: medians(action, runs) for name, (action, _) in actions.items()}
    database.close()
    print(f"database: {DB}")
    report(
        [
            (
                name,
                f"{stored[name][0]:.0f} ms ({stored[name][1]:.0f} CPU)",
                f"≤ {limit:.0f} ms; exact way {exact[name][0]:.0f} ms ({exact[name][1]:.0f} CPU)",
            )
            for name, (_action, limit) in actions.items()
        ]
    )


if __name__ == "__main__":
    main()
