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
