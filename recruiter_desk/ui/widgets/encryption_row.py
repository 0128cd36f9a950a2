"""Settings → Encryption at rest: encrypt or decrypt the open database in place.

The conversion is ``encrypt``'s (a verified copy, then an atomic swap), run on the executor
behind a cancellable progress dialog; the key goes to the OS keyring, or, where none is
usable, a passphrase is asked for here and must be given at every start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.ui.progress import ProgressRun
from recruiter_desk.ui.style import named

if TYPE_CHECKING:
    from collections.abc import Callable

    from recruiter_desk.core.services import EncryptionState, Services
    from recruiter_desk.ui.executor import Executor


class EncryptionRow(QWidget):
    """Signals: ``converted(encrypted)`` once the database was encrypted or decrypted."""

    converted = Signal(bool)

    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._executor = executor
        self._on_error = on_error
        self._state: EncryptionState | None = None
        self.run: ProgressRun | None = None
        self.state_label = named(QLabel("…"), "encryptionState")
        self.state_label.setWordWrap(True)
        self.button = named(QPushButton("Encrypt…"), "encryptionButton")
        self.button.setEnabled(False)
        self.button.clicked.connect(self.convert)
        # The state is a sentence: it needs the width of a line, with the button below it.
        # (A wrapped label in a form row is not given the height of its second line.)
        self.state_label.setMinimumWidth(340)
        self.state_label.setMinimumHeight(self.state_label.fontMetrics().lineSpacing() * 2 + 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        executor.submit(services.encryption_state, self._show, on_error)

    def _show(self, state: EncryptionState, note: str = "") -> None:
        self._state = state
        if not state.is_file:
            text = "A server database is protected by its server."
        elif state.encrypted:
            text = "Encrypted with SQLCipher; " + (
                "the key is in the system keyring."
                if state.keyring
                else "its passphrase is asked for at every start."
            )
        else:
            text = "Not encrypted: anyone who can read the file can read your network."
        self.state_label.setText(f"{note} {text}".strip())
        self.button.setText("Decrypt…" if state.encrypted else "Encrypt…")
        self.button.setEnabled(state.is_file)

    def convert(self) -> None:
        state = self._state
        if state is None or not state.is_file:
            return
        encrypt = not state.encrypted
        if not self._confirm(encrypt, state.keyring):
            return
        passphrase = None
        if encrypt and not state.keyring:
            passphrase = self._new_passphrase()
            if passphrase is None:
                return
        self.button.setEnabled(False)
        title = "Encrypting the database…" if encrypt else "Decrypting the database…"
        services = self._services
        self.run = ProgressRun(
            self,
            self._executor,
            title,
            lambda progress, cancelled: services.set_encryption(
                encrypt, passphrase, progress, cancelled
            ),
        )
        self.run.finished.connect(self._converted)
        self.run.cancelled.connect(self._cancelled)
        self.run.failed.connect(self._failed)

    def _confirm(self, encrypt: bool, keyring: bool) -> bool:
        if encrypt:
            text = (
                "Encrypt the database now? A verified encrypted copy replaces it; backups "
                "made from now on are encrypted too. "
                + (
                    "The key is kept in the system keyring."
                    if keyring
                    else "No keyring is usable here: you choose a passphrase, and must give "
                    "it at every start. Without it the data cannot be read."
                )
            )
        else:
            text = (
                "Decrypt the database now? A verified plain copy replaces it; anyone who can "
                "read the file can then read your network."
            )
        answer = QMessageBox.question(
            self,
            "Encryption at rest",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _new_passphrase(self) -> str | None:
        first, ok = QInputDialog.getText(
            self, "Encryption at rest", "New passphrase:", QLineEdit.EchoMode.Password
        )
        if not ok or not first:
            return None
        again, ok = QInputDialog.getText(
            self, "Encryption at rest", "The same passphrase again:", QLineEdit.EchoMode.Password
        )
        if not ok:
            return None
        if again != first:
            QMessageBox.warning(
                self, "Encryption at rest", "The two passphrases differ; nothing was changed."
            )
            return None
        return first

    def _converted(self, state: EncryptionState) -> None:
        self._show(state, "Done.")
        self.converted.emit(state.encrypted)

    def _cancelled(self) -> None:
        if self._state is not None:
            self._show(self._state, "Cancelled; nothing was changed.")

    def _failed(self, error: BaseException) -> None:
        if self._state is not None:
            self._show(self._state)
        self._on_error(error)
