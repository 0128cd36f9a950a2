"""File → Import mail…: pick mail files and folders, import them behind the progress
dialog, read the report, and add the unknown correspondents with one button.

Signal: ``mail_imported(report)`` after each import that wrote something.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.imports.model import ImportCancelled
from recruiter_desk.core.mail.importer import MailReport, summary_lines
from recruiter_desk.core.services import Services
from recruiter_desk.core.wording import count
from recruiter_desk.errors import KnownError
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.progress import ProgressRun
from recruiter_desk.ui.style import named


class MailImportDialog(QDialog):
    mail_imported = Signal(object)

    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: object,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mailImportDialog")
        self.setWindowTitle("Import mail")
        self.resize(760, 560)
        self._services = services
        self._executor = executor
        self._on_error = on_error
        self.paths: list[Path] = []
        self.run: ProgressRun | None = None
        self.last_report: MailReport | None = None

        mine = ", ".join(services.settings.my_addresses) or "none set (Edit → Settings…)"
        self.intro = intro = QLabel(
            "Mail to and from the people in your network becomes email touches: .eml files "
            "or folders of them, mbox files (Thunderbird, Gmail Takeout, Apple Mail) and "
            f"Maildir folders. Include your Sent mail. Your addresses: {mine}."
        )
        intro.setWordWrap(True)
        self.paths_label = named(QLabel("Nothing chosen yet."), "mailPaths")
        self.paths_label.setWordWrap(True)
        add_files = named(QPushButton("Add files…"), "addMailFilesButton")
        add_files.clicked.connect(self._choose_files)
        add_folder = named(QPushButton("Add folder…"), "addMailFolderButton")
        add_folder.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.paths_label, 1)
        row.addWidget(add_files)
        row.addWidget(add_folder)

        self.summary = named(QPlainTextEdit(), "mailReport")
        self.summary.setReadOnly(True)
        self.unknown_label = QLabel("Not in your network (bulk senders are never listed):")
        self.unknown = named(QTableWidget(0, 3), "unknownCorrespondents")
        self.unknown.setHorizontalHeaderLabels(["Address", "Name", "Messages"])
        self.unknown.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.unknown.verticalHeader().setVisible(False)
        self.unknown.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.add_unknown = named(QPushButton("Add them and their mail"), "addUnknownButton")
        self.add_unknown.clicked.connect(lambda: self.start(add_unknown=True))
        self.import_button = named(QPushButton("Import"), "importMailButton")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(lambda: self.start())
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_unknown)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.unknown_label)
        layout.addWidget(self.unknown, 1)
        layout.addLayout(buttons)
        self._show_unknown(None)
        self._set_ready(True)

    def set_paths(self, paths: list[Path]) -> None:
        self.paths = list(dict.fromkeys(paths))
        self.paths_label.setText(
            "\n".join(str(p) for p in self.paths) if self.paths else "Nothing chosen yet."
        )
        self._set_ready(True)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Mail files", str(Path.home()), "Mail (*.eml *.mbox *.mbx);;All files (*)"
        )
        self.set_paths([*self.paths, *(Path(n) for n in names)])

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Mail folder", str(Path.home()))
        if name:
            self.set_paths([*self.paths, Path(name)])

    def _set_ready(self, ready: bool) -> None:
        self.import_button.setEnabled(ready and bool(self.paths))
        self.add_unknown.setEnabled(
            ready and self.last_report is not None and bool(self.last_report.unknown)
        )

    def start(self, add_unknown: bool = False) -> None:
        if not self.paths:
            return
        paths = list(self.paths)
        self._set_ready(False)
        self.run = ProgressRun(
            self,
            self._executor,
            self.progress_title,
            lambda progress, cancelled: self.run_import(paths, add_unknown, progress, cancelled),
            cancelled_errors=(ImportCancelled,),
        )
        self.run.finished.connect(self._finished)
        self.run.cancelled.connect(self._cancelled)
        self.run.failed.connect(self._failed)

    # What differs for another kind of file (the calendar import's dialog overrides these).
    progress_title = "Importing mail…"
    theirs = "their mail"
    cancelled_text = (
        "Cancelled: the mailbox being read was not imported (those finished before it were)."
    )

    def run_import(
        self, paths: list[Path], add_unknown: bool, progress: Any, cancelled: Any
    ) -> Any:
        """On the worker: the import itself, returning its report."""
        return self._services.import_mail(
            paths, add_unknown=add_unknown, progress=progress, cancelled=cancelled
        )

    def report_lines(self, report: Any) -> list[str]:
        return summary_lines(report)

    def _finished(self, report: MailReport) -> None:
        self.last_report = report
        self.summary.setPlainText("\n".join(self.report_lines(report)))
        self._show_unknown(report)
        self._set_ready(True)
        if report.added or report.people_added:
            self.mail_imported.emit(report)

    def _show_unknown(self, report: MailReport | None) -> None:
        unknown = report.unknown if report is not None else ()
        self.unknown.setRowCount(len(unknown))
        for row, person in enumerate(unknown):
            for column, value in enumerate((person.address, person.name, str(person.messages))):
                self.unknown.setItem(row, column, QTableWidgetItem(value))
        shown = bool(unknown)
        self.unknown_label.setVisible(shown)
        self.unknown.setVisible(shown)
        self.add_unknown.setVisible(shown)
        if shown:
            self.add_unknown.setText(f"Add {count(len(unknown), 'person')} and {self.theirs}")

    def _cancelled(self) -> None:
        self._set_ready(True)
        self.summary.setPlainText(self.cancelled_text)

    def _failed(self, error: BaseException) -> None:
        self._set_ready(True)
        if isinstance(error, KnownError):
            self.summary.setPlainText(str(error))
        else:
            self._on_error(error)  # type: ignore[operator]
