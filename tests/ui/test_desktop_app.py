"""The desktop app as a recruiter meets it: the export dialog's formats, About, smoke test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import OpenWindow


def test_export_dialog_offers_google_and_outlook(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    dialog = open_window().open_export()
    offered = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert {"google", "outlook", "vcard", "ics", "todo"} <= set(offered)
    assert dialog.vcard_version.currentText() == "3.0"
    dialog.scope_all.setChecked(True)
    dialog.format.setCurrentIndex(offered.index("csv"))
    assert not dialog.include_do_not_contact.isEnabled()  # the spreadsheet holds everyone
    dialog.format.setCurrentIndex(offered.index("google"))
    assert dialog.include_do_not_contact.isEnabled()
    target = tmp_path / "google.csv"
    with qtbot.waitSignal(dialog.export_finished, timeout=5000):
        dialog.export_to(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert "E-mail 1 - Value" in rows[0] and "Labels" in rows[0]
    assert rows and not any("Do not contact" in r["Labels"] for r in rows)
    assert f"Exported {len(rows)} people to" in dialog.result_label.text()


def test_about_names_version_database_qt_and_python(open_window: OpenWindow) -> None:
    import platform

    from PySide6.QtCore import qVersion

    from recruiter_desk import __version__

    window = open_window()
    text = window.about_text()
    assert f"Recruiter Desk {__version__}" in text
    assert window.services.database.display_location in text
    assert f"Qt {qVersion()}" in text and f"Python {platform.python_version()}" in text
    assert window.windowTitle() == "Recruiter Desk" and not window.windowIcon().isNull()


def test_smoke_test_shows_every_view_and_exits_0(tmp_path: Path) -> None:
    from tests.cli.helpers import run

    result = run("--smoke-test", home=tmp_path / "home")
    shown = result.stdout.removeprefix("Smoke test passed: ").split(" shown")[0].split(", ")
    assert {"todayView", "peopleView", "timelineView", "composeView"} <= set(shown)
    # The user's database is never touched: the smoke test opens its own, then removes it.
    assert not list((tmp_path / "home").rglob("*.sqlite3*"))
