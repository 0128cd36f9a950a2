"""A save refused because a teammate saved a newer version first (core/team.py): theirs
and yours side by side, and the recruiter decides; nothing is overwritten silently."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.team import EditConflict
from recruiter_desk.ui.style import named


class Choice(Enum):
    KEEP_EDITING = "keep editing"
    THEIRS = "theirs"
    MINE = "mine"


class ConflictDialog(QDialog):
    """``choice`` after ``exec()``: keep theirs (reload), save mine over theirs, or go back
    to editing."""

    def __init__(
        self,
        conflict: EditConflict,
        parent: QWidget | None = None,
        yours_changed: set[str] | None = None,
    ) -> None:
        """``yours_changed``: the fields (as labelled) your edits changed; a field only
        they changed reads "not changed by you" and keeps theirs when you save yours."""
        super().__init__(parent)
        self.setObjectName("editConflictDialog")
        self.setWindowTitle("Changed by someone else")
        self.choice = Choice.KEEP_EDITING
        who = conflict.by or "Someone else"
        layout = QVBoxLayout(self)
        heading = named(
            QLabel(
                f"<b>{who} saved {conflict.name} while you were editing.</b><br>"
                f"Theirs is version {conflict.saved_version}; your edits started from version "
                f"{conflict.your_version}. Nothing of yours has been saved yet."
            ),
            "conflictHeading",
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        table = named(QTableWidget(len(conflict.differences), 3), "conflictTable")
        table.setHorizontalHeaderLabels(
            ["Field", f"Theirs (version {conflict.saved_version}, {who})", "Yours"]
        )
        for row, difference in enumerate(conflict.differences):
            untouched = yours_changed is not None and difference.field not in yours_changed
            yours = "(not changed by you: theirs is kept)" if untouched else difference.yours
            for column, text in enumerate((difference.field, difference.theirs, yours)):
                item = QTableWidgetItem(text or "(empty)")
                item.setToolTip(text)
                if untouched and column == 2:
                    item.setForeground(self.palette().placeholderText())
                table.setItem(row, column, item)
        table.verticalHeader().hide()
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setWordWrap(True)
        table.resizeRowsToContents()
        shown = min(len(conflict.differences), 8)
        table.setFixedHeight(
            table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(shown)) + 4
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)
        if not conflict.differences:
            layout.addWidget(
                QLabel("Their change was to something this form does not show; yours still apply.")
            )
        buttons = QDialogButtonBox()
        self.theirs_button = named(QPushButton("Keep theirs (discard mine)"), "keepTheirsButton")
        self.mine_button = named(QPushButton("Save mine over theirs"), "saveMineButton")
        back = named(QPushButton("Back to editing"), "keepEditingButton")
        buttons.addButton(self.theirs_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.mine_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(back, QDialogButtonBox.ButtonRole.RejectRole)
        self.theirs_button.clicked.connect(self._keep_theirs)
        self.mine_button.clicked.connect(self._save_mine)
        back.clicked.connect(self.reject)
        back.setDefault(True)
        layout.addWidget(buttons)
        self.resize(720, self.sizeHint().height())

    def _keep_theirs(self) -> None:
        self.choice = Choice.THEIRS
        self.accept()

    def _save_mine(self) -> None:
        self.choice = Choice.MINE
        self.accept()
