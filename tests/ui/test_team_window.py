"""Team mode in the window: a teammate's newer save is shown beside yours, never silently
overwritten; a teammate's touches are named in the person panel, the timeline and Compose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from recruiter_desk.core.records import log_interaction
from recruiter_desk.core.services import Services
from recruiter_desk.db.open import open_database
from recruiter_desk.paths import app_paths
from recruiter_desk.settings import Settings
from recruiter_desk.ui.dialogs.conflict_dialog import ConflictDialog
from recruiter_desk.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow


@pytest.fixture(autouse=True)
def ana(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECRUITER_DESK_RECRUITER", "ana")


@pytest.fixture
def bob(demo_path: Path) -> Services:
    database = open_database(str(demo_path), daily_backup=False, recruiter="bob")
    services = Services(database, Settings(), app_paths())
    yield services  # type: ignore[misc]
    database.close()


def _in_next_dialog(act: Callable[[ConflictDialog], None], seen: list[ConflictDialog]) -> None:
    tries = [0]

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictDialog):
            tries[0] += 1
            if tries[0] < 300:
                QTimer.singleShot(10, look)
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, look)


def _open_person(qtbot: QtBot, window: MainWindow, person_id: int) -> None:
    panel = window.people_view.panel
    panel.show_person(person_id)
    qtbot.waitUntil(lambda: panel.person_id == person_id and panel.first_name.isEnabled())


def _cells(dialog: ConflictDialog) -> list[list[str]]:
    table = dialog.findChild(QTableWidget, "conflictTable")
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_saving_over_a_teammates_change_shows_theirs_and_yours(
    qtbot: QtBot, open_window: OpenWindow, bob: Services
) -> None:
    window = open_window()
    person_id = window.services.people_ids(_everyone())[0]
    _open_person(qtbot, window, person_id)
    panel = window.people_view.panel
    panel.title.setText("Head of Data")
    # Meanwhile Bob, at his own desk, saves the same person.
    bob.save_person(person_id, replace(bob.person_fields(person_id), title="Chief Scientist"))

    seen: list[ConflictDialog] = []
    rows: list[list[list[str]]] = []

    def keep_theirs(dialog: ConflictDialog) -> None:
        rows.append(_cells(dialog))
        dialog.findChild(QPushButton, "keepTheirsButton").click()

    _in_next_dialog(keep_theirs, seen)
    panel.save()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert rows[0] == [["title", "Chief Scientist", "Head of Data"]]
    heading = seen[0].findChild(QLabel, "conflictHeading").text()
    assert "bob saved" in heading and "version 2" in heading and "version 1" in heading
    qtbot.waitUntil(lambda: panel.title.text() == "Chief Scientist", timeout=5000)
    assert window.services.person_fields(person_id).title == "Chief Scientist"


def test_saving_mine_over_theirs_is_a_knowing_choice(
    qtbot: QtBot, open_window: OpenWindow, bob: Services
) -> None:
    window = open_window()
    person_id = window.services.people_ids(_everyone())[1]
    _open_person(qtbot, window, person_id)
    panel = window.people_view.panel
    panel.title.setText("Head of Data")
    bob.save_person(person_id, replace(bob.person_fields(person_id), title="Chief Scientist"))
    seen: list[ConflictDialog] = []
    _in_next_dialog(lambda d: d.findChild(QPushButton, "saveMineButton").click(), seen)
    panel.save()
    qtbot.waitUntil(lambda: window.services.person_fields(person_id).version == 3, timeout=5000)
    saved = window.services.person_fields(person_id)
    assert saved.title == "Head of Data"
    qtbot.waitUntil(lambda: "last edited by ana" in panel.edited_note.text(), timeout=5000)


def test_a_teammates_touch_is_named_in_the_panel_and_compose(
    qtbot: QtBot, open_window: OpenWindow, bob: Services
) -> None:
    window = open_window()
    person_id = window.services.people_ids(_everyone())[2]
    with bob.database.session(write=True) as session:
        log_interaction(
            session,
            person_id,
            kind="call",
            direction="outbound",
            occurred_at=datetime.now().replace(microsecond=0),
            subject="Catch-up",
        )
    _open_person(qtbot, window, person_id)
    panel = window.people_view.panel
    qtbot.waitUntil(lambda: panel.teammate.isVisible(), timeout=5000)
    assert panel.teammate.text().startswith(f"Your teammate bob called {panel.heading.text()}")
    history = panel.findChild(QListWidget, "historyList") or panel.history
    assert "(by bob)" in history.item(0).text()

    window.compose_to([person_id], "keep_warm")
    listing = window.compose_view.findChild(QListWidget, "recipientList")
    qtbot.waitUntil(lambda: listing.count() == 1, timeout=5000)
    assert listing.item(0).text().endswith("⚑ contacted by bob")
    problems = window.compose_view.findChild(QLabel, "problemsLabel")
    qtbot.waitUntil(lambda: "Your teammate bob called" in problems.text(), timeout=5000)


def _everyone():  # type: ignore[no-untyped-def]
    from recruiter_desk.core.people import PeopleQuery

    return PeopleQuery()


def test_two_recruiters_editing_one_role_in_the_window(
    qtbot: QtBot, open_window: OpenWindow, bob: Services
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from tests.ui.test_opportunities_view import dialog, open_view

    window = open_window()
    view = open_view(qtbot, window)
    role = view.current_role()
    assert role is not None
    view.edit_role()
    editor = dialog(qtbot, view, "roleDialog")
    editor.location.setText("Porto")  # type: ignore[attr-defined]
    theirs = bob.opportunity_fields(role.id)
    bob.save_opportunity(role.id, replace(theirs, description="Bob's new description"))

    seen: list[ConflictDialog] = []
    rows: list[list[list[str]]] = []

    def save_mine(found: ConflictDialog) -> None:
        rows.append(_cells(found))
        found.findChild(QPushButton, "saveMineButton").click()

    _in_next_dialog(save_mine, seen)
    editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert ["location", theirs.location or "(empty)", "Porto"] in rows[0]
    assert ["description", "Bob's new description", "(not changed by you: theirs is kept)"] in [
        [r[0], r[1], r[2]] for r in rows[0]
    ]
    qtbot.waitUntil(lambda: window.services.opportunity_fields(role.id).version == 3)
    saved = window.services.opportunity_fields(role.id)
    # Yours saved, and theirs kept where you changed nothing.
    assert (saved.location, saved.description) == ("Porto", "Bob's new description")


def test_settings_name_you_and_the_teammate_window(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit, QSpinBox

    from recruiter_desk.ui.dialogs.small_dialogs import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    name = dialog.findChild(QLineEdit, "recruiterName")
    days = dialog.findChild(QSpinBox, "teammateWindow")
    assert days.value() == 7
    name.setText("  Ana Lima ")
    days.setValue(14)
    chosen = dialog.settings()
    assert (chosen.recruiter, chosen.teammate_window_days) == ("Ana Lima", 14)
