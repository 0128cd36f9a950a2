"""File → Copy to team database…: the demo network copied from the window into an empty
database on a real PostgreSQL server, the password never shown, cancellable, the verified
counts reported. Skips, saying why, without a server (tests/pg.py); fails instead under
RECRUITER_DESK_REQUIRE_SERVICES=1 (CI)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.engine import make_url

from recruiter_desk.db.open import open_database
from recruiter_desk.ui.dialogs.copy_to_dialog import CopyToDialog
from recruiter_desk.ui.main_window import MainWindow
from tests.ui.conftest import OpenWindow


@pytest.fixture
def empty_server_database() -> Iterator[str]:
    from tests import pg

    url = pg.empty_database(pg.server_url())
    yield url
    pg.drop_database(url)


def _people_on(url: str) -> int:
    database = open_database(url, daily_backup=False)
    try:
        with database.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM people")).scalar_one())
    finally:
        database.close()


def _open_dialog(window: MainWindow) -> CopyToDialog:
    window.findChild(QAction, "copyToAction").trigger()
    dialog = window.dialogs["copy-to"]
    assert isinstance(dialog, CopyToDialog) and dialog.isVisible()
    return dialog


def test_copy_to_a_team_database_from_the_window(
    qtbot: QtBot, open_window: OpenWindow, empty_server_database: str
) -> None:
    window = open_window()
    dialog = _open_dialog(window)
    url = make_url(empty_server_database)
    password = str(url.password)
    assert password
    address = dialog.findChild(QLineEdit, "copyToAddress")
    masked = dialog.findChild(QLineEdit, "copyToPassword")
    note = dialog.findChild(QLabel, "copyToNote")

    # A pasted address loses its password to the masked field at once.
    address.setText(empty_server_database)
    address.editingFinished.emit()
    assert password not in address.text() and "@127.0.0.1" in address.text()
    assert masked.text() == password
    assert masked.echoMode() == QLineEdit.EchoMode.Password

    # Cancelled: nothing is kept on the server.
    run = dialog.start()
    assert run is not None
    run.dialog.canceled.emit()  # as the Cancel button does, before the worker starts
    qtbot.waitUntil(lambda: "Cancelled" in note.text(), timeout=20000)
    assert _people_on(empty_server_database) == 0

    # The copy: verified counts, table by table, and the password nowhere on screen.
    dialog.findChild(QPushButton, "copyToButton").click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60000)
    progress = dialog.run
    assert progress is not None
    qtbot.waitUntil(lambda: bool(progress.fractions), timeout=5000)  # the progress dialog moved
    assert note.text().startswith("Copied ") and "checked row by row" in note.text()
    assert "***" in note.text() and password not in note.text()
    tables = dialog.findChild(QTableWidget, "copyToTables")
    shown = {
        tables.item(row, 0).text(): tables.item(row, 1).text() for row in range(tables.rowCount())
    }
    assert shown["people"] == "120"
    assert _people_on(empty_server_database) == 120
    assert int(shown["interactions"].replace(",", "")) > 0

    # Copying again into what is no longer empty: one sentence, in the dialog.
    dialog.findChild(QPushButton, "copyToButton").click()
    qtbot.waitUntil(lambda: "is not empty" in note.text(), timeout=20000)
    assert _people_on(empty_server_database) == 120


def test_an_unreachable_server_is_one_sentence_in_the_dialog(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    dialog = _open_dialog(window)
    dialog.findChild(QLineEdit, "copyToAddress").setText(
        "postgresql+psycopg://ana:s3cret-pw@127.0.0.1:1/team"
    )
    note = dialog.findChild(QLabel, "copyToNote")
    dialog.findChild(QPushButton, "copyToButton").click()
    qtbot.waitUntil(lambda: "cannot be reached" in note.text(), timeout=20000)
    assert "s3cret-pw" not in note.text() + dialog.findChild(QLineEdit, "copyToAddress").text()
    assert dialog.report is None
