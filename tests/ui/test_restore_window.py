"""Restore… from the window: the same routine as the command line, then fresh views."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recruiter_desk.app import main
from recruiter_desk.ui.models.people_model import PERSON_ID_ROLE
from tests.old_schema import database_at_0001
from tests.ui.conftest import OpenWindow, rows_loaded


def test_restoring_an_older_schema_backup_migrates_it_and_reloads_the_list(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    errors: list[BaseException] = []
    monkeypatch.setattr(window, "report_error", errors.append)
    old = database_at_0001(
        tmp_path / "old.sqlite3", [("Zofia", "Nowak"), ("Ana", "Lima"), ("Ben", "Okafor")]
    )
    window.restore_from(old)
    model = window.people_view.model

    def names() -> set[str]:
        return {model.index(row, 0).data() for row in range(model.rowCount())}

    expected = {"Zofia Nowak", "Ana Lima", "Ben Okafor"}
    qtbot.waitUntil(lambda: rows_loaded(window) and names() == expected, timeout=5000)
    assert errors == []
    # The list keeps working after the restore: a search needs the upgraded schema too.
    window.people_view.search_box.setText("zofia")
    qtbot.waitUntil(lambda: model.rowCount() == 1 and rows_loaded(window), timeout=5000)
    assert model.index(0, 0).data(PERSON_ID_ROLE) == 1
    assert errors == []


def test_the_command_line_will_not_restore_under_an_open_window(
    open_window: OpenWindow, demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    window = open_window()
    copy = window.services.backup()
    assert main(["--db", str(demo_path), "restore", str(copy)]) == 1
    assert "while a Recruiter Desk window has it open" in capsys.readouterr().err
    window.close()
    assert main(["--db", str(demo_path), "restore", str(copy)]) == 0
