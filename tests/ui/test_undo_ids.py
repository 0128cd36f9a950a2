"""Ids are never reused: Undo puts people back under their own ids, whoever came since."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.ui import crash
from recruiter_desk.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow, rows_loaded


def wait_for_count(qtbot: QtBot, window: MainWindow, count: int) -> None:
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == count, timeout=5000)


def test_undo_after_deleting_the_newest_person_and_adding_someone(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems: list[object] = []
    monkeypatch.setattr(crash, "show_crash", lambda error, _parent=None: problems.append(error))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: problems.append(args))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    window = open_window()
    view = window.people_view
    qtbot.waitUntil(lambda: rows_loaded(window))
    newest = max(window.services.people_ids(PeopleQuery()))
    view.select_person(newest)
    qtbot.waitUntil(lambda: view.panel.person_id == newest)
    window.findChild(object, "deleteAction").trigger()
    wait_for_count(qtbot, window, 119)

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    view.panel.first_name.setText("Newcomer")
    view.panel.last_name.setText("Since")
    qtbot.mouseClick(view.panel.save_button, Qt.MouseButton.LeftButton)
    wait_for_count(qtbot, window, 120)
    qtbot.waitUntil(lambda: view.panel.person_id is not None)
    newcomer = view.panel.person_id
    assert newcomer != newest

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_for_count(qtbot, window, 121)
    assert problems == []
    assert {newest, newcomer} <= set(window.services.people_ids(PeopleQuery()))
