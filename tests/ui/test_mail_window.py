"""File → Import mail… as a recruiter uses it: pick a mailbox, import, read the report,
add the stranger with one button."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from recruiter_desk.ui.dialogs.mail_dialog import MailImportDialog
from tests.cli.test_mail_cli import ME, NEWSLETTER, from_carla, make_mbox, raw
from tests.ui.conftest import OpenWindow
from tests.ui.test_people_window import wait_for_count


def test_import_mail_reports_and_adds_the_unknown_correspondent(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_path) as connection:
        address, name = connection.execute(
            "SELECT e.address, p.first_name FROM person_emails e JOIN people p "
            "ON p.id = e.person_id ORDER BY e.id LIMIT 1"
        ).fetchone()
    inbox = make_mbox(
        tmp_path / "Inbox",
        [
            raw(
                f"{name} <{address}>",
                ME,
                "About the role",
                "Mon, 16 Nov 2026 09:30:00 +0000",
                "Happy to talk.",
                message_id="known-1@x.org",
            ),
            NEWSLETTER,
            from_carla(1),
        ],
    )
    window = open_window()
    window.services.settings.my_addresses = [ME]
    action = window.findChild(QAction, "importMailAction")
    action.trigger()
    dialog = window.findChild(MailImportDialog, "mailImportDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.set_paths([inbox])
    dialog.findChild(QPushButton, "importMailButton").click()
    qtbot.waitUntil(lambda: "Added" in dialog.summary.toPlainText(), timeout=10000)
    summary = dialog.summary.toPlainText()
    assert "Added 1 email interaction (import batch" in summary
    assert "1 correspondent not in your network." in summary
    unknown = dialog.findChild(QTableWidget, "unknownCorrespondents")
    assert unknown.rowCount() == 1 and unknown.item(0, 0).text() == "carla@studio.example"
    add = dialog.findChild(QPushButton, "addUnknownButton")
    assert add.isVisible() and add.text() == "Add 1 person and their mail"
    add.click()
    qtbot.waitUntil(lambda: "you corresponded with" in dialog.summary.toPlainText(), timeout=10000)
    assert "Added 1 person you corresponded with: Carla Moreau" in dialog.summary.toPlainText()
    assert not unknown.isVisible()
    wait_for_count(qtbot, window, 121)
