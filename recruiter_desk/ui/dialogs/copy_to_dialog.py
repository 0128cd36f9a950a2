"""File → Copy to team database…: ``copy-to`` in the window (docs/team.md, "Moving to the team").

The address and the password are two fields: a password typed or pasted into the address is
moved into the masked field at once, so it is never shown; left empty, the keyring or
~/.pgpass supplies it. The copy runs on the worker behind the cancellable progress dialog;
the verified counts, or the one sentence of what went wrong, are shown in this dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.services import Services
from recruiter_desk.core.team import copy_summary, split_password, with_password
from recruiter_desk.errors import KnownError
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.progress import ProgressRun
from recruiter_desk.ui.style import named


class CopyToDialog(QDialog):
    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("copyToDialog")
        self.setWindowTitle("Copy to team database")
        self.setMinimumWidth(620)
        self._services = services
        self._executor = executor
        self._on_error = on_error
        self.run: ProgressRun | None = None
        self.report: Any = None

        intro = QLabel(
            "Copies this whole network into an empty database — your team's PostgreSQL "
            "server, or a new SQLite file — in one transaction, then checks every row. "
            "Nothing is kept there unless every table matches; this database is not changed."
        )
        intro.setWordWrap(True)
        self.address = named(QLineEdit(), "copyToAddress")
        self.address.setPlaceholderText("postgresql+psycopg://you@server:5432/team")
        self.address.editingFinished.connect(self._take_password)
        self.password = named(QLineEdit(), "copyToPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("empty: from the keyring or ~/.pgpass")
        form = QFormLayout()
        form.addRow("Team database:", self.address)
        form.addRow("Password:", self.password)

        self.note = named(QLabel(), "copyToNote")
        self.note.setWordWrap(True)
        self.tables = named(QTableWidget(0, 2), "copyToTables")
        self.tables.setHorizontalHeaderLabels(["Table", "Rows copied and checked"])
        self.tables.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.tables.verticalHeader().setVisible(False)
        self.tables.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tables.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tables.setVisible(False)

        buttons = QDialogButtonBox()
        self.copy_button = named(QPushButton("Copy"), "copyToButton")
        self.copy_button.setDefault(True)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.copy_button.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.tables)
        layout.addWidget(buttons)

    def _take_password(self) -> None:
        bare, password = split_password(self.address.text().strip())
        if password:
            self.address.setText(bare)
            self.password.setText(password)

    def start(self) -> ProgressRun | None:
        """Start the copy (the Copy button); the run, or None when there is no address."""
        self._take_password()
        address = self.address.text().strip()
        if not address:
            self.note.setText("Type the team database's address (or a path for a new SQLite file).")
            return None
        location = with_password(address, self.password.text())
        self.note.setText("")
        self.tables.setVisible(False)
        self.copy_button.setEnabled(False)
        services = self._services
        run = ProgressRun(
            self,
            self._executor,
            "Copying to the team database…",
            lambda progress, cancelled: services.copy_to(location, progress, cancelled),
        )
        run.finished.connect(self._copied)
        run.cancelled.connect(self._cancelled)
        run.failed.connect(self._failed)
        self.run = run
        return run

    def _copied(self, report: Any) -> None:
        self.report = report
        self.copy_button.setEnabled(True)
        self.note.setText(copy_summary(report))
        self.tables.setRowCount(len(report.tables))
        for row, table in enumerate(report.tables):
            self.tables.setItem(row, 0, QTableWidgetItem(table.name))
            rows = QTableWidgetItem(f"{table.rows:,}")
            rows.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tables.setItem(row, 1, rows)
        self.tables.setVisible(True)

    def _cancelled(self) -> None:
        self.copy_button.setEnabled(True)
        self.note.setText("Cancelled: nothing was copied, the team database is as it was.")

    def _failed(self, error: BaseException) -> None:
        self.copy_button.setEnabled(True)
        if isinstance(error, KnownError):
            # A wrong address or an unreachable server: say so here, where it can be fixed.
            self.note.setText(error.message)
            return
        self._on_error(error)
