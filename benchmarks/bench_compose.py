"""Compose figures (issue 11): a 500-recipient merge previewed, and 500 messages queued.

    python benchmarks/bench_compose.py [--people 20000]

On a generated network (kept at /tmp/compose-bench-N.sqlite3), 500 people with an email
address who may be contacted are written to with the "Stay in touch" template:

- preview: ``Services.compose_preview`` (what the window asks on every edit) for all 500;
- preview in the window: ``MainWindow.compose_to`` until the 500 recipient lines and the
  first message are shown (offscreen, the synchronous executor: the work the user waits for);
- queue: ``Services.queue_messages`` of the 500 (rendered again, checked, one transaction).

Medians of 7 runs (3 for the window).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import ensure_database, median_ms, report
from sqlalchemy import select

from recruiter_desk.core.compose import Composition
from recruiter_desk.core.services import Services
from recruiter_desk.db.models import Person, PersonEmail
from recruiter_desk.db.open import open_database
from recruiter_desk.paths import app_paths
from recruiter_desk.settings import Settings


def recipients(services: Services, count: int) -> list[int]:
    with services.database.connect() as connection:
        return list(
            connection.execute(
                select(Person.id)
                .where(Person.do_not_contact.is_(False))
                .where(Person.id.in_(select(PersonEmail.person_id)))
                .order_by(Person.id)
                .limit(count)
            ).scalars()
        )


def window_preview_ms(path: Path, ids: list[int], runs: int = 3) -> float:
    from PySide6.QtWidgets import QApplication

    from recruiter_desk.app import create_main_window

    app = QApplication.instance() or QApplication([])
    window = create_main_window(str(path), synchronous=True)
    window.show()
    view = window.compose_view
    samples = []
    for run in range(runs + 1):
        view.drafts = []
        started = time.perf_counter()
        window.compose_to(ids, "Stay in touch")
        while not (
            len(view.drafts) == len(ids)
            and view.recipient_list.count() == len(ids)
            and view.name_edit.text() == "Stay in touch"
            and not view._debounce.isActive()
            and not window.executor.is_busy
        ):
            app.processEvents()
        elapsed = (time.perf_counter() - started) * 1000
        if run:  # the first run loads templates and roles once
            samples.append(elapsed)
    window.close()
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    path = Path(f"/tmp/compose-bench-{args.people}.sqlite3")
    ensure_database(path, people=args.people)
    database = open_database(str(path), daily_backup=False)
    settings = Settings(my_name="Inès Laurent", my_addresses=["ines@example.org"])
    services = Services(database, settings, app_paths())
    template = services.template("Stay in touch")
    ids = recipients(services, 500)
    composition = Composition(subject=template.subject, body=template.body, template_id=template.id)
    drafts = services.compose_preview(ids, composition)
    assert len(drafts) == 500 and all(d.ready for d in drafts), "500 ready recipients"
    preview = median_ms(lambda: services.compose_preview(ids, composition), runs=7)
    queue = median_ms(lambda: services.queue_messages(ids, composition), runs=7, warmup=1)
    database.close()
    window = window_preview_ms(path, ids)
    report(
        [
            (
                f"preview of a 500-recipient merge ({args.people:,} people)",
                f"{preview:.0f} ms",
                "≤ 1 s",
            ),
            ("the same preview shown in the window", f"{window:.0f} ms", "≤ 1 s"),
            ("queueing 500 messages", f"{queue:.0f} ms", "≤ 2 s"),
        ]
    )


if __name__ == "__main__":
    main()
