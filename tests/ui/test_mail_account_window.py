"""Edit → Mail account… and File → Sync mail as a recruiter uses them, against the real
Dovecot of .ci/dovecot.sh: fill in the account, test it, save (the password to the
keyring only), sync behind the progress dialog, and wait quietly when offline."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox
from pytestqt.qtbot import QtBot

from recruiter_desk.core.mail import imap
from recruiter_desk.ui.dialogs.mail_account_dialog import MailAccountDialog
from tests.cli.test_mail_cli import NEWSLETTER, raw
from tests.imap_server import ME, ImapServer
from tests.mail_server import MemoryKeyring, free_port
from tests.ui.conftest import OpenWindow


def fill(dialog: MailAccountDialog, server: ImapServer, port: int, password: str) -> None:
    dialog.findChild(QLineEdit, "imapHost").setText(server.host)
    security = dialog.findChild(QComboBox, "imapSecurity")
    security.setCurrentIndex(security.findData("starttls"))
    assert dialog.findChild(QSpinBox, "imapPort").value() == 143  # follows the mode
    dialog.findChild(QSpinBox, "imapPort").setValue(port)
    dialog.findChild(QLineEdit, "imapUser").setText(server.user)
    dialog.findChild(QLineEdit, "imapPassword").setText(password)
    dialog.findChild(QLineEdit, "imapFolders").setText(f"{server.inbox}, {server.sent}")
    dialog.findChild(QLineEdit, "mailMyAddresses").setText(ME)


def test_account_test_connection_save_and_sync(
    qtbot: QtBot,
    open_window: OpenWindow,
    demo_path: Path,
    imap_server: ImapServer,
    memory_keyring: MemoryKeyring,
) -> None:
    server = imap_server
    with sqlite3.connect(demo_path) as connection:
        person_id, address = connection.execute(
            "SELECT person_id, address FROM person_emails ORDER BY id LIMIT 1"
        ).fetchone()
    server.append(
        server.inbox,
        raw(
            f"Someone <{address}>",
            ME,
            "About the role",
            "Mon, 23 Nov 2026 09:30:00 +0000",
            "Happy to talk on Thursday.",
            message_id="known-1@x.org",
        ),
        NEWSLETTER,
    )
    memory_keyring.passwords.clear()  # the dialog is where the password comes from
    window = open_window()
    window.findChild(QAction, "mailAccountAction").trigger()
    dialog = window.findChild(MailAccountDialog, "mailAccountDialog")
    assert dialog is not None and dialog.isVisible()
    fill(dialog, server, server.port, "wrong")
    dialog.findChild(QPushButton, "testMailConnectionButton").click()
    result = dialog.findChild(QLabel, "mailTestResult")
    qtbot.waitUntil(lambda: result.text().startswith("✗"), timeout=10000)
    assert result.text() == (
        f"✗ {server.host}:{server.port} refused the user name or password for {server.user}."
    )
    dialog.findChild(QLineEdit, "imapPassword").setText(server.password)
    dialog.findChild(QPushButton, "testMailConnectionButton").click()
    qtbot.waitUntil(lambda: result.text().startswith("✓"), timeout=10000)
    assert result.text() == (
        f"✓ Connected to {server.host}:{server.port} as {server.user}: "
        f"{server.inbox} holds 2 messages, {server.sent} holds 0 messages."
    )
    dialog.accept()
    account = (imap.KEYRING_SERVICE, f"{server.user}@{server.host}")
    qtbot.waitUntil(lambda: account in memory_keyring.passwords, timeout=5000)
    assert memory_keyring.passwords[account] == server.password
    saved = window.services.paths.settings_file.read_text()
    assert server.password not in saved and '"imap_security": "starttls"' in saved
    assert window.services.settings.imap_folders == [server.inbox, server.sent]

    window.findChild(QAction, "syncMailAction").trigger()
    sync = window.mail_sync
    assert sync is not None
    qtbot.waitUntil(lambda: sync.report_box is not None and not sync.running, timeout=15000)
    box = window.findChild(QMessageBox, "mailSyncReport")
    assert box is not None and box.isVisible()
    assert box.text().startswith("Added 1 email interaction (import batch")
    assert f"{server.inbox}: 2 new messages, 1 interaction added, 0 already here, 1 bulk." in (
        box.informativeText()
    )
    assert "Added 1 email interaction (import batch" in window.statusBar().currentMessage()
    assert window.services.recent_interactions(person_id)[0].endswith("About the role")
    box.close()


def test_offline_the_sync_says_so_and_tries_again_later(
    qtbot: QtBot, open_window: OpenWindow, imap_server: ImapServer
) -> None:
    window = open_window()
    port = free_port()  # nothing listens there
    window.services.settings = imap_server.settings(port=port)
    window.sync_mail()
    sync = window.mail_sync
    assert sync is not None
    qtbot.waitUntil(lambda: not sync.running, timeout=10000)
    assert window.statusBar().currentMessage() == (
        f"Could not reach {imap_server.host}:{port} (connection refused): nothing was synced; "
        "it will be when you are online again. Trying again in 10 minutes."
    )
    assert sync.retry.isActive()
    assert window.findChild(QMessageBox, "mailSyncReport") is None  # no box to dismiss


def test_without_a_keyring_the_password_lasts_until_the_app_closes(
    qtbot: QtBot, open_window: OpenWindow, imap_server: ImapServer
) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the memory keyring fixture puts it back
    server = imap_server
    server.append(server.inbox, NEWSLETTER)
    window = open_window()
    dialog = window.open_mail_account()
    fill(dialog, server, server.port, server.password)
    dialog.accept()
    qtbot.waitUntil(
        lambda: window.findChild(QMessageBox, "mailPasswordNotKept") is not None, timeout=5000
    )
    assert window.findChild(QMessageBox, "mailPasswordNotKept").text() == (
        "There is no usable keyring on this computer, so the mail password is kept only "
        "until the app closes and never written down."
    )
    assert server.password not in window.services.paths.settings_file.read_text()
    window.sync_mail()
    sync = window.mail_sync
    assert sync is not None
    qtbot.waitUntil(lambda: sync.report_box is not None and not sync.running, timeout=15000)
    assert sync.last_report is not None and sync.last_report.mail.bulk == 1
