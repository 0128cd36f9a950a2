"""The main window and the People view, driven as a recruiter drives them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from recruiter_desk.db.open import open_database
from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.models.people_model import (
    NAME,
    PERSON_ID_ROLE,
    STATUS,
    STATUS_ROLE,
    PeopleTableModel,
)
from tests.ui.conftest import OpenWindow, rows_loaded

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def names_in_list(window: MainWindow) -> list[str]:
    model = window.people_view.model
    return [model.index(r, NAME).data() for r in range(model.rowCount())]


def wait_for_count(qtbot: QtBot, window: MainWindow, count: int) -> None:
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == count, timeout=5000)
    qtbot.waitUntil(lambda: rows_loaded(window), timeout=5000)


def test_views_have_stable_names(open_window: OpenWindow) -> None:
    window = open_window()
    for name in (
        "peopleView",
        "searchBox",
        "peopleTable",
        "personPanel",
        "sidebar",
        "statusCounts",
    ):
        assert window.findChild(object, name) is not None, name
    assert window.findChild(QLineEdit, "searchBox") is window.people_view.search_box


def test_typing_in_the_search_box_narrows_the_list(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    assert window.people_view.model.rowCount() == 120
    qtbot.waitUntil(lambda: rows_loaded(window))
    # QTest can only type ASCII keys; the search itself is tested with accents in core.
    target = [n for n in names_in_list(window) if n.isascii()][7]
    search = window.findChild(QLineEdit, "searchBox")
    qtbot.keyClicks(search, target)
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() < 120, timeout=3000)
    qtbot.waitUntil(lambda: rows_loaded(window))
    assert target in names_in_list(window)
    assert window.people_view.count_label.text().endswith("match")
    search.clear()
    wait_for_count(qtbot, window, 120)


def test_status_filter_shows_only_that_status(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    combo = window.findChild(QComboBox, "statusFilter")
    combo.setCurrentIndex(combo.findData("cold"))
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() < 120)
    qtbot.waitUntil(lambda: rows_loaded(window))
    model = window.people_view.model
    for row in range(model.rowCount()):
        model.index(row, STATUS).data(STATUS_ROLE)  # asks for every page
    qtbot.waitUntil(lambda: model.is_fully_loaded(0, model.rowCount() - 1))
    statuses = {model.index(r, STATUS).data(STATUS_ROLE) for r in range(model.rowCount())}
    assert statuses == {"cold"}
    assert model.rowCount() > 10


def test_people_model_passes_qt_model_tests(qtmodeltester: object, open_window: OpenWindow) -> None:
    window = open_window()
    model: PeopleTableModel = window.people_view.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_editing_a_person_persists_after_reopening(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path
) -> None:
    window = open_window()
    view = window.people_view
    view.table.selectRow(2)
    person_id = view.model.index(2, 0).data(PERSON_ID_ROLE)
    qtbot.waitUntil(lambda: view.panel.first_name.isEnabled())
    view.panel.title.setText("Chief Cartographer")
    view.panel.tags.setText("vip, met-in-lisbon")
    view.panel.remote.setChecked(True)
    qtbot.mouseClick(view.panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            "Chief Cartographer"
            in [view.model.index(r, 4).data() for r in range(view.model.rowCount())]
        )
    )
    window.close()
    reopened = open_window()
    reopened.people_view.select_person(person_id)
    panel = reopened.people_view.panel
    qtbot.waitUntil(lambda: panel.title.text() == "Chief Cartographer", timeout=3000)
    assert panel.tags.text() == "met-in-lisbon, vip"
    assert panel.remote.isChecked()


def test_bulk_tag(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    view = window.people_view
    qtbot.waitUntil(lambda: rows_loaded(window))
    view.table.selectRow(0)
    view.table.selectionModel().select(
        view.model.index(1, 0),
        view.table.selectionModel().SelectionFlag.Select
        | view.table.selectionModel().SelectionFlag.Rows,
    )
    assert len(view.selected_ids()) == 2
    view.add_tag_to_selection("shortlist-2027")
    combo = view.tag_filter
    qtbot.waitUntil(lambda: combo.findData("shortlist-2027") >= 0)
    combo.setCurrentIndex(combo.findData("shortlist-2027"))
    wait_for_count(qtbot, window, 2)


def test_delete_then_undo(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    view = window.people_view
    qtbot.waitUntil(lambda: rows_loaded(window))
    doomed = names_in_list(window)[4]
    view.table.selectRow(4)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    window.findChild(object, "deleteAction").trigger()
    wait_for_count(qtbot, window, 119)
    assert doomed not in names_in_list(window)
    assert window.undo_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_for_count(qtbot, window, 120)
    assert doomed in names_in_list(window)
    assert not window.undo_action.isEnabled()


def _click_in_next_message_box(button_text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        for button in box.findChildren(QPushButton):
            if button.text() == button_text:
                button.click()
                return

    QTimer.singleShot(0, click)


def test_adding_someone_who_exists_warns_and_opens_them(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    view = window.people_view
    view.table.selectRow(5)
    existing = view.model.index(5, 0).data(PERSON_ID_ROLE)
    qtbot.waitUntil(lambda: view.panel.emails.toPlainText() != "")
    email = view.panel.emails.toPlainText().splitlines()[0]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.panel.person_id is None
    view.panel.first_name.setText("Somebody")
    view.panel.emails.setPlainText(email.upper())
    _click_in_next_message_box("Open existing")
    qtbot.mouseClick(view.panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.panel.person_id == existing, timeout=3000)
    assert view.model.rowCount() == 120


def test_ctrl_f_focuses_search_and_counts_show(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: "people" in window.counts_label.text())
    assert window.counts_label.text().startswith("120 people")
    assert "cold" in window.counts_label.text() and "owed" in window.counts_label.text()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.people_view.search_box.hasFocus())


def test_import_dialog_runs_to_the_end_and_a_cancelled_run_leaves_nothing(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    dialog = window.open_import()
    dialog.set_files([FIXTURES / "generic_needs_map.csv"])
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    assert "CSV" in dialog.detected.text()
    assert dialog.mapping.isVisible()
    # Map the columns the app could not guess.
    for row in range(dialog.mapping.rowCount()):
        column = dialog.mapping.cellWidget(row, 0).text()
        combo = dialog.mapping.cellWidget(row, 2)
        wanted = {"Person": "full_name", "Mail address": "emails", "Employer": "company"}
        if column in wanted:
            combo.setCurrentIndex(combo.findData(wanted[column]))
    dialog.start(dry_run=True)
    qtbot.waitUntil(lambda: "Dry run" in dialog.summary.toPlainText())
    assert "1 added" in dialog.summary.toPlainText()
    assert window.people_view.model.rowCount() == 120

    # Cancel once the run has written its part: the person it added must not stay.
    import_files = window.services.import_files
    stages: list[str] = []

    def cancelled_while_writing(*args: Any, progress: Any, **kwargs: Any) -> Any:
        def report(stage: str, fraction: float) -> None:
            stages.append(stage)
            progress(stage, fraction)
            if len(stages) == 2:
                dialog.run.token.cancel()  # as the progress dialog's Cancel button does

        return import_files(*args, progress=report, **kwargs)

    monkeypatch.setattr(window.services, "import_files", cancelled_while_writing)
    dialog.start(dry_run=False)
    qtbot.waitUntil(lambda: "Cancelled" in dialog.summary.toPlainText())
    assert stages == ["Importing generic_needs_map.csv"] * 2
    window.people_view.refresh()
    wait_for_count(qtbot, window, 120)
    monkeypatch.undo()

    dialog.start(dry_run=False)
    run = dialog.run
    with qtbot.waitSignal(dialog.import_finished, timeout=5000):
        pass
    assert "Done." in dialog.summary.toPlainText()
    qtbot.waitUntil(lambda: bool(run.fractions) and run.fractions[-1] == 1.0)
    wait_for_count(qtbot, window, 121)


def test_welcome_panel_on_an_empty_database(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.sqlite3"
    open_database(str(empty), daily_backup=False).close()
    window = open_window(empty)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.welcome)
    assert window.findChild(object, "welcomePanel").isVisible()
    qtbot.mouseClick(window.findChild(QPushButton, "welcomeDemoButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == 2000, timeout=20000)
    assert window.stack.currentWidget() is window.people_view


def test_geometry_and_columns_are_restored(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.resize(760, 640)  # the offscreen screen is 800×800; geometry is kept on screen
    window.people_view.table.setColumnWidth(0, 333)
    window.people_view.splitter.setSizes([500, 300])
    size, split = window.size(), window.people_view.splitter.sizes()
    window.close()
    again = open_window()
    assert again.people_view.table.columnWidth(0) == 333
    assert again.size() == size
    assert again.people_view.splitter.sizes() == split


def test_unexpected_errors_are_logged_and_shown(
    qtbot: QtBot,
    open_window: OpenWindow,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.informativeText()))
    with caplog.at_level(logging.ERROR, logger="recruiter_desk.crash"):
        window.report_error(RuntimeError("kaboom"))
    assert "kaboom" in caplog.text
    assert shown and "recruiter-desk.log" in shown[0]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    from recruiter_desk.errors import KnownError

    window.report_error(KnownError("The disk is full."))
    assert warnings == ["The disk is full."]


def test_email_opens_the_mail_client_but_never_for_do_not_contact(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    warnings: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    window = open_window()
    view = window.people_view
    view.table.selectRow(1)
    qtbot.waitUntil(lambda: view.panel.emails.toPlainText() != "")
    address = view.panel.emails.toPlainText().splitlines()[0]
    qtbot.mouseClick(view.panel.compose_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].startswith(f"mailto:{address}")
    assert "log it with Log interaction" in window.statusBar().currentMessage()
    view.panel.do_not_contact.setChecked(True)
    qtbot.mouseClick(view.panel.compose_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert warnings and "asked not to be contacted" in warnings[0]
