"""Launch reads the first screen before anything else; quitting stops what runs.

The window as launched (``create_main_window`` with the threaded executor where the worker
matters): Today first, then the People list, the counts and the daily backup; closing the
window while a long query or a write runs interrupts it, and the database stays whole.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from recruiter_desk.app import create_main_window
from recruiter_desk.ui.main_window import MainWindow

# Counts to 300 million in SQLite: half a minute or more, unless interrupted.
ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) "
    "SELECT count(*) FROM c"
)


def test_today_comes_first_and_the_rest_once_it_is_painted(qtbot: QtBot, demo_path: Path) -> None:
    window = create_main_window(str(demo_path), synchronous=True)
    qtbot.addWidget(window)
    model = window.people_view.model
    # The shell shows Today while its queue is read; nothing else is asked for yet.
    assert window.stack.currentWidget() is window.today_view
    assert window.today_view.summary.text() == "Reading today's queue…"
    assert not model.started
    assert not window.background_threads  # the daily backup waits too
    window.show()
    qtbot.waitUntil(lambda: window.today_view.today is not None, timeout=5000)
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: "people" in window.counts_label.text(), timeout=5000)
    assert window.stack.currentWidget() is window.today_view
    assert [t.name for t in window.background_threads] == ["recruiter-desk-backup"]
    assert window.today_view.tree.topLevelItemCount() > 0


def test_people_chosen_before_the_first_screen_loads_at_once(qtbot: QtBot, demo_path: Path) -> None:
    window = create_main_window(str(demo_path), synchronous=True)
    qtbot.addWidget(window)
    window.show()
    window.show_people()
    assert window.people_view.model.started
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == 120, timeout=5000)
    # The first screen arriving afterwards does not take People away from the recruiter.
    qtbot.waitUntil(lambda: window.today_view.today is not None, timeout=5000)
    assert window.stack.currentWidget() in (window.people_view, window.today_view)


def _threaded_window(qtbot: QtBot, path: Path) -> MainWindow:
    window = create_main_window(str(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() > 0, timeout=10000)
    qtbot.waitUntil(lambda: not window.executor.is_busy, timeout=10000)
    return window


def _names(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return connection.execute("SELECT first_name, last_name FROM people ORDER BY id").fetchall()


def test_quitting_interrupts_a_long_query(qtbot: QtBot, demo_path: Path) -> None:
    before = _names(demo_path)
    window = _threaded_window(qtbot, demo_path)
    started = threading.Event()

    def endless() -> int:
        with window.services.database.connect() as connection:
            started.set()
            return int(connection.exec_driver_sql(ENDLESS).scalar_one())

    window.executor.submit(endless, failed=lambda _error: None)
    assert started.wait(10)
    window.close()
    # The worker is idle again: the query was stopped, not left to run for minutes.
    assert not window.isVisible()
    worker = window.executor._worker
    assert worker is not None
    worker.join(10)
    assert not worker.is_alive()
    assert _names(demo_path) == before


def test_quitting_during_a_write_rolls_it_back(qtbot: QtBot, demo_path: Path) -> None:
    before = _names(demo_path)
    window = _threaded_window(qtbot, demo_path)
    started = threading.Event()

    def rename_everyone_slowly() -> None:
        with window.services.database.write() as connection:
            connection.exec_driver_sql("UPDATE people SET first_name = 'Changed'")
            started.set()
            connection.exec_driver_sql(ENDLESS)

    window.executor.submit(rename_everyone_slowly, failed=lambda _error: None)
    assert started.wait(10)
    window.close()
    worker = window.executor._worker
    assert worker is not None
    worker.join(10)
    assert not worker.is_alive()
    assert _names(demo_path) == before


def test_a_list_no_longer_wanted_is_stopped(qtbot: QtBot, demo_path: Path) -> None:
    """A newer keystroke stops the list being read for the older one, running or queued;
    neither says anything, and what comes after runs as usual."""
    window = _threaded_window(qtbot, demo_path)
    executor = window.executor
    started = threading.Event()
    heard: list[object] = []

    def endless() -> int:
        with window.services.database.connect() as connection:
            started.set()
            return int(connection.exec_driver_sql(ENDLESS).scalar_one())

    running = executor.submit(endless, heard.append, heard.append)
    queued = executor.submit(lambda: "queued", heard.append, heard.append)
    assert started.wait(10)
    executor.stop(queued)
    executor.stop(running)
    executor.submit(window.services.is_empty, lambda empty: heard.append(("after", empty)))
    qtbot.waitUntil(lambda: bool(heard), timeout=10000)
    assert heard == [("after", False)]
    assert running is not None and running.exception() is not None  # interrupted
    assert queued is not None and queued.cancelled()


def test_a_search_shows_its_first_page_then_the_whole_list_below_it(
    qtbot: QtBot, open_window: object
) -> None:
    from recruiter_desk.core.people import PeopleQuery
    from recruiter_desk.ui.models.people_model import PAGE_SIZE

    window = open_window()  # type: ignore[operator]
    view, model = window.people_view, window.people_view.model
    shown: list[list[int]] = []
    model.modelReset.connect(lambda: shown.append(model.ids))
    model.rowsInserted.connect(lambda *_: shown.append(model.ids))
    said: list[str] = []
    model.first_rows_shown.connect(lambda _n: said.append(view.count_label.text()))
    view.search_box.setText("a")
    with qtbot.waitSignal(model.list_loaded, timeout=5000):
        view.apply_filters()
    whole = window.services.people_ids(PeopleQuery(search="a"))
    assert len(whole) > PAGE_SIZE
    # The first page alone, then the rest added below it: the rows on screen never move.
    assert shown == [whole[:PAGE_SIZE], whole]
    assert said == ["Counting…"]
    assert view.count_label.text() == f"{len(whole)} people match"


def test_a_closed_window_is_collected_cleanly(qtbot: QtBot, demo_path: Path) -> None:
    """Waiting for the first paint leaves nothing behind that crashes PySide when the
    closed window is garbage-collected (a watcher parented to the list once did)."""
    import gc

    windows = [create_main_window(str(demo_path), synchronous=True)]
    windows[0].show()
    qtbot.waitUntil(lambda: windows[0].people_view.model.rowCount() > 0, timeout=5000)
    windows[0].close()
    windows.clear()
    gc.collect()
    reopened = create_main_window(str(demo_path), synchronous=True)
    qtbot.addWidget(reopened)
    qtbot.waitUntil(lambda: reopened.today_view.today is not None, timeout=5000)
