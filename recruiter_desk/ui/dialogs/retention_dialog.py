"""Retention review (Edit → Retention review…): who is kept past the retention period, and
erasing them all at once.

The lists are ``retention``'s; "Erase all…" asks first, then erases everyone listed as
untouched in one transaction, each as ``forget`` does (Services.erase_people).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core import wording
from recruiter_desk.ui.style import named

if TYPE_CHECKING:
    from collections.abc import Callable

    from recruiter_desk.core.privacy import BulkErasure, RetentionItem
    from recruiter_desk.core.services import RetentionReview, Services
    from recruiter_desk.ui.executor import Executor


class RetentionDialog(QDialog):
    """Signals: ``people_erased()`` once people were erased (the lists elsewhere change)."""

    people_erased = Signal()

    def __init__(
        self,
        services: Services,
        executor: Executor,
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setWindowTitle("Retention review")
        self.resize(900, 560)
        self._services = services
        self._executor = executor
        self._on_error = on_error
        self._untouched: tuple[RetentionItem, ...] = ()
        self._note = ""
        self.info = named(QLabel("Looking…"), "retentionInfo")
        self.info.setWordWrap(True)
        self.untouched = self._list("retentionList", ["Name", "Why"])
        self.consents_label = named(QLabel(), "consentsLabel")
        self.consents_label.setWordWrap(True)
        self.consents = self._list("consentsList", ["Name", "Consent"])
        self.erase_button = named(QPushButton("Erase all…"), "eraseAllButton")
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.erase_all)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.untouched, 3)
        layout.addWidget(self.consents_label)
        layout.addWidget(self.consents, 1)
        layout.addWidget(buttons)
        self.reload()

    @staticmethod
    def _list(name: str, headers: list[str]) -> QTreeWidget:
        tree = named(QTreeWidget(), name)
        tree.setHeaderLabels(headers)
        tree.setRootIsDecorated(False)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        tree.header().setStretchLastSection(True)
        return tree

    def reload(self) -> None:
        self._executor.submit(self._services.retention_review, self._show, self._on_error)

    def _show(self, review: RetentionReview) -> None:
        self._untouched = review.untouched
        self.untouched.clear()
        for item in review.untouched:
            self.untouched.addTopLevelItem(QTreeWidgetItem([item.name, item.reason]))
        self.consents.clear()
        for item in review.consents_expiring:
            self.consents.addTopLevelItem(QTreeWidgetItem([item.name, item.reason]))
        count = len(review.untouched)
        kept = f"untouched for {wording.count(review.years, 'year')} and in no open process"
        if count:
            text = (
                f"{wording.count(count, 'person')} {'is' if count == 1 else 'are'} {kept}. "
                "Review them, then erase them all at once: everything about them goes, and "
                "later imports skip them, as with forget."
            )
        else:
            text = f"Nobody is {kept}."
        self.info.setText(f"{self._note}\n\n{text}" if self._note else text)
        self.erase_button.setEnabled(count > 0)
        self.erase_button.setText(f"Erase all {count:,}…" if count else "Erase all…")
        ending = len(review.consents_expiring)
        self.consents.setVisible(ending > 0)
        self.consents_label.setText(
            f"Consents ended or ending within 30 days: {ending}."
            if ending
            else "No consent ends within 30 days."
        )

    def erase_all(self) -> None:
        ids = [item.person_id for item in self._untouched]
        if not ids or not self._confirm(len(ids)):
            return
        self.erase_button.setEnabled(False)
        self._executor.submit(lambda: self._services.erase_people(ids), self._erased, self._failed)

    def _confirm(self, count: int) -> bool:
        people = wording.count(count, "person")
        answer = QMessageBox.question(
            self,
            "Erase people",
            f"Erase {people} and everything about them? This cannot be undone.\n\n"
            "A backup is taken first; it holds them until it rotates out.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _erased(self, result: BulkErasure) -> None:
        held = len(result.backups_holding)
        self._note = f"Erased {wording.count(len(result.erased), 'person')}." + (
            f" {wording.count(held, 'backup')} still {'holds' if held == 1 else 'hold'} them "
            "until rotated out ('recruiter-desk scrub-backups' removes them now)."
            if held
            else ""
        )
        self.people_erased.emit()
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.erase_button.setEnabled(bool(self._untouched))
        self._on_error(error)
