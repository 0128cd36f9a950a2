"""Edit → Mail account…: the IMAP account ``sync-mail`` reads, with "Test connection"; and
File → Sync mail, run behind the cancellable progress dialog (docs/mail.md).

The password field is never saved with the settings: on Save it goes to the system
keyring, and the field stays empty (it says when a password is kept).

Signals: ``MailAccountDialog.account_saved(settings)``; ``MailSync.synced(report)`` after a
sync that wrote something.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from recruiter_desk.core.imports.model import ImportCancelled
from recruiter_desk.core.mail.imap import MailOffline, SyncReport
from recruiter_desk.core.services import Services
from recruiter_desk.errors import KnownError
from recruiter_desk.settings import Settings
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.progress import ProgressRun
from recruiter_desk.ui.style import named

_PORTS = {"tls": 993, "starttls": 143}
# How many strangers the sync report names (the command line's --json lists all).
_UNKNOWN_SHOWN = 10
# How long an offline sync waits before it tries again on its own.
RETRY_MINUTES = 10


class MailAccountDialog(QDialog):
    account_saved = Signal(object)

    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mailAccountDialog")
        self.setWindowTitle("Mail account")
        self.setMinimumWidth(600)
        self._services = services
        self._executor = executor
        self._on_error = on_error
        base = services.settings

        intro = QLabel(
            "File → Sync mail reads the new mail in these folders and records each message "
            "to or from someone in your network as an email touch, as Import mail does. "
            "Only headers and text are fetched; attachments stay on the server."
        )
        intro.setWordWrap(True)
        self.host = named(QLineEdit(base.imap_host), "imapHost")
        self.host.setPlaceholderText("imap.example.com")
        self.security = named(QComboBox(), "imapSecurity")
        self.security.addItem("TLS (usually port 993)", "tls")
        self.security.addItem("STARTTLS (usually port 143)", "starttls")
        self.security.setCurrentIndex(max(self.security.findData(base.imap_security), 0))
        self.security.currentIndexChanged.connect(self._security_changed)
        self.port = named(QSpinBox(), "imapPort")
        self.port.setRange(1, 65535)
        self.port.setValue(base.imap_port)
        self.user = named(QLineEdit(base.imap_user), "imapUser")
        self.user.setPlaceholderText("usually your address")
        self.password = named(QLineEdit(), "imapPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in your system keyring, never in a file")
        self.folders = named(QLineEdit(", ".join(base.imap_folders)), "imapFolders")
        self.folders.setPlaceholderText("INBOX, Sent")
        self.addresses = named(QLineEdit(", ".join(base.my_addresses)), "mailMyAddresses")
        self.addresses.setPlaceholderText("you@example.com: mail from these is yours")
        self.test_button = named(QPushButton("Test connection"), "testMailConnectionButton")
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = named(QLabel(), "mailTestResult")
        self.result_label.setWordWrap(True)

        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("Server", self.host)
        server_row = QHBoxLayout()
        server_row.addWidget(self.security, 1)
        server_row.addWidget(QLabel("Port"))
        server_row.addWidget(self.port)
        form.addRow("Security", server_row)
        form.addRow("User name", self.user)
        form.addRow("Password", self.password)
        form.addRow("Folders to read", self.folders)
        form.addRow("Your addresses", self.addresses)
        form.addRow(self.test_button, self.result_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._executor.submit(
            lambda: self._services.has_mail_password(base), self._show_kept, self._on_error
        )

    def _show_kept(self, kept: bool) -> None:
        if kept:
            self.password.setPlaceholderText("kept in your system keyring (type to replace it)")

    def _security_changed(self) -> None:
        # Moving between the usual ports follows the mode; a port of one's own stays.
        chosen = str(self.security.currentData())
        if self.port.value() in _PORTS.values():
            self.port.setValue(_PORTS[chosen])

    def settings(self) -> Settings:
        return replace(
            self._services.settings,
            imap_host=self.host.text().strip(),
            imap_port=self.port.value(),
            imap_security=str(self.security.currentData()),
            imap_user=self.user.text().strip(),
            imap_folders=[f.strip() for f in self.folders.text().split(",") if f.strip()],
            my_addresses=[a.strip() for a in self.addresses.text().split(",") if a.strip()],
        )

    def test_connection(self) -> None:
        settings = self.settings()
        password = self.password.text() or None
        self.result_label.setText("Connecting…")
        self.test_button.setEnabled(False)
        self._executor.submit(
            lambda: self._services.test_mail_account(settings, password),
            self._tested,
            self._tested_badly,
        )

    def _tested(self, sentence: str) -> None:
        self.test_button.setEnabled(True)
        self.result_label.setText(f"✓ {sentence}")

    def _tested_badly(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        if not isinstance(error, KnownError):
            self._on_error(error)
            return
        self.result_label.setText(f"✗ {error.message}")

    def accept(self) -> None:
        settings = self.settings()
        problems = settings.problems()
        if problems:
            QMessageBox.warning(self, "Mail account", problems[0])
            return
        password = self.password.text()
        if password:
            self.password.clear()
            self._executor.submit(
                lambda: self._services.save_mail_password(settings, password),
                None,
                self._not_kept,
            )
        self.account_saved.emit(settings)
        super().accept()

    def _not_kept(self, error: BaseException) -> None:
        if not isinstance(error, KnownError):
            self._on_error(error)
            return
        opened(self.parentWidget(), "mailPasswordNotKept", "Mail account", error.message)


class MailSync(QObject):
    """File → Sync mail: one run at a time behind the progress dialog; offline, it says so
    in the status bar and tries again by itself every few minutes."""

    synced = Signal(object)
    said = Signal(str)  # one sentence for the status bar

    def __init__(
        self,
        parent: QWidget,
        services: Services,
        executor: Executor,
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._services = services
        self._executor = executor
        self._on_error = on_error
        self.run: ProgressRun | None = None
        self.last_report: SyncReport | None = None
        self.report_box: QMessageBox | None = None
        self.retry = QTimer(self)
        self.retry.setObjectName("mailSyncRetry")
        self.retry.setSingleShot(True)
        self.retry.setInterval(RETRY_MINUTES * 60 * 1000)
        self.retry.timeout.connect(self.start)

    @property
    def running(self) -> bool:
        return self.run is not None

    def start(self) -> None:
        if self.run is not None:
            return
        self.retry.stop()
        self.run = ProgressRun(
            self._parent,
            self._executor,
            "Syncing mail…",
            lambda progress, cancelled: self._services.sync_mail(
                progress=progress, cancelled=cancelled
            ),
            cancelled_errors=(ImportCancelled,),
        )
        self.run.finished.connect(self._finished)
        self.run.cancelled.connect(self._cancelled)
        self.run.failed.connect(self._failed)

    def _finished(self, report: SyncReport) -> None:
        self.run = None
        self.last_report = report
        lines = report.lines()
        folders = len(report.folders)
        self.said.emit(lines[folders])  # "Added 2 email interactions (import batch 7)."
        box = opened(
            self._parent, "mailSyncReport", "Mail synced", "\n".join(lines[folders:]), warning=False
        )
        details = lines[:folders]
        if report.mail.unknown:
            shown = report.mail.unknown[:_UNKNOWN_SHOWN]
            details.append(
                "Not in your network: "
                + "; ".join(f"{u.name} <{u.address}>" if u.name else u.address for u in shown)
                + (" …" if len(report.mail.unknown) > len(shown) else "")
                + ". Add the ones you want with Edit → New person…; their next mail is recorded."
            )
        box.setInformativeText("\n\n".join(details))
        self.report_box = box
        if report.mail.added or report.mail.people_added:
            self.synced.emit(report)

    def _cancelled(self) -> None:
        self.run = None
        self.said.emit(
            "Mail sync cancelled: what was read so far is kept, and the next sync goes on "
            "from there."
        )

    def _failed(self, error: BaseException) -> None:
        self.run = None
        if isinstance(error, MailOffline):
            self.said.emit(f"{error.message} Trying again in {RETRY_MINUTES} minutes.")
            self.retry.start()
        elif isinstance(error, KnownError):
            self.said.emit(error.message)
            self.report_box = opened(self._parent, "mailSyncReport", "Sync mail", error.message)
        else:
            self._on_error(error)


def opened(
    parent: QWidget | None, name: str, title: str, text: str, *, warning: bool = True
) -> QMessageBox:
    """A message box shown without blocking (the sync and the keyring answer later)."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.setText(text)
    # Wide enough that a folder's line of counts reads as one line.
    box.setStyleSheet(
        "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 480px; }"
    )
    box.open()
    return box
