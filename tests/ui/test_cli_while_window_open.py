"""The command line writes while the window has the same database open (WAL and a busy
timeout): it waits its turn behind the window's write, and Refresh shows what it wrote."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import text

from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.models.people_model import PERSON_ID_ROLE
from tests.cli.helpers import run
from tests.ui.conftest import OpenWindow


def _listed(window: MainWindow, name: str) -> bool:
    model = window.people_view.model
    return any(model.index(r, 0).data() == name for r in range(model.rowCount()))


def _refresh(window: MainWindow) -> None:
    action = window.findChild(type(window.undo_action), "refreshAction")
    action.trigger()


def test_the_command_line_adds_and_logs_while_the_window_reads(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path, app_home: Path
) -> None:
    window = open_window()
    window.people_view.search_box.setText("Zora")
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == 0)
    with window.services.database.connect() as reading:
        # The window is in the middle of a read: WAL lets the command write meanwhile.
        reading.execute(text("SELECT count(*) FROM people")).scalar()
        added = run(
            "--db", str(demo_path), "add-person", "--first", "Zora", "--last", "Quill",
            "--email", "zora@quill.example", home=app_home,
        )  # fmt: skip
        logged = run(
            "--db", str(demo_path), "log", "zora@quill.example", "--kind", "call",
            "--subject", "Coffee in Lisbon", home=app_home,
        )  # fmt: skip
    assert added.stdout.startswith("Added person") and logged.returncode == 0
    assert not _listed(window, "Zora Quill")  # nothing changes under the recruiter's eyes

    _refresh(window)
    qtbot.waitUntil(lambda: _listed(window, "Zora Quill"), timeout=5000)
    person_id = window.people_view.model.index(0, 0).data(PERSON_ID_ROLE)
    window.open_timeline(person_id)
    timeline = window.timeline_view.model
    qtbot.waitUntil(lambda: timeline.rowCount() == 1, timeout=5000)
    assert timeline.entry(0).subject == "Coffee in Lisbon"


def test_the_command_line_waits_for_the_windows_write_then_writes(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path, app_home: Path
) -> None:
    window = open_window()
    holding, release = threading.Event(), threading.Event()

    def window_write() -> None:
        # What a long write of the window (a merge, a bulk edit) does: hold the lock.
        with window.services.database.write() as connection:
            connection.execute(text("UPDATE people SET notes = notes WHERE id = 1"))
            holding.set()
            release.wait(10)

    writer = threading.Thread(target=window_write)
    writer.start()
    assert holding.wait(10)
    threading.Timer(0.4, release.set).start()
    started = time.monotonic()
    added = run(
        "--db", str(demo_path), "add-person", "--first", "Ines", "--last", "Patient",
        home=app_home,
    )  # fmt: skip
    waited = time.monotonic() - started
    writer.join(10)
    assert added.returncode == 0 and waited >= 0.35, waited

    _refresh(window)
    window.people_view.search_box.setText("Ines Patient")
    qtbot.waitUntil(lambda: _listed(window, "Ines Patient"), timeout=5000)
