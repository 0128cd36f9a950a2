"""The rules' wording and identity in the window: what a recruiter reads on screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recruiter_desk.core.records import PersonFields
from recruiter_desk.ui.models.people_model import LAST_TOUCH, NAME
from tests.rules.test_wording_paths import cli
from tests.ui.conftest import OpenWindow, rows_loaded


def test_last_touch_reads_the_same_in_the_window_and_the_command_line(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "relative.sqlite3"
    cli(db, capsys, "add-person", "--first", "Ana", "--last", "Lima")
    when = (datetime.now(UTC) - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    cli(db, capsys, "log", "1", "--kind", "call", "--at", when)
    listed = cli(db, capsys, "people")
    window = open_window(db)
    qtbot.waitUntil(lambda: rows_loaded(window))
    model = window.people_view.model
    assert model.index(0, NAME).data() == "Ana Lima"
    shown = model.index(0, LAST_TOUCH).data()
    assert shown == "2 weeks ago"
    assert shown in listed
    window.people_view.select_person(1)
    panel = window.people_view.panel
    qtbot.waitUntil(lambda: "Last in touch" in panel.warmth.text())
    assert "Last in touch 20 days ago" in panel.warmth.text()


def test_the_window_says_what_you_owe(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    window = open_window()
    services = window.services
    person = services.save_person(None, PersonFields(emails=["solo@example.com"]))
    services.log_interaction(
        person,
        "email",
        "inbound",
        "Hello",
        datetime.now(UTC).replace(tzinfo=None) - timedelta(days=3),
    )
    window.refresh()
    window.people_view.select_person(person)
    panel = window.people_view.panel
    qtbot.waitUntil(lambda: panel.owed.isVisible() and panel.owed.text() != "", timeout=5000)
    assert panel.owed.text().startswith("You owe solo@example.com a reply")
    assert panel.heading.text() == "solo@example.com"
