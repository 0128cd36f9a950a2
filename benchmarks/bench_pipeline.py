"""Opportunities view figures (issue 12), as the recruiter feels them.

    python benchmarks/bench_pipeline.py

On a generated network of 10,000 people (``/tmp/pipeline-bench.sqlite3``, made on first run)
with 5,000 extra roles and one role holding 2,000 candidacies spread over every stage:

Wall-clock medians are what the recruiter feels; the CPU time this process spent (both
threads) is printed beside them, since on a shared 2-core machine the wall clock also
counts other programs' turns.

- a role's pipeline: from clicking the role in the list to its board of 2,000 cards painted
  (the query on the worker thread, the cards, one repaint; median of 15);
- the roles list: from asking for the list to 5,000 roles painted in the table (median of 15),
  and one search keystroke filtering them (median of 20).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ensure_database, report

DB = Path(os.environ.get("PIPELINE_BENCH_DB", "/tmp/pipeline-bench.sqlite3"))
ROLES = 5_000
CANDIDACIES = 2_000


def prepare() -> int:
    """The network, the 5,000 roles and the big role; returns the big role's id."""
    from sqlalchemy import func, insert, select

    from recruiter_desk.core.vocabulary import STAGES
    from recruiter_desk.db.models import Candidacy, Opportunity, Person, StageChange
    from recruiter_desk.db.open import open_database

    ensure_database(DB, people=10_000)
    database = open_database(str(DB), daily_backup=False)
    try:
        with database.engine.begin() as connection:
            big = connection.execute(
                select(Opportunity.id).where(Opportunity.title == "Bench: the big role")
            ).scalar()
            if big is not None:
                return int(big)
            rng = random.Random(7)
            now = datetime(2026, 11, 25, 9)
            titles = ("Backend Engineer", "Data Analyst", "Designer", "SRE", "Product Manager")
            modes = ("remote", "hybrid", "onsite", None)
            statuses = ("open", "open", "on_hold", "filled", "closed")
            connection.execute(
                insert(Opportunity),
                [
                    {
                        "title": f"{rng.choice(titles)} {n}",
                        "work_mode": rng.choice(modes),
                        "location": rng.choice(("Berlin", "Lisbon", "Tokyo", "")),
                        "status": rng.choice(statuses),
                        "skills": [],
                        "description": "",
                        "created_at": now,
                    }
                    for n in range(ROLES)
                ],
            )
            big = connection.execute(
                insert(Opportunity).returning(Opportunity.id),
                {
                    "title": "Bench: the big role",
                    "work_mode": "remote",
                    "location": "",
                    "status": "open",
                    "skills": [],
                    "description": "",
                    "created_at": now,
                },
            ).scalar_one()
            people = connection.execute(select(func.max(Person.id))).scalar_one()
            chosen = rng.sample(range(1, people + 1), CANDIDACIES)
            rows = []
            for person_id in chosen:
                changed = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 9))
                rows.append(
                    {
                        "person_id": person_id,
                        "opportunity_id": big,
                        "stage": rng.choice(STAGES),
                        "stage_changed_at": changed,
                        "created_at": changed,
                        "close_note": "",
                    }
                )
            connection.execute(insert(Candidacy), rows)
            ids = connection.execute(
                select(Candidacy.id, Candidacy.stage, Candidacy.stage_changed_at).where(
                    Candidacy.opportunity_id == big
                )
            ).all()
            connection.execute(
                insert(StageChange),
                [{"candidacy_id": i, "stage": s, "changed_at": c} for i, s, c in ids],
            )
            return int(big)
    finally:
        database.close()


def measure(big: int, home: Path) -> tuple[tuple[float, float], tuple[float, float], float, int]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["RECRUITER_DESK_HOME"] = str(home)
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from recruiter_desk.app import create_main_window

    app = QApplication.instance() or QApplication([])
    window = create_main_window(str(DB))
    window.resize(1280, 800)
    window.show()
    window.sidebar.setCurrentItem(window.opportunities_item)
    view = window.opportunities_view
    assert view is not None
    view.status_filter.setCurrentIndex(view.status_filter.findData("all"))

    def wait_for(signal: object, timeout_ms: int = 30_000) -> None:
        """Run the event loop until the view reports it has shown what was asked."""
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)  # type: ignore[attr-defined]

    def settle() -> None:
        while window.executor.is_busy:
            app.processEvents()
            time.sleep(0.001)

    settle()
    rows = {r.id: i for i, r in enumerate(view.model.rows)}
    small = next(i for r, i in rows.items() if r != big)
    view.table.selectRow(small)
    settle()

    lists, lists_cpu = [], []
    for _ in range(15):
        started, cpu = time.perf_counter(), time.process_time()
        view.load()
        wait_for(view.roles_shown)
        view.table.viewport().repaint()
        lists.append((time.perf_counter() - started) * 1000)
        lists_cpu.append((time.process_time() - cpu) * 1000)
        settle()

    board, board_cpu = [], []
    for _ in range(15):
        view.table.selectRow(small)
        settle()
        started, cpu = time.perf_counter(), time.process_time()
        view.table.selectRow(rows[big])  # the click
        wait_for(view.pipeline_shown)
        view.board.repaint()
        board.append((time.perf_counter() - started) * 1000)
        board_cpu.append((time.process_time() - cpu) * 1000)
    cards = len(view.pipeline.cards) if view.pipeline else 0

    keys = []
    for text in ("b", "ba", "bac", "d", "de", "des", "s", "sr", "p", "pr") * 2:
        started = time.perf_counter()
        view.search_box.setText(text)
        view.table.viewport().repaint()
        keys.append((time.perf_counter() - started) * 1000)
        settle()
    window.close()
    app.processEvents()
    return (
        (statistics.median(board), statistics.median(board_cpu)),
        (statistics.median(lists), statistics.median(lists_cpu)),
        statistics.median(keys),
        cards,
    )


def main() -> None:
    big = prepare()
    with tempfile.TemporaryDirectory() as folder:
        board, roles, keystroke, cards = measure(big, Path(folder))
    report(
        [
            (
                f"a role's pipeline, click → {cards:,} cards painted (CPU {board[1]:.0f} ms)",
                f"{board[0]:.0f} ms",
                "≤ 200 ms",
            ),
            (
                f"roles list, {ROLES:,} roles loaded and painted (CPU {roles[1]:.0f} ms)",
                f"{roles[0]:.0f} ms",
                "≤ 100 ms",
            ),
            ("roles search keystroke → filtered list painted", f"{keystroke:.1f} ms", "≤ 100 ms"),
        ]
    )
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
