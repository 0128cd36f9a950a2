"""File → Import calendar… as a recruiter uses it: pick an .ics, import, read the report,
add the stranger who was at the meeting with one button."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from recruiter_desk.core.timeline import TimelineQuery
from recruiter_desk.ui.dialogs.calendar_dialog import CalendarImportDialog
from tests.cli.test_calendar_cli import ME, calendar
from tests.ui.conftest import OpenWindow
from tests.ui.test_people_window import wait_for_count


def test_import_calendar_reports_and_adds_the_unknown_attendee(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_path) as connection:
        person_id, address = connection.execute(
            "SELECT person_id, address FROM person_emails ORDER BY id LIMIT 1"
        ).fetchone()
    meeting = f"""BEGIN:VEVENT
UID:screening-1@recruit.example
DTSTART;TZID=Europe/Lisbon:20261116T093000
SUMMARY:Screening call
DESCRIPTION:Talked about the platform role.
ORGANIZER:mailto:{address}
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}
ATTENDEE;CN=Carla Moreau:mailto:carla@studio.example
END:VEVENT
BEGIN:VEVENT
UID:screening-2@recruit.example
DTSTART:20261117T093000Z
SUMMARY:Cancelled follow-up
STATUS:CANCELLED
ATTENDEE:mailto:{address}
END:VEVENT"""
    ics = tmp_path / "work.ics"
    ics.write_text(calendar(meeting), encoding="utf-8")
    window = open_window()
    window.services.settings.my_addresses = [ME]
    window.findChild(QAction, "importCalendarAction").trigger()
    dialog = window.findChild(CalendarImportDialog, "calendarImportDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.set_paths([ics])
    dialog.findChild(QPushButton, "importCalendarButton").click()
    qtbot.waitUntil(lambda: "Added" in dialog.summary.toPlainText(), timeout=10000)
    summary = dialog.summary.toPlainText()
    assert "work.ics: 2 events, 1 meeting held, 1 added, 1 cancelled." in summary
    assert "Added 1 meeting interaction (import batch" in summary
    assert "1 attendee not in your network." in summary
    unknown = dialog.findChild(QTableWidget, "unknownCorrespondents")
    assert unknown.rowCount() == 1 and unknown.item(0, 0).text() == "carla@studio.example"
    assert unknown.horizontalHeaderItem(2).text() == "Meetings"
    add = dialog.findChild(QPushButton, "addUnknownButton")
    assert add.isVisible() and add.text() == "Add 1 person and their meetings"
    add.click()
    qtbot.waitUntil(lambda: "you met" in dialog.summary.toPlainText(), timeout=10000)
    assert "Added 1 person you met: Carla Moreau" in dialog.summary.toPlainText()
    wait_for_count(qtbot, window, 121)
    query = TimelineQuery(person_id=person_id, text="screening")
    entries = window.services.timeline_page(query).entries
    assert [(e.kind, e.direction, e.subject, e.snippet) for e in entries] == [
        ("meeting", "inbound", "Screening call", "Talked about the platform role.")
    ]
