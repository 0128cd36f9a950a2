"""The Timeline view's search box searches subjects and bodies in full text: word
beginnings, accents and case ignored, as the People search does (issue 10)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from recruiter_desk.core.records import log_interaction
from tests.ui.conftest import OpenWindow


def test_typing_in_the_timeline_search_finds_words_in_bodies_by_their_beginnings(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    with window.services.database.session() as session:
        log_interaction(
            session,
            1,
            kind="meeting",
            direction="outbound",
            occurred_at=datetime(2026, 11, 20, 10),
            subject="Coffee",
            body="Met Søren from the Ærøskøbing office; he knows the CTO.",
        )
    window.show_view("Timeline")
    timeline = window.timeline_view
    model = timeline.model
    box = window.findChild(QLineEdit, "timelineSearch")

    def search(text: str) -> list[str]:
        # setText, not keyClicks: QTest aborts on keys outside ASCII; both go through
        # textChanged and the debounce.
        box.setText(text)
        qtbot.waitUntil(
            lambda: model.is_complete and model.query.text == (text or None),
            timeout=10000,
        )
        return [model.entry(row).subject for row in range(model.rowCount())]

    assert search("soren aero") == ["Coffee"]  # ø and æ fold, both words needed
    assert search("AERØSK") == ["Coffee"]  # a word's beginning, any case
    assert search("soren zebra") == []
    checking = search("chéck")
    assert checking and all("check" in s.lower() for s in checking)
