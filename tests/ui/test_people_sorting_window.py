"""Sorting the People view by last touch or warmth shows its first page before the whole
list arrives, and that page is the start of the list the recruiter then scrolls."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from recruiter_desk.ui.models.people_model import LAST_TOUCH, NAME, PAGE_SIZE, STATUS
from tests.ui.conftest import OpenWindow, rows_loaded


def test_a_warmth_sort_paints_its_first_page_first(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    view, model = window.people_view, window.people_view.model
    qtbot.waitUntil(lambda: rows_loaded(window))
    painted: list[list[str]] = []

    def first_page_painted(count: int) -> None:
        # What is on screen when the first page arrives, before the whole list does.
        painted.append([model.index(r, NAME).data() for r in range(count)])

    model.first_rows_shown.connect(first_page_painted)
    cold = window.findChild(QComboBox, "statusFilter")
    clicks = (
        lambda: view.table.sortByColumn(LAST_TOUCH, Qt.SortOrder.DescendingOrder),
        lambda: view.table.sortByColumn(STATUS, Qt.SortOrder.DescendingOrder),
        lambda: view.table.sortByColumn(LAST_TOUCH, Qt.SortOrder.AscendingOrder),
        lambda: cold.setCurrentIndex(cold.findData("cold")),
        lambda: view.table.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder),
    )
    for click in clicks:
        before = len(painted)
        click()
        qtbot.waitUntil(lambda before=before: len(painted) > before, timeout=5000)
        qtbot.waitUntil(lambda: rows_loaded(window))
        query = model.query
        wanted = window.services.people_rows(window.services.people_ids(query))
        assert painted[-1] == [r.full_name for r in wanted[: len(painted[-1])]], query
        assert len(painted[-1]) == min(PAGE_SIZE, len(wanted))
        # The whole list followed below the page, in the same order.
        shown = [model.index(r, NAME).data() for r in range(len(painted[-1]))]
        assert shown == painted[-1]
        assert model.rowCount() == len(wanted)
    assert model.query.status == "cold" and model.query.sort == "status"
    assert len(painted) == len(clicks)
