"""The window on a team database: the same demo network on PostgreSQL shows what it shows on
SQLite (Today, People, the status bar's counts), and a save reaches the server.

Skips, saying why, without a server (RECRUITER_DESK_TEST_PG_URL, tests/pg.py); fails instead
under RECRUITER_DESK_REQUIRE_SERVICES=1 (CI)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QListWidget, QTreeWidget
from pytestqt.qtbot import QtBot

from recruiter_desk.app import create_main_window
from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.demo import generate_demo
from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.core.services import Services
from recruiter_desk.db.open import open_database
from recruiter_desk.ui.main_window import MainWindow

AS_OF = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    def as_of(self: Services, day: date | None = None) -> AsOf:
        return AsOf(day or AS_OF, local_zone("UTC"))

    monkeypatch.setattr(Services, "as_of", as_of)


@pytest.fixture
def postgres_demo() -> Iterator[str]:
    from tests import pg

    url = pg.fresh_database(pg.server_url())
    database = open_database(url, daily_backup=False)
    generate_demo(database, people=120, seed=11, as_of=AS_OF)
    database.close()
    yield url
    pg.drop_database(url)


@pytest.fixture
def sqlite_demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    database = open_database(str(path), daily_backup=False)
    generate_demo(database, people=120, seed=11, as_of=AS_OF)
    database.close()
    return path


@pytest.fixture
def open_on(qtbot: QtBot) -> Iterator[Callable[[str], MainWindow]]:
    windows: list[MainWindow] = []

    def opener(location: str) -> MainWindow:
        window = create_main_window(location, synchronous=True)
        qtbot.addWidget(window, before_close_func=lambda w: w.people_view.panel.forget_edits())
        window.show()
        qtbot.waitUntil(lambda: window.today_view.today is not None, timeout=10000)
        qtbot.waitUntil(lambda: "owed" in window.counts_label.text(), timeout=10000)
        windows.append(window)
        return window

    yield opener
    for window in windows:
        if window.isVisible():
            window.people_view.panel.forget_edits()
            window.close()


@dataclass(frozen=True)
class Seen:
    """What a recruiter reads on Today and People."""

    sidebar: list[str]
    today_title: str
    today_summary: str
    today_rows: list[tuple[str, str]]
    status_bar: str
    people_rows: int
    first_people: list[str]


def _seen(qtbot: QtBot, window: MainWindow) -> Seen:
    sidebar = window.findChild(QListWidget, "sidebar") or window.sidebar
    tree = window.findChild(QTreeWidget, "todayList")
    today_rows = [
        (tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
        for i in range(tree.topLevelItemCount())
    ]
    title = window.today_view.title.text()
    summary = window.today_view.summary.text()
    window.show_people()
    model = window.people_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    first = min(model.rowCount(), 20)
    qtbot.waitUntil(lambda: model.is_fully_loaded(0, first - 1), timeout=10000)
    names = [str(model.index(r, 0).data()) for r in range(first)]
    return Seen(
        sidebar=[sidebar.item(i).text() for i in range(sidebar.count())],
        today_title=title,
        today_summary=summary,
        today_rows=today_rows,
        status_bar=window.findChild(QLabel, "statusCounts").text(),
        people_rows=model.rowCount(),
        first_people=names,
    )


def test_the_window_on_postgresql_shows_what_it_shows_on_sqlite_and_saves(
    qtbot: QtBot,
    open_on: Callable[[str], MainWindow],
    sqlite_demo: Path,
    postgres_demo: str,
) -> None:
    on_sqlite = _seen(qtbot, open_on(str(sqlite_demo)))
    window = open_on(postgres_demo)
    on_postgres = _seen(qtbot, window)
    assert on_postgres == on_sqlite
    # The demo does give Today and People something to show.
    assert on_sqlite.people_rows == 120
    assert any("(" in text for text, _ in on_sqlite.today_rows)
    assert "owed" in on_sqlite.status_bar

    # A save from the person panel reaches the server.
    person_id = window.services.people_ids(PeopleQuery())[0]
    panel = window.people_view.panel
    panel.show_person(person_id)
    qtbot.waitUntil(lambda: panel.person_id == person_id and panel.first_name.isEnabled())
    version = window.services.person_fields(person_id).version
    panel.title.setText("Head of Data Platform")
    panel.save()
    qtbot.waitUntil(
        lambda: window.services.person_fields(person_id).title == "Head of Data Platform",
        timeout=10000,
    )
    database = open_database(postgres_demo, daily_backup=False)
    try:
        from recruiter_desk.core.records import get_person

        with database.session() as session:
            saved = get_person(session, person_id)
            assert (saved.title, saved.version) == ("Head of Data Platform", version + 1)
    finally:
        database.close()
