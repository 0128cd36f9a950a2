"""Timeline text search at 100k people / about 1M interactions (issue 10).

    python benchmarks/bench_timeline_search.py [--runs N]

- in the window: the Timeline view's search applied (what the search box does once its
  debounce fires) → the first 100 matching cards painted, and scrolling to the next page;
- on the command line: a fresh ``recruiter-desk timeline --search WORD --limit 20`` process;
- for each word, how many interactions it matches (they are searched as prefixes).

Words: a common one (about 5 % of interactions), a rarer one, a word in no interaction, and
a two-letter prefix (a third of them). The database is the one bench_today_timeline.py
generates (/tmp/today-100k.sqlite3; ``BENCH_DB`` to move it); opening one made before the
search index builds it first (migration 0011), which is timed when it happens; the index
is also rebuilt from scratch once and timed (what that migration does).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, ensure_database, median_ms, report

DB = Path(os.environ.get("BENCH_DB", "/tmp/today-100k.sqlite3"))
SCRIPT = Path(sys.executable).with_name("recruiter-desk")
WORDS = ("checking", "article", "kubernetes", "re")
# The unfiltered timeline, measured the same way: on a busy machine it shows how far every
# figure here is from an idle one.
NO_SEARCH = ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    ensure_database(DB)
    figures: list[tuple[str, str, str]] = []
    migrated = migrate_if_needed()
    if migrated is not None:
        figures.append(("migrating to the current schema", f"{migrated:.1f} s", "—"))
    figures.append(("building the index from scratch (migration 0011)", rebuild_time(), "—"))
    with tempfile.TemporaryDirectory() as folder:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["RECRUITER_DESK_HOME"] = folder
        counts = match_counts()
        figures.extend(measure_window(runs, counts))
        figures.extend(measure_cli(max(3, runs // 2), counts, folder))
    report(figures)


def migrate_if_needed() -> float | None:
    from recruiter_desk.db import migrate
    from recruiter_desk.db.engine import make_engine
    from recruiter_desk.db.open import open_database

    engine = make_engine(str(DB))
    current = migrate.current_revision(engine) == migrate.HEAD_REVISION
    engine.dispose()
    if current:
        return None
    started = time.perf_counter()
    open_database(str(DB), daily_backup=False).close()
    return time.perf_counter() - started


def rebuild_time() -> str:
    from recruiter_desk.db import interaction_search
    from recruiter_desk.db.open import open_database

    database = open_database(str(DB), daily_backup=False)
    try:
        started = time.perf_counter()
        with database.write() as connection:
            interaction_search.rebuild(connection)
        return f"{time.perf_counter() - started:.1f} s"
    finally:
        database.close()


def match_counts() -> dict[str, int]:
    from recruiter_desk.db.interaction_search import FTS_TABLE, match_expression

    connection = sqlite3.connect(DB)
    try:
        return {
            word: connection.execute(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                (match_expression(word),),
            ).fetchone()[0]
            for word in WORDS
        }
    finally:
        connection.close()


def measure_window(runs: int, counts: dict[str, int]) -> list[tuple[str, str, str]]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from recruiter_desk.app import create_main_window
    from recruiter_desk.core.clock import AsOf, local_zone
    from recruiter_desk.core.services import Services

    def pinned(self: Services, day: date | None = None) -> AsOf:
        return AsOf(day or AS_OF, local_zone(self.settings.timezone))

    Services.as_of = pinned  # type: ignore[method-assign]
    app = QApplication.instance() or QApplication([])
    window = create_main_window(str(DB))
    window.resize(1280, 800)
    window.show()
    while window.executor.is_busy or window.today_view.today is None:
        app.processEvents()
    window.show_view("Timeline")
    timeline = window.timeline_view
    model = timeline.model

    def wait_for(action: object) -> None:
        loop = QEventLoop()
        model.page_loaded.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        action()  # type: ignore[operator]
        loop.exec()
        model.page_loaded.disconnect(loop.quit)
        timeline.list.repaint()

    while window.executor.is_busy:
        app.processEvents()
    figures = []
    for word in (NO_SEARCH, *WORDS):
        timeline.search_box.blockSignals(True)  # the debounce is not what is measured
        timeline.search_box.setText(word)
        timeline.search_box.blockSignals(False)
        first = median_ms(lambda: wait_for(timeline._apply), runs=runs, warmup=1)
        further = "—"
        if model.canFetchMore():
            samples = []
            for _ in range(runs):
                wait_for(timeline._apply)
                started = time.perf_counter()
                wait_for(timeline.list.scrollToBottom)
                samples.append((time.perf_counter() - started) * 1000)
            further = f"{statistics.median(samples):.0f} ms"
        what = f"search {word!r} ({counts[word]:,} matches)" if word else "no search (for scale)"
        figures.append(
            (
                f"window: {what}, first page painted",
                f"{first:.0f} ms",
                "≤ 100 ms",
            )
        )
        figures.append(("  next page painted", further, "≤ 50 ms"))
    window.close()
    app.processEvents()
    return figures


def measure_cli(runs: int, counts: dict[str, int], home: str) -> list[tuple[str, str, str]]:
    environment = {**os.environ, "RECRUITER_DESK_HOME": home}
    figures = []
    for word in (NO_SEARCH, *WORDS):
        search = ["--search", word] if word else []
        command = [str(SCRIPT), "--db", str(DB), "timeline", *search, "--limit", "20"]
        samples: list[float] = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, check=True)
            samples.append((time.perf_counter() - started) * 1000)
        figures.append(
            (
                " ".join(["command line: timeline", *search, "--limit 20 (whole process)"]),
                f"{statistics.median(samples):.0f} ms",
                "—",
            )
        )
    return figures


if __name__ == "__main__":
    main()
