"""Issue 8, the window as a new user tried it: each test walks the path that failed."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, QPointF, Qt, QTime, QTimer
from PySide6.QtGui import QDesktopServices, QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from recruiter_desk.app import create_main_window
from recruiter_desk.core.services import Services
from recruiter_desk.db.models import Article, Interaction
from recruiter_desk.db.open import open_database
from recruiter_desk.paths import app_paths
from recruiter_desk.ui.dialogs.small_dialogs import LogInteractionDialog
from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.models.people_model import NAME, PERSON_ID_ROLE, STATUS, STATUS_ROLE
from tests.ui.conftest import OpenWindow, rows_loaded


def _answer_next_box(button_text: str, seen: list[str] | None = None) -> None:
    """Click ``button_text`` in the next modal message box (noting its text in ``seen``)."""
    tries = [0]

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] += 1
            if tries[0] < 300:  # gives up after about 3 s rather than outlive the test
                QTimer.singleShot(10, click)
            return
        if seen is not None:
            seen.append(f"{box.text()} {box.informativeText()}")
        for button in box.findChildren(QPushButton):
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no {button_text!r} button in {box.text()!r}")

    QTimer.singleShot(0, click)


def _wait_shown(qtbot: QtBot, window: MainWindow, person_id: int) -> None:
    """Until the panel shows ``person_id`` as saved (their fields have arrived)."""
    panel = window.people_view.panel
    saved = window.services.person_fields(person_id)
    qtbot.waitUntil(
        lambda: (
            panel.person_id == person_id
            and panel.first_name.isEnabled()
            and (panel.first_name.text(), panel.title.text()) == (saved.first_name, saved.title)
        ),
        timeout=5000,
    )


def _click_row(qtbot: QtBot, window: MainWindow, row: int) -> None:
    """Click a row as the recruiter does (no modifier held: the selection is that row)."""
    table = window.people_view.table
    table.scrollTo(window.people_view.model.index(row, NAME))
    rect = table.visualRect(window.people_view.model.index(row, NAME))
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )


def _loaded_rows(qtbot: QtBot, window: MainWindow) -> list[int]:
    qtbot.waitUntil(lambda: rows_loaded(window), timeout=5000)
    model = window.people_view.model
    return [model.index(r, 0).data(PERSON_ID_ROLE) for r in range(model.rowCount())]


# -- 5: impossible settings ----------------------------------------------------------------


def test_impossible_settings_are_named_once_and_the_defaults_used(
    qtbot: QtBot,
    open_window: OpenWindow,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings_file = app_paths().settings_file
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(
        json.dumps(
            {"default_cadence_days": 0, "reply_within_days": -3, "timezone": "Mars/Olympus"}
        ),
        encoding="utf-8",
    )
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: errors.append(text))
    with caplog.at_level(logging.WARNING, logger="recruiter_desk.settings"):
        window = open_window()
        qtbot.waitUntil(lambda: rows_loaded(window))
        qtbot.waitUntil(lambda: "people" in window.counts_label.text())
    model = window.people_view.model
    statuses = {model.index(r, STATUS).data(STATUS_ROLE) for r in range(20)}
    assert statuses <= {"warm", "cooling", "cold", "do_not_contact"}
    assert window.services.settings.default_cadence_days == 90
    assert window.services.settings.reply_within_days == 2
    assert window.services.settings.timezone is None
    assert errors == []  # no list, count or card failed
    box = window.findChild(QMessageBox, "settingsProblemsBox")
    qtbot.waitUntil(lambda: box.isVisible())
    shown = box.informativeText()
    for key in ("default_cadence_days", "reply_within_days", "timezone"):
        assert shown.count(f"The setting {key} ") == 1, key
        assert caplog.text.count(f"The setting {key} ") == 1, key
    assert "Mars/Olympus" in shown and "90 is used instead" in shown


def test_the_settings_dialog_refuses_an_unknown_time_zone(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recruiter_desk.ui.dialogs.small_dialogs import SettingsDialog

    window = open_window()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    dialog = SettingsDialog(window.services.settings, window)
    qtbot.addWidget(dialog)
    dialog.timezone.setText("Europe/Atlantis")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert warnings and "timezone" in warnings[0] and "Europe/Atlantis" in warnings[0]


# -- 10: the log dialog's time zone -------------------------------------------------------


def _log_through_the_dialog(
    monkeypatch: pytest.MonkeyPatch, kind: str, when: datetime | None, seen: list[datetime]
) -> None:
    def fill(dialog: LogInteractionDialog) -> int:
        shown = dialog.when.dateTime().toPython()
        assert isinstance(shown, datetime)
        seen.append(shown)
        dialog.kind.setCurrentText(kind)
        dialog.direction.setCurrentText("outbound")
        dialog.subject.setText("Checked in")
        if when is not None:
            dialog.when.setDateTime(
                QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))
            )
        return 1

    monkeypatch.setattr(LogInteractionDialog, "exec", fill)


def test_log_interaction_reads_times_in_the_time_zone_setting(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file = app_paths().settings_file
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps({"timezone": "Asia/Tokyo"}), encoding="utf-8")
    window = open_window()  # the computer itself is on UTC (tests/conftest.py)
    view = window.people_view
    _click_row(qtbot, window, 0)
    person = view.model.index(0, 0).data(PERSON_ID_ROLE)
    qtbot.waitUntil(lambda: view.panel.log_button.isEnabled())
    seen: list[datetime] = []
    _log_through_the_dialog(monkeypatch, "call", datetime(2026, 11, 25, 9, 0), seen)
    qtbot.mouseClick(view.panel.log_button, Qt.MouseButton.LeftButton)
    tokyo_now = datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert abs(seen[0] - tokyo_now) < timedelta(minutes=2)  # offered "now" in Tokyo
    qtbot.waitUntil(lambda: "Checked in" in view.panel.history.item(0).text())
    with window.services.database.connect() as connection:
        stored = connection.execute(
            select(Interaction.occurred_at).where(
                Interaction.person_id == person, Interaction.subject == "Checked in"
            )
        ).scalar_one()
    assert stored == datetime(2026, 11, 25, 0, 0)  # 09:00 in Tokyo is midnight UTC


# -- 11: closing while a long task runs ---------------------------------------------------


def test_closing_the_window_stops_a_long_task_instead_of_waiting_for_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, stopped = threading.Event(), threading.Event()

    def long_demo(
        self: Services, people: int = 2000, progress: object = None, cancelled: object = None
    ) -> None:
        started.set()
        assert callable(cancelled)
        # Stands for any long core task: it checks its cancel flag between steps.
        if not any(cancelled() or stopped.wait(0.01) for _ in range(2000)):
            raise AssertionError("never asked to stop")
        stopped.set()

    monkeypatch.setattr(Services, "demo", long_demo)
    empty = tmp_path / "empty.sqlite3"
    open_database(str(empty), daily_backup=False).close()
    window = create_main_window(str(empty))  # the real worker thread
    qtbot.addWidget(window)
    window.show()
    window.load_demo()
    assert started.wait(5)
    closed_at = datetime.now()
    window.close()
    # Without a cancel flag the close waited for the whole task (20 s here).
    assert datetime.now() - closed_at < timedelta(seconds=5)
    assert not window.isVisible()
    assert stopped.wait(1)


# -- 13: unsaved edits, Ctrl+S, Save in view, the wheel ------------------------------------


def test_unsaved_edits_are_asked_about_before_opening_someone_else(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    view, panel = window.people_view, window.people_view.panel
    ids = _loaded_rows(qtbot, window)
    _click_row(qtbot, window, 2)
    _wait_shown(qtbot, window, ids[2])
    panel.title.setText("Chief Cartographer")
    assert panel.save_button.isEnabled() and panel.has_unsaved_edits()

    seen: list[str] = []
    _answer_next_box("Cancel", seen)
    _click_row(qtbot, window, 3)
    assert seen and "Save your changes" in seen[0]
    assert panel.person_id == ids[2] and panel.title.text() == "Chief Cartographer"
    assert view.selected_ids() == [ids[2]]

    _answer_next_box("Discard")
    _click_row(qtbot, window, 3)
    _wait_shown(qtbot, window, ids[3])
    assert window.services.person_fields(ids[2]).title != "Chief Cartographer"

    panel.title.setText("Head of Maps")
    _answer_next_box("Save")
    _click_row(qtbot, window, 4)
    qtbot.waitUntil(lambda: window.services.person_fields(ids[3]).title == "Head of Maps")
    qtbot.waitUntil(lambda: panel.person_id == ids[4] and not panel.has_unsaved_edits())
    qtbot.waitUntil(lambda: view.selected_ids() == [ids[4]])


def test_ctrl_s_saves_and_save_stays_in_view_while_the_fields_scroll(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    window.resize(1280, 800)
    panel = window.people_view.panel
    ids = _loaded_rows(qtbot, window)
    _click_row(qtbot, window, 1)
    _wait_shown(qtbot, window, ids[1])
    scroll = panel.fields_scroll.verticalScrollBar()
    scroll.setValue(scroll.maximum())
    assert scroll.maximum() > 0  # the fields do scroll at this size
    panel.location.setText("Lisbon")
    assert panel.save_button.isVisible() and not panel.save_button.visibleRegion().isEmpty()
    assert not panel.fields_scroll.isAncestorOf(panel.save_button)
    assert panel.revert_button.isVisible() and panel.revert_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.services.person_fields(ids[1]).location == "Lisbon")
    qtbot.waitUntil(lambda: not panel.has_unsaved_edits())


def _wheel(widget: object, steps: int = -3) -> bool:
    """Send a wheel turn to ``widget``; whether it took it (an ignored one goes to the
    parents when it comes from a real mouse: Qt only propagates spontaneous wheels)."""
    centre = QPointF(10, 10)
    event = QWheelEvent(
        centre,
        centre,
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)  # type: ignore[arg-type]
    return event.isAccepted()


def test_the_wheel_only_changes_a_focused_field(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.resize(1280, 800)
    panel = window.people_view.panel
    ids = _loaded_rows(qtbot, window)
    _click_row(qtbot, window, 0)
    _wait_shown(qtbot, window, ids[0])
    cadence, openness = panel.cadence.value(), panel.openness.currentIndex()
    assert not _wheel(panel.cadence)  # left for the form around it to scroll
    assert not _wheel(panel.openness)
    assert panel.cadence.value() == cadence
    assert panel.openness.currentIndex() == openness
    assert not panel.has_unsaved_edits()
    window.activateWindow()
    panel.cadence.setFocus()
    qtbot.waitUntil(lambda: panel.cadence.hasFocus())
    _wheel(panel.cadence, steps=3)
    assert panel.cadence.value() != cadence


# -- 14: no mail client -------------------------------------------------------------------


def test_email_says_so_when_no_mail_client_opens_and_offers_the_address(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    window = open_window()
    panel = window.people_view.panel
    _click_row(qtbot, window, 1)
    qtbot.waitUntil(lambda: panel.emails.toPlainText() != "")
    address = panel.emails.toPlainText().splitlines()[0]
    seen: list[str] = []
    _answer_next_box("Copy address", seen)
    qtbot.mouseClick(panel.compose_button, Qt.MouseButton.LeftButton)
    assert seen and "No mail client" in seen[0] and address in seen[0]
    assert QGuiApplication.clipboard().text() == address
    assert "Opened your mail client" not in window.statusBar().currentMessage()
    assert address in window.statusBar().currentMessage()


# -- 15: the person being worked on stays open --------------------------------------------


def test_logging_a_touch_under_the_cold_filter_keeps_the_person_open(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    view, panel = window.people_view, window.people_view.panel
    view.status_filter.setCurrentIndex(view.status_filter.findData("cold"))
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < 120)
    ids = _loaded_rows(qtbot, window)
    _click_row(qtbot, window, 0)
    _wait_shown(qtbot, window, ids[0])
    name = panel.heading.text()
    panel.notes.setPlainText("Prefers calls after five")  # an edit in progress
    _log_through_the_dialog(monkeypatch, "call", None, [])
    qtbot.mouseClick(panel.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ids[0] not in view.model.ids, timeout=5000)
    qtbot.waitUntil(lambda: "warm" in panel.warmth.text())
    assert panel.person_id == ids[0] and panel.heading.text() == name
    assert panel.first_name.isEnabled()
    assert panel.notes.toPlainText() == "Prefers calls after five"


# -- 16: welcome, empty list, progress title ----------------------------------------------


def test_welcome_text_is_whole_and_an_empty_list_says_how_to_add_people(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.sqlite3"
    open_database(str(empty), daily_backup=False).close()
    window = open_window(empty)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.welcome)
    text = window.welcome.findChild(object, "welcomeText")
    qtbot.waitUntil(lambda: text.isVisible())
    assert text.height() >= text.heightForWidth(text.width())
    assert "what each person wants" in text.text()

    qtbot.mouseClick(window.findChild(QPushButton, "welcomeEmptyButton"), Qt.MouseButton.LeftButton)
    view = window.people_view
    qtbot.waitUntil(lambda: view.empty_state.isVisible())
    assert "No one here yet" in view.empty_title.text()
    assert view.empty_add.isVisible() and view.empty_import.isVisible()
    qtbot.mouseClick(view.empty_add, Qt.MouseButton.LeftButton)
    assert view.panel.heading.text() == "New person" and view.panel.first_name.isEnabled()
    view.panel.forget_edits()
    qtbot.mouseClick(view.empty_import, Qt.MouseButton.LeftButton)
    assert window.findChild(object, "importDialog").isVisible()
    window.findChild(object, "importDialog").close()

    run_title = "Creating a demo network…"
    # Only the dialog is looked at here (the demo itself: test_people_window.py).
    monkeypatch.setattr(window.services, "demo", lambda **_kwargs: None)
    window.load_demo()
    progress = window.dialogs["demo"]
    needed = progress.fontMetrics().horizontalAdvance(run_title)
    assert progress.windowTitle() == run_title and progress.minimumWidth() > needed + 150


def test_a_search_that_matches_no_one_offers_to_clear_it(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    view = window.people_view
    view.search_box.setText("zzqqxx")
    view.apply_filters()
    qtbot.waitUntil(lambda: view.empty_state.isVisible())
    assert "No one matches" in view.empty_title.text()
    assert view.empty_clear.isVisible() and not view.empty_add.isVisible()
    qtbot.mouseClick(view.empty_clear, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 120)
    assert view.table.isVisible() and view.search_box.text() == ""


# -- 19: articles from the window ---------------------------------------------------------


def test_new_article_from_the_edit_menu_and_the_same_address_refused(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    window.findChild(object, "newArticleAction").trigger()
    dialog = window.findChild(object, "articleDialog")
    assert dialog.isVisible()
    dialog.url.setText("https://blog.example/remote-hiring")
    dialog.title.setText("Remote hiring, honestly")
    dialog.topics.setText("Hiring, remote work")
    with qtbot.waitSignal(dialog.article_added, timeout=3000):
        dialog.save()
    assert "Remote hiring, honestly" in window.statusBar().currentMessage()
    with window.services.database.connect() as connection:
        saved = connection.execute(
            select(Article.title, Article.topics).where(
                Article.url == "https://blog.example/remote-hiring"
            )
        ).one()
    assert saved.title == "Remote hiring, honestly"
    assert sorted(saved.topics) == ["hiring", "remote work"]

    again = window.new_article()
    again.url.setText("https://blog.example/remote-hiring")
    again.save()
    qtbot.waitUntil(lambda: again.problem.isVisible())
    assert "already saved" in again.problem.text()
    assert again.isVisible()


# -- 21: finding and judging people -------------------------------------------------------


def test_down_from_the_search_box_enters_the_results_and_enter_opens_the_person(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    view, panel = window.people_view, window.people_view.panel
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.search_box.hasFocus())
    qtbot.keyClicks(view.search_box, "a")
    qtbot.keyClick(view.search_box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: view.table.hasFocus(), timeout=3000)
    first = view.model.index(0, 0).data(PERSON_ID_ROLE)
    qtbot.waitUntil(lambda: view.selected_ids() == [first] and panel.person_id == first)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    second = view.model.index(1, 0).data(PERSON_ID_ROLE)
    qtbot.waitUntil(lambda: panel.person_id == second)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.first_name.hasFocus())


def test_a_one_letter_search_lists_name_matches_first(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    view = window.people_view
    view.search_box.setText("m")
    view.apply_filters()
    qtbot.waitUntil(lambda: view.count_label.text().endswith("match"))
    model = view.model
    for row in range(model.rowCount()):
        model.index(row, NAME).data()  # asks for every page
    qtbot.waitUntil(lambda: model.is_fully_loaded(0, model.rowCount() - 1))
    names = [model.index(r, NAME).data() for r in range(model.rowCount())]
    named = [any(w.lower().startswith("m") for w in n.split()) for n in names]
    assert any(named) and not all(named)  # both kinds are in this list
    first_other = named.index(False)
    assert not any(named[first_other:]), names


def test_the_first_click_on_status_puts_the_coldest_first(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    view = window.people_view
    header = view.table.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(STATUS) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.waitUntil(lambda: view.model.query.sort == "status")
    qtbot.waitUntil(lambda: rows_loaded(window))
    first_rows = {view.model.index(r, STATUS).data(STATUS_ROLE) for r in range(5)}
    assert first_rows == {"cold"}


def test_all_eight_columns_fit_at_1280_and_the_next_person_starts_at_the_top(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    window.resize(1280, 800)
    view, panel = window.people_view, window.people_view.panel
    ids = _loaded_rows(qtbot, window)
    table = view.table
    qtbot.waitUntil(lambda: table.viewport().width() > 600)
    widths = sum(table.columnWidth(c) for c in range(view.model.columnCount()))
    assert widths <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()

    _click_row(qtbot, window, 0)
    _wait_shown(qtbot, window, ids[0])
    scroll = panel.fields_scroll.verticalScrollBar()
    scroll.setValue(scroll.maximum())
    assert scroll.value() > 0
    _click_row(qtbot, window, 1)
    qtbot.waitUntil(lambda: panel.person_id == ids[1])
    assert scroll.value() == 0
