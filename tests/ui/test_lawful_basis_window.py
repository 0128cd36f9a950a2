"""The person panel shows each person's lawful basis and changes it."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from recruiter_desk.ui.models.people_model import PERSON_ID_ROLE
from recruiter_desk.ui.widgets.lawful_basis import LawfulBasisDialog
from tests.ui.conftest import OpenWindow


def test_the_panel_shows_and_changes_the_lawful_basis(
    qtbot: QtBot, open_window: OpenWindow, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    view = window.people_view
    view.table.selectRow(1)
    person_id = view.model.index(1, 0).data(PERSON_ID_ROLE)
    label = view.panel.findChild(QLabel, "lawfulBasisLabel")
    button = view.panel.findChild(QPushButton, "lawfulBasisButton")
    qtbot.waitUntil(lambda: label.text() == "No lawful basis recorded.")

    def choose(dialog: LawfulBasisDialog) -> int:
        dialog.basis.setCurrentIndex(dialog.basis.findData("consent"))
        dialog.since.setDate(QDate(2026, 3, 1))
        dialog.expires_check.setChecked(True)
        dialog.expires.setDate(QDate(2027, 3, 1))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LawfulBasisDialog, "exec", choose)
    button.click()
    qtbot.waitUntil(lambda: label.text() == "Consent since 2026-03-01, consent ends on 2027-03-01.")
    connection = sqlite3.connect(demo_path)
    row = connection.execute(
        "SELECT lawful_basis, lawful_basis_on, consent_expires_on FROM people WHERE id = ?",
        (person_id,),
    ).fetchone()
    connection.close()
    assert row == ("consent", str(date(2026, 3, 1)), str(date(2027, 3, 1)))
