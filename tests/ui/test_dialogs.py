"""Find duplicates, export, settings and restore, from the window."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recruiter_desk.core.records import PersonFields
from recruiter_desk.settings import Settings
from recruiter_desk.ui.models.people_model import PERSON_ID_ROLE
from tests.ui.conftest import OpenWindow, rows_loaded


def test_find_duplicates_and_merge(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    services = window.services
    first = services.save_person(
        None, PersonFields(first_name="Ana", last_name="Twin", emails=["ana.twin@example.com"])
    )
    services.save_person(
        None,
        PersonFields(
            first_name="Ana",
            last_name="Twin",
            emails=["ANA.TWIN@example.com", "a@two.example"],
            phones=["+1 555"],
        ),
    )
    window.refresh()
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == 122)
    dialog = window.find_duplicates()
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1)
    row = next(
        r
        for r in range(dialog.table.rowCount())
        if dialog.table.item(r, 0).text().startswith("Ana Twin")
    )
    assert dialog.table.item(row, 2).text().startswith("same email")
    dialog.table.selectRow(row)
    monkeypatch.setattr(dialog, "confirm", lambda _pairs: True)
    with qtbot.waitSignal(dialog.merged, timeout=3000):
        dialog.merge_selected()
    qtbot.waitUntil(lambda: window.people_view.model.rowCount() == 121)
    fields = services.person_fields(first)
    assert fields.emails == ["ana.twin@example.com", "a@two.example"]
    assert fields.phones == ["+1 555"]


def test_export_the_selection(qtbot: QtBot, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window()
    view = window.people_view
    qtbot.waitUntil(lambda: rows_loaded(window))
    view.table.selectRow(0)
    chosen = view.model.index(0, 0).data(PERSON_ID_ROLE)
    dialog = window.open_export()
    assert dialog.scope_selection.isChecked()
    target = tmp_path / "one.csv"
    with qtbot.waitSignal(dialog.export_finished, timeout=5000):
        dialog.export_to(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [str(chosen)]
    assert "Exported 1 person to" in dialog.result_label.text()
    dialog.scope_all.setChecked(True)
    with qtbot.waitSignal(dialog.export_finished, timeout=5000):
        dialog.export_to(target)
    assert len(list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))) == 121


def test_settings_are_saved_and_change_warmth(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: "cold" in window.counts_label.text())
    before = window.counts_label.text()

    def cold(text: str) -> int:
        return int(text.split("·")[1].split()[0].replace(",", ""))

    window.apply_settings(Settings(default_cadence_days=3650, active_cadence_days=3650))
    qtbot.waitUntil(lambda: window.counts_label.text() != before)
    # Only people with a cadence of their own can still be cold.
    assert cold(window.counts_label.text()) < cold(before) // 3
    saved = Settings.load(window.services.paths.settings_file)
    assert saved.default_cadence_days == 3650


def test_restore_a_backup_from_the_window(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    errors: list[BaseException] = []
    monkeypatch.setattr(window, "report_error", errors.append)
    model = window.people_view.model
    backup = window.services.backup()
    deleted = model.person_id(0)
    window.people_view.table.selectRow(0)
    window.people_view.delete_selection(confirm=False)
    qtbot.waitUntil(lambda: model.rowCount() == 119)
    assert model.row_of(deleted) is None
    window.restore_from(backup)
    qtbot.waitUntil(lambda: model.rowCount() == 120, timeout=5000)
    assert model.row_of(deleted) == 0
    assert errors == []
