"""The person panel's lawful-basis row: why the recruiter holds this person's data.

Shown as a sentence (``core.privacy.describe_basis``) with a Change… button; the dialog
sets the basis, the day it was set and, for a consent, the day it ends. Loading and saving
go through ``Services`` on the executor like the rest of the panel.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from recruiter_desk.core.privacy import LAWFUL_BASES, LawfulBasis, describe_basis
from recruiter_desk.core.services import Services
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.style import named


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class LawfulBasisDialog(QDialog):
    def __init__(self, current: LawfulBasis, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lawfulBasisDialog")
        self.setWindowTitle("Lawful basis")
        self.basis = named(QComboBox(), "lawfulBasisCombo")
        for value in LAWFUL_BASES:
            self.basis.addItem(value.replace("_", " ").capitalize(), value)
        self.basis.setCurrentIndex(max(0, self.basis.findData(current.basis)))
        self.since = named(QDateEdit(_qdate(current.since or today)), "lawfulBasisSince")
        self.since.setCalendarPopup(True)
        self.expires_check = named(QCheckBox("Consent ends on"), "consentExpiresCheck")
        self.expires = named(QDateEdit(), "consentExpiresEdit")
        self.expires.setCalendarPopup(True)
        self.expires.setDate(_qdate(current.consent_expires or today.replace(year=today.year + 1)))
        self.expires_check.setChecked(current.consent_expires is not None)
        form = QFormLayout(self)
        form.addRow("Basis", self.basis)
        form.addRow("Since", self.since)
        row = QHBoxLayout()
        row.addWidget(self.expires_check)
        row.addWidget(self.expires, 1)
        form.addRow("", row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.basis.currentIndexChanged.connect(self._consent_only)
        self.expires_check.toggled.connect(self._consent_only)
        self._consent_only()

    def _consent_only(self) -> None:
        consent = self.basis.currentData() == "consent"
        self.expires_check.setEnabled(consent)
        self.expires.setEnabled(consent and self.expires_check.isChecked())

    def chosen(self) -> tuple[str, date, date | None]:
        basis = str(self.basis.currentData())
        ends = (
            _day(self.expires.date())
            if basis == "consent" and self.expires_check.isChecked()
            else None
        )
        return basis, _day(self.since.date()), ends


class LawfulBasisRow(QWidget):
    """A sentence and a Change… button; ``show_person`` loads it, ``clear`` empties it."""

    def __init__(self, services: Services, executor: Executor, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lawfulBasisRow")
        self._services = services
        self._executor = executor
        self._person_id: int | None = None
        self._current = LawfulBasis(None, None, None)
        self._ticket = 0
        self.label = named(QLabel(), "lawfulBasisLabel")
        self.label.setWordWrap(True)
        self.change = named(QPushButton("Change…"), "lawfulBasisButton")
        self.change.clicked.connect(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.change)
        self.clear()

    def expect(self, person_id: int) -> int:
        """``person_id`` is being read by someone else (the person panel, in one task with
        the rest): the ticket to hand ``show_loaded`` with what was read."""
        self._person_id = person_id
        self._ticket += 1
        return self._ticket

    def show_loaded(self, ticket: int, basis: LawfulBasis) -> None:
        self._show(ticket, basis)

    def clear(self) -> None:
        self._person_id = None
        self._ticket += 1
        self._current = LawfulBasis(None, None, None)
        self.label.setText("Set once the person is saved.")
        self.change.setEnabled(False)

    def _show(self, ticket: int, basis: LawfulBasis) -> None:
        if ticket != self._ticket:
            return
        self._current = basis
        text = describe_basis(basis)
        self.label.setText(text[0].upper() + text[1:])
        self.change.setEnabled(True)

    def edit(self) -> None:
        person_id = self._person_id
        if person_id is None:
            return
        dialog = LawfulBasisDialog(self._current, self._services.as_of().day, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        basis, since, ends = dialog.chosen()
        self._ticket += 1
        ticket = self._ticket
        self._executor.submit(
            lambda: self._services.set_lawful_basis(person_id, basis, since, ends),
            lambda saved: self._show(ticket, saved),
        )
