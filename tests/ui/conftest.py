"""Windows on fresh databases, with database work run synchronously for determinism."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recruiter_desk.app import create_main_window
from recruiter_desk.core.demo import generate_demo
from recruiter_desk.db.open import open_database
from recruiter_desk.ui.main_window import MainWindow
from tests.conftest import AS_OF
from tests.imap_server import imap_server  # noqa: F401  (the mail account's tests)
from tests.mail_server import mailbox, memory_keyring  # noqa: F401  (Compose's outbox tests)

OpenWindow = Callable[[], MainWindow]


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    database = open_database(str(path), daily_backup=False)
    generate_demo(database, people=120, seed=11, as_of=AS_OF)
    database.close()
    return path


@pytest.fixture
def open_window(qtbot: QtBot, demo_path: Path) -> Iterator[OpenWindow]:
    windows: list[MainWindow] = []

    def opener(path: Path | None = None, *, people: bool = True) -> MainWindow:
        """The window as a user first sees it; with ``people``, switched to People (it
        opens on Today when the network is not empty)."""
        window = create_main_window(str(path or demo_path), synchronous=True)
        # No "Save your changes?" box when pytest-qt closes the window after the test.
        qtbot.addWidget(window, before_close_func=_forget_edits)
        window.show()
        qtbot.waitUntil(
            lambda: (
                (
                    window.people_view.model.rowCount() > 0
                    and window.stack.currentWidget() is window.today_view
                )
                or window.stack.currentWidget() is window.welcome
            ),
            timeout=5000,
        )
        if people and window.stack.currentWidget() is window.today_view:
            window.show_people()
        windows.append(window)
        return window

    yield opener  # type: ignore[misc]
    for window in windows:
        if window.isVisible():
            _forget_edits(window)
            window.close()


def _forget_edits(window: MainWindow) -> None:
    window.people_view.panel.forget_edits()


def rows_loaded(window: MainWindow) -> bool:
    model = window.people_view.model
    return model.rowCount() == 0 or model.is_fully_loaded(0, min(model.rowCount(), 20) - 1)
