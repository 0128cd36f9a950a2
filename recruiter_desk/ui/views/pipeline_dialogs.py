"""The dialogs of the Opportunities view: the role editor, why a candidacy closed, the
message a move offers (written in Compose), ending a role, finding matches, adding to a role.

All open window-modal without blocking (``open()``), so the flow continues in signals and
tests drive them like a user would.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.matching import Matches, SilverMedalist
from recruiter_desk.core.opportunities import (
    CLOSE_REASON_TEXT,
    CLOSED_BY_TEXT,
    OpportunityFields,
    OpportunityRow,
    describe_close,
)
from recruiter_desk.core.stage_messages import LABELS, purpose_label
from recruiter_desk.core.templates import PURPOSES
from recruiter_desk.core.vocabulary import CLOSE_REASONS
from recruiter_desk.core.wording import count as count_words
from recruiter_desk.ui.style import named

WORK_MODES = (("Not set", None), ("Remote", "remote"), ("Hybrid", "hybrid"), ("On-site", "onsite"))
STATUS_LABELS = {"open": "Open", "on_hold": "On hold", "filled": "Filled", "closed": "Closed"}
STAGE_LABELS = {
    "sourced": "Sourced",
    "contacted": "Contacted",
    "interested": "Interested",
    "submitted": "Submitted",
    "interviewing": "Interviewing",
    "shortlisted": "Shortlisted",
    "offer": "Offer",
    "hired": "Hired",
    "not_selected": "Not selected",
    "withdrew": "Withdrew",
}
EXCLUSION_TEXT = {
    "work_mode": "prefers another work mode",
    "do_not_contact": "do not contact",
    "not_looking": "not looking",
}


class RoleDialog(QDialog):
    """Create or edit a role."""

    def __init__(self, values: OpportunityFields | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roleDialog")
        self.setWindowTitle("Edit role" if values else "New role")
        values = values or OpportunityFields(title="")
        self.title = named(QLineEdit(values.title), "roleTitle")
        self.title.setPlaceholderText("e.g. Senior Backend Engineer")
        self.company = named(QLineEdit(values.company), "roleCompany")
        self.work_mode = named(QComboBox(), "roleWorkMode")
        for label, mode in WORK_MODES:
            self.work_mode.addItem(label, mode)
        self.work_mode.setCurrentIndex(max(0, self.work_mode.findData(values.work_mode)))
        self.location = named(QLineEdit(values.location), "roleLocation")
        self.skills = named(QLineEdit(", ".join(values.skills)), "roleSkills")
        self.skills.setPlaceholderText("comma separated: python, kubernetes")
        self.description = named(QPlainTextEdit(values.description), "roleDescription")
        self.status = values.status
        # The version the values were read at: a save over a teammate's newer one is refused.
        self.version = values.version
        form = QFormLayout(self)
        form.addRow("Title", self.title)
        form.addRow("Company", self.company)
        form.addRow("Work mode", self.work_mode)
        form.addRow("Location", self.location)
        form.addRow("Skills", self.skills)
        form.addRow("Description", self.description)
        self.error = named(QLabel(), "roleError")
        self.error.setStyleSheet("color: #c62828")
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if not self.title.text().strip():
            self.error.setText("A role needs a title.")
            return
        self.accept()

    def values(self) -> OpportunityFields:
        return OpportunityFields(
            title=self.title.text(),
            company=self.company.text(),
            work_mode=self.work_mode.currentData(),
            location=self.location.text(),
            status=self.status,
            skills=[s.strip() for s in self.skills.text().split(",") if s.strip()],
            description=self.description.toPlainText(),
            version=self.version,
        )


class ClosingReasonDialog(QDialog):
    """Why someone is leaving a process: whose choice, and the reason."""

    def __init__(self, name: str, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closingReasonDialog")
        self.setWindowTitle(f"{name}: {STAGE_LABELS[stage].lower()}")
        self.closed_by = named(QComboBox(), "closedBy")
        for value, label in CLOSED_BY_TEXT.items():
            self.closed_by.addItem(label.capitalize(), value)
        self.closed_by.setCurrentIndex(self.closed_by.findData(_default_by(stage)))
        self.reason = named(QComboBox(), "closeReason")
        # No reason preselected: an OK pressed in passing would record a wrong one.
        self.reason.addItem("Choose a reason…", None)
        for value in CLOSE_REASONS:
            self.reason.addItem(CLOSE_REASON_TEXT[value].capitalize(), value)
        self.note = named(QLineEdit(), "closeNote")
        self.note.setPlaceholderText("optional: what they said, what would fit them")
        form = QFormLayout(self)
        form.addRow(QLabel(f"Why is {name} leaving this process?"))
        form.addRow("Whose choice", self.closed_by)
        form.addRow("Reason", self.reason)
        form.addRow("Note", self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.reason.currentIndexChanged.connect(self._reason_chosen)

    def _reason_chosen(self) -> None:
        self.ok_button.setEnabled(self.reason.currentData() is not None)

    def choice(self) -> tuple[str, str, str]:
        return self.closed_by.currentData(), self.reason.currentData(), self.note.text()


def _default_by(stage: str) -> str:
    return "theirs" if stage == "withdrew" else "ours"


class MessageOfferDialog(QDialog):
    """Offers the message that fits a move: write it in Compose (template, person and role
    filled in; Compose records it once sent), or skip, and the owed list keeps reminding.

    Signals: ``write_requested(person_id, purpose)``; ``skipped(person_id)``.
    """

    write_requested = Signal(int, str)
    skipped = Signal(int)

    def __init__(
        self,
        *,
        person_id: int,
        name: str,
        purposes: list[str],
        headline: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("messageOfferDialog")
        self.setWindowTitle(f"Message to {name}")
        self.setMinimumWidth(440)
        self.person_id = person_id
        self.headline = named(QLabel(headline), "messageHeadline")
        self.headline.setWordWrap(True)
        self.purpose = named(QComboBox(), "messagePurpose")
        for purpose in dict.fromkeys([*purposes, *PURPOSES]):
            if purpose in LABELS:
                self.purpose.addItem(purpose_label(purpose), purpose)
        self.write_button = named(QPushButton("Write in Compose…"), "writeMessageButton")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.write)
        self.skip_button = named(QPushButton("Skip for now"), "skipMessageButton")
        self.skip_button.setToolTip("They stay on the owed list until a message is recorded.")
        self.skip_button.clicked.connect(self.skip)
        self.skip_note = named(
            QLabel(f"Skipping keeps {name} on your owed list until a message is recorded."),
            "skipNote",
        )
        self.skip_note.setWordWrap(True)
        self.skip_note.setStyleSheet("color: palette(placeholder-text)")
        form = QFormLayout(self)
        form.addRow(self.headline)
        form.addRow("Template", self.purpose)
        form.addRow(self.skip_note)
        row = QHBoxLayout()
        row.addWidget(self.skip_button)
        row.addStretch(1)
        row.addWidget(self.write_button)
        form.addRow(row)

    def write(self) -> None:
        self.write_requested.emit(self.person_id, self.purpose.currentData())
        self.accept()

    def skip(self) -> None:
        self.skipped.emit(self.person_id)
        self.reject()


class PeopleChoiceDialog(QDialog):
    """A list of people to tick, with an action button: matches, or who is owed a closing
    message when a role ends."""

    chosen = Signal(list)

    def __init__(
        self, name: str, title: str, intro: str, action: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.resize(900, 560)
        self.intro = named(QLabel(intro), f"{name}Intro")
        self.intro.setWordWrap(True)
        self.list = named(QListWidget(), f"{name}List")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)
        self.action_button = named(QPushButton(action), f"{name}Action")
        self.action_button.clicked.connect(self._chosen)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.action_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def add_heading(self, text: str) -> None:
        item = QListWidgetItem(text)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # readable, not selectable
        self.list.addItem(item)

    def add_person(
        self, person_id: int, text: str, tooltip: str = "", checked: bool = False
    ) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, person_id)
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setToolTip(tooltip)
        self.list.addItem(item)

    def add_note(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setForeground(Qt.GlobalColor.gray)
        self.list.addItem(item)

    def checked_ids(self) -> list[int]:
        ids = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked and item.data(Qt.ItemDataRole.UserRole):
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def _chosen(self) -> None:
        ids = self.checked_ids()
        if not ids:
            current = self.list.currentItem()
            if current is not None and current.data(Qt.ItemDataRole.UserRole):
                ids = [int(current.data(Qt.ItemDataRole.UserRole))]
        if ids:
            self.chosen.emit(ids)


def fill_matches(
    dialog: PeopleChoiceDialog, silver: list[SilverMedalist], matches: Matches
) -> None:
    """Silver medalists first (they came close before), then who fits, then who is left out."""
    if silver:
        dialog.add_heading(f"Came close before ({len(silver)}): offer them this role first")
        for medalist in silver:
            why = describe_close(medalist.closed_by, medalist.close_reason)
            at = f" at {medalist.company}" if medalist.company else ""
            dialog.add_person(
                medalist.person.id,
                f"★ {medalist.person.full_name} — reached {STAGE_LABELS[medalist.reached].lower()}"
                f" for {medalist.opportunity_title}{at}; not chosen ({why})",
                tooltip="A similar role" if medalist.similar else "",
            )
    silver_ids = {m.person.id for m in silver}
    fits = [f for f in matches.fits if f.person.id not in silver_ids]
    dialog.add_heading(f"Fits ({len(fits)})")
    for fit in fits:
        reasons: list[str] = []
        if fit.preference == "match":
            reasons.append("work mode matches")
        if fit.title_match:
            reasons.append("title matches")
        if fit.shared_skills:
            reasons.append(", ".join(fit.shared_skills))
        if fit.location_fit is False:
            reasons.append("lives elsewhere")
        person = fit.person
        dialog.add_person(
            person.id,
            f"{person.full_name} — {person.title or 'no title'}"
            + (f" · {person.company}" if person.company else "")
            + (f" ({'; '.join(reasons)})" if reasons else ""),
        )
    if matches.excluded:
        dialog.add_heading(f"Left out ({len(matches.excluded)})")
        for excluded in matches.excluded:
            why = EXCLUSION_TEXT.get(excluded.reason, excluded.reason)
            dialog.add_note(f"{excluded.person.full_name} — {why}")


class AddToRoleDialog(QDialog):
    """Pick the role to add a People selection to."""

    def __init__(self, count: int, roles: list[OpportunityRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("addToRoleDialog")
        self.setWindowTitle("Add to role")
        self.role = named(QComboBox(), "addToRoleChoice")
        for role in roles:
            if role.status in ("open", "on_hold"):
                at = f" — {role.company}" if role.company else ""
                self.role.addItem(f"{role.title}{at}", role.id)
        people = count_words(count, "person")
        form = QFormLayout(self)
        form.addRow(QLabel(f"Add {people} to a role, at Sourced:"))
        form.addRow("Role", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if not self.role.count():
            self.role.addItem("No open roles yet: create one in Opportunities", None)
            buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def role_id(self) -> int | None:
        value = self.role.currentData()
        return int(value) if value is not None else None
