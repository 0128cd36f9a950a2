"""Settings → Encryption at rest: encrypt and decrypt the open database from the window."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from recruiter_desk.db import encryption
from recruiter_desk.ui.main_window import MainWindow
from recruiter_desk.ui.widgets.encryption_row import EncryptionRow
from tests.mail_server import MemoryKeyring
from tests.ui.conftest import OpenWindow


@pytest.fixture(autouse=True)
def fresh_keys() -> Iterator[None]:
    encryption._KEYS.clear()
    yield
    encryption._KEYS.clear()


@pytest.fixture
def yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    return asked


def _row(qtbot: QtBot, window: MainWindow) -> EncryptionRow:
    dialog = window.settings_dialog()
    row = dialog.findChild(EncryptionRow)
    assert row is not None
    qtbot.waitUntil(row.button.isEnabled, timeout=5000)
    return row


def _readable_without_a_key(path: Path) -> bool:
    try:
        sqlite3.connect(path).execute("SELECT count(*) FROM people").fetchone()
    except sqlite3.DatabaseError:
        return False
    return True


def test_encrypt_then_decrypt_from_settings_with_the_keyring(
    qtbot: QtBot,
    open_window: OpenWindow,
    demo_path: Path,
    memory_keyring: MemoryKeyring,
    yes: list[str],
) -> None:
    window = open_window()
    people = window.people_view.model.rowCount()
    row = _row(qtbot, window)
    assert row.state_label.text().startswith("Not encrypted")
    assert row.button.text() == "Encrypt…"

    row.button.click()
    qtbot.waitUntil(lambda: row.button.text() == "Decrypt…", timeout=10000)
    assert "The key is kept in the system keyring." in yes[0]
    assert row.state_label.text() == (
        "Done. Encrypted with SQLCipher; the key is in the system keyring."
    )
    assert (encryption.KEYRING_SERVICE, encryption.KEYRING_ACCOUNT) in memory_keyring.passwords
    assert not _readable_without_a_key(demo_path)
    run = row.run
    assert run is not None
    qtbot.waitUntil(lambda: bool(run.fractions) and run.fractions[-1] == 1.0)
    # The window goes on working on the encrypted file.
    window.people_view.search_box.setText("")
    window.refresh()
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == people, timeout=5000)
    assert window.services.counts().people == people

    row.button.click()
    qtbot.waitUntil(lambda: row.button.text() == "Encrypt…", timeout=10000)
    assert _readable_without_a_key(demo_path)
    assert window.services.counts().people == people


def test_cancelling_leaves_the_database_as_it_was(
    qtbot: QtBot,
    open_window: OpenWindow,
    demo_path: Path,
    memory_keyring: MemoryKeyring,
    yes: list[str],
) -> None:
    window = open_window()
    row = _row(qtbot, window)
    row.button.click()
    assert row.run is not None
    row.run.token.cancel()  # as the Cancel button does, before the worker starts
    qtbot.waitUntil(lambda: row.state_label.text().startswith("Cancelled"), timeout=10000)
    assert row.state_label.text() == (
        "Cancelled; nothing was changed. Not encrypted: anyone who can read the file can "
        "read your network."
    )
    assert _readable_without_a_key(demo_path)
    assert [p.name for p in demo_path.parent.glob(".*converting*")] == []
    assert window.services.counts().people > 0


def test_without_a_keyring_a_passphrase_is_chosen_in_the_window(
    qtbot: QtBot,
    open_window: OpenWindow,
    demo_path: Path,
    yes: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        window = open_window()
        row = _row(qtbot, window)
        typed = iter(["correct horse battery", "correct horse battery"])
        monkeypatch.setattr(QInputDialog, "getText", lambda *_a: (next(typed), True))
        row.button.click()
        qtbot.waitUntil(lambda: row.button.text() == "Decrypt…", timeout=10000)
        assert "you choose a passphrase" in yes[0]
        assert "passphrase is asked for at every start" in row.state_label.text()
        encryption._KEYS.clear()  # as a new process: only the passphrase opens it
        monkeypatch.setenv(encryption.PASSPHRASE_VARIABLE, "correct horse battery")
        opened = encryption.known_connector(demo_path) or encryption.connector_for(demo_path)
        connection = opened(str(demo_path))
        assert connection.execute("SELECT count(*) FROM people").fetchone()[0] > 0
        connection.close()
    finally:
        keyring.set_keyring(previous)
