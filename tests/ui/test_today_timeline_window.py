"""Today and Timeline in the window, on the fixed network of tests/core/test_today_timeline.py,
with the window's clock pinned to 2026-11-25."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListView, QTreeWidget, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from recruiter_desk.app import create_main_window
from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.services import Services
from recruiter_desk.db.open import open_database
from recruiter_desk.ui.dialogs.small_dialogs import LogInteractionDialog
from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.models.timeline_model import HEADING_ROLE
from recruiter_desk.ui.views.today_view import SnoozeDialog
from tests.core.test_today_timeline import Network, build_network

AS_OF = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def as_of(self: Services, day: date | None = None) -> AsOf:
        return AsOf(day or AS_OF, local_zone("UTC"))

    monkeypatch.setattr(Services, "as_of", as_of)
    yield


@pytest.fixture
def open_on(qtbot: QtBot) -> Iterator[Callable[[Path], MainWindow]]:
    """Windows on a given database, as a user sees them first (on Today). Unlike the shared
    ``open_window`` fixture this generates no demo network the tests here would not use."""
    windows: list[MainWindow] = []

    def opener(path: Path) -> MainWindow:
        window = create_main_window(str(path), synchronous=True)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.today_view.today is not None, timeout=5000)
        windows.append(window)
        return window

    yield opener
    for window in windows:
        if window.isVisible():
            window.close()


@pytest.fixture(scope="module")
def network_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Network]:
    """The fixed network built once for the module; each test works on a copy."""
    path = tmp_path_factory.mktemp("network") / "network.sqlite3"
    database = open_database(str(path), daily_backup=False)
    built = build_network(database)
    database.close()
    return path, built


@pytest.fixture
def network(network_file: tuple[Path, Network], db_path: Path) -> Network:
    shutil.copyfile(network_file[0], db_path)
    return network_file[1]


@pytest.fixture
def window(
    open_on: Callable[[Path], MainWindow],
    db_path: Path,
    network: Network,
) -> MainWindow:
    return open_on(db_path)


def fill_log_dialog(
    monkeypatch: pytest.MonkeyPatch, kind: str, direction: str, subject: str, when: str
) -> None:
    from PySide6.QtCore import QDateTime

    def accept(dialog: LogInteractionDialog) -> int:
        dialog.kind.setCurrentText(kind)
        dialog.direction.setCurrentText(direction)
        dialog.subject.setText(subject)
        dialog.when.setDateTime(QDateTime.fromString(when, Qt.DateFormat.ISODate))
        return 1

    monkeypatch.setattr(LogInteractionDialog, "exec", accept)


def test_the_window_opens_on_today_with_the_owed_and_no_do_not_contact(
    window: MainWindow,
    network: Network,
) -> None:
    today = window.findChild(QWidget, "todayView")
    assert window.stack.currentWidget() is today
    assert window.sidebar.currentItem().text() == "Today  2"  # Ana owed, Fred's follow-up
    view = window.today_view
    assert [i.person_id for i in view.items_in("owed")] == [network.ana]
    assert view.items_in("owed")[0].why.startswith("You owe Ana Test a reply")
    assert [i.person_id for i in view.items_in("not_answering")] == [network.carl]
    assert [i.person_id for i in view.items_in("cold")] == [network.cleo]
    assert [i.why for i in view.items_in("snoozes_ending")] == [
        "Snooze ends today: not before March: shares vest"
    ]
    shown = window.findChild(QTreeWidget, "todayList")
    names = [shown.topLevelItem(i).text(0) for i in range(shown.topLevelItemCount())]
    assert "Dora Test" not in names
    assert "Owed a message  (1)" in names


def test_logging_a_touch_from_today_updates_today_people_and_the_status_bar(
    qtbot: QtBot,
    window: MainWindow,
    network: Network,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    qtbot.waitUntil(lambda: "1 owed a message" in window.counts_label.text())
    view = window.today_view
    rows = view.tree
    ana = next(
        rows.topLevelItem(i)
        for i in range(rows.topLevelItemCount())
        if rows.topLevelItem(i).text(0) == "Ana Test"
    )
    rows.setCurrentItem(ana)
    fill_log_dialog(monkeypatch, "email", "outbound", "Re: About the role?", "2026-11-25T09:00:00")
    view.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: view.items_in("owed") == [], timeout=5000)
    qtbot.waitUntil(lambda: "0 owed a message" in window.counts_label.text(), timeout=5000)
    assert window.sidebar.item(0).text() == "Today  1"


def test_a_snooze_from_today_keeps_its_reason(
    qtbot: QtBot,
    window: MainWindow,
    network: Network,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = window.today_view
    cleo = next(
        i
        for i in range(view.tree.topLevelItemCount())
        if view.tree.topLevelItem(i).text(0) == "Cleo Test"
    )
    view.tree.setCurrentItem(view.tree.topLevelItem(cleo))

    def accept(dialog: SnoozeDialog) -> int:
        dialog.reason.setText("on parental leave")
        return 1

    monkeypatch.setattr(SnoozeDialog, "exec", accept)
    view.snooze_selected()
    qtbot.waitUntil(lambda: view.items_in("cold") == [], timeout=5000)
    window.open_timeline(network.cleo)
    model = window.timeline_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=5000)
    top = model.entry(0)
    assert (top.subject, top.snippet) == ("Snoozed until 2026-12-25", "on parental leave")


def test_the_timeline_shows_a_logged_interaction_at_the_top_under_today(
    qtbot: QtBot,
    window: MainWindow,
    network: Network,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_timeline(network.cleo)
    view = window.findChild(QWidget, "timelineView")
    assert window.stack.currentWidget() is view
    timeline = window.timeline_view
    qtbot.waitUntil(lambda: timeline.model.rowCount() == 2, timeout=5000)
    assert window.findChild(QLabel, "timelineScope").text() == "Cleo Test"
    about = window.findChild(QLabel, "timelineAbout")
    qtbot.waitUntil(lambda: about.text() != "", timeout=5000)
    assert about.text() == window.services.person_card(network.cleo).warmth.sentence
    fill_log_dialog(monkeypatch, "call", "outbound", "Catch-up call", "2026-11-25T10:30:00")
    timeline.list.setFocus()
    qtbot.keyClick(timeline.list, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: timeline.model.rowCount() == 3, timeout=5000)
    index = timeline.model.index(0, 0)
    assert timeline.model.entry(0).subject == "Catch-up call"
    assert index.data(HEADING_ROLE) == "Today"
    assert timeline.model.index(1, 0).data(HEADING_ROLE) == "Saturday 9 May 2026"
    # Logging a touch took Cleo off the cold list.
    qtbot.waitUntil(lambda: window.today_view.items_in("cold") == [], timeout=5000)


def test_each_timeline_filter_narrows_and_a_persons_timeline_shows_only_theirs(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    window: MainWindow,
    network: Network,
) -> None:
    window.show_view("Timeline")
    timeline = window.timeline_view
    model = timeline.model
    qtbot.waitUntil(lambda: model.rowCount() == 16, timeout=5000)
    qtmodeltester.check(model)
    assert window.findChild(QListView, "timelineList").model() is model

    def shows(count: int) -> None:
        qtbot.waitUntil(lambda: model.rowCount() == count and model.is_complete, timeout=5000)

    timeline.kind_filter.setCurrentIndex(timeline.kind_filter.findData("stage"))
    shows(1)
    timeline.kind_filter.setCurrentIndex(0)
    timeline.direction_filter.setCurrentIndex(timeline.direction_filter.findData("inbound"))
    shows(4)
    timeline.direction_filter.setCurrentIndex(0)
    timeline.search_box.setText("checking")
    shows(3)
    timeline.search_box.clear()
    timeline.since_check.setChecked(True)
    timeline.since.setDate(date(2026, 11, 20))
    shows(4)
    timeline.since_check.setChecked(False)
    shows(16)
    window.today_view.timeline_requested.emit(network.carl)
    shows(4)
    assert {model.entry(r).person_id for r in range(4)} == {network.carl}


def test_a_deleted_entry_comes_back_with_undo(
    qtbot: QtBot,
    window: MainWindow,
    network: Network,
) -> None:
    window.open_timeline(network.ana)
    timeline = window.timeline_view
    model = timeline.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    timeline.list.setCurrentIndex(model.index(0, 0))
    assert model.entry(0).subject == "About the role?"
    timeline.delete_selected(confirm=False)
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.is_complete, timeout=5000)
    # Without Ana's message, nobody is owed a reply.
    qtbot.waitUntil(lambda: window.today_view.items_in("owed") == [], timeout=5000)
    assert timeline.undo_button.isVisible()
    timeline.list.setFocus()
    qtbot.keyClick(timeline.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.rowCount() == 2 and model.is_complete, timeout=5000)
    assert model.entry(0).subject == "About the role?"
    qtbot.waitUntil(lambda: len(window.today_view.items_in("owed")) == 1, timeout=5000)


def test_write_opens_compose_with_the_template_that_fits(
    qtbot: QtBot,
    window: MainWindow,
    network: Network,
) -> None:
    view = window.today_view
    fred = next(r for r in view._rows() if r.text(0) == "Fred Test")
    view.tree.setCurrentItem(fred)
    assert view.selected_item().template == "check_in"
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_E)
    assert window.stack.currentWidget() is window.compose_view
    assert window.compose_view.recipients == [network.fred]


def test_the_start_notification_goes_through_the_tray_only_where_there_is_one(
    qtbot: QtBot,
    open_on: Callable[[Path], MainWindow],
    db_path: Path,
    network: Network,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    shown: list[str] = []
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda _t, _title, text, *a: shown.append(text)
    )
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    first = open_on(db_path)
    assert shown == [] and first._tray is None
    first.close()  # one window per database
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    open_on(db_path)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == ["1 message owed and 1 follow-up due."]


def test_enter_on_today_opens_the_person_in_people(
    qtbot: QtBot,
    window: MainWindow,
    network: Network,
) -> None:
    view = window.today_view
    view.tree.setCurrentItem(next(r for r in view._rows() if r.text(0) == "Ana Test"))
    view.open_selected()
    assert window.stack.currentWidget() is window.people_view
    qtbot.waitUntil(lambda: window.people_view.panel.person_id == network.ana, timeout=5000)
