"""The import and export dialogs, as a recruiter uses them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from recruiter_desk.core.people import PeopleQuery
from recruiter_desk.ui import crash
from recruiter_desk.ui.dialogs.import_dialog import ImportDialog
from tests.core.test_import_regressions import CONNECTIONS, json_export
from tests.locales import german_month_names
from tests.ui.conftest import OpenWindow
from tests.ui.test_people_window import wait_for_count

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


@pytest.fixture
def crashes(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    shown: list[BaseException] = []
    monkeypatch.setattr(crash, "show_crash", lambda error, _parent=None: shown.append(error))
    return shown


def checked(qtbot: QtBot, dialog: ImportDialog, path: Path) -> str:
    dialog.set_files([path])
    qtbot.waitUntil(lambda: dialog.dry_run_button.isEnabled(), timeout=10000)
    dialog.start(dry_run=True)
    qtbot.waitUntil(lambda: "Dry run" in dialog.summary.toPlainText(), timeout=10000)
    return dialog.summary.toPlainText()


def test_dry_run_of_a_json_export_names_who_would_be_added(
    qtbot: QtBot,
    open_window: OpenWindow,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    crashes: list[BaseException],
) -> None:
    export = json_export(tmp_path, capsys)
    window = open_window()
    summary = checked(qtbot, window.open_import(), export)
    assert crashes == []
    assert "2 added, 0 updated" in summary
    would_add = next(line for line in summary.splitlines() if "Would add:" in line)
    assert sorted(would_add.split(": ", 1)[1].split(", ")) == ["Ana Silva", "Ben Okafor"]
    window.people_view.refresh()
    wait_for_count(qtbot, window, 120)


def test_linkedin_dates_import_under_a_german_desktop(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    file = tmp_path / "Connections.csv"
    file.write_text(CONNECTIONS, encoding="utf-8")
    window = open_window()
    dialog = window.open_import()
    with german_month_names():
        dialog.set_files([file])
        qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
        with qtbot.waitSignal(dialog.import_finished, timeout=5000):
            dialog.start(dry_run=False)
    summary = dialog.summary.toPlainText()
    assert "2 added" in summary and "line" not in summary, summary
    assert "Added: Lena Vogel, Jonas Beck" in summary


def test_one_field_from_several_columns_is_refused_before_any_run(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text("A,B,C,D\nAna,Silva,Lisbon,Arbor\n", encoding="utf-8")
    window = open_window()
    dialog = window.open_import()
    dialog.set_files([file])
    qtbot.waitUntil(lambda: dialog.mapping.rowCount() == 4)
    for row in range(4):
        combo = dialog.mapping.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData("full_name"))
    dialog.start(dry_run=True)
    assert dialog.run is None
    assert dialog.summary.toPlainText().startswith(
        "4 columns ('a', 'b', 'c', 'd') are mapped to 'full name'; choose one column for it."
    )


def test_a_bad_file_clears_the_previous_mapping(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, crashes: list[BaseException]
) -> None:
    window = open_window()
    dialog = window.open_import()
    dialog.set_files([FIXTURES / "generic_needs_map.csv"])
    qtbot.waitUntil(lambda: dialog.mapping.rowCount() > 0)
    assert not dialog.mapping.isHidden()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    dialog.set_files([empty])
    qtbot.waitUntil(lambda: "empty" in dialog.summary.toPlainText())
    assert dialog.mapping.rowCount() == 0 and dialog.mapping.isHidden()
    assert dialog.mapping_choice() == {}
    assert not dialog.import_button.isEnabled() and crashes == []


def test_vcard_version_is_only_offered_for_vcards(open_window: OpenWindow) -> None:
    dialog = open_window().open_export()
    for index in range(dialog.format.count()):
        dialog.format.setCurrentIndex(index)
        is_vcard = dialog.format.currentData() == "vcard"
        assert dialog.vcard_version.isEnabled() == is_vcard, dialog.format.currentText()


def test_a_column_set_to_not_imported_stays_out(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text("Name,Email,Company\nZed Quill,zed@quill.example,Quill Ltd\n", "utf-8")
    window = open_window()
    dialog = window.open_import()
    dialog.set_files([file])
    qtbot.waitUntil(lambda: dialog.mapping.rowCount() == 3)
    company = dialog.mapping.cellWidget(2, 2)
    assert company.currentData() == "company"  # guessed from the header
    company.setCurrentIndex(0)  # — not imported —
    with qtbot.waitSignal(dialog.import_finished, timeout=10000):
        dialog.start(dry_run=False)
    (zed,) = [
        row
        for row in window.services.people_rows(window.services.people_ids(PeopleQuery()))
        if row.full_name == "Zed Quill"
    ]
    assert zed.company == ""
