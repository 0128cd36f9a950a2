"""Find duplicates: pairs the same-person rule accepts, what decides, merge and undo.

Which pairs are proposed is ``core.identity.same_person`` (docs/rules.md, "Identity");
this dialog only shows each side's evidence — emails, title, location, LinkedIn profile —
so the recruiter can judge, and merges nothing they did not choose.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.duplicates import DuplicateView, Merged
from recruiter_desk.core.people import PersonRow
from recruiter_desk.core.services import Services
from recruiter_desk.core.wording import count
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.style import named


def person_summary(person: PersonRow) -> str:
    """One person as the recruiter judges a possible duplicate: every line can decide."""
    role = " at ".join(p for p in (person.title, person.company) if p)
    return "\n".join(
        (
            f"{person.full_name}  (#{person.id})",
            ", ".join(person.emails) or "no email",
            role or "no title or company",
            person.location or "no location",
            person.linkedin_url or "no LinkedIn profile",
        )
    )


class DuplicatesDialog(QDialog):
    """Signals: ``merged()`` after a merge or an undo changed the people in the network."""

    merged = Signal()

    def __init__(
        self, services: Services, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.setWindowTitle("Find duplicates")
        self.resize(980, 520)
        self._services = services
        self._executor = executor
        self._pairs: list[tuple[int, int]] = []
        self._undo: list[list[Merged]] = []
        # What the last merge or undo did, said above the reloaded list.
        self._note = ""
        self.table = named(QTableWidget(0, 3), "duplicatesTable")
        self.table.setHorizontalHeaderLabels(["Keep", "Merge into it", "Why"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.info = named(QLabel("Looking…"), "duplicatesInfo")
        self.info.setWordWrap(True)
        self.merge_button = named(QPushButton("Merge selected pairs…"), "mergeButton")
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge_selected)
        self.undo_button = named(QPushButton("Undo last merge"), "undoMergeButton")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_last)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self._executor.submit(self._services.duplicates, self._show)

    def _show(self, found: list[DuplicateView]) -> None:
        self._pairs = [(view.keep.id, view.other.id) for view in found]
        self.table.clearSelection()
        self.table.setRowCount(len(found))
        for row, view in enumerate(found):
            why = f"{view.reason}:\n{view.evidence}" if view.evidence else view.reason
            for column, text in enumerate(
                (person_summary(view.keep), person_summary(view.other), why)
            ):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.table.setItem(row, column, item)
        # No current cell either: a highlighted first row reads as "already chosen".
        self.table.setCurrentCell(-1, -1)
        self.table.clearSelection()
        if found:
            text = (
                f"{count(len(found), 'likely pair')}. Select the pairs that are one person and "
                "merge them: the second person's emails, phones, tags, interactions and "
                "processes move to the first."
            )
        else:
            text = "No likely duplicates."
        self.info.setText(f"{self._note} {text}".strip())
        self._note = ""
        self._selection_changed()

    def _selected_pairs(self) -> list[tuple[int, int]]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self._pairs[r] for r in rows if r < len(self._pairs)]

    def _selection_changed(self) -> None:
        self.merge_button.setEnabled(bool(self._selected_pairs()))

    def confirm(self, pairs: int) -> bool:
        """Ask before merging; the answer is the recruiter's, never assumed."""
        answer = QMessageBox.question(
            self,
            "Merge duplicates",
            f"Merge {count(pairs, 'pair')}? Each second person becomes part of the first. "
            "Undo last merge puts them back.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def merge_selected(self) -> None:
        pairs = self._selected_pairs()
        if not pairs or not self.confirm(len(pairs)):
            return
        self.merge_button.setEnabled(False)

        def merge_all() -> list[Merged]:
            done: list[Merged] = []
            gone: set[int] = set()
            for keep, other in pairs:
                if keep in gone or other in gone:
                    continue  # a person already folded into someone else this round
                done.append(self._services.merge(keep, other))
                gone.add(other)
            return done

        self._executor.submit(merge_all, self._merged)

    def _merged(self, done: list[Merged]) -> None:
        if done:
            self._undo.append(done)
        self.undo_button.setEnabled(bool(self._undo))
        self._note = f"Merged {count(len(done), 'pair')}; Undo last merge puts them back."
        self.merged.emit()
        self.reload()

    def undo_last(self) -> None:
        if not self._undo:
            return
        merges = self._undo.pop()
        self.undo_button.setEnabled(False)
        self._executor.submit(lambda: self._services.undo_merges(merges), self._undone)

    def _undone(self, undone: int) -> None:
        self.undo_button.setEnabled(bool(self._undo))
        self._note = f"Undid {count(undone, 'merge')}: both people of each pair are back."
        self.merged.emit()
        self.reload()
