"""Bulk actions on a multi-selection in People: remove a tag, set the cadence."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.models.people_model import STATUS_ROLE
from tests.ui.conftest import OpenWindow, rows_loaded

TAG = "shortlist-2027"


def _select(window: MainWindow, person_ids: list[int]) -> None:
    view = window.people_view
    view.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for person_id in person_ids:
        row = view.model.row_of(person_id)
        assert row is not None
        view.table.selectionModel().select(view.model.index(row, 0), flags)
    assert view.selected_ids() == sorted(person_ids, key=view.model.row_of)  # type: ignore[arg-type]


def _answer(monkeypatch: pytest.MonkeyPatch, method: str, answer: Any) -> list[str]:
    """The next prompt answers ``answer``; returns the prompts' texts."""
    asked: list[str] = []

    def prompt(_parent: object, _title: str, label: str, *_args: object) -> tuple[Any, bool]:
        asked.append(label)
        return answer, True

    monkeypatch.setattr(QInputDialog, method, staticmethod(prompt))
    return asked


def _tagged(qtbot: QtBot, window: MainWindow, count: int) -> list[int]:
    """Who the tag filter shows for TAG, once it shows ``count`` people."""
    view = window.people_view
    everyone = view.model.rowCount()
    qtbot.waitUntil(lambda: view.tag_filter.findData(TAG) >= 0)
    view.tag_filter.setCurrentIndex(view.tag_filter.findData(TAG))
    qtbot.waitUntil(lambda: view.model.rowCount() == count and rows_loaded(window))
    shown = view.model.ids
    view.tag_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: view.model.rowCount() == everyone and rows_loaded(window))
    return shown


def test_remove_a_tag_from_some_of_the_people_who_have_it(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    view = window.people_view
    qtbot.waitUntil(lambda: rows_loaded(window))
    first, second, third = view.model.ids[:3]
    _select(window, [first, second, third])
    view.add_tag_to_selection(TAG)
    assert sorted(_tagged(qtbot, window, 3)) == sorted([first, second, third])

    _select(window, [first, third])
    asked = _answer(monkeypatch, "getText", f" {TAG.upper()} ")
    view.remove_tag_from_selection()
    assert asked == ["Remove a tag from 2 people:"]
    assert _tagged(qtbot, window, 1) == [second]
    assert TAG in window.services.person_fields(second).tags
    assert TAG not in window.services.person_fields(first).tags


def test_set_the_cadence_of_a_selection_and_back_to_the_default(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    view = window.people_view
    qtbot.waitUntil(lambda: rows_loaded(window))
    model = view.model

    def status(person_id: int) -> str:
        row = model.row_of(person_id)
        assert row is not None
        return str(model.index(row, 0).data(STATUS_ROLE))

    cold = [i for i in model.ids if status(i) == "cold"][:2]
    bystander = next(i for i in model.ids if status(i) == "cold" and i not in cold)
    assert len(cold) == 2
    _select(window, cold)
    asked = _answer(monkeypatch, "getInt", 3650)
    view.set_cadence_of_selection()
    assert asked == ["Touch these 2 people every … days (0 for the default):"]
    # Ten years between touches: no longer cold, as the list shows at once.
    qtbot.waitUntil(lambda: rows_loaded(window) and all(status(i) != "cold" for i in cold))
    assert status(bystander) == "cold"
    assert [window.services.person_fields(i).cadence_days for i in cold] == [3650, 3650]
    view.panel.show_person(cold[0])
    qtbot.waitUntil(lambda: view.panel.cadence.value() == 3650)

    _select(window, cold)
    _answer(monkeypatch, "getInt", 0)
    view.set_cadence_of_selection()
    qtbot.waitUntil(lambda: rows_loaded(window) and all(status(i) == "cold" for i in cold))
    assert [window.services.person_fields(i).cadence_days for i in cold] == [None, None]
