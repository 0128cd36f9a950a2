"""File → Import calendar…: .ics files become meeting touches, with the mail import's
dialog (pick files and folders, progress, the report, the attendees not in the network).

Signal: ``mail_imported(report)`` (the mail dialog's) after each import that wrote something.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from recruiter_desk.core.mail.calendar import summary_lines
from recruiter_desk.core.services import Services
from recruiter_desk.ui.dialogs.mail_dialog import MailImportDialog
from recruiter_desk.ui.executor import Executor


class CalendarImportDialog(MailImportDialog):
    progress_title = "Importing calendar…"
    theirs = "their meetings"
    cancelled_text = (
        "Cancelled: the calendar being read was not imported (those finished before it were)."
    )

    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: object,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, executor, on_error, parent)
        self.setObjectName("calendarImportDialog")
        self.setWindowTitle("Import calendar")
        mine = ", ".join(services.settings.my_addresses) or "none set (Edit → Settings…)"
        self.intro.setText(
            "Meetings held with people in your network become meeting touches, once per "
            "occurrence of a recurring meeting, up to now: .ics files or folders of them "
            "(Google Calendar, Outlook, Apple Calendar, invitations saved from mail). "
            "Cancelled meetings, rooms and declined invitations are left out. "
            f"Your addresses: {mine}."
        )
        self.import_button.setObjectName("importCalendarButton")
        self.unknown_label.setText(
            "Attendees not in your network (rooms and no-reply addresses are never listed):"
        )
        self.unknown.setHorizontalHeaderLabels(["Address", "Name", "Meetings"])

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Calendar files", str(Path.home()), "Calendars (*.ics);;All files (*)"
        )
        self.set_paths([*self.paths, *(Path(n) for n in names)])

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Calendar folder", str(Path.home()))
        if name:
            self.set_paths([*self.paths, Path(name)])

    def run_import(
        self, paths: list[Path], add_unknown: bool, progress: Any, cancelled: Any
    ) -> Any:
        return self._services.import_calendar(
            paths, add_unknown=add_unknown, progress=progress, cancelled=cancelled
        )

    def report_lines(self, report: Any) -> list[str]:
        return summary_lines(report)
