"""Edit → Retention review…: the people past retention, and erasing them all at once."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from recruiter_desk.core.clock import AsOf, local_zone
from recruiter_desk.core.services import Services
from tests.ui.conftest import OpenWindow

LATER = date(2031, 1, 1)


@pytest.fixture(autouse=True)
def years_later(monkeypatch: pytest.MonkeyPatch) -> None:
    def as_of(self: Services, day: date | None = None) -> AsOf:
        return AsOf(day or LATER, local_zone("UTC"))

    monkeypatch.setattr(Services, "as_of", as_of)


def test_erase_all_asks_then_erases_everyone_listed(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    total = window.services.counts().people
    dialog = window.open_retention()
    qtbot.waitUntil(lambda: dialog.untouched.topLevelItemCount() > 0, timeout=5000)
    listed = dialog.untouched.topLevelItemCount()
    assert dialog.erase_button.text() == f"Erase all {listed}…"
    assert "untouched for 3 years and in no open process" in dialog.info.text()

    asked: list[str] = []

    def refuse(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", refuse)
    dialog.erase_button.click()
    assert asked and asked[0].startswith(f"Erase {listed} people and everything about them?")
    assert window.services.counts().people == total  # cancelled: nobody erased

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    dialog.erase_button.click()
    qtbot.waitUntil(lambda: dialog.untouched.topLevelItemCount() == 0, timeout=10000)
    assert dialog.info.text().startswith(f"Erased {listed} people.")
    assert "Nobody is untouched for 3 years" in dialog.info.text()
    assert not dialog.erase_button.isEnabled()
    assert window.services.counts().people == total - listed
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == total - listed, timeout=5000)
