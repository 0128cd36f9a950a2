"""The Compose view: a template, its recipients, each one's message and what stands in its
way, and the ways out (copy, mail client, .eml, outbox). Every delivery is logged.

Other views start a message with ``MainWindow.compose_to(person_ids, template,
opportunity_id)``, which lands in :meth:`ComposeView.compose_to`.

Signals: ``messages_logged()`` after any delivery was recorded (warmth and counts change);
``settings_changed(settings)`` when the email account dialog saved new settings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core import wording
from recruiter_desk.core.compose import (
    Composition,
    Draft,
    clipboard_text,
    mailto_url,
    problems_of,
)
from recruiter_desk.core.outbox import OutboxRow, SendReport
from recruiter_desk.core.services import ComposeChoices, Services
from recruiter_desk.core.templates import PLACEHOLDERS, PURPOSES, TemplateRow
from recruiter_desk.errors import KnownError
from recruiter_desk.settings import Settings
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.style import named

PREVIEW_DEBOUNCE_MS = 200
# Display only: what counts as a placeholder or marker is decided by core/templates.py.
_FIELD = re.compile(r"\{[A-Za-z_][\w.]*(?:\|[^}\n]*)?\}")
_MARKER = re.compile(r"\[\[.*?\]\]")
STATUS_MARK = {"ready": "✓", "fix": "✎", "conflict": "⚠", "blocked": "⛔"}
STATUS_WORD = {
    "ready": "ready",
    "fix": "to personalise",
    "conflict": "work-mode conflict",
    "blocked": "do not contact",
}


class TemplateHighlighter(QSyntaxHighlighter):
    """Placeholders in blue, personalise-me markers on amber, so what is left shows at once."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._field = QTextCharFormat()
        self._field.setForeground(QColor("#1565c0"))
        self._marker = QTextCharFormat()
        self._marker.setBackground(QColor("#ffe08a"))
        self._marker.setForeground(QColor("#5d4300"))

    def highlightBlock(self, text: str) -> None:
        for match in _FIELD.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self._field)
        for match in _MARKER.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self._marker)


