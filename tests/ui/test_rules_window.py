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


def _pair_rows(dialog, name: str) -> list[int]:  # type: ignore[no-untyped-def]
    return [
        r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text().startswith(name)
    ]


def test_find_duplicates_follows_the_import_rule_asks_and_can_be_undone(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = open_window()
    services = window.services
    # Namesakes at one company with two LinkedIn profiles: import keeps them apart.
    for profile in ("aditi-reddy-1", "aditi-reddy-2"):
        services.save_person(
            None,
            PersonFields(
                first_name="Aditi",
                last_name="Reddy",
                company="Zephyr Logistics Inc.",
                linkedin_url=f"https://linkedin.com/in/{profile}",
            ),
        )
    kept = services.save_person(
        None,
        PersonFields(
            first_name="Søren",
            last_name="Hale",
            emails=["soren@hale.example"],
            title="Data Lead",
            tags=["alumni"],
        ),
    )
    other = services.save_person(
        None,
        PersonFields(
            first_name="Soren",
            last_name="Hale",
            emails=["SOREN@hale.example", "s@home.example"],
            location="Aarhus",
            do_not_contact=True,
        ),
    )
    window.refresh()
    people = window.people_view.model
    qtbot.waitUntil(lambda: people.rowCount() == 124)
    dialog = window.find_duplicates()
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1)

    assert _pair_rows(dialog, "Aditi Reddy") == []
    [row] = _pair_rows(dialog, "Søren Hale")
    keep_text, other_text = dialog.table.item(row, 0).text(), dialog.table.item(row, 1).text()
    assert keep_text != other_text
    assert "Data Lead" in keep_text and "no LinkedIn profile" in keep_text
    assert "s@home.example" in other_text and "Aarhus" in other_text
    assert dialog.table.item(row, 2).text().startswith("same email")
    assert dialog.table.selectionModel().selectedRows() == []
    assert not dialog.merge_button.isEnabled()

    dialog.table.selectRow(row)
    assert dialog.merge_button.isEnabled()
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def question(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog.merge_selected()
    assert asked and "Merge 1 pair?" in asked[0]
    assert services.person_fields(other).emails  # still there: the recruiter said no

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(dialog.merged, timeout=3000):
        dialog.merge_selected()
    qtbot.waitUntil(lambda: people.rowCount() == 123)
    merged = services.person_fields(kept)
    assert merged.emails == ["soren@hale.example", "s@home.example"]
    assert merged.location == "Aarhus" and merged.do_not_contact
    qtbot.waitUntil(lambda: _pair_rows(dialog, "Søren Hale") == [])
    assert dialog.table.selectionModel().selectedRows() == []
    assert not dialog.merge_button.isEnabled()
    assert dialog.undo_button.isEnabled()

    with qtbot.waitSignal(dialog.merged, timeout=3000):
        dialog.undo_button.click()
    qtbot.waitUntil(lambda: people.rowCount() == 124)
    assert services.person_fields(kept).emails == ["soren@hale.example"]
    assert services.person_fields(kept).location == ""
    back = services.person_fields(other)
    assert back.emails == ["SOREN@hale.example", "s@home.example"] and back.do_not_contact


def test_the_new_person_warning_names_who_matched_and_on_what(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = open_window()
    window.services.save_person(
        None, PersonFields(first_name="Ana", last_name="Lima", emails=["ana@lima.example"])
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    window.new_person()
    panel = window.people_view.panel
    panel.first_name.setText("A.")
    panel.emails.setPlainText("ANA@lima.example")
    panel.save()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0] == "Ana Lima is already in your network (same email)."
