"""The person panel: every field editable, the warmth explained, process and history.

Signals: ``person_saved(id)`` after a save; ``open_person(id)`` when the user chooses an
existing person over a probable duplicate; ``log_requested(id)``; ``compose_started(id)``
once the mail client opened; ``address_copied(address)`` when there was none and the
recruiter copied the address instead; ``edits_changed(bool)`` when the panel gains or
loses unsaved edits.

Edits are never thrown away silently: whoever replaces the person on screen goes through
``leave()``, which asks Save / Discard / Cancel when there are unsaved edits.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, QUrl, QUrlQuery, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.duplicates import ProbableMatch
from recruiter_desk.core.identity import display_name
from recruiter_desk.core.opportunities import PersonCard
from recruiter_desk.core.records import FIELD_LABELS, PersonFields, changed_fields
from recruiter_desk.core.services import PersonPanelView, Services
from recruiter_desk.core.team import EditConflict
from recruiter_desk.core.timeline import LatestMail, short_day
from recruiter_desk.core.wording import since
from recruiter_desk.errors import UsageError
from recruiter_desk.ui.dialogs.conflict_dialog import Choice, ConflictDialog
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.style import named, status_colour
from recruiter_desk.ui.widgets.lawful_basis import LawfulBasisRow
from recruiter_desk.ui.widgets.wheel_guard import guard_wheel

OPENNESS_LABELS = (
    ("active", "Actively looking"),
    ("open", "Open to a conversation"),
    ("not_looking", "Not looking"),
)


def _split(text: str, separators: str = ",\n;") -> list[str]:
    values = [text]
    for separator in separators:
        values = [part for value in values for part in value.split(separator)]
    return [v.strip() for v in values if v.strip()]


class PersonPanel(QWidget):
    person_saved = Signal(int)
    open_person = Signal(int)
    log_requested = Signal(int)
    compose_started = Signal(int)
    address_copied = Signal(str)
    edits_changed = Signal(bool)

    def __init__(
        self, services: Services, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("personPanel")
        self._services = services
        self._executor = executor
        self._person_id: int | None = None
        self._loading = 0
        # The values as loaded: the panel has unsaved edits when its values differ.
        self._baseline: PersonFields | None = None
        self._dirty = False
        self._after_save: Callable[[], None] | None = None
        # The fields the last save changed (None for a new person): the list reads only
        # that row again when they cannot move anyone in it (core.people.saved_fields_move).
        self.saved_changes: frozenset[str] | None = None
        self._writing: PersonFields | None = None
        self._focus_when_shown = False
        self._shown_ticket = 0

        self.heading = named(QLabel("Choose someone in the list"), "personHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.warmth = named(QLabel(), "warmthExplanation")
        self.warmth.setWordWrap(True)
        self.owed = named(QLabel(), "owedNotice")
        self.owed.setWordWrap(True)
        self.owed.setStyleSheet(f"color: {status_colour('cooling')}; font-weight: 600;")
        self.teammate = named(QLabel(), "teammateNotice")
        self.teammate.setWordWrap(True)
        self.teammate.setStyleSheet(f"color: {status_colour('cooling')};")
        self.teammate.hide()
        self.edited_note = named(QLabel(), "editedNotice")
        self.edited_note.setEnabled(False)  # drawn muted: a fact, not a call to act
        self.edited_note.hide()
        # Calendar and latest mail (H4): what was last said by mail, without opening it.
        self.latest_mail = named(QLabel(), "latestMail")
        self.latest_mail.setWordWrap(True)
        self.latest_mail.setTextFormat(Qt.TextFormat.RichText)
        self.latest_mail.setStyleSheet(
            "QLabel { border-left: 3px solid palette(mid); padding-left: 6px; }"
        )
        self.latest_mail.setVisible(False)

        self.first_name = named(QLineEdit(), "firstNameEdit")
        self.last_name = named(QLineEdit(), "lastNameEdit")
        self.emails = named(QPlainTextEdit(), "emailsEdit")
        self.emails.setPlaceholderText("one per line")
        self.emails.setFixedHeight(54)
        self.phones = named(QPlainTextEdit(), "phonesEdit")
        self.phones.setPlaceholderText("one per line")
        self.phones.setFixedHeight(42)
        self.company = named(QLineEdit(), "companyEdit")
        self.title = named(QLineEdit(), "titleEdit")
        self.location = named(QLineEdit(), "locationEdit")
        self.linkedin = named(QLineEdit(), "linkedinEdit")
        self.linkedin.setPlaceholderText("https://www.linkedin.com/in/…")
        self.tags = named(QLineEdit(), "tagsEdit")
        self.tags.setPlaceholderText("comma separated")
        self.interests = named(QLineEdit(), "interestsEdit")
        self.interests.setPlaceholderText("topics they care about")
        self.remote = named(QCheckBox("Remote"), "remoteCheck")
        self.hybrid = named(QCheckBox("Hybrid"), "hybridCheck")
        self.onsite = named(QCheckBox("On-site"), "onsiteCheck")
        modes = QHBoxLayout()
        for box in (self.remote, self.hybrid, self.onsite):
            modes.addWidget(box)
        modes.addStretch(1)
        self.openness = named(QComboBox(), "opennessCombo")
        for value, label in OPENNESS_LABELS:
            self.openness.addItem(label, value)
        self.applicant = named(QCheckBox("Applied to a role"), "applicantCheck")
        self.do_not_contact = named(QCheckBox("Do not contact"), "doNotContactCheck")
        self.cadence = named(QSpinBox(), "cadenceSpin")
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText("default")
        self.cadence.setSuffix(" days")
        self.notes = named(QPlainTextEdit(), "notesEdit")
        self.notes.setFixedHeight(70)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("First name", self.first_name)
        form.addRow("Last name", self.last_name)
        form.addRow("Emails", self.emails)
        form.addRow("Phones", self.phones)
        form.addRow("Company", self.company)
        form.addRow("Title", self.title)
        form.addRow("Location", self.location)
        form.addRow("LinkedIn", self.linkedin)
        form.addRow("Work modes", modes)
        form.addRow("Openness", self.openness)
        form.addRow("Cadence", self.cadence)
        form.addRow("Tags", self.tags)
        form.addRow("Interests", self.interests)
        flags = QHBoxLayout()
        flags.addWidget(self.applicant)
        flags.addWidget(self.do_not_contact)
        flags.addStretch(1)
        form.addRow("", flags)
        form.addRow("Notes", self.notes)
        # Privacy (H11): why the data is held; saved on its own, not with Save.
        self.lawful_basis = LawfulBasisRow(services, executor)
        form.addRow("Lawful basis", self.lawful_basis)

        self.process = named(QListWidget(), "candidaciesList")
        self.process.setMaximumHeight(70)
        self.history = named(QListWidget(), "interactionsList")
        self.history.setMaximumHeight(120)

        self.save_button = named(QPushButton("Save"), "saveButton")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save the changes (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = named(QPushButton("Revert"), "revertButton")
        self.revert_button.setToolTip("Forget the changes (Esc)")
        self.revert_button.clicked.connect(self.revert)
        self.log_button = named(QPushButton("Log interaction…"), "logInteractionButton")
        self.log_button.clicked.connect(self._ask_to_log)
        self.compose_button = named(QPushButton("Email…"), "composeButton")
        self.compose_button.setToolTip("Write to them in your mail client")
        self.compose_button.clicked.connect(self.compose)
        actions = QHBoxLayout()
        actions.addWidget(self.log_button)
        actions.addWidget(self.compose_button)
        actions.addStretch(1)
        self.edits_label = named(QLabel(), "unsavedLabel")
        saving = QHBoxLayout()
        saving.setContentsMargins(9, 6, 9, 6)
        saving.addWidget(self.edits_label, 1)
        saving.addWidget(self.revert_button)
        saving.addWidget(self.save_button)

        # Who, how warm and what to do stay in view at the top, Save and Revert at the
        # bottom; only the fields between them scroll.
        top = QWidget()
        top.setObjectName("personPanelTop")
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(9, 6, 9, 6)
        top_layout.addWidget(self.heading)
        top_layout.addWidget(self.warmth)
        top_layout.addWidget(self.owed)
        top_layout.addWidget(self.teammate)
        top_layout.addWidget(self.edited_note)
        top_layout.addWidget(self.latest_mail)
        top_layout.addLayout(actions)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>In process</b>"))
        layout.addWidget(self.process)
        layout.addWidget(QLabel("<b>Latest touchpoints</b>"))
        layout.addWidget(self.history)
        layout.addStretch(1)
        self.fields_scroll = named(QScrollArea(), "personScroll")
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(top)
        outer.addWidget(self.fields_scroll, 1)
        outer.addLayout(saving)
        guard_wheel(content)
        for line in (
            self.first_name,
            self.last_name,
            self.company,
            self.title,
            self.location,
            self.linkedin,
            self.tags,
            self.interests,
        ):
            line.textChanged.connect(self._edited)
        for text in (self.emails, self.phones, self.notes):
            text.textChanged.connect(self._edited)
        for box in (self.remote, self.hybrid, self.onsite, self.applicant, self.do_not_contact):
            box.toggled.connect(self._edited)
        self.openness.currentIndexChanged.connect(self._edited)
        self.cadence.valueChanged.connect(self._edited)
        self._set_enabled(False)

    # -- showing -------------------------------------------------------------------------

    @property
    def person_id(self) -> int | None:
        return self._person_id

    def _set_enabled(self, enabled: bool) -> None:
        for widget in self.findChildren(QWidget):
            if isinstance(
                widget,
                QLineEdit | QPlainTextEdit | QCheckBox | QComboBox | QSpinBox | QPushButton,
            ):
                widget.setEnabled(enabled)

    def _loading_done(self) -> bool:
        return self._shown_ticket == self._loading

    def name_shown(self, person_id: int) -> str | None:
        """The name the panel shows for ``person_id``, once loaded; None otherwise."""
        if person_id != self._person_id or not self._loading_done():
            return None
        return self.heading.text()

    def show_person(self, person_id: int, *, keep_edits: bool = False) -> None:
        """Load ``person_id`` into the panel. ``keep_edits``: this same person was changed
        elsewhere (an interaction logged, a bulk edit): refresh what is shown about them
        but keep the recruiter's unsaved edits. Anything else goes through ``leave()``."""
        keep = keep_edits and person_id == self._person_id and self._dirty
        if person_id != self._person_id:
            # The next person starts at the top: their name and buttons in view.
            self.fields_scroll.verticalScrollBar().setValue(0)
        self._person_id = person_id
        basis_ticket = self.lawful_basis.expect(person_id)
        self._loading += 1
        ticket = self._loading
        # One task and one repaint for everything shown (issue 15: click to repaint).
        self._executor.submit(
            lambda: self._services.person_panel(person_id),
            lambda loaded: self._show_panel(ticket, basis_ticket, keep, loaded),
        )

    def _show_panel(
        self, ticket: int, basis_ticket: int, keep_edits: bool, loaded: PersonPanelView
    ) -> None:
        if ticket != self._loading:
            return
        self.lawful_basis.show_loaded(basis_ticket, loaded.lawful_basis)
        self._show(
            ticket, keep_edits, loaded.fields, loaded.card, loaded.history, loaded.latest_mail
        )

    def _show(
        self,
        ticket: int,
        keep_edits: bool,
        fields: PersonFields,
        card: PersonCard,
        history: list[str],
        mail: LatestMail | None = None,
    ) -> None:
        if ticket != self._loading:
            return
        self._shown_ticket = ticket
        if not (keep_edits and self._dirty):
            self._fill(fields)
        person = card.person
        self.heading.setText(person.full_name)
        status = person.status.replace("_", "-")
        self.warmth.setText(
            f'<span style="color:{status_colour(person.status)}; font-weight:600">'
            f"● {status}</span> — {card.warmth.sentence}"
        )
        self.owed.setText("\n".join(o.describe(self._services.as_of()) for o in card.owed))
        self.owed.setVisible(bool(card.owed))
        # Team mode: a teammate's recent touch before anyone writes, and who last edited.
        self.teammate.setText(card.teammate or "")
        self.teammate.setVisible(bool(card.teammate))
        self.edited_note.setText(card.edited)
        self.edited_note.setVisible(bool(card.edited))
        self.process.clear()
        self.process.addItems(card.candidacies or ["Not in a process"])
        self.history.clear()
        self.history.addItems(history or ["No touchpoints yet"])
        self._show_latest_mail(mail)
        self._set_enabled(True)
        self._edited()
        if self._focus_when_shown:
            self._focus_when_shown = False
            self.first_name.setFocus()

    def _show_latest_mail(self, mail: LatestMail | None) -> None:
        self.latest_mail.setVisible(mail is not None)
        if mail is None:
            self.latest_mail.clear()
            return
        today = self._services.as_of().day
        how = "Received" if mail.direction == "inbound" else "Sent"
        subject = html.escape(mail.subject) if mail.subject else "<i>(no subject)</i>"
        lines = html.escape(mail.lines).replace("\n", "<br>")
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self.latest_mail.setText(
            f"<b>Latest mail</b> · {how} {since(mail.day, today)} ({short_day(mail.day)})"
            f"<br><b>{subject}</b>"
            + (f'<br><span style="color: {grey}">{lines}</span>' if lines else "")
        )
        self.latest_mail.setToolTip(f"{how} {mail.day.isoformat()}: {mail.subject}")

    def focus_fields(self) -> None:
        """Put the keyboard in the first field, now or as soon as the person has loaded."""
        if self.is_editing and self._loading_done():
            self.first_name.setFocus()
        else:
            self._focus_when_shown = True

    def new_person(self) -> None:
        self._person_id = None
        self.lawful_basis.clear()
        self._loading += 1
        self._shown_ticket = self._loading
        self._fill(PersonFields())
        self.fields_scroll.verticalScrollBar().setValue(0)
        self.heading.setText("New person")
        self.warmth.setText("Add whoever you know, applicant or not.")
        self.owed.hide()
        self.teammate.hide()
        self.edited_note.hide()
        self.latest_mail.hide()
        self.process.clear()
        self.history.clear()
        self._set_enabled(True)
        self.log_button.setEnabled(False)
        self.compose_button.setEnabled(False)
        self._edited()
        self.first_name.setFocus()

    def clear(self) -> None:
        self._person_id = None
        self.lawful_basis.clear()
        self._loading += 1
        self._shown_ticket = self._loading
        self._focus_when_shown = False
        self._fill(PersonFields())
        self._baseline = None
        self.heading.setText("Choose someone in the list")
        self.warmth.clear()
        self.owed.hide()
        self.teammate.hide()
        self.edited_note.hide()
        self.latest_mail.hide()
        self.process.clear()
        self.history.clear()
        self._set_enabled(False)
        self._edited()

    # -- unsaved edits -------------------------------------------------------------------

    @property
    def is_editing(self) -> bool:
        """Whether a person (or a new one) is open for editing."""
        return self.first_name.isEnabled()

    def has_unsaved_edits(self) -> bool:
        return self._dirty

    def _edited(self, *_args: object) -> None:
        dirty = self._baseline is not None and self.is_editing and self.values() != self._baseline
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty and self._person_id is not None)
        self.edits_label.setText("Unsaved changes" if dirty else "")
        if dirty != self._dirty:
            self._dirty = dirty
            self.edits_changed.emit(dirty)

    def revert(self) -> None:
        """Forget the unsaved edits and show the person as saved."""
        if self._person_id is not None:
            self.show_person(self._person_id)

    def leave(self, then: Callable[[], None]) -> bool:
        """Run ``then`` (which replaces what the panel shows) once unsaved edits are saved
        or discarded, asking which; False if the recruiter chose to stay (or the edits
        cannot be saved as they are)."""
        if not self._dirty:
            then()
            return True
        answer = self._ask_about_edits()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Discard:
            self.forget_edits()
            then()
            return True
        return self.save(then=then)

    def forget_edits(self) -> None:
        """Treat what is on screen as unchanged (the recruiter discarded the edits)."""
        self._baseline = None
        self._edited()

    def _ask_about_edits(self) -> QMessageBox.StandardButton:
        name = self.heading.text() if self._person_id is not None else "the new person"
        box = QMessageBox(self)
        box.setObjectName("unsavedEditsBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"Save your changes to {name}?")
        box.setInformativeText("If you discard them, they are lost.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.exec()
        clicked = box.clickedButton()
        return (
            box.standardButton(clicked)
            if clicked is not None
            else QMessageBox.StandardButton.Cancel
        )

    def _fill(self, fields: PersonFields) -> None:
        self.first_name.setText(fields.first_name)
        self.last_name.setText(fields.last_name)
        self.emails.setPlainText("\n".join(fields.emails))
        self.phones.setPlainText("\n".join(fields.phones))
        self.company.setText(fields.company)
        self.title.setText(fields.title)
        self.location.setText(fields.location)
        self.linkedin.setText(fields.linkedin_url or "")
        self.tags.setText(", ".join(fields.tags))
        self.interests.setText(", ".join(fields.interests))
        self.remote.setChecked("remote" in fields.work_modes)
        self.hybrid.setChecked("hybrid" in fields.work_modes)
        self.onsite.setChecked("onsite" in fields.work_modes)
        self.openness.setCurrentIndex(max(0, self.openness.findData(fields.openness)))
        self.applicant.setChecked(fields.is_applicant)
        self.do_not_contact.setChecked(fields.do_not_contact)
        self.cadence.setValue(fields.cadence_days or 0)
        self.notes.setPlainText(fields.notes)
        self._connected_on: date | None = fields.connected_on
        self._source = fields.source
        self._links = fields.links
        self._version = fields.version
        self._baseline = self.values()
        self._edited()

    def values(self) -> PersonFields:
        modes = [
            m
            for m, box in (
                ("remote", self.remote),
                ("hybrid", self.hybrid),
                ("onsite", self.onsite),
            )
            if box.isChecked()
        ]
        return PersonFields(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            emails=_split(self.emails.toPlainText()),
            phones=_split(self.phones.toPlainText(), "\n;"),
            company=self.company.text(),
            title=self.title.text(),
            location=self.location.text(),
            linkedin_url=self.linkedin.text() or None,
            links=getattr(self, "_links", []),
            tags=_split(self.tags.text()),
            interests=_split(self.interests.text()),
            work_modes=modes,
            openness=self.openness.currentData(),
            is_applicant=self.applicant.isChecked(),
            do_not_contact=self.do_not_contact.isChecked(),
            cadence_days=self.cadence.value() or None,
            source=getattr(self, "_source", "") or ("manual" if self._person_id is None else ""),
            notes=self.notes.toPlainText(),
            connected_on=getattr(self, "_connected_on", None),
            version=getattr(self, "_version", None) if self._person_id is not None else None,
        )

    # -- saving --------------------------------------------------------------------------

    def save(self, *, then: Callable[[], None] | None = None) -> bool:
        """Save the edits; afterwards run ``then`` instead of showing the saved person.
        False when the values cannot be saved (the recruiter was told why)."""
        values = self.values()
        try:
            values.validate()
        except UsageError as problem:
            QMessageBox.warning(self, "Cannot save", problem.message)
            return False
        self._after_save = then
        person_id = self._person_id
        if person_id is None:
            self._executor.submit(
                lambda: self._services.likely_duplicates(values),
                lambda found: self._save_new(values, found),
            )
        else:
            self._write(person_id, values)
        return True

    def _save_new(self, values: PersonFields, duplicates: list[ProbableMatch]) -> None:
        if duplicates:
            match = duplicates[0]
            box = QMessageBox(self)
            box.setObjectName("duplicateWarning")
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle("Already in your network?")
            box.setText(f"{match.name} is already in your network ({match.reason}).")
            box.setInformativeText("Open them instead of adding a duplicate?")
            open_button = box.addButton("Open existing", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Add anyway", QMessageBox.ButtonRole.DestructiveRole)
            cancel = box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(open_button)
            box.exec()
            if box.clickedButton() is open_button:
                self._after_save = None
                self.forget_edits()  # the recruiter chose the existing person instead
                self.open_person.emit(match.person_id)
                return
            if box.clickedButton() is cancel:
                self._after_save = None
                return
        self._write(None, values)

    def _write(self, person_id: int | None, values: PersonFields) -> None:
        self._writing = values
        self._executor.submit(
            lambda: self._services.save_person(person_id, values),
            self._saved,
            self._save_failed,
        )

    def _save_failed(self, error: BaseException) -> None:
        """A teammate saved this person first: show both versions and let the recruiter
        choose (docs/team.md); anything else is reported as usual."""
        if not isinstance(error, EditConflict) or self._person_id is None:
            self._after_save = None
            self._executor.report_error(error)
            return
        mine = self.values()
        base = self._baseline or mine
        # Only what you changed is yours to save: a field only they changed keeps theirs.
        changed = changed_fields(base, mine)
        dialog = ConflictDialog(error, self, {FIELD_LABELS[a] for a in changed})
        dialog.exec()
        if dialog.choice is Choice.MINE and isinstance(error.theirs, PersonFields):
            merged = replace(
                error.theirs,
                version=error.saved_version,
                **{a: getattr(mine, a) for a in changed},
            )
            self._write(self._person_id, merged)
            return
        self._after_save = None
        if dialog.choice is Choice.THEIRS:
            self.forget_edits()
            self.show_person(self._person_id)

    def _saved(self, person_id: int) -> None:
        then, self._after_save = self._after_save, None
        # Against the values as loaded: a merge after a conflict names their fields too.
        before, written = self._baseline, self._writing
        if before is None or written is None or self._person_id != person_id:
            self.saved_changes = None
        else:
            self.saved_changes = changed_fields(before, written)
        self._baseline = self.values()
        self._edited()
        if then is None:
            self._person_id = person_id
            self.show_person(person_id)
        else:
            then()
        self.person_saved.emit(person_id)

    def compose(self) -> None:
        """Open the mail client addressed to this person, unless they must not be contacted."""
        if self._person_id is None:
            return
        values = self.values()
        name = display_name(values.first_name, values.last_name, values.emails, self._person_id)
        if values.do_not_contact:
            QMessageBox.warning(
                self, "Do not contact", f"{name} asked not to be contacted; no message was started."
            )
            return
        if not values.emails:
            QMessageBox.information(
                self, "No email address", f"There is no email address for {name} yet."
            )
            return
        greeting = f"Hi {values.first_name}," if values.first_name else "Hi,"
        url = QUrl(f"mailto:{values.emails[0]}")
        query = QUrlQuery()
        query.addQueryItem("body", f"{greeting}\n\n")
        url.setQuery(query)
        if QDesktopServices.openUrl(url):
            self.compose_started.emit(self._person_id)
            return
        address = values.emails[0]
        box = QMessageBox(self)
        box.setObjectName("noMailClientBox")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("No mail client")
        box.setText("No mail client opened: this computer has none set up for email links.")
        box.setInformativeText(f"Copy {address} to write to {name} from your webmail?")
        copy = box.addButton("Copy address", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(copy)
        box.exec()
        if box.clickedButton() is copy:
            QGuiApplication.clipboard().setText(address)
            self.address_copied.emit(address)

    def _ask_to_log(self) -> None:
        if self._person_id is not None:
            self.log_requested.emit(self._person_id)

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.revert()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]