class ComposeView(QWidget):
    messages_logged = Signal()
    settings_changed = Signal(object)

    def __init__(
        self, services: Services, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("composeView")
        self._services = services
        self._executor = executor
        self.templates: list[TemplateRow] = []
        self.recipients: list[int] = []
        self.drafts: list[Draft] = []
        self.edits: dict[int, tuple[str, str]] = {}
        self.overrides: set[int] = set()
        self.outbox_rows: list[OutboxRow] = []
        self._template_id: int | None = None
        self._pending_template: int | str | None = None
        self._pending_opportunity: int | None = None
        self._pending_article: int | None = None
        self._sending = False
        self._loading = False

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(PREVIEW_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_preview)
        self._send_timer = QTimer(self)
        self._send_timer.setSingleShot(True)
        self._send_timer.timeout.connect(self._send_next)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._template_column())
        splitter.addWidget(self._editor_column())
        splitter.addWidget(self._recipient_column())
        splitter.setSizes([190, 430, 520])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- building ------------------------------------------------------------------------

    def _template_column(self) -> QWidget:
        box = QGroupBox("Templates")
        self.template_list = named(QListWidget(), "templateList")
        self.template_list.currentRowChanged.connect(self._template_chosen)
        self.new_button = named(QPushButton("New"), "newTemplateButton")
        self.new_button.clicked.connect(self.new_template)
        self.duplicate_button = named(QPushButton("Duplicate"), "duplicateTemplateButton")
        self.duplicate_button.clicked.connect(self.duplicate_template)
        self.delete_button = named(QPushButton("Delete"), "deleteTemplateButton")
        self.delete_button.clicked.connect(self.delete_template)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        help_text = named(
            QLabel(
                "<b>{first_name|there}</b> fills in a value, with a fallback after the bar. "
                "<b>[[…]]</b> marks what you must personalise: a message cannot go out "
                "until each one is replaced."
            ),
            "placeholderHelp",
        )
        help_text.setWordWrap(True)
        help_text.setTextFormat(Qt.TextFormat.RichText)
        column = QVBoxLayout(box)
        column.addWidget(self.template_list, 1)
        column.addLayout(buttons)
        column.addWidget(help_text)
        return box

    def _editor_column(self) -> QWidget:
        box = QGroupBox("Template")
        self.name_edit = named(QLineEdit(), "templateName")
        self.purpose_combo = named(QComboBox(), "templatePurpose")
        self.purpose_combo.setEditable(True)
        self.purpose_combo.addItems(PURPOSES)
        self.subject_edit = named(QLineEdit(), "subjectEdit")
        self.body_edit = named(QPlainTextEdit(), "bodyEdit")
        self._body_highlighter = TemplateHighlighter(self.body_edit.document())
        self.insert_combo = named(QComboBox(), "insertPlaceholder")
        self.insert_combo.addItem("Insert a placeholder…", None)
        for key, meaning in PLACEHOLDERS.items():
            self.insert_combo.addItem(f"{{{key}}}  {meaning}", key)
        self.insert_combo.activated.connect(self._insert_placeholder)
        for combo in (self.insert_combo, self.purpose_combo):
            _compact(combo)
        self.save_button = named(QPushButton("Save template"), "saveTemplateButton")
        self.save_button.clicked.connect(self.save_template)
        self.opportunity_combo = named(QComboBox(), "opportunityCombo")
        self.opportunity_combo.addItem("No role", None)
        self.article_combo = named(QComboBox(), "articleCombo")
        self.article_combo.addItem("No article", None)
        for widget in (self.opportunity_combo, self.article_combo):
            _compact(widget)
            widget.currentIndexChanged.connect(self._context_changed)
        for line in (self.subject_edit,):
            line.textChanged.connect(self._text_changed)
        self.body_edit.textChanged.connect(self._text_changed)

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Purpose", self.purpose_combo)
        form.addRow("About the role", self.opportunity_combo)
        form.addRow("Article", self.article_combo)
        form.addRow("Subject", self.subject_edit)
        row = QHBoxLayout()
        row.addWidget(self.insert_combo, 1)
        row.addWidget(self.save_button)
        column = QVBoxLayout(box)
        column.addLayout(form)
        column.addWidget(self.body_edit, 1)
        column.addLayout(row)
        return box

    def _recipient_column(self) -> QWidget:
        box = QGroupBox("Recipients and their messages")
        self.recipient_search = named(QLineEdit(), "recipientSearch")
        self.recipient_search.setPlaceholderText("Add someone: type a name and press Enter")
        self.recipient_search.returnPressed.connect(self.add_from_search)
        self.recipient_list = named(QListWidget(), "recipientList")
        self.recipient_list.setMaximumHeight(110)
        self.recipient_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recipient_list.currentRowChanged.connect(self._show_current)
        self.remove_button = named(QPushButton("Remove"), "removeRecipientButton")
        self.remove_button.clicked.connect(self.remove_current)
        self.summary_label = named(QLabel(), "mergeSummary")

        self.to_label = named(QLabel(), "previewTo")
        self.to_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_subject = named(QLineEdit(), "previewSubject")
        self.preview_body = named(QPlainTextEdit(), "previewBody")
        self._preview_highlighter = TemplateHighlighter(self.preview_body.document())
        self.preview_body.setPlaceholderText("Add recipients to see each one's message.")
        self.preview_subject.textEdited.connect(self._preview_edited)
        self.preview_body.textChanged.connect(self._preview_body_changed)
        self.reset_button = named(QPushButton("Undo my edits"), "resetEditButton")
        self.reset_button.setToolTip("Go back to the template's text for this person")
        self.reset_button.clicked.connect(self.reset_current_edit)
        self.problems_label = named(QLabel(), "problemsLabel")
        self.problems_label.setWordWrap(True)
        self.override_check = named(
            QCheckBox("Send anyway: I know this role conflicts with their preference"),
            "overrideCheck",
        )
        self.override_check.toggled.connect(self._override_toggled)

        self.copy_button = named(QPushButton("Copy"), "copyButton")
        self.copy_button.setToolTip("Copy this person's message (for LinkedIn, say)")
        self.copy_button.clicked.connect(self.copy_current)
        self.mail_button = named(QPushButton("Mail app"), "mailButton")
        self.mail_button.setToolTip("Open this person's message in your mail app")
        self.mail_button.clicked.connect(self.open_current_in_mail)
        self.eml_button = named(QPushButton("Save .eml…"), "emlButton")
        self.eml_button.setToolTip("One draft file per ready recipient with an email address")
        self.eml_button.clicked.connect(self.save_eml)
        self.queue_button = named(QPushButton("Queue ready"), "queueButton")
        self.queue_button.clicked.connect(self.queue_ready)
        deliveries = QHBoxLayout()
        for button in (self.copy_button, self.mail_button, self.eml_button, self.queue_button):
            deliveries.addWidget(button)

        self.outbox_label = named(QLabel("Outbox: empty"), "outboxLabel")
        self.outbox_list = named(QListWidget(), "outboxList")
        self.outbox_list.setMaximumHeight(80)
        self.outbox_list.setVisible(False)
        self.outbox_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.outbox_list.customContextMenuRequested.connect(self._outbox_menu)
        self.send_button = named(QPushButton("Send now"), "sendButton")
        self.send_button.clicked.connect(self.toggle_sending)
        self.account_button = named(QPushButton("Email account…"), "accountButton")
        self.account_button.clicked.connect(self.edit_account)
        outbox_row = QHBoxLayout()
        outbox_row.addWidget(self.outbox_label, 1)
        outbox_row.addWidget(self.send_button)
        outbox_row.addWidget(self.account_button)

        top = QHBoxLayout()
        top.addWidget(self.recipient_search, 1)
        top.addWidget(self.remove_button)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.to_label, 1)
        edit_row.addWidget(self.reset_button)
        column = QVBoxLayout(box)
        column.addLayout(top)
        column.addWidget(self.recipient_list)
        column.addWidget(self.summary_label)
        column.addLayout(edit_row)
        subject_row = QHBoxLayout()
        subject_row.addWidget(QLabel("Subject"))
        subject_row.addWidget(self.preview_subject, 1)
        column.addLayout(subject_row)
        column.addWidget(self.preview_body, 1)
        column.addWidget(self.problems_label)
        column.addWidget(self.override_check)
        column.addLayout(deliveries)
        column.addLayout(outbox_row)
        column.addWidget(self.outbox_list)
        return box

    # -- loading -------------------------------------------------------------------------

    def load(self) -> None:
        """Templates, roles and articles, then the outbox."""
        self._executor.submit(self._services.templates, self._templates_loaded)
        self._executor.submit(self._services.compose_choices, self._choices_loaded)
        self.refresh_outbox()

    def _templates_loaded(self, templates: list[TemplateRow]) -> None:
        self.templates = templates
        wanted = self._pending_template if self._pending_template is not None else self._template_id
        self._pending_template = None
        self._loading = True
        self.template_list.clear()
        for template in templates:
            item = QListWidgetItem(template.name)
            item.setToolTip(f"{template.purpose}: {template.subject}")
            self.template_list.addItem(item)
        self._loading = False
        index = self._template_index(wanted)
        self.template_list.setCurrentRow(index if index is not None else 0)

    def _template_index(self, key: int | str | None) -> int | None:
        if key is None:
            return None
        for i, template in enumerate(self.templates):
            if template.id == key or (
                isinstance(key, str)
                and key.casefold() in (template.name.casefold(), template.purpose.casefold())
            ):
                return i
        return None

    def _choices_loaded(self, choices: ComposeChoices) -> None:
        self._loading = True
        for combo, rows, empty in (
            (self.opportunity_combo, choices.roles, "No role"),
            (self.article_combo, choices.articles, "No article"),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(empty, None)
            for row_id, label in rows:
                combo.addItem(label, row_id)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
        self._loading = False
        if self._pending_opportunity is not None:
            self._select_opportunity(self._pending_opportunity)
            self._pending_opportunity = None
        if self._pending_article is not None:
            found = self.article_combo.findData(self._pending_article)
            self.article_combo.setCurrentIndex(max(found, 0))
            self._pending_article = None
        self._schedule()

    def _select_opportunity(self, opportunity_id: int | None) -> None:
        found = self.opportunity_combo.findData(opportunity_id)
        self.opportunity_combo.setCurrentIndex(max(found, 0))

    # -- the entry other views call ------------------------------------------------------

    def compose_to(
        self,
        person_ids: list[int],
        template: int | str | None = None,
        opportunity_id: int | None = None,
        article_id: int | None = None,
    ) -> None:
        """Write to these people; ``template`` is an id, a name or a purpose ("closing")."""
        self.recipients = list(dict.fromkeys(person_ids))
        self.edits.clear()
        self.overrides.clear()
        if template is not None:
            index = self._template_index(template)
            if index is None:
                self._pending_template = template
            else:
                self.template_list.setCurrentRow(index)
        if opportunity_id is not None:
            if self.opportunity_combo.findData(opportunity_id) >= 0:
                self._select_opportunity(opportunity_id)
            else:
                self._pending_opportunity = opportunity_id
        if article_id is not None:
            if self.article_combo.findData(article_id) >= 0:
                self.article_combo.setCurrentIndex(self.article_combo.findData(article_id))
            else:
                self._pending_article = article_id
        self.refresh_preview()

    # -- templates -----------------------------------------------------------------------

    def _template_chosen(self, row: int) -> None:
        if self._loading or not 0 <= row < len(self.templates):
            return
        template = self.templates[row]
        self._template_id = template.id
        self._loading = True
        self.name_edit.setText(template.name)
        self.purpose_combo.setCurrentText(template.purpose)
        self.subject_edit.setText(template.subject)
        self.subject_edit.setCursorPosition(0)
        self.body_edit.setPlainText(template.body)
        self._loading = False
        self.edits.clear()
        self._schedule()

    def _insert_placeholder(self, index: int) -> None:
        key = self.insert_combo.itemData(index)
        if key:
            self.body_edit.insertPlainText(f"{{{key}}}")
            self.body_edit.setFocus()
        self.insert_combo.setCurrentIndex(0)

    def new_template(self) -> None:
        self._template_id = None
        self.template_list.clearSelection()
        self._loading = True
        self.name_edit.setText("")
        self.purpose_combo.setCurrentText("connect")
        self.subject_edit.setText("")
        self.body_edit.setPlainText("Hi {first_name|there},\n\n[[Your message]]\n\n{my_signature}")
        self._loading = False
        self.name_edit.setFocus()
        self._schedule()

    def save_template(self) -> None:
        template_id, name = self._template_id, self.name_edit.text()
        purpose, subject = self.purpose_combo.currentText(), self.subject_edit.text()
        body = self.body_edit.toPlainText()
        self._executor.submit(
            lambda: self._services.save_template(template_id, name, purpose, subject, body),
            self._template_saved,
            self._failed,
        )

    def _template_saved(self, template_id: int) -> None:
        self._template_id = template_id
        self._pending_template = template_id
        self._executor.submit(self._services.templates, self._templates_loaded)
        self._say("Template saved.")

    def duplicate_template(self) -> None:
        if self._template_id is None:
            return
        template_id = self._template_id
        self._executor.submit(
            lambda: self._services.duplicate_template(template_id),
            self._template_saved,
            self._failed,
        )

    def delete_template(self) -> None:
        if self._template_id is None:
            return
        name = self.name_edit.text()
        answer = QMessageBox.question(self, "Delete template", f"Delete the template {name!r}?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        template_id = self._template_id
        self._template_id = None
        self._executor.submit(
            lambda: self._services.delete_template(template_id),
            lambda _r: self._executor.submit(self._services.templates, self._templates_loaded),
            self._failed,
        )

    # -- recipients ----------------------------------------------------------------------

    def add_from_search(self) -> None:
        text = self.recipient_search.text().strip()
        if not text:
            return
        self._executor.submit(lambda: self._services.find_people(text), self._found)

    def _found(self, rows: list) -> None:
        if not rows:
            self._say("No one found by that name.")
            return
        if len(rows) == 1:
            self._add_recipients([rows[0].id])
            return
        menu = QMenu(self)
        for row in rows:
            detail = " · ".join(v for v in (row.company, row.emails[0] if row.emails else "") if v)
            action = menu.addAction(f"{row.full_name}  ({detail})" if detail else row.full_name)
            action.setData(row.id)
        chosen = menu.exec(
            self.recipient_search.mapToGlobal(QPoint(0, self.recipient_search.height()))
        )
        if chosen is not None:
            self._add_recipients([int(chosen.data())])

    def _add_recipients(self, ids: list[int]) -> None:
        self.recipients = list(dict.fromkeys([*self.recipients, *ids]))
        self.recipient_search.clear()
        self.refresh_preview()

    def remove_current(self) -> None:
        row = self.recipient_list.currentRow()
        if 0 <= row < len(self.recipients):
            removed = self.recipients.pop(row)
            self.edits.pop(removed, None)
            self.overrides.discard(removed)
            self.refresh_preview()

    # -- preview -------------------------------------------------------------------------

    def composition(self) -> Composition:
        return Composition(
            subject=self.subject_edit.text(),
            body=self.body_edit.toPlainText(),
            template_id=self._template_id,
            opportunity_id=self.opportunity_combo.currentData(),
            article_id=self.article_combo.currentData(),
            edits=dict(self.edits),
            overrides=frozenset(self.overrides),
        )

    def _text_changed(self) -> None:
        if not self._loading:
            self._schedule()

    def _context_changed(self) -> None:
        if not self._loading:
            self.overrides.clear()
            self._schedule()

    def _schedule(self) -> None:
        self._debounce.start()

    @Slot()
    def refresh_preview(self) -> None:
        self._debounce.stop()
        if not self.recipients:
            self._show_drafts([])
            return
        ids, composition = list(self.recipients), self.composition()
        self._executor.submit(
            lambda: self._services.compose_preview(ids, composition),
            self._show_drafts,
            self._failed,
        )

    def _show_drafts(self, drafts: list[Draft]) -> None:
        current = self.recipient_list.currentRow()
        self.drafts = drafts
        self._loading = True
        self.recipient_list.clear()
        for draft in drafts:
            item = QListWidgetItem(
                f"{STATUS_MARK[draft.status]}  {draft.name}  ·  {STATUS_WORD[draft.status]}"
                + ("" if draft.to else "  ·  no email")
                + (f"  ·  ⚑ contacted by {draft.teammate}" if draft.teammate else "")
            )
            item.setToolTip(draft.to or "No email address: copy the message instead")
            item.setData(Qt.ItemDataRole.UserRole, draft.person_id)
            self.recipient_list.addItem(item)
        self._loading = False
        ready = sum(d.ready for d in drafts)
        self.summary_label.setText(
            f"{ready} of {len(drafts)} ready to send" if drafts else "No recipients yet."
        )
        if drafts:
            self.recipient_list.setCurrentRow(min(max(current, 0), len(drafts) - 1))
        self._show_current(self.recipient_list.currentRow())

    def current_draft(self) -> Draft | None:
        row = self.recipient_list.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def _show_current(self, _row: int) -> None:
        if self._loading:
            return
        draft = self.current_draft()
        self._loading = True
        self.preview_subject.setText(draft.subject if draft else "")
        self.preview_body.setPlainText(draft.body if draft else "")
        self._loading = False
        if draft is None:
            self.to_label.setText("")
            self.problems_label.setText("")
            self.override_check.setVisible(False)
            self._enable_deliveries(None)
            return
        edited = " (edited for them)" if draft.person_id in self.edits else ""
        self.to_label.setText(f"To: {draft.name} <{draft.to or 'no email address'}>{edited}")
        self.reset_button.setEnabled(bool(edited))
        lines = problems_of([draft])
        notes = [f"<span style='color:#b71c1c'>✗ {_html(line)}</span>" for line in lines]
        notes += [f"<span style='color:#8a5a00'>! {_html(w)}</span>" for w in draft.warnings]
        if draft.ready and not draft.warnings:
            notes = ["<span style='color:#2e7d32'>✓ Ready to send.</span>"]
        self.problems_label.setText("<br>".join(notes))
        self.override_check.setVisible(draft.conflict is not None)
        self.override_check.blockSignals(True)
        self.override_check.setChecked(draft.overridden)
        self.override_check.blockSignals(False)
        self._enable_deliveries(draft)

    def _enable_deliveries(self, draft: Draft | None) -> None:
        ready = draft is not None and draft.ready
        self.copy_button.setEnabled(ready)
        self.mail_button.setEnabled(ready and draft is not None and bool(draft.to))
        any_ready = any(d.ready and d.to for d in self.drafts)
        self.eml_button.setEnabled(any_ready)
        self.queue_button.setEnabled(any_ready)

    def _preview_edited(self, _text: str) -> None:
        self._remember_edit()

    def _preview_body_changed(self) -> None:
        if not self._loading:
            self._remember_edit()

    def _remember_edit(self) -> None:
        draft = self.current_draft()
        if draft is None or self._loading:
            return
        # The edited text is this person's own template: rendering it again fills what
        # can be filled and still finds any marker left in it.
        self.edits[draft.person_id] = (
            self.preview_subject.text(),
            self.preview_body.toPlainText(),
        )
        self._schedule()

    def reset_current_edit(self) -> None:
        draft = self.current_draft()
        if draft is not None and self.edits.pop(draft.person_id, None) is not None:
            self.refresh_preview()

    def _override_toggled(self, checked: bool) -> None:
        draft = self.current_draft()
        if draft is None:
            return
        if checked:
            self.overrides.add(draft.person_id)
        else:
            self.overrides.discard(draft.person_id)
        self.refresh_preview()

    # -- delivery ------------------------------------------------------------------------

    def confirm_sent(self, what: str) -> bool:
        """Ask before logging what the app cannot see go out (tests answer for the user)."""
        answer = QMessageBox.question(
            self,
            "Sent?",
            f"Did you send {what}? Recruiter Desk will log it on their timeline.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, "Save the drafts in", str(Path.home()))
        return Path(name) if name else None

    def ask_password(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, "Email password", prompt, QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def copy_current(self) -> None:
        draft = self.current_draft()
        if draft is None or not self._check_ready(draft):
            return
        QGuiApplication.clipboard().setText(clipboard_text([draft]))
        self._say(f"Copied the message for {draft.name}.")
        if self.confirm_sent(f"the message to {draft.name}"):
            self._record([draft.person_id], "clipboard")

    def open_current_in_mail(self) -> None:
        draft = self.current_draft()
        if draft is None or not self._check_ready(draft):
            return
        if draft.mailto_too_long:
            answer = QMessageBox.question(
                self,
                "Too long for a mail link",
                "Mail apps cut links longer than about 2,000 characters, so this message "
                "would arrive truncated. Save it as an .eml draft to open instead?",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.save_eml([draft.person_id])
            return
        QDesktopServices.openUrl(QUrl.fromEncoded(mailto_url(draft).encode("ascii")))
        if self.confirm_sent(f"the email to {draft.name}"):
            self._record([draft.person_id], "mail_client")

    def save_eml(self, only: list[int] | None = None) -> None:
        ids = only or [d.person_id for d in self.drafts if d.ready and d.to]
        if not ids:
            return
        folder = self.choose_folder()
        if folder is None:
            return
        composition = self.composition()
        self._executor.submit(
            lambda: self._services.save_eml(ids, composition, folder),
            lambda count: self._logged(
                f"Saved {wording.count(count, 'draft')} in {folder} and logged "
                f"{'it' if count == 1 else 'them'}. Open each in your mail app to send."
            ),
            self._failed,
        )

    def queue_ready(self) -> None:
        ready = [d.person_id for d in self.drafts if d.ready and d.to]
        left = len(self.drafts) - len(ready)
        if not ready:
            return
        composition = self.composition()
        self._executor.submit(
            lambda: self._services.queue_messages(ready, composition),
            lambda count: self._queued(count, left),
            self._failed,
        )

    def _queued(self, count: int, left: int) -> None:
        note = f" {left} not ready {'was' if left == 1 else 'were'} left out." if left else ""
        self._say(f"Queued {wording.count(count, 'message')}.{note}")
        self.refresh_outbox()

    def _check_ready(self, draft: Draft) -> bool:
        if draft.ready:
            return True
        QMessageBox.information(self, "Not ready", "\n".join(problems_of([draft])))
        return False

    def _record(self, ids: list[int], channel: str) -> None:
        composition = self.composition()
        self._executor.submit(
            lambda: self._services.record_delivery(ids, composition, channel),
            lambda count: self._logged(f"Logged {wording.count(count, 'message')}."),
            self._failed,
        )

    def _logged(self, text: str) -> None:
        self._say(text)
        self.messages_logged.emit()
        self.refresh_outbox()

    # -- the outbox ----------------------------------------------------------------------

    def refresh_outbox(self) -> None:
        self._executor.submit(self._services.outbox, self._outbox_loaded)

    def _outbox_loaded(self, rows: list[OutboxRow]) -> None:
        self.outbox_rows = rows
        self.outbox_list.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.name}: {row.subject}  ·  {row.state_text}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.outbox_list.addItem(item)
        waiting = sum(r.state == "queued" for r in rows)
        unsure = sum(r.state == "sending" for r in rows)
        text = f"Outbox: {waiting} waiting" if waiting else "Outbox: empty"
        if unsure:
            text += f", {unsure} interrupted (right-click to settle)"
        self.outbox_label.setText(text)
        self.outbox_list.setVisible(bool(rows))
        self.send_button.setEnabled(bool(waiting) or self._sending)

    def _outbox_menu(self, position: QPoint) -> None:
        item = self.outbox_list.itemAt(position)
        if item is None:
            return
        message_id = int(item.data(Qt.ItemDataRole.UserRole))
        row = next(r for r in self.outbox_rows if r.id == message_id)
        menu = QMenu(self)
        if row.state == "sending":
            menu.addAction("It was sent: log it").setData("sent")
            menu.addAction("It was not sent: send again").setData("retry")
        menu.addAction("Remove from the outbox").setData("remove")
        chosen = menu.exec(self.outbox_list.mapToGlobal(position))
        if chosen is not None:
            self.settle(message_id, str(chosen.data()))

    def settle(self, message_id: int, action: str) -> None:
        self._executor.submit(
            lambda: self._services.resolve_message(message_id, action),
            lambda _r: self._logged("Outbox updated."),
            self._failed,
        )

    def toggle_sending(self) -> None:
        if self._sending:
            self._stop_sending("Sending stopped; the rest wait in the outbox.")
            return
        self._executor.submit(
            self._services.smtp_password_prompt, self._start_sending, self._failed
        )

    def _start_sending(self, prompt: str | None) -> None:
        password = None
        if prompt is not None:
            password = self.ask_password(prompt)
            if not password:
                return
        self._password = password
        self._sending = True
        self.send_button.setText("Stop sending")
        self._send_next()

    def _send_next(self) -> None:
        if not self._sending:
            return
        password = self._password

        def ask(_prompt: str) -> str | None:
            return password

        # One message per task, so the database worker is never held for a whole batch and
        # the spacing between messages is a timer, not a sleeping thread.
        self._executor.submit(
            lambda: self._services.send_outbox(ask, limit=1), self._sent_one, self._send_failed
        )

    def _sent_one(self, report: SendReport) -> None:
        self.refresh_outbox()
        self.messages_logged.emit()
        if report.error or report.capped or report.waiting == 0:
            self._stop_sending(report.summary())
            return
        self._say(f"Sending… {report.waiting} still waiting.")
        self._executor.submit(self._services.send_delay, self._wait_then_send)

    def _wait_then_send(self, delay: float) -> None:
        if self._sending:
            self._send_timer.start(int(delay * 1000))

    def _send_failed(self, error: BaseException) -> None:
        self._stop_sending("")
        self._failed(error)

    def _stop_sending(self, text: str) -> None:
        self._sending = False
        self._password = None
        self._send_timer.stop()
        self.send_button.setText("Send now")
        if text:
            self._say(text)
        self.refresh_outbox()

    def edit_account(self) -> EmailAccountDialog:
        dialog = EmailAccountDialog(self._services, self._executor, self)
        dialog.accepted.connect(lambda: self.settings_changed.emit(dialog.settings()))
        dialog.show()
        self._account_dialog = dialog
        return dialog

    # -- messages ------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(text, 10000)
        self.last_message = text

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, KnownError):
            QMessageBox.warning(self, "Compose", error.message)
            self.last_message = error.message
            return
        raise error


class EmailAccountDialog(QDialog):
    """The settings that drive delivery, with "Test connection". No password field: it is
    asked when needed and kept in the system keyring (or, with none, only until quitting)."""

    def __init__(self, services: Services, executor: Executor, parent: ComposeView) -> None:
        super().__init__(parent)
        self.setObjectName("emailAccountDialog")
        self.setWindowTitle("Email account")
        self._services = services
        self._executor = executor
        self._view = parent
        base = services.settings
        self.host = named(QLineEdit(base.smtp_host), "smtpHost")
        self.host.setPlaceholderText("smtp.example.com")
        self.port = named(QSpinBox(), "smtpPort")
        self.port.setRange(1, 65535)
        self.port.setValue(base.smtp_port)
        self.security = named(QComboBox(), "smtpSecurity")
        for label, value in (
            ("STARTTLS (usually port 587)", "starttls"),
            ("TLS (usually port 465)", "tls"),
            ("None: a relay on this computer only", "none"),
        ):
            self.security.addItem(label, value)
        self.security.setCurrentIndex(max(self.security.findData(base.smtp_security), 0))
        self.user = named(QLineEdit(base.smtp_user), "smtpUser")
        self.my_name = named(QLineEdit(base.my_name), "myName")
        self.addresses = named(QLineEdit(", ".join(base.my_addresses)), "myAddresses")
        self.signature = named(QPlainTextEdit(base.my_signature), "mySignature")
        self.signature.setMaximumHeight(80)
        self.cap = named(QSpinBox(), "dailySendCap")
        self.cap.setRange(1, 10000)
        self.cap.setValue(base.daily_send_cap)
        self.spacing = named(QSpinBox(), "sendSpacing")
        self.spacing.setRange(0, 3600)
        self.spacing.setSuffix(" s")
        self.spacing.setValue(base.send_spacing_seconds)
        self.test_button = named(QPushButton("Test connection"), "testConnectionButton")
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = named(QLabel(), "testResult")
        self.result_label.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Your name", self.my_name)
        form.addRow("Your addresses", self.addresses)
        form.addRow("Signature", self.signature)
        form.addRow("SMTP server", self.host)
        form.addRow("Port", self.port)
        form.addRow("Security", self.security)
        form.addRow("User name", self.user)
        form.addRow("At most, per day", self.cap)
        form.addRow("Between messages", self.spacing)
        form.addRow(self.test_button, self.result_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def settings(self) -> Settings:
        return replace(
            self._services.settings,
            smtp_host=self.host.text().strip(),
            smtp_port=self.port.value(),
            smtp_security=str(self.security.currentData()),
            smtp_user=self.user.text().strip(),
            my_name=self.my_name.text().strip(),
            my_addresses=[a.strip() for a in self.addresses.text().split(",") if a.strip()],
            my_signature=self.signature.toPlainText().strip(),
            daily_send_cap=self.cap.value(),
            send_spacing_seconds=self.spacing.value(),
        )

    def test_connection(self) -> None:
        settings = self.settings()
        self.result_label.setText("Connecting…")
        self._executor.submit(
            lambda: self._services.smtp_password_prompt(settings),
            lambda prompt: self._test_with(settings, prompt),
            self._tested_badly,
        )

    def _test_with(self, settings: Settings, prompt: str | None) -> None:
        password = self._view.ask_password(prompt) if prompt else None
        if prompt and not password:
            self.result_label.setText("")
            return

        def ask(_prompt: str) -> str | None:
            return password

        self._executor.submit(
            lambda: self._services.test_smtp(ask, settings),
            self.result_label.setText,
            self._tested_badly,
        )

    def _tested_badly(self, error: BaseException) -> None:
        if not isinstance(error, KnownError):
            raise error
        self.result_label.setText(f"✗ {error.message}")


def _compact(combo: QComboBox) -> None:
    """Long role names and placeholder lists must not widen the window past 1280 pixels."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
